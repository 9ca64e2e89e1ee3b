# The frame and 16 rounds of copies are delivered; the 17th copy is dropped.
.totals.rx == 1 and .totals.injected == 17 and .totals.delivered == 17 and .totals.dropped == 1
[.drops[] | select(.reason == "injection loop (too many rounds of injections)") | .count] == [1]
