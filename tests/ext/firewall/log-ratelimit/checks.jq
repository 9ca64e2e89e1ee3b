.totals.rx == 13 and .totals.dropped == 13
.extensions[0].counters["default deny"] == 13
.extensions[0].counters["log suppressed"] == 9
