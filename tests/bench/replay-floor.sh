#!/usr/bin/env bash
# Replay against the I/O floor: a pcap of small frames through xswd with the
# demo's whole extension chain (flowmon, acl, flowtable, firewall), against
# the same file copied by `tcpdump -r in.pcap -w out.pcap`, in one run.
#
#   replay-floor.sh [--frames N] [--runs N] [--cpu C] [--bin DIR]
#                   [--work DIR] [--keep]
#
# A program that prints figures, not a test.  Input: N frames of 60 bytes
# (64 with the FCS) from xsw-pcapgen's @random (1,000 source MACs, 1,000
# UDP flows), all from port ws1 to one station behind ws2, which a first
# frame from ws2 taught the switch: one frame out per frame in, as
# tcpdump writes one frame per frame read.  The switch is examples/demo.yaml's
# chain on the demo's port names (ws1, ws2 read and write captures; srv1,
# srv2 and uplink write only); the chain's own outputs (flow export,
# SSH mirror) go to the work directory too.
#
# Each run times tcpdump, then xswd (wall clock of the whole process,
# start-up included), both pinned to CPU C (default: the last one) and
# both reading and writing the work directory (tmpfs when /dev/shm is
# writable, so the disk does not count).  It prints every run, the
# medians, frames per second and the ratio xswd/tcpdump of the medians,
# and the median of the per-run ratios.
set -euo pipefail

frames=1000000 runs=5 cpu=$(( $(nproc) - 1 )) bin="" work="" keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --frames) frames=$2; shift 2;;
    --runs) runs=$2; shift 2;;
    --cpu) cpu=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --work) work=$2; shift 2;;
    --keep) keep=1; shift;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "replay-floor.sh: unknown argument $1" >&2; exit 2;;
    esac
done
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "$bin" ]; then
    for d in "$src/build-bench/bin" "$src/build/bin"; do
        [ -x "$d/xswd" ] && { bin=$d; break; }
    done
fi
[ -n "$bin" ] && [ -x "$bin/xswd" ] && [ -x "$bin/xsw-pcapgen" ] ||
    { echo "replay-floor.sh: no xswd/xsw-pcapgen (build first, or --bin DIR)" >&2; exit 1; }
command -v tcpdump >/dev/null ||
    { echo "replay-floor.sh: tcpdump not installed" >&2; exit 1; }
command -v jq >/dev/null || { echo "replay-floor.sh: jq not installed" >&2; exit 1; }
if [ -z "$work" ]; then
    base=/tmp
    [ -w /dev/shm ] && base=/dev/shm
    work=$(mktemp -d "$base/xsw-replay-floor.XXXXXX")
    [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/in" "$work/out"

# The input.
cat >"$work/traffic.txt" <<SPEC
0 ws2 eth src=02:00:00:00:00:02 dst=ff:ff:ff:ff:ff:ff type=0x88b5 payload len=46
@random $frames ws1 seed=6 macs=1000 flows=1000 size=60 start=1 dst=02:00:00:00:00:02
SPEC
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in"

# The switch: the demo's chain on the demo's ports.
{
    cat <<YAML
switch: { name: replay-floor, fdb: { max_entries: 4096, aging_s: 300 } }
ports:
  - { name: ws1, type: pcap, rx: in/ws1.pcap, tx: out/ws1.pcap, vlan: { mode: access, vid: 10 } }
  - { name: ws2, type: pcap, rx: in/ws2.pcap, tx: out/ws2.pcap, vlan: { mode: access, vid: 10 } }
  - { name: srv1, type: pcap, tx: out/srv1.pcap, vlan: { mode: access, vid: 20 } }
  - { name: srv2, type: pcap, tx: out/srv2.pcap, vlan: { mode: access, vid: 20 } }
  - { name: uplink, type: pcap, tx: out/uplink.pcap, vlan: { mode: trunk, allowed: [10, 20] } }
YAML
    sed -n '/^extensions:/,$p' "$src/examples/demo.yaml"
} >"$work/replay.yaml"

now_ns() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $frames frames of 64 B (60 + FCS); xswd with the demo chain vs tcpdump -r -w;"
echo "# CPU $cpu, work dir $work; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %10s %10s %12s %12s %7s\n' run tcpdump_s xswd_s tcpdump_fps xswd_fps ratio
: >"$work/runs.tsv"
for r in $(seq 1 "$runs"); do
    rm -f "$work/copy.pcap"
    t0=$(now_ns)
    taskset -c "$cpu" tcpdump -Z root -r "$work/in/ws1.pcap" -w "$work/copy.pcap" 2>/dev/null
    t1=$(now_ns)
    rm -rf "$work/out"/*
    taskset -c "$cpu" "$bin/xswd" -c "$work/replay.yaml" --quiet --no-progress \
        --summary-json "$work/summary.json"
    t2=$(now_ns)
    td=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')
    xd=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print (b - a) / 1e9 }')
    printf '%-4s %10.3f %10.3f %12.0f %12.0f %7.2f\n' "$r" "$td" "$xd" \
        "$(awk -v n="$frames" -v t="$td" 'BEGIN { print n / t }')" \
        "$(awk -v n="$frames" -v t="$xd" 'BEGIN { print n / t }')" \
        "$(awk -v a="$td" -v b="$xd" 'BEGIN { print a / b }')"
    echo "$td $xd" >>"$work/runs.tsv"
done

delivered=$(jq '.totals.delivered' "$work/summary.json")
tx=$(jq '.totals.tx' "$work/summary.json")
copied=$(tcpdump -n -q -r "$work/copy.pcap" 2>/dev/null | wc -l)
tdm=$(cut -d' ' -f1 "$work/runs.tsv" | median)
xdm=$(cut -d' ' -f2 "$work/runs.tsv" | median)
prm=$(awk '{ print $1 / $2 }' "$work/runs.tsv" | median)
printf '%-4s %10.3f %10.3f %12.0f %12.0f %7.2f\n' median "$tdm" "$xdm" \
    "$(awk -v n="$frames" -v t="$tdm" 'BEGIN { print n / t }')" \
    "$(awk -v n="$frames" -v t="$xdm" 'BEGIN { print n / t }')" \
    "$(awk -v a="$tdm" -v b="$xdm" 'BEGIN { print a / b }')"
echo "# xswd: $delivered of $((frames + 1)) frames delivered, $tx sent; tcpdump copied $copied"
echo "# ratio xswd/tcpdump: $(awk -v a="$tdm" -v b="$xdm" 'BEGIN { printf "%.2f", a / b }') (medians), $(printf '%.2f' "$prm") (median of per-run ratios); target >= 0.7"
