#!/bin/bash
# Regenerates the committed seed corpora in tests/fuzz/corpus/ (see
# docs/security.md): frames from every traffic file in the repository
# (through xsw-pcapgen), every YAML config in examples/ and tests/, and
# pcap files built around the fuzz traffic.  Deterministic: the same tree
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
for t in "$here"/corpus/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"
done
