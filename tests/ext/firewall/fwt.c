#include "fwt.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static void
wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static void
wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v >> 16);
    wr16(p + 2, v & 0xffff);
}

static uint32_t
rd16(const uint8_t *p)
{
    return (uint32_t) p[0] << 8 | p[1];
}

/* The one's-complement sum, written out here rather than taken from
 * xsw/csum.h, so that checks do not trust the code under test. */
static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    for (i = 0; i + 1 < n; i += 2)
        sum += rd16(p + i);
    if (n & 1)
        sum += (uint32_t) p[n - 1] << 8;
    return sum;
}

static uint16_t
fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

static uint16_t
l4_sum(uint8_t family, const uint8_t *ip, uint8_t proto, const uint8_t *l4,
       uint32_t size)
{
    uint32_t sum = 0;

    if (family == 4 && proto == 1)
        return fold(sum_bytes(0, l4, size));
    if (family == 4)
        sum = sum_bytes(sum, ip + 12, 8);
    else
        sum = sum_bytes(sum, ip + 8, 32);
    sum += proto;
    sum += size;
    return fold(sum_bytes(sum, l4, size));
}

static uint32_t
write_l4(const struct fwt_spec *s, uint8_t *l4)
{
    uint32_t n;

    switch (s->proto) {
    case 6:
        memset(l4, 0, 20);
        wr16(l4, s->sport);
        wr16(l4 + 2, s->dport);
        wr32(l4 + 4, s->seq);
        wr32(l4 + 8, s->ack);
        l4[12] = 5 << 4;
        l4[13] = s->tcp_flags;
        wr16(l4 + 14, 65535);
        n = 20;
        break;
    case 17:
        memset(l4, 0, 8);
        wr16(l4, s->sport);
        wr16(l4 + 2, s->dport);
        n = 8;
        break;
    case 1:
    case 58:
        memset(l4, 0, 8);
        l4[0] = s->icmp_type;
        l4[1] = s->icmp_code;
        wr16(l4 + 4, s->icmp_id);
        wr16(l4 + 6, 1);
        n = 8;
        if (s->quote) {
            memcpy(l4 + 8, s->quote, s->quote_size);
            n += s->quote_size;
        }
        break;
    default:
        n = 0;
        break;
    }
    memset(l4 + n, 0xab, s->payload);
    n += s->payload;
    if (s->proto == 17)
        wr16(l4 + 4, n);
    return n;
}

void
fwt_build(struct fwt_pkt *out, const struct fwt_spec *s)
{
    uint8_t *f = out->buf;
    uint32_t ofs = 12, ip_hdr, l4_size, size;
    uint8_t *ip;

    memset(out, 0, sizeof *out);
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
    if (s->dst_mac0)
        f[0] = s->dst_mac0;
    if (s->vlan) {
        wr16(f + 12, 0x8100);
        wr16(f + 14, s->vlan);
        ofs = 16;
    }
    if (!s->family) {
        wr16(f + ofs, s->ethertype);
        memset(f + ofs + 2, 0, 28);
        size = ofs + 2 + 28;
    } else {
        wr16(f + ofs, s->family == 4 ? 0x0800 : 0x86dd);
        ip = f + ofs + 2;
        ip_hdr = s->family == 4 ? 20 : 40;
        l4_size = write_l4(s, ip + ip_hdr);
        memset(ip, 0, ip_hdr);
        if (s->family == 4) {
            ip[0] = 0x45;
            wr16(ip + 2, ip_hdr + l4_size);
            ip[8] = 64;
            ip[9] = s->proto;
            inet_pton(AF_INET, s->src, ip + 12);
            inet_pton(AF_INET, s->dst, ip + 16);
            wr16(ip + 10, fold(sum_bytes(0, ip, 20)));
        } else {
            ip[0] = 0x60;
            wr16(ip + 4, l4_size);
            ip[6] = s->proto;
            ip[7] = 64;
            inet_pton(AF_INET6, s->src, ip + 8);
            inet_pton(AF_INET6, s->dst, ip + 24);
        }
        if (s->proto == 6 || s->proto == 17 || s->proto == 1 ||
            s->proto == 58) {
            uint32_t at = s->proto == 6 ? 16 : s->proto == 17 ? 6 : 2;

            wr16(ip + ip_hdr + at,
                 l4_sum(s->family, ip, s->proto, ip + ip_hdr, l4_size));
        }
        size = ofs + 2 + ip_hdr + l4_size;
    }
    if (s->pad_to > size) {
        memset(f + size, 0, s->pad_to - size);
        size = s->pad_to;
    }
    out->pkt.data = f;
    out->pkt.size = size;
    out->pkt.headroom = 0;
    out->pkt.tailroom = (uint16_t) (FWT_FRAME_MAX - size);
    fwt_parse(&out->pkt);
}

const uint8_t *
fwt_ip_datagram(const struct fwt_pkt *p, uint32_t *size)
{
    const uint8_t *ip = p->pkt.data + p->pkt.l3_ofs;

    *size = p->pkt.ip_version == 4 ? rd16(ip + 2) : 40 + rd16(ip + 4);
    return ip;
}

static void
parse_l4(struct xsw_packet *pkt, uint32_t l4, uint32_t end)
{
    const uint8_t *p = pkt->data + l4;
    uint32_t hdr;

    switch (pkt->ip_proto) {
    case 6:
        hdr = 20;
        break;
    case 17:
    case 1:
    case 58:
        hdr = 8;
        break;
    default:
        return;
    }
    if (l4 + hdr > end) {
        pkt->flags |= XSW_PKT_F_L4_TRUNC;
        return;
    }
    pkt->l4_ofs = (uint16_t) l4;
    pkt->payload_ofs =
        (uint16_t) (l4 +
                    (pkt->ip_proto == 6 ? (uint32_t) (p[12] >> 4) * 4 : hdr));
    if (pkt->ip_proto == 6 || pkt->ip_proto == 17) {
        pkt->src_port = (uint16_t) rd16(p);
        pkt->dst_port = (uint16_t) rd16(p + 2);
        if (pkt->ip_proto == 6)
            pkt->tcp_flags = p[13];
    } else {
        pkt->src_port = p[0];
        pkt->dst_port = p[1];
    }
}

void
fwt_parse(struct xsw_packet *pkt)
{
    const uint8_t *f = pkt->data;
    uint32_t ofs = 12, l3, end;
    uint16_t in_port = pkt->in_port;

    memset((uint8_t *) pkt + offsetof(struct xsw_packet, in_port), 0,
           sizeof *pkt - offsetof(struct xsw_packet, in_port));
    pkt->in_port = in_port;
    pkt->l3_ofs = pkt->l4_ofs = pkt->payload_ofs = XSW_OFS_NONE;
    pkt->vlan = 1;
    if (rd16(f + 12) == 0x8100) {
        pkt->vlan = (uint16_t) (rd16(f + 14) & 0xfff);
        pkt->pcp = f[14] >> 5;
        pkt->n_tags = 1;
        pkt->flags |= XSW_PKT_F_TAGGED;
        ofs = 16;
    }
    pkt->ethertype = (uint16_t) rd16(f + ofs);
    l3 = ofs + 2;
    if (pkt->ethertype == 0x0800) {
        const uint8_t *ip = f + l3;

        pkt->l3_ofs = (uint16_t) l3;
        pkt->ip_version = 4;
        pkt->ip_proto = ip[9];
        pkt->ip_ttl = ip[8];
        memcpy(pkt->src_ip, ip + 12, 4);
        memcpy(pkt->dst_ip, ip + 16, 4);
        end = l3 + rd16(ip + 2);
        if (rd16(ip + 6) & 0x3fff)
            pkt->flags |= XSW_PKT_F_IP_FRAG;
        if (rd16(ip + 6) & 0x1fff) {
            pkt->flags |= XSW_PKT_F_IP_LATER;
            return;
        }
        parse_l4(pkt, l3 + (uint32_t) (ip[0] & 15) * 4, end);
    } else if (pkt->ethertype == 0x86dd) {
        const uint8_t *ip = f + l3;

        pkt->l3_ofs = (uint16_t) l3;
        pkt->ip_version = 6;
        pkt->ip_proto = ip[6];
        pkt->ip_ttl = ip[7];
        memcpy(pkt->src_ip, ip + 8, 16);
        memcpy(pkt->dst_ip, ip + 24, 16);
        parse_l4(pkt, l3 + 40, l3 + 40 + rd16(ip + 4));
    }
}

bool
fwt_csum_ok(const uint8_t *frame, uint32_t size)
{
    uint32_t ofs = rd16(frame + 12) == 0x8100 ? 16 : 12;
    uint16_t type = (uint16_t) rd16(frame + ofs);
    const uint8_t *ip = frame + ofs + 2;
    uint32_t hdr, total;
    uint8_t proto, family;

    if (type == 0x0800) {
        family = 4;
        hdr = (uint32_t) (ip[0] & 15) * 4;
        total = rd16(ip + 2);
        proto = ip[9];
        if (fold(sum_bytes(0, ip, hdr)) != 0)
            return false;
    } else if (type == 0x86dd) {
        family = 6;
        hdr = 40;
        total = 40 + rd16(ip + 4);
        proto = ip[6];
    } else {
        return false;
    }
    if (ofs + 2 + total > size)
        return false;
    if (proto != 6 && proto != 17 && proto != 1 && proto != 58)
        return true;
    return l4_sum(family, ip, proto, ip + hdr, total - hdr) == 0;
}
