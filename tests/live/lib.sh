# Shared by the live test scripts (sourced): counting checks and bounded
# waits.  The script sets 'work' (its work directory) before calling them.
fails=0 passes=0

ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1" >&2; }
check() { # check NAME COMMAND...: passes when COMMAND succeeds
    local name=$1
    shift
    if "$@" >"$work/last.out" 2>&1; then ok "$name"; else
        bad "$name"
        sed 's/^/    /' "$work/last.out" >&2
    fi
}

# Waits (at most N tenths of a second) for a line matching RE in FILE.
wait_for() { # wait_for FILE RE TENTHS
    local i
    for ((i = 0; i < $3; i++)); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
