#include "ft_table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/field.h>

#include "ft_match.h"

/* What the loader carries from one config node to the next. */
struct loader {
    const struct xsw_host *host;
    struct xsw_ctx *ctx;
    struct ft_table *table;
};

/* A rule's ingress ports, before the rule is inserted once per port. */
struct in_ports {
    uint32_t n;
    uint16_t *ids; /* Owned by the caller of parse_match(). */
};

static const char *const top_keys[] = {"default", "groups", "rules", NULL};
static const char *const group_keys[] = {"name", "ports", NULL};
static const char *const rule_keys[] = {"name", "priority", "match", "action",
                                        NULL};
static const char *const action_keys[] = {"output", "group", NULL};
static const char *const match_keys[] = {
    "in_port",  "src_mac",   "dst_mac", "ethertype", "vlan",
    "pcp",      "src_ip",    "dst_ip",  "ip_proto",  "src_port",
    "dst_port", "tcp_flags", "dscp",    NULL,
};

static int load_default(struct loader *, const struct xsw_cfg *root);
static int load_groups(struct loader *, const struct xsw_cfg *list);
static int load_group(struct loader *, const struct xsw_cfg *node,
                      struct ft_group *);
static int load_rules(struct loader *, const struct xsw_cfg *list);
static int load_rule(struct loader *, const struct xsw_cfg *node,
                     uint32_t index, struct in_ports *);
static int parse_match(struct loader *, const struct xsw_cfg *node,
                       struct ft_match *, struct in_ports *);
static int parse_match_fields(struct loader *, const struct xsw_cfg *node,
                              struct ft_match *);
static int parse_match_addrs(struct loader *, const struct xsw_cfg *node,
                             struct ft_match *);
static int parse_match_l4(struct loader *, const struct xsw_cfg *node,
                          struct ft_match *);
static int parse_in_ports(struct loader *, const struct xsw_cfg *node,
                          struct in_ports *);
static int parse_action(struct loader *, const struct xsw_cfg *node,
                        struct ft_action *);
static int parse_output(struct loader *, const struct xsw_cfg *node,
                        struct ft_action *);
static int parse_group_ref(struct loader *, const struct xsw_cfg *node,
                           struct ft_action *);
static int parse_verb(const char *word, struct ft_action *);
static int lookup_port(struct loader *, const struct xsw_cfg *node,
                       uint16_t *id);
static int get_scalar(struct loader *, const struct xsw_cfg *map,
                      const char *key, const struct xsw_cfg **node,
                      const char **text);
static int get_list(struct loader *, const struct xsw_cfg *node, uint32_t max,
                    const char *what, uint32_t *n);
static int insert_rule(struct loader *, const struct ft_match *,
                       uint32_t priority, uint32_t index,
                       const struct in_ports *);
static char *format_name(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

int
ft_table_load(struct ft_table *table, const struct xsw_host *host,
              struct xsw_ctx *ctx, const struct xsw_cfg *config)
{
    struct loader ld = {.host = host, .ctx = ctx, .table = table};
    int ret;

    memset(table, 0, sizeof *table);
    table->cls = ft_cls_create();
    table->misses = host->counter_new(ctx, "table misses");
    if (!table->cls || !table->misses)
        return host->error(ctx, -ENOMEM, "out of memory");
    ret = host->cfg_keys(ctx, config, top_keys);
    if (!ret)
        ret = load_default(&ld, config);
    if (!ret && config)
        ret = load_groups(&ld, host->cfg_get(ctx, config, "groups"));
    if (!ret && config)
        ret = load_rules(&ld, host->cfg_get(ctx, config, "rules"));
    if (!ret && ft_cls_build(table->cls))
        ret = host->error(ctx, -ENOMEM, "out of memory building the table");
    return ret;
}

void
ft_table_clear(struct ft_table *table)
{
    for (uint32_t i = 0; i < table->n_rules; i++)
        free(table->rules[i].counter_name);
    free(table->rules);
    for (uint32_t i = 0; i < table->n_groups; i++) {
        struct ft_group *g = &table->groups[i];

        for (uint32_t j = 0; g->counter_names && j < g->n_ports; j++)
            free(g->counter_names[j]);
        free(g->counter_names);
        free(g->selected);
        free(g->ports);
    }
    free(table->groups);
    ft_cls_destroy(table->cls);
    memset(table, 0, sizeof *table);
}

static int
load_default(struct loader *ld, const struct xsw_cfg *root)
{
    const struct xsw_cfg *node;
    const char *word;
    int ret = get_scalar(ld, root, "default", &node, &word);

    if (ret)
        return ret;
    if (!word)
        word = "normal";
    if (parse_verb(word, &ld->table->miss))
        return ld->host->cfg_error(ld->ctx, node, -EINVAL,
                                   "bad default '%s' (want normal, drop "
                                   "or flood)",
                                   word);
    return 0;
}

static int
load_groups(struct loader *ld, const struct xsw_cfg *list)
{
    struct ft_table *t = ld->table;
    uint32_t n;
    int ret = get_list(ld, list, FT_GROUPS_MAX, "groups", &n);

    if (ret || !n)
        return ret;
    t->groups = calloc(n, sizeof *t->groups);
    if (!t->groups)
        return ld->host->error(ld->ctx, -ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const struct xsw_cfg *node = ld->host->cfg_at(ld->ctx, list, i);

        t->n_groups = i + 1;
        ret = load_group(ld, node, &t->groups[i]);
        if (ret)
            return ret;
    }
    return 0;
}

static int
load_group(struct loader *ld, const struct xsw_cfg *node, struct ft_group *g)
{
    const struct xsw_host *h = ld->host;
    const struct xsw_cfg *ports, *name_node;
    uint32_t n;
    int ret = h->cfg_keys(ld->ctx, node, group_keys);

    if (!ret)
        ret = get_scalar(ld, node, "name", &name_node, &g->name);
    if (ret)
        return ret;
    if (!g->name)
        return h->cfg_error(ld->ctx, node, -EINVAL, "missing name");
    for (const struct ft_group *o = ld->table->groups; o < g; o++)
        if (!strcmp(o->name, g->name))
            return h->cfg_error(ld->ctx, name_node, -EINVAL,
                                "duplicate group name '%s'", g->name);
    ports = h->cfg_get(ld->ctx, node, "ports");
    if (!ports)
        return h->cfg_error(ld->ctx, node, -EINVAL, "missing ports");
    ret = get_list(ld, ports, FT_GROUP_PORTS_MAX, "ports", &n);
    if (ret)
        return ret;
    if (!n)
        return h->cfg_error(ld->ctx, ports, -EINVAL,
                            "want at least one port name");
    g->ports = calloc(n, sizeof *g->ports);
    g->selected = calloc(n, sizeof *g->selected);
    g->counter_names = calloc(n, sizeof *g->counter_names);
    if (!g->ports || !g->selected || !g->counter_names)
        return h->error(ld->ctx, -ENOMEM, "out of memory");
    g->n_ports = n;
    for (uint32_t i = 0; i < n; i++) {
        const struct xsw_cfg *item = h->cfg_at(ld->ctx, ports, i);
        const char *pname;

        ret = lookup_port(ld, item, &g->ports[i]);
        if (ret)
            return ret;
        pname = h->port_name(ld->ctx, g->ports[i]);
        for (uint32_t j = 0; j < i; j++)
            if (g->ports[j] == g->ports[i])
                return h->cfg_error(ld->ctx, item, -EINVAL,
                                    "port '%s' is listed twice", pname);
        g->counter_names[i] = format_name("group %s %s", g->name, pname);
        if (!g->counter_names[i])
            return h->error(ld->ctx, -ENOMEM, "out of memory");
        g->selected[i] = h->counter_new(ld->ctx, g->counter_names[i]);
        if (!g->selected[i])
            return h->cfg_error(ld->ctx, item, -EINVAL,
                                "counter '%s' already exists",
                                g->counter_names[i]);
    }
    return 0;
}

static int
load_rules(struct loader *ld, const struct xsw_cfg *list)
{
    struct ft_table *t = ld->table;
    struct in_ports ports = {0};
    uint32_t n;
    int ret = get_list(ld, list, FT_RULES_MAX, "rules", &n);

    if (ret || !n)
        return ret;
    t->rules = calloc(n, sizeof *t->rules);
    ports.ids = calloc(ld->host->port_count(ld->ctx) + 1, sizeof *ports.ids);
    if (!t->rules || !ports.ids) {
        ret = ld->host->error(ld->ctx, -ENOMEM, "out of memory");
        goto out_free_ports;
    }
    for (uint32_t i = 0; i < n && !ret; i++) {
        t->n_rules = i + 1;
        ret = load_rule(ld, ld->host->cfg_at(ld->ctx, list, i), i, &ports);
    }
out_free_ports:
    free(ports.ids);
    return ret;
}

static int
load_rule(struct loader *ld, const struct xsw_cfg *node, uint32_t index,
          struct in_ports *ports)
{
    const struct xsw_host *h = ld->host;
    struct ft_rule *r = &ld->table->rules[index];
    const struct xsw_cfg *name_node, *action;
    struct ft_match match;
    uint64_t priority;
    int ret = h->cfg_keys(ld->ctx, node, rule_keys);

    if (!ret)
        ret = get_scalar(ld, node, "name", &name_node, &r->name);
    if (!ret)
        ret = h->cfg_u64(ld->ctx, node, "priority", FT_PRIORITY_DEFAULT, 0,
                         65535, &priority);
    if (!ret)
        ret =
            parse_match(ld, h->cfg_get(ld->ctx, node, "match"), &match, ports);
    if (ret)
        return ret;
    action = h->cfg_get(ld->ctx, node, "action");
    if (!action)
        return h->cfg_error(ld->ctx, node, -EINVAL, "missing action");
    ret = parse_action(ld, action, &r->action);
    if (ret)
        return ret;

    r->counter_name = r->name ? format_name("%s hits", r->name)
                              : format_name("rule %u hits", index);
    if (!r->counter_name)
        return h->error(ld->ctx, -ENOMEM, "out of memory");
    r->hits = h->counter_new(ld->ctx, r->counter_name);
    if (!r->hits)
        return h->cfg_error(ld->ctx, r->name ? name_node : node, -EINVAL,
                            "counter '%s' already exists (rule names "
                            "must be unique)",
                            r->counter_name);
    return insert_rule(ld, &match, (uint32_t) priority, index, ports);
}

static int
insert_rule(struct loader *ld, const struct ft_match *match, uint32_t priority,
            uint32_t index, const struct in_ports *ports)
{
    struct ft_match m = *match;
    int ret = 0;

    if (!ports->n)
        ret = ft_cls_insert(ld->table->cls, &m, priority, index);
    for (uint32_t i = 0; i < ports->n && !ret; i++) {
        ft_match_set_in_port(&m, ports->ids[i]);
        ret = ft_cls_insert(ld->table->cls, &m, priority, index);
    }
    if (ret)
        return ld->host->error(ld->ctx, ret, "out of memory");
    return 0;
}

static int
parse_match(struct loader *ld, const struct xsw_cfg *node, struct ft_match *m,
            struct in_ports *ports)
{
    const char *why;
    int ret = ld->host->cfg_keys(ld->ctx, node, match_keys);

    ft_match_init(m);
    ports->n = 0;
    if (!node)
        return ret; /* No match: every packet. */
    if (!ret)
        ret = parse_in_ports(ld, ld->host->cfg_get(ld->ctx, node, "in_port"),
                             ports);
    if (!ret)
        ret = parse_match_fields(ld, node, m);
    if (!ret)
        ret = parse_match_addrs(ld, node, m);
    if (!ret)
        ret = parse_match_l4(ld, node, m);
    if (ret)
        return ret;
    ret = ft_match_finish(m, &why);
    if (ret)
        return ld->host->cfg_error(ld->ctx, node, ret, "%s", why);
    return 0;
}

/* The L2 fields and the small L3 ones. */
static int
parse_match_fields(struct loader *ld, const struct xsw_cfg *node,
                   struct ft_match *m)
{
    const struct xsw_host *h = ld->host;
    static const char *const mac_keys[2] = {"src_mac", "dst_mac"};
    const struct xsw_cfg *f;
    const char *text, *why;
    uint64_t v;
    int ret;

    for (int d = FT_SRC; d <= FT_DST; d++) {
        uint8_t mac[6], mask[6];

        ret = get_scalar(ld, node, mac_keys[d], &f, &text);
        if (ret)
            return ret;
        if (!text)
            continue;
        if (xsw_field_parse_mac(text, mac, mask, &why))
            return h->cfg_error(ld->ctx, f, -EINVAL, "bad MAC '%s': %s", text,
                                why);
        ft_match_set_mac(m, (enum ft_dir) d, mac, mask);
    }
    ret = get_scalar(ld, node, "ethertype", &f, &text);
    if (!ret && text) {
        uint16_t et;

        if (xsw_field_parse_ethertype(text, &et, &why))
            return h->cfg_error(ld->ctx, f, -EINVAL, "bad ethertype '%s': %s",
                                text, why);
        ft_match_set_ethertype(m, et);
    }
    if (!ret && h->cfg_get(ld->ctx, node, "vlan")) {
        ret = h->cfg_u64(ld->ctx, node, "vlan", 0, 1, 4094, &v);
        ft_match_set_vlan(m, (uint16_t) v);
    }
    if (!ret && h->cfg_get(ld->ctx, node, "pcp")) {
        ret = h->cfg_u64(ld->ctx, node, "pcp", 0, 0, 7, &v);
        ft_match_set_pcp(m, (uint8_t) v);
    }
    if (!ret && h->cfg_get(ld->ctx, node, "dscp")) {
        ret = h->cfg_u64(ld->ctx, node, "dscp", 0, 0, 63, &v);
        ft_match_set_dscp(m, (uint8_t) v);
    }
    if (!ret)
        ret = get_scalar(ld, node, "ip_proto", &f, &text);
    if (!ret && text) {
        uint8_t proto;

        if (xsw_field_parse_ip_proto(text, &proto, &why))
            return h->cfg_error(ld->ctx, f, -EINVAL, "bad ip_proto '%s': %s",
                                text, why);
        ft_match_set_ip_proto(m, proto);
    }
    return ret;
}

static int
parse_match_addrs(struct loader *ld, const struct xsw_cfg *node,
                  struct ft_match *m)
{
    static const char *const ip_keys[2] = {"src_ip", "dst_ip"};

    for (int d = FT_SRC; d <= FT_DST; d++) {
        const struct xsw_cfg *f;
        const char *text, *why;
        struct xsw_field_prefix p;
        int ret = get_scalar(ld, node, ip_keys[d], &f, &text);

        if (ret)
            return ret;
        if (!text)
            continue;
        if (xsw_field_parse_prefix(text, &p, &why))
            return ld->host->cfg_error(ld->ctx, f, -EINVAL,
                                       "bad prefix '%s': %s", text, why);
        if (ft_match_set_ip(m, (enum ft_dir) d, p.family, p.addr, p.mask,
                            &why))
            return ld->host->cfg_error(ld->ctx, f, -EINVAL, "%s", why);
    }
    return 0;
}

static int
parse_match_l4(struct loader *ld, const struct xsw_cfg *node,
               struct ft_match *m)
{
    static const char *const port_keys[2] = {"src_port", "dst_port"};
    const struct xsw_cfg *f;
    const char *text, *why;
    int ret;

    for (int d = FT_SRC; d <= FT_DST; d++) {
        uint16_t lo, hi;

        ret = get_scalar(ld, node, port_keys[d], &f, &text);
        if (ret)
            return ret;
        if (!text)
            continue;
        if (xsw_field_parse_port_range(text, &lo, &hi, &why))
            return ld->host->cfg_error(ld->ctx, f, -EINVAL,
                                       "bad port range '%s': %s", text, why);
        ft_match_set_port_range(m, (enum ft_dir) d, lo, hi);
    }
    ret = get_scalar(ld, node, "tcp_flags", &f, &text);
    if (!ret && text) {
        uint8_t value, mask;

        if (xsw_field_parse_tcp_flags(text, &value, &mask, &why))
            return ld->host->cfg_error(ld->ctx, f, -EINVAL,
                                       "bad TCP flags '%s': %s", text, why);
        ft_match_set_tcp_flags(m, value, mask);
    }
    return ret;
}

/* in_port: one name or a list of names. */
static int
parse_in_ports(struct loader *ld, const struct xsw_cfg *node,
               struct in_ports *ports)
{
    const struct xsw_host *h = ld->host;
    uint32_t n;
    int ret;

    if (!node)
        return 0;
    if (h->cfg_type(ld->ctx, node) == XSW_CFG_SCALAR) {
        ports->n = 1;
        return lookup_port(ld, node, &ports->ids[0]);
    }
    ret = get_list(ld, node, h->port_count(ld->ctx), "in_port", &n);
    if (ret)
        return ret;
    if (!n)
        return h->cfg_error(ld->ctx, node, -EINVAL,
                            "want at least one port name");
    for (uint32_t i = 0; i < n; i++) {
        const struct xsw_cfg *item = h->cfg_at(ld->ctx, node, i);

        ret = lookup_port(ld, item, &ports->ids[i]);
        if (ret)
            return ret;
        for (uint32_t j = 0; j < i; j++)
            if (ports->ids[j] == ports->ids[i])
                return h->cfg_error(ld->ctx, item, -EINVAL,
                                    "port '%s' is listed twice",
                                    h->cfg_str(ld->ctx, item));
        ports->n = i + 1;
    }
    return 0;
}

/* An action is a word (flood, drop, normal) or a map with one key
 * (output: ports, group: name). */
static int
parse_action(struct loader *ld, const struct xsw_cfg *node,
             struct ft_action *a)
{
    const struct xsw_host *h = ld->host;
    const struct xsw_cfg *v;
    int ret;

    memset(a, 0, sizeof *a);
    if (h->cfg_type(ld->ctx, node) == XSW_CFG_SCALAR) {
        const char *word = h->cfg_str(ld->ctx, node);

        if (parse_verb(word, a))
            return h->cfg_error(ld->ctx, node, -EINVAL,
                                "unknown action '%s' (want output, group, "
                                "flood, drop or normal)",
                                word);
        return 0;
    }
    ret = h->cfg_keys(ld->ctx, node, action_keys);
    if (ret)
        return ret;
    if (h->cfg_len(ld->ctx, node) != 1)
        return h->cfg_error(ld->ctx, node, -EINVAL,
                            "an action has exactly one of output or group");
    v = h->cfg_get(ld->ctx, node, "output");
    if (v)
        return parse_output(ld, v, a);
    return parse_group_ref(ld, h->cfg_get(ld->ctx, node, "group"), a);
}

/* output: one port name or a list of up to XSW_OUT_PORTS_MAX. */
static int
parse_output(struct loader *ld, const struct xsw_cfg *node,
             struct ft_action *a)
{
    const struct xsw_host *h = ld->host;
    uint32_t n;
    int ret;

    a->type = FT_ACT_OUTPUT;
    if (h->cfg_type(ld->ctx, node) == XSW_CFG_SCALAR) {
        a->n_ports = 1;
        return lookup_port(ld, node, &a->ports[0]);
    }
    ret = get_list(ld, node, XSW_OUT_PORTS_MAX, "output", &n);
    if (ret)
        return ret;
    if (!n)
        return h->cfg_error(ld->ctx, node, -EINVAL,
                            "want at least one port name");
    for (uint32_t i = 0; i < n; i++) {
        const struct xsw_cfg *item = h->cfg_at(ld->ctx, node, i);

        ret = lookup_port(ld, item, &a->ports[i]);
        if (ret)
            return ret;
        for (uint32_t j = 0; j < i; j++)
            if (a->ports[j] == a->ports[i])
                return h->cfg_error(ld->ctx, item, -EINVAL,
                                    "port '%s' is listed twice",
                                    h->cfg_str(ld->ctx, item));
        a->n_ports = (uint8_t) (i + 1);
    }
    return 0;
}

static int
parse_group_ref(struct loader *ld, const struct xsw_cfg *node,
                struct ft_action *a)
{
    const struct ft_table *t = ld->table;
    const char *name = ld->host->cfg_str(ld->ctx, node);

    if (!name)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL,
                                   "want a group name, not a list or map");
    for (uint32_t i = 0; i < t->n_groups; i++) {
        if (!strcmp(t->groups[i].name, name)) {
            a->type = FT_ACT_GROUP;
            a->group = (uint16_t) i;
            return 0;
        }
    }
    return ld->host->cfg_error(ld->ctx, node, -EINVAL, "unknown group '%s'",
                               name);
}

/* The actions that take no argument. */
static int
parse_verb(const char *word, struct ft_action *a)
{
    static const struct {
        const char *word;
        uint8_t type;
    } verbs[] = {
        {"normal", FT_ACT_NORMAL},
        {"flood", FT_ACT_FLOOD},
        {"drop", FT_ACT_DROP},
    };

    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (!strcmp(word, verbs[i].word)) {
            memset(a, 0, sizeof *a);
            a->type = verbs[i].type;
            return 0;
        }
    }
    return -EINVAL;
}

static int
lookup_port(struct loader *ld, const struct xsw_cfg *node, uint16_t *id)
{
    const char *name = ld->host->cfg_str(ld->ctx, node);
    int32_t port;

    if (!name)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL,
                                   "want a port name, not a list or map");
    port = ld->host->port_lookup(ld->ctx, name);
    if (port < 0)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL, "unknown port '%s'",
                                   name);
    *id = (uint16_t) port;
    return 0;
}

/* Reads optional scalar 'key' of 'map': '*text' is NULL when absent, and
 * '*node' the node to locate errors at. */
static int
get_scalar(struct loader *ld, const struct xsw_cfg *map, const char *key,
           const struct xsw_cfg **node, const char **text)
{
    *node = map ? ld->host->cfg_get(ld->ctx, map, key) : NULL;
    *text = NULL;
    if (!*node)
        return 0;
    *text = ld->host->cfg_str(ld->ctx, *node);
    if (!*text)
        return ld->host->cfg_error(ld->ctx, *node, -EINVAL,
                                   "want a single value, not a list or "
                                   "map");
    return 0;
}

/* Checks that 'node' (may be NULL: empty) is a list of at most 'max'. */
static int
get_list(struct loader *ld, const struct xsw_cfg *node, uint32_t max,
         const char *what, uint32_t *n)
{
    *n = 0;
    if (!node)
        return 0;
    if (ld->host->cfg_type(ld->ctx, node) != XSW_CFG_SEQ)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL, "%s must be a list",
                                   what);
    *n = ld->host->cfg_len(ld->ctx, node);
    if (*n > max)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL,
                                   "%s has %u entries, at most %u allowed",
                                   what, *n, max);
    return 0;
}

/* A malloc()ed counter name; NULL when out of memory. */
static char *
format_name(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = n < 0 ? NULL : malloc((size_t) n + 1);
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t) n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}
