.totals.rx == 3 and .totals.injected == 2 and .totals.dropped == 2
([.drops[] | select(.extension == "firewall" and .reason == "rule reject") | .count] == [2])
.extensions[0].counters["reject rst sent"] == 2 and .extensions[0].counters["reject failed"] == 0
.extensions[0].counters["rule no-telnet"] == 1 and .extensions[0].counters["rule no-irc"] == 1
.extensions[0].counters["rule out"] == 1 and .extensions[0].stats["active tcp_syn_sent"] == 1
