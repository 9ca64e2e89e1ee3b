#!/usr/bin/env bash
# Captures and traces through xswctl (docs/control.md): captures at every
# kind of point, with a filter and a count, in pcap and pcapng, read back
# with libpcap (xsw-pcap-diff --dump) and, when it is installed, tshark;
# the drop reasons in pcapng comments; paths refused on command; the
# capture limit; traces asserted stage by stage (JSON with jq, and one
# table line), and that a trace sends, learns and counts nothing.  xswd
# runs a replay with --paused --hold; the trap always stops it.
#   tap.sh BIN_DIR WORK_DIR   (XSW_EXTENSION_PATH: the test modules)
set -uo pipefail
bin=$1 work=$2
. "$(dirname "$0")/lib.sh"
work_setup xsw-tap
sock=$sock_dir/taptest.sock


cp "$(dirname "$0")/traffic.txt" "$work/traffic.txt"
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in" || exit 1
mkdir -p "$work/caps" "$work/out"
cat >"$work/tap.yaml" <<'EOF'
switch: { name: taptest }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out/p1.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p2, type: pcap, rx: in/p2.pcap, tx: out/p2.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p3, type: pcap, rx: in/p3.pcap, tx: out/p3.pcap, vlan: { mode: trunk, allowed: [10, 20] } }
extensions:
  - { module: flowmon }
  - { module: role_filter, name: f6, config: { drop_ethertype: 0x86dd } }
  - { module: role_filter, name: eg, enabled: false, config: { drop_on_egress: p2 } }
  - { module: role_filter, name: inj, enabled: false, config: { inject_tx: p2 } }
EOF

xswd_bg xswd "$work/tap.yaml" --paused

# --- Captures, started before the replay ------------------------------------
jctl c1 capture start rx1 --at port:p1:rx --file caps/rx1.pcap
expect_jq "capture start" "$work/c1.json" \
    ".name == \"rx1\" and .point == \"port:p1:rx\" and .format == \"pcap\" and .state == \"running\" and .packets == 0 and .file == \"$work/caps/rx1.pcap\" and .filter == null and .count == null"
jctl c2 capture start tx3 --at port:p3:tx --file caps/tx3.pcapng --pcapng
jctl c3 capture start drops --at drop --file caps/drops.pcapng --pcapng
jctl c4 capture start dns --at port:p1:rx --filter "udp dst port 53" --file caps/dns.pcap
expect_jq "capture with a filter" "$work/c4.json" '.filter == "udp dst port 53"'
jctl c5 capture start f6pass --at ext:f6 --count 2 --file caps/f6.pcap
jctl c6 capture start dropspcap --at drop --file caps/drops.pcap
jctl c7 capture start tx2 --at port:p2:tx --file caps/tx2.pcap

# Refusals: each names what is wrong.
refused dup 1 "xswctl: capture 'rx1' exists (stop it first: capture stop rx1)" \
    capture start rx1 --at drop --file caps/x.pcap
refused point 1 "xswctl: capture.start: unknown point 'port:p1' (points: port:NAME:rx, port:NAME:tx, ext:NAME, drop)" \
    capture start x --at port:p1 --file caps/x.pcap
refused noport 1 "xswctl: port 'p9' does not exist" \
    capture start x --at port:p9:tx --file caps/x.pcap
refused noext 1 "xswctl: extension 'nope' does not exist" \
    capture start x --at ext:nope --file caps/x.pcap
refused filter 1 "xswctl: capture.start: filter 'udp port': can't parse filter expression: syntax error" \
    capture start x --at drop --filter "udp port" --file caps/x.pcap
refused name 1 "xswctl: capture.start: name 'a b' must be 1 to 32 letters, digits, '.', '_' or '-'" \
    capture start "a b" --at drop --file caps/x.pcap
refused busy 1 "xswctl: capture.start: $work/caps/rx1.pcap is being written by capture 'rx1'" \
    capture start x --at drop --file caps/rx1.pcap
refused nofile 2 "xswctl: capture start needs --file PATH (usage: xswctl capture start NAME --at POINT [--filter BPF] [--count N] --file PATH [--pcapng])" \
    capture start x --at drop
refused badcount 2 "xswctl: capture start takes --count N, N from 1 (usage: xswctl capture start NAME --at POINT [--filter BPF] [--count N] --file PATH [--pcapng])" \
    capture start x --at drop --count 0 --file caps/x.pcap
# Paths on command stay under the config's directory.
refused abs 1 "xswctl: capture.start: '/tmp/x.pcap': give a path relative to $work without '..' (files written on command stay under the config's directory)" \
    capture start x --at drop --file /tmp/x.pcap
refused dotdot 1 "xswctl: capture.start: 'caps/../../x.pcap': give a path relative to $work without '..' (files written on command stay under the config's directory)" \
    capture start x --at drop --file caps/../../x.pcap
outside=$(mktemp -d /tmp/xsw-tap-out-XXXXXX)
ln -s "$outside" "$work/linkdir"
refused linkdir 1 "xswctl: capture.start: 'linkdir/x.pcap' leads outside $work (to $outside)" \
    capture start x --at drop --file linkdir/x.pcap
ln -s "$outside/target.pcap" "$work/caps/link.pcap"
refused linkfile 1 "xswctl: capture.start: $work/caps/link.pcap: is a symbolic link" \
    capture start x --at drop --file caps/link.pcap
[ -z "$(ls -A "$outside")" ] && ok || fail "a refused capture wrote into $outside"
rm -rf "$outside"
# The eighth capture is the last.
jctl c8 capture start last --at drop --file caps/last.pcap
refused limit 1 "xswctl: at most 8 captures at once, running or done (stop one first: capture stop NAME)" \
    capture start ninth --at drop --file caps/ninth.pcap
jctl s8 capture stop last
expect_jq "capture stop" "$work/s8.json" '.name == "last" and .state == "stopped" and .packets == 0'
refused nostop 1 "xswctl: capture 'last' does not exist" capture stop last

# --- The replay ---------------------------------------------------------------
jctl resume switch resume
wait_until 20 state_is held || fail "the replay did not finish within 20 s"
jctl list capture list
expect_jq "capture list" "$work/list.json" \
    '.max == 8 and ([.captures[] | [.name, .packets, .state]] == [["rx1",4,"running"],["tx3",2,"running"],["drops",2,"running"],["dns",1,"running"],["f6pass",2,"done"],["dropspcap",2,"running"],["tx2",3,"running"]])'
ctl capture list >"$work/list.txt"
expect_line "capture list table" "$work/list.txt" \
    "  f6pass       ext:f6               pcap             2          2 done     $work/caps/f6.pcap"
expect_line "capture list table" "$work/list.txt" "7 captures (at most 8)"

# A trace while captures run: the dry run is not captured.
ctl trace p1 --pcap "$work/in/p1.pcap" --frame 2 >/dev/null
jctl list2 capture list
expect_jq "a trace is not captured" "$work/list2.json" \
    '[.captures[] | .packets] == [4,2,2,1,2,2,3]'

for c in rx1 tx3 drops dns f6pass dropspcap tx2; do
    jctl "stop-$c" capture stop "$c"
done
expect_jq "stop a done capture" "$work/stop-f6pass.json" '.state == "done" and .packets == 2'
jctl list3 capture list
expect_jq "none left" "$work/list3.json" '.captures == []'

# Read back with libpcap.
expect_eq "rx1 frames" 4 "$(frames "$work/caps/rx1.pcap")"
expect_eq "dns frames" 1 "$(frames "$work/caps/dns.pcap")"
expect_eq "f6 frames (count 2)" 2 "$(frames "$work/caps/f6.pcap")"
expect_eq "tx2 frames" 3 "$(frames "$work/caps/tx2.pcap")"
expect_eq "tx3 frames (pcapng)" 2 "$(frames "$work/caps/tx3.pcapng")"
expect_eq "drops frames (pcapng)" 2 "$(frames "$work/caps/drops.pcapng")"
expect_eq "drops frames (pcap)" 2 "$(frames "$work/caps/drops.pcap")"
"$bin/xsw-pcap-diff" --dump "$work/caps/dns.pcap" >"$work/dns.txt"
grep -q "udp 5>53" "$work/dns.txt" && ok ||
    { fail "dns capture holds the wrong frame:"; cat "$work/dns.txt" >&2; }
# What p3 sent is what its capture holds: tagged with VLAN 10.
"$bin/xsw-pcap-diff" --ignore-time "$work/caps/tx3.pcapng" "$work/out/p3.pcap" 2>/dev/null
expect_rc "tx3 capture = out/p3.pcap" 0 $?
"$bin/xsw-pcap-diff" --ignore-time "$work/caps/rx1.pcap" "$work/in/p1.pcap" >/dev/null
expect_rc "rx1 capture = in/p1.pcap" 0 $?
"$bin/xsw-pcap-diff" --dump "$work/caps/tx3.pcapng" >"$work/tx3.txt"
[ "$(grep -c "vlan 10" "$work/tx3.txt")" = 2 ] && ok ||
    { fail "tx3 frames are not tagged 10:"; cat "$work/tx3.txt" >&2; }
if command -v tshark >/dev/null; then
    tshark -r "$work/caps/drops.pcapng" -T fields -e frame.comment \
        >"$work/comments.txt" 2>"$work/tshark.err"
    expect_rc "tshark reads the pcapng" 0 $?
    expect_line "drop comment" "$work/comments.txt" "f6: test drop"
    expect_line "drop comment" "$work/comments.txt" "vlan: vlan not allowed on ingress port"
    tshark -r "$work/caps/tx3.pcapng" -T fields -e vlan.id >"$work/vid.txt" 2>/dev/null
    expect_eq "tshark: tx3 tagged 10" "10 10" "$(tr '\n' ' ' <"$work/vid.txt" | sed 's/ $//')"
else
    echo "tap: tshark not installed: pcapng comments not checked with it"
fi
# The comments, without tshark: the option's bytes in the file.
grep -c "f6: test drop" "$work/caps/drops.pcapng" >"$work/ngc.txt"
expect_line "pcapng drop comment bytes" "$work/ngc.txt" "1"

# --- Traces ---------------------------------------------------------------------
jctl before counters
jctl portsbefore port list
jctl fdbbefore fdb show

# 1: the broadcast: every stage.
jctl t1 trace p1 --pcap "$work/in/p1.pcap" --frame 1
expect_jq "stages" "$work/t1.json" \
    '[.[].stage] == ["parse","vlan","ingress","ingress","forward","egress","tx","egress","tx","result"]'
expect_jq "parse" "$work/t1.json" \
    '.[0] | .src == "02:00:00:00:00:0a" and .dst == "ff:ff:ff:ff:ff:ff" and .ethertype == 2048 and .tag_vid == null and .ip_version == 4 and .ip_proto == 17 and .src_ip == "10.0.0.1" and .dst_ip == "10.0.0.255" and .src_port == 1 and .dst_port == 2 and .size == 42'
expect_jq "vlan" "$work/t1.json" \
    '.[1] | .port == "p1" and .policy == "access 10" and .result == "pass" and .vlan == 10'
expect_jq "inspect" "$work/t1.json" \
    '.[2] | .ext == "flowmon" and .role == "inspect" and .verdict == "seen" and .direction == "ingress"'
expect_jq "filter with its note" "$work/t1.json" \
    '.[3] | .ext == "f6" and .role == "filter" and .verdict == "pass" and .notes == ["ethertype 0x0800: pass"]'
expect_jq "forward" "$work/t1.json" \
    '.[4] | .by == "l2" and .decision == "broadcast" and .ports == ["p2","p3"]'
expect_jq "egress" "$work/t1.json" \
    '.[5] | .ext == "f6" and .direction == "egress" and .port == "p2" and .verdict == "pass"'
expect_jq "tx untagged" "$work/t1.json" \
    '.[6] | .port == "p2" and .result == "sent" and .tag_vid == null and .size == 42'
expect_jq "tx tagged" "$work/t1.json" \
    '.[8] | .port == "p3" and .result == "sent" and .tag_vid == 10 and .size == 46'
expect_jq "result" "$work/t1.json" \
    '.[9] | .fate == "delivered" and .sent == ["p2","p3"] and .drops == [] and .injected == 0'

# 2: dropped by an extension, with its reason and note.
jctl t2 trace p1 --pcap "$work/in/p1.pcap" --frame 2
expect_jq "extension drop" "$work/t2.json" \
    '[.[].stage] == ["parse","vlan","ingress","ingress","result"] and (.[3] | .verdict == "drop" and .reason == "f6: test drop" and .notes == ["ethertype 0x86dd: drop"]) and (.[4] | .fate == "dropped" and .drops == [{"port": null, "reason": "f6: test drop"}])'

# 3: FDB hit, and the table line for people.
jctl t3 trace p2 --pcap "$work/in/p2.pcap"
expect_jq "fdb hit" "$work/t3.json" \
    '.[4] | .by == "l2" and .decision == "fdb hit" and .fdb_port == "p1" and .ports == ["p1"]'
hex=$(ctl --json trace p2 --pcap "$work/in/p2.pcap" | jq -r 'length')
expect_eq "--json prints the stages array" 8 "$hex"
ctl trace p2 02:00:00:00:00:0a:02:00:00:00:00:0b:08:00:45:00:00:1c:00:00:00:00:40:11:00:00:0a:00:00:02:0a:00:00:01:00:02:00:01:00:08:00:00 >"$work/t3.txt"
expect_line "trace table" "$work/t3.txt" \
    "  forward  l2: FDB hit, 02:00:00:00:00:0a VLAN 10 on p1: to p1"
expect_line "trace table" "$work/t3.txt" \
    "  vlan     p2 (access 10): VLAN 10"
expect_line "trace table" "$work/t3.txt" "  result   delivered on p1"

# 4: the VLAN policy drops it.
jctl t4 trace p3 --pcap "$work/in/p3.pcap" --json
expect_jq "vlan drop" "$work/t4.json" \
    '[.[].stage] == ["parse","vlan","result"] and (.[0].tag_vid == 30) and (.[1] | .policy == "trunk, no native VLAN" and .result == "drop" and .reason == "vlan: vlan not allowed on ingress port")'

# 5: an unknown source and destination: FDB miss, and nothing learned.
ctl --json trace p1 02000000000e02000000000f0800450000140000000040ff00000a0000050a000006 >"$work/t5.json"
expect_jq "fdb miss" "$work/t5.json" \
    '.[4] | .decision == "fdb miss" and .ports == ["p2","p3"]'

# A frame with a bad IPv4 header is switched, and its parse flags shown.
jctl t5b trace p1 02000000000b02000000000a08004f00001400000000401100000a0000010a000002
expect_jq "malformed" "$work/t5b.json" '(.[0].flags > 0) and .[-1].fate == "delivered"'

# 6: an egress drop, per port.
ctl ext enable eg >/dev/null
jctl t6 trace p1 --pcap "$work/in/p1.pcap" --frame 1
expect_jq "egress drop" "$work/t6.json" \
    '(map(select(.stage == "egress" and .ext == "eg" and .port == "p2"))[0] | .verdict == "drop" and .reason == "eg: test egress drop" and .notes == ["dropping all to port 1"]) and (.[-1] | .fate == "delivered" and .sent == ["p3"] and .drops == [{"port": "p2", "reason": "eg: test egress drop"}])'
ctl ext disable eg >/dev/null

# 7: an injection is shown, not made.
ctl ext enable inj >/dev/null
jctl t7 trace p1 --pcap "$work/in/p1.pcap" --frame 1
expect_jq "inject" "$work/t7.json" \
    '(map(select(.stage == "inject"))[0] | .ext == "inj" and .how == "tx" and .port == "p2" and .size == 42) and .[-1].injected == 1'
ctl ext disable inj >/dev/null

# A port administratively down refuses the frame.
ctl port set p2 admin down >/dev/null
jctl t8 trace p2 --pcap "$work/in/p2.pcap"
expect_jq "admin down" "$work/t8.json" \
    '[.[].stage] == ["rx","result"] and .[0].reason == "port: port is administratively down (received)"'
ctl port set p2 admin up >/dev/null

# Nothing counted, learned or sent.
jctl after counters
jq -e --slurpfile b "$work/before.json" '. == $b[0]' "$work/after.json" >/dev/null &&
    ok || fail "a trace changed the counters"
jctl portsafter port list
jq -e --slurpfile b "$work/portsbefore.json" '. == $b[0]' "$work/portsafter.json" >/dev/null &&
    ok || fail "a trace changed the port counters"
jctl fdbafter fdb show
jq -e --slurpfile b "$work/fdbbefore.json" '[.entries[].mac] == [$b[0].entries[].mac]' \
    "$work/fdbafter.json" >/dev/null && ok || fail "a trace changed the MAC table"

# Errors.
refused tport 1 "xswctl: port 'p9' does not exist" trace p9 00
refused thex 2 "xswctl: trace needs the frame as hex digits, two a byte (usage: xswctl trace PORT HEX | PORT --pcap FILE [--frame N] [--json] | --live [PORT] [--filter BPF] [--count N] [--timeout S] [--json])" \
    trace p1 0g
refused tframe 2 "xswctl: trace: $work/in/p1.pcap: no frame 9 (it has 4)" \
    trace p1 --pcap "$work/in/p1.pcap" --frame 9
refused tbig 1 "xswctl: trace: frame: 18434 hex digits (two a byte, 1 to 9216 bytes)" \
    trace p1 "$(head -c 9217 /dev/zero | od -An -v -tx1 | tr -d ' \n')"

xswd_stop "xswd stopped by SIGTERM after the replay"
pids=()
expect_jq "summary: replay only" "$work/xswd.summary.json" \
    '.totals.rx == 6 and .totals.injected == 0 and .totals.rx == .totals.delivered + .totals.dropped'
expect_eq "out/p2 frames: the replay's only" 3 "$(frames "$work/out/p2.pcap")"

echo "tap: $passes passed, $fails failed"
[ "$fails" = 0 ]
