#include "reject.h"

#include <stdbool.h>
#include <string.h>

#include <xsw/csum.h>

#include "fw-pkt.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58

#define TTL 64
#define TCP_HDR 20u
#define ICMP_HDR 8u
#define IPV6_MIN_MTU 1280

static bool may_answer(const struct xsw_packet *, enum reject_kind);
static uint32_t ip_hdr_size(const struct xsw_packet *);
static uint32_t quote_size(const struct xsw_packet *);
static uint8_t *write_ip(const struct xsw_packet *, uint8_t *ip, uint8_t proto,
                         uint32_t l4_size);
static void write_rst(const struct xsw_packet *, uint8_t *l4);
static void write_unreach(const struct xsw_packet *, enum reject_kind,
                          uint8_t *l4);
static uint16_t l4_csum(const struct xsw_packet *, const uint8_t *l4,
                        uint8_t proto, uint32_t size);

enum reject_kind
reject_kind_for(uint8_t proto)
{
    if (proto == PROTO_TCP)
        return REJECT_TCP_RST;
    return proto == PROTO_UDP ? REJECT_PORT_UNR : REJECT_ADMIN_PROH;
}

uint32_t
reject_size(const struct xsw_packet *orig, enum reject_kind kind)
{
    uint32_t l3 = orig->l3_ofs + ip_hdr_size(orig);

    if (!may_answer(orig, kind))
        return 0;
    if (kind == REJECT_TCP_RST)
        return l3 + TCP_HDR;
    return l3 + ICMP_HDR + quote_size(orig);
}

void
reject_write(const struct xsw_packet *orig, enum reject_kind kind,
             uint8_t *out)
{
    uint8_t *l4;

    /* The sender's L2 header with the MAC addresses swapped: tags and
     * ethertype stay as they were. */
    memcpy(out, orig->data + 6, 6);
    memcpy(out + 6, orig->data, 6);
    memcpy(out + 12, orig->data + 12, orig->l3_ofs - 12u);

    if (kind == REJECT_TCP_RST) {
        l4 = write_ip(orig, out + orig->l3_ofs, PROTO_TCP, TCP_HDR);
        write_rst(orig, l4);
    } else {
        uint8_t proto = orig->ip_version == 4 ? PROTO_ICMP : PROTO_ICMPV6;

        l4 = write_ip(orig, out + orig->l3_ofs, proto,
                      ICMP_HDR + quote_size(orig));
        write_unreach(orig, kind, l4);
    }
}

static bool
is_group_mac(const uint8_t *mac)
{
    return mac[0] & 1;
}

/* Multicast, broadcast or unspecified: not an address to answer to or
 * from.  IPv4 240/4 (reserved, with 255.255.255.255) counts too. */
static bool
is_special_ip(uint8_t family, const uint8_t *ip)
{
    static const uint8_t zero[16];

    if (family == 4)
        return ip[0] >= 224 || memcmp(ip, zero, 4) == 0;
    return ip[0] == 0xff || memcmp(ip, zero, 16) == 0;
}

static bool
may_answer(const struct xsw_packet *orig, enum reject_kind kind)
{
    if (orig->l3_ofs < 14 || orig->l3_ofs == XSW_OFS_NONE ||
        orig->l3_ofs + ip_hdr_size(orig) > orig->size)
        return false;
    if (is_group_mac(orig->data) || is_group_mac(orig->data + 6))
        return false;
    if (is_special_ip(orig->ip_version, orig->src_ip) ||
        is_special_ip(orig->ip_version, orig->dst_ip))
        return false;
    if (kind == REJECT_TCP_RST)
        return orig->l4_ofs != XSW_OFS_NONE &&
               orig->l4_ofs + TCP_HDR <= orig->size &&
               !(orig->tcp_flags & XSW_TCP_RST);
    return true;
}

static uint32_t
ip_hdr_size(const struct xsw_packet *orig)
{
    return orig->ip_version == 4 ? 20 : 40;
}

static uint32_t
quote_size(const struct xsw_packet *orig)
{
    uint32_t dgram = fw_pkt_l3_end(orig) - orig->l3_ofs;
    uint32_t want;

    if (orig->ip_version == 4)
        want = (uint32_t) (orig->data[orig->l3_ofs] & 0x0f) * 4 + 8;
    else
        want = IPV6_MIN_MTU - 40 - ICMP_HDR;
    return dgram < want ? dgram : want;
}

static void
wr32(uint8_t *p, uint32_t v)
{
    xsw_wr16(p, (uint16_t) (v >> 16));
    xsw_wr16(p + 2, (uint16_t) v);
}

/* The IP header from the refused destination back to its sender;
 * returns where the L4 header goes. */
static uint8_t *
write_ip(const struct xsw_packet *orig, uint8_t *ip, uint8_t proto,
         uint32_t l4_size)
{
    if (orig->ip_version == 4) {
        memset(ip, 0, 20);
        ip[0] = 0x45;
        xsw_wr16(ip + 2, (uint16_t) (20 + l4_size));
        xsw_wr16(ip + 6, 0x4000); /* DF */
        ip[8] = TTL;
        ip[9] = proto;
        memcpy(ip + 12, orig->dst_ip, 4);
        memcpy(ip + 16, orig->src_ip, 4);
        xsw_wr16(ip + 10, xsw_csum_fold(xsw_csum_add(0, ip, 20)));
        return ip + 20;
    }
    memset(ip, 0, 8);
    ip[0] = 0x60;
    xsw_wr16(ip + 4, (uint16_t) l4_size);
    ip[6] = proto;
    ip[7] = TTL;
    memcpy(ip + 8, orig->dst_ip, 16);
    memcpy(ip + 24, orig->src_ip, 16);
    return ip + 40;
}

static void
write_rst(const struct xsw_packet *orig, uint8_t *l4)
{
    struct tcp_seg seg;
    uint32_t seq = 0, ack = 0;
    uint8_t flags = XSW_TCP_RST;

    fw_pkt_tcp_seg(orig, &seg);
    /* A first fragment holds only part of the segment, whose length is
     * unknown: acknowledge the SYN (or FIN) alone, which a sender in
     * SYN-SENT accepts too (SND.UNA < SEG.ACK =< SND.NXT). */
    if (orig->flags & XSW_PKT_F_IP_FRAG)
        seg.len = 0;
    if (seg.flags & XSW_TCP_ACK) {
        seq = seg.ack;
    } else {
        ack = seg.seq + seg.len + !!(seg.flags & XSW_TCP_SYN) +
              !!(seg.flags & XSW_TCP_FIN);
        flags |= XSW_TCP_ACK;
    }
    memset(l4, 0, TCP_HDR);
    xsw_wr16(l4, orig->dst_port);
    xsw_wr16(l4 + 2, orig->src_port);
    wr32(l4 + 4, seq);
    wr32(l4 + 8, ack);
    l4[12] = (TCP_HDR / 4) << 4;
    l4[13] = flags;
    xsw_wr16(l4 + 16, l4_csum(orig, l4, PROTO_TCP, TCP_HDR));
}

static void
write_unreach(const struct xsw_packet *orig, enum reject_kind kind,
              uint8_t *l4)
{
    bool v4 = orig->ip_version == 4;
    uint32_t quote = quote_size(orig);

    memset(l4, 0, ICMP_HDR);
    if (v4) {
        l4[0] = 3; /* Destination unreachable. */
        l4[1] = kind == REJECT_PORT_UNR ? 3 : 13;
    } else {
        l4[0] = 1; /* Destination unreachable. */
        l4[1] = kind == REJECT_PORT_UNR ? 4 : 1;
    }
    memcpy(l4 + ICMP_HDR, orig->data + orig->l3_ofs, quote);
    if (v4)
        xsw_wr16(l4 + 2, xsw_csum_fold(xsw_csum_add(0, l4, ICMP_HDR + quote)));
    else
        xsw_wr16(l4 + 2, l4_csum(orig, l4, PROTO_ICMPV6, ICMP_HDR + quote));
}

/* The TCP/ICMPv6 checksum of the answer: its pseudo-header has the
 * refused packet's addresses swapped. */
static uint16_t
l4_csum(const struct xsw_packet *orig, const uint8_t *l4, uint8_t proto,
        uint32_t size)
{
    uint32_t alen = orig->ip_version == 4 ? 4 : 16;
    uint32_t sum = 0;

    sum = xsw_csum_add(sum, orig->dst_ip, alen);
    sum = xsw_csum_add(sum, orig->src_ip, alen);
    sum += proto;
    sum += size; /* Fits 16 bits: frames are far smaller. */
    return xsw_csum_fold(xsw_csum_add(sum, l4, size));
}
