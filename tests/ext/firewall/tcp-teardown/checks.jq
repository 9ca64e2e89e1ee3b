# 26 frames; invalid: TIME_WAIT data, two after the RST, two after expiry.
.totals.rx == 26 and .totals.dropped == 5
([.drops[] | select(.extension == "firewall") | .reason] == ["invalid state"])
.extensions[0].counters["invalid"] == 5
# Opened: 40000, 40001, 40002, 40002 again, 40000 again.
.extensions[0].counters["conn created"] == 5 and .extensions[0].counters["rule 0"] == 5
# 40000 and 40001 expired; 40002 (reopened, SYN_SENT) and the new 40000 live.
.extensions[0].stats["expired"] == 2
.extensions[0].stats["active tcp_syn_sent"] == 2 and .extensions[0].stats["active total"] == 2
