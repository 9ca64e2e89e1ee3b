/* acl: ordered, stateless filter rules
 * ====================================
 * The extension glue: create() reads the config (acl_config.c), the
 * packet callbacks run each packet through the rules of their direction
 * (acl_rule.c), apply a passing rule's modifying actions (acl_action.c) and,
 * on ingress, let the ARP responder (acl_arp.c) answer requests for its
 * addresses.  Everything that costs (text parsing, BPF compiling, port
 * name lookups, allocation) happens in create(); a packet costs one key
 * derivation, a walk over a contiguous rule array, and counter increments.
 *
 * Per packet on ingress:
 *   1. the first matching ingress rule decides; none matching, 'default';
 *   2. 'drop' drops with "acl deny" ("default deny" for the default);
 *      'pass' runs the rule's actions in order, "action failed" if one
 *      cannot (a tag push without headroom);
 *   3. a passed ARP request for an address of arp_responder is answered
 *      from the port it came in on, and the request itself is dropped
 *      with "arp answered": the question is settled, and flooding it
 *      would let other hosts answer too (or learn a MAC for the switch's
 *      address).  The responder sees only what the rules pass.
 * On egress (batch->port is the destination) the same with the egress
 * rules and 'egress_default'; there is no ARP responder on egress.
 *
 * Threads: datapath thread only (counters are plain increments). */
#include <errno.h>
#include <stdlib.h>

#include <xsw/xsw.h>

#include "acl_action.h"
#include "acl_arp.h"
#include "acl_config.h"
#include "acl_rule.h"

/* Drop reasons: the enum and the descriptor's table from one list. */
#define ACL_DROP_REASONS(_)                                                   \
    _(DENY, "acl deny")                                                       \
    _(DEFAULT, "default deny")                                                \
    _(ARP, "arp answered")                                                    \
    _(ACTION, "action failed")

enum acl_drop {
#define ACL_DROP_ENUM(e, s) ACL_DROP_##e,
    ACL_DROP_REASONS(ACL_DROP_ENUM)
#undef ACL_DROP_ENUM
};

static const char *const acl_drop_reasons[] = {
#define ACL_DROP_STR(e, s) s,
    ACL_DROP_REASONS(ACL_DROP_STR)
#undef ACL_DROP_STR
};

struct acl {
    const struct xsw_host *host; /* Valid until destroy(). */
    struct xsw_ctx *ctx;
    struct acl_config cfg; /* Owned. */
    uint64_t *arp_replies; /* Counters, owned by the host. */
    uint64_t *arp_reply_failures;
};

static bool acl_filter(struct acl *acl, const struct acl_rule_set *set,
                       struct xsw_packet *pkt, uint32_t out_port);
static void acl_arp_answer(struct acl *acl, struct xsw_packet *pkt);

static int
acl_create(const struct xsw_host *host, struct xsw_ctx *ctx,
           const struct xsw_cfg *config, void **state)
{
    struct acl *acl = calloc(1, sizeof *acl);
    int ret;

    if (!acl)
        return host->error(ctx, -ENOMEM, "out of memory");
    acl->host = host;
    acl->ctx = ctx;
    ret = acl_config_load(&acl->cfg, host, ctx, config);
    if (ret < 0)
        goto err_free;
    acl->arp_replies = host->counter_new(ctx, "arp replies");
    acl->arp_reply_failures = host->counter_new(ctx, "arp reply failures");
    if (!acl->arp_replies || !acl->arp_reply_failures) {
        ret = host->error(ctx, -ENOMEM, "cannot register counters");
        goto err_config;
    }
    *state = acl;
    return 0;

err_config:
    acl_config_free(&acl->cfg);
err_free:
    free(acl);
    return ret;
}

static void
acl_destroy(void *state)
{
    struct acl *acl = state;

    if (!acl)
        return;
    acl_config_free(&acl->cfg);
    free(acl);
}

static void
acl_ingress(void *state, struct xsw_batch *batch)
{
    struct acl *acl = state;
    uint32_t i;

    for (i = 0; i < batch->count; i++) {
        struct xsw_packet *pkt = batch->pkts[i];

        if (acl_filter(acl, &acl->cfg.ingress, pkt, XSW_PORT_NONE) &&
            acl->cfg.arp.n && acl_arp_is_request(pkt))
            acl_arp_answer(acl, pkt);
    }
}

static void
acl_egress(void *state, struct xsw_batch *batch)
{
    struct acl *acl = state;
    const struct acl_rule_set *set = &acl->cfg.egress;
    uint32_t i;

    /* The common case: no egress rules, nothing to look at. */
    if (set->n == 0 && set->def == XSW_PASS) {
        *set->default_hits += batch->count;
        return;
    }
    for (i = 0; i < batch->count; i++)
        acl_filter(acl, set, batch->pkts[i], batch->port);
}

/* Runs 'pkt' through 'set'; returns whether it passed. */
static bool
acl_filter(struct acl *acl, const struct acl_rule_set *set,
           struct xsw_packet *pkt, uint32_t out_port)
{
    const struct acl_rule *r;
    struct acl_key key;

    acl_key_init(&key, pkt, out_port, acl->cfg.n_ports);
    r = acl_rule_first(set->rules, set->n, pkt, &key);
    if (!r) {
        (*set->default_hits)++;
        XSW_TRACE(acl->host, acl->ctx, pkt, "no rule matched: default %s",
                  set->def == XSW_DROP ? "drop" : "pass");
        if (set->def == XSW_DROP)
            xsw_pkt_drop(pkt, ACL_DROP_DEFAULT);
        return set->def != XSW_DROP;
    }
    (*r->hits)++;
    XSW_TRACE(acl->host, acl->ctx, pkt, "rule %u%s%s%s matched: %s", r->index,
              r->name ? " (" : "", r->name ? r->name : "", r->name ? ")" : "",
              r->verdict == XSW_DROP ? "drop" : "pass");
    if (r->verdict == XSW_DROP) {
        xsw_pkt_drop(pkt, ACL_DROP_DENY);
        return false;
    }
    if (r->n_actions && acl_action_apply(r->actions, r->n_actions, pkt,
                                         acl->host, acl->ctx) < 0) {
        XSW_TRACE(acl->host, acl->ctx, pkt, "rule %u: action failed",
                  r->index);
        xsw_pkt_drop(pkt, ACL_DROP_ACTION);
        return false;
    }
    return true;
}

/* Answers ARP request 'pkt' if its target is ours.  A reply that cannot
 * be made leaves the request to travel on, so its owner may still
 * answer. */
static void
acl_arp_answer(struct acl *acl, struct xsw_packet *pkt)
{
    const struct xsw_host *host = acl->host;
    const struct acl_arp_entry *e;
    struct xsw_packet *reply;

    e = acl_arp_lookup(&acl->cfg.arp, acl_arp_target(pkt));
    if (!e || pkt->in_port >= acl->cfg.n_ports)
        return;
    reply = host->pkt_alloc(acl->ctx, acl_arp_reply_size(pkt));
    if (!reply) {
        (*acl->arp_reply_failures)++;
        return;
    }
    acl_arp_reply_build(pkt, e, reply->data, reply->size);
    /* Answered the moment it was asked, not when the batch ends. */
    reply->ts_ns = pkt->ts_ns;
    if (host->pkt_inject(acl->ctx, reply, pkt->in_port, XSW_INJECT_TX) < 0) {
        (*acl->arp_reply_failures)++;
        return;
    }
    (*acl->arp_replies)++;
    XSW_TRACE(host, acl->ctx, pkt, "arp request answered");
    xsw_pkt_drop(pkt, ACL_DROP_ARP);
}

XSW_EXTENSION_DEFINE(.name = "acl", .version = "1.0",
                     .description = "ordered stateless filter rules, first "
                                    "match wins, with an ARP responder",
                     .role = XSW_ROLE_FILTER, .create = acl_create,
                     .destroy = acl_destroy, .ingress = acl_ingress,
                     .egress = acl_egress, .drop_reasons = acl_drop_reasons,
                     .n_drop_reasons = XSW_ARRAY_SIZE(acl_drop_reasons), );
