# 9 frames in.  Dropped whole: only the SYN to A (2.0).  Copies dropped by
# rule reject: the lan copies of the flooded SYN (1.0) and of the flooded
# segment (11.0), and the SYN to A.  One RST injected (for the SYN to A):
# 9 + 1 = 9 delivered + 1 dropped.
.totals.rx == 9 and .totals.injected == 1 and .totals.dropped == 1 and .totals.delivered == 9
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"rule reject": [1, 3]})
# Three copies met no-tcp; only the SYN to A was answered, the other two
# copies belong to a connection allowed towards dmz.
.extensions[0].counters["rule no-tcp"] == 3 and .extensions[0].counters["reject rst sent"] == 1
.extensions[0].counters["reject not sent"] == 2 and .extensions[0].counters["reject failed"] == 0
.extensions[0].counters["rule dmz-web"] == 1 and .extensions[0].counters["conn created"] == 1
.extensions[0].stats["active tcp_established"] == 1 and .extensions[0].stats["active total"] == 1
.ports[] | select(.name == "lan") | .tx == 0
