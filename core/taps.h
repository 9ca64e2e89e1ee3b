/* Taps
 * ====
 * Where captures (capture.h) and traces (trace.h) look into the datapath.
 * The switch holds at most one set of taps (dp_set_taps()); with none, a
 * tap point costs one predictable branch on a pointer the datapath has in
 * cache: once per batch at the ingress points, once per extension call,
 * once per copy sent and once per drop.  Every hook is called on the
 * datapath thread and must not be NULL; none may keep a packet pointer
 * past its return.
 *
 * The points, in the order a packet meets them:
 *
 *   rx       frames a port received, admitted (parsed, VLAN-classified),
 *            before the ingress chain; injected packets never pass here;
 *   ext      after an extension's callback, the packets it passed
 *            (ingress, or egress towards b->port);
 *   forward  after forwarding: the batch and the ports it was queued for
 *            (dp's order of egress, which is the order of 'ports');
 *   tx       a copy leaving 'port', as the wire sees it (after VLAN
 *            egress): 'frame' and 'size'.  In a dry run (below) it is not
 *            sent, and counts as sent;
 *   drop     a packet or copy dropped, with its drop id (drops.h);
 *   inject   dry runs only: an extension injected a packet, which the
 *            core frees instead of running or sending;
 *   note     dry runs only: an extension's host->trace() annotation.
 *
 * A dry run ('dry' true) is how 'trace' runs a frame through the real
 * pipeline (dp_trace_frame()): nothing is sent, nothing learned, nothing
 * injected, and the counters are as before once it is done. */
#ifndef XSW_TAPS_H
#define XSW_TAPS_H

#include <stdbool.h>
#include <stdint.h>

struct ext;
struct pkt;
struct port;
struct xsw_batch;

struct dp_taps {
    void (*rx)(void *arg, struct pkt *const *pkts, uint32_t n);
    void (*ext)(void *arg, const struct ext *e, const struct xsw_batch *b,
                bool egress);
    void (*forward)(void *arg, const struct xsw_batch *b,
                    const uint16_t *ports, uint32_t n_ports);
    void (*tx)(void *arg, const struct port *port, const struct pkt *pkt,
               const uint8_t *frame, uint32_t size);
    void (*drop)(void *arg, const struct pkt *pkt, uint32_t drop_id);
    void (*inject)(void *arg, const struct ext *e, const struct pkt *pkt,
                   uint32_t port, uint32_t how);
    void (*note)(void *arg, const struct ext *e, const char *msg);
    bool dry; /* A trace's dry run: send, learn and inject nothing. */
    void *arg;
};

#endif
