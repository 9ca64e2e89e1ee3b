#!/usr/bin/env bash
# The whole benchmark suite of issue 6, in one command:
#
#   tests/bench/run.sh [--quick] [--cpu C] [--bin DIR] [--out FILE]
#
#  1. in-memory pipeline: every chain (built-in L2, each reference
#     extension, all four, 1/4/16 no-op extensions), 64-byte frames,
#     1,000 MACs, 1,000 flows; then 1,500-byte frames and a 50% VLAN mix;
#  2. replay of 1M small frames through xswd with the demo chain against
#     tcpdump -r -w (replay-floor.sh);
#  3. scaling: FDB 1k..1M entries, firewall connections 1k..1M, flowtable
#     10..100k rules, throughput and memory per entry.
# Everything is pinned to CPU C (default: the last one) and runs at nice
# -10, and so does this script's scheduling autogroup (restored at exit):
# with autogroups the kernel shares CPU time between sessions first, so
# nice alone does nothing against another session's load (see
# live-bench.sh).  --quick runs
# fewer and shorter runs (a smoke test of the suite, not figures to quote).
# It prints the figures; with --out FILE it also keeps them there.  See
# docs/performance.md for the method and the figures of the last run.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cpu=$(( $(nproc) - 1 )) bin="" out="" quick=0
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1; shift;;
    --cpu) cpu=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --out) out=$2; shift 2;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2;;
    esac
done
if [ -z "$bin" ]; then
    for d in "$src/build-bench/bin" "$src/build/bin"; do
        [ -x "$d/xsw-bench-pipeline" ] && { bin=$d; break; }
    done
fi
[ -n "$bin" ] && [ -x "$bin/xsw-bench-pipeline" ] ||
    { echo "run.sh: no xsw-bench-pipeline (build first, or --bin DIR)" >&2; exit 1; }
[ -n "$out" ] && exec > >(tee "$out")

if [ "$quick" = 1 ]; then
    pipe=(--runs 3 --packets 200000) replay=(--runs 1 --frames 100000)
    fdb=1000,10000 conns=1000,10000 rules=10,1000
else
    pipe=(--runs 7 --packets 4000000) replay=(--runs 5 --frames 1000000)
    fdb=1000,10000,100000,1000000 conns=1000,10000,100000,1000000
    rules=10,100,1000,10000,100000
fi
ag_old=""
if [ -w /proc/self/autogroup ]; then
    ag_old=$(sed -n 's/.* nice //p' /proc/self/autogroup)
    echo -10 >/proc/self/autogroup 2>/dev/null || ag_old=""
fi
trap '[ -n "$ag_old" ] && echo "$ag_old" >/proc/self/autogroup 2>/dev/null; true' EXIT
renice -n -10 $$ >/dev/null 2>&1 || true
bench() { taskset -c "$cpu" "$bin/xsw-bench-pipeline" "$@"; }

echo "## xsw benchmark suite: $(date -u '+%Y-%m-%d %H:%M UTC'), CPU $cpu of $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## $(git -C "$src" describe --always --dirty 2>/dev/null || echo '?'), $bin"
echo
echo "## 1. In-memory pipeline"
bench "${pipe[@]}"
echo
bench "${pipe[@]}" --size 1500 --chain none
bench "${pipe[@]}" --size 1500 --chain all
bench "${pipe[@]}" --vlan-mix 50 --chain none
bench "${pipe[@]}" --vlan-mix 50 --chain all
echo
echo "## 2. Replay against the I/O floor"
"$src/tests/bench/replay-floor.sh" --bin "$bin" --cpu "$cpu" "${replay[@]}"
echo
echo "## 3. Scaling"
bench "${pipe[@]}" --scale fdb --sizes "$fdb"
echo
bench "${pipe[@]}" --scale conns --sizes "$conns"
echo
bench "${pipe[@]}" --scale rules --sizes "$rules"
