/* Unit tests of the flowtable classifier (ft_cls) and the flow key it reads
 * (ft_key), on packets whose metadata is filled by hand (no parser): the
 * order of priorities and ties, masks and prefixes, wildcard against exact
 * rules, residual port ranges, prerequisites, 100000 exact rules, and a
 * randomised comparison with a plain linear scan over the same rules. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cls.h"
#include "ft_key.h"
#include "ft_match.h"

#define ETH_IPV4 0x0800
#define ETH_ARP 0x0806
#define ETH_IPV6 0x86dd

/* A hand-built packet: a frame buffer for the MACs, metadata set
 * directly. */
struct test_pkt {
    struct xsw_packet pkt;
    uint8_t frame[64];
};

static void
pkt_l2(struct test_pkt *t, uint16_t in_port, uint8_t dst_last,
       uint8_t src_last, uint16_t ethertype)
{
    static const uint8_t dst[6] = {0x02, 0, 0, 0, 0, 0};
    static const uint8_t src[6] = {0x02, 0, 0, 0, 1, 0};

    memset(t, 0, sizeof *t);
    memcpy(t->frame, dst, 6);
    memcpy(t->frame + 6, src, 6);
    t->frame[5] = dst_last;
    t->frame[11] = src_last;
    t->pkt.data = t->frame;
    t->pkt.size = sizeof t->frame;
    t->pkt.in_port = in_port;
    t->pkt.vlan = 1;
    t->pkt.ethertype = ethertype;
    t->pkt.l3_ofs = t->pkt.l4_ofs = t->pkt.payload_ofs = XSW_OFS_NONE;
}

/* An IPv4 packet, addresses as host-order integers (10.0.0.1 = 0x0a000001).
 * 'proto' 0 means no L4 header. */
static void
pkt_ip4(struct test_pkt *t, uint16_t in_port, uint32_t src, uint32_t dst,
        uint8_t proto, uint16_t sport, uint16_t dport)
{
    uint32_t s = htonl(src), d = htonl(dst);

    pkt_l2(t, in_port, 1, 2, ETH_IPV4);
    t->pkt.l3_ofs = 14;
    t->pkt.ip_version = 4;
    t->pkt.ip_proto = proto;
    t->pkt.ip_ttl = 64;
    memcpy(t->pkt.src_ip, &s, 4);
    memcpy(t->pkt.dst_ip, &d, 4);
    if (proto) {
        t->pkt.l4_ofs = 34;
        t->pkt.src_port = sport;
        t->pkt.dst_port = dport;
    }
}

static uint32_t
lookup(const struct ft_cls *cls, const struct test_pkt *t)
{
    struct ft_key key;

    ft_key_from_packet(&key, &t->pkt);
    return ft_cls_lookup(cls, &key);
}

static void
set_ip4(struct ft_match *m, enum ft_dir dir, uint32_t addr, unsigned plen)
{
    uint8_t a[16] = {0}, mask[16] = {0};
    uint32_t be = htonl(addr);
    uint32_t mbe = htonl(plen ? ~0u << (32 - plen) : 0);
    const char *why;

    memcpy(a, &be, 4);
    memcpy(mask, &mbe, 4);
    ck_assert_int_eq(ft_match_set_ip(m, dir, 4, a, mask, &why), 0);
}

static void
finish(struct ft_match *m)
{
    const char *why = NULL;

    ck_assert_msg(ft_match_finish(m, &why) == 0, "finish: %s", why);
}

static void
insert(struct ft_cls *cls, struct ft_match *m, uint32_t prio, uint32_t id)
{
    ck_assert_int_eq(ft_cls_insert(cls, m, prio, id), 0);
}

static struct ft_cls *
build(struct ft_cls *cls)
{
    ck_assert_int_eq(ft_cls_build(cls), 0);
    return cls;
}

START_TEST(cls_empty_table_misses)
{
    struct ft_cls *cls = ft_cls_create();
    struct test_pkt t;

    build(cls);
    pkt_ip4(&t, 0, 0x0a000001, 0x0a000002, 6, 1000, 80);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ck_assert_uint_eq(ft_cls_n_subtables(cls), 0);
    ck_assert_int_eq(ft_cls_insert(cls, &(struct ft_match){0}, 1, 1), -EBUSY);
    ft_cls_destroy(cls);
}
END_TEST

/* The higher priority wins whichever rule came first and whichever of
 * their subtables is larger. */
START_TEST(cls_priority_beats_insertion_order)
{
    for (int flip = 0; flip < 2; flip++) {
        struct ft_cls *cls = ft_cls_create();
        struct ft_match wide, exact;
        struct test_pkt t;

        ft_match_init(&wide);
        set_ip4(&wide, FT_DST, 0x0a000000, 8);
        finish(&wide);
        ft_match_init(&exact);
        set_ip4(&exact, FT_DST, 0x0a000002, 32);
        ft_match_set_ip_proto(&exact, 6);
        ft_match_set_port_range(&exact, FT_DST, 80, 80);
        finish(&exact);
        if (!flip) {
            insert(cls, &wide, 10, 1);
            insert(cls, &exact, 20, 2);
        } else {
            insert(cls, &exact, 5, 2);
            insert(cls, &wide, 10, 1);
        }
        build(cls);
        pkt_ip4(&t, 0, 0x0a000001, 0x0a000002, 6, 1000, 80);
        ck_assert_uint_eq(lookup(cls, &t), flip ? 1 : 2);
        pkt_ip4(&t, 0, 0x0a000001, 0x0a000002, 6, 1000, 81);
        ck_assert_uint_eq(lookup(cls, &t), 1);
        pkt_ip4(&t, 0, 0x0a000001, 0x0b000002, 6, 1000, 80);
        ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
        ft_cls_destroy(cls);
    }
}
END_TEST

/* Equal priorities: the rule inserted first (config order) wins, both
 * when the rules share a subtable and when they do not. */
START_TEST(cls_ties_go_to_insertion_order)
{
    for (int flip = 0; flip < 2; flip++) {
        struct ft_cls *cls = ft_cls_create();
        struct ft_match a, b, same1, same2;
        struct test_pkt t;

        ft_match_init(&a); /* Subtable: dst_ip /24. */
        set_ip4(&a, FT_DST, 0x0a000200, 24);
        finish(&a);
        ft_match_init(&b); /* Subtable: ip_proto. */
        ft_match_set_ip_proto(&b, 17);
        finish(&b);
        insert(cls, flip ? &b : &a, 7, flip ? 2 : 1);
        insert(cls, flip ? &a : &b, 7, flip ? 1 : 2);
        /* Identical matches: one hash entry, a chain of two. */
        ft_match_init(&same1);
        ft_match_set_vlan(&same1, 5);
        finish(&same1);
        same2 = same1;
        insert(cls, &same1, 3, flip ? 4 : 3);
        insert(cls, &same2, 3, flip ? 3 : 4);
        build(cls);
        ck_assert_uint_eq(ft_cls_n_subtables(cls), 3);
        pkt_ip4(&t, 0, 0x0a000001, 0x0a000205, 17, 53, 53);
        ck_assert_uint_eq(lookup(cls, &t), flip ? 2 : 1);
        pkt_l2(&t, 0, 1, 2, 0x88cc);
        t.pkt.vlan = 5;
        ck_assert_uint_eq(lookup(cls, &t), flip ? 4 : 3);
        ft_cls_destroy(cls);
    }
}
END_TEST

START_TEST(cls_mac_masks)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match oui, host;
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 1, 0x07};
    static const uint8_t ones[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t oui_mask[6] = {0xff, 0xff, 0xff, 0, 0, 0};
    struct test_pkt t;

    ft_match_init(&oui);
    ft_match_set_mac(&oui, FT_SRC, mac, oui_mask);
    finish(&oui);
    ft_match_init(&host);
    ft_match_set_mac(&host, FT_SRC, mac, ones);
    finish(&host);
    insert(cls, &oui, 10, 1);
    insert(cls, &host, 20, 2);
    build(cls);
    pkt_l2(&t, 0, 0xff, 0x07, ETH_ARP); /* 02:00:00:00:01:07 */
    ck_assert_uint_eq(lookup(cls, &t), 2);
    pkt_l2(&t, 0, 0xff, 0x08, ETH_ARP); /* Same OUI, another host. */
    ck_assert_uint_eq(lookup(cls, &t), 1);
    t.frame[8] = 0x01; /* 02:00:01:...: another OUI. */
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    t.frame[8] = 0;
    ck_assert_uint_eq(lookup(cls, &t), 1);
    /* The destination MAC is not the source MAC. */
    pkt_l2(&t, 0, 0x07, 0x99, ETH_ARP);
    t.frame[6] = 0x04;
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ft_cls_destroy(cls);
}
END_TEST

/* Prefixes do not win by length but by priority; each bounds what it
 * covers exactly. */
START_TEST(cls_ip_prefixes)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match m8, m16, m24;
    struct test_pkt t;

    ft_match_init(&m8);
    set_ip4(&m8, FT_SRC, 0x0a000000, 8);
    finish(&m8);
    ft_match_init(&m16);
    set_ip4(&m16, FT_SRC, 0x0a010000, 16);
    finish(&m16);
    ft_match_init(&m24);
    set_ip4(&m24, FT_SRC, 0x0a010200, 24);
    finish(&m24);
    insert(cls, &m16, 30, 16);
    insert(cls, &m24, 20, 24);
    insert(cls, &m8, 10, 8);
    build(cls);
    pkt_ip4(&t, 0, 0x0a010203, 1, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), 16); /* In all three; /16 ranks. */
    pkt_ip4(&t, 0, 0x0a020203, 1, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), 8);
    pkt_ip4(&t, 0, 0x0a01ffff, 1, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), 16);
    pkt_ip4(&t, 0, 0x0b010203, 1, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    pkt_ip4(&t, 0, 0x09ffffff, 1, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ft_cls_destroy(cls);
}
END_TEST

START_TEST(cls_wildcard_versus_exact)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match any, exact, high_any;
    struct test_pkt t;

    ft_match_init(&any);
    insert(cls, &any, 0, 100);
    for (uint32_t i = 0; i < 10; i++) {
        ft_match_init(&exact);
        ft_match_set_in_port(&exact, (uint16_t) i);
        set_ip4(&exact, FT_DST, 0x0a000000 + i, 32);
        finish(&exact);
        insert(cls, &exact, 10, i);
    }
    build(cls);
    for (uint32_t i = 0; i < 10; i++) {
        pkt_ip4(&t, (uint16_t) i, 1, 0x0a000000 + i, 17, 1, 2);
        ck_assert_uint_eq(lookup(cls, &t), i);
        pkt_ip4(&t, (uint16_t) (i + 1), 1, 0x0a000000 + i, 17, 1, 2);
        ck_assert_uint_eq(lookup(cls, &t), 100);
    }
    pkt_l2(&t, 3, 1, 2, ETH_ARP);
    ck_assert_uint_eq(lookup(cls, &t), 100);
    ft_cls_destroy(cls);

    /* A catch-all above the exact rules hides them. */
    cls = ft_cls_create();
    ft_match_init(&exact);
    set_ip4(&exact, FT_DST, 0x0a000001, 32);
    finish(&exact);
    insert(cls, &exact, 10, 1);
    ft_match_init(&high_any);
    insert(cls, &high_any, 11, 2);
    build(cls);
    pkt_ip4(&t, 0, 1, 0x0a000001, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), 2);
    ft_cls_destroy(cls);
}
END_TEST

/* Ranges that are not prefix blocks are checked after the hash; rules with
 * the same masked key chain in rank order. */
START_TEST(cls_port_ranges)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match a, b, c;
    static const struct {
        uint16_t port;
        uint32_t want;
    } cases[] = {
        {999, FT_CLS_MISS}, {1000, 1}, {1023, 1}, {1024, 1},
        {1499, 1},          {1500, 2}, {1600, 2}, {1601, 1},
        {2000, 1},          {2001, 3}, {2047, 3}, {2048, FT_CLS_MISS},
    };
    struct test_pkt t;

    ft_match_init(&a);
    ft_match_set_port_range(&a, FT_DST, 1000, 2000);
    finish(&a);
    ft_match_init(&b);
    ft_match_set_port_range(&b, FT_DST, 1500, 1600);
    finish(&b);
    ft_match_init(&c); /* A block: all mask. */
    ft_match_set_port_range(&c, FT_DST, 1024, 2047);
    finish(&c);
    insert(cls, &a, 10, 1);
    insert(cls, &b, 20, 2);
    insert(cls, &c, 5, 3);
    build(cls);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pkt_ip4(&t, 0, 1, 2, 6, 40000, cases[i].port);
        ck_assert_msg(lookup(cls, &t) == cases[i].want,
                      "port %u: got %u, want %u", cases[i].port,
                      lookup(cls, &t), cases[i].want);
    }
    /* Source and destination ranges together. */
    ft_cls_destroy(cls);
    cls = ft_cls_create();
    ft_match_init(&a);
    ft_match_set_port_range(&a, FT_SRC, 1024, 65535);
    ft_match_set_port_range(&a, FT_DST, 1, 1023);
    finish(&a);
    insert(cls, &a, 1, 7);
    build(cls);
    pkt_ip4(&t, 0, 1, 2, 17, 5000, 53);
    ck_assert_uint_eq(lookup(cls, &t), 7);
    pkt_ip4(&t, 0, 1, 2, 17, 53, 5000);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    pkt_ip4(&t, 0, 1, 2, 17, 5000, 0);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ft_cls_destroy(cls);
}
END_TEST

/* Field values alone would match the wrong packets (the parser reuses
 * the IP and port fields for ARP and ICMP): the prerequisites (FT_KIND_*)
 * keep them apart, as in the acl filter. */
START_TEST(cls_prerequisites_guard_fields)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match ports, v4, arp, icmp, dscp0;
    struct test_pkt t;
    uint8_t a6[16] = {10, 0, 0, 1};

    ft_match_init(&ports);
    ft_match_set_port_range(&ports, FT_DST, 0, 1023);
    finish(&ports);
    ft_match_init(&v4);
    set_ip4(&v4, FT_DST, 0x0a000001, 32);
    finish(&v4);
    ft_match_init(&icmp);
    ft_match_set_ip_proto(&icmp, 1);
    finish(&icmp);
    ft_match_init(&arp);
    ft_match_set_ethertype(&arp, ETH_ARP);
    finish(&arp);
    ft_match_init(&dscp0);
    ft_match_set_dscp(&dscp0, 0);
    finish(&dscp0);
    insert(cls, &ports, 40, 1);
    insert(cls, &v4, 30, 2);
    insert(cls, &icmp, 25, 5);
    insert(cls, &arp, 20, 3);
    insert(cls, &dscp0, 10, 4);
    build(cls);

    /* ARP request for 10.0.0.1 as the parser describes it: TPA in dst_ip,
     * opcode 1 in ip_proto.  Neither the prefix nor icmp may match. */
    pkt_l2(&t, 0, 0xff, 2, ETH_ARP);
    t.pkt.l3_ofs = 14;
    t.pkt.ip_proto = 1;
    memcpy(t.pkt.dst_ip, a6, 4);
    ck_assert_uint_eq(lookup(cls, &t), 3);

    pkt_ip4(&t, 0, 1, 0x0a000001, 6, 1000, 80);
    ck_assert_uint_eq(lookup(cls, &t), 1);
    t.pkt.flags |= XSW_PKT_F_IP_FRAG | XSW_PKT_F_IP_LATER;
    ck_assert_uint_eq(lookup(cls, &t), 2); /* No L4 header: no ports. */
    pkt_ip4(&t, 0, 1, 0x0a000001, 6, 1000, 80);
    t.pkt.flags |= XSW_PKT_F_L4_TRUNC;
    ck_assert_uint_eq(lookup(cls, &t), 2);
    pkt_ip4(&t, 0, 1, 0x0a000001, 6, 1000, 80);
    t.pkt.flags |= XSW_PKT_F_L3_TRUNC; /* Nothing of L3 can be trusted. */
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);

    /* ICMP port unreachable: type 3 and code 3 sit in the ports. */
    pkt_ip4(&t, 0, 1, 0x0a000009, 1, 3, 3);
    ck_assert_uint_eq(lookup(cls, &t), 5);

    pkt_ip4(&t, 0, 1, 0x0a000009, 0, 0, 0);
    ck_assert_uint_eq(lookup(cls, &t), 4); /* IP, dscp 0. */
    t.pkt.ip_tos = 0x03;                   /* ECN bits do not count. */
    ck_assert_uint_eq(lookup(cls, &t), 4);
    t.pkt.ip_tos = 0xb8; /* EF. */
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);

    /* IPv6 whose address starts like 10.0.0.1 is not IPv4. */
    pkt_l2(&t, 0, 1, 2, ETH_IPV6);
    t.pkt.ip_version = 6;
    t.pkt.l3_ofs = 14;
    memcpy(t.pkt.dst_ip, a6, 16);
    ck_assert_uint_eq(lookup(cls, &t), 4);

    /* A frame too short for its Ethernet header offers no ethertype. */
    pkt_l2(&t, 0, 0xff, 2, ETH_ARP);
    t.pkt.flags |= XSW_PKT_F_L2_TRUNC;
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ft_cls_destroy(cls);
}
END_TEST

/* A subtable searched after the best match (its best rule ranks higher)
 * may hold a matching entry whose rules rank lower: it must not replace
 * the match already found. */
START_TEST(cls_lower_entry_in_later_subtable_loses)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match m;
    struct test_pkt t;

    /* Subtable 1 (vlan), best rank 40: the answer ranks 20. */
    ft_match_init(&m);
    ft_match_set_vlan(&m, 9);
    insert(cls, &m, 40, 1);
    ft_match_set_vlan(&m, 1);
    insert(cls, &m, 20, 2);
    /* Subtable 2 (ip_proto), best rank 30, so it is searched after the
     * answer is found; its matching entry ranks 10. */
    ft_match_init(&m);
    ft_match_set_ip_proto(&m, 17);
    finish(&m);
    insert(cls, &m, 30, 3);
    ft_match_set_ip_proto(&m, 6);
    insert(cls, &m, 10, 4);
    build(cls);
    ck_assert_uint_eq(ft_cls_n_subtables(cls), 2);
    pkt_ip4(&t, 0, 1, 2, 6, 1, 2); /* vlan 1, tcp. */
    ck_assert_uint_eq(lookup(cls, &t), 2);
    pkt_ip4(&t, 0, 1, 2, 17, 1, 2); /* vlan 1, udp: 30 beats 20. */
    ck_assert_uint_eq(lookup(cls, &t), 3);
    ft_cls_destroy(cls);
}
END_TEST

/* One rule inserted for several ingress ports (as the loader does for an
 * in_port list) answers with its one id on each of them. */
START_TEST(cls_one_id_several_inserts)
{
    struct ft_cls *cls = ft_cls_create();
    struct ft_match m, other;
    struct test_pkt t;

    ft_match_init(&m);
    ft_match_set_ethertype(&m, ETH_ARP);
    for (uint16_t p = 1; p <= 3; p++) {
        ft_match_set_in_port(&m, p);
        insert(cls, &m, 5, 42);
    }
    ft_match_init(&other);
    ft_match_set_ethertype(&other, ETH_ARP);
    ft_match_set_in_port(&other, 2);
    insert(cls, &other, 5, 43); /* Tie, later: loses on port 2. */
    build(cls);
    ck_assert_uint_eq(ft_cls_n_rules(cls), 4);
    ck_assert_uint_eq(ft_cls_n_subtables(cls), 1);
    ck_assert_uint_eq(ft_cls_n_entries(cls), 3);
    for (uint16_t p = 0; p <= 4; p++) {
        pkt_l2(&t, p, 1, 2, ETH_ARP);
        ck_assert_uint_eq(lookup(cls, &t),
                          p >= 1 && p <= 3 ? 42 : FT_CLS_MISS);
    }
    ft_cls_destroy(cls);
}
END_TEST

/* 100000 exact rules of one shape (dst_ip, ip_proto, dst_port): every
 * lookup finds its own rule, one subtable holds them all, and near misses
 * miss. */
START_TEST(cls_100k_exact_rules)
{
    enum { N = 100000 };
    struct ft_cls *cls = ft_cls_create();
    struct ft_match m;
    struct test_pkt t;

    for (uint32_t i = 0; i < N; i++) {
        ft_match_init(&m);
        set_ip4(&m, FT_DST, 0x0a000000 + i, 32);
        ft_match_set_ip_proto(&m, i % 2 ? 17 : 6);
        ft_match_set_port_range(&m, FT_DST, (uint16_t) (1000 + i % 7),
                                (uint16_t) (1000 + i % 7));
        finish(&m);
        insert(cls, &m, i % 3, i);
    }
    build(cls);
    ck_assert_uint_eq(ft_cls_n_subtables(cls), 1);
    ck_assert_uint_eq(ft_cls_n_entries(cls), N);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t got;

        pkt_ip4(&t, 0, 0xc0000201, 0x0a000000 + i, i % 2 ? 17 : 6, 5555,
                (uint16_t) (1000 + i % 7));
        got = lookup(cls, &t);
        if (got != i)
            ck_abort_msg("rule %u: lookup returned %u", i, got);
        t.pkt.dst_port++; /* Another port: no rule. */
        got = lookup(cls, &t);
        if (got != FT_CLS_MISS)
            ck_abort_msg("rule %u, wrong port: lookup returned %u", i, got);
    }
    pkt_ip4(&t, 0, 1, 0x0a000000 + N, 6, 5555, 1000 + N % 7);
    ck_assert_uint_eq(lookup(cls, &t), FT_CLS_MISS);
    ft_cls_destroy(cls);
}
END_TEST

/* --- A randomised check against the definition ------------------------ */

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint32_t
rng(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t) (rng_state % n);
}

/* A random rule over a small value space, so that rules overlap often. */
static int
random_match(struct ft_match *m)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0};
    static const uint8_t ones[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t half[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
    const char *why;

    ft_match_init(m);
    if (!rng(3))
        ft_match_set_in_port(m, (uint16_t) rng(3));
    if (!rng(5))
        ft_match_set_vlan(m, (uint16_t) (1 + rng(2)));
    if (!rng(4)) {
        uint8_t a[6];

        memcpy(a, mac, 6);
        a[5] = (uint8_t) rng(4);
        ft_match_set_mac(m, FT_DST, a, rng(2) ? ones : half);
    }
    if (!rng(6))
        ft_match_set_ethertype(m, rng(3) ? ETH_IPV4 : ETH_ARP);
    if (!rng(3))
        ft_match_set_ip_proto(m, rng(2) ? 6 : 17);
    if (!rng(3))
        set_ip4(m, FT_SRC, 0x0a000000 + rng(8), 29 + rng(4));
    if (!rng(3))
        set_ip4(m, FT_DST, 0x0a000000 + rng(8), 24 + rng(9));
    if (!rng(3)) {
        uint16_t lo = (uint16_t) rng(12), hi = (uint16_t) (lo + rng(6));

        ft_match_set_port_range(m, FT_DST, lo, hi);
    }
    if (!rng(6))
        ft_match_set_port_range(m, FT_SRC, (uint16_t) rng(4),
                                (uint16_t) (4 + rng(4)));
    if (!rng(8))
        ft_match_set_tcp_flags(m, (uint8_t) rng(4), (uint8_t) (1 + rng(3)));
    if (!rng(8))
        ft_match_set_dscp(m, (uint8_t) rng(2));
    return ft_match_finish(m, &why);
}

static void
random_packet(struct test_pkt *t)
{
    uint32_t kind = rng(10);

    if (kind == 0) {
        pkt_l2(t, (uint16_t) rng(3), (uint8_t) rng(4), 2, ETH_ARP);
        t->pkt.l3_ofs = 14;
        t->pkt.ip_proto = (uint8_t) (1 + rng(2));
        t->pkt.src_ip[0] = t->pkt.dst_ip[0] = 10;
        t->pkt.src_ip[3] = (uint8_t) rng(8);
        t->pkt.dst_ip[3] = (uint8_t) rng(8);
    } else {
        pkt_ip4(t, (uint16_t) rng(3), 0x0a000000 + rng(8), 0x0a000000 + rng(9),
                rng(4) ? (rng(2) ? 6 : 17) : 0, (uint16_t) rng(10),
                (uint16_t) rng(20));
        t->frame[5] = (uint8_t) rng(4);
        t->pkt.ip_tos = (uint8_t) (rng(2) << 2);
        if (t->pkt.ip_proto == 6)
            t->pkt.tcp_flags = (uint8_t) rng(8);
    }
    t->pkt.vlan = (uint16_t) (1 + rng(2));
}

/* Few shapes: many rules per subtable and per hash entry, so entries of
 * lower rank turn up in subtables searched after the best match. */
static int
shaped_match(struct ft_match *m)
{
    uint32_t shape = rng(5);
    const char *why;

    ft_match_init(m);
    if (shape & 1)
        ft_match_set_in_port(m, (uint16_t) rng(3));
    if (shape >= 2)
        set_ip4(m, FT_DST, 0x0a000000 + rng(8), shape == 4 ? 30 : 32);
    if (shape != 3)
        ft_match_set_ip_proto(m, rng(2) ? 6 : 17);
    if (shape == 0 || shape == 4) {
        uint16_t lo = (uint16_t) rng(16), hi = (uint16_t) (lo + rng(8));

        ft_match_set_port_range(m, FT_DST, lo, hi);
    }
    return ft_match_finish(m, &why);
}

typedef int (*match_gen)(struct ft_match *);

static void
compare_with_linear_scan(match_gen gen, uint32_t n_rules, uint32_t n_pkts,
                         uint32_t min_subtables, uint32_t max_subtables)
{
    struct ft_match *rules = calloc(n_rules, sizeof *rules);
    uint32_t *prio = calloc(n_rules, sizeof *prio);
    struct ft_cls *cls = ft_cls_create();
    uint32_t n = 0, hits = 0;

    ck_assert_ptr_nonnull(rules);
    ck_assert_ptr_nonnull(prio);
    while (n < n_rules) {
        if (gen(&rules[n]))
            continue; /* A contradiction: not a rule. */
        prio[n] = rng(16);
        insert(cls, &rules[n], prio[n], n);
        n++;
    }
    build(cls);
    ck_assert_uint_ge(ft_cls_n_subtables(cls), min_subtables);
    ck_assert_uint_le(ft_cls_n_subtables(cls), max_subtables);
    for (uint32_t i = 0; i < n_pkts; i++) {
        struct test_pkt t;
        struct ft_key key;
        uint32_t want = FT_CLS_MISS, got;

        random_packet(&t);
        ft_key_from_packet(&key, &t.pkt);
        for (uint32_t r = 0; r < n; r++)
            if (ft_match_covers(&rules[r], &key) &&
                (want == FT_CLS_MISS || prio[r] > prio[want]))
                want = r;
        got = ft_cls_lookup(cls, &key);
        if (got != want)
            ck_abort_msg("packet %u: classifier %u, linear scan %u", i, got,
                         want);
        hits += want != FT_CLS_MISS;
    }
    /* The space is small enough that most packets hit some rule: the
     * comparison is not all misses. */
    ck_assert_uint_gt(hits, n_pkts / 2);
    ft_cls_destroy(cls);
    free(rules);
    free(prio);
}

START_TEST(cls_agrees_with_linear_scan_few_masks)
{
    compare_with_linear_scan(shaped_match, 400, 50000, 8, 40);
}
END_TEST

START_TEST(cls_agrees_with_linear_scan)
{
    compare_with_linear_scan(random_match, 3000, 50000, 50, 3000);
}
END_TEST

/* --- The flow key ---------------------------------------------------- */

START_TEST(key_from_hand_built_metadata)
{
    struct test_pkt t;
    struct ft_key k;

    pkt_ip4(&t, 3, 0x0a000001, 0xc0a80101, 6, 1234, 443);
    t.pkt.vlan = 20;
    t.pkt.pcp = 5;
    t.pkt.ip_tos = 0xb9; /* DSCP 46, ECN 1. */
    t.pkt.tcp_flags = XSW_TCP_SYN;
    t.pkt.flow_hash = 0xdeadbeef;
    ft_key_from_packet(&k, &t.pkt);
    ck_assert_uint_eq(k.in_port, 3);
    ck_assert_uint_eq(k.vlan, 20);
    ck_assert_uint_eq(k.pcp, 5);
    ck_assert_uint_eq(k.ethertype, ETH_IPV4);
    ck_assert_uint_eq(k.ip_proto, 6);
    ck_assert_uint_eq(k.dscp, 46);
    ck_assert_uint_eq(k.src_port, 1234);
    ck_assert_uint_eq(k.dst_port, 443);
    ck_assert_uint_eq(k.tcp_flags, XSW_TCP_SYN);
    ck_assert_uint_eq(k.kind, FT_KIND_ETH | FT_KIND_IP | FT_KIND_IP4 |
                                  FT_KIND_PORTS | FT_KIND_TCP);
    ck_assert_mem_eq(k.dst_mac, t.frame, 6);
    ck_assert_mem_eq(k.src_mac, t.frame + 6, 6);
    ck_assert_mem_eq(k.src_ip, t.pkt.src_ip, 16);
    ck_assert_mem_eq(k.dst_ip, t.pkt.dst_ip, 16);
    for (int i = 0; i < 5; i++)
        ck_assert_uint_eq(k.pad[i], 0);

    /* A later fragment: IP, no L4 fields. */
    t.pkt.flags = XSW_PKT_F_IP_FRAG | XSW_PKT_F_IP_LATER;
    ft_key_from_packet(&k, &t.pkt);
    ck_assert_uint_eq(k.kind, FT_KIND_ETH | FT_KIND_IP | FT_KIND_IP4);
    ck_assert_uint_eq(k.src_port, 0);
    ck_assert_uint_eq(k.tcp_flags, 0);

    /* UDP: ports, no flags. */
    pkt_ip4(&t, 3, 0x0a000001, 0xc0a80101, 17, 53, 5353);
    t.pkt.tcp_flags = 0xff; /* Whatever the metadata holds. */
    ft_key_from_packet(&k, &t.pkt);
    ck_assert_uint_eq(k.kind,
                      FT_KIND_ETH | FT_KIND_IP | FT_KIND_IP4 | FT_KIND_PORTS);
    ck_assert_uint_eq(k.dst_port, 5353);
    ck_assert_uint_eq(k.tcp_flags, 0);

    /* ARP: the metadata's addresses and opcode are not IP fields. */
    pkt_l2(&t, 1, 0xff, 0xbb, 0x0806);
    t.pkt.l3_ofs = 14;
    t.pkt.ip_proto = 1;
    t.pkt.dst_ip[0] = 10;
    ft_key_from_packet(&k, &t.pkt);
    ck_assert_uint_eq(k.kind, FT_KIND_ETH);
    ck_assert_uint_eq(k.ethertype, 0x0806);
    ck_assert_uint_eq(k.ip_proto, 0);
    ck_assert_uint_eq(k.dst_ip[0], 0);

    /* Too short for MACs: zero, not read. */
    pkt_l2(&t, 1, 0xaa, 0xbb, 0);
    t.pkt.size = 11;
    ft_key_from_packet(&k, &t.pkt);
    for (int i = 0; i < 6; i++) {
        ck_assert_uint_eq(k.dst_mac[i], 0);
        ck_assert_uint_eq(k.src_mac[i], 0);
    }
    ck_assert_uint_eq(k.kind, 0);
    ck_assert_uint_eq(k.in_port, 1); /* Still offered. */
    ck_assert_uint_eq(k.vlan, 1);
}
END_TEST

static Suite *
cls_suite(void)
{
    Suite *s = suite_create("ft_cls");
    TCase *tc = tcase_create("classifier");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cls_empty_table_misses);
    tcase_add_test(tc, cls_priority_beats_insertion_order);
    tcase_add_test(tc, cls_ties_go_to_insertion_order);
    tcase_add_test(tc, cls_mac_masks);
    tcase_add_test(tc, cls_ip_prefixes);
    tcase_add_test(tc, cls_wildcard_versus_exact);
    tcase_add_test(tc, cls_port_ranges);
    tcase_add_test(tc, cls_prerequisites_guard_fields);
    tcase_add_test(tc, cls_one_id_several_inserts);
    tcase_add_test(tc, cls_100k_exact_rules);
    tcase_add_test(tc, cls_lower_entry_in_later_subtable_loses);
    tcase_add_test(tc, cls_agrees_with_linear_scan);
    tcase_add_test(tc, cls_agrees_with_linear_scan_few_masks);
    suite_add_tcase(s, tc);
    tc = tcase_create("key");
    tcase_add_test(tc, key_from_hand_built_metadata);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(cls_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
