/* Test extension modules, built from this one file in many variants:
 *
 *   ROLE_*          a working module of that role whose behaviour the
 *                   test's YAML chooses (see 'struct testmod' below);
 *   BROKEN_*        a module broken in exactly one way, to test each of the
 *                   loader's refusals.
 *
 * Config keys of the working variants (all optional):
 *   drop_ethertype: N    drop frames of this ethertype (reason "test drop")
 *   drop_on_egress: NAME drop everything leaving port NAME (egress)
 *   output: [NAMES]      forward: send every frame to these ports
 *   flood: true          forward: flood every frame
 *   inject_tx: NAME      for each frame, send a copy out of port NAME
 *                        (refusals counted in "inject errors")
 *   inject_rx: NAME      for each frame, inject a copy received on NAME
 *   bad_reason: true     drop with an undeclared reason index
 *   fail: "text"         create() fails with this message
 *   extra_counters: N    register counters "c0".."cN-1" holding their
 *                        index, and check a second "c0" is refused
 *   timer_ms: N          count timer ticks in counter "ticks", keep the
 *                        clock of the last one in "last tick ns", and add
 *                        the packets seen so far at each tick to
 *                        "packets at ticks" (which shows tick/frame order)
 *   misbehave: WHAT      break the rules, to test the core's defences:
 *                        grow (append 64 bytes using the tailroom),
 *                        in_port (overwrite it), vlan (set 5000),
 *                        bounds (move data past the buffer),
 *                        clear_batch (set the batch's count to 0),
 *                        egress_inject (inject a copy as received, from
 *                        the egress callback: a loop), hold_pool (keep
 *                        every free buffer from create() on), huge_timer
 *                        (ask for a ~584-year timer; "timer refused" = 1),
 *                        overgrow (grow past the tailroom), push_past
 *                        (push past the headroom), bad_verdict (verdict 7),
 *                        write (inspect: flip the frame's last byte)
 *   only_ethertype: N    misbehave only on frames of this ethertype
 *   inject_at_create: NAME  inject a frame out of port NAME from create();
 *                        its result goes to counter "create inject error"
 *   sleep_us: N          sleep N microseconds in each ingress call: a
 *                        slow extension, so a replay lasts long enough
 *                        for a test to act while it runs
 *   refuse_restore: BOOL restore() refuses any saved state (a reload then
 *                        fails and the old instance stays)
 *
 * State across a reload: save() writes the "packets" counter (8 bytes);
 * restore() adds it to the new instance's "packets" and sets "restored"
 * to 1.
 *
 * Every working variant counts the port events it is told of ("port ups",
 * "port downs", "port adds", "port removes") and logs each ("port NAME
 * down", "port NAME added").  With drop_ethertype
 * and drop_on_egress, a traced frame gets a host->trace() note saying
 * what was decided ("ethertype 0x86dd: drop", "dropping all to port 1").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xsw/xsw.h>

#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-const-variable"

struct testmod {
    const struct xsw_host *host;
    struct xsw_ctx *ctx;
    uint64_t drop_ethertype;
    int32_t drop_on_egress, inject_tx, inject_rx;
    int32_t outputs[XSW_OUT_PORTS_MAX];
    uint32_t n_outputs;
    int flood, bad_reason;
    uint64_t *packets, *egress_packets, *ticks, *last_tick, *at_ticks;
    uint64_t *inject_errors, *timer_refused, *port_ups, *port_downs;
    uint64_t *port_adds, *port_removes, *restored;
    int refuse_restore;
    uint64_t sleep_us;
    const char *misbehave;
    uint64_t only_ethertype;
    int32_t egress_inject_port;
    struct xsw_packet **held;
    uint32_t n_held;
};

static void hold_pool(struct testmod *);

static const char *const reasons[] = {"test drop", "test egress drop"};

static int
port_key(struct testmod *t, const struct xsw_cfg *cfg, const char *key,
         int32_t *out)
{
    const char *name;
    int ret = t->host->cfg_string(t->ctx, cfg, key, NULL, &name);

    *out = -1;
    if (ret || !name)
        return ret;
    *out = t->host->port_lookup(t->ctx, name);
    if (*out < 0)
        return t->host->cfg_error(t->ctx, t->host->cfg_get(t->ctx, cfg, key),
                                  -EINVAL, "no port named '%s'", name);
    return 0;
}

static int
read_outputs(struct testmod *t, const struct xsw_cfg *cfg)
{
    const struct xsw_host *h = t->host;
    const struct xsw_cfg *list = h->cfg_get(t->ctx, cfg, "output");
    uint32_t i;

    for (i = 0; i < h->cfg_len(t->ctx, list) && i < XSW_OUT_PORTS_MAX; i++) {
        const char *name = h->cfg_str(t->ctx, h->cfg_at(t->ctx, list, i));

        t->outputs[i] = name ? h->port_lookup(t->ctx, name) : -1;
        if (t->outputs[i] < 0)
            t->outputs[i] = 999; /* Deliberately invalid: tests BAD_PORT. */
        t->n_outputs++;
    }
    return 0;
}

static int
extra_counters(struct testmod *t, uint64_t n)
{
    char name[32];
    uint64_t i, *c;

    for (i = 0; i < n; i++) {
        snprintf(name, sizeof name, "c%llu", (unsigned long long) i);
        c = t->host->counter_new(t->ctx, name);
        if (!c)
            return t->host->error(t->ctx, -ENOMEM, "counter %s refused",
                                  name);
        *c = i;
    }
    if (n && t->host->counter_new(t->ctx, "c0"))
        return t->host->error(t->ctx, -EEXIST,
                              "a second counter c0 was accepted");
    return 0;
}

/* Sends a 60-byte broadcast out of 'port'; returns pkt_inject()'s result.*/
static int
inject_frame(struct testmod *t, uint32_t port)
{
    struct xsw_packet *p = t->host->pkt_alloc(t->ctx, 60);

    if (!p)
        return -ENOMEM;
    memset(p->data, 0xff, 6);
    p->data[6] = 2;
    xsw_wr16(p->data + 12, 0x88b5);
    return t->host->pkt_inject(t->ctx, p, port, XSW_INJECT_TX);
}

static void
tick(void *arg, uint64_t now)
{
    struct testmod *t = arg;

    (*t->ticks)++;
    *t->last_tick = now;
    *t->at_ticks += *t->packets;
}

static int
testmod_create(const struct xsw_host *host, struct xsw_ctx *ctx,
               const struct xsw_cfg *cfg, void **state)
{
    static const char *const keys[] = {
        "drop_ethertype", "drop_on_egress", "output", "flood", "inject_tx",
        "inject_rx", "bad_reason", "fail", "timer_ms", "extra_counters",
        "inject_at_create", "misbehave", "only_ethertype", "refuse_restore",
        "sleep_us", NULL};
    struct testmod *t = calloc(1, sizeof *t);
    const char *fail;
    uint64_t timer_ms, extra;
    int32_t inject_at;
    int ret;

    if (!t)
        return host->error(ctx, -ENOMEM, "out of memory");
    *state = t;
    t->host = host;
    t->ctx = ctx;
    if ((ret = host->cfg_keys(ctx, cfg, keys))
        || (ret = host->cfg_u64(ctx, cfg, "drop_ethertype", 0, 0, 0xffff,
                                &t->drop_ethertype))
        || (ret = port_key(t, cfg, "drop_on_egress", &t->drop_on_egress))
        || (ret = port_key(t, cfg, "inject_tx", &t->inject_tx))
        || (ret = port_key(t, cfg, "inject_rx", &t->inject_rx))
        || (ret = port_key(t, cfg, "inject_at_create", &inject_at))
        || (ret = host->cfg_bool(ctx, cfg, "flood", 0, &t->flood))
        || (ret = host->cfg_bool(ctx, cfg, "bad_reason", 0, &t->bad_reason))
        || (ret = host->cfg_bool(ctx, cfg, "refuse_restore", 0,
                                 &t->refuse_restore))
        || (ret = host->cfg_u64(ctx, cfg, "sleep_us", 0, 0, 1000000,
                                &t->sleep_us))
        || (ret = host->cfg_u64(ctx, cfg, "timer_ms", 0, 0, 1000000,
                                &timer_ms))
        || (ret = host->cfg_string(ctx, cfg, "fail", NULL, &fail))
        || (ret = host->cfg_string(ctx, cfg, "misbehave", "",
                                   &t->misbehave))
        || (ret = host->cfg_u64(ctx, cfg, "only_ethertype", 0, 0, 0xffff,
                                &t->only_ethertype))
        || (ret = host->cfg_u64(ctx, cfg, "extra_counters", 0, 0, 1000000,
                                &extra))
        || (ret = extra_counters(t, extra))
        || (ret = read_outputs(t, cfg)))
        goto err_free;
    if (fail) {
        ret = host->error(ctx, -EINVAL, "%s", fail);
        goto err_free;
    }
    t->packets = host->counter_new(ctx, "packets");
    t->egress_packets = host->counter_new(ctx, "egress packets");
    t->ticks = host->counter_new(ctx, "ticks");
    t->last_tick = host->counter_new(ctx, "last tick ns");
    t->at_ticks = host->counter_new(ctx, "packets at ticks");
    t->inject_errors = host->counter_new(ctx, "inject errors");
    t->timer_refused = host->counter_new(ctx, "timer refused");
    t->port_ups = host->counter_new(ctx, "port ups");
    t->port_downs = host->counter_new(ctx, "port downs");
    t->port_adds = host->counter_new(ctx, "port adds");
    t->port_removes = host->counter_new(ctx, "port removes");
    t->restored = host->counter_new(ctx, "restored");
    if (!strcmp(t->misbehave, "huge_timer"))
        *t->timer_refused = host->timer_add(ctx, UINT64_MAX, tick, t) < 0;
    if (!strcmp(t->misbehave, "hold_pool"))
        hold_pool(t);
    if (inject_at >= 0)
        *host->counter_new(ctx, "create inject error") =
            (uint64_t) -inject_frame(t, (uint32_t) inject_at);
    if (timer_ms && host->timer_add(ctx, timer_ms * 1000000, tick, t) < 0) {
        ret = host->error(ctx, -ENOSPC, "no timer");
        goto err_free;
    }
    return 0;

err_free:
    free(t);
    *state = NULL;
    return ret;
}

/* Takes every buffer the pool has, as a delay line might. */
static void
hold_pool(struct testmod *t)
{
    struct xsw_packet *p;

    while ((p = t->host->pkt_alloc(t->ctx, 60))) {
        struct xsw_packet **h = realloc(t->held, (t->n_held + 1) * sizeof *h);

        if (!h) {
            t->host->pkt_free(t->ctx, p);
            break;
        }
        t->held = h;
        t->held[t->n_held++] = p;
    }
}

static void
testmod_destroy(void *state)
{
    struct testmod *t = state;

    if (!t)
        return;
    while (t->n_held)
        t->host->pkt_free(t->ctx, t->held[--t->n_held]);
    free(t->held);
    free(t);
}

/* Breaks what 'misbehave' names on 'p' (ingress). */
static void
break_packet(struct testmod *t, struct xsw_packet *p)
{
    if (t->only_ethertype && p->ethertype != t->only_ethertype)
        return;
    if (!strcmp(t->misbehave, "grow") && p->tailroom >= 64) {
        memset(p->data + p->size, 0xee, 64);
        p->size += 64;
        p->tailroom -= 64;
    } else if (!strcmp(t->misbehave, "in_port")) {
        p->in_port = 7;
    } else if (!strcmp(t->misbehave, "vlan")) {
        p->vlan = 5000;
    } else if (!strcmp(t->misbehave, "bounds")) {
        p->data += 100000;
    } else if (!strcmp(t->misbehave, "overgrow")) {
        p->size += p->tailroom + 1;   /* Past the end of its room. */
        p->tailroom = 0;
    } else if (!strcmp(t->misbehave, "push_past")) {
        p->data -= p->headroom + 1;   /* Before the start of its room. */
        p->size += p->headroom + 1;
        p->headroom = 0;
    } else if (!strcmp(t->misbehave, "bad_verdict")) {
        p->verdict = 7;
    }
}

static void
inject_copy(struct testmod *t, const struct xsw_packet *p, int32_t port,
            uint32_t how)
{
    struct xsw_packet *c = t->host->pkt_alloc(t->ctx, p->size);

    if (!c)
        return;
    memcpy(c->data, p->data, p->size);
    c->ts_ns = p->ts_ns;   /* A copy of 'p': its time, not the batch's. */
    if (t->host->pkt_inject(t->ctx, c, (uint32_t) port, how) < 0)
        (*t->inject_errors)++;
}

static void
act(struct testmod *t, struct xsw_packet *p)
{
    uint32_t i;

    if (t->drop_ethertype && p->ethertype == t->drop_ethertype) {
        XSW_TRACE(t->host, t->ctx, p, "ethertype 0x%04x: drop",
                  p->ethertype);
        xsw_pkt_drop(p, t->bad_reason ? 7 : 0);
    } else {
        XSW_TRACE(t->host, t->ctx, p, "ethertype 0x%04x: pass",
                  p->ethertype);
    }
    for (i = 0; i < t->n_outputs; i++)
        xsw_pkt_output(p, (uint16_t) t->outputs[i]);
    if (t->flood)
        xsw_pkt_flood(p);
    if (t->inject_tx >= 0)
        inject_copy(t, p, t->inject_tx, XSW_INJECT_TX);
    if (t->inject_rx >= 0)
        inject_copy(t, p, t->inject_rx, XSW_INJECT_RX);
}

static void
testmod_ingress(void *state, struct xsw_batch *b)
{
    struct testmod *t = state;
    uint32_t i;

    *t->packets += b->count;
    if (t->sleep_us)
        nanosleep(&(struct timespec){(time_t) (t->sleep_us / 1000000),
                                    (long) (t->sleep_us % 1000000) * 1000},
                  NULL);
    for (i = 0; i < b->count; i++) {
        if (!(b->pkts[i]->flags & XSW_PKT_F_INJECTED))
            act(t, b->pkts[i]);
        break_packet(t, b->pkts[i]);
    }
    if (!strcmp(t->misbehave, "clear_batch"))
        b->count = 0;
}

static void
testmod_egress(void *state, struct xsw_batch *b)
{
    struct testmod *t = state;
    uint32_t i;

    *t->egress_packets += b->count;
    if (!strcmp(t->misbehave, "egress_inject"))
        for (i = 0; i < b->count; i++)
            inject_copy(t, b->pkts[i], 0, XSW_INJECT_RX);
    if ((int32_t) b->port != t->drop_on_egress)
        return;
    for (i = 0; i < b->count; i++) {
        XSW_TRACE(t->host, t->ctx, b->pkts[i], "dropping all to port %d",
                  t->drop_on_egress);
        xsw_pkt_drop(b->pkts[i], 1);
    }
}

/* An inspect extension breaking its const view: 'write' flips a byte
 * of the frame (what security.verify_extensions catches); inject_tx
 * tries to inject, which inspect extensions may not. */
static void
testmod_inspect(void *state, const struct xsw_batch *b)
{
    struct testmod *t = state;
    uint32_t i;

    *t->packets += b->count;
    for (i = 0; i < b->count; i++) {
        struct xsw_packet *p = (struct xsw_packet *) b->pkts[i];

        if (t->only_ethertype && p->ethertype != t->only_ethertype)
            continue;
        if (!strcmp(t->misbehave, "write"))
            p->data[p->size - 1] ^= 0xff;
        if (t->inject_tx >= 0)
            inject_copy(t, p, t->inject_tx, XSW_INJECT_TX);
    }
}

static void
testmod_inspect_egress(void *state, const struct xsw_batch *b)
{
    struct testmod *t = state;

    *t->egress_packets += b->count;
}

static void
testmod_port_event(void *state, uint32_t port, uint32_t event)
{
    struct testmod *t = state;
    const char *name = t->host->port_name(t->ctx, port);

    if (event == XSW_PORT_EV_UP)
        ++*t->port_ups;
    else if (event == XSW_PORT_EV_DOWN)
        ++*t->port_downs;
    else if (event == XSW_PORT_EV_ADDED)
        ++*t->port_adds;
    else if (event == XSW_PORT_EV_REMOVED)
        ++*t->port_removes;
    t->host->log(t->ctx, XSW_LOG_INFO, "port %s %s", name ? name : "?",
                 event == XSW_PORT_EV_UP        ? "up"
                 : event == XSW_PORT_EV_DOWN    ? "down"
                 : event == XSW_PORT_EV_ADDED   ? "added"
                 : event == XSW_PORT_EV_REMOVED ? "removed"
                                                : "event");
}

static int
testmod_save(void *state, uint8_t **blob, uint64_t *size)
{
    struct testmod *t = state;

    if (!(*blob = malloc(sizeof *t->packets)))
        return -ENOMEM;
    memcpy(*blob, t->packets, sizeof *t->packets);
    *size = sizeof *t->packets;
    return 0;
}

static int
testmod_restore(void *state, const uint8_t *blob, uint64_t size)
{
    struct testmod *t = state;
    uint64_t packets;

    if (t->refuse_restore)
        return t->host->error(t->ctx, -EINVAL,
                              "refusing the saved state (refuse_restore)");
    if (size != sizeof packets)
        return t->host->error(t->ctx, -EINVAL,
                              "saved state of %llu bytes, expected %zu",
                              (unsigned long long) size, sizeof packets);
    memcpy(&packets, blob, sizeof packets);
    *t->packets += packets;
    *t->restored = 1;
    return 0;
}

#if defined(ROLE_INSPECT)
#define TM_ROLE XSW_ROLE_INSPECT
#elif defined(ROLE_FORWARD)
#define TM_ROLE XSW_ROLE_FORWARD
#elif defined(ROLE_FIREWALL)
#define TM_ROLE XSW_ROLE_FIREWALL
#else
#define TM_ROLE XSW_ROLE_FILTER
#endif

#ifdef BROKEN_NO_SYMBOL
/* Exports nothing an xsw host looks for. */
__attribute__((visibility("default"))) int not_an_extension = 1;
#elif defined(BROKEN_OTHER_MAJOR)
__attribute__((visibility("default"))) const struct xsw_extension
    xsw_extension_v2 = {.abi_major = 2, .size = sizeof(struct xsw_extension),
                        .name = "future"};
#else
XSW_EXTENSION_DEFINE(
    .name = "testmod", .version = "1", .description = "test module",
    .role = TM_ROLE, .create = testmod_create, .destroy = testmod_destroy,
    .port_event = testmod_port_event, .save = testmod_save,
    .restore = testmod_restore,
#if TM_ROLE == XSW_ROLE_INSPECT
    .inspect_ingress = testmod_inspect,
    .inspect_egress = testmod_inspect_egress,
#else
    .ingress = testmod_ingress, .egress = testmod_egress,
#endif
    .drop_reasons = reasons, .n_drop_reasons = XSW_ARRAY_SIZE(reasons),
#ifdef BROKEN_MAJOR
    .abi_major = 2,
#endif
#ifdef BROKEN_MINOR
    .abi_minor = 99,
#endif
#ifdef BROKEN_SIZE
    .size = 8,
#endif
#ifdef BROKEN_ROLE
    .role = 9,
#endif
#ifdef BROKEN_NO_CREATE
    .create = NULL,
#endif
#ifdef BROKEN_NO_DESTROY
    .destroy = NULL,
#endif
#ifdef BROKEN_NO_CALLBACKS
    .ingress = NULL, .egress = NULL,
#endif
);
#endif
