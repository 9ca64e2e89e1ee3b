.totals.rx == 1 and .totals.injected == 3 and .totals.delivered == 4 and .totals.tx == 6
.ports[0].tx == 1 and .ports[1].tx == 4 and .ports[2].tx == 1
[.extensions[] | select(.name == "inj") | .counters["create inject error"]] == [0]
[.extensions[] | {(.name): .counters.packets}] | add == {"before": 1, "inj": 1, "after": 2}
.fdb.learned == 1
