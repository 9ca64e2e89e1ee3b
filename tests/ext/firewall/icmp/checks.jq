.totals.rx == 11 and .totals.dropped == 5
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"default deny": 1, "invalid state": 4})
.extensions[0].counters["related"] == 1 and .extensions[0].counters["invalid"] == 4
.extensions[0].counters["conn created"] == 2 and .extensions[0].counters["rule out"] == 2
.extensions[0].stats["active icmp"] == 1 and .extensions[0].stats["active udp"] == 1
