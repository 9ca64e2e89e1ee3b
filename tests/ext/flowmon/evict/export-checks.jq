# Live: F4 (with its reply), F5, F6, oldest first.
[.flows[] | [.src_port, .fwd.packets, .rev.packets]] == [[4, 1, 1], [5, 1, 0], [6, 1, 0]]
# Top 4: F1 (2 packets, 84 B, evicted), F4 (84 B, 2 packets, later), then
# the 42 B flows by age: F2 (1.1, evicted), F3 (1.2, evicted).
[.top_flows[] | [.src_port, .bytes, .state, .first_ns]] == [[1, 84, "evicted", 1000000000], [4, 84, "active", 1400000000], [2, 42, "evicted", 1100000000], [3, 42, "evicted", 1200000000]]
.counters["flows evicted"] == 4 and .flows_active == 3 and .settings.max_flows == 3
