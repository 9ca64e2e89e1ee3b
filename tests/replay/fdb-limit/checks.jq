.fdb.entries == 4 and .fdb.evicted == 3 and .fdb.learned == 7
.ports[1].tx == 7 and .ports[0].tx == 2
