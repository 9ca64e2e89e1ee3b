#!/usr/bin/env bash
# Logs to syslog, for real: in a private mount namespace (gone when the
# test ends, whatever happens) /dev is a fresh tmpfs holding a datagram
# socket at /dev/log that socat receives on, plus the few devices the run
# needs; xswd runs there with log.target syslog and the records that
# arrive are checked: ident and pid, priority (facility daemon) per level,
# the JSON body, and nothing left on stderr.  Needs root for the namespace;
# exits 77 (skipped) without.
#   syslog.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 work=$2
skip() { echo "log-syslog: skipped: $1"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (a private mount namespace)"
command -v socat >/dev/null || skip "needs socat"
unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
rm -rf "$work"
mkdir -p "$work/in"
. "$(dirname "$0")/../live/lib.sh"

# A filter that drops IPv6 with an undeclared reason: a warning
# (ext.misuse); p2 writes to /dev/full: an error (output lost).
cat >"$work/traffic.txt" <<'EOF'
1.0 p1 eth src=02:00:00:00:00:01 dst=ff:ff:ff:ff:ff:ff ipv4 src=10.0.0.1 dst=10.0.0.255 udp sport=1 dport=1
2.0 p1 eth src=02:00:00:00:00:01 dst=02:00:00:00:00:02 ipv6 src=2001:db8::1 dst=2001:db8::2 udp sport=2 dport=2
EOF
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in" || exit 1
cat >"$work/json.yaml" <<'EOF'
switch: { name: sys }
log: { target: syslog, format: json, level: info }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap }
  - { name: p2, type: pcap, tx: /dev/full }
extensions:
  - { module: role_filter, name: flt, config: { drop_ethertype: 0x86dd, bad_reason: true } }
EOF
cat >"$work/text.yaml" <<'EOF'
switch: { name: systext }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap }
  - { name: p2, type: pcap, tx: /dev/null }
EOF

# Inside the namespace: /dev as a tmpfs, the devices bound in from the
# real one, the receiver on /dev/log, then the two runs.
cat >"$work/inside.sh" <<'EOF'
set -u
bin=$1 work=$2
mkdir -p "$work/realdev"
mount --bind /dev "$work/realdev" || exit 3
mount -t tmpfs -o size=1m xsw-test-dev /dev || exit 3
for d in null zero full urandom; do
    touch "/dev/$d" && mount --bind "$work/realdev/$d" "/dev/$d" || exit 3
done
socat -u UNIX-RECV:/dev/log,mode=666 "OPEN:$work/received.raw,creat,trunc" &
receiver=$!
for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
(cd "$work" && "$bin/xswd" -c json.yaml --summary-json summary.json \
    >json.out 2>json.err; echo $? >json.rc)
# The command line chooses syslog and the level; the body is the text.
(cd "$work" && "$bin/xswd" -c text.yaml -q --log-target syslog \
    --log-level info 2>text.err; echo $? >text.rc)
sleep 0.3   # Datagrams are queued already; let socat write them out.
kill "$receiver"
wait "$receiver" 2>/dev/null
true
EOF
timeout 60 unshare -m bash "$work/inside.sh" "$bin" "$work"
rc=$?
[ $rc = 3 ] && skip "cannot set up /dev in the namespace"
check "namespace run finished" test $rc = 0

# One datagram a record, without separators: split before each '<PRI>'.
sed 's/<\([0-9]\{1,3\}\)>/\n<\1>/g' "$work/received.raw" | sed '/^$/d' \
    >"$work/received.txt"
check "json run: xswd exited 1 (its output was lost)" \
    test "$(cat "$work/json.rc")" = 1
check "json run: nothing on stderr" test ! -s "$work/json.err"
check "text run: xswd exited 0" test "$(cat "$work/text.rc")" = 0
check "text run: nothing on stderr" test ! -s "$work/text.err"
# '<PRI>Mmm dd hh:mm:ss xswd[PID]: BODY' -> {pri, pid, body}
sed -nE 's/^<([0-9]+)>.{15} xswd\[([0-9]+)\]: (.*)$/\1\t\2\t\3/p' \
    "$work/received.txt" >"$work/records.tsv"
check "every datagram is 'xswd[PID]: ...'" \
    test "$(wc -l <"$work/records.tsv")" = "$(wc -l <"$work/received.txt")"
grep -F '{' "$work/records.tsv" >"$work/json.tsv"
check "json records arrived" test -s "$work/json.tsv"
# The JSON body of each, with its priority: daemon (3) * 8 + severity.
while IFS=$'\t' read -r pri pid body; do
    jq -c --argjson pri "$pri" --argjson pid "$pid" \
        '. + {pri: $pri, pid: $pid}' <<<"$body"
done <"$work/json.tsv" >"$work/json.jsonl"
check "json bodies parse" test "$(wc -l <"$work/json.jsonl")" = \
    "$(wc -l <"$work/json.tsv")"
jqs() { jq -s -e "$1" "$work/json.jsonl"; }
check "priority matches level (daemon.err 27, warning 28, info 30)" jqs \
    'all(.[]; .pri == {"error": 27, "warning": 28, "info": 30}[.level])'
check "one pid" jqs '[.[].pid] | unique | length == 1'
check "ext.load at info" jqs \
    '[.[] | select(.event == "ext.load") | [.extension, .pri]] == [["flt", 30]]'
check "ext.misuse at warning" jqs \
    '[.[] | select(.event == "ext.misuse") | [.extension, .rule, .pri]] == [["flt", "extension dropped with an undeclared reason", 28]]'
check "output lost at error" jqs \
    '[.[] | select(.level == "error") | .msg] | any(test("port p2: output lost: cannot write /dev/full"))'
check "drops.summary at the end of the run" jqs \
    '[.[] | select(.event == "drops.summary") | [.dropped, .pri]] == [[1, 30]]'
check "switch.start and switch.stop (failed)" jqs \
    '[.[] | select(.event | IN("switch.start", "switch.stop")) | [.event, .switch, .status]] == [["switch.start", "sys", null], ["switch.stop", "sys", "failed"]]'
check "ext.unload last" jqs '.[-1].event == "ext.unload"'
check "text run: text bodies at info" grep -qxE \
    "30	[0-9]+	switch systext running with 2 ports \\(replay\\)" \
    "$work/records.tsv"
check "text run: switch stop" grep -qE \
    "^30	[0-9]+	switch systext stopped \\(ok\\): 2 received, 0 dropped$" \
    "$work/records.tsv"

echo "log-syslog: $passes passed, $fails failed"
[ "$fails" = 0 ]
