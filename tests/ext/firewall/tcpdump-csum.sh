#!/usr/bin/env bash
# tcpdump-csum.sh WORK_DIR N: a second, independent opinion on the
# checksums of a replay scenario's output (every out/*.pcap).  tcpdump -vv
# verifies them itself: it says "bad cksum" for a wrong IPv4 header
# checksum, "(incorrect" for TCP, "bad udp cksum", "wrong icmp cksum" and
# "bad icmp6 cksum" for the others, and "(correct)", "udp sum ok" and
# "icmp6 sum ok" for the TCP, UDP and ICMPv6 checksums it found right
# (ICMPv4 has no such word).  Passes when nothing is wrong and exactly N
# checksums were found right.  Exits 77 (skipped) without tcpdump.
set -euo pipefail
work=$1 want=$2
command -v tcpdump >/dev/null || { echo "tcpdump not installed"; exit 77; }
out=$(for f in "$work"/out/*.pcap; do tcpdump -vv -n -r "$f" 2>/dev/null; done)
fail() { echo "FAIL: $*" >&2; echo "$out" >&2; exit 1; }
if grep -E -q 'bad cksum|incorrect|bad udp cksum|wrong icmp cksum|bad icmp6 cksum' <<<"$out"; then
    fail "tcpdump found a wrong checksum"
fi
good=$(grep -c -E '\(correct\)|udp sum ok|icmp6 sum ok' <<<"$out" || true)
[ "$good" = "$want" ] || fail "want $want verified L4 checksums, got $good"
echo "ok: tcpdump agrees on every checksum ($good verified)"
