#!/bin/bash
# The TAP port driver against a real kernel: runs port-tap-test (see its
# header) inside a namespace of its own, with a second namespace for the
# TAP device to move into, so that no traffic touches the host.  Needs
# root; exits 77 (skipped) without.
#
#   port-tap.sh PATH/TO/port-tap-test
set -u
bin=$1
if [ "$(id -u)" != 0 ]; then
    echo "port-tap: skipped: needs root"
    exit 77
fi
id=$$
outer=xsw-tapo-$id
inner=xsw-tapi-$id
dev=xtap$id            # At most 11 characters: IFNAMSIZ leaves 15.

cleanup() {
    ip netns del "$outer" 2>/dev/null
    ip netns del "$inner" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$outer" || exit 1
ip netns add "$inner" || exit 1
timeout 60 ip netns exec "$outer" "$bin" "$dev" "$inner"
