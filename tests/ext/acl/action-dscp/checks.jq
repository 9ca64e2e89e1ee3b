.extensions[0].counters["mark-ef hits"] == 8 and .extensions[0].counters["clear hits"] == 1
.drops == [] and .totals.tx == 9
