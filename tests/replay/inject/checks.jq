.totals.rx == 1 and .totals.injected == 2 and .totals.delivered == 3 and .totals.tx == 5
.ports[0].tx == 1 and .ports[1].tx == 3 and .ports[2].tx == 1
[.extensions[] | {(.name): .counters.packets}] | add == {"before": 1, "inj": 1, "after": 2}
.fdb.learned == 1
