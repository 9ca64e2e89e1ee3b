# 5 frames: the SYN (default deny), the three frames the parser could not
# walk (malformed); only the double-tagged ARP passes, to wan.
.totals.rx == 5 and .totals.dropped == 4 and .totals.delivered == 1
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"default deny": [1, 1], "malformed": [3, 3]})
.extensions[0].counters["default deny"] == 1 and .extensions[0].counters["conn created"] == 0
.extensions[0].stats["active total"] == 0
