# libFuzzer options shared by smoke.sh and run-long.sh (sourced).
#
# -close_fd_mask=2  the switch's log lines go to /dev/null; libFuzzer's
#                   and the sanitizers' reports still print.
# -timeout=25       an input that runs this long is reported as a hang.
# -rss_limit_mb / -malloc_limit_mb
#                   fuzz-config may ask for the largest tables the config
#                   allows (flowmon max_flows and firewall max_connections
#                   of 16777216 reserve a few GB each, documented and only
#                   touched as they fill), so its single-allocation limit
#                   is raised above libFuzzer's default of 2 GB.
# -dict             keywords for the targets whose inputs are text.
fuzz_options() {
    local name=$1 dir
    dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    echo "-close_fd_mask=2 -timeout=25 -rss_limit_mb=4096"
    case $name in
    fuzz-config) echo "-malloc_limit_mb=8192 -dict=$dir/config.dict" ;;
    esac
}

# Sets XSW_FUZZ_TMPDIR to a fresh directory for the targets' scratch
# directories (on tmpfs when there is one, else in WORK_DIR) and removes
# it when the calling script exits, with whatever crashed runs left there.
fuzz_scratch_setup() {
    local work=$1
    if [ -w /dev/shm ]; then
        XSW_FUZZ_TMPDIR=$(mktemp -d /dev/shm/xsw-fuzz-run.XXXXXX)
    else
        XSW_FUZZ_TMPDIR=$work/tmp
        mkdir -p "$XSW_FUZZ_TMPDIR"
    fi
    export XSW_FUZZ_TMPDIR
    # shellcheck disable=SC2064
    trap "rm -rf '$XSW_FUZZ_TMPDIR'" EXIT
}
