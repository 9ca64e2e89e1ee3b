#!/usr/bin/env bash
# check-headers.sh INCLUDE_DIR: every SDK header compiles on its own, as
# strict ISO C11 and as C++11, with gcc/g++ and (when installed) clang.
# Vendors include these headers into code built with their own flags; a
# header that needs another included first, or that warns, fails here.
set -euo pipefail
inc=$1
headers=("$inc"/xsw/*.h)
[ -e "${headers[0]}" ] || { echo "FAIL: no headers in $inc/xsw" >&2; exit 1; }
cflags=(-std=c11 -pedantic -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla
        -Wundef -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
        -Wconversion -Wsign-conversion -fsyntax-only)
cxxflags=(-std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only)
compilers=("gcc c" "g++ c++")
command -v clang >/dev/null && compilers+=("clang c")
command -v clang++ >/dev/null && compilers+=("clang++ c++")
n=0
for h in "${headers[@]}"; do
    name=xsw/$(basename "$h")
    for cl in "${compilers[@]}"; do
        read -r cc lang <<<"$cl"
        if [ "$lang" = c ]; then flags=("${cflags[@]}"); else flags=("${cxxflags[@]}"); fi
        # Twice (the include guard) and followed by a declaration, since
        # ISO C forbids an empty translation unit (version.h is macros).
        if ! printf '#include <%s>\n#include <%s>\ntypedef int sdk_header_check;\n' \
                "$name" "$name" |
             "$cc" "${flags[@]}" -I"$inc" -x "$lang" - 2>"${TMPDIR:-/tmp}/xsw-hdr.$$"; then
            echo "FAIL: $name does not compile alone with $cc -x $lang ${flags[*]}:" >&2
            cat "${TMPDIR:-/tmp}/xsw-hdr.$$" >&2
            rm -f "${TMPDIR:-/tmp}/xsw-hdr.$$"
            exit 1
        fi
        n=$((n + 1))
    done
done
rm -f "${TMPDIR:-/tmp}/xsw-hdr.$$"
echo "ok: ${#headers[@]} headers x ${#compilers[@]} compilers ($n compilations)"
