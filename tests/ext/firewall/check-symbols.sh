#!/usr/bin/env bash
# check-symbols.sh MODULE.so: the module may leave only libc symbols
# undefined (it calls the core through the host table, never directly),
# and exports exactly one: its descriptor.  Each undefined name is looked
# up among libc's own exports (a sanitizer build strips the version
# suffixes, so names are compared bare); a sanitizer build's runtime hooks
# (__asan_*, __ubsan_*) do not count.
set -euo pipefail
so=$1
libc=$(cc -print-file-name=libc.so.6)
[ -f "$libc" ] || { echo "FAIL: cannot find libc.so.6" >&2; exit 1; }
bad=$(comm -23 \
    <(nm -D --undefined-only "$so" | awk '$1 == "U" {sub(/@.*/, "", $2); print $2}' |
      grep -Ev '^__(a|ub|l)san_|^__sanitizer_' | sort -u) \
    <(nm -D --defined-only "$libc" | awk '{sub(/@.*/, "", $3); print $3}' | sort -u))
[ -z "$bad" ] || { echo "FAIL: undefined symbols outside libc:" >&2; echo "$bad" >&2; exit 1; }
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^__odr_asan/ {print $3}')
[ "$exported" = xsw_extension_v1 ] ||
    { echo "FAIL: exports '$exported', want only xsw_extension_v1" >&2; exit 1; }
echo "ok: libc only, one export"
