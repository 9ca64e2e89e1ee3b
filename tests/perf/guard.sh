#!/usr/bin/env bash
# The performance regression guard: instructions per packet, not time.
#
# Runs xsw-bench-pipeline's fixed workload (--guard: 1,000 stations,
# 1,000 flows, 64-byte frames, a warm-up pass, then 20,480 packets) under
# valgrind's callgrind, counting only inside guard_loop()
# (--toggle-collect), so building the switch and the warm-up do not count.
# Instruction counts do not depend on the machine's load, so the test is
# deterministic enough to gate on: it fails when a chain's instructions per
# packet exceed the committed baseline by more than 15%.
#
#   guard.sh BENCH BASELINE WORK_DIR COMPILER BUILD_TYPE SANITIZE
#
# Exit 77 (ctest: skipped) when the count would mean nothing: under the
# sanitizers (valgrind cannot run ASan binaries), without valgrind, or with
# another compiler or build type than the baseline's (the baseline's
# 'build' line).  XSW_PERF_GUARD_UPDATE=1 rewrites the baseline's figures;
# commit that only with a message that says why they changed.
set -uo pipefail
bench=$1 baseline=$2 work=$3 compiler=$4 build_type=$5 sanitize=$6
tolerance=15 # percent
packets=20480

skip() { echo "SKIP: $*"; exit 77; }
case "$sanitize" in ON|on|1|TRUE|true|YES|yes) skip "sanitizer build (valgrind cannot run it)";; esac
command -v valgrind >/dev/null || skip "valgrind not installed"
want_build=$(awk '$1 == "build" { print $2, $3; exit }' "$baseline")
[ "$want_build" = "$build_type $compiler" ] ||
    skip "baseline is for '$want_build', this build is '$build_type $compiler'"

rm -rf "$work"
mkdir -p "$work"
status=0
updated=$(mktemp)
trap 'rm -f "$updated"' EXIT
while read -r key value _; do
    case "$key" in ''|'#'*) continue;; esac
    if [ "$key" = build ]; then
        echo "build $want_build" >>"$updated"
        continue
    fi
    chain=$key base=$value
    out="$work/callgrind.$chain"
    if ! valgrind --tool=callgrind --callgrind-out-file="$out" \
        --toggle-collect=guard_loop "$bench" --guard --chain "$chain" \
        --packets "$packets" >"$work/$chain.log" 2>&1; then
        echo "FAIL: $chain: the benchmark failed under callgrind" >&2
        cat "$work/$chain.log" >&2
        exit 1
    fi
    total=$(awk '$1 == "totals:" { print $2 }' "$out")
    done=$(awk -v c="$chain" '$1 == c && $2 == "packets" { print $3 }' \
        "$work/$chain.log")
    if [ -z "$total" ] || [ -z "$done" ] || [ "$done" = 0 ]; then
        echo "FAIL: $chain: no instruction count or packet count" >&2
        exit 1
    fi
    ipp=$(( (total + done / 2) / done ))
    limit=$(( base + base * tolerance / 100 ))
    printf '%-8s %6d instructions/packet, baseline %6d (%+.1f%%), limit %d\n' \
        "$chain" "$ipp" "$base" \
        "$(awk -v a="$ipp" -v b="$base" 'BEGIN { print (a - b) * 100 / b }')" \
        "$limit"
    if [ "$ipp" -gt "$limit" ]; then
        echo "FAIL: $chain: $ipp instructions per packet is more than" \
            "$tolerance% over the baseline $base ($baseline)" >&2
        status=1
    fi
    echo "$chain $ipp" >>"$updated"
done <"$baseline"
if [ "${XSW_PERF_GUARD_UPDATE:-}" = 1 ]; then
    { grep '^#' "$baseline"; cat "$updated"; } >"$work/baseline.new"
    cp "$work/baseline.new" "$baseline"
    echo "baseline updated: $baseline"
    exit 0
fi
exit $status
