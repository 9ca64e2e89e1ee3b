.totals.rx == 5 and .totals.dropped == 3 and .totals.delivered == 2
[.drops[] | select(.stage == "port") | .reason] | sort == ["frame larger than the packet buffer", "runt frame (shorter than an Ethernet header)", "truncated capture (captured length < length)"]
