#include "ft_match.h"

#include <errno.h>
#include <string.h>

#define ETH_IPV4 0x0800u
#define ETH_IPV6 0x86ddu
#define PROTO_TCP 6u
#define PROTO_UDP 17u

static void require_kind(struct ft_match *, uint8_t bits);
static uint16_t prefix_mask16(uint16_t lo, uint16_t hi);

void
ft_match_init(struct ft_match *m)
{
    memset(m, 0, sizeof *m);
}

void
ft_match_set_in_port(struct ft_match *m, uint16_t port)
{
    m->key.in_port = port;
    m->mask.in_port = 0xffff;
}

void
ft_match_set_vlan(struct ft_match *m, uint16_t vid)
{
    m->key.vlan = vid;
    m->mask.vlan = 0xffff;
}

void
ft_match_set_pcp(struct ft_match *m, uint8_t pcp)
{
    m->key.pcp = pcp;
    m->mask.pcp = 0xff;
}

void
ft_match_set_ethertype(struct ft_match *m, uint16_t ethertype)
{
    m->key.ethertype = ethertype;
    m->mask.ethertype = 0xffff;
    m->has_ethertype = 1;
    m->needs |= FT_NEED_ETH;
}

void
ft_match_set_ip_proto(struct ft_match *m, uint8_t proto)
{
    m->key.ip_proto = proto;
    m->mask.ip_proto = 0xff;
    m->needs |= FT_NEED_IP;
}

void
ft_match_set_dscp(struct ft_match *m, uint8_t dscp)
{
    m->key.dscp = dscp;
    m->mask.dscp = 0xff;
    m->needs |= FT_NEED_IP;
}

void
ft_match_set_mac(struct ft_match *m, enum ft_dir dir, const uint8_t mac[6],
                 const uint8_t mask[6])
{
    uint8_t *k = dir == FT_SRC ? m->key.src_mac : m->key.dst_mac;
    uint8_t *km = dir == FT_SRC ? m->mask.src_mac : m->mask.dst_mac;

    for (int i = 0; i < 6; i++) {
        km[i] = mask[i];
        k[i] = mac[i] & mask[i];
    }
    m->needs |= FT_NEED_ETH;
}

int
ft_match_set_ip(struct ft_match *m, enum ft_dir dir, int family,
                const uint8_t addr[16], const uint8_t mask[16],
                const char **why)
{
    uint8_t *k = dir == FT_SRC ? m->key.src_ip : m->key.dst_ip;
    uint8_t *km = dir == FT_SRC ? m->mask.src_ip : m->mask.dst_ip;
    int n = family == 4 ? 4 : 16;

    if (m->ip_family && m->ip_family != family) {
        *why = "src_ip and dst_ip are of different address families";
        return -EINVAL;
    }
    m->ip_family = (uint8_t) family;
    for (int i = 0; i < n; i++) {
        km[i] = mask[i];
        k[i] = addr[i] & mask[i];
    }
    return 0;
}

void
ft_match_set_port_range(struct ft_match *m, enum ft_dir dir, uint16_t lo,
                        uint16_t hi)
{
    uint16_t mask = prefix_mask16(lo, hi);
    uint16_t value = lo & mask;
    /* A prefix block is exactly value .. value|~mask: no residual. */
    int exact = lo == value && hi == (uint16_t) (value | (uint16_t) ~mask);

    if (dir == FT_SRC) {
        m->key.src_port = value;
        m->mask.src_port = mask;
        m->src_lo = lo;
        m->src_hi = hi;
        if (!exact)
            m->has_range |= FT_RANGE_SRC;
    } else {
        m->key.dst_port = value;
        m->mask.dst_port = mask;
        m->dst_lo = lo;
        m->dst_hi = hi;
        if (!exact)
            m->has_range |= FT_RANGE_DST;
    }
    m->needs |= FT_NEED_PORTS;
}

void
ft_match_set_tcp_flags(struct ft_match *m, uint8_t value, uint8_t mask)
{
    m->key.tcp_flags = value & mask;
    m->mask.tcp_flags = mask;
    m->needs |= FT_NEED_TCP;
}

int
ft_match_finish(struct ft_match *m, const char **why)
{
    uint16_t et = m->key.ethertype;
    bool et_any = !m->has_ethertype;
    bool has_proto = m->mask.ip_proto != 0;
    uint8_t proto = m->key.ip_proto;

    *why = NULL;
    if (m->ip_family == 4 && !et_any && et != ETH_IPV4)
        *why = "an IPv4 prefix needs ethertype ipv4";
    else if (m->ip_family == 6 && !et_any && et != ETH_IPV6)
        *why = "an IPv6 prefix needs ethertype ipv6";
    else if ((m->needs & (FT_NEED_IP | FT_NEED_PORTS | FT_NEED_TCP)) &&
             !et_any && et != ETH_IPV4 && et != ETH_IPV6)
        *why = "IP fields need ethertype ipv4 or ipv6";
    else if ((m->needs & FT_NEED_TCP) && has_proto && proto != PROTO_TCP)
        *why = "tcp_flags needs ip_proto tcp";
    else if ((m->needs & FT_NEED_PORTS) && has_proto && proto != PROTO_TCP &&
             proto != PROTO_UDP)
        *why = "ports need ip_proto tcp or udp";
    if (*why)
        return -EINVAL;

    if (m->needs & FT_NEED_ETH)
        require_kind(m, FT_KIND_ETH);
    if (m->ip_family == 4)
        require_kind(m, FT_KIND_IP4);
    else if (m->ip_family == 6)
        require_kind(m, FT_KIND_IP6);
    if (m->needs & FT_NEED_IP)
        require_kind(m, FT_KIND_IP);
    if (m->needs & FT_NEED_PORTS)
        require_kind(m, FT_KIND_PORTS);
    if (m->needs & FT_NEED_TCP)
        require_kind(m, FT_KIND_TCP);
    m->needs = 0;
    return 0;
}

bool
ft_match_covers(const struct ft_match *m, const struct ft_key *key)
{
    for (int i = 0; i < FT_KEY_WORDS; i++)
        if ((key->w[i] & m->mask.w[i]) != m->key.w[i])
            return false;
    return ft_match_residual_holds(m, key);
}

static void
require_kind(struct ft_match *m, uint8_t bits)
{
    m->key.kind |= bits;
    m->mask.kind |= bits;
}

/* The mask of the leading bits that 'lo' and 'hi' share. */
static uint16_t
prefix_mask16(uint16_t lo, uint16_t hi)
{
    uint32_t diff = (uint32_t) (lo ^ hi);

    if (!diff)
        return 0xffff;
    /* 32 - clz is the bit length of diff; every bit from there down may
     * vary inside the range. */
    return (uint16_t) ~((1u << (32 - __builtin_clz(diff))) - 1);
}
