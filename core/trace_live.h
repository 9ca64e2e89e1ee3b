/* Live traces
 * ===========
 * 'xswctl trace --live [PORT] --filter BPF --count N' (docs/control.md):
 * the journeys (trace.h) of the next N real packets that a port receives
 * and a BPF filter (filter.h) takes, told with the same stages as a dry
 * run.  Unlike a dry run, nothing is pretended: the packets are learned
 * from, sent, counted and injected as any others.
 *
 * How.  Starting a trace attaches taps (taps.h) in the TAPS_LIVE_TRACE
 * slot, beside captures if any run.  At the rx tap each admitted frame
 * that the filter takes (and that came in by PORT, when one is given)
 * opens a journey and is flagged XSW_PKT_F_TRACED, so extensions'
 * XSW_TRACE() notes reach it; a frame refused at admission (a port
 * administratively down, a VLAN not allowed) is matched at the drop tap
 * and its short journey ends at once.  The other taps hand each event to
 * the journey of the packet it concerns (a copy's is its origin's), and
 * the done tap ends every journey of the batch: then each of its packets
 * has been sent or dropped.  Once N journeys are complete the taps come
 * off, so the switch pays nothing more; complete journeys wait for the
 * client to take them ('results').
 *
 * Extension injections are not shown: they run as real packets of their
 * own, and are not traced.  The forward stage's FDB hit or miss is
 * looked up once the batch is forwarded: a station learned later in the
 * same batch reads as a hit.
 *
 * One at a time.  A trace is a session with a number; 'results' and
 * 'stop' name it, so that a client ending never stops another's.  A
 * second start is refused (-EBUSY) unless the running session was
 * abandoned: nobody asked for its results for TRACE_LIVE_IDLE_S seconds
 * (wall clock).  An abandoned session also takes its taps off by itself
 * at the end of the next batch.
 *
 * Bounds.  N is at most TRACE_LIVE_COUNT_MAX, so at most that many
 * journeys are held; each journey is bounded by trace.h's limits.
 *
 * Threads: datapath thread only, between batches (control commands) and
 * in its taps. */
#ifndef XSW_TRACE_LIVE_H
#define XSW_TRACE_LIVE_H

#include <jansson.h>
#include <stdint.h>

#include "err.h"

#define TRACE_LIVE_COUNT_MAX 64 /* Packets one live trace follows. */
#define TRACE_LIVE_IDLE_S 30    /* Seconds unpolled until abandoned. */

struct dp;
struct trace_live;

struct trace_live_settings {
    const char *filter; /* BPF expression; NULL or "": every packet. */
    uint32_t count;     /* Packets: 1..TRACE_LIVE_COUNT_MAX. */
    int32_t port;       /* Only frames received on it; -1: any port. */
};

/* Starts a live trace on 'dp'.  Returns 0 and '*info' (a new reference:
 * {"session", "filter", "port", "count", "traced", "complete",
 * "state"}), or a negative errno with 'err' saying why: -EBUSY (a trace
 * runs), -EINVAL (a bad filter or count), -ENOMEM. */
int trace_live_start(struct dp *, const struct trace_live_settings *,
                     json_t **info, struct xsw_err *);

/* Takes the journeys of session 'session' completed since the last call:
 * '*result' is the session's info plus "journeys": [{"number", "port",
 * "ts_ns", "stages"}].  Returns 0, or -ENOENT when no such session
 * exists. */
int trace_live_results(struct dp *, uint64_t session, json_t **result,
                       struct xsw_err *);

/* Stops session 'session' (running or not): its taps come off and its
 * slot is free.  '*result' as for trace_live_results(), with the
 * journeys not taken yet.  Returns 0, or -ENOENT. */
int trace_live_stop(struct dp *, uint64_t session, json_t **result,
                    struct xsw_err *);

void trace_live_destroy(struct trace_live *); /* NULL is a no-op. */

#endif
