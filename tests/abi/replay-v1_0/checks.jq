# Worked out from traffic.txt: 7 frames, the IPv6 one dropped by 'abi'
# (reason index 1), two IPv4 UDP frames copied out of p3.
.totals == {"rx": 7, "injected": 2, "delivered": 8, "dropped": 1, "tx": 8}
[.ports[] | [.name, .rx, .tx, .delivered, .dropped]] == [["p1", 4, 3, 3, 1], ["p2", 3, 3, 3, 0], ["p3", 0, 2, 0, 0]]
[.drops[] | [.stage, .extension, .reason, .count, .copies]] == [["extension", "abi", "abi drop 1", 1, 1]]
[.extensions[] | [.name, .role, .enabled]] == [["s1", "filter", true], ["abi", "filter", true], ["s2", "filter", true]]
[.extensions[] | .counters["metadata checked"]] == [7, 7, 6]
[.extensions[] | .counters["metadata mismatches"]] == [0, 0, 0]
[.extensions[] | .counters["verdict not reset"]] == [0, 0, 0]
[.extensions[] | .counters["egress packets"]] == [6, 6, 6]
[.extensions[] | .counters["flow hash symmetric"]] == [1, 1, 1]
[.extensions[] | .counters["copies injected"]] == [0, 2, 0]
[.extensions[] | .counters["reparse mismatches"]] == [0, 0, 0]
[.extensions[] | .counters.ticks] == [0, 4, 0]
.extensions[1].stats == {"ports": 3, "last tick ns": 1400000000}
