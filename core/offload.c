#include "offload.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <xsw/packet.h>

enum {
    ETH_TYPE_IPV4 = 0x0800,
    ETH_TYPE_IPV6 = 0x86dd,
    ETH_TYPE_8021Q = 0x8100,
    ETH_TYPE_8021AD = 0x88a8,
    IPPROTO_TCP_ = 6,
    IPPROTO_UDP_ = 17,
    IPV6_HDR_SIZE = 40,
    TCP_CSUM_OFS = 16,
    UDP_CSUM_OFS = 6,
    OFFLOAD_TAGS_MAX = 2, /* In-band tags walked to find the IP header. */
};

/* 'sum' plus the one's-complement sum of 'size' bytes at 'p' read as
 * big-endian 16-bit words, as a host-order value (not folded to 16 bits,
 * not complemented).  The bytes are summed as native 32-bit words, four
 * at a time; the one's-complement sum does not care about byte order
 * except for one swap at the end (RFC 1071, 2.(B)). */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, uint32_t size)
{
    uint64_t acc = 0;
    uint32_t w32;
    uint16_t w16;
    uint8_t tail[2] = {0, 0};

    for (; size >= 4; p += 4, size -= 4) {
        memcpy(&w32, p, 4);
        acc += w32;
    }
    if (size >= 2) {
        memcpy(&w16, p, 2);
        acc += w16;
        p += 2;
        size -= 2;
    }
    if (size) {
        tail[0] = p[0];
        memcpy(&w16, tail, 2);
        acc += w16;
    }
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    acc = (acc & 0xffffu) + (acc >> 16);
    return sum + ntohs((uint16_t) acc);
}

/* The checksum field's value for a running sum. */
static uint16_t
csum_finish(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t) ~sum;
}

/* Finds the IP header: the offset after the Ethernet header and up to
 * OFFLOAD_TAGS_MAX tags, and the type there. */
static int
find_l3(const uint8_t *frame, uint32_t size, uint32_t *l3, uint16_t *type)
{
    uint32_t ofs = 14;
    uint16_t t;
    int i;

    if (size < ofs)
        return -EINVAL;
    t = xsw_rd16(frame + 12);
    for (i = 0; i < OFFLOAD_TAGS_MAX; i++) {
        if (t != ETH_TYPE_8021Q && t != ETH_TYPE_8021AD)
            break;
        if (ofs + 4 > size)
            return -EINVAL;
        t = xsw_rd16(frame + ofs + 2);
        ofs += 4;
    }
    *l3 = ofs;
    *type = t;
    return 0;
}

/* Where the IP packet in the frame ends by its own length field: 0 when
 * the frame is not IP, its IP header is cut short, or the length field
 * points past the frame. */
static uint32_t
ip_end(const uint8_t *frame, uint32_t size)
{
    uint32_t l3, end;
    uint16_t type;

    if (find_l3(frame, size, &l3, &type))
        return 0;
    if (type == ETH_TYPE_IPV4 && l3 + 20 <= size)
        end = l3 + xsw_rd16(frame + l3 + 2);
    else if (type == ETH_TYPE_IPV6 && l3 + IPV6_HDR_SIZE <= size)
        end = l3 + IPV6_HDR_SIZE + xsw_rd16(frame + l3 + 4);
    else
        return 0;
    return end <= size ? end : 0;
}

int
offload_csum_complete(uint8_t *frame, uint32_t size, uint32_t csum_start,
                      uint32_t csum_offset)
{
    /* Bytes after the IP packet are Ethernet padding, which the checksum
     * does not cover; a frame that is not IP is summed to its end. */
    uint32_t end = ip_end(frame, size);
    uint16_t csum;

    if (!end)
        end = size;
    if (csum_start > end || csum_offset > end - csum_start ||
        end - csum_start - csum_offset < 2)
        return -EINVAL;
    csum = csum_finish(csum_add(0, frame + csum_start, end - csum_start));
    xsw_wr16(frame + csum_start + csum_offset, csum ? csum : 0xffff);
    return 0;
}

/* Reads and checks the IP header of the super-frame into 'gso'; sets
 * l3_ofs, l4_ofs (from 'csum_start'), ipv6 and end. */
static int
gso_parse_ip(struct offload_gso *gso, const uint8_t *frame, uint32_t size,
             uint32_t csum_start, uint8_t proto)
{
    uint32_t l3, end;
    uint16_t type;
    const uint8_t *ip;

    if (find_l3(frame, size, &l3, &type))
        return -EINVAL;
    ip = frame + l3;
    if (type == ETH_TYPE_IPV4) {
        if (l3 + 20 > size || ip[0] >> 4 != 4 || (ip[0] & 15) < 5 ||
            csum_start != l3 + (ip[0] & 15) * 4u || ip[9] != proto)
            return -EINVAL;
        end = l3 + xsw_rd16(ip + 2);
    } else if (type == ETH_TYPE_IPV6) {
        /* Extension headers, if any, lie between the fixed header and
         * 'csum_start' and are copied with it; without them the next
         * header must be the protocol. */
        if (l3 + IPV6_HDR_SIZE > size || ip[0] >> 4 != 6 ||
            csum_start < l3 + IPV6_HDR_SIZE ||
            (csum_start == l3 + IPV6_HDR_SIZE && ip[6] != proto))
            return -EINVAL;
        end = l3 + IPV6_HDR_SIZE + xsw_rd16(ip + 4);
        gso->ipv6 = true;
    } else {
        return -EINVAL;
    }
    if (end > size || end < csum_start)
        return -EINVAL;
    gso->l3_ofs = (uint16_t) l3;
    gso->l4_ofs = (uint16_t) csum_start;
    gso->end = end;
    return 0;
}

/* Checks the TCP/UDP header and sets hdr_size. */
static int
gso_parse_l4(struct offload_gso *gso, const uint8_t *frame)
{
    uint32_t l4 = gso->l4_ofs, l4_size = 8;

    if (gso->tcp) {
        if (l4 + 20 > gso->end)
            return -EINVAL;
        l4_size = (frame[l4 + 12] >> 4) * 4u;
        if (l4_size < 20)
            return -EINVAL;
    }
    if (l4 + l4_size > gso->end || l4 + l4_size > UINT16_MAX)
        return -EINVAL;
    gso->hdr_size = (uint16_t) (l4 + l4_size);
    return 0;
}

/* Applies 'mtu' (IP bytes per segment; 0 = none) to the segment size. */
static int
gso_fit_mtu(struct offload_gso *gso, uint32_t mtu)
{
    uint32_t ip_hdrs = gso->hdr_size - gso->l3_ofs;
    uint32_t payload = gso->end - gso->hdr_size;
    uint32_t first = payload < gso->mss ? payload : gso->mss;

    if (!mtu || ip_hdrs + first <= mtu)
        return 0;
    if (!gso->tcp || ip_hdrs >= mtu)
        return -EMSGSIZE;
    gso->mss = (uint16_t) (mtu - ip_hdrs);
    return 0;
}

int
offload_gso_start(struct offload_gso *gso, const uint8_t *frame, uint32_t size,
                  const struct virtio_net_hdr *vh, uint32_t mtu)
{
    uint8_t type = vh->gso_type & (uint8_t) ~VIRTIO_NET_HDR_GSO_ECN;
    int ret;

    memset(gso, 0, sizeof *gso);
    if (type != VIRTIO_NET_HDR_GSO_TCPV4 && type != VIRTIO_NET_HDR_GSO_TCPV6 &&
        type != VIRTIO_NET_HDR_GSO_UDP_L4)
        return -EINVAL;
    if (!vh->gso_size)
        return -EINVAL;
    gso->tcp = type != VIRTIO_NET_HDR_GSO_UDP_L4;
    ret = gso_parse_ip(gso, frame, size, vh->csum_start,
                       gso->tcp ? IPPROTO_TCP_ : IPPROTO_UDP_);
    if (ret)
        return ret;
    if ((type == VIRTIO_NET_HDR_GSO_TCPV4 && gso->ipv6) ||
        (type == VIRTIO_NET_HDR_GSO_TCPV6 && !gso->ipv6))
        return -EINVAL;
    ret = gso_parse_l4(gso, frame);
    if (ret)
        return ret;
    gso->mss = vh->gso_size;
    ret = gso_fit_mtu(gso, mtu);
    if (ret)
        return ret;
    gso->frame = frame;
    gso->next_ofs = gso->hdr_size;
    return 0;
}

/* The pseudo-header sum of segment 'seg' for an L4 length 'l4_size'. */
static uint32_t
pseudo_sum(const struct offload_gso *gso, const uint8_t *seg, uint32_t l4_size)
{
    const uint8_t *ip = seg + gso->l3_ofs;
    uint32_t proto = gso->tcp ? IPPROTO_TCP_ : IPPROTO_UDP_;

    if (gso->ipv6)
        return csum_add(0, ip + 8, 32) + (l4_size >> 16) +
               (l4_size & 0xffffu) + proto;
    return csum_add(0, ip + 12, 8) + l4_size + proto;
}

/* Rewrites the IP header of segment 'seg' ('size' bytes). */
static void
gso_fix_ip(const struct offload_gso *gso, uint8_t *seg, uint32_t size)
{
    uint8_t *ip = seg + gso->l3_ofs;
    uint32_t ihl = (ip[0] & 15) * 4u;

    if (gso->ipv6) {
        xsw_wr16(ip + 4, (uint16_t) (size - gso->l3_ofs - IPV6_HDR_SIZE));
        return;
    }
    xsw_wr16(ip + 2, (uint16_t) (size - gso->l3_ofs));
    xsw_wr16(ip + 4, (uint16_t) (xsw_rd16(ip + 4) + gso->index));
    xsw_wr16(ip + 10, 0);
    xsw_wr16(ip + 10, csum_finish(csum_add(0, ip, ihl)));
}

/* Rewrites the TCP/UDP header of segment 'seg' ('size' bytes) and fills
 * in its checksum. */
static void
gso_fix_l4(const struct offload_gso *gso, uint8_t *seg, uint32_t size,
           bool last)
{
    uint8_t *l4 = seg + gso->l4_ofs;
    uint32_t l4_size = size - gso->l4_ofs, seq;
    uint16_t csum;

    if (gso->tcp) {
        seq = (uint32_t) xsw_rd16(l4 + 4) << 16 | xsw_rd16(l4 + 6);
        seq += gso->next_ofs - gso->hdr_size;
        xsw_wr16(l4 + 4, (uint16_t) (seq >> 16));
        xsw_wr16(l4 + 6, (uint16_t) seq);
        if (!last)
            l4[13] &= (uint8_t) ~(XSW_TCP_FIN | XSW_TCP_PSH);
        if (gso->index)
            l4[13] &= (uint8_t) ~XSW_TCP_CWR;
        xsw_wr16(l4 + TCP_CSUM_OFS, 0);
    } else {
        xsw_wr16(l4 + 4, (uint16_t) l4_size);
        xsw_wr16(l4 + UDP_CSUM_OFS, 0);
    }
    csum = csum_finish(csum_add(pseudo_sum(gso, seg, l4_size), l4, l4_size));
    if (gso->tcp)
        xsw_wr16(l4 + TCP_CSUM_OFS, csum);
    else
        xsw_wr16(l4 + UDP_CSUM_OFS, csum ? csum : 0xffff);
}

int
offload_gso_next(struct offload_gso *gso, uint8_t *out, uint32_t room)
{
    uint32_t left, payload, size;
    bool last;

    if (gso->done || !gso->frame)
        return -EINVAL;
    left = gso->end - gso->next_ofs;
    payload = left < gso->mss ? left : gso->mss;
    size = gso->hdr_size + payload;
    if (size > room)
        return -ENOSPC;
    last = payload == left;
    memcpy(out, gso->frame, gso->hdr_size);
    memcpy(out + gso->hdr_size, gso->frame + gso->next_ofs, payload);
    gso_fix_ip(gso, out, size);
    gso_fix_l4(gso, out, size, last);
    gso->next_ofs += payload;
    gso->index++;
    gso->done = last;
    return (int) size;
}

int
offload_vlan_push(uint8_t *frame, uint32_t size, uint16_t tpid, uint16_t tci)
{
    if (size < 12)
        return -EINVAL;
    memmove(frame - 4, frame, 12);
    xsw_wr16(frame + 8, tpid);
    xsw_wr16(frame + 10, tci);
    return 0;
}
