#!/usr/bin/env bash
# xswctl against a running xswd: every command, bad requests, access
# control, a dead socket, and an admin-down port's drops with the accounting
# invariant intact.  xswd runs a small replay in the background with
# --paused --hold, so the test configures the switch before the replay and
# looks at it after; the trap always stops it.  Every wait is bounded.
#   run.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 work=$2
. "$(dirname "$0")/lib.sh"
work_setup xsw-ctl
sock=$sock_dir/ctltest.sock

cat >"$work/traffic.txt" <<'EOF'
# 1: A broadcasts: flooded to p2 and p3 (p3 is admin down: that copy is
#    dropped).  2: B answers A on p2.  3: C on p3: dropped as p3 receives
#    nothing.  4: A to C, unknown: flooded again.
1.000 p1 eth src=02:00:00:00:00:0a dst=ff:ff:ff:ff:ff:ff ipv4 src=10.0.0.1 dst=10.0.0.255 udp sport=1 dport=2
1.001 p2 eth src=02:00:00:00:00:0b dst=02:00:00:00:00:0a ipv4 src=10.0.0.2 dst=10.0.0.1 udp sport=2 dport=1
1.002 p3 eth src=02:00:00:00:00:0c dst=02:00:00:00:00:0a ipv4 src=10.0.0.3 dst=10.0.0.1 udp sport=3 dport=1
1.003 p1 eth src=02:00:00:00:00:0a dst=02:00:00:00:00:0c ipv4 src=10.0.0.1 dst=10.0.0.3 udp sport=1 dport=3
EOF
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in" || exit 1
cat >"$work/ctl.yaml" <<'EOF'
switch: { name: ctltest }
control: { group: nogroup }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out/p1.pcap }
  - { name: p2, type: pcap, rx: in/p2.pcap, tx: out/p2.pcap }
  - { name: p3, type: pcap, rx: in/p3.pcap, tx: out/p3.pcap }
extensions:
  - { module: flowmon }
  - { module: flowtable, name: ft1, config: { default: normal } }
  - { module: flowtable, name: ft2, enabled: false, config: { default: normal } }
EOF

# --- Before xswd runs: a dead socket ----------------------------------------
refused dead 3 \
    "xswctl: cannot connect to $sock: No such file or directory (is xswd running?)" \
    switch show

# --- Start, paused ------------------------------------------------------------
xswd_bg xswd "$work/ctl.yaml" --paused
jctl paused switch show
expect_jq "paused before the replay" "$work/paused.json" \
    '.state == "paused" and .totals.rx == 0 and .switch == "ctltest"'
stat -c %a "$sock" >"$work/mode"
expect_line "socket mode with a group" "$work/mode" "660"

# A second xswd on the same socket is refused.
"$bin/xswd" -c "$work/ctl.yaml" --control "$sock" --hold -q \
    >/dev/null 2>"$work/second.err"
expect_rc "second xswd" 2 $?
expect_line "second xswd" "$work/second.err" \
    "xswd: control socket $sock is in use by another xswd"

# --- Admin down, then the replay ---------------------------------------------
jctl down port set p3 admin down
expect_jq "admin down" "$work/down.json" '.admin == "down" and .name == "p3"'
jctl resume switch resume
expect_jq "resume" "$work/resume.json" '.paused == false'
wait_until 20 state_is held || fail "the replay did not finish within 20 s"

jctl counters counters
expect_jq "totals" "$work/counters.json" \
    '.totals.rx == 4 and .totals.tx == 3 and .totals.delivered == 3 and .totals.dropped == 1'
expect_jq "admin-down receive drop" "$work/counters.json" \
    '.drops[] | select(.reason == "port is administratively down (received)") | .stage == "port" and .count == 1 and .copies == 1'
expect_jq "admin-down send drops" "$work/counters.json" \
    '.drops[] | select(.reason == "egress port is administratively down") | .stage == "egress" and .count == 0 and .copies == 2'
expect_jq "accounting invariant" "$work/counters.json" \
    '.totals.rx + .totals.injected == .totals.delivered + .totals.dropped and .totals.dropped == ([.drops[].count] | add)'

# --- switch show, port list/show, help ---------------------------------------
jctl show switch show
expect_jq "switch show" "$work/show.json" \
    '.state == "held" and .clock_ns == 1003000000 and (.ports | length) == 3 and (.extensions | map(.name)) == ["flowmon", "ft1", "ft2"] and .fdb.entries == 2'
expect_jq "per-port invariant" "$work/show.json" \
    'all(.ports[]; .rx == .delivered + .dropped)'
ctl switch show >"$work/show.txt"
expect_line "switch show table" "$work/show.txt" \
    "Switch ctltest (held): 4 frames received, 0 injected; 3 delivered, 1 dropped; 3 frames sent (clock 1.003000 s)"
expect_line "switch show drop line" "$work/show.txt" \
    "  egress: egress port is administratively down                      0          2"

jctl list port list
expect_jq "port list" "$work/list.json" \
    '[.ports[] | [.name, .admin, .vlan.mode, .rx]] == [["p1","up","access",2],["p2","up","access",1],["p3","down","access",1]]'
ctl port list >"$work/list.txt"
expect_line "port list table" "$work/list.txt" \
    "  p3           pcap    up   down  access 1                      1          0          0          1"
jctl p1 port show p1
expect_jq "port show" "$work/p1.json" \
    '.name == "p1" and .id == 0 and .up and .admin == "up" and .vlan == {"mode": "access", "vid": 1} and .rx == 2 and .tx == 1'
ctl port show p1 >"$work/p1.txt"
expect_line "port show table" "$work/p1.txt" "  admin      up"
expect_line "port show table" "$work/p1.txt" "  vlan       access 1"

jctl help help
expect_jq "help lists every command" "$work/help.json" \
    '[.commands[].cmd] == ["help","switch.show","switch.pause","switch.resume","port.list","port.show","port.set","fdb.show","fdb.flush","ext.list","ext.enable","ext.disable","ext.move","ext.call","counters","reload","trace","trace.live.start","trace.live.results","trace.live.stop","capture.start","capture.stop","capture.list"]'
expect_jq "help marks changes" "$work/help.json" \
    '[.commands[] | select(.changes) | .cmd] == ["switch.pause","switch.resume","port.set","fdb.flush","ext.enable","ext.disable","ext.move","ext.call","reload","trace","trace.live.start","trace.live.results","trace.live.stop","capture.start","capture.stop"]'

# --- MAC table -----------------------------------------------------------------
jctl fdb fdb show
expect_jq "fdb show" "$work/fdb.json" \
    '.count == 2 and ([.entries[] | [.mac, .vlan, .port]] | sort) == [["02:00:00:00:00:0a",1,"p1"],["02:00:00:00:00:0b",1,"p2"]]'
jctl fdbp fdb show port p2
expect_jq "fdb show port" "$work/fdbp.json" \
    '.count == 1 and .entries[0].mac == "02:00:00:00:00:0b" and .entries[0].idle_ns == 2000000'
jctl fdbv fdb show vlan 2
expect_jq "fdb show vlan" "$work/fdbv.json" '.count == 0'
ctl fdb show port p1 >"$work/fdb.txt"
expect_line "fdb show table" "$work/fdb.txt" \
    "  02:00:00:00:00:0a    1  p1                  0.000"
jctl flush1 fdb flush port p1 vlan 1
expect_jq "fdb flush port vlan" "$work/flush1.json" '.flushed == 1'
jctl fdb2 fdb show
expect_jq "flushed entry gone" "$work/fdb2.json" \
    '.count == 1 and .entries[0].port == "p2"'

# --- Port settings ---------------------------------------------------------------
jctl trunk port set p2 vlan trunk 10,20-30 native 5
expect_jq "vlan trunk" "$work/trunk.json" \
    '.vlan == {"mode": "trunk", "allowed": "5,10,20-30", "native": 5} and .fdb_flushed == 1'
jctl access port set p2 vlan access 7
expect_jq "vlan access" "$work/access.json" \
    '.vlan == {"mode": "access", "vid": 7} and .fdb_flushed == 0'
jctl up port set p3 admin up vlan trunk all
expect_jq "admin up, all VLANs" "$work/up.json" \
    '.admin == "up" and .vlan == {"mode": "trunk", "allowed": "1-4094"}'
refused badadmin 1 "xswctl: port.set: admin must be 'up' or 'down', not 'sideways'" \
    port set p1 admin sideways
refused badvid 1 "xswctl: port.set: vlan.vid: 5000 is out of range [1, 4094]" \
    port set p1 vlan access 5000
refused badlist 1 "xswctl: port.set: vlan.allowed: '30-20' is not a VLAN or range in [1, 4094]" \
    port set p1 vlan trunk 10,30-20
refused noport 1 "xswctl: port 'p9' does not exist" port show p9
refused fdbvid 1 "xswctl: fdb.show: argument 'vlan': 0 is out of range [1, 4094]" \
    fdb show vlan 0
jctl fdbflush fdb flush
expect_jq "fdb flush all" "$work/fdbflush.json" '.flushed == 0'

# --- Extensions ------------------------------------------------------------------
jctl exts ext list
expect_jq "ext list" "$work/exts.json" \
    '[.extensions[] | [.position, .name, .role, .enabled]] == [[1,"flowmon","inspect",true],[2,"ft1","forward",true],[3,"ft2","forward",false]]'
expect_jq "ext list counters" "$work/exts.json" \
    '.extensions[0].counters["udp packets"] == 3 and .extensions[0].stats["flows active"] >= 1'
refused second_fwd 1 \
    "xswctl: cannot enable forward extension 'ft2': 'ft1' is enabled (only one forward extension may be; disable it first)" \
    ext enable ft2
jctl dis ext disable ft1
expect_jq "ext disable" "$work/dis.json" '.name == "ft1" and .enabled == false and .position == 2'
jctl en ext enable ft2
expect_jq "ext enable" "$work/en.json" '.name == "ft2" and .enabled and .position == 3'
jctl move ext move flowmon after ft2
expect_jq "ext move after" "$work/move.json" '.order == ["ft1", "ft2", "flowmon"]'
jctl move2 ext move ft2 before ft1
expect_jq "ext move before" "$work/move2.json" '.order == ["ft2", "ft1", "flowmon"]'
ctl ext move flowmon before ft2 >"$work/move3.txt"
expect_line "ext move text" "$work/move3.txt" "chain order: flowmon, ft2, ft1"
refused moveself 1 "xswctl: ext.move: cannot move 'ft1' before itself" \
    ext move ft1 before ft1
jctl call ext call flowmon top
expect_jq "ext call" "$work/call.json" '.output | test("^flows active 3, hosts tracked 4\n")'
refused callbad 1 \
    "xswctl: flowmon: unknown command 'frob' (commands: export [PATH], top)" \
    ext call flowmon frob
refused callnone 1 "xswctl: extension 'ft1' has no control commands" \
    ext call ft1 show
refused noext 1 "xswctl: extension 'nope' does not exist" ext disable nope
jctl summary2 switch show
expect_jq "order in the summary" "$work/summary2.json" \
    '[.extensions[] | [.name, .enabled]] == [["flowmon",true],["ft2",true],["ft1",false]]'

# --- Bad requests ----------------------------------------------------------------
refused unknown 2 \
    "xswctl: unknown command 'frob nicate' (commands: help, switch show, switch pause, switch resume, port list, port show, port set, fdb show, fdb flush, ext list, ext enable, ext disable, ext move, ext call, counters, reload, trace, capture start, capture stop, capture list)" \
    frob nicate
refused usage 2 "xswctl: port show takes one NAME (usage: xswctl port show NAME)" \
    port show
refused usage2 2 "xswctl: fdb show bad filter (usage: xswctl fdb show [port NAME] [vlan VID])" \
    fdb show vlan ten
"$bin/xswctl" >/dev/null 2>&1
expect_rc "no command" 2 $?

printf '{"id":1,"cmd":"nope"}\n{"id":2,"cmd":"port.show","args":{"nmae":"p1"}}\n{bad\n{"id":4,"cmd":"help","extra":1}\n[1]\n\n{"id":6,"cmd":"switch.show","args":{}}\n' | raw bad
expect_jqs "raw: one reply per request" "$work/bad.json" 'length == 6'
jq -s . "$work/bad.json" >"$work/bad.all.json" 2>/dev/null
expect_jq "raw: unknown command" "$work/bad.all.json" \
    '.[0] == {"id":1,"ok":false,"error":{"code":"ENOENT","message":"unknown command '"'nope'"' (commands: help, switch.show, switch.pause, switch.resume, port.list, port.show, port.set, fdb.show, fdb.flush, ext.list, ext.enable, ext.disable, ext.move, ext.call, counters, reload, trace, trace.live.start, trace.live.results, trace.live.stop, capture.start, capture.stop, capture.list)"}}'
expect_jq "raw: unknown argument" "$work/bad.all.json" \
    '.[1] == {"id":2,"ok":false,"error":{"code":"EINVAL","message":"port.show: unknown argument '"'nmae'"' (arguments: name)"}}'
expect_jq "raw: malformed JSON" "$work/bad.all.json" \
    '.[2].id == null and .[2].error.code == "EPROTO" and (.[2].error.message | startswith("malformed JSON at column"))'
expect_jq "raw: unknown request key" "$work/bad.all.json" \
    '.[3] == {"id":4,"ok":false,"error":{"code":"EPROTO","message":"unknown key '"'extra'"' in request (keys: id, cmd, args)"}}'
expect_jq "raw: not an object" "$work/bad.all.json" \
    '.[4].error == {"code":"EPROTO","message":"a request is a JSON object, one per line"}'
expect_jq "raw: the connection survives errors" "$work/bad.all.json" \
    '.[5].id == 6 and .[5].ok and .[5].result.state == "held"'

{ head -c 70000 /dev/zero | tr '\0' 'a'; printf '\n{"id":9,"cmd":"help"}\n'; } | raw big
expect_jqs "raw: oversized line, then closed" "$work/big.json" \
    '. == [{"id":null,"ok":false,"error":{"code":"E2BIG","message":"request line over 65536 bytes"}}]'

# 16 clients at most: the 17th is told and closed.
for i in $(seq 16); do
    socat -u "UNIX-CONNECT:$sock" STDOUT >/dev/null 2>&1 &
    pids+=($!)
done
# Until xswd has accepted all 16 (the server's ends of established
# connections carry the socket's path in ss's listing).
accepted() { [ "$(ss -xH | grep -cF " $sock ")" -ge 16 ]; }
wait_until 20 accepted || fail "xswd did not accept 16 clients within 20 s"
timeout 10 socat -u "UNIX-CONNECT:$sock" STDOUT >"$work/busy.json" \
    2>"$work/busy.socat"
expect_jqs "17th client" "$work/busy.json" \
    '.[0].error == {"code":"EBUSY","message":"too many control clients (at most 16); try again later"}'
refused busy_ctl 1 "xswctl: too many control clients (at most 16); try again later" \
    counters
# Once they have been idle for 10 s, the idlest makes room.
if wait_until 30 ctl counters; then ok; else
    fail "no idle client made room within 30 s"
fi
for p in "${pids[@]:1}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
pids=("$xswd_pid")
wait_until 10 ctl switch show || fail "xswd did not serve again after the clients left"

# --- Access: other users ---------------------------------------------------------
# Group nogroup may read, not change.
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${nobody[@]}" "$bin/xswctl" -s "$sock" --json port list >"$work/ro.json" 2>"$work/ro.err"
expect_rc "group member reads" 0 $?
expect_jq "group member reads" "$work/ro.json" '(.ports | length) == 3'
"${nobody[@]}" "$bin/xswctl" -s "$sock" port set p1 admin down >/dev/null 2>"$work/rw.err"
expect_rc "group member changes" 1 $?
expect_line "group member changes" "$work/rw.err" \
    "xswctl: port.set changes the switch: uid 65534 (group 'nogroup') may run read-only commands only (control.group_admin is false)"
# Outside the group: the file's mode stops it; with the mode opened, the
# peer's credentials still do.
other=(setpriv --reuid=65534 --regid=4242 --clear-groups)
"${other[@]}" "$bin/xswctl" -s "$sock" port list >/dev/null 2>"$work/other.err"
expect_rc "other user, socket mode" 3 $?
expect_line "other user, socket mode" "$work/other.err" \
    "xswctl: cannot connect to $sock: Permission denied (is xswd running?)"
chmod 0666 "$sock"
"${other[@]}" "$bin/xswctl" -s "$sock" port list >/dev/null 2>"$work/other2.err"
expect_rc "other user, credentials" 1 $?
expect_line "other user, credentials" "$work/other2.err" \
    "xswctl: uid 65534 may not use this control socket (root, the uid xswd runs as and group 'nogroup' may)"
# It is told at once and closed: it holds no client slot.
timeout 5 "${other[@]}" socat -u "UNIX-CONNECT:$sock" STDOUT \
    >"$work/other3.json" 2>"$work/other3.socat"
expect_rc "outsider closed at once" 0 $?
expect_jqs "outsider told at once" "$work/other3.json" \
    'length == 1 and .[0].id == null and .[0].error.code == "EACCES"'
chmod 0660 "$sock"

# --- Pause on a finished replay, then stop ----------------------------------------
jctl pause switch pause
expect_jq "pause" "$work/pause.json" '.paused == true'
jctl resume2 switch resume
xswd_stop "xswd stopped by SIGTERM after the replay"
pids=()
expect_jq "summary after stop" "$work/xswd.summary.json" \
    '.totals.rx + .totals.injected == .totals.delivered + .totals.dropped and all(.ports[]; .rx == .delivered + .dropped)'
[ ! -e "$sock" ] && ok || fail "xswd left $sock behind"
refused dead2 3 \
    "xswctl: cannot connect to $sock: No such file or directory (is xswd running?)" \
    counters

# --- A stale socket file is replaced ------------------------------------------------
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$sock"
refused stale 3 \
    "xswctl: cannot connect to $sock: Connection refused (is xswd running?)" \
    counters
"$bin/xswd" -c "$work/ctl.yaml" --control "$sock" -q --summary-json "$work/s2.json" \
    >/dev/null 2>"$work/stale.err"
expect_rc "replay with --control over a stale socket" 0 $?
[ ! -e "$sock" ] && ok || fail "xswd left $sock behind after the replay"
: >"$work/notsock"
"$bin/xswd" -c "$work/ctl.yaml" --control "$work/notsock" -q \
    >/dev/null 2>"$work/notsock.err"
expect_rc "not a socket" 2 $?
expect_line "not a socket" "$work/notsock.err" \
    "xswd: control socket $work/notsock: the file exists and is not a socket (remove it, or choose another path)"

echo "ctl: $passes passed, $fails failed"
[ "$fails" = 0 ]
