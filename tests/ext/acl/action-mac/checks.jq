.extensions[0].counters["redirect hits"] == 2 and .extensions[0].counters["default hits"] == 2
.drops == [] and .ports[0].tx == 2 and .ports[1].tx == 2 and .ports[2].tx == 1
