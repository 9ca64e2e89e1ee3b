#!/usr/bin/env bash
# tcpdump-csum.sh WORK_DIR: a second, independent opinion on the checksums
# of the action-dscp scenario's output.  tcpdump -vv verifies the IPv4
# header checksum (it prints "bad cksum" only when wrong), TCP ("cksum ...
# (correct)") and UDP ("udp sum ok").  Exactly one frame of the scenario
# has a bad IPv4 header checksum, on purpose; everything else must be
# right.  Exits 77 (skipped) without tcpdump.
set -euo pipefail
work=$1
command -v tcpdump >/dev/null || { echo "tcpdump not installed"; exit 77; }
out=$(for p in p1 p2; do tcpdump -vv -n -r "$work/out/$p.pcap" 2>/dev/null; done)
fail() { echo "FAIL: $*" >&2; echo "$out" >&2; exit 1; }
bad=$(grep -c 'bad cksum' <<<"$out" || true)
[ "$bad" = 1 ] || fail "want 1 bad IPv4 header checksum, got $bad"
grep -q 'bad cksum 8de3 (->8de2)' <<<"$out" ||
    fail "the bad checksum is not the one sent in, off by one as before"
if grep -E -q 'incorrect|wrong|bad udp cksum' <<<"$out"; then
    fail "an L4 checksum is wrong"
fi
good=$(grep -c -E '\(correct\)|udp sum ok' <<<"$out" || true)
[ "$good" = 7 ] || fail "want 7 verified L4 checksums, got $good"
echo "ok: tcpdump agrees on every checksum"
