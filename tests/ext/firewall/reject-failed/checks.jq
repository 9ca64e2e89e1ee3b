# 1 frame in; injected: its copy and two RSTs.  Delivered: the RST out of
# t1.  Dropped: the SYN and its copy (rule reject), and the RST a20
# refused.  1 + 3 = 1 + 3.
.totals.rx == 1 and .totals.injected == 3 and .totals.delivered == 1 and .totals.dropped == 3
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"rule reject": [2, 2]})
.extensions[1].name == "firewall" and .extensions[1].counters["rule no-telnet"] == 2
.extensions[1].counters["reject rst sent"] == 1 and .extensions[1].counters["reject failed"] == 1 and .extensions[1].counters["reject not sent"] == 0
.extensions[0].counters["inject errors"] == 0
# The core counts the refused RST under its egress drop.
([.drops[] | select(.stage == "egress") | .copies] | add) == 1
