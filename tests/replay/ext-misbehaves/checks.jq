.totals.rx == 2 and .totals.delivered == 1 and .totals.dropped == 1
[.drops[] | select(.stage == "core" and .reason == "extension dropped with an undeclared reason") | .count] == [1]
[.drops[] | select(.stage == "egress" and .reason == "forward extension chose a nonexistent port") | [.count, .copies]] == [[0, 1]]
