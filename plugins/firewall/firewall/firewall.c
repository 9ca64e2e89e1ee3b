/* firewall: a stateful, connection-tracking firewall extension
 * ============================================================
 * The firewall decides once per connection.  The first packet of a
 * connection meets the rules (rule.h), first match wins, else the
 * default; an allowed connection enters the connection table
 * (conntrack.h), and from then on its packets in both directions pass as
 * long as they are in state (tcp-state.h for TCP; UDP, ICMP queries and
 * other protocols have "new" and "replied").  ICMP errors quoting a
 * packet of a tracked connection pass as "related"; other ICMP errors,
 * and packets out of state, are "invalid" and dropped.
 *
 * Ingress and egress.  Connection state is tracked on ingress, where a
 * batch's packets are in the order they arrived: on egress the core hands
 * over one batch per destination port, so a SYN+ACK and the ACK after it
 * may come back in either order.  The rules are evaluated on ingress too,
 * except where one names a 'to_port', which needs the packet's
 * destination, known only after forwarding.  When the first rule that
 * matches a new connection on ingress (to_port aside) has a to_port, the
 * connection enters the table "pending" and the decision moves to the
 * egress callback: there, each copy of a packet in the original direction
 * meets the rules with its destination port (a flooded first packet may be
 * allowed towards one port and denied towards another); the first copy
 * allowed binds the connection to that port, and copies towards other
 * ports meet the rules again.  A pending connection that no copy was
 * allowed for is removed before the next batch.  Direction (in/out) and
 * 'from_port' always refer to the port a packet came in by, and rejects
 * leave by that port.
 *
 * A reject on egress refuses one copy, not necessarily the connection: an
 * answer (a RST) would also reach the sender of a connection another copy
 * was allowed for, and reset it.  So the answer to a pending connection's
 * copy is built at once but held, and sent when the pending connection is
 * swept (before the next batch, or at the next expiry tick) only if no
 * copy was allowed; a copy of a connection already allowed (flooded again
 * after the server's MAC aged out) that a reject rule refuses towards
 * another port is dropped without an answer.
 *
 * Limitation: a reply in the same batch as its connection's first packet
 * passes on egress before that packet's decision is known.
 *
 * Per packet the work is a tuple, a hash, a table lookup and, for TCP, a
 * table-driven state update: no allocation and no text.  Text is made
 * only for log lines about denied connections, and those are rate-limited
 * (ratelimit.h).  Threads: datapath thread only (one table per
 * instance, no locks). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <xsw/xsw.h>

#include "conntrack.h"
#include "fw-config.h"
#include "fw-pkt.h"
#include "fw-state.h"
#include "fw-tuple.h"
#include "ratelimit.h"
#include "reject.h"
#include "rule.h"
#include "tcp-state.h"

#define NS_PER_S 1000000000ull
#define EXPIRY_INTERVAL_NS NS_PER_S
_Static_assert(XSW_BATCH_MAX < CONN_SLOT_NONE,
               "a pending slot fits conn->slot");

/* Drop reasons, in the order of the descriptor's table. */
#define FW_DROPS(_)                                                           \
    _(RULE_DENY, "rule deny")                                                 \
    _(RULE_REJECT, "rule reject")                                             \
    _(DEFAULT_DENY, "default deny")                                           \
    _(INVALID, "invalid state")                                               \
    _(FULL, "conn table full")                                                \
    _(MALFORMED, "malformed")                                                 \
    _(NON_IP, "non-ip deny")                                                  \
    _(NDP, "ndp deny")                                                        \
    _(FRAGMENT, "fragment deny")

enum fw_drop {
#define FW_DROP_ENUM_(e, s) FW_DROP_##e,
    FW_DROPS(FW_DROP_ENUM_)
#undef FW_DROP_ENUM_
        FW_N_DROPS
};

static const char *const fw_drop_names[] = {
#define FW_DROP_NAME_(e, s) s,
    FW_DROPS(FW_DROP_NAME_)
#undef FW_DROP_NAME_
};

/* Counters beside the drops (which the core counts per reason) and the
 * per-rule "rule <name>" counters. */
#define FW_COUNTERS(_)                                                        \
    _(CREATED, "conn created")                                                \
    _(FULL, "conn table full")                                                \
    _(RELATED, "related")                                                     \
    _(INVALID, "invalid")                                                     \
    _(DEFAULT_ALLOW, "default allow")                                         \
    _(DEFAULT_DENY, "default deny")                                           \
    _(REJECT_RST, "reject rst sent")                                          \
    _(REJECT_ICMP, "reject icmp sent")                                        \
    _(REJECT_SKIPPED, "reject not sent")                                      \
    _(REJECT_FAILED, "reject failed")                                         \
    _(LOG_SUPPRESSED, "log suppressed")

enum fw_counter {
#define FW_CTR_ENUM_(e, s) FW_CTR_##e,
    FW_COUNTERS(FW_CTR_ENUM_)
#undef FW_CTR_ENUM_
        FW_N_COUNTERS
};

static const char *const fw_counter_names[] = {
#define FW_CTR_NAME_(e, s) s,
    FW_COUNTERS(FW_CTR_NAME_)
#undef FW_CTR_NAME_
};

/* A connection opened pending in this batch, and the answer a reject on
 * egress owes its sender if no copy is allowed. */
struct fw_pending {
    struct conn *conn;         /* Borrowed from the table; may be gone. */
    struct xsw_packet *answer; /* From pkt_alloc(), owned; or NULL. */
    uint16_t answer_port;      /* The port the answer leaves by. */
    uint8_t answer_kind;       /* enum reject_kind of 'answer'. */
    uint8_t rejected;          /* A reject rule refused a copy. */
};

struct firewall {
    const struct xsw_host *host;              /* Borrowed until destroy. */
    struct xsw_ctx *ctx;                      /* Borrowed until destroy. */
    struct fw_config cfg;                     /* Owned. */
    struct conntrack *ct;                     /* Owned. */
    struct ratelimit log_rl;                  /* Denied-conn. log lines. */
    uint64_t *ctr[FW_N_COUNTERS];             /* Core-owned counters. */
    int timer;                                /* Expiry timer id, or -1. */
    uint64_t now;                             /* Latest arrival seen. */
    uint32_t batch;                           /* Ingress batches so far. */
    uint32_t n_pending;                       /* Entries of 'pending'. */
    struct fw_pending pending[XSW_BATCH_MAX]; /* Opened pending this batch. */
};

/* What the first pass over an ingress batch learns of a packet. */
struct fw_pre {
    struct fw_tuple t; /* Valid for the kinds fw_pkt_classify() fills. */
    uint32_t hash;     /* conntrack_hash() of 't', for tracked kinds. */
    uint8_t kind;      /* enum fw_pkt_kind. */
};

static void fw_destroy(void *state);
static void fw_ingress_packet(struct firewall *, struct xsw_packet *,
                              const struct fw_pre *, uint64_t now);
static void fw_egress_packet(struct firewall *, struct xsw_packet *,
                             uint16_t out_port, uint64_t now);
static void fw_sweep_pending(struct firewall *);
static bool fw_pending_undecided(const struct firewall *, uint32_t i);

static void
fw_count(struct firewall *fw, enum fw_counter c)
{
    (*fw->ctr[c])++;
}

static void
fw_expire(void *arg, uint64_t now_ns)
{
    struct firewall *fw = arg;

    if (now_ns > fw->now)
        fw->now = now_ns;
    fw_sweep_pending(fw);
    conntrack_expire(fw->ct, fw->now);
}

static uint32_t
hash_seed(const struct firewall *fw)
{
    uint32_t seed;

    /* A secret salt keeps remote hosts from choosing colliding tuples. */
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == sizeof seed)
        return seed;
    return (uint32_t) (uintptr_t) fw ^ 0x9e3779b9u;
}

static int
fw_register_counters(struct firewall *fw)
{
    uint32_t i;

    for (i = 0; i < FW_N_COUNTERS; i++) {
        fw->ctr[i] = fw->host->counter_new(fw->ctx, fw_counter_names[i]);
        if (!fw->ctr[i])
            return fw->host->error(fw->ctx, -ENOMEM,
                                   "cannot register counter '%s'",
                                   fw_counter_names[i]);
    }
    for (i = 0; i < fw->cfg.n_rules; i++) {
        struct rule *r = &fw->cfg.rules[i];

        r->hits = fw->host->counter_new(fw->ctx, r->name);
        if (!r->hits)
            return fw->host->error(fw->ctx, -ENOMEM,
                                   "cannot register counter '%s'", r->name);
    }
    return 0;
}

static int
fw_create(const struct xsw_host *host, struct xsw_ctx *ctx,
          const struct xsw_cfg *config, void **state)
{
    struct conntrack_settings cts;
    struct firewall *fw;
    int ret;

    fw = calloc(1, sizeof *fw);
    if (!fw)
        return host->error(ctx, -ENOMEM, "out of memory");
    fw->host = host;
    fw->ctx = ctx;
    fw->timer = -1;
    if ((ret = fw_config_read(&fw->cfg, host, ctx, config)) ||
        (ret = fw_register_counters(fw)))
        goto err_destroy;

    memset(&cts, 0, sizeof cts);
    cts.max_conns = fw->cfg.max_conns;
    cts.seed = hash_seed(fw);
    memcpy(cts.timeout_ns, fw->cfg.timeout_ns, sizeof cts.timeout_ns);
    fw->ct = conntrack_create(&cts);
    if (!fw->ct) {
        ret = host->error(ctx, -ENOMEM,
                          "cannot allocate a table of %u connections",
                          cts.max_conns);
        goto err_destroy;
    }
    ratelimit_init(&fw->log_rl, fw->cfg.log_rate);
    fw->timer = host->timer_add(ctx, EXPIRY_INTERVAL_NS, fw_expire, fw);
    if (fw->timer < 0) {
        ret = host->error(ctx, fw->timer, "cannot add the expiry timer");
        goto err_destroy;
    }
    *state = fw;
    return 0;

err_destroy:
    fw_destroy(fw);
    return ret;
}

static void
fw_destroy(void *state)
{
    struct firewall *fw = state;
    uint32_t i;

    if (!fw)
        return;
    if (fw->timer >= 0)
        fw->host->timer_cancel(fw->ctx, fw->timer);
    /* Answers still held are not sent: the ports may no longer be fed. */
    for (i = 0; i < fw->n_pending; i++)
        if (fw->pending[i].answer)
            fw->host->pkt_free(fw->ctx, fw->pending[i].answer);
    conntrack_destroy(fw->ct);
    fw_config_free(&fw->cfg);
    free(fw);
}

/* Each packet is judged at its own arrival time: a batch of a replay may
 * span a long stretch of capture, and the switch clock stands at its end.
 * The connection table wants a clock that never goes back, hence 'now'. */
static uint64_t
fw_clock(struct firewall *fw, const struct xsw_packet *pkt)
{
    if (pkt->ts_ns > fw->now)
        fw->now = pkt->ts_ns;
    return fw->now;
}

static bool
kind_is_tracked(enum fw_pkt_kind kind)
{
    return kind == FW_PKT_TCP || kind == FW_PKT_UDP ||
           kind == FW_PKT_ICMP_REQUEST || kind == FW_PKT_ICMP_REPLY ||
           kind == FW_PKT_OTHER;
}

/* Ingress works in passes over the batch: sort and hash every packet,
 * start loading the hash buckets, then the entries they point to, and
 * only then decide, so that the table's cache misses of all packets are
 * in flight together rather than one after another (VPP-style).  Measured
 * with xswd replaying 2M UDP frames (perf stat, task-clock over a run
 * without the firewall): 200000 flows, a table larger than the cache, 133
 * -> 87 ns a packet; 10000 flows 43 -> 34 ns. */
static void
fw_ingress(void *state, struct xsw_batch *batch)
{
    struct firewall *fw = state;
    struct fw_pre pre[XSW_BATCH_MAX];
    uint32_t i;

    fw_sweep_pending(fw);
    fw->batch++;
    for (i = 0; i < batch->count; i++) {
        pre[i].kind = (uint8_t) fw_pkt_classify(batch->pkts[i], &pre[i].t);
        if (kind_is_tracked(pre[i].kind)) {
            pre[i].hash = conntrack_hash(fw->ct, &pre[i].t);
            conntrack_prefetch(fw->ct, pre[i].hash, 0, false);
        }
    }
    /* An entry's second line only for TCP (its state); UDP and the others
     * read and write the first line alone, but when their class changes. */
    for (i = 0; i < batch->count; i++)
        if (kind_is_tracked(pre[i].kind))
            conntrack_prefetch(fw->ct, pre[i].hash, 1,
                               pre[i].kind == FW_PKT_TCP);
    for (i = 0; i < batch->count; i++)
        fw_ingress_packet(fw, batch->pkts[i], &pre[i],
                          fw_clock(fw, batch->pkts[i]));
}

static void
fw_egress(void *state, struct xsw_batch *batch)
{
    struct firewall *fw = state;
    uint32_t i;

    if (!fw->cfg.to_port_rules)
        return;
    for (i = 0; i < batch->count; i++)
        fw_egress_packet(fw, batch->pkts[i], (uint16_t) batch->port,
                         fw_clock(fw, batch->pkts[i]));
}

/* Pending connections that no copy was allowed for are as good as gone,
 * and are left out; stats do not sweep them, as a sweep may send answers
 * and the stats hook may run after the ports' last output. */
static void
fw_stats(void *state, xsw_emit_fn emit, void *emit_arg)
{
    struct firewall *fw = state;
    uint32_t undecided[CT_N_CLASSES + 1] = {0};
    char name[64];
    uint32_t i;
    uint8_t cls;

    for (i = 0; i < fw->n_pending; i++) {
        if (fw_pending_undecided(fw, i)) {
            undecided[fw->pending[i].conn->cls]++;
            undecided[CT_N_CLASSES]++;
        }
    }
    for (cls = 0; cls < CT_N_CLASSES; cls++) {
        snprintf(name, sizeof name, "active %s", conntrack_class_name(cls));
        emit(emit_arg, name, conntrack_count(fw->ct, cls) - undecided[cls]);
    }
    emit(emit_arg, "active total",
         conntrack_count(fw->ct, CT_N_CLASSES) - undecided[CT_N_CLASSES]);
    emit(emit_arg, "expired", conntrack_expired(fw->ct));
}

/* --- State across a reload (fw-state.h) ----------------------------- */

/* The clock idle times are measured against: the later of the last
 * arrival and the switch clock, so that it never goes back. */
static uint64_t
fw_state_clock(const struct firewall *fw)
{
    uint64_t now = fw->host->now_ns(fw->ctx);

    return now > fw->now ? now : fw->now;
}

static int
fw_save(void *state, uint8_t **blob, uint64_t *size)
{
    struct firewall *fw = state;
    struct fw_state_report rep;

    if (fw_state_save(fw->ct, fw_state_clock(fw), blob, size, &rep) < 0)
        return fw->host->error(fw->ctx, -ENOMEM,
                               "cannot save %u connections: out of memory",
                               conntrack_count(fw->ct, CT_N_CLASSES));
    fw->host->log(fw->ctx, XSW_LOG_INFO,
                  "saved %u connections (%u undecided left out)", rep.saved,
                  rep.pending);
    return 0;
}

static int
fw_restore(void *state, const uint8_t *blob, uint64_t size)
{
    struct firewall *fw = state;
    uint64_t now = fw_state_clock(fw);
    struct fw_state_report rep;
    char why[256];
    int ret;

    ret = fw_state_restore(fw->ct, blob, size, now, &rep, why, sizeof why);
    if (ret < 0)
        return fw->host->error(fw->ctx, ret, "cannot restore connections: %s",
                               why);
    fw->now = now;
    fw->host->log(fw->ctx, XSW_LOG_INFO,
                  "restored %u connections; left out %u that did not fit in "
                  "max_connections %u, %u idle past their new timeout",
                  rep.restored, rep.no_room, fw->cfg.max_conns, rep.expired);
    return 0;
}

/* --- The packet path ------------------------------------------------- */

static void
fw_drop(struct firewall *fw, struct xsw_packet *pkt, enum fw_drop reason)
{
    xsw_pkt_drop(pkt, (uint16_t) reason);
    XSW_TRACE(fw->host, fw->ctx, pkt, "drop: %s", fw_drop_names[reason]);
}

/* A class of packets with a plain allow/deny policy (non-IP, NDP,
 * non-first fragments). */
static void
fw_policy(struct firewall *fw, struct xsw_packet *pkt, uint8_t allow,
          enum fw_drop reason)
{
    if (!allow)
        fw_drop(fw, pkt, reason);
}

static void
fw_invalid(struct firewall *fw, struct xsw_packet *pkt)
{
    fw_count(fw, FW_CTR_INVALID);
    if (fw->cfg.invalid_allow)
        XSW_TRACE(fw->host, fw->ctx, pkt, "invalid, allowed by policy");
    else
        fw_drop(fw, pkt, FW_DROP_INVALID);
}

/* An ICMP error passes when the packet it quotes belongs to a tracked
 * connection. */
static void
fw_related(struct firewall *fw, struct xsw_packet *pkt, uint64_t now)
{
    struct fw_tuple inner;
    bool is_reply;

    if (!fw_pkt_icmp_inner(pkt, &inner) ||
        !conntrack_lookup(fw->ct, &inner, now, &is_reply)) {
        fw_invalid(fw, pkt);
        return;
    }
    fw_count(fw, FW_CTR_RELATED);
    XSW_TRACE(fw->host, fw->ctx, pkt, "related to a tracked connection");
}

/* The timeout class a connection of 'kind' starts in. */
static uint8_t
initial_class(enum fw_pkt_kind kind)
{
    switch (kind) {
    case FW_PKT_TCP:
        return CT_TCP_SYN_SENT;
    case FW_PKT_UDP:
        return CT_UDP;
    case FW_PKT_ICMP_REQUEST:
        return CT_ICMP;
    default:
        return CT_OTHER;
    }
}

/* A packet of a known connection.  Returns false when it reopens a
 * finished TCP connection: the entry is gone and the packet is new. */
static bool
fw_track(struct firewall *fw, struct conn *c, struct xsw_packet *pkt,
         enum fw_pkt_kind kind, bool is_reply, uint64_t now)
{
    struct tcp_seg seg;
    uint8_t cls;

    switch (kind) {
    case FW_PKT_TCP:
        fw_pkt_tcp_seg(pkt, &seg);
        switch (tcp_state_update(&c->tcp, is_reply, &seg)) {
        case TCP_V_REOPEN:
            conntrack_remove(fw->ct, c);
            return false;
        case TCP_V_INVALID:
            fw_invalid(fw, pkt);
            return true;
        case TCP_V_PASS:
            break;
        }
        cls = ct_class_of_tcp(c->tcp.state);
        break;
    case FW_PKT_ICMP_REQUEST:
    case FW_PKT_ICMP_REPLY:
        /* Requests go one way and replies the other: a request matches
         * only its connection's key, a reply only the reverse, as the
         * tuple says which it is (fw-tuple.h). */
        cls = CT_ICMP;
        break;
    case FW_PKT_UDP:
        cls = c->replied || is_reply ? CT_UDP_REPLIED : CT_UDP;
        break;
    default:
        cls = CT_OTHER;
        break;
    }
    c->replied |= is_reply;
    conntrack_touch(fw->ct, c, cls, now);
    XSW_TRACE(fw->host, fw->ctx, pkt, "%s packet of a connection (%s), %s",
              is_reply ? "reply" : "original",
              kind == FW_PKT_TCP ? tcp_state_name(c->tcp.state)
                                 : conntrack_class_name(cls),
              c->pending                      ? "decision pending"
              : c->rule == CONN_RULE_NONE     ? "allowed by default"
              : c->rule == CONN_RULE_RESTORED ? "allowed before a reload"
                                              : fw->cfg.rules[c->rule].name);
    return true;
}

static void
fw_log_denied(struct firewall *fw, const struct xsw_packet *pkt,
              const struct fw_tuple *t, const struct rule *r, uint8_t action,
              uint16_t out_port)
{
    char tuple[FW_TUPLE_FMT_SIZE];
    const char *from, *to;
    uint64_t suppressed;

    if (!ratelimit_allow(&fw->log_rl, fw->now, &suppressed)) {
        if (fw->log_rl.rate)
            fw_count(fw, FW_CTR_LOG_SUPPRESSED);
        return;
    }
    if (suppressed)
        fw->host->log(fw->ctx, XSW_LOG_INFO,
                      "%llu denied-connection log lines suppressed",
                      (unsigned long long) suppressed);
    from = fw->host->port_name(fw->ctx, pkt->in_port);
    to = out_port == XSW_PORT_NONE ? NULL
                                   : fw->host->port_name(fw->ctx, out_port);
    fw->host->log(fw->ctx, XSW_LOG_INFO, "%s %s vlan %u from %s%s%s (%s)",
                  action == RULE_REJECT ? "reject" : "deny",
                  fw_tuple_format(t, tuple, sizeof tuple), pkt->vlan,
                  from ? from : "-", to ? " to " : "", to ? to : "",
                  r ? r->name : "default");
}

/* The answer to rejected first packet 'pkt', or NULL (counted) when none
 * may or can be made. */
static struct xsw_packet *
fw_reject_build(struct firewall *fw, const struct xsw_packet *pkt,
                enum reject_kind kind)
{
    uint32_t size = reject_size(pkt, kind);
    struct xsw_packet *out;

    if (!size || pkt->in_port == XSW_PORT_NONE) {
        fw_count(fw, FW_CTR_REJECT_SKIPPED);
        return NULL;
    }
    out = fw->host->pkt_alloc(fw->ctx, size);
    if (!out) {
        fw_count(fw, FW_CTR_REJECT_FAILED);
        return NULL;
    }
    reject_write(pkt, kind, out->data);
    out->size = size;
    /* Sent when the refused packet arrived, not when its batch ended. */
    out->ts_ns = pkt->ts_ns;
    return out;
}

/* Sends answer 'out' out of 'port'; takes ownership of 'out'.  Counts it
 * sent only if it left: pkt_inject(XSW_INJECT_TX) says so at once. */
static void
fw_reject_send(struct firewall *fw, struct xsw_packet *out, uint16_t port,
               enum reject_kind kind)
{
    if (fw->host->pkt_inject(fw->ctx, out, port, XSW_INJECT_TX) < 0)
        fw_count(fw, FW_CTR_REJECT_FAILED);
    else
        fw_count(fw, kind == REJECT_TCP_RST ? FW_CTR_REJECT_RST
                                            : FW_CTR_REJECT_ICMP);
}

/* Answers rejected first packet 'pkt' out of the port it came in by.  On
 * ingress ('out_port' XSW_PORT_NONE, 'c' NULL) at once.  On egress only
 * this copy of connection 'c' was refused: the answer to a pending
 * connection waits for fw_sweep_pending(), one per connection; a copy of
 * an allowed connection gets none. */
static void
fw_reject(struct firewall *fw, const struct xsw_packet *pkt, struct conn *c,
          uint16_t out_port)
{
    enum reject_kind kind = reject_kind_for(pkt->ip_proto);
    struct fw_pending *p;
    struct xsw_packet *out;

    if (out_port == XSW_PORT_NONE) {
        out = fw_reject_build(fw, pkt, kind);
        if (out)
            fw_reject_send(fw, out, pkt->in_port, kind);
        return;
    }
    if (!c->pending) {
        fw_count(fw, FW_CTR_REJECT_SKIPPED);
        XSW_TRACE(fw->host, fw->ctx, pkt,
                  "no answer: the connection was allowed towards another "
                  "port");
        return;
    }
    if (c->slot >= fw->n_pending || fw->pending[c->slot].conn != c)
        return; /* Not opened in this batch: cannot be; be safe. */
    p = &fw->pending[c->slot];
    if (p->rejected)
        return;
    p->rejected = 1;
    p->answer = fw_reject_build(fw, pkt, kind);
    p->answer_port = pkt->in_port;
    p->answer_kind = (uint8_t) kind;
    XSW_TRACE(fw->host, fw->ctx, pkt, "answer held until no copy is allowed");
}

/* Enters a connection into the table, allowed or pending; false (and the
 * packet dropped) when the table is full. */
static struct conn *
fw_open(struct firewall *fw, struct xsw_packet *pkt, enum fw_pkt_kind kind,
        const struct fw_tuple *t, uint64_t now)
{
    struct tcp_seg seg;
    struct conn *c;

    c = conntrack_insert(fw->ct, t, initial_class(kind), now);
    if (!c) {
        fw_count(fw, FW_CTR_FULL);
        fw_drop(fw, pkt, FW_DROP_FULL);
        return NULL;
    }
    c->out_port = XSW_PORT_NONE;
    c->rule = CONN_RULE_NONE;
    c->slot = CONN_SLOT_NONE;
    c->batch = fw->batch;
    if (kind == FW_PKT_TCP) {
        fw_pkt_tcp_seg(pkt, &seg);
        tcp_state_open(&c->tcp, &seg);
    }
    return c;
}

/* The verdict of rules[i] (or the default, i < 0) on a first packet
 * heading to 'out_port' (XSW_PORT_NONE: on ingress, not known): counts it,
 * and drops, rejects and logs what is not allowed.  'c' is the packet's
 * connection on egress, NULL on ingress.  Returns whether it is allowed. */
static bool
fw_decide(struct firewall *fw, struct xsw_packet *pkt,
          const struct fw_tuple *t, int32_t i, uint16_t out_port,
          struct conn *c)
{
    const struct rule *r = i >= 0 ? &fw->cfg.rules[i] : NULL;
    uint8_t action;

    if (r) {
        (*r->hits)++;
        action = r->action;
    } else {
        action = fw->cfg.default_allow ? RULE_ALLOW : RULE_DENY;
        fw_count(fw, fw->cfg.default_allow ? FW_CTR_DEFAULT_ALLOW
                                           : FW_CTR_DEFAULT_DENY);
    }
    XSW_TRACE(fw->host, fw->ctx, pkt, "new connection: %s by %s",
              action == RULE_ALLOW  ? "allow"
              : action == RULE_DENY ? "deny"
                                    : "reject",
              r ? r->name : "default");
    if (action == RULE_ALLOW)
        return true;
    if (action == RULE_REJECT)
        fw_reject(fw, pkt, c, out_port);
    fw_log_denied(fw, pkt, t, r, action, out_port);
    fw_drop(fw, pkt,
            !r                      ? FW_DROP_DEFAULT_DENY
            : action == RULE_REJECT ? FW_DROP_RULE_REJECT
                                    : FW_DROP_RULE_DENY);
    return false;
}

static uint8_t
fw_port_dir(const struct firewall *fw, uint16_t port)
{
    return port < fw->cfg.n_ports ? fw->cfg.port_dir[port] : RULE_DIR_ANY;
}

static int32_t
fw_match(const struct firewall *fw, const struct xsw_packet *pkt,
         const struct fw_tuple *t, uint16_t out_port)
{
    return rule_first_match(fw->cfg.rules, fw->cfg.n_rules, t,
                            fw_port_dir(fw, pkt->in_port), pkt->in_port,
                            out_port);
}

/* The first packet of a connection, on ingress: only an opening packet
 * may be one, and the rules decide, or leave it pending for egress. */
static void
fw_new(struct firewall *fw, struct xsw_packet *pkt, enum fw_pkt_kind kind,
       const struct fw_tuple *t, uint64_t now)
{
    struct tcp_seg seg;
    struct conn *c;
    int32_t i;

    if (kind == FW_PKT_TCP) {
        fw_pkt_tcp_seg(pkt, &seg);
        if (!tcp_seg_may_open(&seg)) {
            fw_invalid(fw, pkt);
            return;
        }
    } else if (kind == FW_PKT_ICMP_REPLY) {
        fw_invalid(fw, pkt);
        return;
    }

    i = fw_match(fw, pkt, t, XSW_PORT_NONE);
    if (i >= 0 && fw->cfg.rules[i].to_port != XSW_PORT_NONE) {
        c = fw_open(fw, pkt, kind, t, now);
        if (c) {
            c->pending = 1;
            c->slot = (uint8_t) fw->n_pending;
            fw->pending[fw->n_pending++] = (struct fw_pending){.conn = c};
            XSW_TRACE(fw->host, fw->ctx, pkt,
                      "new connection: decided on egress");
        }
        return;
    }
    if (!fw_decide(fw, pkt, t, i, XSW_PORT_NONE, NULL))
        return;
    c = fw_open(fw, pkt, kind, t, now);
    if (c) {
        c->rule = i < 0 ? CONN_RULE_NONE : (uint16_t) i;
        fw_count(fw, FW_CTR_CREATED);
    }
}

static void
fw_ingress_packet(struct firewall *fw, struct xsw_packet *pkt,
                  const struct fw_pre *pre, uint64_t now)
{
    enum fw_pkt_kind kind = pre->kind;
    struct conn *c;
    bool is_reply;

    switch (kind) {
    case FW_PKT_NON_IP:
        fw_policy(fw, pkt, fw->cfg.non_ip_allow, FW_DROP_NON_IP);
        return;
    case FW_PKT_NDP:
        fw_policy(fw, pkt, fw->cfg.ndp_allow, FW_DROP_NDP);
        return;
    case FW_PKT_FRAGMENT:
        fw_policy(fw, pkt, fw->cfg.fragments_allow, FW_DROP_FRAGMENT);
        return;
    case FW_PKT_MALFORMED:
        fw_drop(fw, pkt, FW_DROP_MALFORMED);
        return;
    case FW_PKT_ICMP_ERROR:
        fw_related(fw, pkt, now);
        return;
    case FW_PKT_ICMP_OTHER:
        fw_invalid(fw, pkt);
        return;
    default:
        break;
    }
    c = conntrack_lookup_hashed(fw->ct, &pre->t, pre->hash, now, &is_reply);
    if (c && fw_track(fw, c, pkt, kind, is_reply, now))
        return;
    fw_new(fw, pkt, kind, &pre->t, now);
}

/* On egress, only packets in the original direction of connections that
 * a to_port rule may decide: pending ones, and copies heading elsewhere
 * than where their connection was allowed.  Everything else was settled
 * on ingress. */
static void
fw_egress_packet(struct firewall *fw, struct xsw_packet *pkt,
                 uint16_t out_port, uint64_t now)
{
    struct fw_tuple t;
    enum fw_pkt_kind kind = fw_pkt_classify(pkt, &t);
    struct conn *c;
    bool is_reply;
    int32_t i;

    if (kind != FW_PKT_TCP && kind != FW_PKT_UDP &&
        kind != FW_PKT_ICMP_REQUEST && kind != FW_PKT_OTHER)
        return;
    c = conntrack_lookup(fw->ct, &t, now, &is_reply);
    if (!c || is_reply ||
        (!c->pending &&
         (c->out_port == XSW_PORT_NONE || c->out_port == out_port)))
        return;
    i = fw_match(fw, pkt, &t, out_port);
    if (!fw_decide(fw, pkt, &t, i, out_port, c) || !c->pending)
        return;
    c->pending = 0;
    c->out_port = out_port;
    c->rule = i < 0 ? CONN_RULE_NONE : (uint16_t) i;
    fw_count(fw, FW_CTR_CREATED);
}

/* Is pending[i] still in the table, still undecided?  Its entry may have
 * been removed in the meantime, and its slot reused. */
static bool
fw_pending_undecided(const struct firewall *fw, uint32_t i)
{
    const struct conn *c = fw->pending[i].conn;

    return conntrack_in_table(c) && c->pending && c->batch == fw->batch &&
           c->slot == i;
}

/* Was pending[i] allowed towards some port? */
static bool
fw_pending_allowed(const struct firewall *fw, uint32_t i)
{
    const struct conn *c = fw->pending[i].conn;

    return conntrack_in_table(c) && !c->pending && c->batch == fw->batch &&
           c->slot == i;
}

/* Pending connections that no copy was allowed for were denied on every
 * port they went to (or never reached egress): forget them, and send the
 * answers their rejects owe.  Runs once every copy of the batch has been
 * through egress: before the next batch, or at a timer tick. */
static void
fw_sweep_pending(struct firewall *fw)
{
    uint32_t i;

    for (i = 0; i < fw->n_pending; i++) {
        struct fw_pending *p = &fw->pending[i];

        if (fw_pending_undecided(fw, i))
            conntrack_remove(fw->ct, p->conn);
        if (!p->answer)
            continue;
        if (fw_pending_allowed(fw, i)) {
            fw->host->pkt_free(fw->ctx, p->answer);
            fw_count(fw, FW_CTR_REJECT_SKIPPED);
        } else {
            fw_reject_send(fw, p->answer, p->answer_port, p->answer_kind);
        }
        p->answer = NULL;
    }
    fw->n_pending = 0;
}

XSW_EXTENSION_DEFINE(.name = "firewall", .version = "1.0",
                     .description = "stateful connection-tracking firewall",
                     .role = XSW_ROLE_FIREWALL, .create = fw_create,
                     .destroy = fw_destroy, .ingress = fw_ingress,
                     .egress = fw_egress, .save = fw_save,
                     .restore = fw_restore, .stats = fw_stats,
                     .drop_reasons = fw_drop_names,
                     .n_drop_reasons = XSW_ARRAY_SIZE(fw_drop_names));
