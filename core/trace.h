/* Traces
 * ======
 * 'xswctl trace PORT FRAME': one frame run through the real pipeline as a
 * dry run (dp_trace_frame()), and its journey told stage by stage, each
 * stage a JSON object with "stage", a one-line "text" for people, and the
 * fields of that stage:
 *
 *   rx       the frame refused by its port (administratively down, runt);
 *   parse    what the parser found: MACs, ethertype, tags, the 5-tuple;
 *   vlan     the ingress port's VLAN policy and the VLAN classified, or
 *            the VLAN drop;
 *   ingress  each extension of the ingress chain: its verdict (pass,
 *            drop with the reason, or "seen" for inspect extensions,
 *            whose verdicts do not count) and its host->trace() notes;
 *   forward  the decision: the forward extension's (ports, flood), else
 *            the built-in L2's (broadcast, multicast, FDB hit or miss),
 *            the ports the packet was queued for, or the drop;
 *   egress   per destination port, each extension of the egress chain;
 *   tx       per destination port: the frame as it would leave (tagged
 *            or untagged, its size), or the drop;
 *   inject   a packet an extension injected, shown and then freed;
 *   note     a host->trace() note no other stage took;
 *   result   delivered on which ports, or dropped, and why.
 *
 * What a dry run does not do: send, learn source MACs into the FDB, run
 * or send injected packets, or change any switch counter.  Extensions do
 * see the frame (flagged XSW_PKT_F_TRACED, so XSW_TRACE() annotations
 * fire): their own state and counters may change as for any frame.
 *
 * Threads: datapath thread only, between batches (control commands). */
#ifndef XSW_TRACE_H
#define XSW_TRACE_H

#include <jansson.h>
#include <stdint.h>

#include "err.h"

struct dp;

#define TRACE_NOTES_MAX 64 /* host->trace() notes kept per trace. */

/* Traces 'frame' ('size' bytes) as received on port 'port'.  Returns 0
 * and '*stages' (a new reference: the JSON array above), or a negative
 * errno with 'err' saying why (-EINVAL for a bad port or size, -ENOBUFS
 * when the packet pool is empty). */
int trace_run(struct dp *, uint32_t port, const uint8_t *frame, uint32_t size,
              json_t **stages, struct xsw_err *);

#endif
