#!/usr/bin/env bash
# Runs one flowmon replay scenario:
#   run-flowmon.sh RUN_REPLAY BIN_DIR SCENARIO_DIR WORK_DIR
# 1. the common replay run and checks (run-replay.sh: golden dumps of every
#    out/*.pcap, mirror files included, accounting, checks.jq);
# 2. export-checks.jq, if present: one jq boolean expression a line, each
#    must hold on the export file the scenario's config names flows.json;
# 3. the same traffic through the same config without flowmon (the lines
#    between '# flowmon-begin' and '# flowmon-end' removed): every output
#    pcap must be identical, frame by frame and timestamp by timestamp, and
#    so must the summary's totals, ports and drops.  flowmon is read-only.
set -euo pipefail
runner=$1 bin=$2 scen=$3 work=$4

bash "$runner" "$bin" "$scen" "$work"
[ -f "$scen/expect-exit" ] && exit 0

if [ -f "$scen/export-checks.jq" ]; then
    [ -f "$work/flows.json" ] || { echo "FAIL: no $work/flows.json" >&2; exit 1; }
    n=0
    while IFS= read -r expr; do
        case "$expr" in ''|'#'*) continue ;; esac
        n=$((n + 1))
        if ! jq -e "$expr" "$work/flows.json" >/dev/null; then
            echo "FAIL: export check $n does not hold: $expr" >&2
            cat "$work/flows.json" >&2
            exit 1
        fi
    done <"$scen/export-checks.jq"
    echo "ok: $n export checks"
fi

base=$work.without-flowmon
rm -rf "$base"
mkdir -p "$base"
cp -r "$work/in" "$base/in"
grep -q '^# flowmon-begin' "$scen/config.yaml" ||
    { echo "FAIL: config.yaml has no '# flowmon-begin' marker" >&2; exit 1; }
sed '/^# flowmon-begin/,/^# flowmon-end/d' "$scen/config.yaml" >"$base/config.yaml"
if grep -q 'module: flowmon' "$base/config.yaml"; then
    echo "FAIL: flowmon still in $base/config.yaml" >&2
    exit 1
fi
"$bin/xswd" -c "$base/config.yaml" --quiet --summary-json "$base/summary.json"

n=0
for f in "$base"/out/*.pcap; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    if ! "$bin/xsw-pcap-diff" "$work/out/$name" "$f"; then
        echo "FAIL: out/$name differs with flowmon (above: with, without)" >&2
        exit 1
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: the run without flowmon wrote no pcap" >&2; exit 1; }
# Any other output of the flowmon run is a mirror file, named mirror*.
for f in "$work"/out/*.pcap; do
    name=$(basename "$f")
    [ -e "$base/out/$name" ] || case "$name" in
        mirror*) ;;
        *) echo "FAIL: out/$name only exists with flowmon" >&2; exit 1 ;;
    esac
done
pick='{totals, ports, drops}'
if ! diff <(jq -S "$pick" "$work/summary.json") <(jq -S "$pick" "$base/summary.json"); then
    echo "FAIL: totals, ports or drops differ with flowmon (diff above)" >&2
    exit 1
fi
echo "ok: $n output pcaps unchanged by flowmon"
