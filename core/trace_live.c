#include "trace_live.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "config.h"
#include "dp.h"
#include "filter.h"
#include "pkt.h"
#include "port.h"
#include "taps.h"
#include "trace.h"

#define IDLE_NS ((uint64_t) TRACE_LIVE_IDLE_S * 1000000000ull)

enum live_state {
    LIVE_NONE,    /* No session: the slot is free. */
    LIVE_RUNNING, /* Taps attached: picking and following packets. */
    LIVE_DONE,    /* 'count' journeys complete; taps off. */
    LIVE_EXPIRED, /* Abandoned (TRACE_LIVE_IDLE_S unpolled); taps off. */
};

static const char *const state_names[] = {
    [LIVE_NONE] = "stopped",
    [LIVE_RUNNING] = "running",
    [LIVE_DONE] = "done",
    [LIVE_EXPIRED] = "expired",
};

/* A journey under way: its packet is in the batch being run. */
struct live_journey {
    struct trace *t;
    const struct pkt *pkt; /* The original; for identity only, until the
                            * done tap. */
    uint32_t port;
    uint64_t ts_ns;
};

struct trace_live {
    struct dp *dp;
    uint64_t last_session; /* Sessions are numbered from 1. */
    /* The session. */
    enum live_state state;
    uint64_t session;
    struct filter *filter; /* NULL: every packet. */
    int32_t port;          /* -1: any. */
    uint32_t count;
    uint32_t traced;    /* Journeys opened. */
    uint32_t complete;  /* Journeys ended. */
    uint64_t polled_ns; /* CLOCK_MONOTONIC of the last start/results. */
    bool in_batch;      /* Between the rx and the done tap. */
    struct live_journey open[TRACE_LIVE_COUNT_MAX];
    uint32_t n_open;
    json_t *ready; /* Complete journeys not taken yet. */
    struct dp_taps taps;
};

/* --- Journeys --------------------------------------------------------- */

/* The journey of 'pkt' (or of the packet it is a copy of), or NULL. */
static struct trace *
journey_of(const struct trace_live *l, const struct pkt *pkt)
{
    uint32_t i;

    for (i = 0; i < l->n_open; i++)
        if (l->open[i].pkt == pkt->origin)
            return l->open[i].t;
    return NULL;
}

/* Should 'pkt', received on its port, start a journey? */
static bool
wanted(const struct trace_live *l, const struct pkt *pkt)
{
    return l->traced < l->count &&
           (l->port < 0 || pkt->rx_port == (uint32_t) l->port) &&
           (!l->filter || filter_match(l->filter, pkt->p.data, pkt->p.size));
}

static struct live_journey *
journey_open(struct trace_live *l, const struct pkt *pkt)
{
    struct live_journey *j = &l->open[l->n_open];

    j->t = trace_new(l->dp, pkt->rx_port, false);
    if (!j->t)
        return NULL; /* Out of memory: this packet goes untraced. */
    j->pkt = pkt;
    j->port = pkt->rx_port;
    j->ts_ns = pkt->p.ts_ns;
    l->n_open++;
    l->traced++;
    return j;
}

static void
journey_end(struct trace_live *l, struct live_journey *j)
{
    json_t *stages = trace_end(j->t);

    j->t = NULL;
    j->pkt = NULL;
    if (!stages)
        return;
    json_array_append_new(
        l->ready, json_pack("{s:i, s:s, s:I, s:o}", "number", ++l->complete,
                            "port", dp_port(l->dp, j->port)->name, "ts_ns",
                            (json_int_t) j->ts_ns, "stages", stages));
}

/* Takes the taps off, leaving the session in 'state'. */
static void
live_detach(struct trace_live *l, enum live_state state)
{
    if (l->state == LIVE_RUNNING)
        dp_set_taps(l->dp, TAPS_LIVE_TRACE, NULL);
    l->state = state;
}

/* Is some packet of 'b' the journey's packet or a copy of it? */
static bool
batch_holds(const struct xsw_batch *b, const struct pkt *pkt)
{
    uint32_t i;

    for (i = 0; i < b->count; i++)
        if (pkt_from_xsw(b->pkts[i])->origin == pkt)
            return true;
    return false;
}

/* --- Taps ------------------------------------------------------------- */

static void
tap_rx(void *arg, struct pkt *const *pkts, uint32_t n)
{
    struct trace_live *l = arg;
    struct live_journey *j;
    uint32_t i;

    l->in_batch = true;
    for (i = 0; i < n; i++) {
        if (!wanted(l, pkts[i]) || !(j = journey_open(l, pkts[i])))
            continue;
        pkts[i]->p.flags |= XSW_PKT_F_TRACED;
        trace_on_rx(j->t, pkts[i]);
    }
}

static void
tap_ext(void *arg, const struct ext *e, const struct xsw_batch *b, bool egress)
{
    struct trace_live *l = arg;
    uint32_t i;

    /* A journey has a stage here if its packet (its copy towards b->port
     * on egress) met 'e': it is still in the batch, or 'e' just dropped
     * it.  Packets dropped earlier, or queued for other ports, did not. */
    for (i = 0; i < l->n_open; i++) {
        struct live_journey *j = &l->open[i];
        bool passed = batch_holds(b, j->pkt);

        if (passed || trace_dropped_by(j->t, e))
            trace_on_ext(j->t, e, b->port, egress, passed);
    }
}

static void
tap_forward(void *arg, const struct xsw_batch *b, const uint16_t *ports,
            uint32_t n_ports)
{
    struct trace_live *l = arg;
    uint16_t mine[CONFIG_PORTS_MAX];
    struct pkt *const *q;
    uint32_t i, k, n, qn;

    for (i = 0; i < l->n_open; i++) {
        struct live_journey *j = &l->open[i];

        if (!batch_holds(b, j->pkt))
            continue; /* Dropped in the ingress chain. */
        /* Its ports: those whose queue holds it or a copy, in the order
         * of egress. */
        for (k = n = 0; k < n_ports && n < CONFIG_PORTS_MAX; k++) {
            uint32_t m;

            qn = dp_queued(l->dp, ports[k], &q);
            for (m = 0; m < qn && q[m]->origin != j->pkt; m++)
                continue;
            if (m < qn)
                mine[n++] = ports[k];
        }
        trace_on_forward(j->t, j->pkt, mine, n);
    }
}

static void
tap_tx(void *arg, const struct port *port, const struct pkt *pkt,
       const uint8_t *frame, uint32_t size)
{
    struct trace *t = journey_of(arg, pkt);

    if (t)
        trace_on_tx(t, port, pkt, frame, size);
}

static void
tap_drop(void *arg, const struct pkt *pkt, uint32_t drop_id)
{
    struct trace_live *l = arg;
    struct trace *t = journey_of(l, pkt);
    struct live_journey *j;

    if (t) {
        trace_on_drop(t, pkt, drop_id);
        return;
    }
    /* Outside a batch a received frame can only be dropped at admission
     * (injected packets are never traced): its journey is this drop. */
    if (l->in_batch || pkt->injected || pkt->origin != pkt ||
        pkt->rx_port >= dp_port_count(l->dp) || !wanted(l, pkt) ||
        !(j = journey_open(l, pkt)))
        return;
    trace_on_drop(j->t, pkt, drop_id);
    journey_end(l, j);
    l->n_open--;
}

static void
tap_inject(void *arg, const struct ext *e, const struct pkt *pkt,
           uint32_t port, uint32_t how)
{
    (void) arg, (void) e, (void) pkt, (void) port, (void) how; /* Dry. */
}

static void
tap_note(void *arg, const struct ext *e, const struct pkt *pkt,
         const char *msg)
{
    struct trace *t = journey_of(arg, pkt);

    if (t)
        trace_on_note(t, e, msg);
}

/* The batch is over: its journeys are complete. */
static void
tap_done(void *arg)
{
    struct trace_live *l = arg;
    uint32_t i;

    for (i = 0; i < l->n_open; i++)
        journey_end(l, &l->open[i]);
    l->n_open = 0;
    l->in_batch = false;
    if (l->complete == l->count)
        live_detach(l, LIVE_DONE);
    else if (clock_mono_ns() - l->polled_ns > IDLE_NS)
        live_detach(l, LIVE_EXPIRED);
}

/* --- Sessions --------------------------------------------------------- */

static struct trace_live *
live_get(struct dp *dp)
{
    struct trace_live **lp = dp_trace_live(dp), *l = *lp;

    if (l)
        return l;
    if (!(l = calloc(1, sizeof *l)))
        return NULL;
    l->dp = dp;
    l->taps = DP_TAPS_OF(tap, l);
    *lp = l;
    return l;
}

/* Ends the session: taps off, journeys and filter freed. */
static void
live_clear(struct trace_live *l)
{
    live_detach(l, LIVE_NONE);
    filter_free(l->filter);
    l->filter = NULL;
    json_decref(l->ready);
    l->ready = NULL;
}

static json_t *
live_info(const struct trace_live *l)
{
    json_t *o = json_pack("{s:I, s:i, s:i, s:i, s:s}", "session",
                          (json_int_t) l->session, "count", l->count, "traced",
                          l->traced, "complete", l->complete, "state",
                          state_names[l->state]);

    if (!o)
        return NULL;
    json_object_set_new(o, "filter",
                        l->filter ? json_string(filter_text(l->filter))
                                  : json_null());
    json_object_set_new(o, "port",
                        l->port >= 0
                            ? json_string(dp_port(l->dp, (uint32_t) l->port)->name)
                                     : json_null());
    return o;
}

/* The session's info and the journeys not taken yet (taken now). */
static json_t *
live_take(struct trace_live *l)
{
    json_t *o = live_info(l);

    if (!o)
        return NULL;
    json_object_set_new(o, "journeys", l->ready);
    l->ready = json_array();
    return o;
}

/* The session 'session', or NULL with 'err' set. */
static struct trace_live *
live_find(struct dp *dp, uint64_t session, struct xsw_err *err)
{
    struct trace_live *l = *dp_trace_live(dp);

    if (l && l->state != LIVE_NONE && l->session == session)
        return l;
    xsw_err_set(err, -ENOENT, "live trace %llu does not exist",
                (unsigned long long) session);
    return NULL;
}

int
trace_live_start(struct dp *dp, const struct trace_live_settings *s,
                 json_t **info, struct xsw_err *err)
{
    struct trace_live *l = live_get(dp);
    uint64_t now = clock_mono_ns();
    struct filter *f = NULL;
    int ret;

    *info = NULL;
    if (!l)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    if (l->state != LIVE_NONE && now - l->polled_ns <= IDLE_NS)
        return xsw_err_set(err, -EBUSY,
                           "trace.live.start: live trace %llu is running "
                           "(one at a time; it ends when its client stops "
                           "it, or %d s after its client last asked for "
                           "results)",
                           (unsigned long long) l->session, TRACE_LIVE_IDLE_S);
    if (s->count < 1 || s->count > TRACE_LIVE_COUNT_MAX)
        return xsw_err_set(err, -EINVAL,
                           "trace.live.start: count %u is out of range [1, "
                           "%d]",
                           s->count, TRACE_LIVE_COUNT_MAX);
    if (s->filter && *s->filter &&
        (ret = filter_compile(s->filter, &f, err))) {
        xsw_err_prefix(err, "trace.live.start");
        return ret;
    }
    if (l->state != LIVE_NONE)
        dp_log(dp, XSW_LOG_INFO,
               "live trace %llu abandoned (no client "
               "asked for its results for %d s)",
               (unsigned long long) l->session, TRACE_LIVE_IDLE_S);
    live_clear(l);
    l->session = ++l->last_session;
    l->filter = f;
    l->port = s->port;
    l->count = s->count;
    l->traced = l->complete = 0;
    l->polled_ns = now;
    l->ready = json_array();
    l->state = LIVE_RUNNING;
    dp_set_taps(dp, TAPS_LIVE_TRACE, &l->taps);
    *info = live_info(l);
    return *info ? 0 : xsw_err_set(err, -ENOMEM, "out of memory");
}

/* Hands out session 'session's complete journeys; 'stop' ends it. */
static int
live_answer(struct dp *dp, uint64_t session, bool stop, json_t **result,
            struct xsw_err *err)
{
    struct trace_live *l = live_find(dp, session, err);

    *result = NULL;
    if (!l)
        return -ENOENT;
    l->polled_ns = clock_mono_ns();
    if (stop)
        live_detach(l, LIVE_NONE);
    *result = live_take(l);
    if (stop)
        live_clear(l);
    return *result ? 0 : xsw_err_set(err, -ENOMEM, "out of memory");
}

int
trace_live_results(struct dp *dp, uint64_t session, json_t **result,
                   struct xsw_err *err)
{
    return live_answer(dp, session, false, result, err);
}

int
trace_live_stop(struct dp *dp, uint64_t session, json_t **result,
                struct xsw_err *err)
{
    return live_answer(dp, session, true, result, err);
}

void
trace_live_destroy(struct trace_live *l)
{
    if (!l)
        return;
    live_clear(l);
    free(l);
}
