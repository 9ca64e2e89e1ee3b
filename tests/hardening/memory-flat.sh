#!/usr/bin/env bash
# Memory stays flat under a long replay of random MACs and random flows
# (docs/security.md, "Resource limits").  The same config replays 200k and
# then 1M frames (1M source MACs, 1M flows, 200 s and 1000 s of switch
# time): every table of the core and the four reference extensions fills
# in the first run and churns from then on (FDB eviction, flow eviction,
# connection expiry).  The longer run may not need more than
# 5% (at least 2 MiB) more peak memory (GNU time's maximum RSS) than the
# shorter one.  The accounting invariant must hold in both.
#
#   memory-flat.sh BIN_DIR WORK_DIR
set -euo pipefail

bin=$1
work=$2
rm -rf "$work"
mkdir -p "$work"

fail() {
    echo "memory-flat: $*" >&2
    exit 1
}

cat > "$work/config.yaml" <<'YAML'
switch: { name: memflat, fdb: { max_entries: 4096, aging_s: 300 } }
ports:
  - { name: in, type: pcap, rx: in.pcap, vlan: { mode: access, vid: 10 } }
  - { name: out, type: pcap, tx: /dev/null, vlan: { mode: access, vid: 10 } }
  - { name: up, type: pcap, tx: /dev/null, vlan: { mode: trunk, allowed: [10] } }
extensions:
  - { module: flowmon, config: { max_flows: 8192, idle_timeout_s: 60 } }
  - module: acl
    config:
      default: pass
      rules:
        - { name: no-telnet, match: { ip_proto: tcp, dst_port: 23 }, action: drop }
        - { name: mark, match: { ip_proto: udp }, action: pass, modify: [ { set_dscp: 10 } ] }
  - module: flowtable
    config:
      default: normal
      rules:
        - { name: web, priority: 100, match: { ip_proto: tcp, dst_port: 80 }, action: { output: [out] } }
  - module: firewall
    config:
      default: allow
      max_connections: 65536
      ports: { inside: [in, out], outside: [up] }
      rules:
        - { name: out, direction: out, action: allow }
YAML

# run FRAMES: replays FRAMES random frames; prints the peak RSS in KiB.
run() {
    local n=$1 dir=$work/run-$1
    mkdir -p "$dir"
    cp "$work/config.yaml" "$dir/"
    echo "@random $n in seed=7 macs=1000000 flows=1000000 step=0.001" \
        > "$dir/traffic.txt"
    "$bin/xsw-pcapgen" "$dir/traffic.txt" "$dir/" > /dev/null
    timeout 300 /usr/bin/time -o "$dir/rss" -f %M \
        "$bin/xswd" -c "$dir/config.yaml" --summary-json "$dir/summary.json" \
        > "$dir/xswd.out" 2>&1 || fail "xswd failed: $(tail -5 "$dir/xswd.out")"
    jq -e --argjson n "$n" '
        .totals.rx == $n and
        .totals.rx + .totals.injected == .totals.delivered + .totals.dropped
        ' "$dir/summary.json" > /dev/null ||
        fail "$n frames: accounting does not balance: $(jq -c .totals "$dir/summary.json")"
    cat "$dir/rss"
}

short=$(run 200000)
long=$(run 1000000)
s=$work/run-200000/summary.json
l=$work/run-1000000/summary.json

# The tables really filled and churned, or flat memory proves nothing.
jq -e '.fdb.evicted > 0' "$l" > /dev/null || fail "the FDB never filled: $(jq -c .fdb "$l")"
jq -e '.extensions[0].counters["flows evicted"] > 0' "$l" > /dev/null ||
    fail "flowmon's table never filled: $(jq -c '.extensions[0].counters' "$l")"
jq -e '.extensions[3].counters["conn created"] > 65536' "$l" > /dev/null ||
    fail "the firewall created no more connections than it holds: $(jq -c '.extensions[3].counters' "$l")"

slack=$((short / 20))
[ "$slack" -ge 2048 ] || slack=2048
echo "peak RSS: 200k frames ${short} KiB, 1M frames ${long} KiB (allowed ${slack} KiB more)"
[ "$long" -le $((short + slack)) ] ||
    fail "peak RSS grew from ${short} KiB to ${long} KiB (more than ${slack} KiB)"
echo "memory-flat: ok"
