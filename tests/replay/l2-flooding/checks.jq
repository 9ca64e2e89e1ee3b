.fdb.learned == 3 and .fdb.ignored == 2
.totals.tx == 9 and .totals.delivered == 5 and .totals.dropped == 1
[.drops[] | select(.reason == "no other port in the vlan") | .count] == [1]
.ports[3].rx == 1 and .ports[3].dropped == 1 and .ports[3].tx == 0
