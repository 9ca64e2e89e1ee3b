.counters["mirrored packets"] == 5 and .flows_active == 6
