#!/bin/bash
# Long fuzzing runs (docs/security.md, "Fuzzing"): each target for RUNS
# executions (default 10000000), up to PARALLEL targets at once (default:
# the number of cores, one process each).  A run that stops on a crash,
# leak or timeout is restarted on the corpus it built, until the
# executions add up to RUNS, so the figure is reached past what it found.
# Prints per target: executions, exec/s, coverage (edges), features,
# corpus size, duration, and how many inputs it saved.
#
#   tests/fuzz/run-long.sh BUILD_DIR [RUNS] [TARGET...]
#
# BUILD_DIR is a build configured with -DXSW_FUZZ=ON.  Work goes to
# BUILD_DIR/fuzz-long/<target>/: corpus/ (the committed corpus is read,
# never written), crash-*, leak-*, timeout-*, oom-*, and run-<N>.log per
# restart.  MAX_SECONDS (default 14400) bounds each target.
set -euo pipefail

build=${1:?usage: run-long.sh BUILD_DIR [RUNS] [TARGET...]}
build=$(cd "$build" && pwd)
runs=${2:-10000000}
shift $(($# >= 2 ? 2 : $#))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pipeline config pcap ctl)
parallel=${PARALLEL:-$(nproc)}
max_seconds=${MAX_SECONDS:-14400}
max_restarts=${MAX_RESTARTS:-50}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=options.sh
. "$here/options.sh"
fuzz_scratch_setup "$build"

# The last libFuzzer status line of a log ("#N ... cov: ...").
status_line() {
    grep -aE '^#[0-9]+[[:space:]]+[A-Z]+ +cov:' "$1" | tail -1 || true
}

field() {   # field NAME LINE
    sed -nE "s/.* $1: ([0-9]+).*/\\1/p" <<< "$2"
}

run_target() {
    local t=$1 fuzzer work start secs done=0 n seg=0 rc last found
    fuzzer=$build/tests/fuzz/fuzz-$t
    work=$build/fuzz-long/$t
    [ -x "$fuzzer" ] || { echo "run-long.sh: no $fuzzer" >&2; return 1; }
    mkdir -p "$work/corpus"
    start=$(date +%s)
    while [ "$done" -lt "$runs" ] && [ "$seg" -le "$max_restarts" ]; do
        secs=$(($(date +%s) - start))
        [ "$secs" -lt "$max_seconds" ] || break
        seg=$((seg + 1))
        rc=0
        # shellcheck disable=SC2046
        "$fuzzer" $(fuzz_options "fuzz-$t") -runs=$((runs - done)) \
            -max_total_time=$((max_seconds - secs)) \
            -artifact_prefix="$work/" -print_final_stats=1 \
            "$work/corpus" "$here/corpus/$t" > "$work/run-$seg.log" 2>&1 \
            || rc=$?
        n=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' \
            "$work/run-$seg.log" | tail -1)
        [ -n "$n" ] || n=$(sed -nE 's/^#([0-9]+).*/\1/p' \
                              <<< "$(status_line "$work/run-$seg.log")")
        done=$((done + ${n:-0}))
        [ "$rc" -eq 0 ] || echo "fuzz-$t: run $seg stopped (status $rc)" \
            "after ${n:-0} executions: $(grep -aE '^(==[0-9]+==ERROR|SUMMARY|.*Test unit written)' \
            "$work/run-$seg.log" | tr '\n' ' ')"
    done
    secs=$(($(date +%s) - start))
    last=$(status_line "$work/run-$seg.log")
    found=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' \
            -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    echo "fuzz-$t: $done executions in $secs s" \
         "($((done / (secs > 0 ? secs : 1))) exec/s), $seg run(s)," \
         "cov $(field cov "$last") edges, ft $(field ft "$last")," \
         "corpus $(field corp "$last") inputs, $found inputs saved" \
         "(crash/leak/timeout/oom) in $work"
}

pids=()
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done
    run_target "$t" &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do
    wait "$p" || status=1
done
exit $status
