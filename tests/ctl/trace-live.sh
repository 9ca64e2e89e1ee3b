#!/usr/bin/env bash
# Live traces through xswctl (docs/control.md#live-traces): the journeys
# of the next N real packets a BPF filter takes, asserted stage by stage
# (JSON with jq, and the table for people) against what the switch did;
# that they are really switched (the counters and output files are those
# of the same replay untraced); a capture running at the same time; a
# port restriction; the timeout, interrupt, bad filter and second session
# errors.  Each scenario runs its own replay with --paused --hold: the
# live trace is started first, then the replay resumed.  Every wait is
# bounded; the trap stops every process started.
#   trace-live.sh BIN_DIR WORK_DIR   (XSW_EXTENSION_PATH: the test modules)
set -uo pipefail
bin=$1 work=$2
. "$(dirname "$0")/lib.sh"
work_setup xsw-live


# tap.sh's six frames (traffic.txt), and: 7: A to D (unknown), DNS: FDB
# miss, flooded.  8: B to A, DNS.  The firewall (fw) denies frame 6.
cp "$(dirname "$0")/traffic.txt" "$work/traffic.txt"
cat >>"$work/traffic.txt" <<'EOF'
1.006 p1 eth src=02:00:00:00:00:0a dst=02:00:00:00:00:0d ipv4 src=10.0.0.1 dst=10.0.0.4 udp sport=6 dport=53
1.007 p2 eth src=02:00:00:00:00:0b dst=02:00:00:00:00:0a ipv4 src=10.0.0.2 dst=10.0.0.1 udp sport=53 dport=6
EOF
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in" || exit 1

# The switch, writing into out-NAME/ (one directory per run).
config() { # config NAME
    mkdir -p "$work/out-$1" "$work/caps"
    cat >"$work/$1.yaml" <<EOF
switch: { name: live$1 }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out-$1/p1.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p2, type: pcap, rx: in/p2.pcap, tx: out-$1/p2.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p3, type: pcap, rx: in/p3.pcap, tx: out-$1/p3.pcap, vlan: { mode: trunk, allowed: [10, 20] } }
extensions:
  - { module: flowmon }
  - { module: role_filter, name: f6, config: { drop_ethertype: 0x86dd } }
  - { module: role_filter, name: eg, enabled: false, config: { drop_on_egress: p2 } }
  - name: fw
    module: firewall
    config:
      default: allow
      rules: [{ name: noweb, proto: tcp, dst_port: 80, action: deny }]
EOF
}

# The reference: the same replay, untraced, without a control socket.
config ref
"$bin/xswd" -c "$work/ref.yaml" --summary-json "$work/ref-summary.json" \
    >"$work/ref.out" 2>"$work/ref.err"
expect_rc "reference replay" 0 $?

# start_switch NAME: a paused replay of config NAME on its own socket.
start_switch() {
    config "$1"
    sock=$sock_dir/$1.sock
    xswd_bg "$1" "$work/$1.yaml" --paused
}
# session_is N: live trace N exists (asking for its results takes none
# while the replay waits).
session_is() {
    printf '{"id":1,"cmd":"trace.live.results","args":{"session":%s}}\n' "$1" |
        raw probe && jq -e '.ok' "$work/probe.json" >/dev/null
}
# live NAME ARGS...: xswctl trace --live ARGS in the background, its
# output in NAME.out, NAME.err and its exit status in NAME.rc (NAME not
# a switch's: xswd writes SWITCH.out); waits
# (bounded) until its session 1 runs, then resumes the replay and waits
# for xswctl and for the replay to end.
live() {
    local name=$1 lpid
    shift
    ("$bin/xswctl" -s "$sock" trace --live "$@" >"$work/$name.out" \
        2>"$work/$name.err"; echo $? >"$work/$name.rc") &
    lpid=$!
    pids+=("$lpid")
    wait_until 20 session_is 1 || fail "$name: live trace 1 did not start"
    ctl switch resume >/dev/null
    wait "$lpid"
    wait_until 20 state_is held || fail "$name: the replay did not finish"
}

# --- A: DNS only, with a capture at the same time ----------------------------
start_switch a
jctl cap capture start dns --at port:p1:rx --filter "udp dst port 53" --file caps/a-dns.pcap
live a-live --filter "udp port 53" --count 3 --timeout 20 --json
expect_eq "A: exit status" 0 "$(cat "$work/a-live.rc")"
expect_eq "A: three journeys, one line each" 3 "$(wc -l <"$work/a-live.out")"
expect_jqs "A: numbers, ports, times" "$work/a-live.out" \
    '[.[] | [.number, .port, .ts_ns]] == [[1,"p1",1004000000],[2,"p1",1006000000],[3,"p2",1007000000]]'
expect_jqs "A: every journey's stages" "$work/a-live.out" \
    '[.[] | [.stages[].stage]] == [["parse","vlan","ingress","ingress","ingress","forward","egress","egress","tx","result"],["parse","vlan","ingress","ingress","ingress","forward","egress","egress","tx","egress","egress","tx","result"],["parse","vlan","ingress","ingress","ingress","forward","egress","egress","tx","result"]]'
expect_jqs "A: 1 parse" "$work/a-live.out" \
    '.[0].stages[0] | .src == "02:00:00:00:00:0a" and .dst == "02:00:00:00:00:0b" and .src_port == 5 and .dst_port == 53 and .size == 42'
expect_jqs "A: 1 vlan" "$work/a-live.out" \
    '.[0].stages[1] | .port == "p1" and .policy == "access 10" and .result == "pass" and .vlan == 10'
expect_jqs "A: 1 ingress chain, with the filter's note" "$work/a-live.out" \
    '[.[0].stages[2,3,4] | [.ext, .verdict]] == [["flowmon","seen"],["f6","pass"],["fw","pass"]] and .[0].stages[3].notes == ["ethertype 0x0800: pass"]'
expect_jqs "A: 1 FDB hit" "$work/a-live.out" \
    '.[0].stages[5] | .by == "l2" and .decision == "fdb hit" and .fdb_port == "p2" and .ports == ["p2"]'
expect_jqs "A: 1 egress chain, in reverse" "$work/a-live.out" \
    '[.[0].stages[6,7] | [.ext, .port, .verdict]] == [["fw","p2","pass"],["f6","p2","pass"]]'
expect_jqs "A: 1 sent, really" "$work/a-live.out" \
    '.[0].stages[8] | .port == "p2" and .result == "sent" and .tag_vid == null and .size == 42 and (.text | test("dry") | not)'
expect_jqs "A: 1 result" "$work/a-live.out" \
    '.[0].stages[-1] | .fate == "delivered" and .sent == ["p2"] and .drops == []'
expect_jqs "A: 2 FDB miss, flooded, p3 tagged" "$work/a-live.out" \
    '(.[1].stages[5] | .decision == "fdb miss" and .ports == ["p2","p3"]) and (.[1].stages[11] | .port == "p3" and .tag_vid == 10 and .size == 46) and .[1].stages[-1].sent == ["p2","p3"]'
expect_jqs "A: 3 FDB hit back to p1" "$work/a-live.out" \
    '.[2].stages[5] | .decision == "fdb hit" and .fdb_port == "p1" and .ports == ["p1"]'
# The capture ran beside the trace and saw p1's two DNS frames.
jctl caplist capture list
expect_jq "A: the capture ran too" "$work/caplist.json" \
    '[.captures[] | [.name, .packets, .state]] == [["dns",2,"running"]]'
jctl capstop capture stop dns
expect_eq "A: capture frames" 2 "$(frames "$work/caps/a-dns.pcap")"
# The session is gone: xswctl stopped it.
printf '{"id":1,"cmd":"trace.live.stop","args":{"session":1}}\n' | raw gone
expect_jq "A: xswctl stopped its session" "$work/gone.json" \
    '.error == {"code":"ENOENT","message":"live trace 1 does not exist"}'
xswd_stop "xswd stopped after the replay"
# Not a dry run: switched, learned and counted as without the trace.
jq -e --slurpfile r "$work/ref-summary.json" \
    '.totals == $r[0].totals and .ports == $r[0].ports and .drops == $r[0].drops and .fdb.learned == $r[0].fdb.learned' \
    "$work/a.summary.json" >/dev/null && ok ||
    fail "A: the traced replay's counters differ from the untraced one"
expect_jq "A: counters moved" "$work/a.summary.json" \
    '.totals.rx == 8 and .totals.tx > 0 and .fdb.learned >= 2'
for p in p1 p2 p3; do
    "$bin/xsw-pcap-diff" "$work/out-a/$p.pcap" "$work/out-ref/$p.pcap" >/dev/null 2>&1
    expect_rc "A: out/$p.pcap as untraced" 0 $?
done

# --- B: the drops, and one session at a time -----------------------------
# eg drops every copy towards p2 on egress.
start_switch b
ctl ext enable eg >/dev/null
# Session 1 is a raw one: xswctl's is refused while it runs.  ("vlan"
# comes last: in libpcap it moves the offsets of what follows it.)
printf '{"id":1,"cmd":"trace.live.start","args":{"filter":"udp dst port 2 or ip6 or tcp or vlan","count":4}}\n' | raw start1
expect_jq "B: raw start" "$work/start1.json" \
    '.ok and (.result | .session == 1 and .filter == "udp dst port 2 or ip6 or tcp or vlan" and .count == 4 and .port == null and .traced == 0 and .complete == 0 and .state == "running")'
refused busy 1 "xswctl: trace.live.start: live trace 1 is running (one at a time; it ends when its client stops it, or 30 s after its client last asked for results)" \
    trace --live --count 1 --timeout 5
ctl switch resume >/dev/null
wait_until 20 state_is held || fail "B: the replay did not finish"
printf '{"id":1,"cmd":"trace.live.results","args":{"session":1}}\n' | raw res1
expect_jq "B: done" "$work/res1.json" \
    '.result | .state == "done" and .traced == 4 and .complete == 4 and (.journeys | length) == 4'
# Drops at admission end their journey at once: it comes first.
expect_jq "B: the VLAN drop" "$work/res1.json" \
    '.result.journeys[0] | .port == "p3" and ([.stages[].stage] == ["parse","vlan","result"]) and .stages[1].reason == "vlan: vlan not allowed on ingress port" and .stages[-1].fate == "dropped"'
expect_jq "B: a copy dropped on egress, the other sent" "$work/res1.json" \
    '.result.journeys[1] | .ts_ns == 1000000000 and ([.stages[].stage] == ["parse","vlan","ingress","ingress","ingress","ingress","forward","egress","egress","egress","egress","egress","tx","result"]) and (.stages[8] | .ext == "eg" and .port == "p2" and .verdict == "drop" and .reason == "eg: test egress drop" and .notes == ["dropping all to port 1"]) and ([.stages[9,10,11] | [.ext, .port, .verdict]] == [["fw","p3","pass"],["eg","p3","pass"],["f6","p3","pass"]]) and (.stages[12] | .port == "p3" and .result == "sent") and (.stages[-1] | .fate == "delivered" and .sent == ["p3"] and .drops == [{"port": "p2", "reason": "eg: test egress drop"}])'
expect_jq "B: f6 drops IPv6, with its note" "$work/res1.json" \
    '.result.journeys[2] | .ts_ns == 1002000000 and ([.stages[].stage] == ["parse","vlan","ingress","ingress","result"]) and (.stages[3] | .ext == "f6" and .verdict == "drop" and .reason == "f6: test drop" and .notes == ["ethertype 0x86dd: drop"]) and .stages[-1].drops == [{"port": null, "reason": "f6: test drop"}]'
expect_jq "B: the firewall's rule denies the SYN" "$work/res1.json" \
    '.result.journeys[3] | .ts_ns == 1005000000 and ([.stages[].stage] == ["parse","vlan","ingress","ingress","ingress","ingress","result"]) and (.stages[5] | .ext == "fw" and .role == "firewall" and .verdict == "drop" and .reason == "fw: rule deny") and .stages[-1].fate == "dropped"'
printf '{"id":1,"cmd":"trace.live.results","args":{"session":1}}\n{"id":2,"cmd":"trace.live.stop","args":{"session":1}}\n{"id":3,"cmd":"trace.live.stop","args":{"session":1}}\n{"id":4,"cmd":"trace.live.results","args":{}}\n' | raw stop1
expect_jqs "B: results are taken once" "$work/stop1.json" '.[0].result.journeys == []'
expect_jqs "B: stop" "$work/stop1.json" '.[1].result.state == "stopped"'
expect_jqs "B: stopped once" "$work/stop1.json" \
    '.[2].error == {"code":"ENOENT","message":"live trace 1 does not exist"}'
expect_jqs "B: results need the session" "$work/stop1.json" \
    '.[3].error == {"code":"EINVAL","message":"trace.live.results: missing argument '"'session'"'"}'
xswd_stop "xswd stopped after the replay"

# --- C: one port, the table for people, and the errors --------------------
start_switch c
live c-live p1 --filter "ip and udp" --count 2 --timeout 20
expect_eq "C: exit status" 0 "$(cat "$work/c-live.rc")"
expect_line "C: header 1" "$work/c-live.out" "packet 1 of 2: p1, at 1.000000 s (switch clock)"
expect_line "C: header 2" "$work/c-live.out" "packet 2 of 2: p1, at 1.004000 s (switch clock)"
expect_eq "C: two packets only" 2 "$(grep -c '^packet ' "$work/c-live.out")"
expect_line "C: flood" "$work/c-live.out" "  forward  l2: broadcast, flood: to p2, p3"
expect_line "C: sent" "$work/c-live.out" "  tx       p3: tagged VID 10, 46 bytes"
expect_line "C: hit" "$work/c-live.out" "  forward  l2: FDB hit, 02:00:00:00:00:0b VLAN 10 on p2: to p2"
expect_line "C: note" "$work/c-live.out" "             note: ethertype 0x0800: pass"
expect_line "C: result" "$work/c-live.out" "  result   delivered on p2"
# Nothing more comes: the timeout, with its exit status and message.
ctl trace --live --filter icmp --timeout 1 >"$work/to.out" 2>"$work/to.err"
expect_rc "timeout" 4 $?
expect_line "timeout message" "$work/to.err" "xswctl: trace --live: 0 of 1 packet traced within 1 s"
expect_eq "timeout prints no journey" 0 "$(wc -c <"$work/to.out")"
# SIGINT stops the session too.
"$bin/xswctl" -s "$sock" trace --live --timeout 30 >"$work/int.out" \
    2>"$work/int.err" &
int_pid=$!
pids+=("$int_pid")
wait_until 20 session_is 3 || fail "interrupt: live trace 3 did not start"
kill -INT "$int_pid"
wait "$int_pid"
expect_rc "interrupt: exit status" 130 $?
expect_line "interrupt: message" "$work/int.err" "xswctl: trace --live: interrupted after 0 of 1 packet"
session_is 3 && fail "interrupt: session 3 still runs" || ok
# Errors.
refused badfilter 1 "xswctl: trace.live.start: filter 'udp port': can't parse filter expression: syntax error" \
    trace --live --filter "udp port"
refused bigcount 1 "xswctl: trace.live.start: argument 'count': 65 is out of range [1, 64]" \
    trace --live --count 65
refused noport 1 "xswctl: port 'p9' does not exist" trace --live p9
refused zerocount 2 "xswctl: trace --live takes --count N, N from 1 (usage: xswctl trace --live [PORT] [--filter BPF] [--count N] [--timeout S] [--json])" \
    trace --live --count 0
refused badtimeout 2 "xswctl: trace --live takes --timeout S, S seconds above 0 (usage: xswctl trace --live [PORT] [--filter BPF] [--count N] [--timeout S] [--json])" \
    trace --live --timeout x
refused twoports 2 "xswctl: trace --live bad option (usage: xswctl trace --live [PORT] [--filter BPF] [--count N] [--timeout S] [--json])" \
    trace --live p1 p2
xswd_stop "xswd stopped after the replay"
pids=()

echo "trace-live: $passes passed, $fails failed"
[ "$fails" = 0 ]
