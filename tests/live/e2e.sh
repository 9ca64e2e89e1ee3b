#!/usr/bin/env bash
# End-to-end: real kernel traffic between network namespaces through xswd.
#   e2e.sh BIN_DIR WORK_DIR
# Hosts are namespaces joined to the switch by veth pairs (the switch side
# stays in this namespace, as 'system' ports), with the kernel's offloads
# left at their defaults on every side.  Names are unique to this run and
# everything is removed on exit, whatever happens.  Addresses come from
# 198.18.0.0/15, the benchmarking range; no traffic leaves the namespaces.
set -uo pipefail
bin=$1 work=$2
id=$$
rm -rf "$work"
mkdir -p "$work"
. "$(dirname "$0")/lib.sh"
xswd_pid= far_pid=
cleanup() {
    [ -n "$xswd_pid" ] && kill "$xswd_pid" 2>/dev/null && wait "$xswd_pid"
    [ -n "$far_pid" ] && kill "$far_pid" 2>/dev/null && wait "$far_pid"
    for h in a b c t; do ip netns del "xsw$h$id" 2>/dev/null; done
    for h in a b c t; do ip link del "xs$h$id" 2>/dev/null; done
    true
}
trap cleanup EXIT

# host NAME: namespace xswNAME<id>, its end eth0, the switch's end xsNAME<id>.
host() {
    local h=$1
    ip netns add "xsw$h$id" &&
        ip link add "xs$h$id" type veth peer name eth0 netns "xsw$h$id" &&
        ip link set "xs$h$id" up &&
        ip -n "xsw$h$id" link set lo up &&
        ip -n "xsw$h$id" link set eth0 up
}
in_ns() { local h=$1; shift; ip netns exec "xsw$h$id" "$@"; }


start_xswd() { # start_xswd CONFIG
    # Sockets of their own: the default path is shared by every run.
    "$bin/xswd" -c "$1" --summary-json "$work/summary.json" \
        --control "$work/$(basename "$1" .yaml).sock" \
        >"$work/xswd.out" 2>"$work/xswd.err" &
    xswd_pid=$!
    wait_for "$work/xswd.err" "running with" 50
}
stop_xswd() {
    kill -TERM "$xswd_pid" && wait "$xswd_pid"
    local rc=$?
    xswd_pid=
    return $rc
}
accounting() {
    jq -e '(.totals.rx + .totals.injected == .totals.delivered + .totals.dropped) and all(.ports[]; .rx == .delivered + .dropped)' \
        "$work/summary.json"
}

for h in a b c; do host $h || { bad "setting up host $h"; exit 1; }; done
ip netns add "xswt$id"   # for the TAP port, which xswd creates and moves
in_ns a ip addr add 198.18.0.1/24 dev eth0
in_ns b ip addr add 198.18.0.2/24 dev eth0
in_ns c ip addr add 198.18.0.3/24 dev eth0

# --- Three hosts on one VLAN ------------------------------------------
cat >"$work/flat.yaml" <<YAML
switch: { name: e2e }
ports:
  - { name: a, type: system, device: xsa$id }
  - { name: b, type: system, device: xsb$id }
  - { name: c, type: system, device: xsc$id }
  - { name: t, type: tap, device: xst$id, mac: "02:00:00:00:00:09", netns: xswt$id }
# The whole run without root: only the capabilities live ports need.
security: { user: nobody }
# A test module that counts and logs the port events it is told of.
extensions:
  - { module: $bin/../tests/modules/role_inspect.so, name: watch }
YAML
check "xswd starts" start_xswd "$work/flat.yaml"
check "xswd runs as nobody with CAP_NET_RAW and CAP_NET_ADMIN only" bash -c \
    "grep -qE '^Uid:\s+$(id -u nobody)\s' /proc/$xswd_pid/status &&
     grep -qE '^CapEff:\s+0+3000$' /proc/$xswd_pid/status"
# The TAP port was created and moved into its namespace: a host there.
check "TAP device is in its namespace" ip -n "xswt$id" link show "xst$id"
ip -n "xswt$id" link set lo up
ip -n "xswt$id" link set "xst$id" up
ip -n "xswt$id" addr add 198.18.0.9/24 dev "xst$id"
check "TAP host has the configured MAC" bash -c "ip -n xswt$id link show xst$id | grep -q 02:00:00:00:00:09"
check "ping a -> TAP host" in_ns a ping -c 3 -i 0.2 -W 2 198.18.0.9
check "ping TAP host -> b" ip netns exec "xswt$id" ping -c 3 -i 0.2 -W 2 198.18.0.2
# From the TAP host with a 576-byte MTU: its 64 KB TSO super-frames cut
# into ~120 segments each, more than one batch.
ip -n "xswt$id" link set "xst$id" mtu 576
head -c 2000000 /dev/urandom >"$work/tap-send.bin"
in_ns b timeout 30 socat -u TCP-LISTEN:5002,reuseaddr \
    OPEN:"$work/tap-recv.bin",creat,trunc &
listener=$!
sleep 0.3
check "TCP transfer TAP host (MTU 576) -> b" ip netns exec "xswt$id" \
    timeout 30 socat -u OPEN:"$work/tap-send.bin" \
    TCP:198.18.0.2:5002,connect-timeout=5
wait $listener
check "TAP TCP data arrives byte-identical" cmp "$work/tap-send.bin" "$work/tap-recv.bin"
check "ping a -> b" in_ns a ping -c 3 -i 0.2 -W 2 198.18.0.2
check "ping b -> a" in_ns b ping -c 3 -i 0.2 -W 2 198.18.0.1
check "ping c -> a" in_ns c ping -c 3 -i 0.2 -W 2 198.18.0.1

# A TCP transfer of 8 MB arrives byte-identical (default offloads: the
# kernel hands out partial checksums and GSO frames).
head -c 8000000 /dev/urandom >"$work/send.bin"
in_ns b timeout 30 socat -u TCP-LISTEN:5001,reuseaddr \
    OPEN:"$work/recv.bin",creat,trunc &
listener=$!
sleep 0.3
check "TCP transfer a -> b" in_ns a timeout 30 socat -u \
    OPEN:"$work/send.bin" TCP:198.18.0.2:5001,connect-timeout=5
wait $listener
check "TCP data arrives byte-identical" cmp "$work/send.bin" "$work/recv.bin"

# Link down and up are seen within a bounded time.
ip link set "xsb$id" down
check "link down seen within 2 s" wait_for "$work/xswd.err" "port b is down" 20
ip link set "xsb$id" up
check "link up seen within 2 s" wait_for "$work/xswd.err" "port b is up" 20
check "extension told of link down" grep -q "watch: port b down" "$work/xswd.err"
check "extension told of link up" wait_for "$work/xswd.err" "watch: port b up" 20
check "ping a -> b after link up" in_ns a ping -c 2 -i 0.2 -W 2 198.18.0.2
# The log lines (text format, docs/xswd.md): level, then message.
check "link down logged at info" grep -qxF "xswd: info: port b is down" "$work/xswd.err"
check "link up logged at info" grep -qxF "xswd: info: port b is up" "$work/xswd.err"
check "extension's line logged under its name" grep -qxF "xswd: info: watch: port b down" "$work/xswd.err"
check "extension load logged" grep -qxE \
    "xswd: info: extension watch loaded from .*/role_inspect\.so \(inspect\)" "$work/xswd.err"

check "xswd stops on SIGTERM with status 0" stop_xswd
check "switch stop logged" grep -qxE \
    "xswd: info: switch e2e stopped \(ok\): [0-9]+ received, [0-9]+ dropped" "$work/xswd.err"
check "extension unload logged last" test \
    "$(tail -n 1 "$work/xswd.err")" = "xswd: info: extension watch unloaded"
check "accounting holds" accounting
check "summary printed" grep -q "^Switch e2e:" "$work/xswd.out"
# The kernel handed port a partial checksums or GSO frames (default
# offloads), and the driver finished them: its counters are in the summary.
check "driver counters show finished offloads" jq -e \
    '.ports[0].up and .ports[0].driver.gso_frames + .ports[0].driver.csum_completed > 0' \
    "$work/summary.json"
check "extension counted the port events" jq -e \
    '.extensions[0].counters | .["port downs"] >= 1 and .["port ups"] >= 1' \
    "$work/summary.json"

# --- VLANs: access ports of different VLANs, and a trunk ----------------
# a in VLAN 10, b in VLAN 20, c on a trunk carrying both.  This kernel has
# no 802.1Q support (no VLAN sub-interfaces, no VLAN-filtering bridge), so
# the host on the trunk side is a second xswd inside c's namespace: its
# trunk port is c's eth0, and two TAP ports there, one per VLAN, carry c's
# addresses.  a and b also share the subnet 198.18.30.0/24: were the VLANs
# not separate, they could reach each other there.
for h in a b c; do in_ns $h ip addr flush dev eth0; done
in_ns a ip addr add 198.18.10.1/24 dev eth0
in_ns a ip addr add 198.18.30.1/24 dev eth0
in_ns b ip addr add 198.18.20.2/24 dev eth0
in_ns b ip addr add 198.18.30.2/24 dev eth0
cat >"$work/far.yaml" <<YAML
switch: { name: far }
ports:
  - { name: up, type: system, device: eth0, vlan: { mode: trunk, allowed: [10, 20] } }
  - { name: v10, type: tap, device: t10, vlan: { mode: access, vid: 10 } }
  - { name: v20, type: tap, device: t20, vlan: { mode: access, vid: 20 } }
YAML
# Not through in_ns: backgrounding a shell function forks a subshell, and
# $! would be that subshell, not xswd.
ip netns exec "xswc$id" "$bin/xswd" -c "$work/far.yaml" \
    --control "$work/far.sock" \
    >"$work/far.out" 2>"$work/far.err" &
far_pid=$!
check "far switch starts in c's namespace" wait_for "$work/far.err" "running with" 50
in_ns c ip link set t10 up
in_ns c ip link set t20 up
in_ns c ip addr add 198.18.10.3/24 dev t10
in_ns c ip addr add 198.18.20.4/24 dev t20
cat >"$work/vlan.yaml" <<YAML
switch: { name: e2e-vlan }
ports:
  - { name: a, type: system, device: xsa$id, vlan: { mode: access, vid: 10 } }
  - { name: b, type: system, device: xsb$id, vlan: { mode: access, vid: 20 } }
  - { name: c, type: system, device: xsc$id, vlan: { mode: trunk, allowed: [10, 20] } }
YAML
for h in a b; do in_ns $h ip neigh flush all; done
check "xswd starts (VLANs)" start_xswd "$work/vlan.yaml"
check "VLAN 10 host reaches VLAN 10 across the trunk" in_ns a ping -c 2 -i 0.2 -W 2 198.18.10.3
check "VLAN 20 host reaches VLAN 20 across the trunk" in_ns b ping -c 2 -i 0.2 -W 2 198.18.20.4
check "VLAN 10 cannot reach VLAN 20" bash -c "! ip netns exec xswa$id ping -c 2 -i 0.2 -W 1 198.18.30.2"
check "VLAN 10 host does not reach the trunk's VLAN 20" bash -c "! ip netns exec xswa$id ping -c 2 -i 0.2 -W 1 198.18.20.4"
check "xswd stops (VLANs)" stop_xswd
check "accounting holds (VLANs)" accounting
kill -TERM "$far_pid" && wait "$far_pid"
far_rc=$?
check "far switch stops with status 0" test "$far_rc" = 0
far_pid=

echo "e2e: $passes passed, $fails failed"
[ "$fails" = 0 ]
