.totals.rx == 6 and .totals.delivered == 3 and .totals.dropped == 3
[.drops[] | select(.reason == "no other port in the vlan") | .count] == [3]
.ports[0].tx == 2 and .ports[1].tx == 1 and .ports[2].tx == 2
