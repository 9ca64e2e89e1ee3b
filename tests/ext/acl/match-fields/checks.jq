# One hit per field (dscp: two), and nothing else.
.extensions[0].counters | [.["in_port hits"], .["src_mac hits"], .["dst_mac hits"], .["ethertype hits"], .["vlan hits"], .["pcp hits"], .["src_ip hits"], .["dst_ip hits"], .["ip_proto hits"], .["src_port hits"], .["dst_port hits"], .["tcp_flags hits"], .["dscp hits"], .["bpf hits"]] == [1,1,1,1,1,1,1,1,1,1,1,1,2,1]
# The near misses and p2's introduction: 15 frames to the default.
.extensions[0].counters["default hits"] == 15
[.drops[] | select(.extension == "acl" and .reason == "acl deny") | .count] == [15]
.totals.rx == 30 and .totals.dropped == 15
