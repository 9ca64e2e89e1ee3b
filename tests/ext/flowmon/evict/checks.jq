# By hand (traffic.txt): 9 packets, 7 records made (F1..F6 and F2'), 4
# evicted (F2, F3, F1, F2'), 3 live.
.extensions[0].counters | .["udp packets"] == 9 and .bytes == 378
.extensions[0].counters | .["flows created"] == 7 and .["flows evicted"] == 4 and .["flows expired"] == 0
.extensions[0].stats | .["flows active"] == 3 and .["flows capacity"] == 3
