#!/usr/bin/env bash
# xswctl reload (docs/control.md, "reload"): refusals that change nothing
# (bad YAML, a setting only a restart applies, a second forward extension,
# a restore() that refuses the saved state), then a reload that changes
# ports and extensions, asserted piece by piece: kept instances keep their
# counters, a replaced one gets the old one's state through save/restore,
# FDB entries stay on unchanged ports, a removed port keeps its id and
# counters, extensions hear of added and removed ports, what xswctl set
# stays unless the file changed it.  Last, reloads while a replay runs,
# with nothing lost: every frame of the input counted once, rx =
# delivered + dropped, and the outputs hold what the counters say.
#   reload.sh BIN_DIR WORK_DIR   (XSW_EXTENSION_PATH: the test modules)
set -uo pipefail
bin=$1 work=$2
. "$(dirname "$0")/lib.sh"
work_setup xsw-reload
sock=$sock_dir/reload.sock

stop_xswd() {
    kill "$xswd_pid"
    wait "$xswd_pid" 2>/dev/null
}
# ext_counter FILE EXT COUNTER: from 'ext list --json'.
ext_counter() {
    jq -r --arg e "$2" --arg c "$3" \
        '.extensions[] | select(.name == $e) | .counters[$c]' "$1"
}

cat >"$work/traffic.txt" <<'EOF'
# A on p1, B on p2 (access 10), C on p3 (trunk, VLAN 10 tagged).
1.000 p1 eth src=02:00:00:00:00:0a dst=ff:ff:ff:ff:ff:ff ipv4 src=10.0.0.1 dst=10.0.0.255 udp sport=1 dport=2
1.001 p2 eth src=02:00:00:00:00:0b dst=02:00:00:00:00:0a ipv4 src=10.0.0.2 dst=10.0.0.1 udp sport=2 dport=1
1.002 p3 eth src=02:00:00:00:00:0c dst=02:00:00:00:00:0a vlan vid=10 ipv4 src=10.0.0.3 dst=10.0.0.1 udp sport=3 dport=1
1.003 p1 eth src=02:00:00:00:00:0a dst=02:00:00:00:00:0b ipv6 src=2001:db8::1 dst=2001:db8::2 udp sport=7 dport=7
EOF
"$bin/xsw-pcapgen" "$work/traffic.txt" "$work/in" || exit 1
mkdir -p "$work/out"

# config FILE F6_ETHERTYPE [EXTRA_F6_CONFIG] [NAME]: the base config; the
# tests edit copies of it.
config() {
    cat >"$1" <<EOF
switch: { name: ${4:-reloadtest}, fdb: { aging_s: 300 } }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out/p1.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p2, type: pcap, rx: in/p2.pcap, tx: out/p2.pcap, vlan: { mode: access, vid: 10 } }
  - { name: p3, type: pcap, rx: in/p3.pcap, tx: out/p3.pcap, vlan: { mode: trunk, allowed: [10, 20] } }
extensions:
  - { module: flowmon }
  - { module: role_filter, name: f6, config: { drop_ethertype: $2${3:-} } }
  - { module: role_inspect, name: watch }
  - { module: firewall, name: fw, config: { default: $fw_default } }
EOF
}
fw_default=allow
cfg=$work/switch.yaml
config "$cfg" 0x86dd
xswd_bg a "$cfg" --paused
jctl resume switch resume
wait_until 20 state_is held || fail "the replay did not finish within 20 s"
jctl ext0 ext list
jctl fdb0 fdb show
jctl ports0 port list
expect_jq "before: 3 MACs learned" "$work/fdb0.json" '.entries | length == 3'
expect_eq "before: f6 saw every frame" 4 "$(ext_counter "$work/ext0.json" f6 packets)"

# --- Refused: nothing changes ------------------------------------------------
cp "$cfg" "$work/good.yaml"
printf 'bad: [\n' >>"$cfg"
refused yaml 1 "xswctl: $cfg:12:1: invalid YAML: did not find expected node content while parsing a flow node" reload
config "$cfg" 0x86dd "" othername
refused name 1 "xswctl: $cfg:1:17: switch.name: a reload cannot change this (restart xswd to apply it); nothing was changed" reload
config "$cfg" 0x86dd
printf '  - { module: role_forward, name: fw1 }\n  - { module: role_forward, name: fw2 }\n' >>"$cfg"
refused forward 1 "xswctl: $cfg:12:5: extensions[5]: second enabled forward extension 'fw2' (only one may be enabled; 'fw1' at line 11 is)" reload
config "$cfg" 0x0806 ", refuse_restore: true"
refused restore 1 "xswctl: $cfg:8:5: extensions[1]: $XSW_EXTENSION_PATH/role_filter.so: restore refused the saved state: refusing the saved state (refuse_restore)" reload
sed -i 's/ports:/ports:\n  - { name: p9, type: pcap, rx: in\/none.pcap }/' "$cfg"
refused port 1 "xswctl: $cfg:3:33: ports[0].rx: $work/in/none.pcap: No such file or directory" reload
config "$cfg" 0x86dd
sed -i 's|tx: out/p1.pcap|tx: out/p1b.pcap|' "$cfg"
refused pcapout 1 "xswctl: $cfg:3:5: ports[0]: a reload cannot change a pcap port's type, rx or tx (it would read its input again or truncate its output): remove the port, or add it under another name" reload
config "$cfg" 0x86dd
printf 'log: { level: debug }\n' >>"$cfg"
refused loglevel 1 "xswctl: $cfg:11:15: log.level: a reload cannot change this (restart xswd to apply it); nothing was changed" reload
jctl ext1 ext list
jctl fdb1 fdb show
jctl ports1 port list
expect_jq "refused: same extensions" "$work/ext1.json" \
    "$(jq -c '[.extensions[] | [.name, .counters.packets]]' "$work/ext0.json") == [.extensions[] | [.name, .counters.packets]]"
expect_jq "refused: FDB unchanged" "$work/fdb1.json" '.entries | length == 3'
expect_jq "refused: ports unchanged" "$work/ports1.json" \
    '[.ports[] | .name] == ["p1","p2","p3"]'
[ -e "$work/out/p1b.pcap" ] && fail "a refused reload created out/p1b.pcap" || ok
expect_eq "refused: logged" 7 "$(grep -c '^xswd: error: reload refused, the switch runs on as before: ' "$work/a.err")"

# --- Applied -----------------------------------------------------------------
# Runtime state set by xswctl, which a reload keeps unless the file says
# otherwise: 'watch' disabled, p1 administratively down.
jctl dis ext disable watch
jctl adm port set p1 admin down
# The file: f6's config changes (replaced, state restored); p2 goes, p4
# comes; p3 carries VLAN 10 only now (its FDB entry is forgotten); a new
# extension 'late'; the firewall's default becomes deny (replaced: its
# connections restored); flowmon and watch unchanged.
fw_default=deny
config "$cfg" 0x0806
sed -i -e '/name: p2,/d' -e 's/allowed: \[10, 20\]/allowed: [10]/' "$cfg"
sed -i 's/^extensions:/  - { name: p4, type: pcap, tx: out\/p4.pcap, vlan: { mode: access, vid: 10 } }\nextensions:/' "$cfg"
# 'late' tries to inject from create(): refused (it is not in the chain
# yet, and the reload could still fail).
printf '  - { module: role_filter, name: late, config: { inject_at_create: p1 } }\n' >>"$cfg"
jctl injected0 counters
jctl rl reload
expect_jq "reload report: ports" "$work/rl.json" \
    ".file == \"$cfg\" and .ports == {\"unchanged\":[\"p1\"],\"vlan\":[\"p3\"],\"added\":[\"p4\"],\"removed\":[\"p2\"]}"
expect_jq "reload report: extensions" "$work/rl.json" \
    '.extensions == {"unchanged":["flowmon","watch"],"replaced (state restored)":["f6","fw"],"added":["late"],"order":["flowmon","f6","watch","fw","late"]}'
ctl reload >"$work/rl.txt" 2>&1
expect_line "reload table" "$work/rl.txt" "  unchanged: p1, p3, p4"
expect_line "reload table" "$work/rl.txt" "chain order: flowmon, f6, watch, fw, late"
jctl ext2 ext list
expect_eq "kept: flowmon's counters" \
    "$(ext_counter "$work/ext0.json" flowmon "udp packets")" \
    "$(ext_counter "$work/ext2.json" flowmon "udp packets")"
expect_eq "replaced: f6 has the old one's packets (restored)" 4 \
    "$(ext_counter "$work/ext2.json" f6 packets)"
expect_eq "replaced: f6 restored" 1 "$(ext_counter "$work/ext2.json" f6 restored)"
expect_eq "new instance: injection from create() refused (EINVAL)" 22 \
    "$(ext_counter "$work/ext2.json" late "create inject error")"
jctl injected1 counters
expect_jq "new instance: its injection dropped, named" "$work/injected1.json" \
    '[.drops[] | select(.extension == "late") | [.reason, .count]] == [["injected packet refused", 1]]'
expect_jq "kept: watch is still disabled, others enabled" "$work/ext2.json" \
    '[.extensions[] | [.name, .enabled]] == [["flowmon",true],["f6",true],["watch",false],["fw",true],["late",true]]'
fw_active() { jq '.extensions[] | select(.name == "fw") | .stats["active total"]' "$1"; }
expect_eq "the firewall had connections" 3 "$(fw_active "$work/ext0.json")"
expect_eq "replaced firewall: its connections restored" 3 "$(fw_active "$work/ext2.json")"
expect_eq "port events: f6 heard p2 go and p4 come" "1 1" \
    "$(ext_counter "$work/ext2.json" f6 "port removes") $(ext_counter "$work/ext2.json" f6 "port adds")"
expect_line "port event logged" "$work/a.err" "xswd: info: f6: port p2 removed"
expect_line "port event logged" "$work/a.err" "xswd: info: late: port p4 added"
jctl ports2 port list
expect_jq "ports: ids kept, p2 removed with its counters, p4 new" "$work/ports2.json" \
    '[.ports[] | [.name, .id, .type, .rx]] == [["p1",0,"pcap",2],["p2",1,"removed",1],["p3",2,"pcap",1],["p4",3,"pcap",0]]'
expect_jq "ports: p1 still administratively down" "$work/ports2.json" \
    '.ports[0].admin == "down"'
jctl fdb2 fdb show
expect_jq "FDB: only A on p1 is left (p2 removed, p3's VLANs changed)" "$work/fdb2.json" \
    '[.entries[] | [.mac, .port]] == [["02:00:00:00:00:0a","p1"]]'
jctl sum2 switch show
expect_jq "accounting still adds up" "$work/sum2.json" \
    '.totals.rx == ([.ports[].rx] | add) and .totals.rx + .totals.injected == .totals.delivered + .totals.dropped'
# The same file again: nothing changes, and what xswctl set stays.
jctl rl2 reload
expect_jq "same file: all unchanged" "$work/rl2.json" \
    '.ports == {"unchanged":["p1","p3","p4"]} and .extensions.unchanged == ["flowmon","f6","watch","fw","late"]'
jctl ext3 ext list
expect_jq "same file: watch still disabled" "$work/ext3.json" \
    '[.extensions[] | select(.name == "watch") | .enabled] == [false]'
# The file now disables f6 and moves late first: applied.
sed -i -e 's/name: f6,/name: f6, enabled: false,/' -e '/name: late/d' "$cfg"
sed -i 's/^extensions:/extensions:\n  - { module: role_filter, name: late, config: { inject_at_create: p1 } }/' "$cfg"
jctl rl3 reload
expect_jq "enabled and order from the file" "$work/rl3.json" \
    '.extensions.disabled == ["f6"] and .extensions.order == ["late","flowmon","f6","watch","fw"]'
# Removed extension: gone from the list, its drop rows stay.
sed -i '/name: late/d' "$cfg"
jctl rl4 reload
expect_jq "extension removed" "$work/rl4.json" '.extensions.removed == ["late"]'
stop_xswd
expect_jq "summary: p2 removed, counted" "$work/a.summary.json" \
    '[.ports[] | select(.name == "p2") | .type, .rx] == ["removed", 1]'

# --- Reloads under traffic ---------------------------------------------------
# A replay through two ports and the filters, made to last (f6 sleeps
# 1 ms a batch); the loop reloads (f6's config alternating, so f6 is
# replaced each time) and reads the counters until the replay is done.
# No frame may be lost or counted twice.
n=100000
printf '@random %d q1 seed=1 macs=64 flows=500 size=64 vlan=10\n@random %d q2 seed=2 macs=64 flows=500 size=64 vlan=10 start=0.000001\n' \
    $n $n >"$work/big.txt"
"$bin/xsw-pcapgen" "$work/big.txt" "$work/big" >/dev/null || exit 1
bigcfg() {
    cat >"$work/big.yaml" <<EOF
switch: { name: reloadbig }
ports:
${2:-}
  - { name: q1, type: pcap, rx: big/q1.pcap, tx: out/q1.pcap, vlan: { mode: trunk, allowed: [10] } }
  - { name: q2, type: pcap, rx: big/q2.pcap, tx: out/q2.pcap, vlan: { mode: trunk, allowed: [10] } }
extensions:
  - { module: flowmon }
  - { module: role_filter, name: f6, config: { drop_ethertype: $1, sleep_us: 1000 } }
EOF
}
# q0 (id 0) goes with the first reload: q1 and q2 keep ids 1 and 2, which
# are no longer their places in the file.
bigcfg 0x86dd "  - { name: q0, type: pcap, tx: out/q0.pcap }"
xswd_bg big "$work/big.yaml" --paused --log-format json
reloads=0 midway=0 i=0
jctl bigresume switch resume
while [ $i -lt 400 ] && ! state_is held; do
    i=$((i + 1))
    [ $((i % 2)) = 0 ] && bigcfg 0x86dd || bigcfg 0x88cc
    if ctl --json reload >"$work/big-rl.json" 2>"$work/big-rl.err"; then
        reloads=$((reloads + 1))
    else
        fail "reload $i under traffic: $(cat "$work/big-rl.err")"
    fi
    # After the first reload, a live trace of two frames from q2.
    [ $i = 1 ] && { ctl trace --live q2 --count 2 --timeout 30 --json \
        >"$work/live.json" 2>"$work/live.err" & live_pid=$!; }
    rx=$(ctl --json counters | jq .totals.rx)
    [ "$rx" -gt 0 ] && [ "$rx" -lt $((2 * n)) ] && midway=$((midway + 1))
done
wait_until 60 state_is held || fail "the replay did not finish"
[ $midway -ge 3 ] && ok || fail "only $midway reloads happened mid-replay (of $reloads)"
wait $live_pid
expect_rc "live trace after a reload removed a port" 0 $?
expect_jqs "live trace: named by id, not by place in the file" "$work/live.json" \
    'length == 2 and all(.port == "q2")'
jctl bigsum switch show
expect_jq "under traffic: every frame received once" "$work/bigsum.json" \
    ".totals.rx == $((2 * n))"
expect_jq "under traffic: rx = delivered + dropped" "$work/bigsum.json" \
    '.totals.rx == .totals.delivered + .totals.dropped and ([.ports[] | .rx == .delivered + .dropped] | all)'
expect_jq "under traffic: drops add up" "$work/bigsum.json" \
    '.totals.dropped == ([.drops[] | .count] | add // 0)'
jctl bigext ext list
expect_eq "under traffic: f6 counted every frame across its instances" $((2 * n)) \
    "$(ext_counter "$work/bigext.json" f6 packets)"
stop_xswd
expect_jqs "under traffic: one reload.ok record a reload, f6 replaced with its state" "$work/big.err" \
    "[.[] | select(.event == \"reload.ok\")] | length == $reloads and all(.extensions_replaced == 1 and .extensions_restored == 1 and .file == \"$work/big.yaml\")"
for q in q1 q2; do
    want=$(jq --arg q $q '.ports[] | select(.name == $q) | .tx' "$work/big.summary.json")
    expect_eq "under traffic: $q's output holds what it sent" "$want" "$(frames "$work/out/$q.pcap")"
done
# Under the sanitizers, a leak or a bad access shows in xswd's stderr.
for f in "$work"/a.err "$work"/big.err; do
    if grep -q "Sanitizer" "$f"; then fail "$f: sanitizer report"; grep -m5 -A10 Sanitizer "$f" >&2; else ok; fi
done
echo "reload: $passes passed, $fails failed ($reloads reloads under traffic, $midway mid-replay)"
[ $fails = 0 ]
