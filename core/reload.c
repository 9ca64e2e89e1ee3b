#include "reload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "config.h"
#include "dp_impl.h"
#include "fdb.h"
#include "log.h"

enum rport_act {
    RPORT_KEEP,   /* Nothing changed. */
    RPORT_VLAN,   /* Its 'vlan:' changed. */
    RPORT_REOPEN, /* Driver settings changed. */
    RPORT_ADD,
};

struct rport {
    const struct port_config *pc;
    enum rport_act act;
    uint16_t id;
    bool reopened;                    /* Undo needs the old settings */
    const struct port_config *old_pc; /* ... and the VLAN policy then. */
    struct vlan_config vlan_before;
};

enum rext_act { REXT_KEEP, REXT_REPLACE, REXT_ADD };

struct rext {
    const struct ext_config *ec;
    enum rext_act act;
    struct ext *old;   /* KEEP, REPLACE. */
    struct ext *fresh; /* REPLACE, ADD: made by this reload. */
    bool enabled;      /* As it will be. */
    bool restored;     /* REPLACE: the old state went to the new one. */
};

struct reload {
    struct dp *dp;
    struct xsw_config *cfg; /* The new one. */
    struct rport ports[CONFIG_PORTS_MAX];
    uint32_t n_ports_before;
    struct rext exts[CONFIG_EXTS_MAX];
    struct ext *order[CONFIG_EXTS_MAX];
    struct ext *gone[CONFIG_EXTS_MAX]; /* Removed instances. */
    uint32_t n_gone;
};

/* --- What may not change --------------------------------------------- */

static bool
str_same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* A new value for a setting only a restart applies: refused, located at
 * the key when the file still has it. */
static int
fixed_error(const struct xsw_config *cfg, const char *section, const char *key,
            struct xsw_err *err)
{
    const struct cfg_node *root = cfg->tree->root;
    const struct cfg_node *sec = root ? cfg_node_get(root, section) : NULL;
    const struct cfg_node *n = sec ? cfg_node_get(sec, key) : NULL;

    if (n)
        return cfg_node_error(n, err, -EPERM,
                              "a reload cannot change this (restart xswd "
                              "to apply it); nothing was changed");
    return xsw_err_set(err, -EPERM,
                       "%s: %s.%s: a reload cannot change this (restart "
                       "xswd to apply it); nothing was changed",
                       cfg->tree->file, section, key);
}

static int
check_fixed(const struct xsw_config *o, const struct xsw_config *n,
            struct xsw_err *err)
{
    if (!str_same(o->name, n->name))
        return fixed_error(n, "switch", "name", err);
    if (o->fdb_max_entries != n->fdb_max_entries)
        return fixed_error(n, "switch", "fdb", err);
    if (o->drop_privileges != n->drop_privileges ||
        (n->drop_privileges &&
         (o->run_as.uid != n->run_as.uid || o->run_as.gid != n->run_as.gid)))
        return fixed_error(n, "security", "user", err);
    if (o->allow_insecure_extensions != n->allow_insecure_extensions)
        return fixed_error(n, "security", "allow_insecure_extensions", err);
    if (o->verify_extensions != n->verify_extensions)
        return fixed_error(n, "security", "verify_extensions", err);
    if (!str_same(o->control_socket, n->control_socket))
        return fixed_error(n, "control", "socket", err);
    if (!str_same(o->control_group, n->control_group) ||
        o->control_group_admin != n->control_group_admin)
        return fixed_error(n, "control", "group", err);
    /* The command line may override them; only xswd knows. */
    if (o->log.level != n->log.level)
        return fixed_error(n, "log", "level", err);
    if (o->log.target != n->log.target)
        return fixed_error(n, "log", "target", err);
    if (o->log.format != n->log.format)
        return fixed_error(n, "log", "format", err);
    if (o->drop_summary_ns != n->drop_summary_ns)
        return fixed_error(n, "log", "drop_summary_interval", err);
    return 0;
}

/* --- Ports ------------------------------------------------------------ */

static bool
port_config_live(const struct port_config *pc)
{
    return strcmp(pc->type, "pcap") != 0;
}

static bool
same_driver(const struct port_config *a, const struct port_config *b)
{
    return !strcmp(a->type, b->type) && str_same(a->rx, b->rx) &&
           str_same(a->tx, b->tx) && str_same(a->device, b->device) &&
           str_same(a->netns, b->netns) && a->mtu == b->mtu &&
           a->has_mac == b->has_mac &&
           (!a->has_mac || !memcmp(a->mac, b->mac, sizeof a->mac));
}

static bool
same_vlan(const struct vlan_config *a, const struct vlan_config *b)
{
    return a->mode == b->mode && a->vid == b->vid && a->native == b->native &&
           !memcmp(a->allowed, b->allowed, sizeof a->allowed);
}

/* Decides each port's fate; marks the ones the file dropped 'leaving',
 * which hides them from the new instances' port_lookup(). */
static int
plan_ports(struct reload *r, struct xsw_err *err)
{
    struct dp *dp = r->dp;
    uint32_t i, next = dp->n_ports;
    bool live = false;

    for (i = 0; i < r->cfg->n_ports; i++) {
        const struct port_config *pc = &r->cfg->ports[i];
        int32_t id = dp_port_lookup(dp, pc->name);
        struct rport *rp = &r->ports[i];

        live |= port_config_live(pc);
        rp->pc = pc;
        if (id < 0) {
            if (next >= CONFIG_PORTS_MAX)
                return cfg_node_error(pc->node, err, -ENOSPC,
                                      "no port id left (%u over the "
                                      "switch's life: removed ports keep "
                                      "theirs); restart xswd",
                                      CONFIG_PORTS_MAX);
            rp->act = RPORT_ADD;
            rp->id = (uint16_t) next++;
            continue;
        }
        rp->id = (uint16_t) id;
        rp->old_pc = dp->ports[id].cfg;
        rp->act = !same_driver(rp->old_pc, pc)               ? RPORT_REOPEN
                  : !same_vlan(&rp->old_pc->vlan, &pc->vlan) ? RPORT_VLAN
                                                             : RPORT_KEEP;
        if (rp->act == RPORT_REOPEN &&
            (!strcmp(pc->type, "pcap") || !strcmp(rp->old_pc->type, "pcap")))
            return cfg_node_error(pc->node, err, -EPERM,
                                  "a reload cannot change a pcap port's "
                                  "type, rx or tx (it would read its input "
                                  "again or truncate its output): remove "
                                  "the port, or add it under another name");
    }
    if (live != dp_is_live(dp))
        return xsw_err_set(err, -EPERM,
                           "%s: a reload cannot turn a %s switch into a %s "
                           "one (restart xswd); nothing was changed",
                           r->cfg->tree->file, live ? "replay" : "live",
                           live ? "live" : "replay");
    for (i = 0; i < dp->n_ports; i++)
        if (!port_is_removed(&dp->ports[i]) &&
            !config_find_port(r->cfg, dp->ports[i].name))
            dp->ports[i].leaving = true;
    return 0;
}

/* Room for ids up to 'n'.  The arrays only grow, and only between
 * batches, when no packet points into them. */
static int
ports_grow(struct dp *dp, uint32_t n, struct xsw_err *err)
{
    struct port *ports;
    struct dp_portq *portq;
    uint16_t *active;

    if (n <= dp->n_ports)
        return 0;
    if (!(ports = realloc(dp->ports, n * sizeof *ports)))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    dp->ports = ports;
    if (!(portq = realloc(dp->portq, n * sizeof *portq)))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    dp->portq = portq;
    if (!(active = realloc(dp->active, n * sizeof *active)))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    dp->active = active;
    memset(&dp->ports[dp->n_ports], 0, (n - dp->n_ports) * sizeof *ports);
    memset(&dp->portq[dp->n_ports], 0, (n - dp->n_ports) * sizeof *portq);
    return 0;
}

/* New ports are opened first: new instances may name them. */
static int
ports_add(struct reload *r, struct xsw_err *err)
{
    struct dp *dp = r->dp;
    uint32_t i, n = dp->n_ports;
    int ret;

    for (i = 0; i < r->cfg->n_ports; i++)
        if (r->ports[i].act == RPORT_ADD)
            n = r->ports[i].id + 1u;
    if ((ret = ports_grow(dp, n, err)))
        return ret;
    for (i = 0; i < r->cfg->n_ports; i++) {
        const struct rport *rp = &r->ports[i];

        if (rp->act != RPORT_ADD)
            continue;
        dp->n_ports = rp->id + 1u;
        if ((ret = port_open(&dp->ports[rp->id], rp->id, rp->pc, err)))
            return ret;
    }
    return 0;
}

/* Last of the steps that can fail: the old driver must be closed before
 * the new one opens on the same device. */
static int
ports_reopen(struct reload *r, struct xsw_err *err)
{
    uint32_t i;
    int ret;

    for (i = 0; i < r->cfg->n_ports; i++) {
        struct rport *rp = &r->ports[i];

        if (rp->act != RPORT_REOPEN)
            continue;
        rp->reopened = true;
        rp->vlan_before = r->dp->ports[rp->id].vlan;
        if ((ret = port_reopen(&r->dp->ports[rp->id], rp->pc, err)))
            return ret;
    }
    return 0;
}

static void
ports_undo(struct reload *r)
{
    struct dp *dp = r->dp;
    struct xsw_err e = {0};
    uint32_t i;

    for (i = 0; i < r->cfg->n_ports; i++) {
        const struct rport *rp = &r->ports[i];
        struct port *p = &dp->ports[rp->id];

        if (!rp->reopened)
            continue;
        if (!port_reopen(p, rp->old_pc, &e)) {
            p->vlan = rp->vlan_before;
            continue;
        }
        dp_log(dp, XSW_LOG_ERR,
               "reload: port %s could not be opened again with its "
               "previous settings, so it is removed: %s",
               p->name, e.msg);
        port_detach(p);
        fdb_flush(dp->fdb, p->id, -1);
        dp_port_event(dp, p->id, XSW_PORT_EV_REMOVED);
    }
    while (dp->n_ports > r->n_ports_before)
        port_close(&dp->ports[--dp->n_ports]);
    for (i = 0; i < dp->n_ports; i++)
        dp->ports[i].leaving = false;
}

static void
ports_commit(struct reload *r)
{
    struct dp *dp = r->dp;
    uint32_t i;

    for (i = 0; i < r->n_ports_before; i++) {
        struct port *p = &dp->ports[i];

        if (!p->leaving)
            continue;
        p->leaving = false;
        port_detach(p);
        fdb_flush(dp->fdb, p->id, -1);
        dp_port_event(dp, p->id, XSW_PORT_EV_REMOVED);
    }
    for (i = 0; i < r->cfg->n_ports; i++) {
        const struct rport *rp = &r->ports[i];
        struct port *p = &dp->ports[rp->id];

        p->cfg = rp->pc;
        if (rp->act == RPORT_VLAN)
            p->vlan = rp->pc->vlan;
        if (rp->act == RPORT_VLAN || rp->act == RPORT_REOPEN)
            fdb_flush(dp->fdb, p->id, -1);
        if (rp->act == RPORT_ADD)
            dp_port_event(dp, p->id, XSW_PORT_EV_ADDED);
    }
}

/* --- Extensions ------------------------------------------------------- */

/* Same module, same 'config:', same search path: the instance stays. */
static bool
ext_unchanged(const struct reload *r, const struct ext *old,
              const struct ext_config *ec)
{
    const struct xsw_config *o = r->dp->cfg;
    uint32_t i;

    if (strcmp(old->cfg->module, ec->module) ||
        !cfg_node_equal(old->cfg->config, ec->config) ||
        o->n_ext_path != r->cfg->n_ext_path)
        return false;
    for (i = 0; i < o->n_ext_path; i++)
        if (strcmp(o->ext_path[i], r->cfg->ext_path[i]))
            return false;
    return true;
}

/* The old instance's state handed to the new one, when both can. */
static int
state_transfer(struct rext *x, struct xsw_err *err)
{
    uint8_t *blob = NULL;
    uint64_t size = 0;
    int ret;

    if (!x->old->desc.save || !x->fresh->desc.restore)
        return 0;
    x->old->error[0] = x->fresh->error[0] = '\0';
    if ((ret = x->old->desc.save(x->old->state, &blob, &size)) < 0) {
        free(blob);
        return cfg_node_error(
            x->ec->node, err, ret, "%s: save failed: %s", x->old->path,
            x->old->error[0] ? x->old->error : strerror(-ret));
    }
    ret = x->fresh->desc.restore(x->fresh->state, blob, size);
    free(blob);
    if (ret < 0)
        return cfg_node_error(
            x->ec->node, err, ret, "%s: restore refused the saved state: %s",
            x->fresh->path,
            x->fresh->error[0] ? x->fresh->error : strerror(-ret));
    x->restored = true;
    return 0;
}

/* 'enabled:' as the file says where the file changed it, else as the
 * switch has it now (xswctl ext enable/disable stays). */
static bool
enabled_after(const struct ext *old, const struct ext_config *ec)
{
    return old && old->cfg_enabled == ec->enabled ? old->enabled : ec->enabled;
}

static int
exts_prepare(struct reload *r, struct xsw_err *err)
{
    struct dp *dp = r->dp;
    uint32_t i;
    int ret;

    for (i = 0; i < r->cfg->n_exts; i++) {
        struct rext *x = &r->exts[i];

        x->ec = &r->cfg->exts[i];
        x->old = dp_ext_find(dp, x->ec->name);
        x->enabled = enabled_after(x->old, x->ec);
        x->act = !x->old                           ? REXT_ADD
                 : ext_unchanged(r, x->old, x->ec) ? REXT_KEEP
                                                   : REXT_REPLACE;
        if (x->act == REXT_KEEP)
            continue;
        ret = dp_ext_load(dp, r->cfg, x->ec, &x->fresh, err);
        if (!ret) {
            x->fresh->enabled = x->enabled;
            ret = dp_ext_create(dp, x->fresh, err);
        }
        if (!ret && x->act == REXT_REPLACE)
            ret = state_transfer(x, err);
        if (ret)
            return ret;
    }
    for (i = 0; i < dp->n_exts; i++)
        if (!config_find_ext(r->cfg, dp->order[i]->name))
            r->gone[r->n_gone++] = dp->order[i];
    return 0;
}

static struct ext *
rext_instance(const struct rext *x)
{
    return x->fresh ? x->fresh : x->old;
}

static int
check_forward(const struct reload *r, struct xsw_err *err)
{
    const struct rext *first = NULL;
    uint32_t i;

    for (i = 0; i < r->cfg->n_exts; i++) {
        const struct rext *x = &r->exts[i];

        if (!x->enabled || rext_instance(x)->desc.role != XSW_ROLE_FORWARD)
            continue;
        if (first)
            return dp_forward_conflict(x->ec, first->ec, err);
        first = x;
    }
    return 0;
}

/* The file's order if the file changed it (names or their order), else
 * the switch's present order, new instances in place of old ones. */
static void
plan_order(struct reload *r)
{
    const struct xsw_config *o = r->dp->cfg;
    bool same = o->n_exts == r->cfg->n_exts;
    uint32_t i, j;

    for (i = 0; same && i < o->n_exts; i++)
        same = !strcmp(o->exts[i].name, r->cfg->exts[i].name);
    for (i = 0; i < r->cfg->n_exts; i++) {
        if (!same) {
            r->order[i] = rext_instance(&r->exts[i]);
            continue;
        }
        for (j = 0; j < r->cfg->n_exts; j++)
            if (!strcmp(r->exts[j].ec->name, r->dp->order[i]->name))
                r->order[i] = rext_instance(&r->exts[j]);
    }
}

static void
exts_undo(struct reload *r)
{
    uint32_t i;

    for (i = 0; i < r->cfg->n_exts; i++)
        dp_ext_free(r->dp, r->exts[i].fresh);
}

static void
exts_commit(struct reload *r)
{
    struct dp *dp = r->dp;
    uint32_t i;

    for (i = 0; i < r->cfg->n_exts; i++) {
        struct rext *x = &r->exts[i];

        rext_instance(x)->enabled = x->enabled;
        rext_instance(x)->cfg_enabled = x->ec->enabled;
        if (x->act == REXT_REPLACE)
            capture_ext_replaced(dp, x->old, x->fresh);
    }
    for (i = 0; i < r->n_gone; i++)
        capture_ext_replaced(dp, r->gone[i], NULL);
    memcpy(dp->order, r->order, r->cfg->n_exts * sizeof *dp->order);
    dp->n_exts = r->cfg->n_exts;
    dp_chain_rebuild(dp);
    for (i = 0; i < r->cfg->n_exts; i++)
        if (r->exts[i].act == REXT_REPLACE)
            dp_ext_free(dp, r->exts[i].old);
    for (i = 0; i < r->n_gone; i++)
        dp_ext_free(dp, r->gone[i]);
}

/* --- The config itself ------------------------------------------------ */

static bool
cfg_in_use(const struct dp *dp, const struct xsw_config *cfg)
{
    uint32_t i;

    for (i = 0; i < dp->n_exts; i++)
        if (dp->order[i]->cfg >= cfg->exts &&
            dp->order[i]->cfg < cfg->exts + cfg->n_exts)
            return true;
    return false;
}

/* The new config becomes the switch's.  The old one is kept while an
 * instance made from it lives; the first one belongs to whoever created
 * the switch and is never freed here. */
static void
config_commit(struct reload *r)
{
    struct dp *dp = r->dp;
    struct dp_old_cfg **pp = &dp->old_cfgs, *c;

    if (dp->cfg_owned && (c = calloc(1, sizeof *c))) {
        c->cfg = (struct xsw_config *) dp->cfg;
        c->next = dp->old_cfgs;
        dp->old_cfgs = c;
    } else if (dp->cfg_owned) {
        dp_log(dp, XSW_LOG_WARN,
               "reload: out of memory: the previous "
               "config is not freed");
    }
    dp->cfg = r->cfg;
    dp->cfg_owned = true;
    r->cfg = NULL;
    fdb_set_aging(dp->fdb, dp->cfg->fdb_aging_ns);
    while ((c = *pp)) {
        if (cfg_in_use(dp, c->cfg)) {
            pp = &c->next;
            continue;
        }
        *pp = c->next;
        config_free(c->cfg);
        free(c);
    }
}

/* --- The report ------------------------------------------------------- */

static void
names_add(json_t *o, const char *key, const char *name)
{
    json_t *a = json_object_get(o, key);

    if (!a) {
        a = json_array();
        json_object_set_new(o, key, a);
    }
    json_array_append_new(a, json_string(name));
}

static json_t *
report_ports(const struct reload *r)
{
    static const char *const acts[] = {[RPORT_KEEP] = "unchanged",
                                       [RPORT_VLAN] = "vlan",
                                       [RPORT_REOPEN] = "reopened",
                                       [RPORT_ADD] = "added"};
    json_t *o = json_object();
    uint32_t i;

    for (i = 0; i < r->cfg->n_ports; i++)
        names_add(o, acts[r->ports[i].act], r->ports[i].pc->name);
    for (i = 0; i < r->n_ports_before; i++)
        if (r->dp->ports[i].leaving)
            names_add(o, "removed", r->dp->ports[i].name);
    return o;
}

static json_t *
report_exts(const struct reload *r)
{
    json_t *o = json_object(), *order = json_array();
    uint32_t i;

    for (i = 0; i < r->cfg->n_exts; i++) {
        const struct rext *x = &r->exts[i];

        names_add(o,
                  x->act == REXT_ADD    ? "added"
                  : x->act == REXT_KEEP ? "unchanged"
                  : x->restored         ? "replaced (state restored)"
                                        : "replaced (state not kept)",
                  x->ec->name);
        if (x->old && x->old->enabled != x->enabled)
            names_add(o, x->enabled ? "enabled" : "disabled", x->ec->name);
        json_array_append_new(order, json_string(r->order[i]->name));
    }
    for (i = 0; i < r->n_gone; i++)
        names_add(o, "removed", r->gone[i]->name);
    json_object_set_new(o, "order", order);
    return o;
}

/* --- Running it ------------------------------------------------------- */

static uint64_t
kinds(const json_t *report, const char *part, const char *kind)
{
    return json_array_size(
        json_object_get(json_object_get(report, part), kind));
}

static void
log_applied(struct dp *dp, const json_t *r)
{
    const char *rs = "replaced (state restored)";

    dp_event(
        dp, XSW_LOG_INFO, "reload.ok",
        LOG_FIELDS(
            LOG_STR("file", dp->cfg->tree->file),
            LOG_U64("ports_added", kinds(r, "ports", "added")),
            LOG_U64("ports_removed", kinds(r, "ports", "removed")),
            LOG_U64("ports_reopened", kinds(r, "ports", "reopened")),
            LOG_U64("ports_vlan", kinds(r, "ports", "vlan")),
            LOG_U64("extensions_added", kinds(r, "extensions", "added")),
            LOG_U64("extensions_removed", kinds(r, "extensions", "removed")),
            LOG_U64("extensions_replaced",
                    kinds(r, "extensions", rs) +
                        kinds(r, "extensions", "replaced (state not kept)")),
            LOG_U64("extensions_restored", kinds(r, "extensions", rs))),
        "reload: %s applied", dp->cfg->tree->file);
}

static int
prepare(struct reload *r, struct xsw_err *err)
{
    int ret;

    if ((ret = check_fixed(r->dp->cfg, r->cfg, err)) ||
        (ret = plan_ports(r, err)) || (ret = ports_add(r, err)) ||
        (ret = exts_prepare(r, err)) || (ret = check_forward(r, err)) ||
        (ret = ports_reopen(r, err)))
        return ret;
    plan_order(r);
    return 0;
}

int
reload_run(struct dp *dp, json_t **report, struct xsw_err *err)
{
    const char *file = dp->cfg->tree->file;
    struct reload *r = calloc(1, sizeof *r);
    int ret;

    *report = NULL;
    if (!r)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    r->dp = dp;
    r->n_ports_before = dp->n_ports;
    if ((ret = config_load(file, &r->cfg, err)))
        goto out;
    dp->reloading = true;
    ret = prepare(r, err);
    dp->reloading = false;
    if (ret) {
        exts_undo(r);
        ports_undo(r);
        config_free(r->cfg);
        goto out;
    }
    *report = json_pack("{s:s, s:o, s:o}", "file", file, "ports",
                        report_ports(r), "extensions", report_exts(r));
    exts_commit(r);
    ports_commit(r);
    config_commit(r);
    log_applied(dp, *report);
out:
    if (ret)
        dp_event(dp, XSW_LOG_ERR, "reload.failed",
                 LOG_FIELDS(LOG_STR("file", file), LOG_STR("error", err->msg)),
                 "reload refused, the switch runs on as before: %s", err->msg);
    free(r);
    return ret;
}
