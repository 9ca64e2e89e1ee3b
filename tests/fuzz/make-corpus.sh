#!/bin/bash
# Regenerates the committed seed corpora in tests/fuzz/corpus/ (see
# docs/security.md): frames from every traffic file in the repository
# (through xsw-pcapgen), every YAML config in examples/ and tests/, pcap
# files built around the fuzz traffic, and the control requests of
# seeds/ctl.txt.  Deterministic: the same tree
# gives the same files.
#
#   tests/fuzz/make-corpus.sh BUILD_DIR     # any build with bin/xsw-pcapgen
set -euo pipefail

build=${1:?usage: make-corpus.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
gen=$build/bin/xsw-pcapgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$gen" ] || { echo "make-corpus.sh: no $gen" >&2; exit 1; }
mkdir -p "$work/pcap"
"$gen" "$here/seeds/pipeline.txt" "$work/pcap/pipeline"
while read -r t; do
    rel=${t#"$src"/}
    name=$(dirname "$rel" | tr / -)
    "$gen" "$t" "$work/pcap/$name"
done < <(find "$src/tests" "$src/examples" \
              \( -name corpus -o -name regress \) -prune -o \
              \( -name traffic.txt -o -name demo-traffic.txt \) -print \
         | LC_ALL=C sort)

rm -rf "$here/corpus"
python3 "$here/make-corpus.py" "$src" "$work/pcap" "$here/corpus"
# fuzz-ctl: one request a line of seeds/ctl.txt, after its first byte.
mkdir -p "$here/corpus/ctl"
n=0
while read -r byte req; do
    case $byte in ''|'#'*) continue ;; esac
    n=$((n + 1))
    { printf "\\x$byte"; printf '%s' "$req"; } \
        >"$here/corpus/ctl/$(printf 'request-%02d' $n)"
done <"$here/seeds/ctl.txt"
for t in "$here"/corpus/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"
done
