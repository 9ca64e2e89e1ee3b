# Every record: an RFC 3339 UTC time, one of the four levels, an event, a message.
all(.log[]; (.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) and (.level | IN("error", "warning", "info", "debug")) and (.event | type == "string") and (.msg | type == "string"))
# Extensions load in chain order, unload in reverse, after the switch stops.
[.log[] | select(.event == "ext.load") | [.extension, .module, .role, .state, .version]] == [["flt", "role_filter", "filter", "enabled", "1"], ["spy", "role_inspect", "inspect", "enabled", "1"]]
all(.log[] | select(.event == "ext.load"); . as $e | $e.file | endswith("/tests/modules/" + $e.module + ".so"))
[.log[] | select(.event == "ext.unload") | .extension] == ["spy", "flt"]
[.log[] | .event | select(IN("ext.load", "switch.start", "switch.stop", "ext.unload"))] == ["ext.load", "ext.load", "switch.start", "switch.stop", "ext.unload", "ext.unload"]
[.log[] | select(.event == "switch.start") | [.switch, .mode, .ports, .extensions, .level]] == [["logs", "replay", 3, 2, "info"]]
.summary as $s | [.log[] | select(.event == "switch.stop")] | length == 1 and (.[0] | .switch == "logs" and .status == "ok" and .rx == $s.totals.rx and .delivered == $s.totals.delivered and .dropped == $s.totals.dropped and .tx == $s.totals.tx and .clock_ns == $s.clock_ns)
# One summary per interval with drops, its ends on the 10 s grid from the first frame; the last at the end of the run.
[.log[] | select(.event == "drops.summary") | [.from_ns, .to_ns, .dropped, .interval_s, .level]] == [[1000000000, 11000000000, 3, 10, "info"], [21000000000, 31000000000, 4, 10, "info"], [41000000000, 45000000000, 1, 10, "info"]]
[.log[] | select(.event == "drops.summary") | .reasons] == [{"vlan: tagged frame on access port": 2, "flt: test drop": 1}, {"vlan: vlan not allowed on ingress port": 3, "vlan: untagged frame on trunk without native vlan": 1}, {"flt: test drop": 1}]
# Each summary's reasons add up to its count; all of them to the summary's counters, reason by reason.
all(.log[] | select(.event == "drops.summary"); .dropped == ([.reasons[]] | add))
([.log[] | select(.event == "drops.summary") | .dropped] | add) == .summary.totals.dropped
([.log[] | select(.event == "drops.summary") | .reasons | to_entries[]] | group_by(.key) | map({key: .[0].key, value: (map(.value) | add)}) | from_entries) == ([.summary.drops[] | select(.count > 0) | {key: (if .extension and .stage != "extension" then "\(.stage) (\(.extension)): \(.reason)" elif .extension then "\(.extension): \(.reason)" else "\(.stage): \(.reason)" end), value: .count}] | from_entries)
# The message names the biggest reason first, with its count.
([.log[] | select(.event == "drops.summary")][1].msg) == "4 packet(s) dropped in 10.0 s: vlan: vlan not allowed on ingress port (3), vlan: untagged frame on trunk without native vlan (1)"
