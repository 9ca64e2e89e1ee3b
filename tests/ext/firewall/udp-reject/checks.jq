.totals.rx == 4 and .totals.injected == 3 and .totals.dropped == 4
([.drops[] | select(.extension == "firewall" and .reason == "rule reject") | .count] == [4])
.extensions[0].counters["reject icmp sent"] == 3 and .extensions[0].counters["reject not sent"] == 1
.extensions[0].counters["reject rst sent"] == 0 and .extensions[0].counters["reject failed"] == 0
.extensions[0].counters["rule no-snmp"] == 1 and .extensions[0].counters["rule no-mdns"] == 1
.extensions[0].counters["rule no-esp"] == 1 and .extensions[0].counters["rule no-ping"] == 1
.extensions[0].stats["active total"] == 0
