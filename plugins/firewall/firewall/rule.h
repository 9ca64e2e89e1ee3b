/* Firewall rules
 * ==============
 * A rule decides the fate of a new connection from its first packet: the
 * first rule whose every field matches wins, and its action (allow, deny,
 * reject) applies; when none matches, the firewall's default does.  Later
 * packets of an allowed connection, in both directions, never meet the
 * rules: the connection table passes them.
 *
 * Fields left out match everything.  A rule with an IPv4 prefix matches
 * only IPv4, likewise IPv6; 'icmp' implies IPv4 and 'icmpv6' IPv6.  Port
 * ranges match TCP and UDP only (the config reader insists on the
 * protocol).  Direction is relative to the ports the operator calls
 * inside and outside: 'in' is a connection opened from an outside port,
 * 'out' one opened from an inside port; a port that is neither matches
 * only rules without a direction.
 *
 * This file holds the matching, which needs no configuration tree, so the
 * unit tests exercise it directly.  The texts of prefixes, port ranges and
 * protocols are read by the SDK's parsers (xsw/field.h), the same for
 * every extension. */
#ifndef FW_RULE_H
#define FW_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/field.h>

#include "fw-tuple.h"

enum rule_action {
    RULE_ALLOW,
    RULE_DENY,
    RULE_REJECT,
};

/* A rule's 'direction', and a packet's direction from its ingress port. */
enum rule_dir {
    RULE_DIR_ANY, /* Rule: any direction.  Packet: neither in nor out. */
    RULE_DIR_IN,  /* Opened from an outside port. */
    RULE_DIR_OUT, /* Opened from an inside port. */
};

struct rule {
    uint8_t action;              /* enum rule_action. */
    uint8_t dir;                 /* enum rule_dir. */
    uint8_t family;              /* 0 (any), 4 or 6. */
    uint8_t match_proto;         /* Nonzero: 'proto' must match. */
    uint8_t proto;               /* IP protocol number. */
    struct xsw_field_prefix src; /* Source prefix (all zero: any). */
    struct xsw_field_prefix dst; /* Destination prefix. */
    uint16_t sport_lo;           /* Source port range, inclusive... */
    uint16_t sport_hi;           /* ...0-65535 for any. */
    uint16_t dport_lo;           /* Destination port range. */
    uint16_t dport_hi;
    uint16_t from_port; /* Ingress switch port; XSW_PORT_NONE: any. */
    uint16_t to_port;   /* Egress switch port; XSW_PORT_NONE: any. */
    uint64_t *hits;     /* Connections it decided: a core counter
                         * (NULL in unit tests). */
    const char *name;   /* For logs; lives as long as the config. */
};

/** rule_init - a rule that matches everything and allows. */
void rule_init(struct rule *r);

/**
 * rule_matches - does 'r' match the first packet of connection 't'?
 * @param dir       the packet's enum rule_dir from its ingress port
 * @param in_port   the ingress switch port
 * @param out_port  the egress switch port, or XSW_PORT_NONE when it is not
 *                  known yet (on ingress): then 'to_port' is not checked,
 *                  and a rule with one matches as far as its other fields
 *                  go, for the caller to decide again on egress
 */
bool rule_matches(const struct rule *r, const struct fw_tuple *t, uint8_t dir,
                  uint16_t in_port, uint16_t out_port);

/**
 * rule_first_match - the index of the first of 'n' rules matching, or -1
 * Arguments as rule_matches().
 */
int32_t rule_first_match(const struct rule *rules, uint32_t n,
                         const struct fw_tuple *t, uint8_t dir,
                         uint16_t in_port, uint16_t out_port);

/** rule_proto_family - 4 for icmp, 6 for icmpv6, else 0. */
uint8_t rule_proto_family(uint8_t proto);

#endif
