# 12 frames in: the ARP request and the web connection's 7 pass.
.totals.rx == 12 and .totals.dropped == 4
.ports[0].tx == 3 and .ports[1].tx == 5
([.drops[] | select(.extension == "firewall" and .reason == "default deny") | .count] == [1])
([.drops[] | select(.extension == "firewall" and .reason == "rule deny") | .count] == [1])
([.drops[] | select(.extension == "firewall" and .reason == "invalid state") | .count] == [2])
.extensions[0].counters["rule web"] == 1 and .extensions[0].counters["rule no-smtp"] == 1
.extensions[0].counters["conn created"] == 1 and .extensions[0].counters["invalid"] == 2
.extensions[0].counters["default deny"] == 1 and .extensions[0].counters["default allow"] == 0
.extensions[0].stats["active tcp_established"] == 1 and .extensions[0].stats["active total"] == 1
