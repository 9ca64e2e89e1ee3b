[.extensions[0].counters | keys[] | select(test("^c[0-9]+$"))] | length == 1000
.extensions[0].counters.c0 == 0 and .extensions[0].counters.c255 == 255 and .extensions[0].counters.c256 == 256 and .extensions[0].counters.c999 == 999
[.extensions[0].counters | to_entries[] | select(.key | startswith("c")) | select(.value != (.key[1:] | tonumber))] == []
.extensions[0].counters.packets == 1
