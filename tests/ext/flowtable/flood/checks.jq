.extensions[0].counters["discard-flood hits"] == 1
.extensions[0].counters["table misses"] == 2
.totals.rx == 3 and .totals.delivered == 3 and .totals.dropped == 0
# p1: frame 1; p2: 2, 3; p3: 1, 2; p4: nothing.
[.ports[].tx] == [1, 2, 2, 0]
