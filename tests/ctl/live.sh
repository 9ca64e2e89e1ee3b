#!/usr/bin/env bash
# xswctl against a live switch: the socket a live xswd opens by itself
# (/run/xsw/<switch name>.sock, reached with 'xswctl -s NAME'), TAP ports
# in the port list, a port set administratively down while the kernel
# floods ARP through the switch (its drops counted, the accounting intact),
# pausing refused, and SIGTERM.  The switch logs in JSON: the records of
# the ports going down and up (set by xswctl, and their links), of a test
# extension logging what it is told, of start and stop are checked.
# Everything runs in a namespace of its own.
# Needs root; exits 77 (skipped) without.
#   live.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 work=$2
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ]; then
    echo "ctl-live: skipped: needs root and /dev/net/tun"
    exit 77
fi
rm -rf "$work"
mkdir -p "$work"
id=$$
ns=xsw-ctl-$id
name=ctllive$id
sock=/run/xsw/$name.sock
xswd_pid=
. "$(dirname "$0")/lib.sh"

cleanup() {
    [ -n "$xswd_pid" ] && kill "$xswd_pid" 2>/dev/null && wait "$xswd_pid"
    ip netns del "$ns" 2>/dev/null
}
trap cleanup EXIT
check() { # check NAME CMD...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then ok; else fail "$what"; fi
}
# By switch name, not path: xswctl finds /run/xsw/NAME.sock.
ctl() { "$bin/xswctl" -s "$name" "$@"; }
in_ns() { ip netns exec "$ns" "$@"; }

ip netns add "$ns" || exit 1
cat >"$work/live.yaml" <<EOF
switch: { name: $name }
log: { format: json }
ports:
  - { name: t1, type: tap, device: xc1$id }
  - { name: t2, type: tap, device: xc2$id }
# A test module that logs the port events it is told of.
extensions:
  - { module: $bin/../tests/modules/role_inspect.so, name: watch }
EOF
# logged 'JQ': some record of xswd's stderr so far satisfies JQ.
logged() { jq -e -s "any(.[]; $1)" "$work/xswd.err" >/dev/null 2>&1; }
# nsenter execs xswd itself ('ip netns exec' would stay its parent), so
# that the signals below reach xswd.
nsenter --net="/run/netns/$ns" "$bin/xswd" -c "$work/live.yaml" \
    --summary-json "$work/summary.json" >"$work/xswd.out" 2>"$work/xswd.err" &
xswd_pid=$!
if ! wait_until 20 ctl switch show; then
    fail "xswd did not answer on $sock within 20 s; its stderr:"
    cat "$work/xswd.err" >&2
    exit 1
fi
check "default socket path" test -S "$sock"
check "state live" bash -c "'$bin/xswctl' -s '$name' --json switch show | jq -e '.state == \"live\"'"
check "tap ports listed" bash -c "'$bin/xswctl' -s '$name' --json port list | jq -e '[.ports[] | [.name, .type, .admin]] == [[\"t1\",\"tap\",\"up\"],[\"t2\",\"tap\",\"up\"]]'"

# ARP for an absent host: the kernel sends broadcasts out of t1, which the
# switch floods to t2, until t2 is set down; then its copies are dropped.
in_ns ip addr add 198.18.7.1/24 dev "xc1$id"
in_ns ping -c 2 -i 0.3 -W 1 198.18.7.9 >/dev/null 2>&1
check "frames received on t1" bash -c "'$bin/xswctl' -s '$name' --json port show t1 | jq -e '.rx > 0'"
check "t2 set down" ctl port set t2 admin down
in_ns ping -c 3 -i 0.3 -W 1 198.18.7.10 >/dev/null 2>&1
ctl --json counters >"$work/counters.json"
check "port.down record (admin)" logged \
    '.event == "port.down" and .port == "t2" and .cause == "admin" and .level == "info"'
check "admin-down copies counted" jq -e '.drops[] | select(.reason == "egress port is administratively down") | .copies > 0' "$work/counters.json"
check "accounting" jq -e '.totals.rx + .totals.injected == .totals.delivered + .totals.dropped' "$work/counters.json"

check "t2 set up" ctl port set t2 admin up
check "port.up record (admin)" logged \
    '.event == "port.up" and .port == "t2" and .cause == "admin"'
# The link itself: the kernel device goes down, then up again.
in_ns ip link set "xc2$id" down
check "port.down record (link)" wait_until 10 logged \
    '.event == "port.down" and .port == "t2" and .cause == "link"'
check "ext.log record of the extension" wait_until 10 logged \
    '.event == "ext.log" and .extension == "watch" and .msg == "watch: port t2 down" and .level == "info"'
in_ns ip link set "xc2$id" up
check "port.up record (link)" wait_until 10 logged \
    '.event == "port.up" and .port == "t2" and .cause == "link"'

# Reload: 20 more TAP ports (more descriptors than the live loop had at
# start), then the same file without them.
cp "$work/live.yaml" "$work/live-base.yaml"
for i in $(seq 3 22); do
    printf '  - { name: t%d, type: tap, device: xc%d%s }\n' $i $i "$id"
done >"$work/more-ports.txt"
sed -i "/^extensions:/e cat $work/more-ports.txt" "$work/live.yaml"
# The ports list must keep t1 and t2 first (kept), the new ones after.
check "reload adding 20 ports" bash -c "'$bin/xswctl' -s '$name' --json reload | jq -e '.ports.added | length == 20'"
check "22 ports listed" bash -c "'$bin/xswctl' -s '$name' --json port list | jq -e '[.ports[] | select(.type == \"tap\")] | length == 22'"
check "port.event ADDED told" wait_until 10 logged \
    '.event == "ext.log" and .msg == "watch: port t22 added"'
check "new device exists" in_ns ip link show "xc22$id"
before=$(ctl --json port show t2 | jq .tx)
in_ns ping -c 2 -i 0.3 -W 1 198.18.7.11 >/dev/null 2>&1
check "still switching after the reload" bash -c "[ \$('$bin/xswctl' -s '$name' --json port show t2 | jq .tx) -gt $before ]"
cp "$work/live-base.yaml" "$work/live.yaml"
check "reload removing them" bash -c "'$bin/xswctl' -s '$name' --json reload | jq -e '.ports.removed | length == 20'"
check "removed ports kept as removed" bash -c "'$bin/xswctl' -s '$name' --json port list | jq -e '[.ports[] | select(.type == \"removed\")] | length == 20'"
check "removed device gone" bash -c "! ip netns exec '$ns' ip link show 'xc22$id'"
check "reload.ok records" logged '.event == "reload.ok" and .ports_added == 20'

ctl switch pause >/dev/null 2>"$work/pause.err"
[ $? = 1 ] && ok || fail "pause on a live switch: exit status"
check "pause refused" grep -qxF "xswctl: a live switch cannot pause (only replays can)" "$work/pause.err"

kill -TERM "$xswd_pid"
wait "$xswd_pid"
rc=$?
xswd_pid=
[ $rc = 0 ] && ok || fail "xswd exit status $rc after SIGTERM"
check "socket removed" test ! -e "$sock"
check "every stderr line is a JSON record" jq -e -s \
    'length > 0 and all(.[]; has("ts") and has("level") and has("event") and has("msg"))' \
    "$work/xswd.err"
check "ext.load, control.listen, switch.start in order" jq -e -s \
    '[.[] | .event | select(IN("ext.load", "control.listen", "switch.start"))] == ["ext.load", "control.listen", "switch.start"]' \
    "$work/xswd.err"
check "drop summaries add up to the summary's drops" jq -e -n \
    --slurpfile log "$work/xswd.err" --slurpfile sum "$work/summary.json" \
    '([$log[] | select(.event == "drops.summary") | .dropped] | add) == $sum[0].totals.dropped and $sum[0].totals.dropped > 0'
check "switch.start (live) and switch.stop (ok), then ext.unload" jq -e -s \
    '[.[] | select(.event | IN("switch.start", "switch.stop", "ext.unload")) | [.event, .mode, .status, .extension]] == [["switch.start", "live", null, null], ["switch.stop", null, "ok", null], ["ext.unload", null, null, "watch"]]' \
    "$work/xswd.err"
check "summary accounting" jq -e '(.totals.rx + .totals.injected == .totals.delivered + .totals.dropped) and all(.ports[]; .rx == .delivered + .dropped)' "$work/summary.json"

echo "ctl-live: $passes passed, $fails failed"
[ "$fails" = 0 ]
