#!/usr/bin/env bash
# Installs what xsw needs from Debian's packages, builds it, and runs
#   demo  the bundled demo (replay through all four reference extensions)
#   test  the whole test suite, in a normal build and under ASan + UBSan
# Usage: scripts/setup.sh demo|test      (needs root or sudo for apt-get)
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-}
case "$what" in
demo | test) ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

# Build and test dependencies, all from Debian.  Keep docs/dependencies.md
# in step with this list.
packages=(build-essential cmake pkg-config libpcap-dev libyaml-dev
    libjansson-dev check libmnl-dev jq tcpdump iproute2 iputils-ping socat
    ethtool valgrind clang time tshark)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        "${missing[@]}" >/dev/null
fi

jobs=$(nproc)
build() { # build DIR [cmake options]
    local dir=$1
    shift
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
}

if [ "$what" = demo ]; then
    build build
    exec examples/run-demo.sh build
fi

build build
ctest --test-dir build --output-on-failure -j "$jobs"
build build-asan -DXSW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
# The fuzz targets (clang, libFuzzer, ASan+UBSan): their regression inputs
# and a short bounded run from the committed corpus each.
CC=clang cmake -S . -B build-fuzz -DXSW_FUZZ=ON -DXSW_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz-pipeline fuzz-config fuzz-ctl \
    fuzz-pcap
ctest --test-dir build-fuzz -R '^fuzz-' --output-on-failure
