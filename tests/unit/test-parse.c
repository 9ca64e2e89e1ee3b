/* Unit tests of the metadata parser (core/parse.h): one test per claim of
 * the header's essay.  Frames are written by hand with the small put_*()
 * helpers below; every frame is parsed from a heap copy of exactly its size
 * so that, under ASan (-DXSW_SANITIZE=ON), a read past 'size' fails. */
#include "parse.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MAX 4096

struct frame {
    uint8_t b[FRAME_MAX];
    size_t size;
};

static const uint8_t mac_a[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};
static const uint8_t ip6_a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a};
static const uint8_t ip6_b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0b};
#define IP4_A 0x0a000001u /* 10.0.0.1 */
#define IP4_B 0x0a000002u /* 10.0.0.2 */
#define TOS 0xb8
#define TTL 63

/* Frame writers ---------------------------------------------------------*/

static void
put_u8(struct frame *f, uint8_t v)
{
    ck_assert_uint_lt(f->size, FRAME_MAX);
    f->b[f->size++] = v;
}

static void
put_u16(struct frame *f, uint16_t v)
{
    put_u8(f, (uint8_t) (v >> 8));
    put_u8(f, (uint8_t) v);
}

static void
put_u32(struct frame *f, uint32_t v)
{
    put_u16(f, (uint16_t) (v >> 16));
    put_u16(f, (uint16_t) v);
}

static void
put_bytes(struct frame *f, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        put_u8(f, p[i]);
}

static void
put_zero(struct frame *f, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        put_u8(f, 0);
}

static void
set_u16(struct frame *f, size_t at, uint16_t v)
{
    f->b[at] = (uint8_t) (v >> 8);
    f->b[at + 1] = (uint8_t) v;
}

/* Destination, source; the type (or first tag) comes next. */
static void
put_macs(struct frame *f, const uint8_t *dst, const uint8_t *src)
{
    f->size = 0;
    put_bytes(f, dst, 6);
    put_bytes(f, src, 6);
}

static void
put_tag(struct frame *f, uint16_t tpid, uint8_t pcp, uint16_t vid)
{
    put_u16(f, tpid);
    put_u16(f, (uint16_t) (pcp << 13 | vid));
}

/* An IPv4 header with 'opt_size' bytes of options; returns its offset, for
 * end_ipv4() to fill the total length once the payload is written. */
static size_t
put_ipv4(struct frame *f, uint8_t proto, uint32_t src, uint32_t dst,
         size_t opt_size)
{
    size_t at = f->size;

    put_u8(f, (uint8_t) (0x40 | (5 + opt_size / 4)));
    put_u8(f, TOS);
    put_u16(f, 0);      /* Total length: end_ipv4(). */
    put_u16(f, 0x1234); /* Id. */
    put_u16(f, 0x4000); /* DF. */
    put_u8(f, TTL);
    put_u8(f, proto);
    put_u16(f, 0); /* Checksum: not the parser's business. */
    put_u32(f, src);
    put_u32(f, dst);
    put_zero(f, opt_size);
    return at;
}

static void
end_ipv4(struct frame *f, size_t at)
{
    set_u16(f, at + 2, (uint16_t) (f->size - at));
}

static size_t
put_ipv6(struct frame *f, uint8_t nh, const uint8_t *src, const uint8_t *dst)
{
    size_t at = f->size;

    put_u32(f, 6u << 28 | (uint32_t) TOS << 20 | 0x12345); /* Flow label. */
    put_u16(f, 0); /* Payload length: end_ipv6(). */
    put_u8(f, nh);
    put_u8(f, TTL);
    put_bytes(f, src, 16);
    put_bytes(f, dst, 16);
    return at;
}

static void
end_ipv6(struct frame *f, size_t at)
{
    set_u16(f, at + 4, (uint16_t) (f->size - at - 40));
}

/* Hop-by-hop, routing or destination options: (hdr_len + 1) * 8 bytes. */
static void
put_ext(struct frame *f, uint8_t nh, uint8_t hdr_len)
{
    put_u8(f, nh);
    put_u8(f, hdr_len);
    put_zero(f, (hdr_len + 1u) * 8 - 2);
}

static void
put_frag6(struct frame *f, uint8_t nh, uint16_t offset_units, int mf)
{
    put_u8(f, nh);
    put_u8(f, 0);
    put_u16(f, (uint16_t) (offset_units << 3 | (mf ? 1 : 0)));
    put_u32(f, 0xabcd);
}

static void
put_tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t flags,
        uint8_t doff)
{
    put_u16(f, sport);
    put_u16(f, dport);
    put_u32(f, 1000); /* Seq. */
    put_u32(f, 2000); /* Ack. */
    put_u8(f, (uint8_t) (doff << 4));
    put_u8(f, flags);
    put_u16(f, 8192); /* Window. */
    put_u32(f, 0);    /* Checksum, urgent pointer. */
    if (doff > 5)
        put_zero(f, (doff - 5u) * 4);
}

static void
put_udp(struct frame *f, uint16_t sport, uint16_t dport)
{
    put_u16(f, sport);
    put_u16(f, dport);
    put_u16(f, 8);
    put_u16(f, 0);
}

static void
put_icmp(struct frame *f, uint8_t type, uint8_t code)
{
    put_u8(f, type);
    put_u8(f, code);
    put_u16(f, 0);
    put_u32(f, 0x00010002); /* Id, seq. */
}

/* Ethernet + IPv4 + TCP, untagged: the frame most tests vary. */
static void
build_ipv4_tcp(struct frame *f, uint32_t src, uint32_t dst, uint16_t sport,
               uint16_t dport)
{
    size_t ip;

    put_macs(f, mac_b, mac_a);
    put_u16(f, 0x0800);
    ip = put_ipv4(f, 6, src, dst, 0);
    put_tcp(f, sport, dport, XSW_TCP_SYN | XSW_TCP_ACK, 5);
    put_zero(f, 10);
    end_ipv4(f, ip);
}

static void
build_ipv6_tcp(struct frame *f, const uint8_t *src, const uint8_t *dst,
               uint16_t sport, uint16_t dport)
{
    size_t ip;

    put_macs(f, mac_b, mac_a);
    put_u16(f, 0x86dd);
    ip = put_ipv6(f, 6, src, dst);
    put_tcp(f, sport, dport, XSW_TCP_SYN, 5);
    end_ipv6(f, ip);
}

/* Parsing ----------------------------------------------------------------*/

/* Parses a heap copy of exactly 'size' bytes of 'f', with every metadata
 * field first set to garbage (0xa5) and 'flags' to 'flags_in'.  The copy is
 * freed before returning, so pkt->data is set to NULL. */
static void
parse_bytes_flags(const uint8_t *bytes, size_t size, struct xsw_packet *pkt,
                  uint32_t flags_in)
{
    uint8_t *copy = size ? malloc(size) : NULL;

    ck_assert(size == 0 || copy != NULL);
    if (size)
        memcpy(copy, bytes, size);
    memset(pkt, 0xa5, sizeof *pkt);
    pkt->data = copy;
    pkt->size = (uint32_t) size;
    pkt->flags = flags_in;
    parse_packet(pkt);
    if (size)
        ck_assert_mem_eq(copy, bytes, size); /* The frame is not written. */
    free(copy);
    pkt->data = NULL;
}

static void
parse_frame(const struct frame *f, struct xsw_packet *pkt)
{
    parse_bytes_flags(f->b, f->size, pkt, 0);
}

static uint32_t
hash_of(const struct frame *f)
{
    struct xsw_packet pkt;

    parse_frame(f, &pkt);
    return pkt.flow_hash;
}

static void
assert_ip4(const uint8_t *ip, uint32_t want)
{
    uint8_t b[16] = {(uint8_t) (want >> 24), (uint8_t) (want >> 16),
                     (uint8_t) (want >> 8), (uint8_t) want};

    ck_assert_mem_eq(ip, b, 16);
}

/* The fields every IPv4/TCP test from build_ipv4_tcp() shares. */
static void
assert_plain_ipv4_tcp(const struct xsw_packet *pkt)
{
    ck_assert_uint_eq(pkt->ethertype, 0x0800);
    ck_assert_uint_eq(pkt->ip_version, 4);
    ck_assert_uint_eq(pkt->ip_proto, 6);
    ck_assert_uint_eq(pkt->ip_tos, TOS);
    ck_assert_uint_eq(pkt->ip_ttl, TTL);
    assert_ip4(pkt->src_ip, IP4_A);
    assert_ip4(pkt->dst_ip, IP4_B);
}

/* Tests -------------------------------------------------------------------*/

START_TEST(ipv4_tcp_untagged_flags_and_ports)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 40000, 443);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.n_tags, 0);
    ck_assert_uint_eq(pkt.vlan, 0);
    ck_assert_uint_eq(pkt.pcp, 0);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, 34);
    ck_assert_uint_eq(pkt.payload_ofs, 54);
    assert_plain_ipv4_tcp(&pkt);
    ck_assert_uint_eq(pkt.src_port, 40000);
    ck_assert_uint_eq(pkt.dst_port, 443);
    ck_assert_uint_eq(pkt.tcp_flags, XSW_TCP_SYN | XSW_TCP_ACK);
}
END_TEST

START_TEST(ipv4_options_move_l4)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 17, IP4_A, IP4_B, 12);
    put_udp(&f, 53, 5353);
    end_ipv4(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, 14 + 32);
    ck_assert_uint_eq(pkt.payload_ofs, 14 + 32 + 8);
    ck_assert_uint_eq(pkt.ip_proto, 17);
    ck_assert_uint_eq(pkt.src_port, 53);
    ck_assert_uint_eq(pkt.dst_port, 5353);
}
END_TEST

/* A bad header fills no L3 field: they are all as after a reset. */
static void
assert_no_l3(const struct xsw_packet *pkt)
{
    static const uint8_t zero[16];

    ck_assert_uint_eq(pkt->l3_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt->l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt->payload_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt->ip_version, 0);
    ck_assert_uint_eq(pkt->ip_proto, 0);
    ck_assert_uint_eq(pkt->ip_tos, 0);
    ck_assert_uint_eq(pkt->ip_ttl, 0);
    ck_assert_mem_eq(pkt->src_ip, zero, 16);
    ck_assert_mem_eq(pkt->dst_ip, zero, 16);
    ck_assert_uint_eq(pkt->src_port, 0);
    ck_assert_uint_eq(pkt->dst_port, 0);
}

START_TEST(ipv4_bad_ihl)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    f.b[14] = 0x44;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_BAD);
    ck_assert_uint_eq(pkt.ethertype, 0x0800);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(ipv4_bad_version)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    f.b[14] = 0x65;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_BAD);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(ipv4_total_length_below_header)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    set_u16(&f, 14 + 2, 19);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_BAD);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(ipv4_header_cut_short)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    /* 20 bytes are there but the options the IHL announces are not. */
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 6, IP4_A, IP4_B, 8);
    end_ipv4(&f, ip);
    f.size = 14 + 24;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    assert_no_l3(&pkt);

    f.size = 14 + 19;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(ipv4_total_length_beyond_frame)
{
    struct frame f;
    struct xsw_packet pkt;

    /* A capture cut after the TCP header: L3 and L4 are still parsed. */
    build_ipv4_tcp(&f, IP4_A, IP4_B, 1000, 80);
    f.size = 14 + 20 + 20;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    assert_plain_ipv4_tcp(&pkt);
    ck_assert_uint_eq(pkt.l4_ofs, 34);
    ck_assert_uint_eq(pkt.payload_ofs, 54);
    ck_assert_uint_eq(pkt.src_port, 1000);
    ck_assert_uint_eq(pkt.dst_port, 80);

    /* Cut inside the TCP header: no L4. */
    f.size = 14 + 20 + 19;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC | XSW_PKT_F_L4_TRUNC);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.src_port, 0);
}
END_TEST

START_TEST(ipv4_ethernet_padding_is_normal)
{
    struct frame f;
    struct xsw_packet pkt;
    struct xsw_packet whole;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 17, IP4_A, IP4_B, 0);
    put_udp(&f, 7, 9);
    put_u16(&f, 0xbeef); /* Two bytes of payload. */
    end_ipv4(&f, ip);
    parse_frame(&f, &whole);
    put_zero(&f, 60 - f.size); /* Pad to the Ethernet minimum. */
    ck_assert_uint_eq(f.size, 60);
    f.b[59] = 0xff;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.l4_ofs, 34);
    ck_assert_uint_eq(pkt.payload_ofs, 42);
    ck_assert_uint_eq(pkt.flow_hash, whole.flow_hash);
    /* The accessors see the datagram's end, not the frame's. */
    pkt.data = f.b;
    ck_assert_uint_eq(parse_ip_end(&pkt), 14 + 30);
    ck_assert_uint_eq(parse_payload_size(&pkt), 2);
}
END_TEST

START_TEST(ipv4_first_fragment_has_l4)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1000, 80);
    set_u16(&f, 14 + 6, 0x2000); /* MF, offset 0. */
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_IP_FRAG);
    ck_assert_uint_eq(pkt.l4_ofs, 34);
    ck_assert_uint_eq(pkt.src_port, 1000);
    ck_assert_uint_eq(pkt.dst_port, 80);
}
END_TEST

START_TEST(ipv4_later_fragment_has_no_l4)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t frag[] = {0x2000 | 185, 185}; /* Middle, last. */
    size_t i;

    for (i = 0; i < 2; i++) {
        build_ipv4_tcp(&f, IP4_A, IP4_B, 1000, 80);
        set_u16(&f, 14 + 6, frag[i]);
        parse_frame(&f, &pkt);
        ck_assert_uint_eq(pkt.flags, XSW_PKT_F_IP_FRAG | XSW_PKT_F_IP_LATER);
        ck_assert_uint_eq(pkt.l3_ofs, 14);
        assert_plain_ipv4_tcp(&pkt);
        ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
        ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
        ck_assert_uint_eq(pkt.src_port, 0);
        ck_assert_uint_eq(pkt.dst_port, 0);
        ck_assert_uint_eq(pkt.tcp_flags, 0);
    }
}
END_TEST

/* Ethernet + tags + IPv4/UDP. */
static void
build_tagged(struct frame *f, const uint16_t *tpids, const uint16_t *vids,
             size_t n_tags)
{
    size_t i, ip;

    put_macs(f, mac_b, mac_a);
    for (i = 0; i < n_tags; i++)
        put_tag(f, tpids[i], (uint8_t) (i + 5), vids[i]);
    put_u16(f, 0x0800);
    ip = put_ipv4(f, 17, IP4_A, IP4_B, 0);
    put_udp(f, 1, 2);
    end_ipv4(f, ip);
}

START_TEST(vlan_8021q_tag)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t tpid = 0x8100, vid = 100;

    build_tagged(&f, &tpid, &vid, 1);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TAGGED);
    ck_assert_uint_eq(pkt.n_tags, 1);
    ck_assert_uint_eq(pkt.vlan, 100);
    ck_assert_uint_eq(pkt.pcp, 5);
    ck_assert_uint_eq(pkt.ethertype, 0x0800);
    ck_assert_uint_eq(pkt.l3_ofs, 18);
    ck_assert_uint_eq(pkt.l4_ofs, 38);
    ck_assert_uint_eq(pkt.src_port, 1);
}
END_TEST

START_TEST(vlan_qinq_8021q_outer_gives_vlan)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t tpids[] = {0x8100, 0x8100}, vids[] = {10, 4094};

    build_tagged(&f, tpids, vids, 2);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TAGGED);
    ck_assert_uint_eq(pkt.n_tags, 2);
    ck_assert_uint_eq(pkt.vlan, 10);
    ck_assert_uint_eq(pkt.pcp, 5);
    ck_assert_uint_eq(pkt.ethertype, 0x0800);
    ck_assert_uint_eq(pkt.l3_ofs, 22);
    ck_assert_uint_eq(pkt.l4_ofs, 42);
}
END_TEST

START_TEST(vlan_8021ad_outer_is_not_tagged)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t tpids[] = {0x88a8, 0x8100}, vids[] = {10, 20};

    build_tagged(&f, tpids, vids, 2);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.n_tags, 2);
    ck_assert_uint_eq(pkt.vlan, 0);
    ck_assert_uint_eq(pkt.pcp, 0);
    ck_assert_uint_eq(pkt.ethertype, 0x0800);
    ck_assert_uint_eq(pkt.l3_ofs, 22);
    ck_assert_uint_eq(pkt.ip_proto, 17);
}
END_TEST

START_TEST(vlan_three_tags_are_too_deep)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t tpids[] = {0x8100, 0x88a8, 0x8100}, vids[] = {10, 20, 30};

    build_tagged(&f, tpids, vids, 3);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TAGS_DEEP | XSW_PKT_F_TAGGED);
    ck_assert_uint_eq(pkt.n_tags, XSW_TAGS_MAX);
    ck_assert_uint_eq(pkt.vlan, 10);
    ck_assert_uint_eq(pkt.ethertype, 0x8100);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(vlan_tag_cut_short_is_l2_trunc)
{
    struct frame f;
    struct xsw_packet pkt;
    uint16_t tpid = 0x8100, vid = 7;
    size_t size;

    build_tagged(&f, &tpid, &vid, 1);
    for (size = 14; size < 18; size++) {
        f.size = size;
        parse_frame(&f, &pkt);
        ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L2_TRUNC);
        ck_assert_uint_eq(pkt.n_tags, 0);
        ck_assert_uint_eq(pkt.vlan, 0);
        ck_assert_uint_eq(pkt.ethertype, 0x8100);
        assert_no_l3(&pkt);
    }
    f.size = 18; /* The tag is whole; the IPv4 header is missing. */
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TAGGED | XSW_PKT_F_L3_TRUNC);
    ck_assert_uint_eq(pkt.n_tags, 1);
    ck_assert_uint_eq(pkt.vlan, 7);
}
END_TEST

static void
build_arp(struct frame *f, uint16_t op, uint32_t spa, uint32_t tpa)
{
    put_macs(f, mac_b, mac_a);
    put_u16(f, 0x0806);
    put_u16(f, 1);      /* Ethernet. */
    put_u16(f, 0x0800); /* IPv4. */
    put_u8(f, 6);
    put_u8(f, 4);
    put_u16(f, op);
    put_bytes(f, mac_a, 6);
    put_u32(f, spa);
    put_bytes(f, mac_b, 6);
    put_u32(f, tpa);
}

START_TEST(arp_gives_spa_tpa_opcode)
{
    struct frame f;
    struct xsw_packet pkt;

    build_arp(&f, 2, IP4_A, IP4_B);
    put_zero(&f, 60 - f.size);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ethertype, 0x0806);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.ip_version, 0);
    ck_assert_uint_eq(pkt.ip_proto, 2);
    assert_ip4(pkt.src_ip, IP4_A);
    assert_ip4(pkt.dst_ip, IP4_B);
}
END_TEST

START_TEST(arp_cut_short_or_not_ipv4)
{
    struct frame f;
    struct xsw_packet pkt;

    build_arp(&f, 1, IP4_A, IP4_B);
    f.size = 14 + 27;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    assert_no_l3(&pkt);

    build_arp(&f, 1, IP4_A, IP4_B);
    f.b[14 + 5] = 16; /* Protocol address size. */
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_BAD);
    assert_no_l3(&pkt);
}
END_TEST

START_TEST(ipv6_udp)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 17, ip6_a, ip6_b);
    put_udp(&f, 546, 547);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ethertype, 0x86dd);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, 54);
    ck_assert_uint_eq(pkt.payload_ofs, 62);
    ck_assert_uint_eq(pkt.ip_version, 6);
    ck_assert_uint_eq(pkt.ip_proto, 17);
    ck_assert_uint_eq(pkt.ip_tos, TOS);
    ck_assert_uint_eq(pkt.ip_ttl, TTL);
    ck_assert_mem_eq(pkt.src_ip, ip6_a, 16);
    ck_assert_mem_eq(pkt.dst_ip, ip6_b, 16);
    ck_assert_uint_eq(pkt.src_port, 546);
    ck_assert_uint_eq(pkt.dst_port, 547);
}
END_TEST

START_TEST(ipv6_hop_and_dest_options_then_tcp)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 0, ip6_a, ip6_b);
    put_ext(&f, 43, 0); /* Hop-by-hop, 8 bytes. */
    put_ext(&f, 60, 1); /* Routing, 16 bytes. */
    put_ext(&f, 6, 2);  /* Destination options, 24 bytes. */
    put_tcp(&f, 5000, 22, XSW_TCP_FIN | XSW_TCP_PSH, 8);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, 54 + 8 + 16 + 24);
    ck_assert_uint_eq(pkt.payload_ofs, 54 + 8 + 16 + 24 + 32);
    ck_assert_uint_eq(pkt.ip_proto, 6);
    ck_assert_uint_eq(pkt.src_port, 5000);
    ck_assert_uint_eq(pkt.dst_port, 22);
    ck_assert_uint_eq(pkt.tcp_flags, XSW_TCP_FIN | XSW_TCP_PSH);
}
END_TEST

START_TEST(ipv6_fragment_header)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    /* First fragment: L4 follows the fragment header. */
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 44, ip6_a, ip6_b);
    put_frag6(&f, 17, 0, 1);
    put_udp(&f, 100, 200);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_IP_FRAG);
    ck_assert_uint_eq(pkt.ip_proto, 17);
    ck_assert_uint_eq(pkt.l4_ofs, 62);
    ck_assert_uint_eq(pkt.src_port, 100);

    /* Later fragment: the protocol is known, L4 is not there. */
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 0, ip6_a, ip6_b);
    put_ext(&f, 44, 0);
    put_frag6(&f, 17, 150, 0);
    put_zero(&f, 16);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_IP_FRAG | XSW_PKT_F_IP_LATER);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.ip_proto, 17);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.src_port, 0);

    /* Atomic fragment (offset 0, no MF): not a fragment. */
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 44, ip6_a, ip6_b);
    put_frag6(&f, 6, 0, 0);
    put_tcp(&f, 1, 2, XSW_TCP_RST, 5);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.l4_ofs, 62);
    ck_assert_uint_eq(pkt.tcp_flags, XSW_TCP_RST);
}
END_TEST

START_TEST(ipv6_ext_chain_off_the_end)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    /* The destination options header says 24 bytes; 16 are there. */
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 0, ip6_a, ip6_b);
    put_ext(&f, 60, 0);
    put_ext(&f, 6, 2);
    end_ipv6(&f, ip);
    f.size -= 8;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.ip_version, 6);
    ck_assert_uint_eq(pkt.ip_proto, 60);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);

    /* The frame holds it all, but the payload length ends the chain
     * early: the datagram, not the frame, bounds the walk. */
    f.size += 8;
    set_u16(&f, 14 + 4, 8 + 16);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    ck_assert_uint_eq(pkt.ip_proto, 60);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);

    /* Cut before an extension header's first 8 bytes. */
    f.size = 14 + 40 + 8 + 4;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L3_TRUNC);
    ck_assert_uint_eq(pkt.ip_proto, 60);
}
END_TEST

START_TEST(ipv6_ext_chain_too_long)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;
    int i;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 60, ip6_a, ip6_b);
    for (i = 0; i < PARSE_IPV6_EXT_MAX; i++)
        put_ext(&f, 60, 0);
    put_udp(&f, 1, 2);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_EXT_DEEP);
    ck_assert_uint_eq(pkt.ip_proto, 60);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);

    /* Exactly PARSE_IPV6_EXT_MAX headers are walked. */
    f.b[14 + 40 + 8 * (PARSE_IPV6_EXT_MAX - 1)] = 17;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ip_proto, 17);
    ck_assert_uint_eq(pkt.l4_ofs, 14 + 40 + 8 * PARSE_IPV6_EXT_MAX);
}
END_TEST

START_TEST(ipv6_esp_ah_and_no_next_are_final)
{
    uint8_t protos[] = {50, 51, 59};
    struct frame f;
    struct xsw_packet pkt;
    size_t i, ip;

    for (i = 0; i < sizeof protos; i++) {
        put_macs(&f, mac_b, mac_a);
        put_u16(&f, 0x86dd);
        ip = put_ipv6(&f, 0, ip6_a, ip6_b);
        put_ext(&f, protos[i], 0);
        put_u32(&f, 0x1000); /* ESP SPI (or AH's first word). */
        put_u32(&f, 1);
        put_zero(&f, 24);
        end_ipv6(&f, ip);
        parse_frame(&f, &pkt);
        ck_assert_uint_eq(pkt.flags, 0);
        ck_assert_uint_eq(pkt.ip_proto, protos[i]);
        ck_assert_uint_eq(pkt.l3_ofs, 14);
        ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
        ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
        ck_assert_uint_eq(pkt.src_port, 0);
    }
}
END_TEST

START_TEST(icmp_type_and_code)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 1, IP4_A, IP4_B, 0);
    put_icmp(&f, 3, 4);
    end_ipv4(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ip_proto, 1);
    ck_assert_uint_eq(pkt.l4_ofs, 34);
    ck_assert_uint_eq(pkt.payload_ofs, 42);
    ck_assert_uint_eq(pkt.src_port, 3);
    ck_assert_uint_eq(pkt.dst_port, 4);

    f.size -= 1; /* ICMP cut short. */
    end_ipv4(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L4_TRUNC);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.src_port, 0);
}
END_TEST

START_TEST(icmpv6_type_and_code)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t ip;

    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x86dd);
    ip = put_ipv6(&f, 58, ip6_a, ip6_b);
    put_icmp(&f, 135, 0); /* Neighbour solicitation. */
    put_zero(&f, 16);
    end_ipv6(&f, ip);
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ip_proto, 58);
    ck_assert_uint_eq(pkt.l4_ofs, 54);
    ck_assert_uint_eq(pkt.payload_ofs, 62);
    ck_assert_uint_eq(pkt.src_port, 135);
    ck_assert_uint_eq(pkt.dst_port, 0);

    /* Protocol 1 inside IPv6 is not ICMP. */
    f.b[14 + 6] = 1;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.ip_proto, 1);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.src_port, 0);
}
END_TEST

START_TEST(tcp_bad_data_offset)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1000, 80);
    f.b[34 + 12] = 4 << 4;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L4_TRUNC);
    ck_assert_uint_eq(pkt.l3_ofs, 14);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
    ck_assert_uint_eq(pkt.src_port, 0);
    ck_assert_uint_eq(pkt.tcp_flags, 0);

    /* 15 words = 60 bytes, past the 30-byte segment. */
    f.b[34 + 12] = 15 << 4;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L4_TRUNC);
    ck_assert_uint_eq(pkt.l4_ofs, XSW_OFS_NONE);

    /* 7 words = 28 bytes fit. */
    f.b[34 + 12] = 7 << 4;
    parse_frame(&f, &pkt);
    ck_assert_uint_eq(pkt.flags, 0);
    ck_assert_uint_eq(pkt.payload_ofs, 34 + 28);
}
END_TEST

START_TEST(runt_frames_are_l2_trunc)
{
    struct frame f;
    struct xsw_packet pkt;
    size_t size;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    for (size = 0; size < 14; size++) {
        parse_bytes_flags(f.b, size, &pkt, 0);
        ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L2_TRUNC);
        ck_assert_uint_eq(pkt.size, size);
        ck_assert_uint_eq(pkt.ethertype, 0);
        ck_assert_uint_eq(pkt.n_tags, 0);
        ck_assert_uint_eq(pkt.flow_hash, 0);
        assert_no_l3(&pkt);
        ck_assert_ptr_null(parse_eth_src(&pkt));
        ck_assert_ptr_null(parse_eth_dst(&pkt));
    }
}
END_TEST

START_TEST(eth_accessors)
{
    struct frame f;
    struct xsw_packet pkt;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = f.b;
    pkt.size = (uint32_t) f.size;
    parse_packet(&pkt);
    ck_assert_mem_eq(parse_eth_dst(&pkt), mac_b, 6);
    ck_assert_mem_eq(parse_eth_src(&pkt), mac_a, 6);
    ck_assert(parse_is_ipv4(&pkt));
    ck_assert(!parse_is_ipv6(&pkt));
    ck_assert_ptr_eq(parse_l3_hdr(&pkt), f.b + 14);
    ck_assert_ptr_eq(parse_l4_hdr(&pkt), f.b + 34);
    ck_assert_uint_eq(parse_payload_size(&pkt), 10);
}
END_TEST

START_TEST(flow_hash_symmetric)
{
    struct frame f;
    uint32_t fwd, rev;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 40000, 80);
    fwd = hash_of(&f);
    build_ipv4_tcp(&f, IP4_B, IP4_A, 80, 40000);
    rev = hash_of(&f);
    ck_assert_uint_eq(fwd, rev);
    ck_assert_uint_ne(fwd, 0);

    build_ipv6_tcp(&f, ip6_a, ip6_b, 40000, 80);
    fwd = hash_of(&f);
    build_ipv6_tcp(&f, ip6_b, ip6_a, 80, 40000);
    ck_assert_uint_eq(fwd, hash_of(&f));

    /* Same address both ways: the ports decide the order. */
    build_ipv4_tcp(&f, IP4_A, IP4_A, 40000, 80);
    fwd = hash_of(&f);
    build_ipv4_tcp(&f, IP4_A, IP4_A, 80, 40000);
    ck_assert_uint_eq(fwd, hash_of(&f));

    /* Non-IP: the MACs swapped. */
    build_arp(&f, 1, IP4_A, IP4_B);
    fwd = hash_of(&f);
    put_macs(&f, mac_a, mac_b);
    f.size = 42;
    ck_assert_uint_eq(fwd, hash_of(&f));
}
END_TEST

START_TEST(flow_hash_differs_between_flows)
{
    struct frame f;
    uint32_t h[8];
    size_t i, j, ip;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 40000, 80);
    h[0] = hash_of(&f);
    build_ipv4_tcp(&f, IP4_A, IP4_B, 40001, 80); /* Source port. */
    h[1] = hash_of(&f);
    build_ipv4_tcp(&f, IP4_A, IP4_B, 80, 40000); /* Ports swapped alone. */
    h[2] = hash_of(&f);
    build_ipv4_tcp(&f, IP4_A, IP4_B + 1, 40000, 80); /* Address. */
    h[3] = hash_of(&f);
    build_ipv4_tcp(&f, IP4_A, IP4_B, 40000, 80);
    f.b[14 + 9] = 17; /* Protocol. */
    h[4] = hash_of(&f);
    build_ipv6_tcp(&f, ip6_a, ip6_b, 40000, 80); /* IP version. */
    h[5] = hash_of(&f);
    build_arp(&f, 1, IP4_A, IP4_B); /* Non-IP. */
    h[6] = hash_of(&f);
    f.b[12] = 0x88; /* Another ethertype, same MACs. */
    f.b[13] = 0xb5;
    h[7] = hash_of(&f);
    for (i = 0; i < 8; i++)
        for (j = i + 1; j < 8; j++)
            ck_assert_msg(h[i] != h[j], "flows %zu and %zu collide", i, j);

    /* Every fragment of a datagram hashes alike, and so do an ICMP
     * request and its reply. */
    build_ipv4_tcp(&f, IP4_A, IP4_B, 40000, 80);
    set_u16(&f, 14 + 6, 0x2000);
    h[0] = hash_of(&f);
    set_u16(&f, 14 + 6, 100);
    ck_assert_uint_eq(h[0], hash_of(&f));
    put_macs(&f, mac_b, mac_a);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 1, IP4_A, IP4_B, 0);
    put_icmp(&f, 8, 0);
    end_ipv4(&f, ip);
    h[0] = hash_of(&f);
    put_macs(&f, mac_a, mac_b);
    put_u16(&f, 0x0800);
    ip = put_ipv4(&f, 1, IP4_B, IP4_A, 0);
    put_icmp(&f, 0, 0);
    end_ipv4(&f, ip);
    ck_assert_uint_eq(h[0], hash_of(&f));
}
END_TEST

START_TEST(flow_hash_ignores_vlan_tags)
{
    struct frame f;
    uint32_t untagged;
    uint16_t tpid = 0x8100, vid = 100;

    build_tagged(&f, NULL, NULL, 0);
    untagged = hash_of(&f);
    build_tagged(&f, &tpid, &vid, 1);
    ck_assert_uint_eq(untagged, hash_of(&f));
}
END_TEST

START_TEST(traced_and_injected_survive_reset)
{
    struct frame f;
    struct xsw_packet pkt;
    uint8_t *copy;
    size_t i;

    build_ipv4_tcp(&f, IP4_A, IP4_B, 1, 2);
    parse_bytes_flags(f.b, f.size, &pkt, 0xffffffffu);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TRACED | XSW_PKT_F_INJECTED);
    parse_bytes_flags(f.b, f.size, &pkt, XSW_PKT_F_TRACED);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_TRACED);
    parse_bytes_flags(f.b, 5, &pkt, XSW_PKT_F_INJECTED | XSW_PKT_F_TAGGED);
    ck_assert_uint_eq(pkt.flags, XSW_PKT_F_INJECTED | XSW_PKT_F_L2_TRUNC);

    /* The frame fields and in_port stay; the verdict is reset. */
    copy = malloc(f.size);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, f.b, f.size);
    memset(&pkt, 0xa5, sizeof pkt);
    pkt.data = copy;
    pkt.size = (uint32_t) f.size;
    pkt.headroom = 128;
    pkt.tailroom = 64;
    pkt.ts_ns = 123456789;
    pkt.in_port = 3;
    pkt.verdict = XSW_DROP;
    pkt.fwd = XSW_FWD_FLOOD;
    parse_packet(&pkt);
    ck_assert_ptr_eq(pkt.data, copy);
    ck_assert_uint_eq(pkt.size, f.size);
    ck_assert_uint_eq(pkt.headroom, 128);
    ck_assert_uint_eq(pkt.tailroom, 64);
    ck_assert_uint_eq(pkt.ts_ns, 123456789);
    ck_assert_uint_eq(pkt.in_port, 3);
    ck_assert_uint_eq(pkt.verdict, XSW_PASS);
    ck_assert_uint_eq(pkt.fwd, XSW_FWD_NORMAL);
    ck_assert_uint_eq(pkt.n_out, 0);
    ck_assert_uint_eq(pkt.drop_reason, 0);
    ck_assert_uint_eq(pkt.reserved0, 0);
    ck_assert_uint_eq(pkt.reserved1, 0);
    ck_assert_uint_eq(pkt.reserved2, 0);
    for (i = 0; i < XSW_OUT_PORTS_MAX; i++)
        ck_assert_uint_eq(pkt.out_ports[i], 0);
    for (i = 0; i < 6; i++)
        ck_assert_uint_eq(pkt.reserved[i], 0);
    free(copy);
}
END_TEST

/* Robustness ---------------------------------------------------------------*/

/* What must hold for any input: offsets inside the frame and in order,
 * payload_ofs exactly when l4_ofs, nothing on a runt, and the same result
 * on a second parse. */
static void
assert_sane(const uint8_t *bytes, size_t size)
{
    struct xsw_packet pkt, again;

    parse_bytes_flags(bytes, size, &pkt, 0);
    if (pkt.l3_ofs != XSW_OFS_NONE)
        ck_assert_uint_le(pkt.l3_ofs, size);
    if (pkt.l4_ofs != XSW_OFS_NONE) {
        ck_assert_uint_ne(pkt.l3_ofs, XSW_OFS_NONE);
        ck_assert_uint_gt(pkt.l4_ofs, pkt.l3_ofs);
        ck_assert_uint_ne(pkt.payload_ofs, XSW_OFS_NONE);
        ck_assert_uint_gt(pkt.payload_ofs, pkt.l4_ofs);
        ck_assert_uint_le(pkt.payload_ofs, size);
    } else {
        ck_assert_uint_eq(pkt.payload_ofs, XSW_OFS_NONE);
    }
    if (pkt.ip_version)
        ck_assert_uint_ne(pkt.l3_ofs, XSW_OFS_NONE);
    ck_assert_uint_le(pkt.n_tags, XSW_TAGS_MAX);
    ck_assert_uint_le(pkt.vlan, 4095);
    ck_assert_uint_le(pkt.pcp, 7);
    ck_assert_uint_eq(pkt.flags & ~(XSW_PKT_F_PARSE_MASK | XSW_PKT_F_TAGGED),
                      0);
    if (size < 14)
        ck_assert_uint_eq(pkt.flags, XSW_PKT_F_L2_TRUNC);
    parse_bytes_flags(bytes, size, &again, 0);
    ck_assert_mem_eq(&pkt, &again, sizeof pkt);
}

START_TEST(robust_every_truncation)
{
    struct frame frames[6], *f;
    uint16_t tpids[] = {0x88a8, 0x8100}, vids[] = {10, 20};
    size_t i, size, ip;

    build_ipv4_tcp(&frames[0], IP4_A, IP4_B, 1, 2);
    f = &frames[1];
    build_tagged(f, tpids, vids, 2);
    f = &frames[2];
    build_arp(f, 1, IP4_A, IP4_B);
    f = &frames[3];
    put_macs(f, mac_b, mac_a);
    put_tag(f, 0x8100, 3, 100);
    put_u16(f, 0x86dd);
    ip = put_ipv6(f, 0, ip6_a, ip6_b);
    put_ext(f, 44, 1);
    put_frag6(f, 60, 0, 1);
    put_ext(f, 6, 0);
    put_tcp(f, 1, 2, XSW_TCP_SYN, 10);
    put_zero(f, 7);
    end_ipv6(f, ip);
    f = &frames[4];
    put_macs(f, mac_b, mac_a);
    put_u16(f, 0x0800);
    ip = put_ipv4(f, 1, IP4_A, IP4_B, 40);
    put_icmp(f, 3, 3);
    put_zero(f, 28);
    end_ipv4(f, ip);
    f = &frames[5];
    build_ipv6_tcp(f, ip6_a, ip6_b, 3, 4);

    for (i = 0; i < 6; i++) {
        f = &frames[i];
        for (size = 0; size <= f->size; size++)
            assert_sane(f->b, size);
    }
}
END_TEST

static uint32_t
xorshift32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random bytes, steered towards the parser's branches: known ethertypes
 * and tags, plausible IP version nibbles, IHLs and protocols. */
START_TEST(robust_random_buffers)
{
    static const uint16_t types[] = {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8};
    static const uint8_t protos[] = {0, 6, 17, 1, 58, 43, 44, 60, 50, 59};
    uint8_t buf[256];
    uint32_t seed = 0x2545f491u;
    size_t n, i, size, l3;

    for (n = 0; n < 50000; n++) {
        size = xorshift32(&seed) % sizeof buf;
        for (i = 0; i < size; i++)
            buf[i] = (uint8_t) xorshift32(&seed);
        l3 = 14;
        for (i = 12; i + 2 <= size && xorshift32(&seed) % 4; i += 4) {
            uint16_t t = types[xorshift32(&seed) % 5];

            buf[i] = (uint8_t) (t >> 8);
            buf[i + 1] = (uint8_t) t;
            l3 = i + 2;
            if (t != 0x8100 && t != 0x88a8)
                break;
        }
        if (l3 < size && xorshift32(&seed) % 2)
            buf[l3] = (uint8_t) ((xorshift32(&seed) % 2 ? 0x40 : 0x60) |
                                 (xorshift32(&seed) % 16));
        if (l3 + 9 < size && xorshift32(&seed) % 2)
            buf[l3 + 9] = protos[xorshift32(&seed) % sizeof protos];
        if (l3 + 6 < size && xorshift32(&seed) % 2)
            buf[l3 + 6] = protos[xorshift32(&seed) % sizeof protos];
        if (l3 + 40 < size && xorshift32(&seed) % 2)
            buf[l3 + 40] = protos[xorshift32(&seed) % sizeof protos];
        assert_sane(buf, size);
    }
}
END_TEST

static Suite *
parse_suite(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, ipv4_tcp_untagged_flags_and_ports);
    tcase_add_test(tc, ipv4_options_move_l4);
    tcase_add_test(tc, ipv4_bad_ihl);
    tcase_add_test(tc, ipv4_bad_version);
    tcase_add_test(tc, ipv4_total_length_below_header);
    tcase_add_test(tc, ipv4_header_cut_short);
    tcase_add_test(tc, ipv4_total_length_beyond_frame);
    tcase_add_test(tc, ipv4_ethernet_padding_is_normal);
    tcase_add_test(tc, ipv4_first_fragment_has_l4);
    tcase_add_test(tc, ipv4_later_fragment_has_no_l4);
    tcase_add_test(tc, vlan_8021q_tag);
    tcase_add_test(tc, vlan_qinq_8021q_outer_gives_vlan);
    tcase_add_test(tc, vlan_8021ad_outer_is_not_tagged);
    tcase_add_test(tc, vlan_three_tags_are_too_deep);
    tcase_add_test(tc, vlan_tag_cut_short_is_l2_trunc);
    tcase_add_test(tc, arp_gives_spa_tpa_opcode);
    tcase_add_test(tc, arp_cut_short_or_not_ipv4);
    tcase_add_test(tc, ipv6_udp);
    tcase_add_test(tc, ipv6_hop_and_dest_options_then_tcp);
    tcase_add_test(tc, ipv6_fragment_header);
    tcase_add_test(tc, ipv6_ext_chain_off_the_end);
    tcase_add_test(tc, ipv6_ext_chain_too_long);
    tcase_add_test(tc, ipv6_esp_ah_and_no_next_are_final);
    tcase_add_test(tc, icmp_type_and_code);
    tcase_add_test(tc, icmpv6_type_and_code);
    tcase_add_test(tc, tcp_bad_data_offset);
    tcase_add_test(tc, runt_frames_are_l2_trunc);
    tcase_add_test(tc, eth_accessors);
    tcase_add_test(tc, flow_hash_symmetric);
    tcase_add_test(tc, flow_hash_differs_between_flows);
    tcase_add_test(tc, flow_hash_ignores_vlan_tags);
    tcase_add_test(tc, traced_and_injected_survive_reset);
    tcase_add_test(tc, robust_every_truncation);
    tcase_add_test(tc, robust_random_buffers);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(parse_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
