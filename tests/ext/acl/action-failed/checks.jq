.drops == [{"stage":"extension","extension":"c","reason":"action failed","count":1,"copies":1}]
(.extensions[] | select(.name == "c") | .counters) as $c | $c["one-more hits"] == 1 and $c["default hits"] == 1
.ports[1].tx == 1
