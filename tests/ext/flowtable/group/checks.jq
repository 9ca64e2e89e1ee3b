.extensions[0].counters["sessions hits"] == 192
.extensions[0].counters["table misses"] == 1
[.drops[] | select(.extension == "flowtable" and .reason == "flowtable miss") | .count] == [1]
.totals.rx == 193 and .totals.delivered == 192 and .totals.dropped == 1
# Every selection is one frame out of that member, and a member carries
# whole sessions (3 frames each).
[.extensions[0].counters | to_entries[] | select(.key | startswith("group tools ")) | .value] | add == 192
[.extensions[0].counters["group tools t1", "group tools t2", "group tools t3", "group tools t4"]] == [.ports[2:6][].tx]
all(.extensions[0].counters | to_entries[] | select(.key | startswith("group tools ")); .value > 0 and .value % 3 == 0)
