[.extensions[] | {(.name): .counters["inject errors"]}] | add == {"inj10": 0, "inj20": 1}
.totals.rx == 2 and .totals.injected == 4 and .totals.delivered == 5 and .totals.dropped == 1
.ports[1].tx == 4 and .ports[2].tx == 1
[.drops[] | select(.reason == "vlan not carried by the egress port") | .count] == [1]
