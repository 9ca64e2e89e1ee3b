.totals.rx == 7 and .totals.dropped == 3 and .totals.delivered == 4
[.drops[] | select(.stage == "port") | .reason] | sort == ["frame larger than the packet buffer", "runt frame (shorter than an Ethernet header)", "truncated capture (captured length < length)"]
[.ports[] | .malformed] == [{"l3": 3, "l4": 1}, {"l3": 0, "l4": 0}]
