.totals.rx == 8 and .totals.dropped == 3 and .totals.delivered == 5
[.drops[] | select(.stage == "vlan") | .reason] | sort == ["tagged frame on access port", "untagged frame on trunk without native vlan", "vlan not allowed on ingress port"]
.ports[1].tx == 2 and .ports[3].tx == 3 and .ports[4].tx == 4
