.fdb.aged >= 1 and .fdb.learned == 2
.ports[0].tx == 2 and .ports[2].tx == 2
