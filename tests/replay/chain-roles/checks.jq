.totals.rx == 3 and .totals.delivered == 2 and .totals.dropped == 1 and .totals.tx == 2
[.drops[] | select(.extension == "flt" and .reason == "test drop") | [.count, .copies]] == [[1, 1]]
[.drops[] | select(.extension == "fw" and .reason == "test egress drop") | [.count, .copies]] == [[0, 2]]
[.extensions[] | {(.name): .counters.packets}] | add == {"mon": 3, "flt": 3, "fwd": 2, "fw": 2, "off": 0}
[.extensions[] | {(.name): .counters["egress packets"]}] | add == {"mon": 2, "flt": 2, "fwd": 2, "fw": 4, "off": 0}
[.extensions[] | select(.name == "off") | .enabled] == [false]
.fdb.learned == 0
