#include "dp.h"
#include "dp_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "clock.h"
#include "droplog.h"
#include "drops.h"
#include "ext.h"
#include "fdb.h"
#include "log.h"
#include "netlink.h"
#include "parse.h"
#include "pkt.h"
#include "port.h"
#include "taps.h"
#include "trace_live.h"
#include "vlan.h"

/* How often one extension's breaking of one rule is logged. */
#define DP_MISUSE_REPORT_NS (60ull * 1000000000ull)

/* --- Logging ---------------------------------------------------------- */

/* Through log.h, after the switch's own threshold (dp_options), which
 * lets a test or an embedder quiet one switch. */
void
dp_event(const struct dp *dp, uint32_t level, const char *event,
         const struct log_field *fields, const char *fmt, ...)
{
    va_list ap;

    if (level > dp->log_level)
        return;
    va_start(ap, fmt);
    log_eventv(level, event, fields, fmt, ap);
    va_end(ap);
}

void
dp_log(const struct dp *dp, uint32_t level, const char *fmt, ...)
{
    va_list ap;

    if (level > dp->log_level)
        return;
    va_start(ap, fmt);
    log_eventv(level, "switch.message", NULL, fmt, ap);
    va_end(ap);
}

/* 'switch.start': the loop of 'mode' ("replay" or "live") begins. */
static void
log_switch_start(const struct dp *dp, const char *mode)
{
    dp_event(dp, XSW_LOG_INFO, "switch.start",
             LOG_FIELDS(LOG_STR("switch", dp->cfg->name),
                        LOG_STR("mode", mode), LOG_U64("ports", dp->n_ports),
                        LOG_U64("extensions", dp->n_exts)),
             "switch %s running with %u ports%s", dp->cfg->name, dp->n_ports,
             strcmp(mode, "live") ? " (replay)" : "");
}

/* --- Accounting ------------------------------------------------------- */

/* The fate of 'o' (an original) is decided: count it once. */
static void
fate_finish(struct dp *dp, struct pkt *o)
{
    struct port *port = o->injected ? NULL : &dp->ports[o->rx_port];

    if (o->delivered) {
        dp->totals.delivered++;
        if (port)
            port->delivered++;
    } else {
        dp->totals.dropped++;
        drops_get(dp->drops, o->drop_id)->count++;
        if (port)
            port->dropped++;
    }
}

static void
fate_settle(struct dp *dp, struct pkt *copy)
{
    struct pkt *o = copy->origin;

    if (--o->pending == 0)
        fate_finish(dp, o);
}

static void
fate_drop(struct dp *dp, struct pkt *copy, uint32_t drop_id)
{
    if (__builtin_expect(dp->taps != NULL, 0))
        dp->taps->drop(dp->taps->arg, copy, drop_id);
    drops_get(dp->drops, drop_id)->copies++;
    copy->origin->drop_id = (uint16_t) drop_id;
    fate_settle(dp, copy);
}

static void
fate_sent(struct dp *dp, struct pkt *copy)
{
    copy->origin->delivered = 1;
    fate_settle(dp, copy);
}

/* Remembers 'pkt' to be freed at the end of the batch. */
static void
done_add(struct dp *dp, struct pkt *pkt)
{
    dp->done[dp->n_done++] = pkt;
}

/* --- Transmit --------------------------------------------------------- */

/* port_send() with taps: a dry run sends nothing, and what is sent is
 * shown to the tx tap. */
static int
port_tx_tapped(struct dp *dp, struct port *port, const struct pkt *pkt,
               const uint8_t *frame, uint32_t size)
{
    if (!dp->taps->dry && port->ops->tx(port, frame, size, pkt->p.ts_ns))
        return DROP_TX_ERROR;
    dp->taps->tx(dp->taps->arg, port, pkt, frame, size);
    return 0;
}

/* Sends one copy out of 'port' through its VLAN egress policy.  Returns 0
 * when sent, else the drop id it was dropped for. */
static int
port_send(struct dp *dp, struct port *port, struct pkt *pkt)
{
    const uint8_t *frame;
    uint32_t size;
    int drop = !port->admin_up ? DROP_ADMIN_DOWN
               : !port->up        ? DROP_PORT_DOWN
                                  : vlan_egress(&port->vlan, &pkt->p,
                                                dp->scratch, &frame, &size);

    if (!drop) {
        if (__builtin_expect(dp->taps != NULL, 0))
            drop = port_tx_tapped(dp, port, pkt, frame, size);
        else if (port->ops->tx(port, frame, size, pkt->p.ts_ns))
            drop = DROP_TX_ERROR;
    }
    if (drop) {
        fate_drop(dp, pkt, (uint32_t) drop);
        return drop;
    }
    port->tx++;
    dp->totals.tx++;
    fate_sent(dp, pkt);
    return 0;
}

/* --- Extension calls -------------------------------------------------- */

/* 'e' broke a rule the core checks: the copy is dropped under the reason
 * that names 'e', and the log says so the first time and then at most
 * once a minute of switch time (the packet's: a batch spans time), with
 * how many packets it cost since. */
static void
misuse(struct dp *dp, struct ext *e, enum drop_misuse what, struct pkt *copy)
{
    uint64_t now = copy->p.ts_ns;
    const struct drop_reason *r;

    fate_drop(dp, copy, e->misuse_base + (uint32_t) what);
    e->misuse[what].unreported++;
    if (e->misuse[what].reported &&
        now - e->misuse[what].last_ns < DP_MISUSE_REPORT_NS)
        return;
    r = drops_get(dp->drops, e->misuse_base + (uint32_t) what);
    dp_event(dp, XSW_LOG_WARN, "ext.misuse",
             LOG_FIELDS(LOG_STR("extension", e->name),
                        LOG_STR("rule", r->reason),
                        LOG_U64("dropped", e->misuse[what].unreported)),
             "extension %s: %s: %" PRIu64 " packet(s) dropped (reported at "
             "most once a minute)",
             e->name, r->reason, e->misuse[what].unreported);
    e->misuse[what].reported = true;
    e->misuse[what].last_ns = now;
    e->misuse[what].unreported = 0;
}

/* What an extension may change and the core relies on: the frame's
 * bounds inside its buffer, a VLAN in 1..4094, the ingress port. */
static bool
pkt_still_sane(const struct pkt *pkt)
{
    return pkt_bounds_ok(pkt) && pkt->p.vlan >= 1 && pkt->p.vlan <= 4094
           && pkt->p.in_port == pkt->rx_port;
}

/* FNV-1a over a packet's metadata and bytes, for security.
 * verify_extensions: what an inspect extension's const view must leave
 * as it was. */
static uint64_t
pkt_digest(const struct xsw_packet *p)
{
    const uint8_t *m = (const uint8_t *) p;
    uint64_t h = 0xcbf29ce484222325ull;
    uint32_t i;

    for (i = 0; i < sizeof *p; i++)
        h = (h ^ m[i]) * 0x100000001b3ull;
    for (i = 0; i < p->size; i++)
        h = (h ^ p->data[i]) * 0x100000001b3ull;
    return h;
}

/* Gives 'p' the verdict an extension starts from, and returns it.  Every
 * packet enters the chain with it (the parser's reset) and leaves each
 * extension with it, so that a stale verdict never leaks from one
 * extension to the next and no extension needs a pass of its own to
 * reset the batch. */
static struct xsw_packet *
verdict_reset(struct xsw_packet *p)
{
    p->verdict = XSW_PASS;
    p->drop_reason = 0;
    p->fwd = XSW_FWD_NORMAL;
    p->n_out = 0;
    return p;
}

/* An inspect extension sees a const batch: no verdict, no edits.  In
 * verify mode the core checks the second and drops what was changed. */
static void
run_inspect(struct dp *dp, struct ext *e, struct xsw_batch *b, bool egress,
            struct xsw_packet **saved)
{
    uint64_t digest[XSW_BATCH_MAX];
    uint32_t i, n = b->count, kept = 0;

    for (i = 0; dp->cfg->verify_extensions && i < n; i++)
        digest[i] = pkt_digest(saved[i]);
    (egress ? e->desc.inspect_egress : e->desc.inspect_ingress)(e->state, b);
    for (i = 0; i < n; i++) {
        if (dp->cfg->verify_extensions && pkt_digest(saved[i]) != digest[i])
            misuse(dp, e, MISUSE_INSPECT_WROTE, pkt_from_xsw(saved[i]));
        else
            b->pkts[kept++] = verdict_reset(saved[i]);
    }
    b->count = kept;
}

/* Runs one extension's callback on 'b' and removes what it dropped, in
 * one pass after the call: the packets come with their verdict reset
 * (verdict_reset()), and the ones kept leave with it reset again. */
static void
run_ext(struct dp *dp, struct ext *e, struct xsw_batch *b, bool egress)
{
    struct xsw_packet *saved[XSW_BATCH_MAX];
    uint32_t i, n = b->count, kept = 0, n_reasons = e->desc.n_drop_reasons;
    bool decides = !egress && e->desc.role == XSW_ROLE_FORWARD;

    /* The extension gets the batch; the core keeps its own list of what
     * is in it, so an extension that edits the batch loses no packet. */
    memcpy(saved, b->pkts, n * sizeof *saved);
    if (e->desc.role == XSW_ROLE_INSPECT) {
        run_inspect(dp, e, b, egress, saved);
        return;
    }
    (egress ? e->desc.egress : e->desc.ingress)(e->state, b);
    /* 'n_reasons' and 'decides' are read once: the loop writes packets,
     * which the compiler cannot tell apart from 'e'. */
    for (i = 0; i < n; i++) {
        struct xsw_packet *p = saved[i];
        struct pkt *pkt = pkt_from_xsw(p);

        if (!pkt_still_sane(pkt)) {
            misuse(dp, e, MISUSE_BAD_METADATA, pkt);
            continue;
        }
        if (p->verdict != XSW_PASS) {
            if (p->verdict == XSW_DROP && p->drop_reason < n_reasons)
                fate_drop(dp, pkt, e->drop_base + p->drop_reason);
            else
                misuse(dp, e, p->verdict == XSW_DROP ? MISUSE_BAD_REASON
                                                     : MISUSE_BAD_VERDICT,
                       pkt);
            continue;
        }
        if (decides) {
            pkt->fwd = p->fwd;
            pkt->n_out = p->n_out <= XSW_OUT_PORTS_MAX ? p->n_out : 0;
            memcpy(pkt->out_ports, p->out_ports, sizeof pkt->out_ports);
        }
        b->pkts[kept++] = verdict_reset(p);
    }
    b->count = kept;
}

/* --- Forwarding ------------------------------------------------------- */

static void
portq_add(struct dp *dp, uint16_t port, struct pkt *pkt)
{
    struct dp_portq *q = &dp->portq[port];

    if (q->n == 0)
        dp->active[dp->n_active++] = port;
    q->pkts[q->n++] = pkt;
}

/* Queues 'pkt' (or a copy) for 'port'.  The first destination takes the
 * packet itself; later ones share it unless egress callbacks may write. */
static void
enqueue(struct dp *dp, struct pkt *pkt, uint16_t port, bool first)
{
    struct pkt *copy = pkt;

    if (!first && dp->egress_writes) {
        copy = pkt_clone(dp->pool, pkt);
        if (!copy) {
            fate_drop(dp, pkt, DROP_POOL_EMPTY);
            return;
        }
        done_add(dp, copy);
    }
    portq_add(dp, port, copy);
}

static bool
should_flood_to(const struct dp *dp, const struct pkt *pkt, uint32_t port)
{
    /* Never back out of the port it came in on, nor to a port whose link
     * is down.  An administratively down port stays in the flood set, so
     * that what it would have sent is counted as dropped for it. */
    return port != pkt->rx_port && dp->ports[port].up
           && vlan_port_carries(&dp->ports[port].vlan, pkt->p.vlan);
}

static void
flood(struct dp *dp, struct pkt *pkt)
{
    uint32_t i, n = 0;

    for (i = 0; i < dp->n_ports; i++)
        n += should_flood_to(dp, pkt, i);
    if (n == 0) {
        fate_drop(dp, pkt, DROP_NO_DESTINATION);
        return;
    }
    pkt->pending += n - 1;
    for (i = 0, n = 0; i < dp->n_ports; i++)
        if (should_flood_to(dp, pkt, i))
            enqueue(dp, pkt, (uint16_t) i, n++ == 0);
}

/* Removes repeated destinations: a port gets one copy of a packet. */
static void
dedupe_out_ports(struct pkt *pkt)
{
    uint32_t i, j, n = 0;

    for (i = 0; i < pkt->n_out; i++) {
        for (j = 0; j < n && pkt->out_ports[j] != pkt->out_ports[i]; j++)
            continue;
        if (j == n)
            pkt->out_ports[n++] = pkt->out_ports[i];
    }
    pkt->n_out = (uint8_t) n;
}

static void
output_explicit(struct dp *dp, struct pkt *pkt)
{
    uint32_t i;

    dedupe_out_ports(pkt);
    pkt->pending += pkt->n_out - 1u;
    for (i = 0; i < pkt->n_out; i++) {
        if (pkt->out_ports[i] >= dp->n_ports) /* Only it sets them. */
            misuse(dp, dp->forwarder, MISUSE_BAD_PORT, pkt);
        else
            enqueue(dp, pkt, pkt->out_ports[i], i == 0);
    }
}

/* Built-in L2: learn the source, then unicast on a hit, else flood.
 * 'fp' is the packet's source and destination probes (fdb_prefetch()). */
static void
forward_l2(struct dp *dp, struct pkt *pkt, const struct fdb_probe fp[2])
{
    int port;

    if (!pkt->injected)
        fdb_learn_probe(dp->fdb, &fp[0], pkt->rx_port, pkt->p.ts_ns);
    if (fp[1].mac[0] & 1) {
        flood(dp, pkt);
        return;
    }
    port = fdb_lookup_probe(dp->fdb, &fp[1], pkt->p.ts_ns);
    if (port < 0)
        flood(dp, pkt);
    else if (port == pkt->rx_port)
        fate_drop(dp, pkt, DROP_SAME_PORT);
    else
        enqueue(dp, pkt, (uint16_t) port, true);
}

static void
forward(struct dp *dp, struct pkt *pkt, const struct fdb_probe fp[2])
{
    if (pkt->fwd == XSW_FWD_PORTS && pkt->n_out)
        output_explicit(dp, pkt);
    else if (pkt->fwd == XSW_FWD_FLOOD)
        flood(dp, pkt);
    else
        forward_l2(dp, pkt, fp);
}

/* Forwards the batch in order, packet by packet (a station learned from
 * one packet is known to the next), but first has the FDB hash every
 * source and destination and prefetch their hash slots for the whole
 * batch: with a large table each packet would otherwise wait for its
 * misses one after the other. */
static void
forward_batch(struct dp *dp, const struct xsw_batch *b)
{
    struct fdb_probe fp[2 * XSW_BATCH_MAX];
    uint32_t i;

    for (i = 0; i < b->count; i++) {
        const struct pkt *pkt = pkt_from_xsw(b->pkts[i]);
        struct fdb_probe *src = &fp[2 * i], *dst = &fp[2 * i + 1];

        src->mac = parse_eth_src(&pkt->p);
        dst->mac = parse_eth_dst(&pkt->p);
        src->vlan = dst->vlan = pkt->p.vlan;
    }
    fdb_prefetch(dp->fdb, fp, 2 * b->count);
    for (i = 0; i < b->count; i++)
        forward(dp, pkt_from_xsw(b->pkts[i]), &fp[2 * i]);
}

/* --- Egress ----------------------------------------------------------- */

static void
egress_port(struct dp *dp, struct port *port)
{
    struct dp_portq *q = &dp->portq[port->id];
    struct xsw_batch b;
    uint32_t i;

    b.count = q->n;
    b.port = port->id;
    for (i = 0; i < q->n; i++)
        b.pkts[i] = &q->pkts[i]->p;
    q->n = 0;
    for (i = dp->n_chain; i-- > 0 && b.count;) {
        if (!ext_has_egress(dp->chain[i]))
            continue;
        run_ext(dp, dp->chain[i], &b, true);
        if (__builtin_expect(dp->taps != NULL, 0))
            dp->taps->ext(dp->taps->arg, dp->chain[i], &b, true);
    }
    for (i = 0; i < b.count; i++)
        port_send(dp, port, pkt_from_xsw(b.pkts[i]));
}

/* --- One batch -------------------------------------------------------- */

/* Runs 'n' parsed, classified packets from chain position 'pos' on:
 * the rest of the ingress chain, forwarding, egress, transmit. */
static void
process(struct dp *dp, struct pkt **pkts, uint32_t n, uint32_t pos)
{
    struct xsw_batch b;
    uint32_t i;

    b.count = n;
    b.port = XSW_PORT_NONE;
    for (i = 0; i < n; i++) {
        b.pkts[i] = &pkts[i]->p;
        done_add(dp, pkts[i]);
    }
    if (__builtin_expect(dp->taps != NULL, 0) && pos == 0)
        dp->taps->rx(dp->taps->arg, pkts, n);
    for (; pos < dp->n_chain && b.count; pos++) {
        if (!ext_has_ingress(dp->chain[pos]))
            continue;
        run_ext(dp, dp->chain[pos], &b, false);
        if (__builtin_expect(dp->taps != NULL, 0))
            dp->taps->ext(dp->taps->arg, dp->chain[pos], &b, false);
    }
    forward_batch(dp, &b);
    if (__builtin_expect(dp->taps != NULL, 0))
        dp->taps->forward(dp->taps->arg, &b, dp->active, dp->n_active);
    for (i = 0; i < dp->n_active; i++)
        egress_port(dp, &dp->ports[dp->active[i]]);
    dp->n_active = 0;
    if (__builtin_expect(dp->taps != NULL, 0))
        dp->taps->done(dp->taps->arg);
    for (i = 0; i < dp->n_done; i++)
        pkt_free(dp->pool, dp->done[i]);
    dp->n_done = 0;
}

/* Parses and classifies a frame from a port; false if it was dropped. */
static bool
admit(struct dp *dp, struct port *port, struct pkt *pkt)
{
    int drop;

    pkt->p.in_port = pkt->rx_port = port->id;
    pkt->origin = pkt;
    pkt->pending = 1;
    if (!port->admin_up) {
        fate_drop(dp, pkt, DROP_ADMIN_DOWN_RX);
        return false;
    }
    if (pkt->p.size < 14) {
        fate_drop(dp, pkt, DROP_RUNT);
        return false;
    }
    parse_headers(&pkt->p);
    /* Read by extensions only (and shown by traces and captures' taps);
     * the chain changes between batches, never within one. */
    if (dp->n_chain || dp->taps)
        pkt->p.flow_hash = parse_flow_hash(&pkt->p);
    if (pkt->p.flags & (XSW_PKT_F_L3_BAD | XSW_PKT_F_L3_TRUNC |
                        XSW_PKT_F_L4_TRUNC)) {
        port->l3_malformed +=
            !!(pkt->p.flags & (XSW_PKT_F_L3_BAD | XSW_PKT_F_L3_TRUNC));
        port->l4_malformed += !!(pkt->p.flags & XSW_PKT_F_L4_TRUNC);
    }
    drop = vlan_ingress(&port->vlan, &pkt->p);
    if (drop) {
        fate_drop(dp, pkt, (uint32_t) drop);
        return false;
    }
    return true;
}

/* A buffer for an arriving frame: from the pool or, when the pool is
 * empty (extensions may hold buffers), the spare one, into which the frame
 * is read to be dropped as "pool exhausted": input never stalls.  Set up
 * once (pkt_init_rx()): the port fills in the frame, the parser the
 * metadata. */
static struct pkt *
rx_buffer_get(struct dp *dp)
{
    struct pkt *pkt = pkt_alloc_raw(dp->pool);

    if (!pkt)
        pkt = dp->spare;
    pkt_init_rx(pkt);
    return pkt;
}

static void
rx_buffer_put(struct dp *dp, struct pkt *pkt)
{
    if (pkt != dp->spare)
        pkt_free(dp->pool, pkt);
}

/* Counts a frame a port's rx() returned ('r': 0 or a drop id) and admits
 * it; false when it was dropped (and freed). */
static bool
receive(struct dp *dp, struct port *port, struct pkt *pkt, int r)
{
    port->rx++;
    dp->totals.rx++;
    pkt->p.in_port = pkt->rx_port = port->id;
    if (pkt == dp->spare && r == 0)
        r = DROP_POOL_EMPTY;
    if (r > 0) {
        pkt->origin = pkt;
        pkt->pending = 1;
        fate_drop(dp, pkt, (uint32_t) r);
    } else if (admit(dp, port, pkt)) {
        return true;
    }
    rx_buffer_put(dp, pkt);
    return false;
}

/* Runs queued injected RX packets, each group from the chain position
 * after its injector.  Injections they cause start further down the
 * chain, so this ends after at most one pass per chain position. */
static void
drain_injected(struct dp *dp)
{
    struct pkt *batch[XSW_BATCH_MAX], *round, *next;
    uint32_t n, rounds;
    uint16_t pos;

    /* Each round runs what the previous one injected.  Injections made
     * on egress re-enter the chain, so two extensions (or one, on egress)
     * could feed each other forever: after DP_INJECT_ROUNDS_MAX rounds
     * the rest is dropped as an injection loop. */
    for (rounds = 0; dp->inject_head; rounds++) {
        round = dp->inject_head;
        dp->inject_head = dp->inject_tail = NULL;
        while (round) {
            pos = round->chain_pos;
            for (n = 0; n < XSW_BATCH_MAX && round && round->chain_pos == pos;
                 n++) {
                next = round->next;
                batch[n] = round;
                round = next;
            }
            if (rounds < DP_INJECT_ROUNDS_MAX) {
                process(dp, batch, n, pos);
                continue;
            }
            while (n-- > 0) {
                fate_drop(dp, batch[n], DROP_INJECT_LOOP);
                pkt_free(dp->pool, batch[n]);
            }
        }
    }
}

/* --- Timers ----------------------------------------------------------- */

static uint64_t
timers_next(const struct dp *dp)
{
    uint64_t next = UINT64_MAX;
    uint32_t i;

    for (i = 0; i < dp->n_timers; i++)
        if (dp->timers[i].ext && dp->timers[i].next_ns < next)
            next = dp->timers[i].next_ns;
    return next;
}

/* Fires every timer due by 'upto' in deadline order, with the clock at
 * each deadline.  After a long gap in a capture, a timer more than
 * DP_TIMER_CATCHUP_MAX ticks behind skips to its last due tick, so a gap
 * of days costs a bounded number of calls. */
static void
timers_run(struct dp *dp, uint64_t upto)
{
    struct dp_timer *t;
    uint64_t next;
    uint32_t i;

    while ((next = timers_next(dp)) <= upto) {
        for (i = 0; i < dp->n_timers; i++)
            if (dp->timers[i].ext && dp->timers[i].next_ns == next)
                break;
        t = &dp->timers[i];
        if (next > dp->now_ns)
            dp->now_ns = next;
        t->next_ns += t->interval_ns;
        if (t->next_ns <= upto
            && (upto - t->next_ns) / t->interval_ns > DP_TIMER_CATCHUP_MAX)
            t->next_ns += (upto - t->next_ns) / t->interval_ns
                          * t->interval_ns;
        if (t->ext->enabled)
            t->fn(t->arg, dp->now_ns);
        drain_injected(dp);
    }
}

int
dp_timer_add(struct dp *dp, struct ext *e, uint64_t interval_ns,
             xsw_timer_fn fn, void *arg)
{
    uint32_t i;

    if (!fn || !interval_ns || interval_ns > DP_TIMER_INTERVAL_MAX)
        return -EINVAL;
    for (i = 0; i < DP_TIMERS_MAX && dp->timers[i].ext; i++)
        continue;
    if (i == DP_TIMERS_MAX)
        return -ENOSPC;
    dp->timers[i] = (struct dp_timer){e, interval_ns,
                                      dp->now_ns + interval_ns, fn, arg};
    if (i >= dp->n_timers)
        dp->n_timers = i + 1;
    return (int) i;
}

int
dp_timer_cancel(struct dp *dp, struct ext *e, int id)
{
    if (id < 0 || (uint32_t) id >= dp->n_timers || dp->timers[id].ext != e)
        return -ENOENT;
    dp->timers[id].ext = NULL;
    return 0;
}

/* --- Control and waiting --------------------------------------------- */

/* SIGINT and SIGTERM are blocked except inside ppoll(), so a stop request
 * can never slip in between the check of '*stop' and the wait.  '*wait'
 * is the mask for ppoll(), '*orig' the one to restore. */
static void
stop_signals_block(sigset_t *orig, sigset_t *wait)
{
    sigset_t stop_sigs;

    sigemptyset(&stop_sigs);
    sigaddset(&stop_sigs, SIGINT);
    sigaddset(&stop_sigs, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_sigs, orig);
    *wait = *orig;
    sigdelset(wait, SIGINT);
    sigdelset(wait, SIGTERM);
}

/* Waits for the control server at most 'timeout' (NULL: until it or a
 * signal in 'wait_sigs' wakes us) and serves it. */
static void
control_wait(struct dp *dp, const struct timespec *timeout,
             const sigset_t *wait_sigs)
{
    struct pollfd fds[DP_CONTROL_FDS_MAX];
    uint32_t n = 0;

    if (dp->has_ctl)
        n = dp->ctl.fds(dp->ctl.arg, fds, DP_CONTROL_FDS_MAX);
    if (ppoll(fds, n, timeout, wait_sigs) > 0)
        dp->ctl.serve(dp->ctl.arg, fds, n);
}

/* Serves what is waiting, without waiting: a replay's check between
 * batches, one poll() of at most DP_CONTROL_FDS_MAX descriptors. */
static void
control_poll(struct dp *dp)
{
    static const struct timespec zero = {0, 0};

    if (dp->has_ctl)
        control_wait(dp, &zero, NULL);
}

/* A paused replay serves only the control server until it is resumed or
 * stopped. */
static void
wait_while_paused(struct dp *dp, const volatile sig_atomic_t *stop)
{
    sigset_t orig, wait;

    if (!dp->paused)
        return;
    stop_signals_block(&orig, &wait);
    dp->state = DP_STATE_PAUSED;
    while (dp->paused && !(stop && *stop))
        control_wait(dp, NULL, &wait);
    dp->state = DP_STATE_REPLAYING;
    sigprocmask(SIG_SETMASK, &orig, NULL);
}

void
dp_set_control(struct dp *dp, const struct dp_control *ctl)
{
    dp->has_ctl = ctl != NULL;
    if (ctl)
        dp->ctl = *ctl;
}

int
dp_set_paused(struct dp *dp, bool paused)
{
    if (dp->state == DP_STATE_LIVE || dp_is_live(dp))
        return -EOPNOTSUPP;
    dp->paused = paused;
    return 0;
}

enum dp_state
dp_state(const struct dp *dp)
{
    return dp->state;
}

const char *
dp_state_name(enum dp_state state)
{
    static const char *const names[] = {
        [DP_STATE_READY] = "ready",   [DP_STATE_REPLAYING] = "replaying",
        [DP_STATE_PAUSED] = "paused", [DP_STATE_HELD] = "held",
        [DP_STATE_LIVE] = "live",
    };

    return state <= DP_STATE_LIVE ? names[state] : "?";
}

int
dp_run_hold(struct dp *dp, const volatile sig_atomic_t *stop)
{
    sigset_t orig, wait;

    stop_signals_block(&orig, &wait);
    dp->state = DP_STATE_HELD;
    while (!*stop)
        control_wait(dp, NULL, &wait);
    sigprocmask(SIG_SETMASK, &orig, NULL);
    return 0;
}

/* --- Replay loop ------------------------------------------------------ */

/* The replay port whose next frame is earliest (ties: config order). */
static struct port *
next_rx_port(struct dp *dp, uint64_t *ts)
{
    struct port *best = NULL;
    uint64_t t, best_t = UINT64_MAX;
    uint32_t i;
    int r;

    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        if (p->rx_done || !p->ops->rx_peek)
            continue;
        if ((r = p->ops->rx_peek(p, &t))) {
            p->rx_done = true;
            p->rx_damaged = r == -EBADMSG;
            continue;
        }
        if (t < best_t) {
            best_t = t;
            best = p;
        }
    }
    *ts = best_t;
    return best;
}

/* The first frame starts the clock; timers created before it (at clock
 * 0) are moved to count from it. */
static void
clock_start(struct dp *dp, uint64_t ts)
{
    uint32_t i;

    if (dp->clock_started)
        return;
    dp->clock_started = true;
    for (i = 0; i < dp->n_timers; i++)
        dp->timers[i].next_ns += ts - dp->now_ns;
    dp->now_ns = ts;
}

/* Called after due timers have run, so they saw their own deadlines. */
static void
clock_advance(struct dp *dp, uint64_t ts)
{
    clock_start(dp, ts);
    if (ts > dp->now_ns)
        dp->now_ns = ts;
}

/* Reads the next batch: frames in timestamp order, cut before a frame
 * stamped at or after a timer deadline.  Returns how many were admitted;
 * '*more' is false when the input is exhausted. */
static uint32_t
read_batch(struct dp *dp, struct pkt **batch, bool *more)
{
    uint64_t ts, deadline = timers_next(dp);
    struct port *port;
    struct pkt *pkt;
    uint32_t n = 0, tried = 0;
    int r;

    /* A drop summary's interval ends there too, so a replay's summaries
     * count exactly the frames stamped inside it. */
    if (droplog_deadline(dp->droplog) < deadline)
        deadline = droplog_deadline(dp->droplog);
    *more = true;
    while (tried < XSW_BATCH_MAX) {
        port = next_rx_port(dp, &ts);
        if (!port) {
            *more = false;
            break;
        }
        if (tried && ts >= deadline)
            break;   /* Timers due at T run before frames stamped T. */
        clock_advance(dp, ts);
        tried++;
        pkt = rx_buffer_get(dp);
        r = port->ops->rx(port, pkt);
        if (r == -ENOENT) {
            rx_buffer_put(dp, pkt);
            port->rx_done = true;
            continue;
        }
        if (receive(dp, port, pkt, r))
            batch[n++] = pkt;
    }
    return n;
}

/* Expired entries already count as absent on lookup; sweeping them once
 * a second of switch clock frees their slots for new stations. */
static void
age_fdb(struct dp *dp)
{
    if (dp->now_ns - dp->aged_ns < DP_AGING_SWEEP_NS)
        return;
    dp->aged_ns = dp->now_ns;
    fdb_age(dp->fdb, dp->now_ns);
}

/* How much of the replay input has been read, 0..1. */
static double
input_fraction(struct dp *dp)
{
    uint64_t done = 0, total = 0, d, t;
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        if (!p->ops->rx_position)
            continue;
        p->ops->rx_position(p, &d, &t);
        done += d;
        total += t;
    }
    return total ? (double) done / (double) total : 1.0;
}

/* Returns 0, or -EIO when some port lost output (logged once a port). */
static int
flush_ports(struct dp *dp)
{
    uint32_t i;
    int ret = 0;

    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        if (!p->ops || !p->ops->flush || !p->ops->flush(p))
            continue;
        ret = -EIO;
        if (!p->tx_error_logged)
            dp_log(dp, XSW_LOG_ERR, "port %s: output lost: cannot write %s",
                   p->name, p->cfg->tx ? p->cfg->tx : "its device");
        p->tx_error_logged = true;
    }
    return ret;
}

/* -EBADMSG when some port's input ended early because it was damaged. */
static int
input_damaged(const struct dp *dp)
{
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++)
        if (dp->ports[i].rx_damaged)
            return -EBADMSG;
    return 0;
}

int
dp_run_replay(struct dp *dp, dp_progress_fn progress, void *arg,
              const volatile sig_atomic_t *stop)
{
    struct pkt *batch[XSW_BATCH_MAX];
    uint64_t ts, batches = 0;
    uint32_t n;
    bool more = true;
    int ret;

    dp->state = DP_STATE_REPLAYING;
    log_switch_start(dp, "replay");
    while (more && !(stop && *stop)) {
        if (batches++ % DP_CONTROL_EVERY == 0)
            control_poll(dp);
        wait_while_paused(dp, stop);
        if (stop && *stop)
            break;
        if (next_rx_port(dp, &ts)) {
            clock_start(dp, ts);
            timers_run(dp, ts);
            droplog_check(dp->droplog, dp->drops, ts);
        }
        n = read_batch(dp, batch, &more);
        if (n)
            process(dp, batch, n, 0);
        drain_injected(dp);
        age_fdb(dp);
        if (progress && (dp->totals.rx & 0x3fff) < n)
            progress(arg, dp->totals.rx, input_fraction(dp));
    }
    control_poll(dp);   /* Answer what waited for the last batches. */
    droplog_flush(dp->droplog, dp->drops, dp->now_ns);
    if (more) {
        flush_ports(dp);
        dp_log(dp, XSW_LOG_WARN, "replay interrupted before the end of its "
                                 "input");
        return -EINTR;
    }
    ret = flush_ports(dp);
    return ret ? ret : input_damaged(dp);
}

/* --- Frames from memory ---------------------------------------------- */

int
dp_receive_frames(struct dp *dp, uint16_t port_id, const uint8_t *const *frames,
                  const uint32_t *sizes, uint32_t n, uint64_t ts_ns)
{
    struct pkt *batch[XSW_BATCH_MAX];
    struct port *port;
    uint32_t i, got = 0;

    if (port_id >= dp->n_ports || n > XSW_BATCH_MAX)
        return -EINVAL;
    port = &dp->ports[port_id];
    clock_start(dp, ts_ns);
    timers_run(dp, ts_ns);
    clock_advance(dp, ts_ns);
    for (i = 0; i < n; i++) {
        struct pkt *pkt = rx_buffer_get(dp);
        int r = sizes[i] > PKT_FRAME_MAX ? DROP_OVERSIZE : 0;

        /* As a port's rx() does: the frame, its size and time. */
        pkt->p.ts_ns = ts_ns;
        if (!r) {
            memcpy(pkt->p.data, frames[i], sizes[i]);
            pkt->p.size = sizes[i];
            pkt->p.tailroom =
                (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - sizes[i]);
        }
        if (receive(dp, port, pkt, r))
            batch[got++] = pkt;
    }
    if (got)
        process(dp, batch, got, 0);
    drain_injected(dp);
    flush_ports(dp);
    age_fdb(dp);
    return 0;
}

/* --- Live loop -------------------------------------------------------- */

/* A port's link went up or down: forget the MACs behind a port that went
 * down, and tell every extension. */
static void
port_set_up(struct dp *dp, struct port *port, bool up)
{
    if (port->up == up)
        return;
    port->up = up;
    dp_event(dp, XSW_LOG_INFO, up ? "port.up" : "port.down",
             LOG_FIELDS(LOG_STR("port", port->name), LOG_STR("cause", "link")),
             "port %s is %s", port->name, up ? "up" : "down");
    if (!up)
        fdb_flush(dp->fdb, port->id, -1);
    dp_port_event(dp, port->id, up ? XSW_PORT_EV_UP : XSW_PORT_EV_DOWN);
}

void
dp_port_event(struct dp *dp, uint16_t port, uint32_t event)
{
    uint32_t i;

    for (i = 0; i < dp->n_chain; i++)
        if (dp->chain[i]->desc.port_event)
            dp->chain[i]->desc.port_event(dp->chain[i]->state, port, event);
}

static void
link_changed(void *arg, const struct nl_link_info *info)
{
    struct dp *dp = arg;
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        if (p->ops && p->ops->device && p->ops->link_event
            && !strcmp(p->ops->device(p), info->name))
            port_set_up(dp, p, p->ops->link_event(p, info));
    }
}

/* Reads up to a batch of frames waiting on one live port. */
static uint32_t
read_live(struct dp *dp, struct port *port, struct pkt **batch)
{
    struct pkt *pkt;
    uint32_t n = 0, tried;
    int r;

    port->rx_more = false;
    for (tried = 0; tried < XSW_BATCH_MAX; tried++) {
        pkt = rx_buffer_get(dp);
        r = port->ops->rx(port, pkt);
        if (r < 0) {
            rx_buffer_put(dp, pkt);
            if (r != -EAGAIN && !port->rx_error_logged) {
                dp_log(dp, XSW_LOG_WARN, "port %s: receive error: %s",
                       port->name, strerror(-r));
                port->rx_error_logged = true;
            }
            break;
        }
        if (receive(dp, port, pkt, r))
            batch[n++] = pkt;
    }
    /* A full batch: there may be more (a driver's pending segments do not
     * make its descriptor readable), so read again without waiting. */
    port->rx_more = tried == XSW_BATCH_MAX;
    return n;
}

/* Poll entries: the live ports with a descriptor, the netlink monitor,
 * then the control server's.  Returns how many; '*nl_idx' is the
 * monitor's or -1, '*ctl_idx' the control server's first. */
static nfds_t
poll_setup(struct dp *dp, struct nl_monitor *nl, struct pollfd *fds,
           struct port **who, int *nl_idx, nfds_t *ctl_idx)
{
    nfds_t n = 0;
    uint32_t i;
    int fd;

    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        if (!port_is_live(p) || (fd = p->ops->rx_fd(p)) < 0)
            continue;
        fds[n] = (struct pollfd){.fd = fd, .events = POLLIN};
        who[n++] = p;
    }
    *nl_idx = -1;
    if (nl) {
        fds[n] = (struct pollfd){.fd = nl_monitor_fd(nl), .events = POLLIN};
        *nl_idx = (int) n++;
    }
    *ctl_idx = n;
    if (dp->has_ctl)
        n += dp->ctl.fds(dp->ctl.arg, fds + n, DP_CONTROL_FDS_MAX);
    return n;
}

/* Time to wait in ppoll(): none when a port has more to read, else until
 * the next timer deadline, at most a second. */
static struct timespec
poll_timeout(const struct dp *dp)
{
    uint64_t next = timers_next(dp), now = clock_mono_ns(), wait;
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++)
        if (dp->ports[i].rx_more)
            return (struct timespec){0, 0};
    wait = next <= now ? 0 : next - now;
    if (wait > 1000000000ull)
        wait = 1000000000ull;
    return (struct timespec){(time_t) (wait / 1000000000ull),
                             (long) (wait % 1000000000ull)};
}

static bool
control_ready(const struct pollfd *fds, nfds_t n)
{
    nfds_t i;

    for (i = 0; i < n; i++)
        if (fds[i].revents)
            return true;
    return false;
}

bool
dp_is_live(const struct dp *dp)
{
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++)
        if (port_is_live(&dp->ports[i]))
            return true;
    return false;
}

int
dp_run_live(struct dp *dp, const volatile sig_atomic_t *stop)
{
    /* For every port a reload may ever add, not just today's. */
    nfds_t max = CONFIG_PORTS_MAX + 1 + DP_CONTROL_FDS_MAX;
    struct pollfd *fds = calloc(max, sizeof *fds);
    struct port **who = calloc(max, sizeof *who);
    struct pkt *batch[XSW_BATCH_MAX];
    struct nl_monitor *nl = dp->nl;
    sigset_t wait_sigs, orig_sigs;
    nfds_t n, i, ctl_idx;
    int nl_idx, ret = 0;
    uint32_t got;

    if (!fds || !who) {
        free(fds);
        free(who);
        return -ENOMEM;
    }
    stop_signals_block(&orig_sigs, &wait_sigs);
    dp->state = DP_STATE_LIVE;
    clock_start(dp, clock_mono_ns());
    log_switch_start(dp, "live");
    while (!*stop) {
        struct timespec timeout = poll_timeout(dp);

        n = poll_setup(dp, nl, fds, who, &nl_idx, &ctl_idx);
        if (ppoll(fds, n, &timeout, &wait_sigs) < 0 && errno != EINTR) {
            ret = -errno;
            dp_log(dp, XSW_LOG_ERR, "poll: %s", strerror(errno));
            break;
        }
        clock_advance(dp, clock_mono_ns());
        timers_run(dp, dp->now_ns);
        droplog_check(dp->droplog, dp->drops, dp->now_ns);
        if (nl_idx >= 0 && fds[nl_idx].revents)
            nl_monitor_read(nl, link_changed, dp);
        for (i = 0; i < ctl_idx; i++) {
            if ((int) i == nl_idx || !(fds[i].revents || who[i]->rx_more))
                continue;
            if ((got = read_live(dp, who[i], batch)))
                process(dp, batch, got, 0);
        }
        drain_injected(dp);
        flush_ports(dp);
        age_fdb(dp);
        if (control_ready(fds + ctl_idx, n - ctl_idx))
            dp->ctl.serve(dp->ctl.arg, fds + ctl_idx, (uint32_t) (n - ctl_idx));
    }
    flush_ports(dp);
    droplog_flush(dp->droplog, dp->drops, dp->now_ns);
    sigprocmask(SIG_SETMASK, &orig_sigs, NULL);
    free(fds);
    free(who);
    return ret;
}

/* --- Services for extensions ----------------------------------------- */

struct pkt *
dp_pkt_alloc(struct dp *dp, uint32_t size)
{
    struct pkt *pkt = pkt_alloc(dp->pool, size);

    if (pkt) {
        memset(pkt->p.data, 0, size);
        pkt->p.ts_ns = dp->now_ns;
    }
    return pkt;
}

void
dp_pkt_free(struct dp *dp, struct pkt *pkt)
{
    pkt_free(dp->pool, pkt);
}

/* Does the frame's own outer 802.1Q tag name a VLAN (not a priority tag,
 * VID 0, which ingress treats as untagged too)? */
static bool
frame_names_vlan(const struct xsw_packet *p)
{
    return (p->flags & XSW_PKT_F_TAGGED) && p->vlan != 0;
}

void
dp_reparse(struct dp *dp, struct pkt *pkt)
{
    uint16_t vlan = pkt->p.vlan;
    uint8_t pcp = pkt->p.pcp;

    (void) dp;
    parse_packet(&pkt->p);
    /* The classified VLAN follows an outer 802.1Q tag if there is one; a
     * priority tag (VID 0) keeps the VLAN but gives its priority. */
    if (!(pkt->p.flags & XSW_PKT_F_TAGGED))
        pkt->p.pcp = pcp;
    if (!frame_names_vlan(&pkt->p))
        pkt->p.vlan = vlan;
}

/* An injected packet's VLAN: its tag's, else the port's own untagged one.*/
static void
classify_injected(const struct port *port, struct pkt *pkt)
{
    const struct vlan_config *v = &port->vlan;

    if (!frame_names_vlan(&pkt->p))
        pkt->p.vlan = v->mode == VLAN_ACCESS ? v->vid
                      : v->native           ? v->native
                                            : 1;
}

int
dp_inject(struct dp *dp, struct ext *e, struct pkt *pkt, uint32_t port,
          uint32_t how)
{
    uint32_t pos;

    if (dp->taps && dp->taps->dry) {
        /* A trace's dry run: shown, never run or sent. */
        dp->taps->inject(dp->taps->arg, e, pkt, port, how);
        pkt_free(dp->pool, pkt);
        return 0;
    }
    dp->totals.injected++;
    pkt->origin = pkt;
    pkt->pending = 1;
    pkt->injected = 1;
    pkt->p.flags |= XSW_PKT_F_INJECTED;
    if (e->desc.role == XSW_ROLE_INSPECT || port >= dp->n_ports
        || !dp->ports[port].ops   /* Not open: xswd --check. */
        || dp->reloading          /* From a new instance's create(): not
                                   * in the chain yet, and maybe never. */
        || (how != XSW_INJECT_TX && how != XSW_INJECT_RX)
        || pkt->p.size < 14) {
        misuse(dp, e, MISUSE_INJECT_FAILED, pkt);
        pkt_free(dp->pool, pkt);
        return e->desc.role == XSW_ROLE_INSPECT ? -EPERM : -EINVAL;
    }
    parse_packet(&pkt->p);
    pkt->p.in_port = pkt->rx_port = (uint16_t) port;
    classify_injected(&dp->ports[port], pkt);
    if (how == XSW_INJECT_TX) {
        int drop = port_send(dp, &dp->ports[port], pkt);

        pkt_free(dp->pool, pkt);
        return drop == 0                  ? 0
               : drop == DROP_PORT_DOWN   ? -ENETDOWN
               : drop == DROP_EGRESS_VLAN ? -EHOSTUNREACH
                                          : -EIO;
    }
    for (pos = 0; pos < dp->n_chain && dp->chain[pos] != e; pos++)
        continue;
    pkt->chain_pos = (uint16_t) (pos + 1);
    pkt->next = NULL;
    if (dp->inject_tail)
        dp->inject_tail->next = pkt;
    else
        dp->inject_head = pkt;
    dp->inject_tail = pkt;
    return 0;
}

int32_t
dp_port_lookup(const struct dp *dp, const char *name)
{
    uint32_t i;

    for (i = 0; i < dp->n_ports; i++)
        if (!port_is_removed(&dp->ports[i]) && !dp->ports[i].leaving
            && !strcmp(dp->ports[i].name, name))
            return (int32_t) i;
    return -ENOENT;
}

/* --- Life cycle ------------------------------------------------------- */

static int
open_ports(struct dp *dp, bool check_only, struct xsw_err *err)
{
    uint32_t i;
    int ret;

    dp->ports = calloc(dp->cfg->n_ports, sizeof *dp->ports);
    dp->portq = calloc(dp->cfg->n_ports, sizeof *dp->portq);
    dp->active = calloc(dp->cfg->n_ports, sizeof *dp->active);
    if (!dp->ports || !dp->portq || !dp->active)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    dp->n_ports = dp->cfg->n_ports;
    for (i = 0; i < dp->n_ports; i++) {
        struct port *p = &dp->ports[i];

        p->id = (uint16_t) i;
        p->cfg = &dp->cfg->ports[i];
        p->admin_up = true;
        p->vlan = p->cfg->vlan;
        if (check_only) {   /* Named, for extensions' port_lookup(). */
            if (!(p->name = strdup(p->cfg->name)))
                return xsw_err_set(err, -ENOMEM, "out of memory");
            continue;
        }
        if ((ret = port_open(p, (uint16_t) i, &dp->cfg->ports[i], err)))
            return ret;
    }
    return 0;
}

void
dp_chain_rebuild(struct dp *dp)
{
    uint32_t i;

    dp->n_chain = 0;
    dp->egress_writes = false;
    dp->forwarder = NULL;
    for (i = 0; i < dp->n_exts; i++) {
        struct ext *e = dp->order[i];

        if (!e->enabled)
            continue;
        dp->chain[dp->n_chain++] = e;
        if (e->desc.role == XSW_ROLE_FORWARD)
            dp->forwarder = e;
        if (ext_has_egress(e) && e->desc.role != XSW_ROLE_INSPECT)
            dp->egress_writes = true;
    }
}

/* Two enabled forward extensions would both claim every packet's
 * destination (the hypervisor switch has the same rule). */
int
dp_forward_conflict(const struct ext_config *second,
                    const struct ext_config *first, struct xsw_err *err)
{
    return cfg_node_error(second->node, err, -EINVAL,
                          "second enabled forward extension '%s' (only one "
                          "may be enabled; '%s' at line %u is)",
                          second->name, first->name, first->node->line);
}

int
dp_check_one_forward(const struct dp *dp, struct xsw_err *err)
{
    const struct ext *first = NULL;
    uint32_t i;

    for (i = 0; i < dp->n_exts; i++) {
        const struct ext *e = dp->order[i];

        if (!e->enabled || e->desc.role != XSW_ROLE_FORWARD)
            continue;
        if (first)
            return dp_forward_conflict(e->cfg, first->cfg, err);
        first = e;
    }
    return 0;
}

int
dp_ext_load(struct dp *dp, const struct xsw_config *cfg,
            const struct ext_config *ec, struct ext **out,
            struct xsw_err *err)
{
    struct ext *e = calloc(1, sizeof *e);
    int ret;

    if (!(*out = e))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    if ((ret = ext_load(e, dp, cfg, ec, err)))
        return ret;
    ret = drops_register(dp->drops, e->name, e->desc.drop_reasons,
                         e->desc.n_drop_reasons);
    e->drop_base = (uint16_t) ret;
    if (ret >= 0)
        e->misuse_base = (uint16_t) (ret = drops_register_misuse(dp->drops,
                                                                 e->name));
    if (ret < 0)
        return xsw_err_set(err, ret, "%s: too many drop reasons", e->path);
    return 0;
}

void
dp_ext_free(struct dp *dp, struct ext *e)
{
    uint32_t i;

    if (!e)
        return;
    for (i = 0; i < dp->n_timers; i++)
        if (dp->timers[i].ext == e)
            dp->timers[i].ext = NULL;
    if (e->created)
        dp_event(dp, XSW_LOG_INFO, "ext.unload",
                 LOG_FIELDS(LOG_STR("extension", e->name)),
                 "extension %s unloaded", e->name);
    ext_unload(e);
    free(e);
}

int
dp_ext_create(struct dp *dp, struct ext *e, struct xsw_err *err)
{
    int ret = ext_create(e, err);

    if (ret)
        return ret;
    dp_event(dp, XSW_LOG_INFO, "ext.load",
             LOG_FIELDS(LOG_STR("extension", e->name),
                        LOG_STR("module", e->cfg->module),
                        LOG_STR("role", ext_role_name(e->desc.role)),
                        LOG_STR("file", e->path),
                        LOG_STR("version", e->desc.version),
                        LOG_STR("state", e->enabled ? "enabled" : "disabled")),
             "extension %s loaded from %s (%s%s)", e->name, e->path,
             ext_role_name(e->desc.role), e->enabled ? "" : ", disabled");
    return 0;
}

static int
load_exts(struct dp *dp, struct xsw_err *err)
{
    const struct xsw_config *cfg = dp->cfg;
    uint32_t i;
    int ret;

    /* Room for the most a config may hold, so a reload never moves
     * them. */
    dp->chain = calloc(CONFIG_EXTS_MAX, sizeof *dp->chain);
    dp->order = calloc(CONFIG_EXTS_MAX, sizeof *dp->order);
    if (!dp->chain || !dp->order)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    for (i = 0; i < cfg->n_exts; i++) {
        ret = dp_ext_load(dp, cfg, &cfg->exts[i], &dp->order[dp->n_exts],
                          err);
        if (dp->order[dp->n_exts])
            dp->n_exts++;
        if (ret)
            return ret;
    }
    if ((ret = dp_check_one_forward(dp, err)))
        return ret;
    for (i = 0; i < dp->n_exts; i++) {
        if ((ret = dp_ext_create(dp, dp->order[i], err)))
            return ret;
    }
    dp_chain_rebuild(dp);
    return 0;
}

/* Opened with the ports, not when the loop starts: xswd may have dropped
 * the privilege to watch other namespaces by then (privdrop.h). */
static void
open_link_monitor(struct dp *dp)
{
    struct xsw_err err = {0};

    if (!dp_is_live(dp))
        return;
    dp->nl = nl_monitor_open(&err);
    if (!dp->nl)
        dp_log(dp, XSW_LOG_WARN, "link changes are not monitored: %s",
               err.msg);
}

int
dp_create(const struct xsw_config *cfg, const struct dp_options *opts,
          struct dp **out, struct xsw_err *err)
{
    struct fdb_settings fs = {cfg->fdb_max_entries, cfg->fdb_aging_ns};
    struct dp *dp = calloc(1, sizeof *dp);
    int ret;

    *out = NULL;
    if (!dp)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    dp->cfg = cfg;
    dp->log_level = opts && opts->log_level ? opts->log_level : XSW_LOG_INFO;
    dp->drops = drops_create();
    if (cfg->drop_summary_ns && !(opts && opts->check_only)
        && !(dp->droplog = droplog_create(cfg->drop_summary_ns))) {
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto err_destroy;
    }
    dp->done_cap = opts && opts->pool_size ? opts->pool_size
                                           : PKT_POOL_DEFAULT;
    dp->pool = pkt_pool_create(dp->done_cap, err);
    dp->done = calloc(dp->done_cap, sizeof *dp->done);
    dp->spare = malloc(sizeof *dp->spare);
    if (!dp->drops || !dp->pool || !dp->done || !dp->spare) {
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto err_destroy;
    }
    dp->fdb = fdb_create(&fs, err);
    if (!dp->fdb) {
        ret = -ENOMEM;
        goto err_destroy;
    }
    if ((ret = open_ports(dp, opts && opts->check_only, err))
        || (ret = load_exts(dp, err)))
        goto err_destroy;
    if (!(opts && opts->check_only))
        open_link_monitor(dp);
    *out = dp;
    return 0;

err_destroy:
    dp_destroy(dp);
    return ret;
}

void
dp_destroy(struct dp *dp)
{
    uint32_t i;

    if (!dp)
        return;
    for (i = dp->n_exts; i-- > 0;)
        dp_ext_free(dp, dp->order[i]);
    for (i = 0; i < dp->n_ports; i++)
        port_close(&dp->ports[i]);
    nl_monitor_close(dp->nl);
    capture_set_destroy(dp->captures);
    trace_live_destroy(dp->live);
    while (dp->inject_head) {
        struct pkt *next = dp->inject_head->next;

        pkt_free(dp->pool, dp->inject_head);
        dp->inject_head = next;
    }
    if (dp->cfg_owned)   /* A reload's; the first is the caller's. */
        config_free((struct xsw_config *) dp->cfg);
    while (dp->old_cfgs) {
        struct dp_old_cfg *next = dp->old_cfgs->next;

        config_free(dp->old_cfgs->cfg);
        free(dp->old_cfgs);
        dp->old_cfgs = next;
    }
    free(dp->chain);
    free(dp->order);
    free(dp->ports);
    free(dp->portq);
    free(dp->active);
    free(dp->done);
    free(dp->spare);
    fdb_destroy(dp->fdb);
    pkt_pool_destroy(dp->pool);
    drops_destroy(dp->drops);
    droplog_destroy(dp->droplog);
    free(dp);
}

/* --- Accessors -------------------------------------------------------- */

const struct xsw_config *
dp_config(const struct dp *dp)
{
    return dp->cfg;
}

uint64_t
dp_now(const struct dp *dp)
{
    return dp->now_ns;
}

const struct dp_totals *
dp_get_totals(const struct dp *dp)
{
    return &dp->totals;
}

uint32_t
dp_port_count(const struct dp *dp)
{
    return dp->n_ports;
}

const struct port *
dp_port(const struct dp *dp, uint32_t id)
{
    return id < dp->n_ports ? &dp->ports[id] : NULL;
}

uint32_t
dp_ext_count(const struct dp *dp)
{
    return dp->n_exts;
}

const struct ext *
dp_ext(const struct dp *dp, uint32_t i)
{
    return i < dp->n_exts ? dp->order[i] : NULL;
}

struct drops *
dp_drops(const struct dp *dp)
{
    return dp->drops;
}

const struct fdb *
dp_fdb(const struct dp *dp)
{
    return dp->fdb;
}

/* --- Changes from the control server ---------------------------------- */

struct ext *
dp_ext_find(struct dp *dp, const char *name)
{
    uint32_t i;

    for (i = 0; i < dp->n_exts; i++)
        if (!strcmp(dp->order[i]->name, name))
            return dp->order[i];
    return NULL;
}

int
dp_port_set_admin(struct dp *dp, uint32_t id, bool up)
{
    if (id >= dp->n_ports)
        return -EINVAL;
    if (dp->ports[id].admin_up != up)
        dp_event(dp, XSW_LOG_INFO, up ? "port.up" : "port.down",
                 LOG_FIELDS(LOG_STR("port", dp->ports[id].name),
                            LOG_STR("cause", "admin")),
                 "port %s set administratively %s", dp->ports[id].name,
                 up ? "up" : "down");
    dp->ports[id].admin_up = up;
    return 0;
}

int
dp_port_set_vlan(struct dp *dp, uint32_t id, const struct vlan_config *v)
{
    bool ok;

    if (id >= dp->n_ports)
        return -EINVAL;
    ok = v->mode == VLAN_ACCESS ? v->vid >= 1 && v->vid <= 4094
                                : v->native <= 4094;
    if (!ok)
        return -EINVAL;
    dp->ports[id].vlan = *v;
    dp_log(dp, XSW_LOG_INFO, "port %s: new VLAN policy",
           dp->ports[id].name);
    return (int) fdb_flush(dp->fdb, (int32_t) id, -1);
}

uint32_t
dp_fdb_flush(struct dp *dp, int32_t port, int32_t vlan)
{
    return fdb_flush(dp->fdb, port, vlan);
}

/* The enabled forward extension other than 'e', or NULL. */
static const struct ext *
other_forward(const struct dp *dp, const struct ext *e)
{
    uint32_t i;

    for (i = 0; i < dp->n_exts; i++) {
        const struct ext *o = dp->order[i];

        if (o != e && o->enabled && o->desc.role == XSW_ROLE_FORWARD)
            return o;
    }
    return NULL;
}

int
dp_ext_set_enabled(struct dp *dp, struct ext *e, bool enabled,
                   struct xsw_err *err)
{
    const struct ext *fwd = other_forward(dp, e);

    if (enabled && e->desc.role == XSW_ROLE_FORWARD && fwd)
        return xsw_err_set(err, -EBUSY,
                           "cannot enable forward extension '%s': '%s' is "
                           "enabled (only one forward extension may be; "
                           "disable it first)",
                           e->name, fwd->name);
    if (e->enabled != enabled)
        dp_event(dp, XSW_LOG_INFO, enabled ? "ext.enable" : "ext.disable",
                 LOG_FIELDS(LOG_STR("extension", e->name)), "extension %s %s",
                 e->name, enabled ? "enabled" : "disabled");
    e->enabled = enabled;
    dp_chain_rebuild(dp);
    return 0;
}

static uint32_t
order_index(const struct dp *dp, const struct ext *e)
{
    uint32_t i;

    for (i = 0; i < dp->n_exts && dp->order[i] != e; i++)
        continue;
    return i;
}

int
dp_ext_move(struct dp *dp, struct ext *e, const struct ext *other,
            bool after)
{
    uint32_t from = order_index(dp, e), to;

    if (e == other || from == dp->n_exts
        || order_index(dp, other) == dp->n_exts)
        return -EINVAL;
    /* Take 'e' out, then put it back next to 'other'. */
    memmove(&dp->order[from], &dp->order[from + 1],
            (dp->n_exts - from - 1) * sizeof *dp->order);
    to = order_index(dp, other) + (after ? 1 : 0);
    memmove(&dp->order[to + 1], &dp->order[to],
            (dp->n_exts - 1 - to) * sizeof *dp->order);
    dp->order[to] = e;
    dp_chain_rebuild(dp);
    dp_event(dp, XSW_LOG_INFO, "ext.move",
             LOG_FIELDS(LOG_STR("extension", e->name),
                        LOG_STR("where", after ? "after" : "before"),
                        LOG_STR("other", other->name),
                        LOG_U64("position", order_index(dp, e) + 1)),
             "extension %s moved %s %s", e->name, after ? "after" : "before",
             other->name);
    return 0;
}

/* --- Taps: captures and traces ---------------------------------------- */

void
dp_set_taps(struct dp *dp, enum taps_user user, const struct dp_taps *taps)
{
    dp->taps = taps_fan_set(&dp->taps_fan, user, taps);
}

uint32_t
dp_queued(const struct dp *dp, uint32_t port, struct pkt *const **pkts)
{
    *pkts = dp->portq[port].pkts;
    return dp->portq[port].n;
}

struct capture_set **
dp_captures(struct dp *dp)
{
    return &dp->captures;
}

struct trace_live **
dp_trace_live(struct dp *dp)
{
    return &dp->live;
}

void
dp_trace_note(struct dp *dp, const struct ext *e, const struct pkt *pkt,
              const char *msg)
{
    if (dp->taps)
        dp->taps->note(dp->taps->arg, e, pkt, msg);
    else
        dp_log(dp, XSW_LOG_DEBUG, "trace: %s: %s", e->name, msg);
}

/* The counters a dry run must leave as they were. */
#define DP_PORT_COUNTERS 6
struct dp_counters {
    struct dp_totals totals;
    uint32_t n_drops;
    uint64_t *v;   /* DP_PORT_COUNTERS per port; count, copies per drop
                    * reason. */
};

static int
counters_save(const struct dp *dp, struct dp_counters *c)
{
    uint64_t *v;
    uint32_t i;

    c->totals = dp->totals;
    c->n_drops = drops_count(dp->drops);
    c->v = v = malloc((DP_PORT_COUNTERS * (size_t) dp->n_ports
                       + 2 * (size_t) c->n_drops) * sizeof *v + 1);
    if (!v)
        return -ENOMEM;
    for (i = 0; i < dp->n_ports; i++) {
        *v++ = dp->ports[i].rx;
        *v++ = dp->ports[i].tx;
        *v++ = dp->ports[i].delivered;
        *v++ = dp->ports[i].dropped;
        *v++ = dp->ports[i].l3_malformed;
        *v++ = dp->ports[i].l4_malformed;
    }
    for (i = 0; i < c->n_drops; i++) {
        *v++ = drops_get(dp->drops, i)->count;
        *v++ = drops_get(dp->drops, i)->copies;
    }
    return 0;
}

static void
counters_restore(struct dp *dp, struct dp_counters *c)
{
    const uint64_t *v = c->v;
    uint32_t i;

    dp->totals = c->totals;
    for (i = 0; i < dp->n_ports; i++) {
        dp->ports[i].rx = *v++;
        dp->ports[i].tx = *v++;
        dp->ports[i].delivered = *v++;
        dp->ports[i].dropped = *v++;
        dp->ports[i].l3_malformed = *v++;
        dp->ports[i].l4_malformed = *v++;
    }
    for (i = 0; i < c->n_drops; i++) {
        drops_get(dp->drops, i)->count = *v++;
        drops_get(dp->drops, i)->copies = *v++;
    }
    free(c->v);
}

int
dp_trace_frame(struct dp *dp, uint32_t port_id, const uint8_t *frame,
               uint32_t size, const struct dp_taps *taps)
{
    const struct dp_taps *saved = dp->taps;
    struct dp_counters counters;
    struct pkt *pkt;

    if (port_id >= dp->n_ports || size > PKT_FRAME_MAX || !taps->dry)
        return -EINVAL;
    if (!dp->ports[port_id].ops)
        return -EOPNOTSUPP;   /* xswd --check: no port is open. */
    if (counters_save(dp, &counters))
        return -ENOMEM;
    pkt = pkt_alloc_raw(dp->pool);
    if (!pkt) {
        free(counters.v);
        return -ENOBUFS;
    }
    pkt_init_rx(pkt);
    memcpy(pkt->p.data, frame, size);
    pkt->p.size = size;
    pkt->p.tailroom = (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - size);
    pkt->p.ts_ns = dp->now_ns;
    pkt->p.flags = XSW_PKT_F_TRACED;   /* The parser keeps it. */
    /* As the core's own injections: never learned from.  (Extensions see
     * no XSW_PKT_F_INJECTED: to them it is a received frame.) */
    pkt->injected = 1;
    dp->taps = taps;
    /* As a port's frame (receive() is not inlined anywhere: calling it
     * here leaves the receive path's code as it was). */
    if (receive(dp, &dp->ports[port_id], pkt, 0))
        process(dp, &pkt, 1, 0);
    dp->taps = saved;
    counters_restore(dp, &counters);
    return 0;
}
