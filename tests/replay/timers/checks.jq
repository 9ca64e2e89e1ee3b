.extensions[0].counters.ticks == 5
.clock_ns == 15500000000
# Timers see their own deadline on the clock, not the next frame's time.
.extensions[0].counters["last tick ns"] == 15000000000
# Packets seen at the ticks 11, 12, 13, 14, 15: 1 + 1 + 2 + 3 + 3 (the
# frame at 13.0 comes after the tick at 13).
.extensions[0].counters["packets at ticks"] == 10
[.extensions[] | select(.name == "off") | .counters.ticks] == [0]
