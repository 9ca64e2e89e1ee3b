.totals.rx == 14 and .totals.injected == 2 and .totals.dropped == 4
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"default deny": 1, "invalid state": 1, "rule reject": 2})
.extensions[0].counters["related"] == 1 and .extensions[0].counters["rule out6"] == 2
.extensions[0].counters["reject rst sent"] == 1 and .extensions[0].counters["reject icmp sent"] == 1
.extensions[0].stats["active tcp_established"] == 1 and .extensions[0].stats["active icmp"] == 1
