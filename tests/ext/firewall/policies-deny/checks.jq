.totals.rx == 7 and .totals.dropped == 5
([.drops[] | select(.extension == "firewall") | {(.reason): .count}] | add == {"non-ip deny": 3, "ndp deny": 1, "fragment deny": 1})
.extensions[0].counters["default allow"] == 1 and .extensions[0].counters["invalid"] == 1
.extensions[0].stats["active udp"] == 1
