# 7 frames; only the unsolicited echo reply (4.0) is dropped.
.totals.rx == 7 and .totals.dropped == 1 and .totals.delivered == 6
([.drops[] | select(.extension == "firewall") | {(.reason): [.count, .copies]}] | add == {"invalid state": [1, 1]})
# Two connections (A to B, B to A), both by rule ping; both errors related.
.extensions[0].counters["rule ping"] == 2 and .extensions[0].counters["conn created"] == 2
.extensions[0].counters["related"] == 2 and .extensions[0].counters["invalid"] == 1
.extensions[0].stats["active icmp"] == 2 and .extensions[0].stats["active total"] == 2
