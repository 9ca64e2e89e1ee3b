#include "acl_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <xsw/extension.h>
#include <xsw/field.h>

/* What every parsing function needs: the host to read and report with. */
struct acl_loader {
    const struct xsw_host *host;
    struct xsw_ctx *ctx;
    struct acl_config *cfg;
    pcap_t *pcap; /* Opened on the first 'bpf' key, for pcap_compile(). */
};

typedef int (*acl_match_fn)(struct acl_loader *ld, const struct xsw_cfg *match,
                            const char *key, const struct xsw_cfg *value,
                            struct acl_rule *r);

static int acl_match_ports(struct acl_loader *, const struct xsw_cfg *,
                           const char *, const struct xsw_cfg *,
                           struct acl_rule *);
static int acl_match_mac(struct acl_loader *, const struct xsw_cfg *,
                         const char *, const struct xsw_cfg *,
                         struct acl_rule *);
static int acl_match_ethertype(struct acl_loader *, const struct xsw_cfg *,
                               const char *, const struct xsw_cfg *,
                               struct acl_rule *);
static int acl_match_small(struct acl_loader *, const struct xsw_cfg *,
                           const char *, const struct xsw_cfg *,
                           struct acl_rule *);
static int acl_match_prefix(struct acl_loader *, const struct xsw_cfg *,
                            const char *, const struct xsw_cfg *,
                            struct acl_rule *);
static int acl_match_ip_proto(struct acl_loader *, const struct xsw_cfg *,
                              const char *, const struct xsw_cfg *,
                              struct acl_rule *);
static int acl_match_range(struct acl_loader *, const struct xsw_cfg *,
                           const char *, const struct xsw_cfg *,
                           struct acl_rule *);
static int acl_match_tcp_flags(struct acl_loader *, const struct xsw_cfg *,
                               const char *, const struct xsw_cfg *,
                               struct acl_rule *);
static int acl_match_bpf(struct acl_loader *, const struct xsw_cfg *,
                         const char *, const struct xsw_cfg *,
                         struct acl_rule *);

/* The keys of 'match', their parsers and the ACL_M_* bit each sets. */
#define ACL_MATCH_KEYS(_)                                                     \
    _("in_port", acl_match_ports, ACL_M_IN_PORT)                              \
    _("out_port", acl_match_ports, ACL_M_OUT_PORT)                            \
    _("src_mac", acl_match_mac, ACL_M_SRC_MAC)                                \
    _("dst_mac", acl_match_mac, ACL_M_DST_MAC)                                \
    _("ethertype", acl_match_ethertype, ACL_M_ETHERTYPE)                      \
    _("vlan", acl_match_small, ACL_M_VLAN)                                    \
    _("pcp", acl_match_small, ACL_M_PCP)                                      \
    _("src_ip", acl_match_prefix, ACL_M_SRC_IP)                               \
    _("dst_ip", acl_match_prefix, ACL_M_DST_IP)                               \
    _("ip_proto", acl_match_ip_proto, ACL_M_IP_PROTO)                         \
    _("src_port", acl_match_range, ACL_M_SRC_PORT)                            \
    _("dst_port", acl_match_range, ACL_M_DST_PORT)                            \
    _("tcp_flags", acl_match_tcp_flags, ACL_M_TCP_FLAGS)                      \
    _("dscp", acl_match_small, ACL_M_DSCP)                                    \
    _("bpf", acl_match_bpf, ACL_M_BPF)

static const struct acl_match_key {
    const char *key;
    acl_match_fn parse;
    uint32_t bit;
} acl_match_keys[] = {
#define ACL_MATCH_ROW(k, fn, bit) {k, fn, bit},
    ACL_MATCH_KEYS(ACL_MATCH_ROW)
#undef ACL_MATCH_ROW
};

static const char *const acl_match_key_names[] = {
#define ACL_MATCH_NAME(k, fn, bit) k,
    ACL_MATCH_KEYS(ACL_MATCH_NAME)
#undef ACL_MATCH_NAME
        NULL};

static const char *const acl_root_keys[] = {"default", "egress_default",
                                            "rules", "arp_responder", NULL};
static const char *const acl_rule_keys[] = {"name",   "direction", "match",
                                            "action", "modify",    NULL};
static const char *const acl_action_keys[] = {
#define ACL_ACTION_KEY(e, s) s,
    ACL_ACTION_TYPES(ACL_ACTION_KEY)
#undef ACL_ACTION_KEY
        NULL};
static const char *const acl_push_vlan_keys[] = {"vid", "pcp", NULL};
static const char *const acl_arp_keys[] = {"ip", "mac", NULL};
static const char *const acl_verdict_names[] = {"pass", "drop", NULL};
static const char *const acl_dir_names[] = {"ingress", "egress", "both", NULL};

static int acl_load_rules(struct acl_loader *ld, const struct xsw_cfg *root);
static int acl_load_rule(struct acl_loader *ld, const struct xsw_cfg *node,
                         uint32_t index, struct acl_rule *r);
static int acl_load_counter(struct acl_loader *ld, const struct xsw_cfg *node,
                            uint32_t index, struct acl_rule *r);
static int acl_load_match(struct acl_loader *ld, const struct xsw_cfg *match,
                          struct acl_rule *r);
static int acl_check_match(struct acl_loader *ld, const struct xsw_cfg *match,
                           const struct acl_rule *r);
static int acl_load_actions(struct acl_loader *ld, const struct xsw_cfg *list,
                            struct acl_rule *r);
static int acl_load_action(struct acl_loader *ld, const struct xsw_cfg *item,
                           struct acl_action *a);
static int acl_load_action_value(struct acl_loader *ld,
                                 const struct xsw_cfg *item, const char *key,
                                 struct acl_action *a);
static int acl_load_arp(struct acl_loader *ld, const struct xsw_cfg *root);
static int acl_load_arp_entry(struct acl_loader *ld,
                              const struct xsw_cfg *node,
                              struct acl_arp_entry *e);
static int acl_split_directions(struct acl_config *cfg);
static int acl_enum(struct acl_loader *ld, const struct xsw_cfg *map,
                    const char *key, const char *const *names, uint32_t def,
                    uint32_t *out);
static int acl_scalar(struct acl_loader *ld, const struct xsw_cfg *node,
                      const char **text);
static int acl_mac_value(struct acl_loader *ld, const struct xsw_cfg *node,
                         uint8_t mac[6]);
static int acl_port_bit(struct acl_loader *ld, const struct xsw_cfg *node,
                        uint64_t *bits);

int
acl_config_load(struct acl_config *cfg, const struct xsw_host *host,
                struct xsw_ctx *ctx, const struct xsw_cfg *root)
{
    struct acl_loader ld = {.host = host, .ctx = ctx, .cfg = cfg};
    uint32_t v;
    int ret;

    memset(cfg, 0, sizeof *cfg);
    cfg->n_ports = host->port_count(ctx);
    ret = host->cfg_keys(ctx, root, acl_root_keys);
    if (ret < 0)
        return ret;
    ret = acl_enum(&ld, root, "default", acl_verdict_names, XSW_PASS, &v);
    if (ret < 0)
        return ret;
    cfg->ingress.def = (uint8_t) v;
    ret =
        acl_enum(&ld, root, "egress_default", acl_verdict_names, XSW_PASS, &v);
    if (ret < 0)
        return ret;
    cfg->egress.def = (uint8_t) v;
    cfg->ingress.default_hits = host->counter_new(ctx, "default hits");
    cfg->egress.default_hits = host->counter_new(ctx, "egress default hits");
    if (!cfg->ingress.default_hits || !cfg->egress.default_hits)
        return host->error(ctx, -ENOMEM, "cannot register counters");
    ret = acl_load_rules(&ld, root);
    if (ret == 0)
        ret = acl_load_arp(&ld, root);
    if (ret == 0 && acl_split_directions(cfg) < 0)
        ret = host->error(ctx, -ENOMEM, "out of memory");
    if (ld.pcap)
        pcap_close(ld.pcap);
    if (ret < 0)
        acl_config_free(cfg);
    return ret;
}

void
acl_config_free(struct acl_config *cfg)
{
    uint32_t i;

    for (i = 0; i < cfg->n_rules; i++) {
        struct acl_rule *r = &cfg->rules[i];
        struct bpf_program prog = {.bf_len = r->bpf_len, .bf_insns = r->bpf};

        free(r->in_ports);
        free(r->out_ports);
        free(r->actions);
        if (r->bpf)
            pcap_freecode(&prog);
    }
    free(cfg->rules);
    free(cfg->ingress.rules);
    free(cfg->egress.rules);
    free(cfg->arp.entries);
    memset(cfg, 0, sizeof *cfg);
}

static int
acl_load_rules(struct acl_loader *ld, const struct xsw_cfg *root)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *list = host->cfg_get(ld->ctx, root, "rules");
    struct acl_config *cfg = ld->cfg;
    uint32_t i, n;
    int ret;

    if (!list)
        return 0;
    if (host->cfg_type(ld->ctx, list) != XSW_CFG_SEQ)
        return host->cfg_error(ld->ctx, list, -EINVAL, "want a list of rules");
    n = host->cfg_len(ld->ctx, list);
    if (n > ACL_RULES_MAX)
        return host->cfg_error(ld->ctx, list, -EINVAL,
                               "too many rules: %u (at most %u)", n,
                               ACL_RULES_MAX);
    cfg->rules = calloc(n ? n : 1, sizeof *cfg->rules);
    if (!cfg->rules)
        return host->error(ld->ctx, -ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        /* Counted before parsing, so a failed rule's allocations are
         * freed with the others. */
        cfg->n_rules = i + 1;
        ret = acl_load_rule(ld, host->cfg_at(ld->ctx, list, i), i,
                            &cfg->rules[i]);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int
acl_load_rule(struct acl_loader *ld, const struct xsw_cfg *node,
              uint32_t index, struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *modify = host->cfg_get(ld->ctx, node, "modify");
    uint32_t v;
    int ret;

    if (host->cfg_type(ld->ctx, node) != XSW_CFG_MAP)
        return host->cfg_error(ld->ctx, node, -EINVAL,
                               "want a rule (a map with match and action)");
    ret = host->cfg_keys(ld->ctx, node, acl_rule_keys);
    if (ret < 0)
        return ret;
    acl_rule_init(r);
    r->index = index;
    if (!host->cfg_get(ld->ctx, node, "action"))
        return host->cfg_error(ld->ctx, node, -EINVAL,
                               "missing action (pass or drop)");
    ret = acl_enum(ld, node, "action", acl_verdict_names, XSW_PASS, &v);
    if (ret < 0)
        return ret;
    r->verdict = (uint8_t) v;
    ret = acl_enum(ld, node, "direction", acl_dir_names, 0, &v);
    if (ret < 0)
        return ret;
    r->dir = (uint8_t) (v + 1); /* ingress, egress, both -> ACL_DIR_*. */
    ret = acl_load_match(ld, host->cfg_get(ld->ctx, node, "match"), r);
    if (ret < 0)
        return ret;
    if (modify && r->verdict != XSW_PASS)
        return host->cfg_error(ld->ctx, modify, -EINVAL,
                               "modify needs action: pass");
    ret = acl_load_actions(ld, modify, r);
    if (ret < 0)
        return ret;
    return acl_load_counter(ld, node, index, r);
}

/* Registers '<name> hits', or 'rule <index> hits' for a nameless rule. */
static int
acl_load_counter(struct acl_loader *ld, const struct xsw_cfg *node,
                 uint32_t index, struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *name_node = host->cfg_get(ld->ctx, node, "name");
    char counter[160];
    int ret;

    if (name_node) {
        ret = acl_scalar(ld, name_node, &r->name);
        if (ret < 0)
            return ret;
        if (!r->name[0] || strlen(r->name) > 120)
            return host->cfg_error(ld->ctx, name_node, -EINVAL,
                                   "want a name of 1..120 characters");
        snprintf(counter, sizeof counter, "%s hits", r->name);
    } else {
        snprintf(counter, sizeof counter, "rule %u hits", index);
    }
    r->hits = host->counter_new(ld->ctx, counter);
    if (!r->hits)
        return host->cfg_error(ld->ctx, name_node ? name_node : node, -EINVAL,
                               "counter '%s' is already used", counter);
    return 0;
}

static int
acl_load_match(struct acl_loader *ld, const struct xsw_cfg *match,
               struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    uint32_t i;
    int ret;

    ret = host->cfg_keys(ld->ctx, match, acl_match_key_names);
    if (ret < 0)
        return ret;
    for (i = 0; i < XSW_ARRAY_SIZE(acl_match_keys); i++) {
        const struct acl_match_key *k = &acl_match_keys[i];
        const struct xsw_cfg *value = host->cfg_get(ld->ctx, match, k->key);

        if (!value)
            continue;
        ret = k->parse(ld, match, k->key, value, r);
        if (ret < 0)
            return ret;
        r->match |= k->bit;
    }
    return acl_check_match(ld, match, r);
}

/* Refuses combinations that could never match, which are mistakes. */
static int
acl_check_match(struct acl_loader *ld, const struct xsw_cfg *match,
                const struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *node;
    bool has_proto = r->match & ACL_M_IP_PROTO;
    uint64_t proto = acl_rule_small_get(r, ACL_SMALL_IP_PROTO, 0xff);

    node = host->cfg_get(ld->ctx, match, "out_port");
    if (node && r->dir != ACL_DIR_EGRESS)
        return host->cfg_error(ld->ctx, node, -EINVAL,
                               "out_port needs direction: egress (the "
                               "destination is chosen after ingress)");
    node = host->cfg_get(ld->ctx, match, "tcp_flags");
    if (node && has_proto && proto != 6)
        return host->cfg_error(ld->ctx, node, -EINVAL,
                               "tcp_flags needs ip_proto tcp");
    node = host->cfg_get(ld->ctx, match, "src_port");
    if (!node)
        node = host->cfg_get(ld->ctx, match, "dst_port");
    if (node && has_proto && proto != 6 && proto != 17)
        return host->cfg_error(ld->ctx, node, -EINVAL,
                               "ports need ip_proto tcp or udp");
    return 0;
}

/* in_port, out_port: one name or a list of names, as a bitmap. */
static int
acl_match_ports(struct acl_loader *ld, const struct xsw_cfg *match,
                const char *key, const struct xsw_cfg *value,
                struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    uint32_t words = (ld->cfg->n_ports + 63) / 64, i, n;
    uint64_t *bits = calloc(words ? words : 1, sizeof *bits);
    int ret = 0;

    (void) match;
    if (!bits)
        return host->error(ld->ctx, -ENOMEM, "out of memory");
    if (key[0] == 'i')
        r->in_ports = bits;
    else
        r->out_ports = bits;
    if (host->cfg_type(ld->ctx, value) != XSW_CFG_SEQ)
        return acl_port_bit(ld, value, bits);
    n = host->cfg_len(ld->ctx, value);
    if (n == 0)
        return host->cfg_error(ld->ctx, value, -EINVAL,
                               "want at least one port name");
    for (i = 0; i < n && ret == 0; i++)
        ret = acl_port_bit(ld, host->cfg_at(ld->ctx, value, i), bits);
    return ret;
}

static int
acl_match_mac(struct acl_loader *ld, const struct xsw_cfg *match,
              const char *key, const struct xsw_cfg *value, struct acl_rule *r)
{
    uint8_t mac[6], mask[6];
    const char *text, *why;
    int ret;

    (void) match;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_mac(text, mac, mask, &why) < 0)
        return ld->host->cfg_error(ld->ctx, value, -EINVAL, "bad MAC '%s': %s",
                                   text, why);
    if (key[0] == 's') {
        r->src_mac = acl_mac_u64(mac);
        r->src_mac_mask = acl_mac_u64(mask);
    } else {
        r->dst_mac = acl_mac_u64(mac);
        r->dst_mac_mask = acl_mac_u64(mask);
    }
    return 0;
}

static int
acl_match_ethertype(struct acl_loader *ld, const struct xsw_cfg *match,
                    const char *key, const struct xsw_cfg *value,
                    struct acl_rule *r)
{
    uint16_t type;
    const char *text, *why;
    int ret;

    (void) match;
    (void) key;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_ethertype(text, &type, &why) < 0)
        return ld->host->cfg_error(ld->ctx, value, -EINVAL,
                                   "bad ethertype '%s': %s", text, why);
    acl_rule_small_set(r, ACL_SMALL_ETHERTYPE, 0xffff, type);
    return 0;
}

/* vlan, pcp, dscp: plain numbers, read with the host's range check. */
static int
acl_match_small(struct acl_loader *ld, const struct xsw_cfg *match,
                const char *key, const struct xsw_cfg *value,
                struct acl_rule *r)
{
    static const struct {
        const char *key;
        uint32_t shift;
        uint64_t width; /* All ones, as wide as the field. */
        uint64_t min, max;
    } fields[] = {
        {"vlan", ACL_SMALL_VLAN, 0xfff, 1, 4094},
        {"pcp", ACL_SMALL_PCP, 0x7, 0, 7},
        {"dscp", ACL_SMALL_DSCP, 0x3f, 0, 63},
    };
    uint32_t i;
    uint64_t v;
    int ret;

    (void) value;
    for (i = 0; strcmp(fields[i].key, key) != 0; i++)
        continue;
    ret = ld->host->cfg_u64(ld->ctx, match, key, 0, fields[i].min,
                            fields[i].max, &v);
    if (ret == 0)
        acl_rule_small_set(r, fields[i].shift, fields[i].width, v);
    return ret;
}

static int
acl_match_prefix(struct acl_loader *ld, const struct xsw_cfg *match,
                 const char *key, const struct xsw_cfg *value,
                 struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    struct acl_prefix *p = key[0] == 's' ? &r->src_ip : &r->dst_ip;
    struct xsw_field_prefix fp;
    uint32_t family;
    const char *text, *why;
    int ret;

    (void) match;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_prefix(text, &fp, &why) < 0)
        return host->cfg_error(ld->ctx, value, -EINVAL, "bad prefix '%s': %s",
                               text, why);
    p->version = fp.family;
    p->len = fp.len;
    memcpy(p->addr, fp.addr, sizeof p->addr);
    memcpy(p->mask, fp.mask, sizeof p->mask);
    family = p->version == 4 ? ACL_M_IPV4 : ACL_M_IPV6;
    if (r->match & (ACL_M_IPV4 | ACL_M_IPV6) & ~family)
        return host->cfg_error(ld->ctx, value, -EINVAL,
                               "src_ip and dst_ip must be of one IP "
                               "version");
    r->match |= family;
    return 0;
}

static int
acl_match_ip_proto(struct acl_loader *ld, const struct xsw_cfg *match,
                   const char *key, const struct xsw_cfg *value,
                   struct acl_rule *r)
{
    uint8_t proto;
    const char *text, *why;
    int ret;

    (void) match;
    (void) key;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_ip_proto(text, &proto, &why) < 0)
        return ld->host->cfg_error(ld->ctx, value, -EINVAL,
                                   "bad ip_proto '%s': %s", text, why);
    acl_rule_small_set(r, ACL_SMALL_IP_PROTO, 0xff, proto);
    return 0;
}

static int
acl_match_range(struct acl_loader *ld, const struct xsw_cfg *match,
                const char *key, const struct xsw_cfg *value,
                struct acl_rule *r)
{
    const char *text, *why;
    int ret;

    (void) match;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (key[0] == 's')
        ret = xsw_field_parse_port_range(text, &r->src_port_lo,
                                         &r->src_port_hi, &why);
    else
        ret = xsw_field_parse_port_range(text, &r->dst_port_lo,
                                         &r->dst_port_hi, &why);
    if (ret < 0)
        return ld->host->cfg_error(ld->ctx, value, -EINVAL,
                                   "bad port range '%s': %s", text, why);
    return 0;
}

static int
acl_match_tcp_flags(struct acl_loader *ld, const struct xsw_cfg *match,
                    const char *key, const struct xsw_cfg *value,
                    struct acl_rule *r)
{
    uint8_t mask, flags;
    const char *text, *why;
    int ret;

    (void) match;
    (void) key;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_tcp_flags(text, &flags, &mask, &why) < 0)
        return ld->host->cfg_error(ld->ctx, value, -EINVAL,
                                   "bad TCP flags '%s': %s", text, why);
    acl_rule_small_set(r, ACL_SMALL_TCP_FLAGS, mask, flags);
    return 0;
}

/* bpf: compiled once here for Ethernet frames, run per packet with
 * bpf_filter(). */
static int
acl_match_bpf(struct acl_loader *ld, const struct xsw_cfg *match,
              const char *key, const struct xsw_cfg *value, struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    struct bpf_program prog;
    const char *text;
    int ret;

    (void) match;
    (void) key;
    ret = acl_scalar(ld, value, &text);
    if (ret < 0)
        return ret;
    if (!ld->pcap) {
        ld->pcap = pcap_open_dead(DLT_EN10MB, 65535);
        if (!ld->pcap)
            return host->error(ld->ctx, -ENOMEM, "pcap_open_dead failed");
    }
    if (pcap_compile(ld->pcap, &prog, text, 1, PCAP_NETMASK_UNKNOWN) < 0)
        return host->cfg_error(ld->ctx, value, -EINVAL,
                               "bad BPF expression '%s': %s", text,
                               pcap_geterr(ld->pcap));
    r->bpf = prog.bf_insns;
    r->bpf_len = prog.bf_len;
    return 0;
}

static int
acl_load_actions(struct acl_loader *ld, const struct xsw_cfg *list,
                 struct acl_rule *r)
{
    const struct xsw_host *host = ld->host;
    uint32_t i, n;
    int ret;

    if (!list)
        return 0;
    if (host->cfg_type(ld->ctx, list) != XSW_CFG_SEQ)
        return host->cfg_error(ld->ctx, list, -EINVAL,
                               "want a list of actions");
    n = host->cfg_len(ld->ctx, list);
    if (n > ACL_ACTIONS_MAX)
        return host->cfg_error(ld->ctx, list, -EINVAL,
                               "too many actions: %u (at most %u)", n,
                               ACL_ACTIONS_MAX);
    r->actions = calloc(n ? n : 1, sizeof *r->actions);
    if (!r->actions)
        return host->error(ld->ctx, -ENOMEM, "out of memory");
    r->n_actions = n;
    for (i = 0; i < n; i++) {
        ret = acl_load_action(ld, host->cfg_at(ld->ctx, list, i),
                              &r->actions[i]);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* An action is 'pop_vlan' alone or a one-key map such as 'set_dscp: 46'.*/
static int
acl_load_action(struct acl_loader *ld, const struct xsw_cfg *item,
                struct acl_action *a)
{
    const struct xsw_host *host = ld->host;
    const char *text;
    uint32_t t;
    int ret;

    if (host->cfg_type(ld->ctx, item) == XSW_CFG_SCALAR) {
        text = host->cfg_str(ld->ctx, item);
        if (strcmp(text, "pop_vlan") == 0) {
            a->type = ACL_ACT_POP_VLAN;
            return 0;
        }
        for (t = 0; t < ACL_ACT_N; t++)
            if (strcmp(text, acl_action_name(t)) == 0)
                return host->cfg_error(ld->ctx, item, -EINVAL,
                                       "%s needs a value ({ %s: ... })", text,
                                       text);
        return host->cfg_error(ld->ctx, item, -EINVAL, "unknown action '%s'",
                               text);
    }
    ret = host->cfg_keys(ld->ctx, item, acl_action_keys);
    if (ret < 0)
        return ret;
    if (host->cfg_len(ld->ctx, item) != 1)
        return host->cfg_error(ld->ctx, item, -EINVAL,
                               "want one action per list item");
    return acl_load_action_value(ld, item, host->cfg_key_at(ld->ctx, item, 0),
                                 a);
}

static int
acl_load_action_value(struct acl_loader *ld, const struct xsw_cfg *item,
                      const char *key, struct acl_action *a)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *value = host->cfg_get(ld->ctx, item, key);
    uint64_t v = 0, pcp = 0;
    int ret = 0;

    for (a->type = 0; a->type < ACL_ACT_N; a->type++)
        if (strcmp(key, acl_action_name(a->type)) == 0)
            break;
    switch (a->type) {
    case ACL_ACT_PUSH_VLAN:
        ret = host->cfg_keys(ld->ctx, value, acl_push_vlan_keys);
        if (ret == 0 && !host->cfg_get(ld->ctx, value, "vid"))
            ret = host->cfg_error(ld->ctx, value, -EINVAL, "missing vid");
        if (ret == 0)
            ret = host->cfg_u64(ld->ctx, value, "vid", 0, 1, 4094, &v);
        if (ret == 0)
            ret = host->cfg_u64(ld->ctx, value, "pcp", 0, 0, 7, &pcp);
        a->vid = (uint16_t) v;
        a->pcp = (uint8_t) pcp;
        return ret;
    case ACL_ACT_POP_VLAN:
        return host->cfg_error(ld->ctx, value, -EINVAL,
                               "pop_vlan takes no value: write it as a "
                               "plain list item");
    case ACL_ACT_SET_VLAN:
        ret = host->cfg_u64(ld->ctx, item, key, 0, 1, 4094, &v);
        a->vid = (uint16_t) v;
        return ret;
    case ACL_ACT_SET_PCP:
        ret = host->cfg_u64(ld->ctx, item, key, 0, 0, 7, &v);
        a->pcp = (uint8_t) v;
        return ret;
    case ACL_ACT_SET_DSCP:
        ret = host->cfg_u64(ld->ctx, item, key, 0, 0, 63, &v);
        a->dscp = (uint8_t) v;
        return ret;
    default: /* set_src_mac, set_dst_mac */
        ret = acl_mac_value(ld, value, a->mac);
        if (ret == 0 && a->type == ACL_ACT_SET_SRC_MAC && (a->mac[0] & 1))
            ret = host->cfg_error(ld->ctx, value, -EINVAL,
                                  "a source MAC must be unicast");
        return ret;
    }
}

static int
acl_load_arp(struct acl_loader *ld, const struct xsw_cfg *root)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *list = host->cfg_get(ld->ctx, root, "arp_responder");
    struct acl_arp_table *arp = &ld->cfg->arp;
    uint32_t i, j, n;
    int ret;

    if (!list)
        return 0;
    if (host->cfg_type(ld->ctx, list) != XSW_CFG_SEQ)
        return host->cfg_error(ld->ctx, list, -EINVAL,
                               "want a list of { ip, mac }");
    n = host->cfg_len(ld->ctx, list);
    if (n > ACL_ARP_MAX)
        return host->cfg_error(ld->ctx, list, -EINVAL,
                               "too many entries: %u (at most %u)", n,
                               ACL_ARP_MAX);
    arp->entries = calloc(n ? n : 1, sizeof *arp->entries);
    if (!arp->entries)
        return host->error(ld->ctx, -ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const struct xsw_cfg *node = host->cfg_at(ld->ctx, list, i);

        ret = acl_load_arp_entry(ld, node, &arp->entries[i]);
        if (ret < 0)
            return ret;
        for (j = 0; j < i; j++)
            if (arp->entries[j].ip == arp->entries[i].ip)
                return host->cfg_error(ld->ctx, node, -EINVAL,
                                       "ip is listed twice (also "
                                       "arp_responder[%u])",
                                       j);
        arp->n = i + 1;
    }
    acl_arp_sort(arp);
    return 0;
}

static int
acl_load_arp_entry(struct acl_loader *ld, const struct xsw_cfg *node,
                   struct acl_arp_entry *e)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *ip = host->cfg_get(ld->ctx, node, "ip");
    const struct xsw_cfg *mac = host->cfg_get(ld->ctx, node, "mac");
    struct in_addr addr;
    const char *text;
    int ret;

    if (host->cfg_type(ld->ctx, node) != XSW_CFG_MAP)
        return host->cfg_error(ld->ctx, node, -EINVAL, "want { ip, mac }");
    ret = host->cfg_keys(ld->ctx, node, acl_arp_keys);
    if (ret < 0)
        return ret;
    if (!ip || !mac)
        return host->cfg_error(ld->ctx, node, -EINVAL, "missing %s",
                               ip ? "mac" : "ip");
    ret = acl_scalar(ld, ip, &text);
    if (ret < 0)
        return ret;
    if (inet_pton(AF_INET, text, &addr) != 1)
        return host->cfg_error(ld->ctx, ip, -EINVAL, "bad IPv4 address '%s'",
                               text);
    e->ip = ntohl(addr.s_addr);
    ret = acl_mac_value(ld, mac, e->mac);
    if (ret == 0 && (e->mac[0] & 1))
        ret = host->cfg_error(ld->ctx, mac, -EINVAL,
                              "an ARP answer needs a unicast MAC");
    return ret;
}

/* Copies each rule into the set of every direction it applies in. */
static int
acl_split_directions(struct acl_config *cfg)
{
    uint32_t i, n = cfg->n_rules ? cfg->n_rules : 1;
    struct acl_rule_set *in = &cfg->ingress, *eg = &cfg->egress;

    in->rules = calloc(n, sizeof *in->rules);
    eg->rules = calloc(n, sizeof *eg->rules);
    if (!in->rules || !eg->rules)
        return -ENOMEM;
    for (i = 0; i < cfg->n_rules; i++) {
        const struct acl_rule *r = &cfg->rules[i];

        if (r->dir & ACL_DIR_INGRESS)
            in->rules[in->n++] = *r;
        if (r->dir & ACL_DIR_EGRESS)
            eg->rules[eg->n++] = *r;
    }
    return 0;
}

/* Reads scalar 'key' of 'map' as an index into 'names' (def if absent). */
static int
acl_enum(struct acl_loader *ld, const struct xsw_cfg *map, const char *key,
         const char *const *names, uint32_t def, uint32_t *out)
{
    const struct xsw_host *host = ld->host;
    const struct xsw_cfg *node = host->cfg_get(ld->ctx, map, key);
    char want[64] = "";
    const char *text;
    uint32_t i;
    int ret;

    *out = def;
    if (!node)
        return 0;
    ret = acl_scalar(ld, node, &text);
    if (ret < 0)
        return ret;
    for (i = 0; names[i]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 0;
        }
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s",
                 i == 0         ? ""
                 : names[i + 1] ? ", "
                                : " or ",
                 names[i]);
    }
    return host->cfg_error(ld->ctx, node, -EINVAL, "bad %s '%s' (want %s)",
                           key, text, want);
}

static int
acl_scalar(struct acl_loader *ld, const struct xsw_cfg *node,
           const char **text)
{
    *text = ld->host->cfg_str(ld->ctx, node);
    if (!*text)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL,
                                   "want a single value, not a list or map");
    return 0;
}

static int
acl_mac_value(struct acl_loader *ld, const struct xsw_cfg *node,
              uint8_t mac[6])
{
    const char *text, *why;
    int ret;

    ret = acl_scalar(ld, node, &text);
    if (ret < 0)
        return ret;
    if (xsw_field_parse_mac(text, mac, NULL, &why) < 0)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL, "bad MAC '%s': %s",
                                   text, why);
    return 0;
}

static int
acl_port_bit(struct acl_loader *ld, const struct xsw_cfg *node, uint64_t *bits)
{
    const char *name;
    int32_t id;
    int ret;

    ret = acl_scalar(ld, node, &name);
    if (ret < 0)
        return ret;
    id = ld->host->port_lookup(ld->ctx, name);
    if (id < 0 || (uint32_t) id >= ld->cfg->n_ports)
        return ld->host->cfg_error(ld->ctx, node, -EINVAL, "unknown port '%s'",
                                   name);
    bits[id >> 6] |= 1ull << (id & 63);
    return 0;
}
