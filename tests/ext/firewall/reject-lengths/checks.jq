# 2 frames in, both rejected and answered: 2 + 2 injected = 2 delivered
# (the answers) + 2 dropped.
.totals.rx == 2 and .totals.injected == 2 and .totals.dropped == 2 and .totals.delivered == 2
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"rule reject": [2, 2]})
.extensions[0].counters["rule no-telnet"] == 1 and .extensions[0].counters["rule no-nnh"] == 1
.extensions[0].counters["reject rst sent"] == 1 and .extensions[0].counters["reject icmp sent"] == 1
