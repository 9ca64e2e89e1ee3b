.extensions[0].counters.ticks == 5
.clock_ns == 15500000000
# Timers see their own deadline on the clock, not the next frame's time.
.extensions[0].counters["last tick ns"] == 15000000000
