#include "fw-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/field.h>

#define NS_PER_S 1000000000ull
#define DEFAULT_MAX_CONNS 65536u
#define DEFAULT_LOG_RATE 10u

/* The host table and our instance: what every reader below needs. */
struct reader {
    const struct xsw_host *host;
    struct xsw_ctx *ctx;
};

static int read_policy(const struct reader *, const struct xsw_cfg *map,
                       const char *key, int def, uint8_t *allow);
static int read_timeouts(const struct reader *, struct fw_config *,
                         const struct xsw_cfg *node);
static int read_ports(const struct reader *, struct fw_config *,
                      const struct xsw_cfg *node);
static int read_rules(const struct reader *, struct fw_config *,
                      const struct xsw_cfg *node);

int
fw_config_read(struct fw_config *cfg, const struct xsw_host *host,
               struct xsw_ctx *ctx, const struct xsw_cfg *root)
{
    static const char *const keys[] = {
        "default",  "non_ip",          "ndp",      "fragments",
        "invalid",  "max_connections", "log_rate", "ports",
        "timeouts", "rules",           NULL,
    };
    const struct reader rd = {host, ctx};
    uint64_t v;
    int ret;

    memset(cfg, 0, sizeof *cfg);
    if ((ret = host->cfg_keys(ctx, root, keys)) ||
        (ret = read_policy(&rd, root, "default", 0, &cfg->default_allow)) ||
        (ret = read_policy(&rd, root, "non_ip", 1, &cfg->non_ip_allow)) ||
        (ret = read_policy(&rd, root, "ndp", 1, &cfg->ndp_allow)) ||
        (ret =
             read_policy(&rd, root, "fragments", 1, &cfg->fragments_allow)) ||
        (ret = read_policy(&rd, root, "invalid", 0, &cfg->invalid_allow)))
        return ret;

    ret = host->cfg_u64(ctx, root, "max_connections", DEFAULT_MAX_CONNS,
                        CT_MAX_CONNS_MIN, CT_MAX_CONNS_MAX, &v);
    if (ret)
        return ret;
    cfg->max_conns = (uint32_t) v;
    ret = host->cfg_u64(ctx, root, "log_rate", DEFAULT_LOG_RATE, 0,
                        FW_LOG_RATE_MAX, &v);
    if (ret)
        return ret;
    cfg->log_rate = (uint32_t) v;

    if ((ret = read_timeouts(&rd, cfg, host->cfg_get(ctx, root, "timeouts"))))
        return ret;
    /* Ports before rules: a rule's direction needs them. */
    if ((ret = read_ports(&rd, cfg, host->cfg_get(ctx, root, "ports"))))
        return ret;
    return read_rules(&rd, cfg, host->cfg_get(ctx, root, "rules"));
}

void
fw_config_free(struct fw_config *cfg)
{
    uint32_t i;

    for (i = 0; cfg->rules && i < cfg->n_rules; i++)
        free((void *) cfg->rules[i].name);
    free(cfg->rules);
    free(cfg->port_dir);
    memset(cfg, 0, sizeof *cfg);
}

/* 'key: allow|deny'. */
static int
read_policy(const struct reader *rd, const struct xsw_cfg *map,
            const char *key, int def, uint8_t *allow)
{
    const char *s;
    int ret;

    ret = rd->host->cfg_string(rd->ctx, map, key, def ? "allow" : "deny", &s);
    if (ret)
        return ret;
    if (!strcmp(s, "allow") || !strcmp(s, "deny")) {
        *allow = !strcmp(s, "allow");
        return 0;
    }
    return rd->host->cfg_error(rd->ctx, rd->host->cfg_get(rd->ctx, map, key),
                               -EINVAL, "expected allow or deny, found '%s'",
                               s);
}

static int
read_timeouts(const struct reader *rd, struct fw_config *cfg,
              const struct xsw_cfg *node)
{
    const char *keys[CT_N_CLASSES + 1];
    uint8_t cls;
    int ret;

    for (cls = 0; cls < CT_N_CLASSES; cls++)
        keys[cls] = conntrack_class_name(cls);
    keys[CT_N_CLASSES] = NULL;
    if ((ret = rd->host->cfg_keys(rd->ctx, node, keys)))
        return ret;
    for (cls = 0; cls < CT_N_CLASSES; cls++) {
        uint64_t s;

        ret = rd->host->cfg_u64(rd->ctx, node, keys[cls],
                                conntrack_class_default_s(cls), 1,
                                FW_TIMEOUT_MAX_S, &s);
        if (ret)
            return ret;
        cfg->timeout_ns[cls] = s * NS_PER_S;
    }
    return 0;
}

/* A port name: its id, or a negative errno with the error set. */
static int
read_port_name(const struct reader *rd, const struct xsw_cfg *node)
{
    const char *name = rd->host->cfg_str(rd->ctx, node);
    int32_t id;

    if (!name)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "expected a port name");
    id = rd->host->port_lookup(rd->ctx, name);
    if (id < 0 || id >= (int32_t) XSW_PORT_NONE)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL, "unknown port '%s'",
                                   name);
    return id;
}

/* 'inside: [p1, p2]' (or one name): mark those ports with 'dir'. */
static int
read_port_list(const struct reader *rd, struct fw_config *cfg,
               const struct xsw_cfg *node, uint8_t dir)
{
    uint32_t type = rd->host->cfg_type(rd->ctx, node);
    uint32_t i, n;

    if (type == XSW_CFG_NONE)
        return 0;
    if (type == XSW_CFG_MAP)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "expected a list of port names");
    n = type == XSW_CFG_SEQ ? rd->host->cfg_len(rd->ctx, node) : 1;
    for (i = 0; i < n; i++) {
        const struct xsw_cfg *item =
            type == XSW_CFG_SEQ ? rd->host->cfg_at(rd->ctx, node, i) : node;
        int id = read_port_name(rd, item);

        if (id < 0)
            return id;
        if ((uint32_t) id >= cfg->n_ports)
            continue; /* Cannot happen: ids come from the same host. */
        if (cfg->port_dir[id] != RULE_DIR_ANY && cfg->port_dir[id] != dir)
            return rd->host->cfg_error(rd->ctx, item, -EINVAL,
                                       "port '%s' is both inside and outside",
                                       rd->host->cfg_str(rd->ctx, item));
        cfg->port_dir[id] = dir;
    }
    return 0;
}

static int
read_ports(const struct reader *rd, struct fw_config *cfg,
           const struct xsw_cfg *node)
{
    static const char *const keys[] = {"inside", "outside", NULL};
    int ret;

    cfg->n_ports = rd->host->port_count(rd->ctx);
    cfg->port_dir = calloc(cfg->n_ports ? cfg->n_ports : 1, 1);
    if (!cfg->port_dir)
        return rd->host->error(rd->ctx, -ENOMEM, "out of memory");
    if (!node)
        return 0;
    if ((ret = rd->host->cfg_keys(rd->ctx, node, keys)))
        return ret;
    cfg->has_ports = 1;
    /* A packet entering on an inside port goes out, and vice versa. */
    ret = read_port_list(rd, cfg, rd->host->cfg_get(rd->ctx, node, "inside"),
                         RULE_DIR_OUT);
    if (ret)
        return ret;
    return read_port_list(rd, cfg, rd->host->cfg_get(rd->ctx, node, "outside"),
                          RULE_DIR_IN);
}

/* A scalar 'key' of 'map' that must be one of 'words' (NULL-terminated);
 * sets '*out' to its index, leaves it alone when the key is absent. */
static int
read_word(const struct reader *rd, const struct xsw_cfg *map, const char *key,
          const char *const *words, const char *expected, uint8_t *out)
{
    const struct xsw_cfg *node = rd->host->cfg_get(rd->ctx, map, key);
    const char *s;
    uint8_t i;
    int ret;

    if (!node)
        return 0;
    if ((ret = rd->host->cfg_string(rd->ctx, map, key, NULL, &s)))
        return ret;
    for (i = 0; words[i]; i++) {
        if (!strcmp(s, words[i])) {
            *out = i;
            return 0;
        }
    }
    return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                               "expected %s, found '%s'", expected, s);
}

/* The rule's address family so far, and which key set it, so that a
 * conflict can name both. */
struct family_of {
    uint8_t family;
    const char *from;
};

static int
set_family(const struct reader *rd, struct family_of *f, uint8_t family,
           const char *from, const struct xsw_cfg *node)
{
    if (!family)
        return 0;
    if (f->family && f->family != family)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "an IPv%u prefix, but %s is IPv%u", family,
                                   f->from, f->family);
    f->family = family;
    f->from = from;
    return 0;
}

static int
read_prefix(const struct reader *rd, const struct xsw_cfg *rule,
            const char *key, struct xsw_field_prefix *p, struct family_of *fam)
{
    const struct xsw_cfg *node = rd->host->cfg_get(rd->ctx, rule, key);
    char addr[INET6_ADDRSTRLEN];
    const char *s, *why;
    int ret;

    if (!node)
        return 0;
    if ((ret = rd->host->cfg_string(rd->ctx, rule, key, NULL, &s)))
        return ret;
    if (xsw_field_parse_prefix(s, p, &why) == 0)
        return set_family(rd, fam, p->family, key, node);
    if (!p->family)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "bad prefix '%s': %s", s, why);
    /* Only bits past the length are set: 'p' is what was probably meant. */
    inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, addr, sizeof addr);
    return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                               "bad prefix '%s': %s (did you mean %s/%u?)", s,
                               why, addr, p->len);
}

static int
read_proto(const struct reader *rd, const struct xsw_cfg *rule, struct rule *r,
           struct family_of *fam)
{
    const struct xsw_cfg *node = rd->host->cfg_get(rd->ctx, rule, "proto");
    const char *s, *why;
    int ret;

    if (!node)
        return 0;
    if ((ret = rd->host->cfg_string(rd->ctx, rule, "proto", NULL, &s)))
        return ret;
    if (xsw_field_parse_ip_proto(s, &r->proto, &why) < 0)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "bad proto '%s': %s", s, why);
    r->match_proto = 1;
    return set_family(rd, fam, rule_proto_family(r->proto),
                      r->proto == 1 ? "proto icmp" : "proto icmpv6", node);
}

static int
read_port_range(const struct reader *rd, const struct xsw_cfg *rule,
                const struct rule *r, const char *key, uint16_t *lo,
                uint16_t *hi)
{
    const struct xsw_cfg *node = rd->host->cfg_get(rd->ctx, rule, key);
    const char *s, *why;
    int ret;

    if (!node)
        return 0;
    if (!r->match_proto || (r->proto != 6 && r->proto != 17))
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "ports need proto tcp or udp");
    if ((ret = rd->host->cfg_string(rd->ctx, rule, key, NULL, &s)))
        return ret;
    if (xsw_field_parse_port_range(s, lo, hi, &why) < 0)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "bad port range '%s': %s", s, why);
    return 0;
}

static int
read_switch_port(const struct reader *rd, const struct xsw_cfg *rule,
                 const char *key, uint16_t *port)
{
    const struct xsw_cfg *node = rd->host->cfg_get(rd->ctx, rule, key);
    int id;

    if (!node)
        return 0;
    id = read_port_name(rd, node);
    if (id < 0)
        return id;
    *port = (uint16_t) id;
    return 0;
}

/* 'name:' and the label the rule goes by in counters and logs. */
static int
read_rule_name(const struct reader *rd, const struct xsw_cfg *rule,
               uint32_t index, struct rule *r)
{
    const char *name;
    char *label;
    size_t size;
    int ret;

    if ((ret = rd->host->cfg_string(rd->ctx, rule, "name", NULL, &name)))
        return ret;
    if (name && !name[0])
        return rd->host->cfg_error(rd->ctx,
                                   rd->host->cfg_get(rd->ctx, rule, "name"),
                                   -EINVAL, "empty rule name");
    size = (name ? strlen(name) : 10) + sizeof "rule ";
    label = malloc(size);
    if (!label)
        return rd->host->error(rd->ctx, -ENOMEM, "out of memory");
    if (name)
        snprintf(label, size, "rule %s", name);
    else
        snprintf(label, size, "rule %u", index);
    r->name = label;
    return 0;
}

static int
read_rule(const struct reader *rd, struct fw_config *cfg,
          const struct xsw_cfg *node, uint32_t index, struct rule *r)
{
    static const char *const keys[] = {
        "name", "action", "direction", "from_port", "to_port", "src",
        "dst",  "proto",  "src_port",  "dst_port",  NULL,
    };
    static const char *const actions[] = {"allow", "deny", "reject", NULL};
    static const char *const dirs[] = {"any", "in", "out", NULL};
    struct family_of fam = {0, NULL};
    const struct xsw_cfg *dir;
    int ret;

    rule_init(r);
    if ((ret = rd->host->cfg_keys(rd->ctx, node, keys)) ||
        (ret = read_rule_name(rd, node, index, r)))
        return ret;
    if (!rd->host->cfg_get(rd->ctx, node, "action"))
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "missing key 'action'");
    if ((ret = read_word(rd, node, "action", actions, "allow, deny or reject",
                         &r->action)) ||
        (ret = read_word(rd, node, "direction", dirs, "in, out or any",
                         &r->dir)))
        return ret;
    dir = rd->host->cfg_get(rd->ctx, node, "direction");
    if (r->dir != RULE_DIR_ANY && !cfg->has_ports)
        return rd->host->cfg_error(rd->ctx, dir, -EINVAL,
                                   "'%s' needs 'ports' to say which ports "
                                   "are inside and outside",
                                   rd->host->cfg_str(rd->ctx, dir));
    if ((ret = read_switch_port(rd, node, "from_port", &r->from_port)) ||
        (ret = read_switch_port(rd, node, "to_port", &r->to_port)) ||
        (ret = read_proto(rd, node, r, &fam)) ||
        (ret = read_prefix(rd, node, "src", &r->src, &fam)) ||
        (ret = read_prefix(rd, node, "dst", &r->dst, &fam)) ||
        (ret = read_port_range(rd, node, r, "src_port", &r->sport_lo,
                               &r->sport_hi)) ||
        (ret = read_port_range(rd, node, r, "dst_port", &r->dport_lo,
                               &r->dport_hi)))
        return ret;
    r->family = fam.family;
    if (r->to_port != XSW_PORT_NONE)
        cfg->to_port_rules = 1;
    return 0;
}

static int
read_rules(const struct reader *rd, struct fw_config *cfg,
           const struct xsw_cfg *node)
{
    uint32_t i, j, n;
    int ret;

    if (!node)
        return 0;
    if (rd->host->cfg_type(rd->ctx, node) != XSW_CFG_SEQ)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "expected a list of rules");
    n = rd->host->cfg_len(rd->ctx, node);
    if (n > FW_RULES_MAX)
        return rd->host->cfg_error(rd->ctx, node, -EINVAL,
                                   "%u rules, at most %u are allowed", n,
                                   FW_RULES_MAX);
    cfg->rules = calloc(n ? n : 1, sizeof *cfg->rules);
    if (!cfg->rules)
        return rd->host->error(rd->ctx, -ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const struct xsw_cfg *item = rd->host->cfg_at(rd->ctx, node, i);

        cfg->n_rules = i + 1; /* So that fw_config_free() frees its name. */
        if ((ret = read_rule(rd, cfg, item, i, &cfg->rules[i])))
            return ret;
        for (j = 0; j < i; j++)
            if (!strcmp(cfg->rules[j].name, cfg->rules[i].name))
                return rd->host->cfg_error(
                    rd->ctx, rd->host->cfg_get(rd->ctx, item, "name"), -EINVAL,
                    "duplicate rule name '%s'", cfg->rules[i].name + 5);
    }
    return 0;
}
