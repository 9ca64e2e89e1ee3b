/* Export: the monitor's tables as JSON and as text
 * ================================================
 * One place renders what the monitor knows, for the JSON file (written at
 * destroy and by the 'export' command) and for the 'top' command's text.
 * Output is deterministic: live flows are listed oldest first (ties broken
 * by key), rankings are total orders.
 *
 * The JSON document (all numbers are unsigned integers):
 *
 *   { "clock_ns": N,
 *     "settings": { "idle_timeout_s": N, "max_flows": N, "top_n": N },
 *     "counters": { "<counter name>": N, ... },     as in the summary
 *     "flows_active": N, "hosts_tracked": N,
 *     "flows": [ FLOW, ... ],                        live flows
 *     "top_flows": [ FLOW, ... ],                    live or ended, by bytes
 *     "top_sources": [ HOST, ... ] }                 by bytes sent
 *
 *   FLOW = { "vlan": N, "type": "ipv4"|"ipv6"|"eth",
 *            "proto": N,                      (IP)
 *            "ethertype": N,                  (eth)
 *            "src": ADDR, "src_port": N,      (ports: TCP and UDP only)
 *            "dst": ADDR, "dst_port": N,
 *            "state": "active"|"expired"|"evicted",
 *            "first_ns": N, "last_ns": N, "packets": N, "bytes": N,
 *            "tcp_flags": "FSRPAUEC" letters  (TCP only)
 *            "fwd": DIR, "rev": DIR }
 *   'src' is the endpoint that sent the flow's first packet; "fwd" counts
 *   what it sent, "rev" the replies.
 *   DIR  = { "packets": N, "bytes": N, "tcp_flags": "...",  (TCP only)
 *            "in_port": "name" }             (once a packet was seen)
 *   HOST = { "vlan": N, "type": ..., "addr": ADDR, "bytes": N,
 *            "packets": N, "flows": N } */
#ifndef FLOWMON_FLOW_EXPORT_H
#define FLOWMON_FLOW_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flow_table.h"
#include "flow_top.h"
#include "host_table.h"

/* flow_ranked.state */
#define FLOW_STATE_ACTIVE 0u
#define FLOW_STATE_EXPIRED 1u
#define FLOW_STATE_EVICTED 2u

/* A flow as the rankings hold it: a copy, and whether it still lives. */
struct flow_ranked {
    struct flow_rec rec;
    uint32_t state; /* FLOW_STATE_*. */
};

/** flow_export_rank - for flow_top: more bytes, then packets, then the
 *  earlier first packet, then the smaller key ranks higher. */
int flow_export_rank(const void *a, const void *b);

/* Everything an export reads; all borrowed for the call. */
struct flow_export_src {
    const struct flow_table *flows;
    const struct host_table *hosts;
    const struct flow_top *ended; /* struct flow_ranked of ended flows. */
    uint64_t now_ns;
    uint64_t idle_timeout_s;
    uint32_t max_flows;
    uint32_t top_n;
    uint32_t n_counters;
    const char *const *counter_names;
    const uint64_t *const *counters;
    /* A port's name, or NULL. */
    const char *(*port_name)(void *arg, uint32_t port);
    void *port_name_arg;
};

/**
 * flow_export_json - write the document described above to 'f'
 * @return 0, -ENOMEM, or -EIO when writing failed.
 */
int flow_export_json(FILE *f, const struct flow_export_src *src);

/**
 * flow_export_top_text - the top flows and sources as text, for people
 * @return 0, or -ENOMEM.  Output longer than 'size' is cut, ending in
 *         "...\n".
 */
int flow_export_top_text(const struct flow_export_src *src, char *out,
                         size_t size);

#endif
