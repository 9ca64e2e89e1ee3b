/* Software offloads: checksum completion, TCP/UDP segmentation, VLAN tag
 * insertion.  Every checksum is verified by an independent, byte-by-byte
 * reference (an explicit pseudo-header and a plain 16-bit word sum), never
 * by the code under test. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/packet.h>

#include "offload.h"

#define BUF_SIZE 70000
#define PAD 64 /* Writable bytes before each test frame (for the tag). */

static uint8_t buf[PAD + BUF_SIZE];
static uint8_t seg[BUF_SIZE];
static uint8_t *const frame = buf + PAD;

/* ------------------------------------------------------------------ */
/* Reference checksums. */

/* The one's-complement sum of 16-bit big-endian words, byte by byte. */
static uint32_t
ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        sum += i & 1 ? p[i] : (uint32_t) p[i] << 8;
    return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) sum;
}

/* An explicit pseudo-header, as RFC 793/768 and RFC 8200 draw it. */
static uint32_t
ref_pseudo(const uint8_t *ip, bool v6, uint8_t proto, uint32_t l4_size)
{
    uint8_t ph[40];

    memset(ph, 0, sizeof ph);
    if (v6) {
        memcpy(ph, ip + 8, 32);
        ph[32] = (uint8_t) (l4_size >> 24);
        ph[33] = (uint8_t) (l4_size >> 16);
        ph[34] = (uint8_t) (l4_size >> 8);
        ph[35] = (uint8_t) l4_size;
        ph[39] = proto;
        return ref_sum(0, ph, 40);
    }
    memcpy(ph, ip + 12, 8);
    ph[9] = proto;
    ph[10] = (uint8_t) (l4_size >> 8);
    ph[11] = (uint8_t) l4_size;
    return ref_sum(0, ph, 12);
}

/* Does the L4 segment (checksum included) verify? */
static bool
ref_l4_ok(const uint8_t *ip, bool v6, uint8_t proto, const uint8_t *l4,
          uint32_t l4_size)
{
    uint32_t sum = ref_pseudo(ip, v6, proto, l4_size);

    return ref_fold(ref_sum(sum, l4, l4_size)) == 0xffff;
}

static bool
ref_ip4_ok(const uint8_t *ip)
{
    return ref_fold(ref_sum(0, ip, (ip[0] & 15) * 4u)) == 0xffff;
}

/* ------------------------------------------------------------------ */
/* Frame builder. */

struct spec {
    bool v6, udp;
    int n_tags;       /* In-band 802.1Q tags. */
    uint32_t payload; /* L4 payload bytes. */
    uint8_t tcp_flags;
    uint32_t seq;
    uint16_t ip_id;
};

struct layout {
    uint32_t l3, l4, hdr, size;
};

static uint8_t
pattern(uint32_t i)
{
    return (uint8_t) (i * 7u + 3u + (i >> 8));
}

/* Writes the frame at 'frame' with a *partial* L4 checksum (the folded
 * pseudo-header sum, not complemented), as the kernel hands it out. */
static struct layout
build(const struct spec *s)
{
    static const uint8_t macs[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    static const uint8_t tcp_opts[12] = {1, 1, 8, 10, 0, 0,
                                         0, 1, 0, 0,  0, 2}; /* NOP NOP TS */
    struct layout l;
    uint8_t *ip, *l4;
    uint32_t l4_hdr = s->udp ? 8 : 32, i, l4_size;
    uint8_t proto = s->udp ? 17 : 6;
    int t;

    memset(buf, 0xee, sizeof buf);
    memcpy(frame, macs, 12);
    l.l3 = 12;
    for (t = 0; t < s->n_tags; t++) {
        xsw_wr16(frame + l.l3, 0x8100);
        xsw_wr16(frame + l.l3 + 2, (uint16_t) (100 + t));
        l.l3 += 4;
    }
    xsw_wr16(frame + l.l3, s->v6 ? 0x86dd : 0x0800);
    l.l3 += 2;
    ip = frame + l.l3;
    l.l4 = l.l3 + (s->v6 ? 40 : 20);
    l.hdr = l.l4 + l4_hdr;
    l.size = l.hdr + s->payload;
    l4_size = l.size - l.l4;
    if (s->v6) {
        static const uint8_t addrs[32] = {
            0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
        memset(ip, 0, 40);
        ip[0] = 0x60;
        xsw_wr16(ip + 4, (uint16_t) l4_size);
        ip[6] = proto;
        ip[7] = 64;
        memcpy(ip + 8, addrs, 32);
    } else {
        static const uint8_t addrs[8] = {198, 18, 0, 1, 198, 18, 0, 2};
        memset(ip, 0, 20);
        ip[0] = 0x45;
        xsw_wr16(ip + 2, (uint16_t) (l.size - l.l3));
        xsw_wr16(ip + 4, s->ip_id);
        xsw_wr16(ip + 6, 0x4000);
        ip[8] = 64;
        ip[9] = proto;
        memcpy(ip + 12, addrs, 8);
        xsw_wr16(ip + 10, (uint16_t) ~ref_fold(ref_sum(0, ip, 20)));
    }
    l4 = frame + l.l4;
    memset(l4, 0, l4_hdr);
    xsw_wr16(l4, 40000);
    xsw_wr16(l4 + 2, 5201);
    if (s->udp) {
        xsw_wr16(l4 + 4, (uint16_t) l4_size);
    } else {
        xsw_wr16(l4 + 4, (uint16_t) (s->seq >> 16));
        xsw_wr16(l4 + 6, (uint16_t) s->seq);
        xsw_wr16(l4 + 8, 0x0102);
        xsw_wr16(l4 + 10, 0x0304);
        l4[12] = 8 << 4;
        l4[13] = s->tcp_flags;
        xsw_wr16(l4 + 14, 0xffff);
        memcpy(l4 + 20, tcp_opts, sizeof tcp_opts);
    }
    for (i = 0; i < s->payload; i++)
        frame[l.hdr + i] = pattern(i);
    xsw_wr16(l4 + (s->udp ? 6 : 16),
             ref_fold(ref_pseudo(ip, s->v6, proto, l4_size)));
    return l;
}

static struct virtio_net_hdr
vnet(const struct spec *s, const struct layout *l, uint16_t gso_size)
{
    struct virtio_net_hdr vh;

    memset(&vh, 0, sizeof vh);
    vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    vh.csum_start = (uint16_t) l->l4;
    vh.csum_offset = s->udp ? 6 : 16;
    if (gso_size) {
        vh.gso_size = gso_size;
        vh.gso_type = s->udp  ? VIRTIO_NET_HDR_GSO_UDP_L4
                      : s->v6 ? VIRTIO_NET_HDR_GSO_TCPV6
                              : VIRTIO_NET_HDR_GSO_TCPV4;
        vh.hdr_len = (uint16_t) l->hdr;
    }
    return vh;
}

/* ------------------------------------------------------------------ */
/* Checksum completion. */

static void
check_csum_complete(const struct spec *s)
{
    struct layout l = build(s);
    struct virtio_net_hdr vh = vnet(s, &l, 0);
    uint8_t *ip = frame + l.l3;

    ck_assert(
        !ref_l4_ok(ip, s->v6, s->udp ? 17 : 6, frame + l.l4, l.size - l.l4));
    ck_assert_int_eq(
        offload_csum_complete(frame, l.size, vh.csum_start, vh.csum_offset),
        0);
    ck_assert(
        ref_l4_ok(ip, s->v6, s->udp ? 17 : 6, frame + l.l4, l.size - l.l4));
}

START_TEST(csum_completes_tcp4)
{
    struct spec s = {.payload = 1000, .tcp_flags = XSW_TCP_ACK};

    check_csum_complete(&s);
}
END_TEST

START_TEST(csum_completes_udp4_odd_size)
{
    struct spec s = {.udp = true, .payload = 333};

    check_csum_complete(&s);
}
END_TEST

START_TEST(csum_completes_tcp6)
{
    struct spec s = {.v6 = true, .payload = 1441, .tcp_flags = XSW_TCP_ACK};

    check_csum_complete(&s);
}
END_TEST

START_TEST(csum_completes_udp6_tagged)
{
    struct spec s = {.v6 = true, .udp = true, .n_tags = 2, .payload = 17};

    check_csum_complete(&s);
}
END_TEST

START_TEST(csum_completes_every_small_size)
{
    struct spec s = {.udp = true};

    for (s.payload = 0; s.payload < 80; s.payload++)
        check_csum_complete(&s);
}
END_TEST

/* Ethernet padding after the IP packet is not covered by the checksum. */
START_TEST(csum_ignores_ethernet_padding)
{
    struct spec s = {.udp = true, .payload = 4};
    struct layout l = build(&s);
    struct virtio_net_hdr vh = vnet(&s, &l, 0);

    memset(frame + l.size, 0xab, 60 - l.size);
    ck_assert_int_eq(
        offload_csum_complete(frame, 60, vh.csum_start, vh.csum_offset), 0);
    ck_assert(ref_l4_ok(frame + l.l3, false, 17, frame + l.l4, l.size - l.l4));
}
END_TEST

/* A sum of exactly 0xffff folds to 0, which UDP reads as "no checksum":
 * it must be written as 0xffff. */
START_TEST(csum_zero_is_written_as_ffff)
{
    struct spec s = {.udp = true, .payload = 8};
    struct layout l = build(&s);
    uint16_t c;

    /* With a zero first payload word the checksum is some C; with C in
     * that word instead, the sum becomes ~C + C = 0xffff, the checksum 0. */
    xsw_wr16(frame + l.hdr, 0);
    offload_csum_complete(frame, l.size, l.l4, 6);
    c = xsw_rd16(frame + l.l4 + 6);
    l = build(&s);
    xsw_wr16(frame + l.hdr, c);
    ck_assert_int_eq(offload_csum_complete(frame, l.size, l.l4, 6), 0);
    ck_assert_uint_eq(xsw_rd16(frame + l.l4 + 6), 0xffff);
    ck_assert(ref_l4_ok(frame + l.l3, false, 17, frame + l.l4, l.size - l.l4));
}
END_TEST

START_TEST(csum_refuses_offsets_past_frame)
{
    struct spec s = {.udp = true, .payload = 10};
    struct layout l = build(&s);
    uint8_t copy[128];

    memcpy(copy, frame, l.size);
    ck_assert_int_eq(offload_csum_complete(frame, l.size, l.size + 1, 0),
                     -EINVAL);
    ck_assert_int_eq(offload_csum_complete(frame, l.size, l.size - 1, 0),
                     -EINVAL);
    ck_assert_int_eq(offload_csum_complete(frame, l.size, l.l4, l.size),
                     -EINVAL);
    ck_assert_int_eq(offload_csum_complete(frame, l.size, l.l4, 0xffffffffu),
                     -EINVAL);
    ck_assert_mem_eq(copy, frame, l.size);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Segmentation. */

/* Segments the frame built from 's' and checks every segment against the
 * original independently; returns the number of segments. */
static unsigned
check_segments(const struct spec *s, uint16_t gso_size, uint32_t mtu,
               uint32_t expect_mss)
{
    static uint8_t orig[BUF_SIZE], joined[BUF_SIZE];
    struct layout l = build(s);
    struct virtio_net_hdr vh = vnet(s, &l, gso_size);
    struct offload_gso gso;
    uint32_t got = 0, n_segs = 0, proto = s->udp ? 17 : 6, plen;
    int size;

    memcpy(orig, frame, l.size);
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, mtu), 0);
    while (!offload_gso_done(&gso)) {
        const uint8_t *ip = seg + l.l3, *l4 = seg + l.l4;
        bool first = n_segs == 0, last;

        ck_assert_uint_lt(n_segs, 1000);
        memset(seg, 0x5a, sizeof seg);
        size = offload_gso_next(&gso, seg, sizeof seg);
        ck_assert_int_gt(size, 0);
        plen = (uint32_t) size - l.hdr;
        last = got + plen == s->payload;
        ck_assert_uint_le(plen, expect_mss);
        if (!last)
            ck_assert_uint_eq(plen, expect_mss);
        if (mtu)
            ck_assert_uint_le((uint32_t) size - l.l3, mtu);
        /* L2 and the addresses, ports, ack, window and options are the
         * super-frame's. */
        ck_assert_mem_eq(seg, orig, l.l3);
        if (s->v6) {
            ck_assert_mem_eq(ip, orig + l.l3, 4);
            ck_assert_uint_eq(xsw_rd16(ip + 4), (uint32_t) size - l.l4);
            ck_assert_mem_eq(ip + 6, orig + l.l3 + 6, 34);
        } else {
            ck_assert_uint_eq(xsw_rd16(ip + 2), (uint32_t) size - l.l3);
            ck_assert_uint_eq(xsw_rd16(ip + 4),
                              (uint16_t) (s->ip_id + n_segs));
            ck_assert_mem_eq(ip + 6, orig + l.l3 + 6, 4);
            ck_assert_mem_eq(ip + 12, orig + l.l3 + 12, 8);
            ck_assert(ref_ip4_ok(ip));
        }
        ck_assert_mem_eq(l4, orig + l.l4, 4);
        if (s->udp) {
            ck_assert_uint_eq(xsw_rd16(l4 + 4), (uint32_t) size - l.l4);
        } else {
            uint32_t seq =
                (uint32_t) xsw_rd16(l4 + 4) << 16 | xsw_rd16(l4 + 6);
            uint8_t flags = s->tcp_flags;

            ck_assert_uint_eq(seq, s->seq + got);
            if (!last)
                flags &= (uint8_t) ~(XSW_TCP_FIN | XSW_TCP_PSH);
            if (!first)
                flags &= (uint8_t) ~XSW_TCP_CWR;
            ck_assert_uint_eq(l4[13], flags);
            ck_assert_mem_eq(l4 + 8, orig + l.l4 + 8, 5);
            ck_assert_mem_eq(l4 + 14, orig + l.l4 + 14, 2);
            ck_assert_mem_eq(l4 + 18, orig + l.l4 + 18, 14);
        }
        ck_assert(
            ref_l4_ok(ip, s->v6, (uint8_t) proto, l4, (uint32_t) size - l.l4));
        ck_assert_uint_eq(seg[size], 0x5a); /* Nothing written past. */
        memcpy(joined + got, seg + l.hdr, plen);
        got += plen;
        n_segs++;
    }
    ck_assert_uint_eq(got, s->payload);
    ck_assert_mem_eq(joined, orig + l.hdr, s->payload);
    ck_assert_mem_eq(frame, orig, l.size); /* The super-frame is intact. */
    ck_assert_int_eq(offload_gso_next(&gso, seg, sizeof seg), -EINVAL);
    return n_segs;
}

START_TEST(gso_segments_tcp4)
{
    struct spec s = {.payload = 5000,
                     .tcp_flags = XSW_TCP_ACK | XSW_TCP_PSH | XSW_TCP_FIN |
                                  XSW_TCP_CWR | XSW_TCP_ECE,
                     .seq = 0xfffff000u, /* Wraps inside the frame. */
                     .ip_id = 0xfffe};   /* And so does the IP id. */

    ck_assert_uint_eq(check_segments(&s, 1448, 0, 1448), 4);
}
END_TEST

START_TEST(gso_segments_tcp6)
{
    struct spec s = {.v6 = true,
                     .payload = 64000,
                     .tcp_flags = XSW_TCP_ACK | XSW_TCP_PSH,
                     .seq = 12345};

    ck_assert_uint_eq(check_segments(&s, 1428, 0, 1428), 45);
}
END_TEST

START_TEST(gso_segments_tcp4_with_inband_tag)
{
    struct spec s = {.n_tags = 1,
                     .payload = 3000,
                     .tcp_flags = XSW_TCP_ACK,
                     .seq = 7,
                     .ip_id = 9};

    ck_assert_uint_eq(check_segments(&s, 1448, 1500, 1448), 3);
}
END_TEST

START_TEST(gso_segments_udp4)
{
    struct spec s = {.udp = true, .payload = 3000, .ip_id = 100};

    ck_assert_uint_eq(check_segments(&s, 1000, 1500, 1000), 3);
}
END_TEST

START_TEST(gso_segments_udp6_short_last)
{
    struct spec s = {.v6 = true, .udp = true, .payload = 2501};

    ck_assert_uint_eq(check_segments(&s, 1000, 0, 1000), 3);
}
END_TEST

/* gso_size larger than the payload: one segment, the frame itself with
 * its checksum completed. */
START_TEST(gso_size_larger_than_payload)
{
    struct spec s = {.payload = 500,
                     .tcp_flags = XSW_TCP_ACK | XSW_TCP_PSH | XSW_TCP_FIN,
                     .seq = 1,
                     .ip_id = 5};

    ck_assert_uint_eq(check_segments(&s, 1448, 1500, 1448), 1);
}
END_TEST

START_TEST(gso_mtu_cuts_tcp_smaller)
{
    struct spec s = {.payload = 4000, .tcp_flags = XSW_TCP_ACK, .seq = 3};

    /* 576 - 20 (IP) - 32 (TCP with options) = 524 bytes a segment. */
    ck_assert_uint_eq(check_segments(&s, 1448, 576, 524), 8);
}
END_TEST

START_TEST(gso_refuses_udp_over_mtu)
{
    struct spec s = {.udp = true, .payload = 3000};
    struct layout l = build(&s);
    struct virtio_net_hdr vh = vnet(&s, &l, 1000);
    struct offload_gso gso;

    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 1000),
                     -EMSGSIZE);
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 1028), 0);
}
END_TEST

START_TEST(gso_next_reports_nospc)
{
    struct spec s = {.payload = 3000, .tcp_flags = XSW_TCP_ACK};
    struct layout l = build(&s);
    struct virtio_net_hdr vh = vnet(&s, &l, 1448);
    struct offload_gso gso;

    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 0), 0);
    ck_assert_int_eq(offload_gso_next(&gso, seg, l.hdr + 1447), -ENOSPC);
    ck_assert_int_eq(offload_gso_next(&gso, seg, l.hdr + 1448),
                     (int) l.hdr + 1448);
    ck_assert_uint_eq(xsw_rd16(seg + l.l4 + 6), 0); /* The first one. */
    ck_assert_int_eq(offload_gso_next(&gso, seg, sizeof seg),
                     (int) l.hdr + 1448);
    ck_assert_uint_eq(xsw_rd16(seg + l.l4 + 6), 1448);
}
END_TEST

/* Every cut of the headers is refused; the copy has exactly 'cut' bytes,
 * so the sanitizer sees any read past it. */
START_TEST(gso_refuses_truncated_headers)
{
    static const struct spec specs[] = {
        {.payload = 100, .tcp_flags = XSW_TCP_ACK},
        {.v6 = true, .payload = 100, .tcp_flags = XSW_TCP_ACK},
        {.udp = true, .n_tags = 2, .payload = 100},
    };
    size_t i;
    uint32_t cut;

    for (i = 0; i < sizeof specs / sizeof *specs; i++) {
        struct layout l = build(&specs[i]);
        struct virtio_net_hdr vh = vnet(&specs[i], &l, 50);

        for (cut = 0; cut < l.size; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            struct offload_gso gso;

            ck_assert_ptr_nonnull(copy);
            memcpy(copy, frame, cut);
            ck_assert_int_eq(offload_gso_start(&gso, copy, cut, &vh, 0),
                             -EINVAL);
            free(copy);
        }
    }
}
END_TEST

START_TEST(gso_refuses_inconsistent_metadata)
{
    struct spec s4 = {.payload = 3000, .tcp_flags = XSW_TCP_ACK};
    struct spec s6 = {.v6 = true, .payload = 3000};
    struct offload_gso gso;
    struct layout l = build(&s4);
    struct virtio_net_hdr vh = vnet(&s4, &l, 1448), bad;

    bad = vh;
    bad.gso_type = VIRTIO_NET_HDR_GSO_UDP; /* Legacy UFO. */
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), -EINVAL);
    bad = vh;
    bad.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), -EINVAL);
    bad = vh;
    bad.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4; /* The frame is TCP. */
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), -EINVAL);
    bad = vh;
    bad.gso_size = 0;
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), -EINVAL);
    bad = vh;
    bad.csum_start = (uint16_t) (l.l4 + 4); /* Not where IHL says. */
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), -EINVAL);
    bad = vh;
    bad.gso_type |= VIRTIO_NET_HDR_GSO_ECN; /* A flag, still TCPV4. */
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &bad, 0), 0);
    frame[l.l4 + 12] = 4 << 4; /* TCP data offset below 5 words. */
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 0), -EINVAL);
    l = build(&s4);
    xsw_wr16(frame + l.l3 + 2, (uint16_t) (l.size - l.l3 + 1));
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 0),
                     -EINVAL); /* IP length past the frame. */
    l = build(&s4);
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 40),
                     -EMSGSIZE); /* No room for any payload. */
    l = build(&s6);
    vh = vnet(&s6, &l, 1000);
    vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
    ck_assert_int_eq(offload_gso_start(&gso, frame, l.size, &vh, 0), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* VLAN tags. */

START_TEST(vlan_push_inserts_tag_after_macs)
{
    uint8_t orig[64];
    uint32_t i;

    for (i = 0; i < 64; i++)
        frame[i] = orig[i] = (uint8_t) (i + 1);
    ck_assert_int_eq(offload_vlan_push(frame, 64, 0x88a8, 0xa064), 0);
    ck_assert_mem_eq(frame - 4, orig, 12);
    ck_assert_uint_eq(xsw_rd16(frame + 8), 0x88a8);
    ck_assert_uint_eq(xsw_rd16(frame + 10), 0xa064);
    ck_assert_mem_eq(frame + 12, orig + 12, 52);
}
END_TEST

START_TEST(vlan_push_refuses_runt)
{
    memset(buf, 0x11, sizeof buf);
    ck_assert_int_eq(offload_vlan_push(frame, 11, 0x8100, 1), -EINVAL);
    ck_assert_uint_eq(frame[-4], 0x11);
}
END_TEST

static Suite *
offload_suite(void)
{
    Suite *s = suite_create("offload");
    TCase *tc = tcase_create("offload");

    tcase_add_test(tc, csum_completes_tcp4);
    tcase_add_test(tc, csum_completes_udp4_odd_size);
    tcase_add_test(tc, csum_completes_tcp6);
    tcase_add_test(tc, csum_completes_udp6_tagged);
    tcase_add_test(tc, csum_completes_every_small_size);
    tcase_add_test(tc, csum_ignores_ethernet_padding);
    tcase_add_test(tc, csum_zero_is_written_as_ffff);
    tcase_add_test(tc, csum_refuses_offsets_past_frame);
    tcase_add_test(tc, gso_segments_tcp4);
    tcase_add_test(tc, gso_segments_tcp6);
    tcase_add_test(tc, gso_segments_tcp4_with_inband_tag);
    tcase_add_test(tc, gso_segments_udp4);
    tcase_add_test(tc, gso_segments_udp6_short_last);
    tcase_add_test(tc, gso_size_larger_than_payload);
    tcase_add_test(tc, gso_mtu_cuts_tcp_smaller);
    tcase_add_test(tc, gso_refuses_udp_over_mtu);
    tcase_add_test(tc, gso_next_reports_nospc);
    tcase_add_test(tc, gso_refuses_truncated_headers);
    tcase_add_test(tc, gso_refuses_inconsistent_metadata);
    tcase_add_test(tc, vlan_push_inserts_tag_after_macs);
    tcase_add_test(tc, vlan_push_refuses_runt);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(offload_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
