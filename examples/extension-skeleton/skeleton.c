/* skeleton: a minimal xsw filter extension
 * ========================================
 * Counts the packets entering the switch per ethertype and drops the frames
 * of one configured ethertype.  It is the example that docs/sdk.md walks
 * through, and it builds out of tree against the installed SDK alone:
 *
 *     make                                  (pkg-config xsw-sdk)
 *     cmake -B build && cmake --build build (pkg_check_modules)
 *
 * Configuration, the 'config:' of its entry in the switch's YAML file:
 *
 *     drop_ethertype: 0x86dd   drop frames of this ethertype (0x0600 or
 *                              more; 0, the default, drops nothing)
 *     max_ethertypes: 8        ethertypes counted one by one (1..64); the
 *                              packets of any further ethertype are
 *                              counted together as "other"
 *
 * What it reports: the counters "packets" and "dropped" (counter_new, so
 * the core shows them in its summary), one figure per ethertype from the
 * stats hook ("ethertype 0x0800", ..., "ethertype other"), and its drops
 * under the reason "ethertype blocked".
 *
 * The ethertype is the one after the VLAN tags: the core's parser has put
 * it in pkt->ethertype, so the extension never reads the frame itself.
 *
 * Threads: datapath thread only (the descriptor does not set
 * XSW_EXT_F_THREAD_SAFE). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <xsw/xsw.h>

#define SKELETON_ETHERTYPES_MAX 64
#define SKELETON_ETHERTYPE_MIN 0x0600 /* Below: an 802.3 length field. */

/* xsw_pkt_drop() names a reason by its index in this table. */
enum skeleton_drop { SKELETON_DROP_ETHERTYPE };

static const char *const skeleton_drop_reasons[] = {
    [SKELETON_DROP_ETHERTYPE] = "ethertype blocked",
};

struct skeleton_count {
    uint16_t ethertype;
    uint64_t packets;
};

struct skeleton {
    const struct xsw_host *host; /* Borrowed; valid until destroy(). */
    struct xsw_ctx *ctx;         /* This instance, for host calls. */
    uint16_t drop_ethertype;     /* 0: drop nothing. */
    uint32_t max_ethertypes;     /* Entries of 'counts' that may be used. */
    uint32_t n_counts;           /* Entries of 'counts' in use. */
    struct skeleton_count counts[SKELETON_ETHERTYPES_MAX];
    uint64_t other;    /* Packets of ethertypes that found no entry. */
    uint64_t *packets; /* Owned by the core (counter_new). */
    uint64_t *dropped; /* Likewise. */
};

/* Reads 'config' (NULL when the YAML entry has no 'config:').  Every error
 * is set through the host, which locates it in the YAML file. */
static int
skeleton_configure(struct skeleton *s, const struct xsw_cfg *config)
{
    static const char *const keys[] = {"drop_ethertype", "max_ethertypes",
                                       NULL};
    const struct xsw_host *h = s->host;
    uint64_t drop, max;
    int ret;

    if ((ret = h->cfg_keys(s->ctx, config, keys)) ||
        (ret = h->cfg_u64(s->ctx, config, "drop_ethertype", 0, 0, 0xffff,
                          &drop)) ||
        (ret = h->cfg_u64(s->ctx, config, "max_ethertypes", 8, 1,
                          SKELETON_ETHERTYPES_MAX, &max)))
        return ret;
    /* A range cfg_u64() cannot express: 0, or a real ethertype. */
    if (drop && drop < SKELETON_ETHERTYPE_MIN)
        return h->cfg_error(
            s->ctx, h->cfg_get(s->ctx, config, "drop_ethertype"), -EINVAL,
            "0x%04x is an 802.3 length, not an ethertype "
            "(use 0x0600 or more, or 0 for none)",
            (unsigned) drop);
    s->drop_ethertype = (uint16_t) drop;
    s->max_ethertypes = (uint32_t) max;
    return 0;
}

static int
skeleton_create(const struct xsw_host *host, struct xsw_ctx *ctx,
                const struct xsw_cfg *config, void **state)
{
    struct skeleton *s = calloc(1, sizeof *s);
    int ret;

    if (!s)
        return host->error(ctx, -ENOMEM, "out of memory");
    s->host = host;
    s->ctx = ctx;
    if ((ret = skeleton_configure(s, config)))
        goto err_free;
    s->packets = host->counter_new(ctx, "packets");
    s->dropped = host->counter_new(ctx, "dropped");
    if (!s->packets || !s->dropped) {
        ret = host->error(ctx, -ENOMEM, "cannot register the counters");
        goto err_free;
    }
    host->log(ctx, XSW_LOG_DEBUG,
              "counting up to %u ethertypes, dropping 0x%04x%s",
              s->max_ethertypes, s->drop_ethertype,
              s->drop_ethertype ? "" : " (none)");
    *state = s;
    return 0;

err_free:
    /* destroy() is not called after a failed create(): undo here. */
    free(s);
    return ret;
}

static void
skeleton_destroy(void *state)
{
    free(state);
}

/* A linear search: a switch sees a handful of ethertypes, and 64 entries
 * of 16 bytes stay within a few cache lines. */
static void
skeleton_count(struct skeleton *s, uint16_t ethertype)
{
    uint32_t i;

    for (i = 0; i < s->n_counts; i++) {
        if (s->counts[i].ethertype == ethertype) {
            s->counts[i].packets++;
            return;
        }
    }
    if (s->n_counts == s->max_ethertypes) {
        s->other++;
        return;
    }
    s->counts[s->n_counts].ethertype = ethertype;
    s->counts[s->n_counts].packets = 1;
    s->n_counts++;
}

static void
skeleton_ingress(void *state, struct xsw_batch *batch)
{
    struct skeleton *s = state;
    uint32_t i;

    for (i = 0; i < batch->count; i++) {
        struct xsw_packet *pkt = batch->pkts[i];

        skeleton_count(s, pkt->ethertype);
        if (s->drop_ethertype && pkt->ethertype == s->drop_ethertype) {
            xsw_pkt_drop(pkt, SKELETON_DROP_ETHERTYPE);
            (*s->dropped)++;
            XSW_TRACE(s->host, s->ctx, pkt, "dropped: ethertype 0x%04x",
                      pkt->ethertype);
        }
    }
    /* Once per batch, not per packet. */
    *s->packets += batch->count;
}

/* The figures that are not plain counters: one per ethertype seen, in the
 * order first seen.  'name' need only live during the call. */
static void
skeleton_stats(void *state, xsw_emit_fn emit, void *emit_arg)
{
    const struct skeleton *s = state;
    char name[32];
    uint32_t i;

    for (i = 0; i < s->n_counts; i++) {
        snprintf(name, sizeof name, "ethertype 0x%04x",
                 s->counts[i].ethertype);
        emit(emit_arg, name, s->counts[i].packets);
    }
    emit(emit_arg, "ethertype other", s->other);
}

XSW_EXTENSION_DEFINE(.name = "skeleton", .version = "1.0",
                     .description = "counts packets per ethertype and drops "
                                    "one ethertype",
                     .role = XSW_ROLE_FILTER, .create = skeleton_create,
                     .destroy = skeleton_destroy, .ingress = skeleton_ingress,
                     .stats = skeleton_stats,
                     .drop_reasons = skeleton_drop_reasons,
                     .n_drop_reasons = XSW_ARRAY_SIZE(skeleton_drop_reasons));
