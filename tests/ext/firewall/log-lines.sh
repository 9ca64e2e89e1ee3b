#!/usr/bin/env bash
# log-lines.sh BIN_DIR WORK_DIR EXPECTED: runs a replayed scenario again
# (run-replay.sh has left its config and in/ in WORK_DIR) without --quiet
# and compares the firewall's log lines (its host->log() lines, 'xswd:
# LEVEL: firewall: ...') with the file EXPECTED.  The replay
# harness runs xswd quietly, so this is where log texts are pinned.
set -euo pipefail
bin=$1 work=$2 want=$3
got=$("$bin/xswd" -c "$work/config.yaml" --no-progress 2>&1 >/dev/null |
      grep '^xswd: [a-z]*: firewall: ' || true)
if ! diff -u "$want" <(printf '%s\n' "$got"); then
    echo "FAIL: firewall log lines differ from $want (diff above)" >&2
    exit 1
fi
echo "ok: $(wc -l <"$want") log lines as expected"
