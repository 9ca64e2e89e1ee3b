.extensions[0].counters["arp hits"] == 2
.extensions[0].counters["lan hits"] == 2
.extensions[0].counters["default hits"] == 4
[.drops[] | select(.extension == "acl" and .reason == "default deny") | .count] == [4]
[.drops[] | select(.reason == "acl deny")] == []
.totals.rx == 8 and .totals.delivered == 4 and .totals.tx == 4
