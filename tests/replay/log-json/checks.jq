.totals.rx == 12 and .totals.dropped == 8
