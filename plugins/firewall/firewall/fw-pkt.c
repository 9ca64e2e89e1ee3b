#include "fw-pkt.h"

#include <string.h>

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58

#define MALFORMED_FLAGS                                                       \
    (XSW_PKT_F_L3_TRUNC | XSW_PKT_F_L3_BAD | XSW_PKT_F_L4_TRUNC |             \
     XSW_PKT_F_EXT_DEEP)

/* IPv6 extension headers the quoted packet of an ICMPv6 error may carry
 * before its L4 header; more than this and we give up. */
#define INNER_EXT_MAX 8

/* ICMP query types: each request with its reply.  Requests create
 * connections; replies only answer them. */
struct icmp_query {
    uint8_t request, reply;
};

static const struct icmp_query icmp4_queries[] = {
    {8, 0},   /* Echo. */
    {13, 14}, /* Timestamp. */
    {15, 16}, /* Information. */
    {17, 18}, /* Address mask. */
};

static const struct icmp_query icmp6_queries[] = {
    {128, 129}, /* Echo. */
    {139, 140}, /* Node information. */
};

static bool is_icmp(uint8_t family, uint8_t proto);
static enum fw_pkt_kind classify_icmp(const struct xsw_packet *,
                                      struct fw_tuple *);
static int query_request(uint8_t family, uint8_t type, bool *is_reply);

enum fw_pkt_kind
fw_pkt_classify(const struct xsw_packet *pkt, struct fw_tuple *t)
{
    const uint8_t *l4;

    /* The parser stopped before L3 (a tag cut short, or more tags than it
     * walks): 'ethertype' is a tag's type, and IP could hide behind it. */
    if (pkt->flags & (XSW_PKT_F_TAGS_DEEP | XSW_PKT_F_L2_TRUNC))
        return FW_PKT_MALFORMED;
    if (pkt->ethertype != ETH_IPV4 && pkt->ethertype != ETH_IPV6)
        return FW_PKT_NON_IP;
    if ((pkt->flags & MALFORMED_FLAGS) || pkt->ip_version == 0 ||
        pkt->l3_ofs == XSW_OFS_NONE)
        return FW_PKT_MALFORMED;
    if (pkt->flags & XSW_PKT_F_IP_LATER)
        return FW_PKT_FRAGMENT;

    memset(t, 0, sizeof *t);
    memcpy(t->src, pkt->src_ip, sizeof t->src);
    memcpy(t->dst, pkt->dst_ip, sizeof t->dst);
    t->vlan = pkt->vlan;
    t->proto = pkt->ip_proto;
    t->family = pkt->ip_version;

    if (is_icmp(t->family, t->proto))
        return classify_icmp(pkt, t);
    if (t->proto != PROTO_TCP && t->proto != PROTO_UDP)
        return FW_PKT_OTHER;

    if (pkt->l4_ofs == XSW_OFS_NONE ||
        pkt->l4_ofs + (t->proto == PROTO_TCP ? 20u : 8u) > pkt->size)
        return FW_PKT_MALFORMED;
    l4 = pkt->data + pkt->l4_ofs;
    t->sport = xsw_rd16(l4);
    t->dport = xsw_rd16(l4 + 2);
    return t->proto == PROTO_TCP ? FW_PKT_TCP : FW_PKT_UDP;
}

uint32_t
fw_pkt_l3_end(const struct xsw_packet *pkt)
{
    const uint8_t *l3 = pkt->data + pkt->l3_ofs;
    uint32_t end;

    /* IPv6 payload length 0 is a bare header here, as for the parser: a
     * jumbogram (RFC 2675) does not fit in any Ethernet frame. */
    if (pkt->ip_version == 4 && pkt->l3_ofs + 20u <= pkt->size)
        end = pkt->l3_ofs + (uint32_t) xsw_rd16(l3 + 2);
    else if (pkt->ip_version == 6 && pkt->l3_ofs + 40u <= pkt->size)
        end = pkt->l3_ofs + 40u + xsw_rd16(l3 + 4);
    else
        end = pkt->size;
    return end < pkt->size ? end : pkt->size;
}

void
fw_pkt_tcp_seg(const struct xsw_packet *pkt, struct tcp_seg *seg)
{
    const uint8_t *l4 = pkt->data + pkt->l4_ofs;
    uint32_t hdr = (uint32_t) (l4[12] >> 4) * 4;
    uint32_t end = fw_pkt_l3_end(pkt);

    seg->flags = pkt->tcp_flags;
    seg->seq = (uint32_t) xsw_rd16(l4 + 4) << 16 | xsw_rd16(l4 + 6);
    seg->ack = (uint32_t) xsw_rd16(l4 + 8) << 16 | xsw_rd16(l4 + 10);
    seg->len = end > pkt->l4_ofs + hdr ? end - pkt->l4_ofs - hdr : 0;
}

static bool
is_icmp(uint8_t family, uint8_t proto)
{
    return (family == 4 && proto == PROTO_ICMP) ||
           (family == 6 && proto == PROTO_ICMPV6);
}

static bool
is_icmp_error(uint8_t family, uint8_t type)
{
    if (family == 4)
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    return type >= 1 && type <= 4;
}

/* MLD (130-132, 143) and neighbour discovery (133-137). */
static bool
is_ndp(uint8_t family, uint8_t type)
{
    return family == 6 && ((type >= 130 && type <= 137) || type == 143);
}

/* The request type of query 'type', or -1 when 'type' is no query. */
static int
query_request(uint8_t family, uint8_t type, bool *is_reply)
{
    const struct icmp_query *q = family == 4 ? icmp4_queries : icmp6_queries;
    size_t n = family == 4 ? sizeof icmp4_queries / sizeof *q
                           : sizeof icmp6_queries / sizeof *q;
    size_t i;

    for (i = 0; i < n; i++) {
        if (type == q[i].request || type == q[i].reply) {
            *is_reply = type == q[i].reply;
            return q[i].request;
        }
    }
    return -1;
}

static enum fw_pkt_kind
classify_icmp(const struct xsw_packet *pkt, struct fw_tuple *t)
{
    uint8_t type = (uint8_t) pkt->src_port; /* The parser's convention. */
    bool is_reply;
    int req;

    if (pkt->l4_ofs == XSW_OFS_NONE || pkt->l4_ofs + 8u > pkt->size)
        return FW_PKT_MALFORMED;
    if (is_icmp_error(t->family, type))
        return FW_PKT_ICMP_ERROR;
    if (is_ndp(t->family, type))
        return FW_PKT_NDP;
    req = query_request(t->family, type, &is_reply);
    if (req < 0)
        return FW_PKT_ICMP_OTHER;
    t->icmp_req = (uint8_t) req;
    t->icmp_reply = is_reply;
    t->sport = t->dport = xsw_rd16(pkt->data + pkt->l4_ofs + 4);
    return is_reply ? FW_PKT_ICMP_REPLY : FW_PKT_ICMP_REQUEST;
}

/* Walks the quoted IPv6 header's extension headers to its L4 header.
 * Returns the L4 offset within 'p' (and the protocol in '*proto'), or -1
 * when the chain is too long or cut short, or the quote is a non-first
 * fragment. */
static int
inner6_l4(const uint8_t *p, uint32_t avail, uint8_t *proto)
{
    uint32_t ofs = 40;
    uint8_t nh = p[6];
    int n;

    for (n = 0; n < INNER_EXT_MAX; n++) {
        uint32_t len;

        if (nh != 0 && nh != 43 && nh != 44 && nh != 51 && nh != 60)
            break;
        if (ofs + 8 > avail)
            return -1;
        if (nh == 44 && (xsw_rd16(p + ofs + 2) & 0xfff8) != 0)
            return -1;
        len = nh == 44   ? 8
              : nh == 51 ? ((uint32_t) p[ofs + 1] + 2) * 4
                         : ((uint32_t) p[ofs + 1] + 1) * 8;
        nh = p[ofs];
        ofs += len;
    }
    if (n == INNER_EXT_MAX || ofs > avail)
        return -1;
    *proto = nh;
    return (int) ofs;
}

/* The quoted IP header: addresses, protocol and where its L4 starts. */
static int
inner_l3(const uint8_t *p, uint32_t avail, struct fw_tuple *in)
{
    uint32_t ihl;

    if (in->family == 4) {
        if (avail < 20 || p[0] >> 4 != 4)
            return -1;
        ihl = (uint32_t) (p[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > avail || (xsw_rd16(p + 6) & 0x1fff) != 0)
            return -1;
        in->proto = p[9];
        memcpy(in->src, p + 12, 4);
        memcpy(in->dst, p + 16, 4);
        return (int) ihl;
    }
    if (avail < 40 || p[0] >> 4 != 6)
        return -1;
    memcpy(in->src, p + 8, 16);
    memcpy(in->dst, p + 24, 16);
    return inner6_l4(p, avail, &in->proto);
}

bool
fw_pkt_icmp_inner(const struct xsw_packet *pkt, struct fw_tuple *inner)
{
    uint32_t start = pkt->l4_ofs + 8u; /* After the ICMP header. */
    uint32_t end = fw_pkt_l3_end(pkt);
    const uint8_t *p = pkt->data + start;
    const uint8_t *l4;
    uint32_t avail, l4avail;
    bool is_reply;
    int ofs, req;

    if (end < start)
        return false;
    avail = end - start;
    memset(inner, 0, sizeof *inner);
    inner->family = pkt->ip_version;
    inner->vlan = pkt->vlan;
    ofs = inner_l3(p, avail, inner);
    if (ofs < 0 || memcmp(inner->src, pkt->dst_ip, 16) != 0)
        return false;
    l4 = p + ofs;
    l4avail = avail - (uint32_t) ofs;

    if (inner->proto == PROTO_TCP || inner->proto == PROTO_UDP) {
        if (l4avail < 4)
            return false;
        inner->sport = xsw_rd16(l4);
        inner->dport = xsw_rd16(l4 + 2);
    } else if (is_icmp(inner->family, inner->proto)) {
        /* Only a query can be quoted: no error is sent about an error. */
        if (l4avail < 8)
            return false;
        req = query_request(inner->family, l4[0], &is_reply);
        if (req < 0)
            return false;
        inner->icmp_req = (uint8_t) req;
        inner->icmp_reply = is_reply;
        inner->sport = inner->dport = xsw_rd16(l4 + 4);
    }
    return true;
}
