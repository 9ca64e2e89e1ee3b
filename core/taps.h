/* Taps
 * ====
 * Where captures (capture.h), a live trace (trace_live.h) and a trace's
 * dry run (trace.h) look into the datapath.  The switch holds one pointer
 * to a table of hooks (dp_set_taps()); with none, a tap point costs one
 * predictable branch on a pointer the datapath has in cache: once per
 * batch at the ingress points and at its end, once per extension call,
 * once per copy sent and once per drop.  Every hook is called on the
 * datapath thread and must not be NULL.  A hook may keep a packet pointer
 * only until the 'done' hook of the batch it came in (to tell the packets
 * of a batch apart: the buffer is reused afterwards), never read through
 * it later.
 *
 * The points, in the order a packet meets them:
 *
 *   rx       frames a port received, admitted (parsed, VLAN-classified),
 *            before the ingress chain; injected packets never pass here.
 *            The hook may set XSW_PKT_F_TRACED on them (a live trace);
 *   ext      after an extension's callback, the packets it passed
 *            (ingress, or egress towards b->port);
 *   forward  after forwarding: the batch and the ports it was queued for
 *            (dp's order of egress, which is the order of 'ports'); which
 *            packets went to which port: dp_queued();
 *   tx       a copy leaving 'port', as the wire sees it (after VLAN
 *            egress): 'frame' and 'size'.  In a dry run (below) it is not
 *            sent, and counts as sent;
 *   drop     a packet or copy dropped, with its drop id (drops.h): also
 *            frames refused at admission (before rx) and injected ones;
 *   inject   dry runs only: an extension injected a packet, which the
 *            core frees instead of running or sending;
 *   note     an extension's host->trace() annotation of a packet flagged
 *            XSW_PKT_F_TRACED (a copy's note is about its origin);
 *   done     the batch (one run of the pipeline) is over: every packet of
 *            it has been sent or dropped, and is about to be freed.
 *
 * Several users, one pointer.  Captures and a live trace may run at once;
 * each attaches its own table under its own slot (enum taps_user), and
 * the switch's pointer is NULL when no slot is set, the one user's table
 * when one is, and a fan-out table (struct taps_fan) that calls each set
 * slot in turn when several are.  So nothing tapped still costs one
 * branch a point, one user costs what it did before, and only both at
 * once pay an indirect call more.  A hook may detach its own slot (a
 * capture whose count is reached): the fan-out reads the slots afresh for
 * each call.
 *
 * A dry run ('dry' true) is how 'trace' runs a frame through the real
 * pipeline (dp_trace_frame()): nothing is sent, nothing learned, nothing
 * injected, and the counters are as before once it is done.  Its table
 * replaces the switch's pointer for the duration (the users attached see
 * nothing of it) and never goes through the fan-out. */
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
    void (*note)(void *arg, const struct ext *e, const struct pkt *pkt,
                 const char *msg);
    void (*done)(void *arg);
    bool dry; /* A trace's dry run: send, learn and inject nothing. */
    void *arg;
};

/* The table of the hooks a file names PREFIX_rx, PREFIX_ext, ...,
 * PREFIX_done (each user's are so named), called with 'arg'. */
#define DP_TAPS_OF(prefix, arg_)                                              \
    ((struct dp_taps){.rx = prefix##_rx,                                      \
                      .ext = prefix##_ext,                                    \
                      .forward = prefix##_forward,                            \
                      .tx = prefix##_tx,                                      \
                      .drop = prefix##_drop,                                  \
                      .inject = prefix##_inject,                              \
                      .note = prefix##_note,                                  \
                      .done = prefix##_done,                                  \
                      .dry = false,                                           \
                      .arg = (arg_)})

/* Who attaches taps to a running switch. */
enum taps_user {
    TAPS_CAPTURES,   /* capture.h: every running capture. */
    TAPS_LIVE_TRACE, /* trace_live.h: the live trace. */
    TAPS_USERS
};

/* The slots and the table that calls them all (the switch embeds it). */
struct taps_fan {
    const struct dp_taps *user[TAPS_USERS]; /* Borrowed; NULL: unset. */
    struct dp_taps all;                     /* Calls every set slot. */
};

/* Sets slot 'u' to 'taps' (NULL unsets it) and returns the table the
 * switch should hold from now on: NULL, the one set slot's, or 'fan's
 * own fan-out table. */
const struct dp_taps *taps_fan_set(struct taps_fan *fan, enum taps_user u,
                                   const struct dp_taps *taps);

#endif
