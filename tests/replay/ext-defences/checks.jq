.totals.rx == 5 and .totals.delivered == 2 and .totals.dropped == 3 and .totals.tx == 2
[.drops[] | select(.reason == "extension left invalid packet bounds, vlan or in_port") | .count] == [3]
[.extensions[] | select(.name == "huge") | .counters["timer refused"]] == [1]
[.extensions[] | select(.name == "fwd") | .counters.packets] == [2]
