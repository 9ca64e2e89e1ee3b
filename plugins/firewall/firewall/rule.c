#include "rule.h"

#include <string.h>

#include <xsw/packet.h>

static bool prefix_matches(const struct xsw_field_prefix *,
                           const uint8_t *addr);

void
rule_init(struct rule *r)
{
    memset(r, 0, sizeof *r);
    r->action = RULE_ALLOW;
    r->sport_hi = 65535;
    r->dport_hi = 65535;
    r->from_port = XSW_PORT_NONE;
    r->to_port = XSW_PORT_NONE;
}

bool
rule_matches(const struct rule *r, const struct fw_tuple *t, uint8_t dir,
             uint16_t in_port, uint16_t out_port)
{
    if (r->dir != RULE_DIR_ANY && r->dir != dir)
        return false;
    if (r->from_port != XSW_PORT_NONE && r->from_port != in_port)
        return false;
    if (r->to_port != XSW_PORT_NONE && out_port != XSW_PORT_NONE &&
        r->to_port != out_port)
        return false;
    if (r->family && r->family != t->family)
        return false;
    if (r->match_proto && r->proto != t->proto)
        return false;
    if (!prefix_matches(&r->src, t->src) || !prefix_matches(&r->dst, t->dst))
        return false;
    return t->sport >= r->sport_lo && t->sport <= r->sport_hi &&
           t->dport >= r->dport_lo && t->dport <= r->dport_hi;
}

int32_t
rule_first_match(const struct rule *rules, uint32_t n,
                 const struct fw_tuple *t, uint8_t dir, uint16_t in_port,
                 uint16_t out_port)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (rule_matches(&rules[i], t, dir, in_port, out_port))
            return (int32_t) i;
    return -1;
}

uint8_t
rule_proto_family(uint8_t proto)
{
    return proto == 1 ? 4 : proto == 58 ? 6 : 0;
}

static bool
prefix_matches(const struct xsw_field_prefix *p, const uint8_t *addr)
{
    uint32_t whole = p->len / 8, rest = p->len % 8;

    if (memcmp(p->addr, addr, whole) != 0)
        return false;
    return rest == 0 ||
           ((addr[whole] ^ p->addr[whole]) & (uint8_t) (0xff00u >> rest)) == 0;
}
