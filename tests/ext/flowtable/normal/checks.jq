.extensions[0].counters["arp hits"] == 2
.extensions[0].counters["udp hits"] == 3
.extensions[0].counters["table misses"] == 1
[.drops[] | select(.extension == "flowtable" and .reason == "flowtable miss") | .count] == [1]
[.drops[] | .count] | add == 1
.fdb.learned == 3 and .fdb.entries == 3
.totals.rx == 6 and .totals.delivered == 5 and .totals.dropped == 1
# p1: frames 2, 5; p2: 1, 3, 5; p3: 1, 6.
[.ports[].tx] == [2, 3, 2]
