#include "flow_key.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>

#define ETH_HDR_SIZE 14u

/* The parser fills ip_version (and the addresses) only for an IP header it
 * accepted. */
static bool
is_ip(const struct xsw_packet *pkt)
{
    return pkt->ip_version == 4 || pkt->ip_version == 6;
}

enum flow_class
flow_key_classify(const struct xsw_packet *pkt)
{
    if (pkt->size < ETH_HDR_SIZE)
        return FLOW_CLASS_RUNT;
    if (!is_ip(pkt))
        return FLOW_CLASS_NON_IP;
    switch (pkt->ip_proto) {
    case FLOW_IPPROTO_TCP:
        return FLOW_CLASS_TCP;
    case FLOW_IPPROTO_UDP:
        return FLOW_CLASS_UDP;
    case FLOW_IPPROTO_ICMP:
    case FLOW_IPPROTO_ICMPV6:
        return FLOW_CLASS_ICMP;
    default:
        return FLOW_CLASS_OTHER_IP;
    }
}

/* memcmp()'s order of two 16-byte addresses, as two big-endian words:
 * memcmp() of a constant 16 bytes is still a call into libc when its sign
 * is used (2.7% of a replay through the demo chain, by perf). */
static inline int
addr_cmp(const uint8_t a[16], const uint8_t b[16])
{
    uint64_t x[2], y[2];
    int i;

    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    for (i = 0; i < 2; i++) {
        uint64_t u = be64toh(x[i]), v = be64toh(y[i]);

        if (u != v)
            return u < v ? -1 : 1;
    }
    return 0;
}

/* Orders the endpoints; returns the endpoint the sender ended up as. */
static unsigned
canonicalize(struct flow_key *key)
{
    int c = addr_cmp(key->addr[0], key->addr[1]);
    uint8_t addr[16];
    uint16_t port;

    if (c < 0 || (c == 0 && key->port[0] <= key->port[1]))
        return 0;
    memcpy(addr, key->addr[0], sizeof(addr));
    memcpy(key->addr[0], key->addr[1], sizeof(addr));
    memcpy(key->addr[1], addr, sizeof(addr));
    port = key->port[0];
    key->port[0] = key->port[1];
    key->port[1] = port;
    return 1;
}

unsigned
flow_key_from_packet(const struct xsw_packet *pkt, enum flow_class class,
                     struct flow_key *key, uint32_t *hash)
{
    memset(key, 0, sizeof(*key));
    key->vlan = pkt->vlan;
    key->ethertype = pkt->ethertype;
    *hash = pkt->flow_hash;
    if (class == FLOW_CLASS_NON_IP) {
        /* Frame bytes: destination MAC at 0, source MAC at 6. */
        key->kind = FLOW_KIND_ETH;
        memcpy(key->addr[0], pkt->data + 6, 6);
        memcpy(key->addr[1], pkt->data, 6);
        return canonicalize(key);
    }
    key->kind = pkt->ip_version;
    key->proto = pkt->ip_proto;
    memcpy(key->addr[0], pkt->src_ip, 16);
    memcpy(key->addr[1], pkt->dst_ip, 16);
    if (class != FLOW_CLASS_ICMP && !(pkt->flags & XSW_PKT_F_IP_FRAG)) {
        key->port[0] = pkt->src_port;
        key->port[1] = pkt->dst_port;
    }
    return canonicalize(key);
}

bool
flow_key_has_ports(const struct flow_key *key)
{
    return key->kind != FLOW_KIND_ETH &&
           (key->proto == FLOW_IPPROTO_TCP || key->proto == FLOW_IPPROTO_UDP);
}

static int
cmp_u(unsigned a, unsigned b)
{
    return (a > b) - (a < b);
}

int
flow_key_cmp(const struct flow_key *a, const struct flow_key *b)
{
    int c;
    unsigned e;

    if ((c = cmp_u(a->vlan, b->vlan)) || (c = cmp_u(a->kind, b->kind)) ||
        (c = cmp_u(a->proto, b->proto)) ||
        (c = cmp_u(a->ethertype, b->ethertype)))
        return c;
    for (e = 0; e < 2; e++) {
        if ((c = memcmp(a->addr[e], b->addr[e], sizeof(a->addr[e]))) ||
            (c = cmp_u(a->port[e], b->port[e])))
            return c;
    }
    return 0;
}

const char *
flow_addr_format(uint8_t kind, const uint8_t addr[16], char *buf,
                 unsigned size)
{
    if (kind == FLOW_KIND_IPV4)
        inet_ntop(AF_INET, addr, buf, size);
    else if (kind == FLOW_KIND_IPV6)
        inet_ntop(AF_INET6, addr, buf, size);
    else
        snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", addr[0], addr[1],
                 addr[2], addr[3], addr[4], addr[5]);
    return buf;
}
