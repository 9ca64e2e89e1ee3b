#!/usr/bin/env bash
# check-module-symbols.sh XSWD MODULE.so|DIR...
# An extension module reaches the core only through the host table, so it
# must not need a single symbol from the xswd binary, and may need nothing
# but libc (and libpcap, which the reference extensions use for BPF and
# pcap files).  For every module (every *.so in each DIR):
#  - its DT_NEEDED libraries are libc.so.6 and libpcap.so.* only (plus the
#    ASan/UBSan runtimes in a sanitizer build);
#  - each undefined dynamic symbol is one of:
#      NAME@GLIBC_x.y       that exact version exported by libc.so.6;
#      an unversioned NAME  exported by libpcap, when the module needs it;
#      a sanitizer symbol   (__asan_*, __ubsan_*, or a libc name the ASan
#                           runtime interposes) in a sanitizer build;
#      the weak toolchain hooks __gmon_start__, __cxa_finalize and
#                           _ITM_[de]registerTMCloneTable;
#  - none of them is defined by XSWD (the core's functions and data);
#  - it exports exactly one symbol, xsw_extension_v1.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
[ $# -ge 2 ] || fail "usage: $0 XSWD MODULE.so|DIR..."
xswd=$1
shift

# 'lib' resolved as the dynamic linker would for 'so'.
lib_path() {
    ldd "$1" | awk -v lib="$2" '$1 ~ "^" lib { print $3; exit }'
}

# The core: every symbol the xswd binary defines (its static symbol table;
# the daemon exports nothing dynamically), less the libc objects it holds
# copies of (stderr, environ...) and the sanitizer runtime's.
core=$(nm --defined-only "$xswd" | awk 'NF == 3 { print $3 }' | sort -u)
[ -n "$core" ] || fail "$xswd has no symbol table (stripped?)"
xswd_libc=$(lib_path "$xswd" libc.so.6)
[ -n "$xswd_libc" ] || fail "ldd does not find libc.so.6 for $xswd"
core=$(comm -23 <(echo "$core") \
           <(nm -D --defined-only "$xswd_libc" | awk '{ sub(/@.*/, "", $3); print $3 }' |
             sort -u) |
       grep -v -E '^__(asan|ubsan|lsan|sanitizer|odr_asan)' || true)

modules=()
for arg in "$@"; do
    if [ -d "$arg" ]; then
        for so in "$arg"/*.so; do [ -e "$so" ] && modules+=("$so"); done
    elif [ -e "$arg" ]; then
        modules+=("$arg")
    elif [[ "$arg" != *.so ]]; then
        :   # A module directory the build did not create (no plugins).
    else
        fail "$arg: no such module"
    fi
done
[ ${#modules[@]} -gt 0 ] || fail "no module to check in: $*"

check_module() {
    local so=$1 needed libc pcap="" asan="" libc_syms pcap_syms="" rt_syms=""
    local bad="" type name base

    needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    for lib in $needed; do
        case "$lib" in
        libc.so.6) ;;
        libpcap.so.*) pcap=$(lib_path "$so" libpcap.so) ;;
        libasan.so.* | libubsan.so.*) asan=1 ;;
        *) bad+="  needs library $lib"$'\n' ;;
        esac
    done
    # The libc the module would get (xswd's, if the module needs none).
    libc=$(lib_path "$so" libc.so.6)
    libc=${libc:-$xswd_libc}
    # NAME@VERSION for every versioned libc symbol ('@@' is the default).
    libc_syms=$(nm -D --defined-only "$libc" | awk '{ sub(/@@/, "@", $3); print $3 }' |
                sort -u)
    [ -z "$pcap" ] ||
        pcap_syms=$(nm -D --defined-only "$pcap" | awk '{ sub(/@.*/, "", $3); print $3 }' |
                    sort -u)
    if [ -n "$asan" ]; then
        rt_syms=$(for l in libasan.so libubsan.so; do
                      p=$(lib_path "$so" "$l")
                      [ -z "$p" ] || nm -D --defined-only "$p"
                  done | awk '{ sub(/@.*/, "", $3); print $3 }'
                  awk '{ sub(/@.*/, ""); print }' <<<"$libc_syms")
        rt_syms=$(sort -u <<<"$rt_syms")
    fi
    while read -r type name; do
        [ -n "$name" ] || continue
        base=${name%%@*}
        if [ -n "$asan" ] && [[ "$base" == __asan_* || "$base" == __ubsan_* ]]; then
            continue
        fi
        if grep -qxF -- "$base" <<<"$core"; then
            bad+="  $name: defined by the xsw core ($xswd)"$'\n'
            continue
        fi
        case "$name" in
        *@GLIBC_*)
            grep -qxF -- "$name" <<<"$libc_syms" ||
                bad+="  $name: not exported by $libc with that version"$'\n'
            continue ;;
        *@*)
            bad+="  $name: a versioned symbol of another library"$'\n'
            continue ;;
        esac
        if [ "$type" = w ]; then
            case "$name" in
            __gmon_start__ | __cxa_finalize | _ITM_deregisterTMCloneTable | _ITM_registerTMCloneTable) continue ;;
            esac
        fi
        if [ -n "$pcap_syms" ] && grep -qxF -- "$name" <<<"$pcap_syms"; then
            continue
        fi
        if [ -n "$asan" ] && grep -qxF -- "$name" <<<"$rt_syms"; then
            continue
        fi
        bad+="  $name: from neither libc nor libpcap"$'\n'
    done < <(nm -D --undefined-only "$so" | awk '{ print $1, $2 }')
    exported=$(nm -D --defined-only "$so" | awk '{ print $3 }' | grep -v '^__odr_asan' || true)
    [ "$exported" = xsw_extension_v1 ] ||
        bad+="  exports $(tr '\n' ' ' <<<"$exported")instead of only xsw_extension_v1"$'\n'
    if [ -n "$bad" ]; then
        printf 'FAIL: %s:\n%s' "$so" "$bad" >&2
        return 1
    fi
    echo "ok: $so ($(nm -D --undefined-only "$so" | wc -l) undefined symbols, all libc${pcap:+/libpcap})"
}

rc=0
for so in "${modules[@]}"; do
    check_module "$so" || rc=1
done
exit $rc
