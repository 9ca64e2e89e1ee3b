.fdb.learned == 3 and .fdb.moved == 1 and .fdb.entries == 3
.totals.rx == 6 and .totals.delivered == 5 and .totals.dropped == 1
[.drops[] | select(.stage == "l2" and .reason == "destination is the ingress port") | .count] == [1]
.ports[0].tx == 1 and .ports[1].tx == 3 and .ports[2].tx == 2
