# Live flows, oldest first: K (1.1), W (9.0), Z (10.0), X' (10.5).
[.flows[] | [.src, .src_port, .dst_port, .first_ns, .last_ns, .packets]] == [["10.0.0.1", 5000, 5000, 1100000000, 10100000000, 7], ["10.0.0.1", 1002, 2002, 9000000000, 9000000000, 1], ["10.0.0.2", 3000, 3001, 10000000000, 10000000000, 1], ["10.0.0.1", 1000, 2000, 10500000000, 10500000000, 1]]
# The ended flows stay in the ranking, marked: K 364 B, X 84 B, then the
# 42 B flows by age: Y (expired), W, Z, X'.
[.top_flows[] | [.src_port, .bytes, .state]] == [[5000, 364, "active"], [1000, 84, "expired"], [1001, 42, "expired"], [1002, 42, "active"], [3000, 42, "active"], [1000, 42, "active"]]
# X as it ended: both directions, last seen at 1.2.
.top_flows[1] | .fwd.packets == 1 and .rev.packets == 1 and .first_ns == 1000000000 and .last_ns == 1200000000
# Sources keep totals past their flows' expiry: A sent K, X, Y, W and X',
# 7*52 + 4*42 = 532 B in 11 packets; B sent X's reply and Z, 84 B in 2.
# Both took part in all six flows.
[.top_sources[] | [.addr, .bytes, .packets, .flows]] == [["10.0.0.1", 532, 11, 6], ["10.0.0.2", 84, 2, 6]]
.clock_ns == 10500000000 and .counters["flows expired"] == 2
