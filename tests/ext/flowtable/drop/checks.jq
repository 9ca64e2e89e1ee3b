.extensions[0].counters["no-new-ssh hits"] == 1
.extensions[0].counters["blocked-vendor hits"] == 1
.extensions[0].counters["table misses"] == 5
[.drops[] | select(.stage == "extension" and .extension == "flowtable" and .reason == "flowtable drop") | .count] == [2]
[.drops[] | .count] | add == 2
.totals.rx == 7 and .totals.delivered == 5 and .totals.dropped == 2
# p1: frames 1, 5, 7; p2: 3, 4.
[.ports[].tx] == [3, 2]
.ports[0].dropped == 1 and .ports[1].dropped == 1
