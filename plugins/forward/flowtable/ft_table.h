/* The flow table as configured
 * ============================
 * Rules (a match, a priority, one action), the port groups rules may send
 * to, and the action for packets no rule matches, loaded from the
 * extension's 'config:' subtree:
 *
 *     default: normal              # normal | drop | flood
 *     groups:
 *       - { name: web, ports: [p2, p3, p4] }
 *     rules:
 *       - name: to-web             # optional; names the hit counter
 *         priority: 100            # 0..65535, default 32768
 *         match: { dst_ip: 10.0.0.80, ip_proto: tcp, dst_port: 80 }
 *         action: { group: web }   # or { output: [p2] }, flood, drop,
 *                                  # normal
 *
 * Loading checks everything an operator can get wrong (unknown keys, port
 * and group names, values out of range, contradicting match fields) and
 * reports it at its file:line:col through the host.  Port names become ids
 * here, once, and the rules go into the classifier (ft_cls.h); a rule
 * matching several ingress ports is inserted once per port, so it stays an
 * exact match.
 *
 * Counters (registered with the host, incremented by the datapath): one per
 * rule, "<name> hits" or "rule <N> hits" (N its index in 'rules', from 0),
 * "table misses", and per group member "group <group> <port>". */
#ifndef FT_TABLE_H
#define FT_TABLE_H

#include <stdint.h>

#include <xsw/host.h>
#include <xsw/packet.h>

#include "ft_cls.h"

#define FT_RULES_MAX 100000u
#define FT_GROUPS_MAX 1024u
#define FT_GROUP_PORTS_MAX 256u
#define FT_PRIORITY_DEFAULT 32768u

/* What a rule (or a miss) does with a packet. */
enum ft_action_type {
    FT_ACT_NORMAL, /* Leave XSW_FWD_NORMAL: built-in L2 forwarding. */
    FT_ACT_OUTPUT, /* To the ports listed. */
    FT_ACT_GROUP,  /* To one member of a group, chosen by flow hash. */
    FT_ACT_FLOOD,  /* Every other port of the packet's VLAN. */
    FT_ACT_DROP,   /* Drop ("flowtable drop"/"flowtable miss"). */
};

struct ft_action {
    uint8_t type;    /* enum ft_action_type. */
    uint8_t n_ports; /* FT_ACT_OUTPUT: entries used in 'ports'. */
    uint16_t group;  /* FT_ACT_GROUP: index in ft_table.groups. */
    uint16_t ports[XSW_OUT_PORTS_MAX]; /* FT_ACT_OUTPUT: port ids. */
};

struct ft_rule {
    struct ft_action action;
    uint64_t *hits;     /* Core-owned counter. */
    const char *name;   /* Config string (lives as long as the instance),
                         * or NULL for an unnamed rule. */
    char *counter_name; /* Owned; kept while the counter exists. */
};

struct ft_group {
    const char *name; /* Config string. */
    uint32_t n_ports;
    uint16_t *ports;      /* Owned: member port ids. */
    uint64_t **selected;  /* Owned array of core-owned counters, one per
                           * member: packets sent to it. */
    char **counter_names; /* Owned, one per member. */
};

struct ft_table {
    struct ft_action miss; /* For packets no rule matches. */
    uint64_t *misses;      /* Core-owned counter "table misses". */
    struct ft_rule *rules; /* Owned; indexed by the classifier's ids. */
    uint32_t n_rules;
    struct ft_group *groups; /* Owned. */
    uint32_t n_groups;
    struct ft_cls *cls; /* Owned; built. */
};

/**
 * ft_table_load - fill 'table' from the extension's config
 * @param config  the 'config:' subtree, may be NULL (an empty table whose
 *                default is normal)
 * @return 0, or a negative errno after host->cfg_error()/error() said why;
 *         on failure 'table' holds what was loaded so far, for
 *         ft_table_clear().  Call from create() only (counters).
 */
int ft_table_load(struct ft_table *table, const struct xsw_host *host,
                  struct xsw_ctx *ctx, const struct xsw_cfg *config);

/** ft_table_clear - free what 'table' owns; a zeroed table is fine. */
void ft_table_clear(struct ft_table *table);

#endif
