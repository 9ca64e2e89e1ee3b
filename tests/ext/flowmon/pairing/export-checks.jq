# Expected records, from traffic.txt by hand (see its comments).
.flows_active == 9 and (.flows | length) == 9 and .settings.top_n == 3
[.flows[] | [.vlan, .type, .src, .dst, .packets, .bytes]] == [[10, "eth", "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", 1, 42], [10, "eth", "02:00:00:00:00:02", "02:00:00:00:00:01", 1, 42], [10, "ipv4", "10.0.0.1", "10.0.0.2", 8, 1532], [10, "ipv4", "10.0.0.3", "10.0.0.1", 2, 178], [10, "ipv4", "10.0.0.2", "10.0.0.1", 2, 196], [20, "ipv4", "10.0.0.3", "10.0.0.1", 1, 76], [10, "ipv6", "2001:db8::1", "2001:db8::2", 1, 72], [10, "ipv4", "10.0.0.1", "10.0.0.2", 1, 38], [10, "eth", "02:00:00:00:00:01", "02:00:00:00:00:02", 1, 42]]
# Flow 3, both directions in one record, the initiator as src.
.flows[2] == {"vlan": 10, "type": "ipv4", "proto": 6, "src": "10.0.0.1", "src_port": 40000, "dst": "10.0.0.2", "dst_port": 80, "state": "active", "first_ns": 1001000000, "last_ns": 1001700000, "packets": 8, "bytes": 1532, "tcp_flags": "FSPA", "fwd": {"packets": 5, "bytes": 370, "tcp_flags": "FSPA", "in_port": "p1"}, "rev": {"packets": 3, "bytes": 1162, "tcp_flags": "FSPA", "in_port": "p2"}}
# Flow 4: tagged one way (p3), untagged back (p1); bytes as on the wire.
.flows[3] | .proto == 17 and .src_port == 5353 and .dst_port == 53 and .fwd == {"packets": 1, "bytes": 76, "in_port": "p3"} and .rev == {"packets": 1, "bytes": 102, "in_port": "p1"}
# Flow 5: echo request and reply paired, no ports for ICMP.
.flows[4] | .proto == 1 and (has("src_port") | not) and .fwd == {"packets": 1, "bytes": 98, "in_port": "p2"} and .rev == {"packets": 1, "bytes": 98, "in_port": "p1"}
# Flow 1: only one direction seen.
.flows[0] | .ethertype == 2054 and .rev == {"packets": 0, "bytes": 0} and .first_ns == 1000000000 and .last_ns == 1000000000
# Top 3 flows by bytes: flow 3 (1532), flow 5 (196), flow 4 (178).
[.top_flows[] | .bytes] == [1532, 196, 178] and [.top_flows[] | .state] == ["active", "active", "active"]
# Flows 8 and 9: GRE has no ports; the refused header is an eth record.
.flows[7] | .proto == 47 and (has("src_port") | not) and (has("tcp_flags") | not) and .fwd == {"packets": 1, "bytes": 38, "in_port": "p1"}
.flows[8] | .ethertype == 2048 and (has("proto") | not) and .fwd.in_port == "p1"
# Top 3 sources by bytes sent: B = 1162+98 = 1260 (4 packets; flows 3, 5
# and 8, where it only received), A = 370+102+98+38 = 608 (8 packets, flows 3, 4, 5, 8), then A's MAC:
# 42+42 = 84 (the ARP request and the refused frame; flows 1, 2 and 9).
.top_sources == [{"vlan": 10, "type": "ipv4", "addr": "10.0.0.2", "bytes": 1260, "packets": 4, "flows": 3}, {"vlan": 10, "type": "ipv4", "addr": "10.0.0.1", "bytes": 608, "packets": 8, "flows": 4}, {"vlan": 10, "type": "eth", "addr": "02:00:00:00:00:01", "bytes": 84, "packets": 2, "flows": 3}]
.clock_ns == 1007000000 and .counters["flows created"] == 9
