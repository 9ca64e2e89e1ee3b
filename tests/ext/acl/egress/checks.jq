# 7 copies reach egress: pkt 1, 2, 5 two each (broadcast), pkt 4 one.  acl
# drops 3 of them (one per egress rule) and passes 4 by egress_default.
(.extensions[] | select(.name == "acl") | .counters) as $c | $c["no-udp-to-p3 hits"] == 1 and $c["p1-not-to-p3 hits"] == 1 and $c["no-ef hits"] == 2 and $c["default hits"] == 4 and $c["egress default hits"] == 4
# marker sees every copy on egress (it has no egress rules).
(.extensions[] | select(.name == "marker") | .counters) as $c | $c["rule 0 hits"] == 1 and $c["default hits"] == 3 and $c["egress default hits"] == 7
# pkt 3 (ingress) and pkt 4 (its only copy) are dropped whole; 4 copies in all.
.drops == [{"stage":"extension","extension":"acl","reason":"acl deny","count":2,"copies":4}]
.ports[0].tx == 2 and .ports[1].tx == 1 and .ports[2].tx == 1
