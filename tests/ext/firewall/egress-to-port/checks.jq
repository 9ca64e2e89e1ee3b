# 10 frames: the flooded SYN is delivered to dmz only (its lan copy is
# dropped), SSH, FTP (rejected) and the SYN to A are dropped, and so is
# A's SYN+ACK.
.totals.rx == 10 and .totals.dropped == 4 and .totals.injected == 1
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"default deny": [2, 3], "invalid state": [1, 1], "rule reject": [1, 1]})
.extensions[0].counters["rule dmz-no-ftp"] == 1 and .extensions[0].counters["reject rst sent"] == 1
.extensions[0].counters["rule dmz-web"] == 1 and .extensions[0].counters["rule out"] == 1
.extensions[0].counters["default deny"] == 3 and .extensions[0].counters["conn created"] == 2
.extensions[0].stats["active tcp_established"] == 1 and .extensions[0].stats["active tcp_syn_recv"] == 1
.extensions[0].stats["active total"] == 2
