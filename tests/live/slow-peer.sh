#!/usr/bin/env bash
# A peer that cannot keep up (docs/security.md, "Resource limits"): the
# switch never waits for a port.  Host b's link is throttled to 64 kbit/s
# with a token bucket (tc tbf, a 3 KB queue) on the switch's side; host a
# floods b with 2000 ICMP echoes of 1400 bytes.  What the slow link cannot
# take is dropped by its queue, counted in the port's tx_dropped, the
# switch keeps forwarding a's other traffic (a <-> c) meanwhile, memory
# and CPU stay bounded (it exits on SIGTERM at once), and once the link is
# fast again b is reachable.
#   slow-peer.sh BIN_DIR WORK_DIR       (root; exits 77 = skipped otherwise)
set -uo pipefail
bin=$1 work=$2
id=$$
rm -rf "$work"
mkdir -p "$work"
. "$(dirname "$0")/lib.sh"
xswd_pid=

if [ "$(id -u)" != 0 ] || ! command -v tc >/dev/null; then
    echo "slow-peer: needs root and tc; skipped"
    exit 77
fi

cleanup() {
    [ -n "$xswd_pid" ] && kill "$xswd_pid" 2>/dev/null && wait "$xswd_pid"
    for h in a b c; do ip netns del "xsp$h$id" 2>/dev/null; done
    for h in a b c; do ip link del "xp$h$id" 2>/dev/null; done
    true
}
trap cleanup EXIT

host() { # host NAME ADDRESS
    ip netns add "xsp$1$id" &&
        ip link add "xp$1$id" type veth peer name eth0 netns "xsp$1$id" &&
        ip link set "xp$1$id" up &&
        ip -n "xsp$1$id" link set lo up &&
        ip -n "xsp$1$id" link set eth0 up &&
        ip -n "xsp$1$id" addr add "$2/24" dev eth0
}
in_ns() { local h=$1; shift; ip netns exec "xsp$h$id" "$@"; }

host a 198.18.40.1 && host b 198.18.40.2 && host c 198.18.40.3 ||
    { bad "setting up hosts"; exit 1; }
tc qdisc add dev "xpb$id" root tbf rate 64kbit burst 3000 limit 3000 ||
    { echo "slow-peer: no tbf qdisc; skipped"; exit 77; }

cat >"$work/slow.yaml" <<YAML
switch: { name: slow }
ports:
  - { name: a, type: system, device: xpa$id }
  - { name: b, type: system, device: xpb$id }
  - { name: c, type: system, device: xpc$id }
YAML
"$bin/xswd" -c "$work/slow.yaml" --summary-json "$work/summary.json" \
    --control "$work/slow.sock" >"$work/xswd.out" 2>"$work/xswd.err" &
xswd_pid=$!
check "xswd starts" wait_for "$work/xswd.err" "running with" 50

# Learn every MAC first, so the flood below is unicast to b only.
check "ping a -> b (slow link, light load)" in_ns a ping -c 2 -i 0.5 -W 3 198.18.40.2
check "ping a -> c" in_ns a ping -c 1 -W 2 198.18.40.3
# 2000 echoes of 1400 bytes sent at once (preloaded): 22 Mbit/s at a
# 64 kbit/s link.
in_ns a ping -q -c 2000 -l 2000 -s 1400 -w 3 198.18.40.2 >"$work/flood.out" 2>&1 &
flood=$!
check "a reaches c while b's link is flooded" in_ns a ping -c 3 -i 0.2 -W 2 198.18.40.3
wait "$flood"
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$xswd_pid/status")
check "xswd's memory stays bounded under the flood ($rss KiB)" test "$rss" -lt 131072
tc qdisc del dev "xpb$id" root
check "b reachable once its link is fast again" in_ns a ping -c 2 -i 0.2 -W 2 198.18.40.2

kill -TERM "$xswd_pid"
wait "$xswd_pid"
rc=$?
xswd_pid=
check "xswd stops on SIGTERM with status 0" test "$rc" = 0
check "the slow port counted what its queue dropped" jq -e \
    '.ports[1].name == "b" and .ports[1].driver.tx_dropped > 100' \
    "$work/summary.json"
check "accounting holds" jq -e \
    '(.totals.rx + .totals.injected == .totals.delivered + .totals.dropped) and all(.ports[]; .rx == .delivered + .dropped)' \
    "$work/summary.json"
jq -c '.ports[1].driver' "$work/summary.json"

echo "slow-peer: $passes passed, $fails failed"
[ "$fails" = 0 ]
