# The example extension on its own example (examples/extension-skeleton:
# skeleton.yaml, traffic.txt), worked out by hand from traffic.txt: six
# frames, the two IPv6 ones (0x86dd) dropped by the skeleton; p2's ARP
# reply goes to p1 (learned from the first frame), the rest is flooded or
# sent to p2.  One jq boolean expression a line.
.totals == {"rx": 6, "injected": 0, "delivered": 4, "dropped": 2, "tx": 4}
[.ports[] | [.name, .rx, .tx, .delivered, .dropped]] == [["p1", 4, 1, 3, 1], ["p2", 2, 3, 1, 1]]
.drops == [{"stage": "extension", "extension": "skeleton", "reason": "ethertype blocked", "count": 2, "copies": 2}]
[.extensions[] | [.name, .role, .enabled]] == [["skeleton", "filter", true]]
.extensions[0].counters == {"packets": 6, "dropped": 2}
.extensions[0].stats == {"ethertype 0x0800": 2, "ethertype 0x0806": 2, "ethertype 0x86dd": 2, "ethertype other": 0}
.fdb.learned == 2
