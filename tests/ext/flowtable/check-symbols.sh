#!/usr/bin/env bash
# check-symbols.sh MODULE.so: every undefined dynamic symbol of the module
# is defined by libc (in a sanitizer build also by the ASan/UBSan runtime,
# which interposes malloc, memcpy and friends), and the module exports
# nothing but its descriptor.  flowtable needs no libpcap.
set -euo pipefail
so=$1
libc=$(ldd "$so" | awk '/libc\.so/ { print $3 }')
[ -n "$libc" ] || { echo "FAIL: ldd does not find libc for $so" >&2; exit 1; }
allowed=$(nm -D --defined-only "$libc" | awk '{ sub(/@.*/, "", $3); print $3 }' |
          sort -u)
needed=$(nm -D --undefined-only "$so" |
         awk '$1 == "U" { sub(/@.*/, "", $2); print $2 }' |
         grep -v -E '^__(asan|ubsan)_' | sort -u)
bad=$(comm -23 <(echo "$needed") <(echo "$allowed"))
if [ -n "$bad" ]; then
    echo "FAIL: $so needs symbols from outside libc:" >&2
    echo "$bad" >&2
    exit 1
fi
if ldd "$so" | grep -q libpcap; then
    echo "FAIL: $so links libpcap, which it does not use" >&2
    exit 1
fi
exported=$(nm -D --defined-only "$so" | awk '{ print $3 }' |
           grep -v '^__odr_asan')
if [ "$exported" != xsw_extension_v1 ]; then
    echo "FAIL: $so exports more than xsw_extension_v1:" >&2
    echo "$exported" >&2
    exit 1
fi
echo "ok: $so needs only libc, exports only xsw_extension_v1"
