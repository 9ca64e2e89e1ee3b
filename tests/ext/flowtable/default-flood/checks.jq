.extensions[0].counters["to-b hits"] == 2
.extensions[0].counters["table misses"] == 2
.totals.rx == 4 and .totals.delivered == 4 and .totals.dropped == 0
# The built-in forwarding never ran: nothing learned.
.fdb.learned == 0
# p1: frame 1; p2: 2, 3, 4; p3: 1, 2.
[.ports[].tx] == [1, 3, 2]
