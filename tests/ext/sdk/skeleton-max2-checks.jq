# The same run with max_ethertypes: 2: IPv4 and ARP are counted one by one
# (seen first), IPv6 only under "other"; dropping does not depend on it.
.totals == {"rx": 6, "injected": 0, "delivered": 4, "dropped": 2, "tx": 4}
.extensions[0].counters == {"packets": 6, "dropped": 2}
.extensions[0].stats == {"ethertype 0x0800": 2, "ethertype 0x0806": 2, "ethertype other": 2}
