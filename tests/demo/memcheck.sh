#!/usr/bin/env bash
# The bundled demo under valgrind's memcheck: no invalid access, no
# uninitialised value used, no leak (definite, indirect or possible) in
# xswd and the four reference extensions.
#   memcheck.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -uo pipefail
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cp -r "$src/examples/demo.yaml" "$src/examples/traffic" "$work/"
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    --track-origins=yes --log-file="$work/memcheck.log" \
    "$build/bin/xswd" -c "$work/demo.yaml" --quiet \
    --summary-json "$work/summary.json"
rc=$?
if [ "$rc" != 0 ]; then
    echo "FAIL: xswd under memcheck exited $rc" >&2
    cat "$work/memcheck.log" >&2
    exit 1
fi
grep -q "ERROR SUMMARY: 0 errors" "$work/memcheck.log" || {
    cat "$work/memcheck.log" >&2
    exit 1
}
jq -e '.totals.rx == 55' "$work/summary.json" >/dev/null || exit 1
grep -E "ERROR SUMMARY|definitely lost|in use at exit" "$work/memcheck.log"
echo "ok: demo clean under memcheck"
