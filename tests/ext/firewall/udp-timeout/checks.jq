.totals.rx == 8 and .totals.dropped == 2
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"default deny": 2})
.extensions[0].counters["conn created"] == 3 and .extensions[0].counters["rule dns"] == 3
# All three are gone by 331 s: 5002 at 31 s, 5001 at 210.999999 s, 5000 at 330 s.
.extensions[0].stats["expired"] == 3 and .extensions[0].stats["active total"] == 0
