/* flowtable: an OpenFlow-like priority table as the switch's forwarding
 * =====================================================================
 * A forward extension.  Every packet is looked up in a table of rules
 * (ft_table.h: match, priority, one action); the best matching rule says
 * where it goes: out of listed ports, to one member of a port group chosen
 * by the packet's flow hash (ECMP-style: every packet of a flow, in both
 * directions, picks the same member because the core's flow hash is
 * symmetric), flooded, dropped, or handed back to the built-in L2
 * forwarding ("normal").  Packets no rule matches get the table's default
 * action (normal unless configured).
 *
 * Lookup.  ft_cls.h: a tuple-space search, one hash table per distinct
 * mask, searched best-priority first and stopped as soon as no remaining
 * table can beat the best match.  Its cost grows with the number of
 * distinct masks, not with the number of rules: 100000 exact-match rules of
 * one shape cost one hash probe a packet.
 *
 * Datapath.  Per packet: build the 64-byte flow key from the metadata
 * (ft_key.h), one classifier lookup, one counter increment, the action.
 * No allocation, no text: traces only for traced packets.
 *
 * File map: ft_key (flow key from metadata), ft_match (a rule's
 * key/mask/ranges and prerequisites), ft_cls (the classifier), ft_table
 * (config -> rules, groups, counters; the text of match values is read by
 * the SDK's xsw/field.h), this file (the extension's callbacks and the
 * actions). */
#include <errno.h>
#include <stdlib.h>

#include <xsw/xsw.h>

#include "ft_cls.h"
#include "ft_key.h"
#include "ft_table.h"

/* Drop reasons, as the core shows them ("flowtable: flowtable drop"). */
#define FT_DROP_REASONS(_)                                                    \
    _(RULE, "flowtable drop")                                                 \
    _(MISS, "flowtable miss")

enum {
#define FT_REASON_ENUM(id, text) FT_REASON_##id,
    FT_DROP_REASONS(FT_REASON_ENUM)
#undef FT_REASON_ENUM
};

static const char *const flowtable_drop_reasons[] = {
#define FT_REASON_TEXT(id, text) text,
    FT_DROP_REASONS(FT_REASON_TEXT)
#undef FT_REASON_TEXT
};

static const char *const action_names[] = {
    [FT_ACT_NORMAL] = "normal", [FT_ACT_OUTPUT] = "output",
    [FT_ACT_GROUP] = "group",   [FT_ACT_FLOOD] = "flood",
    [FT_ACT_DROP] = "drop",
};

struct flowtable {
    const struct xsw_host *host; /* Valid until destroy(). */
    struct xsw_ctx *ctx;
    struct ft_table table;
};

static void flowtable_apply(const struct flowtable *, struct xsw_packet *,
                            const struct ft_action *, uint16_t drop_reason);
static uint32_t flowtable_pick(uint32_t flow_hash, uint32_t n);

static int
flowtable_create(const struct xsw_host *host, struct xsw_ctx *ctx,
                 const struct xsw_cfg *config, void **state)
{
    struct flowtable *ft = calloc(1, sizeof *ft);
    int ret;

    if (!ft)
        return host->error(ctx, -ENOMEM, "out of memory");
    ft->host = host;
    ft->ctx = ctx;
    ret = ft_table_load(&ft->table, host, ctx, config);
    if (ret) {
        ft_table_clear(&ft->table);
        free(ft);
        return ret;
    }
    *state = ft;
    return 0;
}

static void
flowtable_destroy(void *state)
{
    struct flowtable *ft = state;

    if (!ft)
        return;
    ft_table_clear(&ft->table);
    free(ft);
}

static void
flowtable_ingress(void *state, struct xsw_batch *batch)
{
    const struct flowtable *ft = state;
    const struct ft_table *t = &ft->table;

    for (uint32_t i = 0; i < batch->count; i++) {
        struct xsw_packet *pkt = batch->pkts[i];
        struct ft_key key;
        uint32_t id;

        ft_key_from_packet(&key, pkt);
        id = ft_cls_lookup(t->cls, &key);
        if (id == FT_CLS_MISS) {
            (*t->misses)++;
            XSW_TRACE(ft->host, ft->ctx, pkt, "no rule matches: default %s",
                      action_names[t->miss.type]);
            flowtable_apply(ft, pkt, &t->miss, FT_REASON_MISS);
            continue;
        }
        (*t->rules[id].hits)++;
        XSW_TRACE(ft->host, ft->ctx, pkt, "rule %u%s%s: %s", id,
                  t->rules[id].name ? " " : "",
                  t->rules[id].name ? t->rules[id].name : "",
                  action_names[t->rules[id].action.type]);
        flowtable_apply(ft, pkt, &t->rules[id].action, FT_REASON_RULE);
    }
}

static void
flowtable_stats(void *state, xsw_emit_fn emit, void *emit_arg)
{
    const struct flowtable *ft = state;

    emit(emit_arg, "rules", ft->table.n_rules);
    emit(emit_arg, "classifier entries", ft_cls_n_rules(ft->table.cls));
    emit(emit_arg, "subtables", ft_cls_n_subtables(ft->table.cls));
    emit(emit_arg, "hash keys", ft_cls_n_entries(ft->table.cls));
}

/* One initializer a line reads better than clang-format's packing. */
/* clang-format off */
XSW_EXTENSION_DEFINE(
    .name = "flowtable",
    .version = "1.0",
    .description = "OpenFlow-like priority flow table "
                   "(output, group, flood, drop, normal)",
    .role = XSW_ROLE_FORWARD,
    .create = flowtable_create,
    .destroy = flowtable_destroy,
    .ingress = flowtable_ingress,
    .stats = flowtable_stats,
    .drop_reasons = flowtable_drop_reasons,
    .n_drop_reasons = XSW_ARRAY_SIZE(flowtable_drop_reasons),
);
/* clang-format on */

static void
flowtable_apply(const struct flowtable *ft, struct xsw_packet *pkt,
                const struct ft_action *a, uint16_t drop_reason)
{
    const struct ft_group *g;
    uint32_t m;

    switch (a->type) {
    case FT_ACT_OUTPUT:
        /* At most XSW_OUT_PORTS_MAX ports: the loader refused more. */
        for (uint32_t i = 0; i < a->n_ports; i++)
            xsw_pkt_output(pkt, a->ports[i]);
        break;
    case FT_ACT_GROUP:
        g = &ft->table.groups[a->group];
        m = flowtable_pick(pkt->flow_hash, g->n_ports);
        (*g->selected[m])++;
        XSW_TRACE(ft->host, ft->ctx, pkt, "group %s member %u", g->name, m);
        xsw_pkt_output(pkt, g->ports[m]);
        break;
    case FT_ACT_FLOOD:
        xsw_pkt_flood(pkt);
        break;
    case FT_ACT_DROP:
        xsw_pkt_drop(pkt, drop_reason);
        break;
    default: /* FT_ACT_NORMAL: the verdict is already XSW_FWD_NORMAL. */
        break;
    }
}

/* One of 'n' members for a flow.  The flow hash is mixed again (the
 * murmur3 finaliser) so that members spread evenly even if the core's hash
 * is weak in some bits, then mapped to 0..n-1 by multiply-shift, which,
 * unlike '%', uses the high bits and needs no division. */
static uint32_t
flowtable_pick(uint32_t flow_hash, uint32_t n)
{
    uint32_t h = flow_hash;

    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (uint32_t) (((uint64_t) h * n) >> 32);
}
