#!/usr/bin/env bash
# 'xswd --check' must leave flowmon's files alone: it creates and destroys
# the extension without running the switch, and used to truncate the
# mirror file and overwrite the export of the last run.
#   check-keeps-files.sh BIN_DIR SCENARIO_DIR WORK_DIR
# The scenario's config must export to flows.json and mirror into
# out/mirror*.pcap.
# 1. A normal run writes the export and the mirror files (each with at
#    least one packet).
# 2. --check on the same config: every one of them byte for byte as the
#    run left it.
# 3. --check in an empty directory: none of them is created.
set -euo pipefail
bin=$1 scen=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/run/out" "$work/fresh/out"
cp "$scen/config.yaml" "$work/run/config.yaml"
cp "$scen/config.yaml" "$work/fresh/config.yaml"
"$bin/xsw-pcapgen" "$scen/traffic.txt" "$work/run/in"

"$bin/xswd" -c "$work/run/config.yaml" --quiet
cd "$work/run"
files=(flows.json out/mirror*.pcap)
[ -f flows.json ] || fail "the run wrote no flows.json"
[ "${#files[@]}" -ge 2 ] || fail "the run wrote no out/mirror*.pcap"
for f in out/mirror*.pcap; do
    # A pcap file header is 24 bytes; a record header 16 more.
    [ "$(stat -c %s "$f")" -gt 40 ] || fail "$f holds no packet after the run"
done
mkdir -p "$work/saved/out"
for f in "${files[@]}"; do cp -p "$f" "$work/saved/$f"; done

"$bin/xswd" -c "$work/run/config.yaml" --check --quiet
for f in "${files[@]}"; do
    [ -f "$f" ] || fail "--check removed $f"
    cmp "$work/saved/$f" "$f" || fail "--check changed $f"
done
echo "ok: --check left ${#files[@]} files of the run unchanged"

"$bin/xswd" -c "$work/fresh/config.yaml" --check --quiet
cd "$work/fresh"
[ ! -e flows.json ] || fail "--check created flows.json"
left=$(ls out)
[ -z "$left" ] || fail "--check created out/$left"
echo "ok: --check in an empty directory created nothing"
