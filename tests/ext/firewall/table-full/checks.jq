.totals.rx == 8 and .totals.dropped == 2
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"conn table full": 2})
.extensions[0].counters["conn table full"] == 2 and .extensions[0].counters["conn created"] == 3
.extensions[0].counters["rule out"] == 5
.extensions[0].stats["active udp_replied"] == 2 and .extensions[0].stats["active total"] == 2
.extensions[0].stats["expired"] == 1
