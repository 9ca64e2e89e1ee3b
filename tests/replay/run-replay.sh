#!/usr/bin/env bash
# Runs one replay scenario and compares its outputs with the golden files.
#   run-replay.sh BIN_DIR SCENARIO_DIR WORK_DIR
# A scenario directory holds:
#   config.yaml     ports read in/<port>.pcap and write out/<port>.pcap
#   traffic.txt     frames, turned into in/<port>.pcap by xsw-pcapgen
#   expected/*.txt  'xsw-pcap-diff --dump' of every out/*.pcap (all of them;
#                   absent when the scenario writes no capture)
#   checks.jq       optional: one jq boolean expression a line, each must
#                   hold on the JSON summary
#   args            optional: extra xswd arguments, one line
#   expect-exit     optional: the exit code xswd must return (default 0);
#                   expected/stderr.txt then holds its exact error output
#   expected-log.txt  optional, for runs that succeed: the exact warnings
#                   xswd prints (it runs with --quiet: warnings and errors)
#   log.jq          optional, for configs with 'log: { format: json }':
#                   one jq boolean expression a line, each must hold on
#                   {"log": [every record xswd wrote], "summary": SUMMARY}
#                   (args may raise the level: --log-level info)
# XSW_UPDATE_GOLDEN=1 rewrites expected/ from this run (review the diff!).
set -euo pipefail
bin=$1 scen=$2 work=$3
rm -rf "$work"
mkdir -p "$work/in"
cp "$scen/config.yaml" "$work/config.yaml"
[ -f "$scen/traffic.txt" ] && "$bin/xsw-pcapgen" "$scen/traffic.txt" "$work/in"
args=()
[ -f "$scen/args" ] && read -r -a args <"$scen/args"
want_rc=0
[ -f "$scen/expect-exit" ] && want_rc=$(cat "$scen/expect-exit")

rc=0
"$bin/xswd" -c "$work/config.yaml" --quiet --summary-json "$work/summary.json" \
    "${args[@]}" 2>"$work/stderr.txt" || rc=$?
if [ "$rc" != "$want_rc" ]; then
    echo "FAIL: xswd exited $rc, expected $want_rc; its stderr:" >&2
    cat "$work/stderr.txt" >&2
    exit 1
fi

mkdir -p "$work/got"
if [ "$want_rc" != 0 ]; then
    # Paths differ between checkouts: name them by role.
    build=$(cd "$bin/.." && pwd)
    sed "s#$work/##g; s#$build/#BUILD/#g" "$work/stderr.txt" \
        >"$work/got/stderr.txt"
else
    for f in "$work"/out/*.pcap; do
        [ -e "$f" ] || continue
        "$bin/xsw-pcap-diff" --dump "$f" >"$work/got/$(basename "$f" .pcap).txt"
    done
fi

if [ "${XSW_UPDATE_GOLDEN:-0}" = 1 ]; then
    rm -rf "$scen/expected"
    cp -r "$work/got" "$scen/expected"
    [ -f "$scen/expected-log.txt" ] && [ "$want_rc" = 0 ] &&
        cp "$work/stderr.txt" "$scen/expected-log.txt"
    echo "golden files rewritten in $scen/expected"
fi
if [ -f "$scen/expected-log.txt" ] && [ "$want_rc" = 0 ] &&
    ! diff -u "$scen/expected-log.txt" "$work/stderr.txt"; then
    echo "FAIL: warnings differ from $scen/expected-log.txt (diff above)" >&2
    exit 1
fi
# No output files at all: git keeps no empty expected/ directory.
want="$scen/expected"
[ -d "$want" ] || { want="$work/none"; mkdir -p "$want"; }
if ! diff -ru "$want" "$work/got"; then
    echo "FAIL: outputs differ from $scen/expected (diff above)" >&2
    exit 1
fi
[ "$want_rc" != 0 ] && { echo "ok: $(basename "$scen") (exit $rc)"; exit 0; }

# Every packet is accounted for, per port and in total.
jq -e '
  (.totals.rx + .totals.injected == .totals.delivered + .totals.dropped) and
  all(.ports[]; .rx == .delivered + .dropped) and
  (.totals.dropped == ([.drops[].count] | add // 0))' "$work/summary.json" \
  >/dev/null || { echo "FAIL: accounting invariant broken:" >&2;
                  cat "$work/summary.json" >&2; exit 1; }
# run_checks FILE.jq INPUT.json: every expression of FILE holds on INPUT.
run_checks() {
    local n=0 expr
    while IFS= read -r expr; do
        case "$expr" in ''|'#'*) continue ;; esac
        n=$((n + 1))
        if ! jq -e "$expr" "$2" >/dev/null; then
            echo "FAIL: $(basename "$1") check $n does not hold: $expr" >&2
            cat "$2" >&2
            exit 1
        fi
    done <"$1"
}
[ -f "$scen/checks.jq" ] && run_checks "$scen/checks.jq" "$work/summary.json"
if [ -f "$scen/log.jq" ]; then
    jq -n --slurpfile log "$work/stderr.txt" \
        --slurpfile summary "$work/summary.json" \
        '{log: $log, summary: $summary[0]}' >"$work/log.json" ||
        { echo "FAIL: stderr is not JSON records:" >&2;
          cat "$work/stderr.txt" >&2; exit 1; }
    run_checks "$scen/log.jq" "$work/log.json"
fi
echo "ok: $(basename "$scen")"
