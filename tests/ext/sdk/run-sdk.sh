#!/usr/bin/env bash
# run-sdk.sh MODE BUILD_DIR SOURCE_DIR
# The SDK as a vendor meets it: 'cmake --install BUILD_DIR' into a fresh
# temporary prefix, then only that prefix is used (plus the build's
# xsw-pcapgen and xsw-pcap-diff to make and read pcap files).
#
#   relocatable   the installed xsw-sdk.pc points into the prefix it was
#                 installed to (Cflags and extensiondir).
#   out-of-tree   copy examples/extension-skeleton out of the source tree;
#                 build it with its Makefile (pkg-config), with its
#                 CMakeLists.txt through pkg_check_modules and through
#                 find_package(xsw-sdk); check which headers each build
#                 really included and what each module links against; run
#                 each in the installed xswd on the example's config and
#                 traffic and check the JSON summary and the output frames;
#                 check --check and the config errors the skeleton reports;
#                 check that the installed xswd finds a module installed
#                 into <prefix>/lib/xsw by name, with no search path set.
# The temporary directory is removed however the script ends (unless
# XSW_SDK_KEEP=1, to look at it after a failure).
set -euo pipefail
mode=$1 build=$(cd "$2" && pwd) src=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
example=$src/examples/extension-skeleton

work=$(mktemp -d "${TMPDIR:-/tmp}/xsw-sdk-test.XXXXXX")
trap '[ -n "${XSW_SDK_KEEP:-}" ] || rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }
unset XSW_EXTENSION_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install $build failed"; }
for f in bin/xswd include/xsw/xsw.h include/xsw/version.h \
         lib/pkgconfig/xsw-sdk.pc lib/cmake/xsw-sdk/xsw-sdkConfig.cmake; do
    [ -e "$prefix/$f" ] || fail "cmake --install did not install $f"
done

# Does 'pkg-config ARGS...' resolve the SDK into $prefix?
pc_in_prefix() {
    local inc dir
    inc=$("$@" --cflags-only-I xsw-sdk | sed 's/^ *-I//; s/ *$//')
    dir=$("$@" --variable=extensiondir xsw-sdk)
    [ -n "$inc" ] && [ "$(realpath -m "$inc")" = "$prefix/include" ] &&
        [ "$(realpath -m "$dir")" = "$prefix/lib/xsw" ]
}

if [ "$mode" = relocatable ]; then
    pc_in_prefix pkg-config ||
        fail "$prefix/lib/pkgconfig/xsw-sdk.pc is not relocatable: it gives" \
             "'$(pkg-config --cflags xsw-sdk)' and extensiondir" \
             "'$(pkg-config --variable=extensiondir xsw-sdk)' for an SDK" \
             "installed in $prefix (sdk/xsw-sdk.pc.in should derive prefix" \
             "from \${pcfiledir})"
    echo "ok: xsw-sdk.pc installed in $prefix points into it"
    exit 0
fi
[ "$mode" = out-of-tree ] || fail "unknown mode '$mode'"

# The installed .pc file points into the prefix (tested on its own too).
pc_in_prefix pkg-config ||
    fail "xsw-sdk.pc does not point into $prefix (see sdk-pkgconfig-relocatable)"
pkgconfig=(pkg-config)
cmake_pc=()

# --- Build the example three ways, out of the source tree --------------
cp -r "$example" "$work/skeleton"
rm -rf "$work/skeleton"/{build*,in,out,skeleton.so}
if grep -rlF -e "$src" -e "$build" "$work/skeleton"; then
    fail "the example names a path in the source or build tree (above)"
fi

# Every xsw header a build included must come from the prefix: gcc -H
# lists each header it opens, one per line, as '. PATH'.
headers_from_prefix() {
    local log=$1 what=$2 paths
    paths=$(sed -n 's/^\.\+ \(.*\/xsw\/[a-z]*\.h\)$/\1/p' "$log" | sort -u)
    [ -n "$paths" ] || fail "$what: no xsw header in the compiler's -H output"
    while read -r p; do
        case "$(realpath -m "$p")" in
        "$prefix"/include/xsw/*.h) ;;
        *) fail "$what compiled $p, not the installed header" ;;
        esac
    done <<<"$paths"
}

make -C "$work/skeleton" PKG_CONFIG="${pkgconfig[*]}" CPPFLAGS=-H \
    >"$work/make.log" 2>&1 || { cat "$work/make.log" >&2; fail "make failed"; }
headers_from_prefix "$work/make.log" "make"
make_so=$work/skeleton/skeleton.so

cmake -S "$work/skeleton" -B "$work/build-pc" -DCMAKE_C_FLAGS=-H \
    "${cmake_pc[@]}" >"$work/cmake-pc.log" 2>&1 &&
    cmake --build "$work/build-pc" >>"$work/cmake-pc.log" 2>&1 ||
    { cat "$work/cmake-pc.log" >&2; fail "cmake build with pkg-config failed"; }
headers_from_prefix "$work/cmake-pc.log" "cmake (pkg_check_modules)"
pc_so=$work/build-pc/skeleton.so

# find_package only: no PKG_CONFIG_PATH, the prefix through CMAKE_PREFIX_PATH.
env -u PKG_CONFIG_PATH cmake -S "$work/skeleton" -B "$work/build-fp" \
    -DSKELETON_FIND_PACKAGE=ON -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS=-H >"$work/cmake-fp.log" 2>&1 &&
    cmake --build "$work/build-fp" >>"$work/cmake-fp.log" 2>&1 ||
    { cat "$work/cmake-fp.log" >&2; fail "cmake build with find_package failed"; }
headers_from_prefix "$work/cmake-fp.log" "cmake (find_package)"
fp_dir=$(sed -n 's/^xsw-sdk_DIR:PATH=//p' "$work/build-fp/CMakeCache.txt")
[ "$(realpath -m "$fp_dir")" = "$prefix/lib/cmake/xsw-sdk" ] ||
    fail "find_package(xsw-sdk) used $fp_dir, not the installed one"
fp_so=$work/build-fp/skeleton.so

for so in "$make_so" "$pc_so" "$fp_so"; do
    [ -f "$so" ] || fail "no $so after the build"
done
bash "$here/check-module-symbols.sh" "$build/bin/xswd" "$make_so" "$pc_so" \
    "$fp_so"

# Both CMake builds install into the SDK's extension directory.
for b in build-pc build-fp; do
    DESTDIR=$work/stage-$b cmake --install "$work/$b" >/dev/null
    [ -f "$work/stage-$b$prefix/lib/xsw/skeleton.so" ] ||
        fail "cmake --install $b did not install into $prefix/lib/xsw"
done

# --- Run it in the installed xswd ----------------------------------------
# check_run DIR CHECKS.jq: the summary of the run in DIR holds, and the
# frames sent are the expected ones.
check_run() {
    local dir=$1 checks=$2 n=0 expr port
    jq -e '(.totals.rx + .totals.injected == .totals.delivered + .totals.dropped)
           and all(.ports[]; .rx == .delivered + .dropped)' \
        "$dir/summary.json" >/dev/null ||
        fail "$dir: accounting does not add up: $(cat "$dir/summary.json")"
    while IFS= read -r expr; do
        case "$expr" in '' | '#'*) continue ;; esac
        n=$((n + 1))
        jq -e "$expr" "$dir/summary.json" >/dev/null ||
            fail "$dir: check $n does not hold: $expr; summary: $(cat "$dir/summary.json")"
    done <"$checks"
    for port in p1 p2; do
        "$build/bin/xsw-pcap-diff" --dump "$dir/out/$port.pcap" >"$dir/$port.txt"
        diff -u "$here/expected/$port.txt" "$dir/$port.txt" >&2 ||
            fail "$dir: out/$port.pcap differs from expected/$port.txt"
    done
}

# run_copy NAME SED-EXPR: the example's config (edited by SED-EXPR) and
# traffic in $work/NAME, run by the installed xswd.
run_copy() {
    local dir=$work/$1
    mkdir -p "$dir"
    sed "$2" "$example/skeleton.yaml" >"$dir/skeleton.yaml"
    cp "$example/traffic.txt" "$dir/"
    "$build/bin/xsw-pcapgen" "$dir/traffic.txt" "$dir/in"
    "$prefix/bin/xswd" -c "$dir/skeleton.yaml" --quiet \
        --summary-json "$dir/summary.json" 2>"$dir/stderr.txt" ||
        { cat "$dir/stderr.txt" >&2; fail "$1: xswd failed"; }
    [ ! -s "$dir/stderr.txt" ] || fail "$1: xswd wrote: $(cat "$dir/stderr.txt")"
}

# The example as its README runs it: in its directory, module by path.
(
    cd "$work/skeleton"
    "$build/bin/xsw-pcapgen" traffic.txt in
    out=$("$prefix/bin/xswd" --check -c skeleton.yaml)
    [ "$out" = "skeleton.yaml: valid (2 ports, 1 extensions)" ] ||
        fail "xswd --check said: $out"
    "$prefix/bin/xswd" -c skeleton.yaml --quiet --summary-json summary.json
)
check_run "$work/skeleton" "$here/skeleton-checks.jq"

run_copy run-pc "s#module: ./skeleton.so#module: $pc_so#"
check_run "$work/run-pc" "$here/skeleton-checks.jq"
run_copy run-fp "s#module: ./skeleton.so#module: $fp_so#"
check_run "$work/run-fp" "$here/skeleton-checks.jq"
run_copy run-max2 "s#module: ./skeleton.so#module: $make_so#; s#max_ethertypes: 8#max_ethertypes: 2#"
check_run "$work/run-max2" "$here/skeleton-max2-checks.jq"

# --- Config errors, as the skeleton reports them through the host ------
# expect_error NAME SED-EXPR WANT: xswd --check exits 2 and prints WANT.
expect_error() {
    local dir=$work/$1 rc=0 got
    mkdir -p "$dir"
    sed "$2" "$example/skeleton.yaml" >"$dir/skeleton.yaml"
    "$prefix/bin/xswd" --check -c "$dir/skeleton.yaml" \
        >"$dir/stdout.txt" 2>"$dir/stderr.txt" || rc=$?
    got=$(cat "$dir/stderr.txt")
    [ "$rc" = 2 ] || fail "$1: xswd --check exited $rc, not 2 ($got)"
    [ "$got" = "$3" ] || fail "$1: xswd said '$got', expected '$3'"
}

line_of() { grep -n -- "$1" "$example/skeleton.yaml" | head -1 | cut -d: -f1; }
dl=$(line_of "drop_ethertype:")
item=$(line_of "^  - module:")
mod="(module $make_so)"
sub="s#module: ./skeleton.so#module: $make_so#"
expect_error err-range "$sub; s#drop_ethertype: 0x86dd #drop_ethertype: 70000  #" \
    "xswd: $work/err-range/skeleton.yaml:$dl:23: extensions[0].config.drop_ethertype: 70000 is out of range [0, 65535] $mod"
expect_error err-length "$sub; s#drop_ethertype: 0x86dd #drop_ethertype: 0x0100 #" \
    "xswd: $work/err-length/skeleton.yaml:$dl:23: extensions[0].config.drop_ethertype: 0x0100 is an 802.3 length, not an ethertype (use 0x0600 or more, or 0 for none) $mod"
expect_error err-key "$sub; s#drop_ethertype: 0x86dd #drp_ethertype: 0x86dd  #" \
    "xswd: $work/err-key/skeleton.yaml:$dl:7: extensions[0].config.drp_ethertype: unknown key 'drp_ethertype' (expected one of: drop_ethertype, max_ethertypes) $mod"

# --- The installed xswd's default module directory -----------------------
# <bindir>/../lib/xsw, named by its canonical path when it exists (it holds
# the reference extensions when they are built), else as it would be
# searched.  The skeleton is not there yet: the error lists exactly it.
if [ -d "$prefix/lib/xsw" ]; then
    default_dir=$(realpath "$prefix/lib/xsw")
else
    default_dir=$prefix/bin/../lib/xsw
fi
expect_error by-name-missing "s#module: ./skeleton.so #module: skeleton       #" \
    "xswd: $work/by-name-missing/skeleton.yaml:$item:5: extensions[0]: module 'skeleton': skeleton.so not found in: $default_dir"
make -C "$work/skeleton" PKG_CONFIG="${pkgconfig[*]}" install >/dev/null
[ -f "$prefix/lib/xsw/skeleton.so" ] ||
    fail "make install did not put skeleton.so in $prefix/lib/xsw"
run_copy by-name "s#module: ./skeleton.so #module: skeleton       #"
check_run "$work/by-name" "$here/skeleton-checks.jq"
file=$(jq -r '.extensions[0].file' "$work/by-name/summary.json")
[ "$file" = "$(realpath "$prefix/lib/xsw")/skeleton.so" ] ||
    fail "module 'skeleton' was loaded from $file, not from $prefix/lib/xsw"

echo "ok: the skeleton builds from the installed SDK alone (make, pkg-config," \
     "find_package) and runs in the installed xswd"
