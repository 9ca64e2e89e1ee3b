#include "parse.h"

#include <string.h>

/* Header sizes and type codes.  Each parse_*() step checks that the bytes
 * it reads lie below its 'end', and every 'end' is at most pkt->size. */
enum {
    PARSE_ETH_SIZE = 14,
    PARSE_TAG_SIZE = 4,
    PARSE_ARP_SIZE = 28, /* Ethernet/IPv4 ARP. */
    PARSE_IPV4_MIN = 20,
    PARSE_IPV6_SIZE = 40,
    PARSE_EXT_MIN = 8, /* Every IPv6 extension header is 8n bytes. */
    PARSE_TCP_MIN = 20,
    PARSE_UDP_SIZE = 8,
    PARSE_ICMP_SIZE = 8, /* Type, code, checksum and 4 bytes of body. */
};

enum {
    PARSE_TYPE_IPV4 = 0x0800,
    PARSE_TYPE_ARP = 0x0806,
    PARSE_TYPE_8021Q = 0x8100,
    PARSE_TYPE_IPV6 = 0x86dd,
    PARSE_TYPE_8021AD = 0x88a8,
};

enum {
    PARSE_PROTO_HOP = 0,
    PARSE_PROTO_ICMP = 1,
    PARSE_PROTO_TCP = 6,
    PARSE_PROTO_UDP = 17,
    PARSE_PROTO_ROUTING = 43,
    PARSE_PROTO_FRAGMENT = 44,
    PARSE_PROTO_ICMPV6 = 58,
    PARSE_PROTO_DSTOPTS = 60,
};

#define PARSE_KEEP_FLAGS (XSW_PKT_F_TRACED | XSW_PKT_F_INJECTED)

/* parse_reset() clears everything from 'vlan' to the end of the struct in
 * one memset: the fields it keeps (data .. in_port) all lie before 'vlan',
 * and the reset verdict is all zero bits. */
_Static_assert(offsetof(struct xsw_packet, vlan) ==
                   offsetof(struct xsw_packet, in_port) + 2,
               "parse_reset() keeps the fields up to 'in_port'");
_Static_assert(XSW_PASS == 0 && XSW_FWD_NORMAL == 0,
               "parse_reset() zeroes the verdict");

static void parse_reset(struct xsw_packet *);
static uint32_t parse_eth(struct xsw_packet *);
static void parse_arp(struct xsw_packet *, uint32_t l3);
static void parse_ipv4(struct xsw_packet *, uint32_t l3);
static void parse_ipv6(struct xsw_packet *, uint32_t l3);
static void parse_transport(struct xsw_packet *, uint32_t l4, uint32_t end);
static uint32_t parse_hash(const struct xsw_packet *);

void
parse_packet(struct xsw_packet *pkt)
{
    parse_headers(pkt);
    pkt->flow_hash = parse_flow_hash(pkt);
}

uint32_t
parse_flow_hash(const struct xsw_packet *pkt)
{
    return pkt->flags & XSW_PKT_F_L2_TRUNC ? 0 : parse_hash(pkt);
}

void
parse_headers(struct xsw_packet *pkt)
{
    uint32_t l3;

    parse_reset(pkt);
    if (pkt->size < PARSE_ETH_SIZE) {
        pkt->flags |= XSW_PKT_F_L2_TRUNC;
        return;
    }
    l3 = parse_eth(pkt);
    if (l3) {
        switch (pkt->ethertype) {
        case PARSE_TYPE_IPV4:
            parse_ipv4(pkt, l3);
            break;
        case PARSE_TYPE_IPV6:
            parse_ipv6(pkt, l3);
            break;
        case PARSE_TYPE_ARP:
            parse_arp(pkt, l3);
            break;
        }
    }
}

static void
parse_reset(struct xsw_packet *pkt)
{
    uint32_t keep = pkt->flags & PARSE_KEEP_FLAGS;

    memset(&pkt->vlan, 0, sizeof *pkt - offsetof(struct xsw_packet, vlan));
    pkt->flags = keep;
    pkt->l3_ofs = XSW_OFS_NONE;
    pkt->l4_ofs = XSW_OFS_NONE;
    pkt->payload_ofs = XSW_OFS_NONE;
}

static inline bool
parse_is_tpid(uint16_t type)
{
    return type == PARSE_TYPE_8021Q || type == PARSE_TYPE_8021AD;
}

/* Walks the tags; returns the offset of L3, or 0 when the walk stopped
 * short of it (too many tags, or a tag cut by the frame). */
static uint32_t
parse_eth(struct xsw_packet *pkt)
{
    const uint8_t *p = pkt->data;
    uint32_t type_ofs = 12;
    uint16_t type = xsw_rd16(p + type_ofs);
    uint16_t tci;

    while (parse_is_tpid(type)) {
        if (pkt->n_tags == XSW_TAGS_MAX) {
            pkt->flags |= XSW_PKT_F_TAGS_DEEP;
            pkt->ethertype = type;
            return 0;
        }
        /* The TCI and the type after it. */
        if (pkt->size < type_ofs + 2 + PARSE_TAG_SIZE) {
            pkt->flags |= XSW_PKT_F_L2_TRUNC;
            pkt->ethertype = type;
            return 0;
        }
        if (pkt->n_tags == 0 && type == PARSE_TYPE_8021Q) {
            tci = xsw_rd16(p + type_ofs + 2);
            pkt->vlan = tci & 0x0fff;
            pkt->pcp = (uint8_t) (tci >> 13);
            pkt->flags |= XSW_PKT_F_TAGGED;
        }
        pkt->n_tags++;
        type_ofs += PARSE_TAG_SIZE;
        type = xsw_rd16(p + type_ofs);
    }
    pkt->ethertype = type;
    return type_ofs + 2;
}

static void
parse_arp(struct xsw_packet *pkt, uint32_t l3)
{
    const uint8_t *arp = pkt->data + l3;

    if (pkt->size - l3 < PARSE_ARP_SIZE) {
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        return;
    }
    if (xsw_rd16(arp) != 1 || xsw_rd16(arp + 2) != PARSE_TYPE_IPV4 ||
        arp[4] != 6 || arp[5] != 4) {
        pkt->flags |= XSW_PKT_F_L3_BAD;
        return;
    }
    pkt->l3_ofs = (uint16_t) l3;
    pkt->ip_proto = arp[7];
    memcpy(pkt->src_ip, arp + 14, 4);
    memcpy(pkt->dst_ip, arp + 24, 4);
}

static void
parse_ipv4(struct xsw_packet *pkt, uint32_t l3)
{
    const uint8_t *ip = pkt->data + l3;
    uint32_t avail = pkt->size - l3;
    uint32_t hdr_size, total;
    uint16_t frag;

    if (avail < PARSE_IPV4_MIN) {
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        return;
    }
    hdr_size = (ip[0] & 0x0fu) * 4;
    total = xsw_rd16(ip + 2);
    if (ip[0] >> 4 != 4 || hdr_size < PARSE_IPV4_MIN) {
        pkt->flags |= XSW_PKT_F_L3_BAD;
        return;
    }
    if (hdr_size > avail) {
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        return;
    }
    if (total < hdr_size) {
        pkt->flags |= XSW_PKT_F_L3_BAD;
        return;
    }
    if (total > avail) {
        /* A truncated capture: the header is sound, parse what is here. */
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        total = avail;
    }
    pkt->l3_ofs = (uint16_t) l3;
    pkt->ip_version = 4;
    pkt->ip_tos = ip[1];
    pkt->ip_ttl = ip[8];
    pkt->ip_proto = ip[9];
    memcpy(pkt->src_ip, ip + 12, 4);
    memcpy(pkt->dst_ip, ip + 16, 4);

    frag = xsw_rd16(ip + 6);
    if (frag & 0x3fff) { /* MF or an offset. */
        pkt->flags |= XSW_PKT_F_IP_FRAG;
        if (frag & 0x1fff) {
            pkt->flags |= XSW_PKT_F_IP_LATER;
            return;
        }
    }
    parse_transport(pkt, l3 + hdr_size, l3 + total);
}

static inline bool
parse_is_ipv6_ext(uint8_t nh)
{
    return nh == PARSE_PROTO_HOP || nh == PARSE_PROTO_ROUTING ||
           nh == PARSE_PROTO_FRAGMENT || nh == PARSE_PROTO_DSTOPTS;
}

static void
parse_ipv6(struct xsw_packet *pkt, uint32_t l3)
{
    const uint8_t *ip = pkt->data + l3;
    uint32_t avail = pkt->size - l3;
    uint32_t end, ofs, ext_size;
    const uint8_t *ext;
    uint8_t nh;
    int n;

    if (avail < PARSE_IPV6_SIZE) {
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        return;
    }
    if (ip[0] >> 4 != 6) {
        pkt->flags |= XSW_PKT_F_L3_BAD;
        return;
    }
    end = PARSE_IPV6_SIZE + (uint32_t) xsw_rd16(ip + 4);
    if (end > avail) {
        pkt->flags |= XSW_PKT_F_L3_TRUNC;
        end = avail;
    }
    end += l3;
    pkt->l3_ofs = (uint16_t) l3;
    pkt->ip_version = 6;
    pkt->ip_tos = (uint8_t) (xsw_rd16(ip) >> 4);
    pkt->ip_ttl = ip[7];
    memcpy(pkt->src_ip, ip + 8, 16);
    memcpy(pkt->dst_ip, ip + 24, 16);

    nh = ip[6];
    ofs = l3 + PARSE_IPV6_SIZE;
    for (n = 0; parse_is_ipv6_ext(nh); n++) {
        pkt->ip_proto = nh;
        if (n == PARSE_IPV6_EXT_MAX) {
            pkt->flags |= XSW_PKT_F_EXT_DEEP;
            return;
        }
        if (end - ofs < PARSE_EXT_MIN)
            goto trunc;
        ext = pkt->data + ofs;
        if (nh == PARSE_PROTO_FRAGMENT) {
            ext_size = PARSE_EXT_MIN;
            if (xsw_rd16(ext + 2) & 0xfff9) { /* An offset or MF. */
                pkt->flags |= XSW_PKT_F_IP_FRAG;
                if (xsw_rd16(ext + 2) & 0xfff8) {
                    pkt->flags |= XSW_PKT_F_IP_LATER;
                    pkt->ip_proto = ext[0];
                    return;
                }
            }
        } else {
            ext_size = (ext[1] + 1u) * 8;
            if (ext_size > end - ofs)
                goto trunc;
        }
        nh = ext[0];
        ofs += ext_size;
    }
    pkt->ip_proto = nh;
    parse_transport(pkt, ofs, end);
    return;

trunc:
    pkt->flags |= XSW_PKT_F_L3_TRUNC;
}

/* 'end' is where the IP datagram ends in the frame; l4 <= end <= size. */
static void
parse_transport(struct xsw_packet *pkt, uint32_t l4, uint32_t end)
{
    const uint8_t *h = pkt->data + l4;
    uint32_t avail = end - l4;
    uint32_t hdr_size;

    switch (pkt->ip_proto) {
    case PARSE_PROTO_TCP:
        if (avail < PARSE_TCP_MIN)
            goto trunc;
        hdr_size = (h[12] >> 4) * 4u;
        if (hdr_size < PARSE_TCP_MIN || hdr_size > avail)
            goto trunc;
        pkt->tcp_flags = h[13];
        break;
    case PARSE_PROTO_UDP:
        if (avail < PARSE_UDP_SIZE)
            goto trunc;
        hdr_size = PARSE_UDP_SIZE;
        break;
    case PARSE_PROTO_ICMP:
    case PARSE_PROTO_ICMPV6:
        /* ICMP is protocol 1 only in IPv4, ICMPv6 58 only in IPv6. */
        if ((pkt->ip_proto == PARSE_PROTO_ICMP) != (pkt->ip_version == 4))
            return;
        if (avail < PARSE_ICMP_SIZE)
            goto trunc;
        pkt->src_port = h[0];
        pkt->dst_port = h[1];
        pkt->l4_ofs = (uint16_t) l4;
        pkt->payload_ofs = (uint16_t) (l4 + PARSE_ICMP_SIZE);
        return;
    default:
        return;
    }
    pkt->src_port = xsw_rd16(h);
    pkt->dst_port = xsw_rd16(h + 2);
    pkt->l4_ofs = (uint16_t) l4;
    pkt->payload_ofs = (uint16_t) (l4 + hdr_size);
    return;

trunc:
    pkt->flags |= XSW_PKT_F_L4_TRUNC;
}

/* The flow hash: murmur3's 32-bit word step and finaliser over the
 * endpoints in a fixed order (see parse.h for its properties). */

static inline uint32_t
parse_rotl(uint32_t x, int r)
{
    return x << r | x >> (32 - r);
}

static inline uint32_t
parse_hash_add(uint32_t h, uint32_t w)
{
    w *= 0xcc9e2d51u;
    w = parse_rotl(w, 15);
    w *= 0x1b873593u;
    h ^= w;
    h = parse_rotl(h, 13);
    return h * 5 + 0xe6546b64u;
}

static inline uint32_t
parse_hash_finish(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static inline uint32_t
parse_rd32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
           (uint32_t) p[2] << 8 | p[3];
}

static inline uint32_t
parse_hash_bytes(uint32_t h, const uint8_t *p, uint32_t n_words)
{
    uint32_t i;

    for (i = 0; i < n_words; i++)
        h = parse_hash_add(h, parse_rd32(p + 4 * i));
    return h;
}

/* memcmp()'s order over 'n_words' big-endian words, without the call into
 * libc that memcmp() of a length unknown at compile time costs (2% of the
 * built-in L2 pipeline's instructions, tests/perf). */
static inline int
parse_cmp_words(const uint8_t *a, const uint8_t *b, uint32_t n_words)
{
    uint32_t i;

    for (i = 0; i < n_words; i++) {
        uint32_t x = parse_rd32(a + 4 * i), y = parse_rd32(b + 4 * i);

        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* A MAC address as a number that orders like memcmp(). */
static inline uint64_t
parse_mac_value(const uint8_t *mac)
{
    return (uint64_t) parse_rd32(mac) << 16 | xsw_rd16(mac + 4);
}

static uint32_t
parse_hash_ip(const struct xsw_packet *pkt)
{
    const uint8_t *a = pkt->src_ip, *b = pkt->dst_ip;
    uint32_t n_words = pkt->ip_version == 4 ? 1 : 4;
    uint16_t pa = pkt->src_port, pb = pkt->dst_port;
    uint16_t tmp;
    int cmp;
    uint32_t h;

    if (pkt->flags & XSW_PKT_F_IP_FRAG || pkt->ip_proto == PARSE_PROTO_ICMP ||
        pkt->ip_proto == PARSE_PROTO_ICMPV6)
        pa = pb = 0;
    cmp = parse_cmp_words(a, b, n_words);
    if (cmp > 0 || (cmp == 0 && pa > pb)) {
        a = pkt->dst_ip;
        b = pkt->src_ip;
        tmp = pa;
        pa = pb;
        pb = tmp;
    }
    h = parse_hash_bytes(0, a, n_words);
    h = parse_hash_bytes(h, b, n_words);
    h = parse_hash_add(h, (uint32_t) pa << 16 | pb);
    h = parse_hash_add(h, (uint32_t) pkt->ip_version << 8 | pkt->ip_proto);
    return parse_hash_finish(h);
}

static uint32_t
parse_hash_eth(const struct xsw_packet *pkt)
{
    const uint8_t *a = pkt->data, *b = pkt->data + 6;
    uint32_t h;

    if (parse_mac_value(a) > parse_mac_value(b)) {
        a = pkt->data + 6;
        b = pkt->data;
    }
    h = parse_hash_add(0, parse_rd32(a));
    h = parse_hash_add(h, (uint32_t) xsw_rd16(a + 4) << 16 | xsw_rd16(b));
    h = parse_hash_add(h, parse_rd32(b + 2));
    h = parse_hash_add(h, pkt->ethertype);
    return parse_hash_finish(h);
}

static uint32_t
parse_hash(const struct xsw_packet *pkt)
{
    return pkt->ip_version ? parse_hash_ip(pkt) : parse_hash_eth(pkt);
}
