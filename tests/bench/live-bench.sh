#!/usr/bin/env bash
# Live benchmark (issue 5): xswd against the Linux bridge and Open vSwitch's
# userspace datapath, on the same veth topology, in one run.
#
#   live-bench.sh [--runs N] [--seconds S] [--pps-seconds S] [--bin DIR]
#                 [--cases "bridge xsw ovs"] [--work DIR] [--profile]
#                 [--no-pin] [--nice N]
#
# A program that prints figures, not a test: it needs root, takes about
# 5 minutes with the defaults (--profile included), and exits non-zero
# only when it cannot measure at all.  See docs/performance.md for the
# method, the figures and what they mean.
#
# Topology.  Two hosts, each a network namespace whose eth0 is one end of
# a veth pair; the other ends (vs<id>, vr<id>) stay in this namespace and
# are joined, one case at a time, by
#   bridge  a Linux bridge (kernel forwarding);
#   xsw     xswd with two 'system' ports;
#   ovs     Open vSwitch with datapath_type=netdev (its userspace datapath),
#           when ovs-vswitchd is installed (Debian openvswitch-switch);
#           ovsdb-server and ovs-vswitchd run by hand on a private database
#           and sockets under the work directory, stopped by pid.
# The kernel's offloads stay at their defaults on every device: the sender
# hands out partial checksums and TCP super-frames.  The bridge forwards
# those untouched; xswd completes the checksums and cuts the super-frames
# into MTU-sized segments; OVS gets userspace-tso-enable=true, without
# which its netdev datapath forwards the partial checksums unfinished and
# TCP does not connect.
#
# Measures.  Per case, per run: TCP throughput (iperf3, one stream, sender
# -> receiver, S seconds) and 64-byte UDP frames (60 bytes + FCS) from one
# trafgen process in the sender namespace, as fast as it goes.  Frames
# ARRIVED are the receiving eth0's rx_packets over a fixed window (after a
# second of warm-up); frames OFFERED are the sending eth0's tx_packets +
# tx_dropped over the same window.  Runs alternate the cases (bridge xsw
# ovs bridge xsw ovs ...) so that a slower minute of this shared machine
# hits every case alike; the table gives medians and their ratios, and
# the per-run figures stay in WORK/results.tsv.
#
# --profile (needs perf, Debian linux-perf): after the runs, xswd under
# 'perf stat' (CPU time, syscall counts, context switches) and under
# 'perf record -g', during one small-frame window and one TCP transfer
# each, and a count of where small frames are lost (a fixed 2M frames
# through a fresh xswd, counted at every hop).  Reports stay in WORK.
#
# CPUs.  trafgen pins its one generator to CPU 0; the userspace switches
# (xswd, every thread of ovs-vswitchd) are pinned to the last CPU
# (--no-pin: left to the scheduler, which now and then puts the switch on
# the generator's CPU and halves both: runs then differ by 3x).  The Linux
# bridge forwards in the softirq of the sending CPU, i.e. on the
# generator's CPU: its small-frame figure is generator-bound.
# Every process of the measure (switch, trafgen, iperf3) runs at nice -10
# (--nice N), and so does this script's scheduling autogroup (restored at
# exit): with autogroups, the kernel shares the CPUs between sessions
# first, and a process's nice only counts within its session.  Other work
# on a shared machine then takes less from the measure, though never
# nothing: the CPU % column tells when the switch was starved.
#
# Names are unique to this run (suffix: the shell's pid) and everything
# is removed on exit, whatever happens.  Addresses: 198.18.0.0/15 only.
set -uo pipefail

runs=5 secs=10 pps_secs=5 bin='' work='' keep=0 profile=0 pin=1 nice=-10
cases="bridge xsw ovs"
here=$(cd "$(dirname "$0")" && pwd)

usage() {
    sed -n '5,7p' "$0" | sed 's/^# //' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --pps-seconds) pps_secs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --work) work=$2; keep=1; shift 2 ;;
    --profile) profile=1; shift ;;
    --no-pin) pin=0; shift ;;
    --nice) nice=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "live-bench: unknown argument '$1'" >&2; usage ;;
    esac
done
for v in "$runs" "$secs" "$pps_secs"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "live-bench: '$v' is not a positive integer" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "live-bench: needs root (namespaces, veth pairs)" >&2; exit 1; }
if [ -z "$bin" ]; then
    for d in "$here/../../build-bench/bin" "$here/../../build/bin"; do
        [ -x "$d/xswd" ] && { bin=$(cd "$d" && pwd); break; }
    done
fi
[ -n "$bin" ] && [ -x "$bin/xswd" ] || { echo "live-bench: no xswd (give --bin DIR)" >&2; exit 1; }
for t in iperf3 trafgen jq ip; do
    command -v $t >/dev/null || { echo "live-bench: $t is not installed" >&2; exit 1; }
done
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/xsw-bench.XXXXXX)
elif [ -f "$work/results.tsv" ]; then
    rm -rf "$work" && mkdir -p "$work" # An earlier run's: replaced.
elif [ -d "$work" ] && [ -n "$(ls -A "$work")" ]; then
    echo "live-bench: $work is not empty (and not an earlier run's work directory)" >&2
    exit 2
else
    mkdir -p "$work" || exit 2
fi
[ $profile = 1 ] && keep=1
[[ $nice =~ ^-?[0-9]+$ ]] || { echo "live-bench: --nice wants an integer" >&2; exit 2; }
nice_cmd=(nice -n "$nice")
pin_cmd=("${nice_cmd[@]}")
ncpu=$(nproc)
if [ $pin = 1 ] && [ "$ncpu" -ge 2 ] && command -v taskset >/dev/null; then
    pin_cmd+=(taskset -c $((ncpu - 1)))
fi

id=$$
nss=xbs$id nsr=xbr$id # sender, receiver namespaces
vs=vs$id vr=vr$id     # their veth ends in this namespace
brname=xbb$id ovsbr=xbo$id
ip_s=198.18.0.1 ip_r=198.18.0.2
xswd_pid='' ovsdb_pid='' vswitchd_pid='' perfpid='' bg_pids=() ag_old=
ovsdir=$work/ovs

log() { echo "live-bench: $*" >&2; }

cleanup() {
    local p
    for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    [ -n "$perfpid" ] && kill "$perfpid" 2>/dev/null && wait "$perfpid" 2>/dev/null
    [ -n "$xswd_pid" ] && kill "$xswd_pid" 2>/dev/null && wait "$xswd_pid" 2>/dev/null
    ovs_stop
    ip netns del "$nss" 2>/dev/null
    ip netns del "$nsr" 2>/dev/null
    ip link del "$vs" 2>/dev/null
    ip link del "$vr" 2>/dev/null
    ip link del "$brname" 2>/dev/null
    [ -n "$ag_old" ] && echo "$ag_old" >/proc/self/autogroup 2>/dev/null
    if [ $keep = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
    true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -w /proc/self/autogroup ]; then
    ag_old=$(sed -n 's/.* nice //p' /proc/self/autogroup)
    echo "$nice" >/proc/self/autogroup 2>/dev/null || ag_old=
fi

# Waits (at most N tenths of a second) for COMMAND to succeed.
wait_until() { # wait_until TENTHS COMMAND...
    local i n=$1
    shift
    for ((i = 0; i < n; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------------
# Hosts

host() { # host NS VETH ADDR
    ip netns add "$1" &&
        ip link add "$2" type veth peer name eth0 netns "$1" &&
        ip link set "$2" up &&
        ip -n "$1" link set lo up &&
        ip -n "$1" link set eth0 up &&
        ip -n "$1" addr add "$3/24" dev eth0
}

# counter NS|- DEV rx|tx FIELD: a 64-bit device counter.
counter() {
    local nsarg=()
    [ "$1" != - ] && nsarg=(-n "$1")
    ip "${nsarg[@]}" -s -j link show dev "$2" | jq ".[0].stats64.$3.$4"
}

connected() { ip netns exec "$nss" ping -c 3 -i 0.2 -W 2 -q "$ip_r"; }

# ---------------------------------------------------------------------
# The cases: setup_CASE makes vs and vr forward to each other, teardown_CASE
# undoes it.  Each returns non-zero when it could not.

setup_bridge() {
    ip link set "$vs" master "$brname" && ip link set "$vr" master "$brname"
}
teardown_bridge() {
    ip link set "$vs" nomaster
    ip link set "$vr" nomaster
}

run=0
setup_xsw() {
    cat >"$work/xsw.yaml" <<YAML
switch: { name: bench }
ports:
  - { name: s, type: system, device: $vs }
  - { name: r, type: system, device: $vr }
YAML
    "${pin_cmd[@]}" "$bin/xswd" -c "$work/xsw.yaml" --summary-json "$work/xsw-summary.$run.json" \
        >"$work/xswd.out" 2>"$work/xswd.err" &
    xswd_pid=$!
    wait_until 50 grep -q "running with" "$work/xswd.err"
}
teardown_xsw() {
    [ -n "$xswd_pid" ] || return 0
    kill -TERM "$xswd_pid" && wait "$xswd_pid"
    local rc=$?
    xswd_pid=
    [ $rc = 0 ] || log "xswd exited with status $rc (see $work/xswd.err)"
}

vsctl() { ovs-vsctl --db="unix:$ovsdir/db.sock" --timeout=10 "$@"; }
ovs_env() {
    export OVS_RUNDIR=$ovsdir OVS_LOGDIR=$ovsdir OVS_DBDIR=$ovsdir \
        OVS_SYSCONFDIR=$ovsdir
}
# Starts ovsdb-server and ovs-vswitchd on a private database; every file
# and socket under $ovsdir.
ovs_netdev_before=1
ovs_start() {
    local schema=/usr/share/openvswitch/vswitch.ovsschema
    ip link show ovs-netdev >/dev/null 2>&1 || ovs_netdev_before=0
    mkdir -p "$ovsdir"
    ovs_env
    ovsdb-tool create "$ovsdir/conf.db" "$schema" || return 1
    "${pin_cmd[@]}" ovsdb-server "$ovsdir/conf.db" --remote="punix:$ovsdir/db.sock" \
        --unixctl="$ovsdir/ovsdb-server.ctl" --pidfile="$ovsdir/ovsdb-server.pid" \
        --log-file="$ovsdir/ovsdb-server.log" --no-chdir \
        >/dev/null 2>&1 &
    ovsdb_pid=$!
    wait_until 50 test -S "$ovsdir/db.sock" || return 1
    vsctl --no-wait init &&
        vsctl --no-wait set Open_vSwitch . other_config:userspace-tso-enable=true ||
        return 1
    "${pin_cmd[@]}" ovs-vswitchd "unix:$ovsdir/db.sock" --unixctl="$ovsdir/ovs-vswitchd.ctl" \
        --pidfile="$ovsdir/ovs-vswitchd.pid" --log-file="$ovsdir/ovs-vswitchd.log" \
        --no-chdir >/dev/null 2>&1 &
    vswitchd_pid=$!
    wait_until 100 test -S "$ovsdir/ovs-vswitchd.ctl" && vsctl show >/dev/null
}
# Stops both daemons.  'exit --cleanup' makes ovs-vswitchd destroy its
# datapath and the persistent TAP devices it made for it (ovs-netdev and
# the bridge's own port), which a plain SIGTERM leaves behind.
ovs_stop() {
    if [ -n "$vswitchd_pid" ]; then
        timeout 10 ovs-appctl -t "$ovsdir/ovs-vswitchd.ctl" exit --cleanup >/dev/null 2>&1
        wait_until 50 bash -c "! kill -0 $vswitchd_pid" || kill "$vswitchd_pid" 2>/dev/null
        wait "$vswitchd_pid" 2>/dev/null
        vswitchd_pid=
        # Only if this run made it (the name is Open vSwitch's, not ours).
        [ "$ovs_netdev_before" = 0 ] && ip link del ovs-netdev 2>/dev/null
        ip link del "$ovsbr" 2>/dev/null
    fi
    if [ -n "$ovsdb_pid" ]; then
        kill "$ovsdb_pid" 2>/dev/null && wait "$ovsdb_pid" 2>/dev/null
        ovsdb_pid=
    fi
    true
}
setup_ovs() {
    vsctl add-br "$ovsbr" -- set bridge "$ovsbr" datapath_type=netdev \
        -- add-port "$ovsbr" "$vs" -- add-port "$ovsbr" "$vr"
}
teardown_ovs() { vsctl --if-exists del-br "$ovsbr"; }

# ---------------------------------------------------------------------
# The measures

# With PERF set (perf's arguments), a measure also runs 'perf $PERF' on
# xswd for a part of its window, writing PERF_OUT.
perf_bg() { # perf_bg DELAY SECONDS
    [ -n "${PERF:-}" ] || return 0
    (sleep "$1" && exec perf $PERF -p "$xswd_pid" -- sleep "$2") >"$PERF_OUT" 2>&1 &
    perfpid=$!
}
perf_wait() {
    [ -n "$perfpid" ] && wait "$perfpid"
    perfpid=
}

# TCP from sender to receiver: sets TCP to "Gbit/s<TAB>in<TAB>out" (NA
# when it fails), in and out being the mean size of the frames that
# entered and left the switch (bridge: super-frames both ways; xsw:
# super-frames in, MTU-sized segments out).
measure_tcp() { # measure_tcp CASE
    local srv j gbps in_p0 in_b0 out_p0 out_b0 in_p1 in_b1 out_p1 out_b1
    ip netns exec "$nsr" "${nice_cmd[@]}" timeout $((secs + 30)) iperf3 -s -1 -B "$ip_r" -p 5201 \
        >"$work/iperf3-server.out" 2>&1 &
    srv=$!
    bg_pids=("$srv")
    TCP="NA	NA	NA"
    if ! wait_until 50 bash -c "ip netns exec $nsr ss -ltn | grep -q ':5201 '"; then
        log "$1: the iperf3 server did not start"
        kill "$srv" 2>/dev/null
        wait "$srv" 2>/dev/null
        bg_pids=()
        return
    fi
    in_p0=$(counter - "$vs" rx packets) in_b0=$(counter - "$vs" rx bytes)
    out_p0=$(counter - "$vr" tx packets) out_b0=$(counter - "$vr" tx bytes)
    j=$work/iperf3.$1.$run.json
    perf_bg 1 $((secs > 2 ? secs - 2 : 1))
    ip netns exec "$nss" "${nice_cmd[@]}" timeout $((secs + 20)) iperf3 -c "$ip_r" -p 5201 \
        -t "$secs" -J --connect-timeout 3000 >"$j" 2>&1
    in_p1=$(counter - "$vs" rx packets) in_b1=$(counter - "$vs" rx bytes)
    out_p1=$(counter - "$vr" tx packets) out_b1=$(counter - "$vr" tx bytes)
    wait "$srv" 2>/dev/null
    bg_pids=()
    perf_wait
    gbps=$(jq -e '.end.sum_received.bits_per_second / 1e9' "$j" 2>/dev/null) || gbps=NA
    [ "$gbps" = NA ] && log "$1: iperf3 failed (see $j)"
    TCP=$(printf '%s\t%s\t%s\n' "$gbps" \
        "$(((in_b1 - in_b0) / (in_p1 - in_p0 > 0 ? in_p1 - in_p0 : 1)))" \
        "$(((out_b1 - out_b0) / (out_p1 - out_p0 > 0 ? out_p1 - out_p0 : 1)))")
}

trafgen_conf() {
    local dmac smac
    dmac=$(ip -n "$nsr" -j link show dev eth0 | jq -r '.[0].address')
    smac=$(ip -n "$nss" -j link show dev eth0 | jq -r '.[0].address')
    # 14 + 20 + 8 + 18 = 60 bytes: a 64-byte frame with its FCS.  The
    # destination port has no listener: the receiver drops the datagrams
    # after its UDP lookup, answering none (see below).
    cat >"$work/udp64.trafgen" <<EOF
{
  eth(da=$dmac, sa=$smac, type=0x0800),
  ipv4(saddr=$ip_s, daddr=$ip_r, ttl=64, df),
  udp(sport=4000, dport=9),
  fill(0x00, 18)
}
EOF
}

# CPU time (clock ticks) used so far by the userspace switch of CASE.
switch_ticks() { # switch_ticks CASE
    local pid=
    case $1 in xsw) pid=$xswd_pid ;; ovs) pid=$vswitchd_pid ;; esac
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { echo NA; return; }
    # Fields 14 and 15 (utime, stime), counted after the ')' that ends
    # the command name.
    sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'
}

# Small frames: sets PPS to "offered arrived cpu" (frames/s, or NA; cpu:
# the userspace switch's share of one CPU over the window, in %, which
# tells a switch starved by other work from one that is saturated).
measure_pps() { # measure_pps CASE
    local gen t0 t1 o0 o1 a0 a1 c0 c1
    ip netns exec "$nss" "${nice_cmd[@]}" timeout $((pps_secs + 15)) trafgen --dev eth0 \
        --conf "$work/udp64.trafgen" --cpus 1 --no-sock-mem --notouch-irq --no-cpu-stats \
        >"$work/trafgen.out" 2>&1 &
    gen=$!
    bg_pids=("$gen")
    PPS="NA NA NA"
    sleep 1
    if ! kill -0 "$gen" 2>/dev/null; then
        log "$1: trafgen did not run (see $work/trafgen.out)"
        bg_pids=()
        return
    fi
    perf_bg 0 "$pps_secs"
    c0=$(switch_ticks "$1")
    t0=$(date +%s%N)
    o0=$(($(counter "$nss" eth0 tx packets) + $(counter "$nss" eth0 tx dropped)))
    a0=$(counter "$nsr" eth0 rx packets)
    sleep "$pps_secs"
    a1=$(counter "$nsr" eth0 rx packets)
    o1=$(($(counter "$nss" eth0 tx packets) + $(counter "$nss" eth0 tx dropped)))
    t1=$(date +%s%N)
    c1=$(switch_ticks "$1")
    perf_wait
    kill -INT "$gen" 2>/dev/null
    wait "$gen" 2>/dev/null
    bg_pids=()
    PPS=$(awk -v o=$((o1 - o0)) -v a=$((a1 - a0)) -v ns=$((t1 - t0)) \
        -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN {
            cpu = c0 == "NA" ? "NA" : sprintf("%.0f", 100 * (c1 - c0) / hz / (ns / 1e9))
            printf "%.0f %.0f %s\n", o / (ns / 1e9), a / (ns / 1e9), cpu }')
}

# ---------------------------------------------------------------------
# Statistics

median() { # median of the numeric arguments (NA skipped), or NA
    printf '%s\n' "$@" | grep -v '^NA$' | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "NA"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}
ratio() { # ratio A B, to two decimals, or NA
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "NA" || b == "NA" || b + 0 == 0) print "NA"; else printf "%.2f\n", a / b }'
}
column_of() { # column_of CASE FIELD: the values of results.tsv
    awk -F'\t' -v c="$1" -v f="$2" 'NR > 1 && $2 == c { print $f }' "$work/results.tsv"
}
# Median over runs of the per-run ratio A/B (the runs are paired: the
# cases of one run are measured within a minute of each other).
paired_ratio() { # paired_ratio CASE_A CASE_B FIELD
    local r vals=()
    for ((r = 1; r <= runs; r++)); do
        vals+=("$(awk -F'\t' -v r=$r -v a="$1" -v b="$2" -v f="$3" '
            NR > 1 && $1 == r && $2 == a { x = $f }
            NR > 1 && $1 == r && $2 == b { y = $f }
            END { if (x == "" || y == "" || x == "NA" || y == "NA" || y + 0 == 0) print "NA";
                  else printf "%.4f\n", x / y }' "$work/results.tsv")")
    done
    r=$(median "${vals[@]}")
    [ "$r" = NA ] && echo NA || printf '%.2f\n' "$r"
}

# ---------------------------------------------------------------------
# The run

for c in $cases; do
    case $c in bridge | xsw | ovs) ;; *) log "unknown case '$c' (bridge, xsw, ovs)"; exit 2 ;; esac
done
want_ovs=0
case " $cases " in *" ovs "*) want_ovs=1 ;; esac
if [ $want_ovs = 1 ] && ! command -v ovs-vswitchd >/dev/null; then
    log "note: ovs-vswitchd is not installed (Debian: openvswitch-switch); case 'ovs' skipped"
    cases=$(echo " $cases " | sed 's/ ovs / /; s/^ *//; s/ *$//')
    want_ovs=0
fi
[ -n "$cases" ] || { log "no case to run"; exit 1; }

host "$nss" "$vs" "$ip_s" && host "$nsr" "$vr" "$ip_r" ||
    { log "cannot build the hosts"; exit 1; }
# The small frames go to a UDP port nobody listens on.  Left alone, the
# receiver would try to answer each with an ICMP error (route lookup,
# xfrm lookup, ...) before its rate limit discards it, and the userspace
# switches pay for that inside their sendmmsg() (veth runs the receiver's
# stack in the sender's context): a third less small-frame rate for xswd
# here.  The namespace's own ICMP error budget set to zero
# makes it drop them right after the UDP lookup (per namespace: the
# host's setting is untouched).
ip netns exec "$nsr" sysctl -q -w net.ipv4.icmp_msgs_per_sec=0 net.ipv4.icmp_msgs_burst=0 ||
    log "note: could not turn off ICMP errors in the receiver"
ip link add "$brname" type bridge && ip link set "$brname" up ||
    { log "cannot make a bridge"; exit 1; }
if [ $want_ovs = 1 ] && ! ovs_start; then
    log "note: Open vSwitch did not start (see $ovsdir); case 'ovs' skipped"
    cases=$(echo " $cases " | sed 's/ ovs / /; s/^ *//; s/ *$//')
fi
trafgen_conf

versions() {
    echo "kernel: $(uname -r); CPUs: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/\t//')"
    echo "iperf3: $(iperf3 --version | head -1)"
    echo "trafgen: $(trafgen -v | head -1)"
    command -v ovs-vswitchd >/dev/null && echo "ovs: $(ovs-vswitchd --version | head -1)"
    echo "xswd: $bin/xswd"
    echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (above ~0.5: other work shares the CPUs)"
}
versions | tee "$work/versions.txt" >&2
log "cases: $cases; $runs runs; TCP $secs s; small frames $pps_secs s; switch started with: ${pin_cmd[*]}"

printf 'run\tcase\ttcp_gbps\ttcp_in_avg_bytes\ttcp_out_avg_bytes\tpps_offered\tpps_arrived\tswitch_cpu_pct\n' \
    >"$work/results.tsv"
for ((run = 1; run <= runs; run++)); do
    for c in $cases; do
        TCP="NA	NA	NA" PPS="NA NA NA"
        if ! "setup_$c" >"$work/setup.out" 2>&1; then
            log "run $run, $c: setup failed: $(head -c 300 "$work/setup.out")"
        elif ! connected >/dev/null 2>&1; then
            log "run $run, $c: no connectivity between the hosts"
        else
            measure_tcp "$c"
            measure_pps "$c"
        fi
        "teardown_$c" >/dev/null 2>&1
        printf '%s\t%s\t%s\t%s\n' "$run" "$c" "$TCP" "${PPS// /	}" >>"$work/results.tsv"
        read -r off arr cpu <<<"$PPS"
        log "run $run, $c: TCP ${TCP%%	*} Gbit/s; 64 B: offered $off/s, arrived $arr/s, switch CPU $cpu%"
    done
done

# Drops inside xswd (from its summaries), as a cross-check of the
# offered/arrived gap.
if ls "$work"/xsw-summary.*.json >/dev/null 2>&1; then
    jq -s -c '[.[] | {rx: .totals.rx, tx: .totals.tx, dropped: .totals.dropped}]' \
        "$work"/xsw-summary.*.json >"$work/xsw-totals.json" 2>/dev/null
fi

# --- The table --------------------------------------------------------
declare -A tcp_m pps_m off_m fin_m fout_m cpu_m
median_of() { # median_of CASE FIELD
    local vals
    mapfile -t vals < <(column_of "$1" "$2")
    median "${vals[@]}"
}
for c in $cases; do
    tcp_m[$c]=$(median_of "$c" 3)
    fin_m[$c]=$(median_of "$c" 4)
    fout_m[$c]=$(median_of "$c" 5)
    off_m[$c]=$(median_of "$c" 6)
    pps_m[$c]=$(median_of "$c" 7)
    cpu_m[$c]=$(median_of "$c" 8)
done
fmt2() { awk -v v="$1" 'BEGIN { if (v == "NA") print v; else printf "%.2f\n", v }'; }
fmt0() { awk -v v="$1" 'BEGIN { if (v == "NA") print v; else printf "%.0f\n", v }'; }
row() { printf '| %-6s | %10s | %11s | %11s | %9s | %7s | %13s | %10s | %10s | %7s | %7s |\n' "$@"; }
# verdict NAME VALUE TARGET: "met" when VALUE >= TARGET.
verdict() {
    awk -v v="$2" -v t="$3" -v n="$1" 'BEGIN {
        if (v == "NA") print n ": not measured";
        else printf "%s: %.2f (target >= %s): %s\n", n, v, t, (v >= t ? "met" : "MISSED") }'
}
echo
echo "Medians of $runs runs (cases alternated; TCP: iperf3 $secs s, one stream;"
echo "64 B: one trafgen, frames arrived at the receiver over $pps_secs s;"
echo "CPU: the userspace switch's share of one CPU during the 64 B window;"
echo "TCP frame in/out: mean size of the frames entering/leaving the switch)"
echo
row case "TCP Gbit/s" "pps arrived" "pps offered" "arrived %" "CPU %" "TCP frame B" "TCP/bridge" "pps/bridge" TCP/ovs pps/ovs
row ------ ---------- ----------- ----------- --------- ------- ------------- ---------- ---------- ------- -------
for c in $cases; do
    pct=$(awk -v a="${pps_m[$c]}" -v o="${off_m[$c]}" 'BEGIN {
        if (a == "NA" || o == "NA" || o + 0 == 0) print "NA"; else printf "%.0f%%\n", 100 * a / o }')
    row "$c" "$(fmt2 "${tcp_m[$c]}")" "$(fmt0 "${pps_m[$c]}")" "$(fmt0 "${off_m[$c]}")" "$pct" \
        "$(fmt0 "${cpu_m[$c]}")" \
        "$(fmt0 "${fin_m[$c]}")/$(fmt0 "${fout_m[$c]}")" \
        "$(ratio "${tcp_m[$c]}" "${tcp_m[bridge]:-NA}")" \
        "$(ratio "${pps_m[$c]}" "${pps_m[bridge]:-NA}")" \
        "$(ratio "${tcp_m[$c]}" "${tcp_m[ovs]:-NA}")" \
        "$(ratio "${pps_m[$c]}" "${pps_m[ovs]:-NA}")"
done
echo
if [ -n "${pps_m[xsw]:-}" ]; then
    if [ -n "${pps_m[ovs]:-}" ]; then
        verdict "xsw/ovs pps" "$(ratio "${pps_m[xsw]}" "${pps_m[ovs]}")" 1.5
        echo "  (median of per-run ratios: pps $(paired_ratio xsw ovs 7), TCP $(paired_ratio xsw ovs 3))"
    else
        echo "xsw/ovs: no OVS case"
    fi
    if [ -n "${pps_m[bridge]:-}" ]; then
        verdict "xsw/bridge pps" "$(ratio "${pps_m[xsw]}" "${pps_m[bridge]}")" 0.5
        echo "  (median of per-run ratios: pps $(paired_ratio xsw bridge 7), TCP $(paired_ratio xsw bridge 3))"
    fi
fi
if [ $keep = 1 ]; then
    echo "Per-run figures: $work/results.tsv"
else
    echo "(--work DIR keeps the per-run figures and logs)"
fi

# --- Optional profile of xswd -----------------------------------------

# Where the small frames are lost: a fixed count through a fresh xswd,
# counted at every hop (device counters, and xswd's own per-port counts).
loss_breakdown() {
    local n=2000000 o0 o1 d0 d1 t0 t1 a0 a1 sum=$work/xsw-summary.loss.json
    run=loss
    setup_xsw && connected >/dev/null 2>&1 || { log "profile: xswd did not start"; return; }
    o0=$(($(counter "$nss" eth0 tx packets) + $(counter "$nss" eth0 tx dropped)))
    d0=$(counter - "$vs" rx packets) t0=$(counter - "$vr" tx packets)
    a0=$(counter "$nsr" eth0 rx packets)
    ip netns exec "$nss" "${nice_cmd[@]}" timeout 60 trafgen --dev eth0 --conf "$work/udp64.trafgen" \
        --cpus 1 -n $n --no-sock-mem --notouch-irq --no-cpu-stats >"$work/trafgen.out" 2>&1
    sleep 0.5
    o1=$(($(counter "$nss" eth0 tx packets) + $(counter "$nss" eth0 tx dropped)))
    d1=$(counter - "$vs" rx packets) t1=$(counter - "$vr" tx packets)
    a1=$(counter "$nsr" eth0 rx packets)
    teardown_xsw
    echo "loss breakdown, $n frames of 64 B from one trafgen through xswd (+/- a few frames of ping/ARP):"
    printf '  %-52s %10s\n' \
        "offered by the generator (sender eth0 tx + tx_dropped)" $((o1 - o0)) \
        "reached the switch's device (rx_packets)" $((d1 - d0)) \
        "read by xswd (port s rx)" "$(jq '.ports[] | select(.name == "s") | .rx' "$sum")" \
        "sent by xswd (port r tx)" "$(jq '.ports[] | select(.name == "r") | .tx' "$sum")" \
        "left the switch's device (tx_packets)" $((t1 - t0)) \
        "arrived at the receiver (eth0 rx_packets)" $((a1 - a0))
}

profile_xsw() {
    local ev=task-clock,context-switches,cpu-migrations,raw_syscalls:sys_enter
    ev=$ev,syscalls:sys_enter_poll,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_sendto
    run=profile
    setup_xsw >/dev/null 2>&1 && connected >/dev/null 2>&1 || { log "profile: xswd did not start"; return; }
    PERF="stat -e $ev" PERF_OUT=$work/perf-stat-pps.txt
    measure_pps xsw
    read -r off arr cpu <<<"$PPS"
    echo "profile: 64 B, perf stat: offered $off/s, arrived $arr/s, xswd CPU $cpu% -> perf-stat-pps.txt"
    PERF="record -g -o $work/perf-pps.data" PERF_OUT=$work/perf-record.out
    measure_pps xsw
    read -r off arr cpu <<<"$PPS"
    echo "profile: 64 B, perf record: offered $off/s, arrived $arr/s, xswd CPU $cpu% -> perf-pps.txt"
    PERF="stat -e $ev" PERF_OUT=$work/perf-stat-tcp.txt
    measure_tcp xsw
    echo "profile: TCP, perf stat: ${TCP%%	*} Gbit/s -> perf-stat-tcp.txt"
    PERF="record -g -o $work/perf-tcp.data" PERF_OUT=$work/perf-record.out
    measure_tcp xsw
    echo "profile: TCP, perf record: ${TCP%%	*} Gbit/s -> perf-tcp.txt"
    PERF=
    teardown_xsw >/dev/null 2>&1
    for k in pps tcp; do
        [ -f "$work/perf-$k.data" ] || continue
        perf report -i "$work/perf-$k.data" --stdio --no-children --sort sym -g none \
            --percent-limit 0.3 >"$work/perf-$k.txt" 2>/dev/null
        perf report -i "$work/perf-$k.data" --stdio --children --sort sym -g none \
            --percent-limit 2 >"$work/perf-$k-children.txt" 2>/dev/null
    done
    loss_breakdown | tee "$work/loss.txt"
}

if [ $profile = 1 ]; then
    if [[ " $cases " != *" xsw "* ]]; then
        log "profile: needs the xsw case"
    elif ! command -v perf >/dev/null; then
        log "profile: perf is not installed (Debian: linux-perf)"
    else
        # perf mounts tracefs by itself for the syscall tracepoints; put
        # the host back as it was.
        traced=0
        mountpoint -q /sys/kernel/tracing 2>/dev/null && traced=1
        profile_xsw
        [ $traced = 0 ] && mountpoint -q /sys/kernel/tracing 2>/dev/null &&
            umount /sys/kernel/tracing 2>/dev/null
    fi
fi
exit 0
