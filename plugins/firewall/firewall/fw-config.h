/* Firewall configuration
 * ======================
 * Reads the extension's 'config:' subtree through the host's typed getters
 * into struct fw_config.  Every map's keys are checked, so a misspelt key
 * is an error naming its file:line:col; every value is checked where it
 * is read, and the error points at the value.  docs/extensions/firewall.md
 * lists the keys; the texts of the errors are pinned by the replay tests
 * under tests/ext/firewall/config-*.
 *
 * A rule with 'to_port' needs the packet's destination port, known only on
 * egress: 'to_port_rules' tells firewall.c to look at egress at all. */
#ifndef FW_CONFIG_H
#define FW_CONFIG_H

#include <stdint.h>

#include <xsw/host.h>

#include "conntrack.h"
#include "rule.h"

/* Limits of the numeric keys. */
#define FW_TIMEOUT_MAX_S 31536000u /* A year. */
#define FW_LOG_RATE_MAX 1000000u
/* Rule indices are 16 bits in a conn, and its two highest values are
 * CONN_RULE_NONE and CONN_RULE_RESTORED. */
#define FW_RULES_MAX 65534u

struct fw_config {
    uint32_t max_conns;                /* max_connections. */
    uint32_t log_rate;                 /* Denied-connection lines/s. */
    uint64_t timeout_ns[CT_N_CLASSES]; /* timeouts.*, in ns. */
    uint8_t default_allow;   /* 'default: allow' for unmatched conns. */
    uint8_t non_ip_allow;    /* 'non_ip: allow'. */
    uint8_t ndp_allow;       /* 'ndp: allow'. */
    uint8_t fragments_allow; /* 'fragments: allow'. */
    uint8_t invalid_allow;   /* 'invalid: allow'. */
    uint8_t to_port_rules;   /* Some rule has a to_port. */
    uint8_t has_ports;       /* 'ports:' was given. */
    uint8_t reserved;
    uint32_t n_ports;   /* Entries of port_dir. */
    uint8_t *port_dir;  /* enum rule_dir per port id; owned. */
    uint32_t n_rules;   /* Entries of rules. */
    struct rule *rules; /* Owned; each 'name' is owned too. */
};

/**
 * fw_config_read - fill 'cfg' from 'root' (NULL: all defaults)
 * @return 0, or a negative errno with the host's error set.  'cfg' must
 *         be freed with fw_config_free() in both cases.
 */
int fw_config_read(struct fw_config *cfg, const struct xsw_host *host,
                   struct xsw_ctx *ctx, const struct xsw_cfg *root);

/** fw_config_free - free what fw_config_read() allocated in 'cfg'. */
void fw_config_free(struct fw_config *cfg);

#endif
