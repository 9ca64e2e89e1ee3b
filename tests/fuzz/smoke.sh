#!/bin/bash
# The CI smoke test of one fuzz target (ctest fuzz-<target>-smoke):
#
#   smoke.sh FUZZER CORPUS_DIR REGRESS_DIR WORK_DIR
#
# 1. Runs every input in REGRESS_DIR once: the reproducers of bugs the
#    fuzzers found, which must stay fixed.
# 2. Fuzzes from the committed corpus for a bounded number of runs and
#    seconds (XSW_FUZZ_SMOKE_RUNS, default 20000; XSW_FUZZ_SMOKE_SECONDS,
#    default 20).  New inputs go to WORK_DIR, never into the source tree.
# Any crash, sanitizer report, leak or timeout fails the test; the input
# is saved in WORK_DIR (crash-*, leak-*, timeout-*).
set -euo pipefail

fuzzer=${1:?usage: smoke.sh FUZZER CORPUS_DIR REGRESS_DIR WORK_DIR}
corpus=${2:?}
regress=${3:?}
work=${4:?}
runs=${XSW_FUZZ_SMOKE_RUNS:-20000}
secs=${XSW_FUZZ_SMOKE_SECONDS:-20}
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work/new"
# shellcheck source=options.sh
. "$here/options.sh"
fuzz_scratch_setup "$work"
opts=($(fuzz_options "$(basename "$fuzzer")") -artifact_prefix="$work/")

shopt -s nullglob
inputs=("$regress"/*)
if [ ${#inputs[@]} -gt 0 ]; then
    echo "== ${#inputs[@]} regression inputs"
    "$fuzzer" "${opts[@]}" "${inputs[@]}"
fi
echo "== fuzzing: $runs runs or $secs s from $corpus"
"$fuzzer" "${opts[@]}" -runs="$runs" -max_total_time="$secs" \
    "$work/new" "$corpus"
echo "== clean"
