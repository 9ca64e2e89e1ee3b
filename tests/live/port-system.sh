#!/usr/bin/env bash
# Driver-level test of the "system" (AF_PACKET) port against real kernel
# traffic:
#   port-system.sh PATH/TO/port-system-live
# Two fresh network namespaces joined by a veth pair, kernel offloads left
# at their defaults: the port attaches to one end (in namespace P, where
# the test program runs), the peer end is in namespace Q.  Names are
# unique to this run and removed on exit, whatever happens; addresses are
# from the benchmarking ranges (198.18.0.0/15, 2001:2::/48).  Needs root;
# exits 77 (skipped) without it.
set -uo pipefail
prog=$1
id=$$
ns_p=xspP$id ns_q=xspQ$id
dev_p=xsp${id}a dev_q=xsp${id}b

if [ "$(id -u)" != 0 ]; then
    echo "skipped: needs root (network namespaces, AF_PACKET)"
    exit 77
fi

cleanup() {
    ip netns del "$ns_p" 2>/dev/null
    ip netns del "$ns_q" 2>/dev/null
    true
}
trap cleanup EXIT

set -e
ip netns add "$ns_p"
ip netns add "$ns_q"
ip -n "$ns_p" link add "$dev_p" type veth peer name "$dev_q" netns "$ns_q"
ip -n "$ns_p" link set lo up
ip -n "$ns_q" link set lo up
ip -n "$ns_p" addr add 198.18.1.1/24 dev "$dev_p"
ip -n "$ns_q" addr add 198.18.1.2/24 dev "$dev_q"
ip -n "$ns_p" addr add 2001:2::1/64 dev "$dev_p" nodad
ip -n "$ns_q" addr add 2001:2::2/64 dev "$dev_q" nodad
ip -n "$ns_p" link set "$dev_p" up
ip -n "$ns_q" link set "$dev_q" up
set +e

# Offloads as the kernel set them, for the log.
ip netns exec "$ns_q" ethtool -k "$dev_q" 2>/dev/null |
    grep -E '^(tx-checksumming|tcp-segmentation-offload|tx-udp-segmentation):' |
    sed 's/^/# peer /'

timeout 120 ip netns exec "$ns_p" "$prog" "$ns_q" "$dev_p" "$dev_q"
