#!/usr/bin/env bash
# check-symbols.sh MODULE.so: every undefined dynamic symbol of the module
# must be defined by libc or libpcap (in a sanitizer build also by the
# ASan/UBSan runtime, which interposes malloc, memcpy and friends), and
# the module must export nothing but its descriptor.
set -euo pipefail
so=$1
libs=$(ldd "$so" | awk '/libc\.so|libpcap\.so/ { print $3 }')
[ -n "$libs" ] || { echo "FAIL: ldd finds neither libc nor libpcap" >&2; exit 1; }
# shellcheck disable=SC2086
allowed=$(nm -D --defined-only $libs | awk '{ sub(/@.*/, "", $3); print $3 }' |
          sort -u)
needed=$(nm -D --undefined-only "$so" | awk '$1 == "U" { sub(/@.*/, "", $2); print $2 }' |
         grep -v -E '^__(asan|ubsan)_' | sort -u)
bad=$(comm -23 <(echo "$needed") <(echo "$allowed"))
if [ -n "$bad" ]; then
    echo "FAIL: $so needs symbols from outside libc/libpcap:" >&2
    echo "$bad" >&2
    exit 1
fi
exported=$(nm -D --defined-only "$so" | awk '{ print $3 }' | grep -v '^__odr_asan')
if [ "$exported" != xsw_extension_v1 ]; then
    echo "FAIL: $so exports more than xsw_extension_v1:" >&2
    echo "$exported" >&2
    exit 1
fi
echo "ok: $so needs only libc and libpcap, exports only xsw_extension_v1"
