#include "rule.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/packet.h>

static const struct {
    const char *name;
    uint8_t number;
} proto_names[] = {
    {"icmp", 1}, {"tcp", 6},     {"udp", 17},       {"gre", 47},   {"esp", 50},
    {"ah", 51},  {"icmpv6", 58}, {"ipv6-icmp", 58}, {"sctp", 132},
};

static bool prefix_matches(const struct rule_prefix *, const uint8_t *addr);
static int parse_uint(const char *text, const char **end, uint32_t max,
                      uint32_t *out);

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

int
rule_parse_prefix(const char *text, struct rule_prefix *p)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t) (slash - text) : strlen(text);
    uint32_t len, bits, i;

    memset(p, 0, sizeof *p);
    if (alen == 0 || alen >= sizeof addr)
        return -EINVAL;
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    if (inet_pton(AF_INET, addr, p->addr) == 1)
        p->family = 4;
    else if (inet_pton(AF_INET6, addr, p->addr) == 1)
        p->family = 6;
    else
        return -EINVAL;
    bits = p->family == 4 ? 32 : 128;
    len = bits;
    if (slash) {
        const char *end;
        int ret = parse_uint(slash + 1, &end, 255, &len);

        if (ret == -ERANGE)
            return ret;
        if (ret < 0 || *end)
            return -EINVAL;
        if (len > bits)
            return -ERANGE;
    }
    p->len = (uint8_t) len;
    for (i = len; i < bits; i++)
        if (p->addr[i / 8] & (0x80u >> (i % 8)))
            return -EDOM;
    return 0;
}

int
rule_parse_ports(const char *text, uint16_t *lo, uint16_t *hi)
{
    const char *end;
    uint32_t a, b;
    int ret;

    ret = parse_uint(text, &end, 65535, &a);
    if (ret < 0)
        return ret;
    b = a;
    if (*end == '-') {
        ret = parse_uint(end + 1, &end, 65535, &b);
        if (ret < 0)
            return ret;
    }
    if (*end)
        return -EINVAL;
    if (a > b)
        return -EDOM;
    *lo = (uint16_t) a;
    *hi = (uint16_t) b;
    return 0;
}

int
rule_parse_proto(const char *text, uint8_t *proto)
{
    const char *end;
    uint32_t n;
    size_t i;

    for (i = 0; i < sizeof proto_names / sizeof proto_names[0]; i++) {
        if (strcmp(text, proto_names[i].name) == 0) {
            *proto = proto_names[i].number;
            return 0;
        }
    }
    if (parse_uint(text, &end, 255, &n) < 0 || *end)
        return -EINVAL;
    *proto = (uint8_t) n;
    return 0;
}

uint8_t
rule_proto_family(uint8_t proto)
{
    return proto == 1 ? 4 : proto == 58 ? 6 : 0;
}

static bool
prefix_matches(const struct rule_prefix *p, const uint8_t *addr)
{
    uint32_t whole = p->len / 8, rest = p->len % 8;

    if (memcmp(p->addr, addr, whole) != 0)
        return false;
    return rest == 0 ||
           ((addr[whole] ^ p->addr[whole]) & (uint8_t) (0xff00u >> rest)) == 0;
}

/* A decimal number of at most 'max', digits only (no sign, no spaces).
 * -EINVAL when there are no digits, -ERANGE above 'max'. */
static int
parse_uint(const char *text, const char **end, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    const char *p = text;

    if (*p < '0' || *p > '9')
        return -EINVAL;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t) (*p - '0');
        if (v > max)
            return -ERANGE;
        p++;
    }
    *end = p;
    *out = (uint32_t) v;
    return 0;
}
