# Each instance counts every packet, mirrors its own (traffic.txt).
[.extensions[] | .name] == ["web", "tagged"]
[.extensions[] | .counters["mirrored packets"]] == [5, 1]
[.extensions[] | .counters["tcp packets"]] == [7, 7]
[.extensions[] | .counters | .["udp packets"] + .["icmp packets"]] == [2, 2]
