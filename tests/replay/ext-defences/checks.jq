.totals.rx == 12 and .totals.injected == 1 and .totals.delivered == 3 and .totals.dropped == 10 and .totals.tx == 3
[.drops[] | select(.reason == "extension left invalid packet bounds, vlan or in_port") | {(.extension): .count}] | add == {"inport": 1, "vlan": 1, "bounds": 1, "overgrow": 3, "pushpast": 1}
[.drops[] | select(.stage == "core" and .reason == "extension gave an invalid verdict") | [.extension, .count]] == [["verdict", 1]]
[.drops[] | select(.stage == "core" and .reason == "inspect extension modified a packet") | [.extension, .count]] == [["spy", 1]]
[.drops[] | select(.stage == "core" and .reason == "injected packet refused") | [.extension, .count]] == [["injector", 1]]
[.extensions[] | select(.name == "injector") | .counters["inject errors"]] == [1]
[.extensions[] | select(.name == "huge") | .counters["timer refused"]] == [1]
[.extensions[] | select(.name == "fwd") | .counters.packets] == [3]
