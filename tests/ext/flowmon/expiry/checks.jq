# By hand from traffic.txt: 13 UDP packets, 7*52 + 6*42 = 616 B; flows K,
# X, Y, W, Z, X' created; X and Y expired; K, W, Z, X' live at the end.
.extensions[0].counters | .["udp packets"] == 13 and .bytes == 616
.extensions[0].counters | .["flows created"] == 6 and .["flows expired"] == 2 and .["flows evicted"] == 0
.extensions[0].stats["flows active"] == 4
