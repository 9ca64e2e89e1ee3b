# Counters, from traffic.txt by hand: 8 TCP, 4 UDP (2 in flow 4, 1 each in
# flows 6 and 7), 2 ICMP, 1 GRE, 2 ARP and the refused IPv4 header; 9
# flows; 42+42+1532+178+196+76+72+38+42 = 2218 bytes.
.extensions[0].name == "flowmon" and .extensions[0].role == "inspect"
.extensions[0].counters | .["tcp packets"] == 8 and .["udp packets"] == 4 and .["icmp packets"] == 2 and .["other ip packets"] == 1 and .["non-ip packets"] == 3 and .["runt packets"] == 0
.extensions[0].counters | .bytes == 2218 and .["flows created"] == 9 and .["flows expired"] == 0 and .["flows evicted"] == 0 and .["mirrored packets"] == 0
# Hosts: A, B, C in VLAN 10, C and A in VLAN 20, two IPv6, MACs A, B and
# broadcast.
.extensions[0].stats == {"flows active": 9, "flows capacity": 65536, "hosts tracked": 10}
# flowmon drops nothing: the one drop is the VLAN 20 frame with nowhere to go.
.drops == [{"stage": "l2", "reason": "no other port in the vlan", "count": 1, "copies": 1}]
