.extensions[0].counters.ticks == 5
.clock_ns == 15500000000
