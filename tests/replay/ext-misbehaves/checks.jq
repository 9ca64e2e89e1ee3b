.totals.rx == 2 and .totals.delivered == 1 and .totals.dropped == 1
[.drops[] | select(.stage == "core" and .reason == "extension dropped with an undeclared reason") | [.extension, .count]] == [["flt", 1]]
[.drops[] | select(.stage == "egress" and .reason == "forward extension chose a nonexistent port") | [.extension, .count, .copies]] == [["fwd", 0, 1]]
