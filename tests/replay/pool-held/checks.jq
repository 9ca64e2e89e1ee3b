.totals.rx == 2 and .totals.dropped == 2 and .ports[1].tx == 0
[.drops[] | select(.reason == "packet buffer pool exhausted") | .count] == [2]
