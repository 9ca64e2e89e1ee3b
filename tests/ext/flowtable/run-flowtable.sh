#!/usr/bin/env bash
# Runs one flowtable replay scenario:
#   run-flowtable.sh RUN_REPLAY BIN_DIR SCENARIO_DIR WORK_DIR
# 1. the common replay run and checks (run-replay.sh: golden dumps,
#    accounting, checks.jq);
# 2. if the scenario has a file 'affinity' (one line: FLOWS PACKETS PORT...),
#    flow affinity on the dumps of those ports: every flow (the unordered
#    pair of address:port ends, so both directions are one flow) appears on
#    exactly one of the ports with exactly PACKETS frames, there are FLOWS
#    flows, and every port carries at least one.  This holds whatever the
#    hash, so it does not depend on the golden files.
set -euo pipefail
runner=$1 bin=$2 scen=$3 work=$4

bash "$runner" "$bin" "$scen" "$work"
[ -f "$scen/affinity" ] || exit 0
read -r flows packets ports <"$scen/affinity"
for p in $ports; do
    [ -f "$work/got/$p.txt" ] || { echo "FAIL: no dump of $p" >&2; exit 1; }
done
# A dump line: ... ipv4 A>B ttl N tcp PA>PB ...; the flow is the sorted
# pair of A:PA and B:PB.
(cd "$work/got" && for p in $ports; do
    awk -v port="$p" '{
        for (i = 1; i < NF; i++) {
            if ($i == "ipv4" || $i == "ipv6") { split($(i + 1), ip, ">") }
            if ($i == "tcp" || $i == "udp") { split($(i + 1), l4, ">") }
        }
        a = ip[1] ":" l4[1]; b = ip[2] ":" l4[2]
        print (a < b ? a " " b : b " " a), port
    }' "$p.txt"
done) | awk -v flows="$flows" -v packets="$packets" -v ports="$ports" '
    { key = $1 " " $2; n[key]++; if (!(key in where)) where[key] = $3
      else if (where[key] != $3) { print "FAIL: flow " key " on " where[key] " and " $3; bad = 1 }
      used[$3]++ }
    END {
        for (k in n) { count++; if (n[k] != packets) { print "FAIL: flow " k " has " n[k] " frames, want " packets; bad = 1 } }
        if (count != flows) { print "FAIL: " count " flows, want " flows; bad = 1 }
        np = split(ports, p, " ")
        for (i = 1; i <= np; i++) {
            if (!used[p[i]]) { print "FAIL: no flow on " p[i]; bad = 1 }
            printf "%s: %d flows\n", p[i], used[p[i]] / packets
        }
        exit bad
    }' >&2 || exit 1
echo "ok: $flows flows, each on one of: $ports"
