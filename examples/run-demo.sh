#!/usr/bin/env bash
# Runs the bundled demo: examples/demo.yaml replays the captures in
# examples/traffic through all four reference extensions, prints the
# switch's summary, then a short account of what each extension did,
# read back from the output files.
#   examples/run-demo.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
bin=$build/bin
out=$here/out

rm -rf "$out"
"$bin/xswd" -c "$here/demo.yaml" --summary-json "$out/summary.json"

dump() { "$bin/xsw-pcap-diff" --dump "$1" | sed 's/ crc [0-9a-f]*$//'; }
count() { "$bin/xsw-pcap-diff" --dump "$1" | wc -l; }
s=$out/summary.json
ctr() { jq -r --arg e "$1" --arg c "$2" \
    '.extensions[] | select(.name == $e) | .counters[$c]' "$s"; }

cat <<TXT

What happened
-------------
flowmon    saw every frame read-only: $(jq '.flows | length' "$out/flows.json") flows recorded in out/flows.json.
           Top flow by bytes:
             $(jq -r '.top_flows[0] | "\(.src):\(.src_port) > \(.dst):\(.dst_port) vlan \(.vlan): \(.packets) packets, \(.bytes) bytes"' "$out/flows.json")
           SSH mirrored to out/ssh-mirror.pcap: $(count "$out/ssh-mirror.pcap") frame(s).
acl        dropped telnet from ws2 ($(ctr acl "no-telnet hits") frame), marked SIP as DSCP 46 ($(ctr acl "voice hits") frames),
           answered the router's ARP for the web address 10.0.20.100 on the uplink:
             $(dump "$out/uplink.pcap" | grep 'arp reply' | head -1)
flowtable  balanced the 6 web sessions by flow hash, keeping each on one server:
             srv1 $(ctr flowtable "group web srv1") frames, srv2 $(ctr flowtable "group web srv2") frames
           and left everything else to ordinary MAC learning ($(jq .fdb.learned "$s") MACs learned).
firewall   tracked $(ctr firewall "conn created") connections, rejected the SSH probe with a TCP reset:
             $(dump "$out/uplink.pcap" | grep '\[R' | head -1)
           and denied $(ctr firewall "default deny") inbound connection that no rule allows.
vlans      the frame tagged VLAN 30 was refused by the uplink trunk (it carries 10 and 20).

Every received frame is accounted for: $(jq .totals.rx "$s") received + $(jq .totals.injected "$s") injected = $(jq .totals.delivered "$s") delivered + $(jq .totals.dropped "$s") dropped.
Outputs: $out/<port>.pcap (xsw-pcap-diff --dump FILE to read them), summary.json, flows.json.
TXT
