# Every rule's hits, counted independently from traffic.txt.
.extensions[0].counters["web hits"] == 1
.extensions[0].counters["dns-copy hits"] == 1
.extensions[0].counters["subnet hits"] == 2
.extensions[0].counters["rule 3 hits"] == 1
.extensions[0].counters["alt-http hits"] == 1
.extensions[0].counters["arp-up hits"] == 2
.extensions[0].counters["table misses"] == 2
.extensions[0].stats.rules == 6
# 'arp-up' lists two ingress ports: one classifier entry each.
.extensions[0].stats["classifier entries"] == 7
.totals.rx == 10 and .totals.dropped == 0 and .totals.delivered == 10
# p1: frames 7, 8, 9; p2: 1, 5, 9; p3: 2, 4, 9; p4: 2, 3, 6, 10.
[.ports[].tx] == [3, 3, 3, 4]
