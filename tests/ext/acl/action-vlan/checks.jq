.extensions[0].counters | [.["push hits"], .["set_vlan hits"], .["set_pcp hits"], .["pop hits"], .["set_pcp_untagged hits"], .["set_vlan_untagged hits"], .["push_then_dscp hits"], .["default hits"]] == [1,1,1,1,1,1,1,0]
# tout gets all 7; t1 (carries 10 and 100) the pushed 100 and the pcp-5 frame of 10; a1 the pcp-7 frame of 10, untagged.
.drops == [] and .totals.tx == 10 and .ports[2].tx == 7 and .ports[1].tx == 2 and .ports[0].tx == 1
