.extensions[0].counters["arp replies"] == 4 and .extensions[0].counters["arp reply failures"] == 0
.extensions[0].counters["quarantine hits"] == 1 and .extensions[0].counters["default hits"] == 7
[.drops[] | select(.extension == "acl") | {(.reason): .count}] | add == {"arp answered": 4, "acl deny": 1}
.totals.rx == 8 and .totals.injected == 4
# a1 gets 2 replies; t1 2 replies + 3 flooded (1.300, 1.400, 1.600); a2 the 3 floods.
.ports[0].tx == 2 and .ports[1].tx == 3 and .ports[2].tx == 5
# Answered requests are dropped before learning: only a1's ...:0a is learned.
.fdb.learned == 1
