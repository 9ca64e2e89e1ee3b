/* flowmon: a read-only traffic monitor
 * ====================================
 * An inspect extension: it sees every packet on ingress, as a const batch,
 * and never changes, drops or injects one.  Per packet it
 *  - counts the packet under its protocol (tcp, udp, icmp, other ip,
 *    non-ip, runt);
 *  - finds the packet's flow record (flow_key.h: VLAN and 5-tuple, or VLAN,
 *    MAC pair and ethertype), creating it on the first packet, and adds
 *    the packet to the record's direction (forward = from whoever sent the
 *    first packet) and to the sending host's totals (host_table.h);
 *  - copies the packet into the mirror file when it matches the mirror's
 *    BPF filter (mirror.h).
 * Flows end when idle for 'idle_timeout_s' of switch clock (a periodic
 * timer sweeps them) or when the table is full and a new flow evicts the
 * least recently used one; the best 'top_n' ended flows are kept for the
 * top-talkers ranking (flow_top.h).
 *
 * What it knows goes out as JSON (flow_export.h) to the 'export' file when
 * the switch stops, on the 'export [PATH]' control command, and as text on
 * the 'top' command; the counters and the 'stats' figures appear in the
 * switch's summary.
 *
 * Files are written only once the switch has run (a batch or a timer tick
 * came): the mirror file is created then, and the export at the end only
 * if so.  'xswd --check' creates and destroys the instance without
 * running it, and must leave the files of an earlier run as they were.
 *
 * Cost: one lookup in a preallocated hash table per packet (the bucket
 * comes from the parser's flow hash), no allocation, no text; counters are
 * added once per batch. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/xsw.h>

#include "flow_export.h"
#include "flow_key.h"
#include "flow_table.h"
#include "flow_top.h"
#include "flowmon_config.h"
#include "host_table.h"
#include "mirror.h"

/* How often, in switch clock, idle flows are looked for: a flow ends at
 * most this much later than its idle timeout says. */
#define FLOWMON_SWEEP_NS 1000000000ull

/* Counters, in the order of enum flow_class first, so that a packet's
 * class is its counter's index. */
#define FLOWMON_COUNTERS(_)                                                   \
    _(TCP, "tcp packets")                                                     \
    _(UDP, "udp packets")                                                     \
    _(ICMP, "icmp packets")                                                   \
    _(OTHER_IP, "other ip packets")                                           \
    _(NON_IP, "non-ip packets")                                               \
    _(RUNT, "runt packets")                                                   \
    _(BYTES, "bytes")                                                         \
    _(FLOWS_CREATED, "flows created")                                         \
    _(FLOWS_EXPIRED, "flows expired")                                         \
    _(FLOWS_EVICTED, "flows evicted")                                         \
    _(HOSTS_EVICTED, "hosts evicted")                                         \
    _(MIRRORED, "mirrored packets")

enum flowmon_counter {
#define FLOWMON_COUNTER_ENUM(id, name) FM_##id,
    FLOWMON_COUNTERS(FLOWMON_COUNTER_ENUM)
#undef FLOWMON_COUNTER_ENUM
        FM_N_COUNTERS
};

static const char *const counter_names[] = {
#define FLOWMON_COUNTER_NAME(id, name) name,
    FLOWMON_COUNTERS(FLOWMON_COUNTER_NAME)
#undef FLOWMON_COUNTER_NAME
};

_Static_assert(FM_TCP == (int) FLOW_CLASS_TCP &&
                   FM_UDP == (int) FLOW_CLASS_UDP &&
                   FM_ICMP == (int) FLOW_CLASS_ICMP &&
                   FM_OTHER_IP == (int) FLOW_CLASS_OTHER_IP &&
                   FM_NON_IP == (int) FLOW_CLASS_NON_IP &&
                   FM_RUNT == (int) FLOW_CLASS_RUNT,
               "a packet's class indexes its counter");

struct flowmon {
    const struct xsw_host *host; /* Borrowed, valid until destroy. */
    struct xsw_ctx *ctx;
    struct flowmon_settings set;
    struct flow_table *flows;
    struct host_table *hosts;
    struct flow_top *ended;       /* struct flow_ranked of ended flows. */
    struct mirror *mirror;        /* NULL without 'mirror'. */
    int timer;                    /* Sweep timer id, or -1. */
    bool started;                 /* A batch or a timer tick came. */
    uint64_t *ctr[FM_N_COUNTERS]; /* Owned by the core. */
};

/* --- Flow life cycle (called from the flow table) ------------------------ */

/* Takes references on the flow's two endpoints' hosts.  The initiator is
 * the sender of the packet that made the flow. */
static void
flow_started(struct flowmon *fm, struct flow_rec *r, unsigned sender)
{
    struct host_key hk;
    unsigned e;
    bool evicted;

    r->initiator = (uint8_t) sender;
    memset(&hk, 0, sizeof(hk));
    hk.vlan = r->key.vlan;
    hk.kind = r->key.kind;
    for (e = 0; e < 2; e++) {
        memcpy(hk.addr, r->key.addr[e], sizeof(hk.addr));
        r->host[e] = host_table_ref(fm->hosts, &hk, &evicted);
        if (evicted)
            (*fm->ctr[FM_HOSTS_EVICTED])++;
        /* A flow between two ports of one address counts once. */
        if (r->host[e] != HOST_NONE && (e == 0 || r->host[1] != r->host[0]))
            host_table_get(fm->hosts, r->host[e])->flows++;
    }
    (*fm->ctr[FM_FLOWS_CREATED])++;
}

static void
flow_ended(void *arg, const struct flow_rec *r, enum flow_end why)
{
    struct flowmon *fm = arg;
    struct flow_ranked item;
    unsigned e;

    memset(&item, 0, sizeof(item));
    item.rec = *r;
    item.state =
        why == FLOW_END_EXPIRED ? FLOW_STATE_EXPIRED : FLOW_STATE_EVICTED;
    flow_top_offer(fm->ended, &item);
    for (e = 0; e < 2; e++) {
        if (r->host[e] != HOST_NONE)
            host_table_unref(fm->hosts, r->host[e]);
    }
    (*fm->ctr[why == FLOW_END_EXPIRED ? FM_FLOWS_EXPIRED
                                      : FM_FLOWS_EVICTED])++;
}

/* The switch runs: now the mirror file may be created (truncated). */
static void
flowmon_start(struct flowmon *fm)
{
    char why[512];

    fm->started = true;
    if (fm->mirror && mirror_start(fm->mirror, why, sizeof(why))) {
        fm->host->log(fm->ctx, XSW_LOG_ERR, "mirror: %s", why);
        mirror_close(fm->mirror);
        fm->mirror = NULL;
    }
}

static void
flowmon_sweep(void *arg, uint64_t now_ns)
{
    struct flowmon *fm = arg;

    if (!fm->started)
        flowmon_start(fm);
    flow_table_expire(fm->flows, now_ns);
}

/* --- Datapath ------------------------------------------------------------ */

/* Adds 'pkt' to its flow record and to its sender's host. */
static void
flowmon_track(struct flowmon *fm, const struct xsw_packet *pkt,
              enum flow_class class)
{
    struct flow_key key;
    struct flow_rec *r;
    uint32_t hash;
    unsigned sender, dir;
    bool created;

    sender = flow_key_from_packet(pkt, class, &key, &hash);
    r = flow_table_find(fm->flows, &key, hash, pkt->ts_ns, &created);
    if (created)
        flow_started(fm, r, sender);
    dir = sender == r->initiator ? FLOW_FWD : FLOW_REV;
    r->packets[dir]++;
    r->bytes[dir] += pkt->size;
    r->tcp_flags[dir] |= pkt->tcp_flags;
    r->in_port[dir] = pkt->in_port;
    if (pkt->ts_ns > r->last_ns)
        r->last_ns = pkt->ts_ns;
    if (r->host[sender] != HOST_NONE) {
        struct host_rec *h = host_table_get(fm->hosts, r->host[sender]);

        h->bytes += pkt->size;
        h->packets++;
    }
    XSW_TRACE(fm->host, fm->ctx, pkt, "flowmon: %s flow, %s, %llu packets",
              created ? "new" : "known", dir == FLOW_FWD ? "fwd" : "rev",
              (unsigned long long) (r->packets[0] + r->packets[1]));
}

static void
flowmon_ingress(void *state, const struct xsw_batch *batch)
{
    struct flowmon *fm = state;
    uint64_t n[FM_N_COUNTERS] = {0};
    uint32_t i;

    if (!fm->started)
        flowmon_start(fm);
    for (i = 0; i < batch->count; i++) {
        const struct xsw_packet *pkt = batch->pkts[i];
        enum flow_class class = flow_key_classify(pkt);

        n[class]++;
        n[FM_BYTES] += pkt->size;
        if (class != FLOW_CLASS_RUNT)
            flowmon_track(fm, pkt, class);
        if (fm->mirror && mirror_match(fm->mirror, pkt) &&
            mirror_write(fm->mirror, pkt))
            n[FM_MIRRORED]++;
    }
    for (i = 0; i <= FM_BYTES; i++)
        *fm->ctr[i] += n[i];
    *fm->ctr[FM_MIRRORED] += n[FM_MIRRORED];
}

/* --- Export -------------------------------------------------------------- */

static const char *
port_name_of(void *arg, uint32_t port)
{
    const struct flowmon *fm = arg;

    return fm->host->port_name(fm->ctx, port);
}

static void
export_src(struct flowmon *fm, struct flow_export_src *src)
{
    memset(src, 0, sizeof(*src));
    src->flows = fm->flows;
    src->hosts = fm->hosts;
    src->ended = fm->ended;
    src->now_ns = fm->host->now_ns(fm->ctx);
    src->idle_timeout_s = fm->set.idle_timeout_s;
    src->max_flows = fm->set.max_flows;
    src->top_n = fm->set.top_n;
    src->n_counters = FM_N_COUNTERS;
    src->counter_names = counter_names;
    src->counters = (const uint64_t *const *) fm->ctr;
    src->port_name = port_name_of;
    src->port_name_arg = fm;
}

/* Writes the JSON export to 'f' and closes it.  Returns 0 or a negative
 * errno. */
static int
flowmon_export_to(struct flowmon *fm, FILE *f)
{
    struct flow_export_src src;
    int ret;

    export_src(fm, &src);
    ret = flow_export_json(f, &src);
    if (fclose(f) != 0 && !ret)
        ret = -EIO;
    return ret;
}

/* Writes the JSON export to 'path'.  Returns 0 or a negative errno. */
static int
flowmon_export(struct flowmon *fm, const char *path)
{
    FILE *f = fopen(path, "w");

    return f ? flowmon_export_to(fm, f) : -errno;
}

/* --- Control and stats --------------------------------------------------- */

/* Opens where 'export [PATH]' writes: the configured file, or PATH under
 * the config's directory (a command may not write elsewhere).  Returns 0
 * or a negative errno after host->error(). */
static int
export_open(struct flowmon *fm, uint32_t argc, const char *const *argv,
            FILE **f, char **path)
{
    char why[PATH_MAX + 128];
    int ret;

    if (argc < 2) {
        if (!(*path = strdup(fm->set.export_path)))
            return fm->host->error(fm->ctx, -ENOMEM, "out of memory");
        if ((*f = fopen(*path, "w")))
            return 0;
        ret = -errno;
        return fm->host->error(fm->ctx, ret, "export: %s: %s", *path,
                               strerror(-ret));
    }
    *f = flowmon_open_under(fm->host->cfg_dir(fm->ctx), argv[1], path, why,
                            sizeof why);
    if (*f)
        return 0;
    ret = -errno;
    return fm->host->error(fm->ctx, ret, "export: %s", why);
}

static int
control_export(struct flowmon *fm, uint32_t argc, const char *const *argv,
               char *out, uint32_t out_size)
{
    char *path = NULL;
    FILE *f;
    int ret;

    if (argc > 2)
        return fm->host->error(fm->ctx, -EINVAL, "usage: export [PATH]");
    if (argc < 2 && !fm->set.export_path)
        return fm->host->error(fm->ctx, -EINVAL,
                               "export: no PATH given and no 'export' "
                               "in the config");
    if ((ret = export_open(fm, argc, argv, &f, &path)) == 0) {
        if ((ret = flowmon_export_to(fm, f)))
            fm->host->error(fm->ctx, ret, "export: %s: %s", path,
                            strerror(-ret));
        else if (out_size)
            snprintf(out, out_size, "exported %u flows to %s\n",
                     flow_table_count(fm->flows), path);
    }
    free(path);
    return ret;
}

static int
flowmon_control(void *state, uint32_t argc, const char *const *argv, char *out,
                uint32_t out_size)
{
    struct flowmon *fm = state;
    struct flow_export_src src;
    int ret;

    if (out_size)
        out[0] = '\0';
    if (argc >= 1 && !strcmp(argv[0], "export"))
        return control_export(fm, argc, argv, out, out_size);
    if (argc == 1 && !strcmp(argv[0], "top")) {
        export_src(fm, &src);
        ret = flow_export_top_text(&src, out, out_size);
        return ret ? fm->host->error(fm->ctx, ret, "out of memory") : 0;
    }
    return fm->host->error(fm->ctx, -EINVAL,
                           "unknown command '%s' (commands: export [PATH], "
                           "top)",
                           argc ? argv[0] : "");
}

static void
flowmon_stats(void *state, xsw_emit_fn emit, void *emit_arg)
{
    struct flowmon *fm = state;

    emit(emit_arg, "flows active", flow_table_count(fm->flows));
    emit(emit_arg, "flows capacity", fm->set.max_flows);
    emit(emit_arg, "hosts tracked", host_table_count(fm->hosts));
}

/* --- Life cycle ---------------------------------------------------------- */

static void
flowmon_free(struct flowmon *fm)
{
    if (fm->timer >= 0)
        fm->host->timer_cancel(fm->ctx, fm->timer);
    mirror_close(fm->mirror);
    flow_top_destroy(fm->ended);
    host_table_destroy(fm->hosts);
    flow_table_destroy(fm->flows);
    flowmon_config_clear(&fm->set);
    free(fm);
}

static int
counters_create(struct flowmon *fm)
{
    unsigned i;

    for (i = 0; i < FM_N_COUNTERS; i++) {
        fm->ctr[i] = fm->host->counter_new(fm->ctx, counter_names[i]);
        if (!fm->ctr[i])
            return fm->host->error(fm->ctx, -EEXIST,
                                   "cannot register counter '%s'",
                                   counter_names[i]);
    }
    return 0;
}

static int
tables_create(struct flowmon *fm)
{
    struct flow_table_settings ts = {
        .max_flows = fm->set.max_flows,
        .idle_ns = fm->set.idle_timeout_s * 1000000000ull,
        .on_end = flow_ended,
        .on_end_arg = fm,
    };

    fm->flows = flow_table_create(&ts);
    /* Twice the flows: every live flow's two hosts always fit. */
    fm->hosts = host_table_create(2 * fm->set.max_flows);
    fm->ended = flow_top_create(fm->set.top_n, sizeof(struct flow_ranked),
                                flow_export_rank);
    if (!fm->flows || !fm->hosts || !fm->ended)
        return fm->host->error(fm->ctx, -ENOMEM, "out of memory for %u flows",
                               fm->set.max_flows);
    return 0;
}

static int
mirror_setup(struct flowmon *fm)
{
    struct mirror_settings ms = {
        .path = fm->set.mirror_path,
        .filter = fm->set.mirror_filter,
        .snaplen = fm->set.mirror_snaplen,
    };
    char why[512];
    int ret;

    if (!fm->set.mirror_path)
        return 0;
    ret = mirror_create(&ms, &fm->mirror, why, sizeof(why));
    if (ret == -EINVAL)
        return fm->host->cfg_error(fm->ctx, fm->set.mirror_filter_node, ret,
                                   "bad filter: %s", why);
    if (ret)
        return fm->host->cfg_error(fm->ctx, fm->set.mirror_file_node, ret,
                                   "%s", why);
    return 0;
}

static int
flowmon_create(const struct xsw_host *host, struct xsw_ctx *ctx,
               const struct xsw_cfg *config, void **state)
{
    struct flowmon *fm;
    int ret;

    fm = calloc(1, sizeof(*fm));
    if (!fm)
        return host->error(ctx, -ENOMEM, "out of memory");
    fm->host = host;
    fm->ctx = ctx;
    fm->timer = -1;
    ret = flowmon_config_read(host, ctx, config, &fm->set);
    if (ret) {
        free(fm);
        return ret;
    }
    if ((ret = counters_create(fm)) || (ret = tables_create(fm)) ||
        (ret = mirror_setup(fm)))
        goto err_free;
    ret = host->timer_add(ctx, FLOWMON_SWEEP_NS, flowmon_sweep, fm);
    if (ret < 0) {
        host->error(ctx, ret, "cannot add the expiry timer");
        goto err_free;
    }
    fm->timer = ret;
    *state = fm;
    return 0;

err_free:
    flowmon_free(fm);
    return ret;
}

static void
flowmon_destroy(void *state)
{
    struct flowmon *fm = state;
    int ret;

    if (!fm)
        return;
    if (fm->set.export_path && fm->started) {
        ret = flowmon_export(fm, fm->set.export_path);
        if (ret)
            fm->host->log(fm->ctx, XSW_LOG_ERR, "%s: %s", fm->set.export_path,
                          strerror(-ret));
    }
    flowmon_free(fm);
}

/* clang-format off */
XSW_EXTENSION_DEFINE(
    .name = "flowmon",
    .version = "1.0",
    .description = "flow monitor: per-flow records, top talkers, "
                   "JSON export, BPF mirror",
    .role = XSW_ROLE_INSPECT,
    .create = flowmon_create,
    .destroy = flowmon_destroy,
    .inspect_ingress = flowmon_ingress,
    .control = flowmon_control,
    .stats = flowmon_stats,
);
/* clang-format on */
