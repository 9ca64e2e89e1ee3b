# Shared by the control tests (sourced): the work directory, counted
# expectations, xswctl wrappers, raw requests and the cleanup trap.  The
# script sets 'bin' and 'work', calls work_setup, then sets 'sock' and
# adds what it starts in the background to 'pids'.
fails=0 passes=0

# work_setup TAG: a fresh, absolute 'work'; 'sock_dir' for the sockets
# (a socket path has at most 107 bytes: a deep build tree gets
# /tmp/TAG-XXXXXX); nothing in 'pids' yet; the cleanup trap set.
work_setup() {
    rm -rf "$work"
    mkdir -p "$work"
    work=$(cd "$work" && pwd)
    sock_dir=$work
    [ ${#sock_dir} -gt 80 ] && sock_dir=$(mktemp -d "/tmp/$1-XXXXXX")
    pids=()
    trap cleanup EXIT
}

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

expect_rc() { # expect_rc NAME WANT GOT
    if [ "$2" = "$3" ]; then ok; else fail "$1: exit $3, expected $2"; fi
}
expect_eq() { # expect_eq NAME WANT GOT
    if [ "$2" = "$3" ]; then ok; else fail "$1: '$3', expected '$2'"; fi
}
# expect_jq NAME FILE EXPR: EXPR holds on the JSON in FILE.
expect_jq() {
    if jq -e "$3" "$2" >/dev/null 2>&1; then ok; else
        fail "$2: $1: '$3' does not hold on:"
        cat "$2" >&2
    fi
}
# expect_jqs NAME FILE EXPR: the same on all the JSON values in FILE, as
# one array (jq -s).
expect_jqs() {
    if jq -s -e "$3" "$2" >/dev/null 2>&1; then ok; else
        fail "$2: $1: '$3' does not hold on:"
        cat "$2" >&2
    fi
}
expect_line() { # expect_line NAME FILE LINE (exact line present)
    if grep -qxF -- "$3" "$2"; then ok; else
        fail "$1: no line '$3' in:"
        cat "$2" >&2
    fi
}

ctl() { "$bin/xswctl" -s "$sock" "$@"; }
# jctl NAME ARGS...: runs 'xswctl --json ARGS' into $work/NAME.json, which
# must succeed.
jctl() {
    local name=$1 rc
    shift
    ctl --json "$@" >"$work/$name.json" 2>"$work/$name.err"
    rc=$?
    expect_rc "xswctl $*" 0 $rc
    [ $rc = 0 ] || cat "$work/$name.err" >&2
}
# refused NAME WANT_RC MESSAGE ARGS...: xswctl must fail with that exit
# status and exactly that message line on stderr.
refused() {
    local name=$1 want=$2 msg=$3 rc
    shift 3
    ctl "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
    expect_rc "xswctl $*" "$want" $rc
    expect_line "$name" "$work/$name.err" "$msg"
}
# wait_until SECONDS CMD...: until CMD succeeds, at most SECONDS.
wait_until() {
    local end=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.1
    done
}
# xswd_bg NAME CONFIG [OPTIONS...]: xswd in the background on $sock, held
# after its replay, with $work/NAME.out, NAME.err and NAME.summary.json;
# waits (at most 20 s) until it answers, else fails the script.
xswd_bg() {
    local name=$1 cfg=$2
    shift 2
    "$bin/xswd" -c "$cfg" --control "$sock" --hold "$@" \
        --summary-json "$work/$name.summary.json" \
        >"$work/$name.out" 2>"$work/$name.err" &
    xswd_pid=$!
    pids+=("$xswd_pid")
    if ! wait_until 20 ctl switch show; then
        fail "xswd did not answer on $sock within 20 s; its stderr:"
        cat "$work/$name.err" >&2
        exit 1
    fi
}
# xswd_stop CHECK: SIGTERM to the xswd xswd_bg started, which must exit 0
# (CHECK names that check).
xswd_stop() {
    kill -TERM "$xswd_pid"
    wait "$xswd_pid"
    expect_rc "$1" 0 $?
}
# frames FILE: how many frames a capture holds (libpcap's reading).
frames() { "$bin/xsw-pcap-diff" --dump "$1" | wc -l; }
state_is() { [ "$(ctl --json switch show | jq -r .state)" = "$1" ]; }
# raw NAME: sends stdin as it is and keeps the reply lines in NAME.json
# (socat's complaints, such as a broken pipe when the switch closes on an
# oversized line, in NAME.socat).
raw() {
    timeout 10 socat -t 5 - "UNIX-CONNECT:$sock" >"$work/$1.json" \
        2>"$work/$1.socat"
}
# cleanup: for 'trap cleanup EXIT': stops every process in 'pids' and
# removes the socket directory made outside 'work' (for a short path).
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    [ "$sock_dir" != "$work" ] && rm -rf "$sock_dir"
}
