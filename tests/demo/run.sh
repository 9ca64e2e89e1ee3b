#!/usr/bin/env bash
# The bundled demo: its captures match their text description, it runs
# from a copy of examples/, and each extension did what the demo claims.
#   run.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -uo pipefail
build=$1 src=$2 work=$3
bin=$build/bin
rm -rf "$work"
mkdir -p "$work"
cp -r "$src/examples/demo.yaml" "$src/examples/run-demo.sh" \
    "$src/examples/traffic" "$work/"
fails=0 passes=0
check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        passes=$((passes + 1))
    else
        echo "FAIL: $name" >&2
        fails=$((fails + 1))
    fi
}

# The bundled captures are exactly what demo-traffic.txt describes.
"$bin/xsw-pcapgen" "$src/examples/demo-traffic.txt" "$work/regen" || exit 1
for f in "$work"/regen/*.pcap; do
    check "traffic/$(basename "$f") matches demo-traffic.txt" \
        "$bin/xsw-pcap-diff" "$src/examples/traffic/$(basename "$f")" "$f"
done
check "no stray capture in traffic/" test \
    "$(ls "$src/examples/traffic" | wc -l)" = "$(ls "$work/regen" | wc -l)"

"$work/run-demo.sh" "$build" >"$work/demo.txt" 2>&1
check "run-demo.sh succeeds" test $? = 0
check "the recap is printed" grep -q "^Every received frame is accounted for" "$work/demo.txt"

s=$work/out/summary.json
j() { jq -e "$1" "$s"; }
check "accounting" j '.totals.rx + .totals.injected == .totals.delivered + .totals.dropped and all(.ports[]; .rx == .delivered + .dropped)'
check "totals" j '.totals.rx == 55 and .totals.injected == 2 and .totals.dropped == 5'
ctr='.extensions[] | select(.name == $e) | .counters[$c]'
c() { jq -e --arg e "$1" --arg c "$2" "($ctr) == $3" "$s"; }
check "flowmon mirrored the SSH probe" c flowmon "mirrored packets" 1
check "flowmon saw every frame" c flowmon "tcp packets" 40
check "acl dropped telnet" c acl "no-telnet hits" 1
check "acl answered ARP for the VIP" c acl "arp replies" 1
check "flowtable balanced the web frames" c flowtable "web-vip hits" 18
check "flowtable used both servers" j '[.extensions[] | select(.name == "flowtable") | .counters["group web srv1"], .counters["group web srv2"]] == [9, 9]'
check "firewall sent one reset" c firewall "reject rst sent" 1
check "firewall denied one inbound" c firewall "default deny" 1

up=$("$bin/xsw-pcap-diff" --dump "$work/out/uplink.pcap")
check "the reset leaves on the uplink, tagged 20" grep -q 'vlan 20 ipv4 10.0.20.21>203.0.113.66 .*\[R\.\]' <<<"$up"
check "SIP leaves marked EF (tos 0xb8)" grep -q 'tos 0xb8 udp 5060>5060' <<<"$up"
check "no telnet leaves" bash -c '! grep -q ">23 " <<<"$0"' "$up"

# Each web session stays on one server: no client address on both.
s1=$("$bin/xsw-pcap-diff" --dump "$work/out/srv1.pcap" | grep -o '203\.0\.113\.[0-9]*' | sort -u)
s2=$("$bin/xsw-pcap-diff" --dump "$work/out/srv2.pcap" | grep -o '203\.0\.113\.[0-9]*' | sort -u)
check "sessions split 3 and 3" test "$(wc -l <<<"$s1")/$(wc -l <<<"$s2")" = 3/3
check "no session on both servers" test -z "$(comm -12 <(echo "$s1") <(echo "$s2"))"

echo "demo: $passes passed, $fails failed"
[ "$fails" = 0 ]
