/* Reading the acl configuration
 * =============================
 * Turns the extension's 'config:' subtree into what the packet path needs:
 * one compiled rule array per direction (acl_rule.h), the two defaults and
 * the ARP responder's table (acl_arp.h), registering every rule's hit
 * counter on the way.  Every value is checked here, through the host's
 * cfg getters, so a mistake is an error naming file:line:col and the
 * offending key, and nothing is left to discover per packet.
 *
 *   config:
 *     default: pass | drop            ingress packets no rule matches
 *     egress_default: pass | drop     egress packets no rule matches
 *     rules:                          first match wins, in this order
 *       - name: web                   optional; the counter '<name> hits'
 *         direction: ingress | egress | both     default ingress
 *         match: { in_port: p1, ip_proto: tcp, dst_port: 80, ... }
 *         action: pass | drop          required
 *         modify: [ { set_dscp: 46 }, pop_vlan, ... ]   only with pass
 *     arp_responder:
 *       - { ip: 10.0.0.1, mac: 02:00:00:00:00:01 }
 *
 * A rule in direction 'both' is compiled into both arrays; the copies
 * share its counter, bitmaps, program and actions, which the rule in
 * 'rules' owns.  docs/extensions/acl.md lists every key. */
#ifndef ACL_CONFIG_H
#define ACL_CONFIG_H

#include <stdint.h>

#include <xsw/host.h>

#include "acl_arp.h"
#include "acl_rule.h"

/* The rules of one direction and what happens when none matches. */
struct acl_rule_set {
    struct acl_rule *rules; /* Owned array of copies, in config order. */
    uint32_t n;
    uint8_t def;            /* XSW_PASS or XSW_DROP: no rule matched. */
    uint64_t *default_hits; /* Counter, owned by the host. */
};

struct acl_config {
    struct acl_rule *rules; /* Owned: every rule, in config order; owns
                             * the pointers inside. */
    uint32_t n_rules;
    uint32_t n_ports;            /* Ports the rules' bitmaps cover. */
    struct acl_rule_set ingress; /* 'default', counter 'default hits'. */
    struct acl_rule_set egress;  /* 'egress_default', counter
                                  * 'egress default hits'. */
    struct acl_arp_table arp;    /* Sorted, possibly empty. */
};

/**
 * acl_config_load - read 'root' into 'cfg'
 * @param root  the 'config:' node; NULL means no rules, default pass
 * @return 0, or a negative errno after cfg_error()/error() said why; on
 *         failure 'cfg' holds nothing to free.  Call from create() only
 *         (it registers counters).
 */
int acl_config_load(struct acl_config *cfg, const struct xsw_host *host,
                    struct xsw_ctx *ctx, const struct xsw_cfg *root);

/** acl_config_free - free what acl_config_load() made; zeroes 'cfg'. */
void acl_config_free(struct acl_config *cfg);

#endif
