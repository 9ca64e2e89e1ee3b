/* Traces
 * ======
 * A packet's journey through the pipeline told stage by stage, each stage
 * a JSON object with "stage", a one-line "text" for people, and the
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
 *   tx       per destination port: the frame as it leaves (tagged or
 *            untagged, its size), or the drop;
 *   inject   dry runs: a packet an extension injected, shown and freed;
 *   note     a host->trace() note no other stage took;
 *   result   delivered on which ports, or dropped, and why.
 *
 * Two ways to get one:
 *
 *   - 'xswctl trace PORT FRAME' (trace_run()): one frame run through the
 *     real pipeline as a dry run (dp_trace_frame()).  What a dry run does
 *     not do: send, learn source MACs into the FDB, run or send injected
 *     packets, or change any switch counter.  Extensions do see the frame
 *     (flagged XSW_PKT_F_TRACED, so XSW_TRACE() annotations fire): their
 *     own state and counters may change as for any frame;
 *   - 'xswctl trace --live' (trace_live.h): real packets, really sent.
 *
 * Both feed the same journey (struct trace, below) from their taps
 * (taps.h): the dry run has one packet, so its taps hand every event on;
 * a live trace picks out the events of each traced packet and its copies.
 * A journey holds at most TRACE_STAGES_MAX stages (the result stage is
 * always added, with "stages_omitted" when some were left out) and
 * TRACE_NOTES_MAX notes, so a flood to a thousand ports stays bounded.
 *
 * Threads: datapath thread only. */
#ifndef XSW_TRACE_H
#define XSW_TRACE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct dp;
struct ext;
struct pkt;
struct port;

#define TRACE_NOTES_MAX 64   /* host->trace() notes kept per journey. */
#define TRACE_STAGES_MAX 256 /* Stages kept per journey, then counted. */

/* Traces 'frame' ('size' bytes) as received on port 'port', as a dry
 * run.  Between batches only.  Returns 0 and '*stages' (a new reference:
 * the JSON array above), or a negative errno with 'err' saying why
 * (-EINVAL for a bad port or size, -ENOBUFS when the packet pool is
 * empty). */
int trace_run(struct dp *, uint32_t port, const uint8_t *frame, uint32_t size,
              json_t **stages, struct xsw_err *);

/* --- One journey ------------------------------------------------------
 * Fed, in the order they happen, the tap events of one packet received on
 * 'in_port' (its copies' events included), then ended.  'dry': a dry run,
 * which the tx and inject stages say. */
struct trace;

struct trace *trace_new(struct dp *, uint32_t in_port, bool dry); /* Or
                                                                   * NULL. */
void trace_free(struct trace *); /* Discards it; NULL is a no-op. */

/* The packet was admitted (the rx tap): parse and vlan stages. */
void trace_on_rx(struct trace *, const struct pkt *);
/* Did extension 'e' just drop the packet or a copy (a drop event not yet
 * told by e's stage)? */
bool trace_dropped_by(const struct trace *, const struct ext *);
/* Extension 'e' ran on it (towards 'port' on egress); 'passed': it is
 * still in the batch. */
void trace_on_ext(struct trace *, const struct ext *e, uint32_t port,
                  bool egress, bool passed);
/* It was forwarded ('pkt', the original) and queued for 'ports', in the
 * order egress serves them. */
void trace_on_forward(struct trace *, const struct pkt *pkt,
                      const uint16_t *ports, uint32_t n_ports);
void trace_on_tx(struct trace *, const struct port *, const struct pkt *,
                 const uint8_t *frame, uint32_t size);
void trace_on_drop(struct trace *, const struct pkt *, uint32_t drop_id);
void trace_on_inject(struct trace *, const struct ext *, const struct pkt *,
                     uint32_t port, uint32_t how);
void trace_on_note(struct trace *, const struct ext *, const char *msg);
/* Adds the result stage, frees the journey and returns its stages (a new
 * reference; NULL when out of memory). */
json_t *trace_end(struct trace *);

#endif
