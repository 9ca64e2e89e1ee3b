#!/usr/bin/env bash
# xswd's command line: --check, exit codes, usage errors, --version, and the
# progress line (on a terminal only).
#   run.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
fails=0 passes=0

expect() { # expect NAME WANT_RC GOT_RC
    if [ "$2" = "$3" ]; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: exit $3, expected $2" >&2
        fails=$((fails + 1))
    fi
}
expect_text() { # expect_text NAME FILE TEXT  (exact line present)
    if grep -qxF -- "$3" "$2"; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: no line '$3' in:" >&2
        cat "$2" >&2
        fails=$((fails + 1))
    fi
}

cat >"$work/ok.yaml" <<'YAML'
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out/p1.pcap }
  - { name: p2, type: pcap, tx: out/p2.pcap }
YAML
cat >"$work/bad.yaml" <<'YAML'
ports:
  - { name: p1, type: pcap, vlan: { mode: acess } }
YAML

"$bin/xswd" --check -c "$work/ok.yaml" >"$work/log" 2>&1
expect "check valid" 0 $?
expect_text "check valid text" "$work/log" "$work/ok.yaml: valid (2 ports, 0 extensions)"
[ ! -e "$work/out/p1.pcap" ]
expect "check opens no port" 0 $?

"$bin/xswd" --check -c "$work/bad.yaml" >"$work/log" 2>&1
expect "check invalid" 2 $?
expect_text "check invalid text" "$work/log" \
    "xswd: $work/bad.yaml:2:43: ports[0].vlan.mode: unknown VLAN mode 'acess' (expected access or trunk)"

"$bin/xswd" >"$work/log" 2>&1
expect "no -c" 2 $?
expect_text "no -c text" "$work/log" "xswd: missing -c FILE.yaml"

"$bin/xswd" -c "$work/ok.yaml" --bogus >"$work/log" 2>&1
expect "unknown option" 2 $?

"$bin/xswd" -c "$work/ok.yaml" extra >"$work/log" 2>&1
expect "extra argument" 2 $?
expect_text "extra argument text" "$work/log" "xswd: unexpected argument"

"$bin/xswd" -c "$work/nonexistent.yaml" >"$work/log" 2>&1
expect "missing file" 2 $?
expect_text "missing file text" "$work/log" \
    "xswd: $work/nonexistent.yaml: No such file or directory"

"$bin/xswd" --version >"$work/log" 2>&1
expect "version" 0 $?
grep -qE '^xswd [0-9]+\.[0-9]+\.[0-9]+ \(extension ABI 1\.0\)$' "$work/log"
expect "version text" 0 $?

"$bin/xswd" --help >"$work/log" 2>&1
expect "help" 0 $?
grep -q -- "--summary-json FILE" "$work/log"
expect "help text" 0 $?

# 200,000 frames: long enough for the progress line to show.
echo "@random 200000 p1 seed=7 macs=64 flows=64 size=64" >"$work/t.txt"
"$bin/xsw-pcapgen" "$work/t.txt" "$work/in" || exit 1

# The log options: bad values refused before the config is read; the
# command line over the config (json records, and the level the last of
# -q and --log-level says).
for opt in "--log-level verbose" "--log-format xml" "--log-target file"; do
    "$bin/xswd" -c "$work/nonexistent.yaml" $opt >"$work/log" 2>&1
    expect "bad $opt" 2 $?
done
expect_text "bad --log-target text" "$work/log" \
    "xswd: --log-target: 'file' is not stderr or syslog"
(cd "$work" && "$bin/xswd" -c ok.yaml --check -q --log-level info \
    --log-format json >/dev/null 2>"$work/log")
expect "json check" 0 $?
(cd "$work" && "$bin/xswd" -c ok.yaml -q --log-level info --log-format json \
    >/dev/null 2>"$work/log")
expect "json replay" 0 $?
jq -e -s '[.[].event | select(. != "drops.summary")] == ["switch.start", "switch.stop"] and .[-1].status == "ok"' \
    "$work/log" >/dev/null
expect "json records of a replay" 0 $?
(cd "$work" && "$bin/xswd" -c ok.yaml --log-level info -q --log-format json \
    >/dev/null 2>"$work/log")
expect "-q after --log-level: warnings only" 0 $?
[ ! -s "$work/log" ]
expect "-q after --log-level: nothing logged" 0 $?

# Redirected: no progress line, and a summary on stdout.
(cd "$work" && "$bin/xswd" -c ok.yaml >out.txt 2>err.txt)
expect "replay" 0 $?
grep -q "% of input" "$work/err.txt"
expect "no progress when redirected" 1 $?
grep -q "^Switch xsw: 200000 frames received" "$work/out.txt"
expect "summary printed" 0 $?

# On a terminal (script gives xswd a pseudo-terminal): the progress line.
script -qec "'$bin/xswd' -c '$work/ok.yaml' -q" "$work/tty.txt" >/dev/null
expect "replay on a terminal" 0 $?
grep -q "% of input" "$work/tty.txt"
expect "progress on a terminal" 0 $?
script -qec "'$bin/xswd' -c '$work/ok.yaml' -q --no-progress" \
    "$work/tty2.txt" >/dev/null
grep -q "% of input" "$work/tty2.txt"
expect "--no-progress" 1 $?

# Captures xswd cannot use are refused at start, naming the file.
cat >"$work/raw.yaml" <<'YAML'
ports:
  - { name: p1, type: pcap, rx: raw.pcap }
YAML
# A valid pcap header with link type 101 (raw IP) and no frames.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x65\x00\x00\x00' \
    >"$work/raw.pcap"
"$bin/xswd" -c "$work/raw.yaml" >"$work/log" 2>&1
expect "non-Ethernet capture" 2 $?
expect_text "non-Ethernet capture text" "$work/log" \
    "xswd: $work/raw.yaml:2:33: ports[0].rx: $work/raw.pcap: link type RAW is not Ethernet (EN10MB)"
echo "not a capture file at all" >"$work/raw.pcap"
"$bin/xswd" -c "$work/raw.yaml" >"$work/log" 2>&1
expect "garbage capture" 2 $?
grep -q "^xswd: $work/raw.yaml:2:33: ports\[0\].rx: $work/raw.pcap: unknown file format" "$work/log"
expect "garbage capture text" 0 $?

# A capture cut short in its last record: the frames before the cut are
# switched, the damage is named, and the replay ends with status 1.
echo "@random 10 p1 seed=5 macs=4 flows=4 size=64" >"$work/cut.txt"
"$bin/xsw-pcapgen" "$work/cut.txt" "$work/cut" || exit 1
head -c -10 "$work/cut/p1.pcap" >"$work/cut.pcap"
cat >"$work/cut.yaml" <<'YAML'
ports:
  - { name: p1, type: pcap, rx: cut.pcap }
  - { name: p2, type: pcap, tx: cut-out.pcap }
YAML
"$bin/xswd" -c "$work/cut.yaml" -q --summary-json "$work/cut.json" \
    >"$work/log" 2>&1
expect "damaged capture" 1 $?
grep -q "^xswd: port p1: $work/cut.pcap: truncated dump file; .* (input ends here)$" "$work/log"
expect "damaged capture named" 0 $?
jq -e '.totals.rx == 9 and .ports[1].tx == 9' "$work/cut.json" >/dev/null
expect "frames before the cut switched" 0 $?

# A capture that cannot be written: the frames that could not be written
# are transmit-error drops, the loss is logged once, and the replay exits 1.
# 5,000 records of 80 bytes overflow the port's 256 KiB output buffer, so
# writes fail during the run, not only at the final flush.
echo "@random 5000 p0 seed=3 macs=4 flows=4 size=64" >"$work/full.txt"
"$bin/xsw-pcapgen" "$work/full.txt" "$work/in" || exit 1
cat >"$work/full.yaml" <<'YAML'
ports:
  - { name: p0, type: pcap, rx: in/p0.pcap }
  - { name: p1, type: pcap, tx: /dev/full }
YAML
"$bin/xswd" -c "$work/full.yaml" -q --summary-json "$work/full.json" \
    >"$work/log" 2>&1
expect "tx to a full device" 1 $?
expect_text "tx to a full device text" "$work/log" \
    "xswd: error: port p1: output lost: cannot write /dev/full"
[ "$(grep -c "output lost" "$work/log")" = 1 ]
expect "tx to a full device logged once" 0 $?
# Some frames fit the buffer before the first failed write and count as
# sent (the flush then reports them lost); every later one is a drop.
jq -e '[.drops[] | select(.reason == "transmit error") | .count] as $e
       | ($e | length) == 1 and $e[0] > 0
       and .ports[1].tx + $e[0] == 5000
       and .totals.dropped == $e[0] and .totals.delivered == 5000 - $e[0]' \
    "$work/full.json" >/dev/null
expect "tx to a full device counts transmit errors" 0 $?

# A JSON summary that cannot be written is found out before the run.
"$bin/xswd" -c "$work/ok.yaml" -q --summary-json "$work/no/such/dir.json" \
    >"$work/log" 2>&1
expect "unwritable JSON summary" 2 $?
expect_text "unwritable JSON summary text" "$work/log" \
    "xswd: $work/no/such/dir.json: cannot write the JSON summary: No such file or directory"

# security.user: looked up at load time, located when unknown.
cat >"$work/baduser.yaml" <<'YAML'
security: { user: no-such-user-xsw }
ports:
  - { name: p1, type: pcap }
YAML
"$bin/xswd" --check -c "$work/baduser.yaml" >"$work/log" 2>&1
expect "unknown security.user" 2 $?
expect_text "unknown security.user text" "$work/log" \
    "xswd: $work/baduser.yaml:1:19: security.user: unknown user 'no-such-user-xsw'"

# Dropping privileges (needs root): a held replay runs as nobody with no
# capability and no way back, and still writes its captures (opened
# before the drop) and its JSON summary.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    cat >"$work/drop.yaml" <<'YAML'
security: { user: nobody }
ports:
  - { name: p1, type: pcap, rx: in/p1.pcap, tx: out/p1.pcap }
  - { name: p2, type: pcap, tx: out/p2.pcap }
YAML
    "$bin/xswd" -c "$work/drop.yaml" --hold --control "$work/drop.sock" \
        --summary-json "$work/drop.json" >"$work/drop.out" 2>"$work/drop.err" &
    pid=$!
    for _ in $(seq 50); do
        grep -q "holding until" "$work/drop.err" && break
        sleep 0.1
    done
    nobody=$(id -u nobody)
    grep -qE "^Uid:\s+$nobody\s+$nobody\s+$nobody\s+$nobody$" "/proc/$pid/status"
    expect "dropped to nobody" 0 $?
    grep -qE "^CapEff:\s+0+$" "/proc/$pid/status" &&
        grep -qE "^CapPrm:\s+0+$" "/proc/$pid/status" &&
        grep -qE "^NoNewPrivs:\s+1$" "/proc/$pid/status"
    expect "no capabilities left" 0 $?
    grep -q "running as uid $nobody, gid $(id -g nobody), no capabilities" \
        "$work/drop.err"
    expect "drop logged" 0 $?
    kill -TERM "$pid"
    wait "$pid"
    expect "dropped switch stops with status 0" 0 $?
    jq -e '.totals.rx == 200000 and .ports[1].tx == 200000' \
        "$work/drop.json" >/dev/null
    expect "dropped switch wrote its summary" 0 $?
    [ "$("$bin/xsw-pcap-diff" --dump "$work/out/p2.pcap" | wc -l)" = 200000 ]
    expect "dropped switch wrote its capture" 0 $?
fi

echo "cli: $passes passed, $fails failed"
[ "$fails" = 0 ]
