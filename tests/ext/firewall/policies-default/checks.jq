.totals.rx == 8 and .totals.dropped == 3
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"default deny": 1, "malformed": 2})
.extensions[0].counters["default deny"] == 1 and .extensions[0].stats["active total"] == 0
