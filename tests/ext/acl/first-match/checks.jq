# Hits per rule, and the default: every received frame counted once.
.extensions[0].counters["no-ssh hits"] == 2
.extensions[0].counters["tcp hits"] == 1
.extensions[0].counters["rule 2 hits"] == 2
.extensions[0].counters["default hits"] == 3
.extensions[0].counters["egress default hits"] == 4
# Four denied by rules, none by the default.
[.drops[] | select(.extension == "acl" and .reason == "acl deny") | .count] == [4]
[.drops[] | select(.reason == "default deny")] == []
.totals.rx == 8 and .totals.dropped == 4 and .totals.tx == 4
