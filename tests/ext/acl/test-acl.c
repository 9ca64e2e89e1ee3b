/* Unit tests of the acl extension's internals: rule compilation (the field
 * parsers are the SDK's, tested in tests/ext/field) and matching on
 * hand-built frames, the modifying actions (with checksums verified by
 * summing the headers again), the ARP responder's reply bytes, and the
 * whole module through its descriptor with a fake host (fake_host.h). */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/xsw.h>

#include "acl_action.h"
#include "acl_arp.h"
#include "acl_config.h"
#include "acl_rule.h"
#include "fake_host.h"

extern const struct xsw_extension XSW_EXTENSION_SYMBOL_ID;

static const char *const ports[] = {"p1", "p2", "p3", "up"};
static struct xsw_ctx *fx;
static struct acl_config cfg;

static void
setup(void)
{
    fx = fake_new(ports, 4);
    memset(&cfg, 0, sizeof cfg);
}

static void
teardown(void)
{
    acl_config_free(&cfg);
    fake_free(fx);
}

/* --- Frames ----------------------------------------------------------- */

struct tframe {
    struct xsw_packet pkt;
    uint8_t buf[FAKE_HEADROOM + 256];
    uint32_t l3; /* Where the eth header's payload starts. */
};

static void
put_mac(uint8_t *p, const char *text)
{
    unsigned int b[6];
    int i;

    ck_assert_int_eq(sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2],
                            &b[3], &b[4], &b[5]),
                     6);
    for (i = 0; i < 6; i++)
        p[i] = (uint8_t) b[i];
}

/* Starts a frame: dst, src, and an 802.1Q tag when 'vid' is non-zero. */
static void
tf_eth(struct tframe *f, const char *dst, const char *src, uint16_t vid,
       uint8_t pcp, uint16_t headroom)
{
    uint8_t *d;

    memset(f, 0, sizeof *f);
    f->pkt.data = f->buf + headroom;
    f->pkt.headroom = headroom;
    f->pkt.tailroom = (uint16_t) (sizeof f->buf - headroom);
    f->pkt.vlan = 1;
    d = f->pkt.data;
    put_mac(d, dst);
    put_mac(d + 6, src);
    f->l3 = 14;
    if (vid) {
        xsw_wr16(d + 12, 0x8100);
        xsw_wr16(d + 14, (uint16_t) (pcp << 13 | vid));
        f->l3 = 18;
    }
}

static void
tf_done(struct tframe *f, uint16_t ethertype, uint32_t l3_size)
{
    xsw_wr16(f->pkt.data + f->l3 - 2, ethertype);
    f->pkt.size = f->l3 + l3_size;
    f->pkt.tailroom = (uint16_t) (f->pkt.tailroom - f->pkt.size);
    fake_parse(&f->pkt);
}

static uint32_t
pseudo_sum(const struct xsw_packet *p, uint32_t l4_size)
{
    const uint8_t *l3 = p->data + p->l3_ofs;
    uint32_t sum;

    if (p->ip_version == 4)
        sum = xsw_csum_add(0, l3 + 12, 8);
    else
        sum = xsw_csum_add(0, l3 + 8, 32);
    return sum + p->ip_proto + l4_size;
}

/* IPv4 or IPv6 with a TCP, UDP or ICMP header and 'payload' zero bytes;
 * every length and checksum computed. */
static void
tf_ip(struct tframe *f, int version, const char *src, const char *dst,
      uint8_t proto, uint8_t tos, uint16_t sport, uint16_t dport,
      uint8_t tcp_flags, uint32_t payload)
{
    uint8_t *l3 = f->pkt.data + f->l3, *l4;
    uint32_t hl = version == 4 ? 20 : 40, l4_size, csum_at;
    int af = version == 4 ? AF_INET : AF_INET6;

    l4_size = (proto == 6 ? 20 : proto == 17 ? 8 : 8) + payload;
    if (version == 4) {
        l3[0] = 0x45;
        l3[1] = tos;
        xsw_wr16(l3 + 2, (uint16_t) (hl + l4_size));
        l3[8] = 64;
        l3[9] = proto;
        ck_assert_int_eq(inet_pton(af, src, l3 + 12), 1);
        ck_assert_int_eq(inet_pton(af, dst, l3 + 16), 1);
        xsw_wr16(l3 + 10, xsw_csum_fold(xsw_csum_add(0, l3, hl)));
    } else {
        l3[0] = (uint8_t) (0x60 | tos >> 4);
        l3[1] = (uint8_t) (tos << 4);
        xsw_wr16(l3 + 4, (uint16_t) l4_size);
        l3[6] = proto;
        l3[7] = 64;
        ck_assert_int_eq(inet_pton(af, src, l3 + 8), 1);
        ck_assert_int_eq(inet_pton(af, dst, l3 + 24), 1);
    }
    l4 = l3 + hl;
    if (proto == 6) {
        xsw_wr16(l4, sport);
        xsw_wr16(l4 + 2, dport);
        l4[12] = 0x50;
        l4[13] = tcp_flags;
        xsw_wr16(l4 + 14, 8192);
        csum_at = 16;
    } else if (proto == 17) {
        xsw_wr16(l4, sport);
        xsw_wr16(l4 + 2, dport);
        xsw_wr16(l4 + 4, (uint16_t) l4_size);
        csum_at = 6;
    } else {
        l4[0] = (uint8_t) sport; /* ICMP type */
        l4[1] = (uint8_t) dport; /* ICMP code */
        csum_at = 2;
    }
    tf_done(f, version == 4 ? 0x0800 : 0x86dd, hl + l4_size);
    if (proto == 1)
        xsw_wr16(l4 + csum_at, xsw_csum_fold(xsw_csum_add(0, l4, l4_size)));
    else
        xsw_wr16(l4 + csum_at,
                 xsw_csum_fold(
                     xsw_csum_add(pseudo_sum(&f->pkt, l4_size), l4, l4_size)));
}

static void
tf_arp(struct tframe *f, uint16_t op, const char *sha, const char *spa,
       const char *tpa)
{
    uint8_t *a = f->pkt.data + f->l3;

    xsw_wr16(a, 1);
    xsw_wr16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    xsw_wr16(a + 6, op);
    put_mac(a + 8, sha);
    ck_assert_int_eq(inet_pton(AF_INET, spa, a + 14), 1);
    ck_assert_int_eq(inet_pton(AF_INET, tpa, a + 24), 1);
    tf_done(f, 0x0806, 28);
}

static void
udp4(struct tframe *f, const char *src, const char *dst, uint16_t sport,
     uint16_t dport)
{
    tf_eth(f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(f, 4, src, dst, 17, 0, sport, dport, 0, 4);
}

static void
tcp4(struct tframe *f, uint16_t dport, uint8_t flags)
{
    tf_eth(f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(f, 4, "10.0.0.1", "10.0.0.2", 6, 0, 40000, dport, flags, 0);
}

static bool
ipv4_csum_ok(const struct xsw_packet *p)
{
    const uint8_t *l3 = p->data + p->l3_ofs;

    return xsw_csum_fold(xsw_csum_add(0, l3, (l3[0] & 0x0f) * 4u)) == 0;
}

static bool
l4_csum_ok(const struct xsw_packet *p)
{
    uint32_t l4_size = p->size - p->l4_ofs;

    return xsw_csum_fold(xsw_csum_add(pseudo_sum(p, l4_size),
                                      p->data + p->l4_ofs, l4_size)) == 0;
}

/* --- Helpers over the config ------------------------------------------ */

static int
load(const char *yaml)
{
    acl_config_free(&cfg);
    fake_reset(fx); /* Forget the counters of the last load. */
    return acl_config_load(&cfg, fake_host(fx), fx, fake_load(fx, yaml));
}

static void
load_ok(const char *yaml)
{
    int ret = load(yaml);

    ck_assert_msg(ret == 0, "load failed (%d): %s", ret, fake_error(fx));
}

/* Index (in 'rules') of the first ingress rule 'p' matches, or -1. */
static int
first_in(const struct xsw_packet *p)
{
    struct acl_key key;
    const struct acl_rule *r;

    acl_key_init(&key, p, XSW_PORT_NONE, cfg.n_ports);
    r = acl_rule_first(cfg.ingress.rules, cfg.ingress.n, p, &key);
    return r ? (int) r->index : -1;
}

static int
first_eg(const struct xsw_packet *p, uint32_t out_port)
{
    struct acl_key key;
    const struct acl_rule *r;

    acl_key_init(&key, p, out_port, cfg.n_ports);
    r = acl_rule_first(cfg.egress.rules, cfg.egress.n, p, &key);
    return r ? (int) r->index : -1;
}

/* --- Matching --------------------------------------------------------- */

START_TEST(rule_first_match_wins)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { ip_proto: tcp, dst_port: 22 }, action: drop }\n"
            "  - { match: { ip_proto: tcp }, action: pass }\n"
            "  - { action: drop }\n");
    ck_assert_uint_eq(cfg.ingress.n, 3);
    tcp4(&f, 22, XSW_TCP_SYN);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tcp4(&f, 80, XSW_TCP_SYN);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 22);
    ck_assert_int_eq(first_in(&f.pkt), 2);
    ck_assert_uint_eq(cfg.ingress.def, XSW_PASS);
}
END_TEST

START_TEST(rule_in_port_name_and_list)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { in_port: p2 }, action: drop }\n"
            "  - { match: { in_port: [p1, up] }, action: pass }\n");
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    f.pkt.in_port = 1;
    ck_assert_int_eq(first_in(&f.pkt), 0);
    f.pkt.in_port = 0;
    ck_assert_int_eq(first_in(&f.pkt), 1);
    f.pkt.in_port = 3;
    ck_assert_int_eq(first_in(&f.pkt), 1);
    f.pkt.in_port = 2;
    ck_assert_int_eq(first_in(&f.pkt), -1);
    f.pkt.in_port = XSW_PORT_NONE; /* Injected: no in_port rule matches. */
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_macs_with_masks)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - match: { src_mac: 00:11:22:00:00:00/ff:ff:ff:00:00:00 }\n"
            "    action: drop\n"
            "  - { match: { dst_mac: 02:00:00:00:00:09 }, action: drop }\n");
    tf_eth(&f, "02:00:00:00:00:02", "00:11:22:33:44:55", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tf_eth(&f, "02:00:00:00:00:09", "00:11:23:33:44:55", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    tf_eth(&f, "02:00:00:00:00:08", "00:11:23:33:44:55", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    /* A frame shorter than an Ethernet header matches no MAC rule. */
    f.pkt.size = 10;
    fake_parse(&f.pkt);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_ethertype_vlan_pcp)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { vlan: 20, pcp: 5 }, action: drop }\n"
            "  - { match: { vlan: 20 }, action: pass }\n"
            "  - { match: { ethertype: arp }, action: pass }\n"
            "  - { match: { ethertype: 0x86dd }, action: pass }\n");
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 20, 5, 64);
    tf_arp(&f, 1, "02:00:00:00:00:01", "10.0.0.1", "10.0.0.2");
    ck_assert_uint_eq(f.pkt.ethertype, 0x0806); /* After the tag. */
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 20, 4, 64);
    tf_arp(&f, 1, "02:00:00:00:00:01", "10.0.0.1", "10.0.0.2");
    ck_assert_int_eq(first_in(&f.pkt), 1);
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:01", "10.0.0.1", "10.0.0.2");
    ck_assert_int_eq(first_in(&f.pkt), 2);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 6, "2001:db8::1", "2001:db8::2", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 3);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_ip_prefixes_keep_to_their_version)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { src_ip: 10.1.0.0/16, dst_ip: 10.2.0.5 },"
            " action: drop }\n"
            "  - { match: { src_ip: 0.0.0.0/0 }, action: pass }\n"
            "  - { match: { dst_ip: '2001:db8:1::/48' }, action: drop }\n");
    udp4(&f, "10.1.200.3", "10.2.0.5", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    udp4(&f, "10.1.200.3", "10.2.0.6", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    udp4(&f, "10.3.0.1", "10.2.0.5", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    /* 0.0.0.0/0 is "any IPv4", not "anything". */
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 6, "::", "2001:db8:1:ff::1", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 2);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 6, "::", "2001:db8:2::1", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_ip_fields_never_match_arp)
{
    struct tframe f;

    /* The parser puts ARP's SPA/TPA in src_ip/dst_ip and the opcode in
     * ip_proto: a request has ip_proto 1, like ICMP. */
    load_ok("rules:\n"
            "  - { match: { ip_proto: icmp }, action: drop }\n"
            "  - { match: { src_ip: 10.0.0.1 }, action: drop }\n"
            "  - { match: { dscp: 0 }, action: drop }\n");
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:01", "10.0.0.1", "10.0.0.2");
    ck_assert_uint_eq(f.pkt.ip_proto, 1);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 1, 0, 8, 0, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 0);
}
END_TEST

START_TEST(rule_ports_only_for_tcp_and_udp)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { dst_port: 0-10 }, action: drop }\n"
            "  - { match: { src_port: 1000-2000 }, action: drop }\n");
    /* ICMP echo: type 8 code 0 sit in src_port/dst_port. */
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 1, 0, 8, 0, 0, 0);
    ck_assert_uint_eq(f.pkt.dst_port, 0);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 999, 10);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    udp4(&f, "10.0.0.1", "10.0.0.2", 999, 11);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1000, 11);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 2000, 11);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 2001, 11);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    tcp4(&f, 5, 0);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    /* A later IPv4 fragment has no L4 header. */
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 5);
    f.pkt.l4_ofs = XSW_OFS_NONE;
    f.pkt.flags |= XSW_PKT_F_IP_FRAG | XSW_PKT_F_IP_LATER;
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_tcp_flags_syn_not_ack)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { tcp_flags: 'SYN,!ACK' }, action: drop }\n"
            "  - { match: { tcp_flags: '!SYN' }, action: pass }\n");
    tcp4(&f, 80, XSW_TCP_SYN);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tcp4(&f, 80, XSW_TCP_SYN | XSW_TCP_ECE | XSW_TCP_CWR);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tcp4(&f, 80, XSW_TCP_SYN | XSW_TCP_ACK);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    tcp4(&f, 80, XSW_TCP_ACK);
    ck_assert_int_eq(first_in(&f.pkt), 1);
    /* UDP has no flags, so not even "!SYN" matches it. */
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_dscp)
{
    struct tframe f;

    load_ok("rules:\n  - { match: { dscp: 46 }, action: drop }\n");
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 46 << 2 | 1, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 6, "2001:db8::1", "2001:db8::2", 17, 46 << 2, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 10 << 2, 1, 2, 0, 0);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_bpf_runs_on_the_frame)
{
    struct tframe f;

    load_ok("rules:\n"
            "  - { match: { bpf: 'vlan 10 and udp dst port 53' },"
            " action: drop }\n"
            "  - { match: { in_port: p2, bpf: 'udp[8] == 0xab' },"
            " action: drop }\n");
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 10, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1000, 53, 0, 4);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 11, 0, 64);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1000, 53, 0, 4);
    ck_assert_int_eq(first_in(&f.pkt), -1);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    f.pkt.data[f.pkt.l4_ofs + 8] = 0xab;
    f.pkt.in_port = 1;
    ck_assert_int_eq(first_in(&f.pkt), 1);
    f.pkt.in_port = 0; /* The cheap in_port test fails first. */
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_broken_ip_header_matches_no_ip_rule)
{
    struct tframe f;

    load_ok("rules:\n  - { match: { ip_proto: udp }, action: drop }\n");
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), 0);
    f.pkt.flags |= XSW_PKT_F_L3_BAD;
    ck_assert_int_eq(first_in(&f.pkt), -1);
    f.pkt.flags = XSW_PKT_F_L3_TRUNC;
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

START_TEST(rule_directions_and_out_port)
{
    struct tframe f;

    load_ok("egress_default: drop\n"
            "rules:\n"
            "  - { name: to-up, direction: egress, match: { out_port: up },"
            " action: pass }\n"
            "  - { direction: both, match: { in_port: p3 }, action: drop }\n"
            "  - { match: { in_port: p1 }, action: pass }\n");
    ck_assert_uint_eq(cfg.ingress.n, 2);
    ck_assert_uint_eq(cfg.egress.n, 2);
    ck_assert_uint_eq(cfg.egress.def, XSW_DROP);
    ck_assert_uint_eq(cfg.ingress.def, XSW_PASS);
    /* The copies of a 'both' rule share its counter. */
    ck_assert_ptr_eq(cfg.ingress.rules[0].hits, cfg.egress.rules[1].hits);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    f.pkt.in_port = 2;
    ck_assert_int_eq(first_in(&f.pkt), 1);
    ck_assert_int_eq(first_eg(&f.pkt, 3), 0);
    ck_assert_int_eq(first_eg(&f.pkt, 1), 1);
    f.pkt.in_port = 0;
    ck_assert_int_eq(first_in(&f.pkt), 2);
    ck_assert_int_eq(first_eg(&f.pkt, 1), -1);
    ck_assert(fake_has_counter(fx, "to-up hits"));
    ck_assert(fake_has_counter(fx, "rule 1 hits"));
    ck_assert(fake_has_counter(fx, "rule 2 hits"));
    ck_assert(fake_has_counter(fx, "default hits"));
    ck_assert(fake_has_counter(fx, "egress default hits"));
}
END_TEST

/* --- Config errors ---------------------------------------------------- */

static const struct {
    const char *yaml;
    const char *error;
} config_errors[] = {
    {"rulez: []\n", "1:1: unknown key 'rulez'"},
    {"default: allow\n", "1:10: bad default 'allow' (want pass or drop)"},
    {"rules: { action: drop }\n", "1:8: want a list of rules"},
    {"rules:\n  - { match: { port: 1 }, action: drop }\n",
     "2:16: unknown key 'port'"},
    {"rules:\n  - { match: { src_ip: 10.0.0.0/33 }, action: drop }\n",
     "2:24: bad prefix '10.0.0.0/33': length must be 0..32"},
    {"rules:\n  - { match: { dst_ip: 10.0.0.1/8 }, action: drop }\n",
     "2:24: bad prefix '10.0.0.1/8': address has bits set past the prefix "
     "length"},
    {"rules:\n  - { match: { src_ip: 10.0.0.0/8, dst_ip: '::1' },"
     " action: drop }\n",
     "2:44: src_ip and dst_ip must be of one IP version"},
    {"rules:\n  - { match: { dst_port: 2000-1000 }, action: drop }\n",
     "2:26: bad port range '2000-1000': the low end is above the high end"},
    {"rules:\n  - { match: { src_port: 70000 }, action: drop }\n",
     "2:26: bad port range '70000': want a port 0..65535 or a range LO-HI"},
    {"rules:\n  - { match: { in_port: [p1, p9] }, action: drop }\n",
     "2:30: unknown port 'p9'"},
    {"rules:\n  - { match: { bpf: 'tcp port' }, action: drop }\n",
     "2:21: bad BPF expression 'tcp port': can't parse filter expression: "
     "syntax error"},
    {"rules:\n  - { match: { src_mac: '00:11' }, action: drop }\n",
     "2:25: bad MAC '00:11': want six hex bytes like 00:11:22:33:44:55"},
    {"rules:\n  - { match: { tcp_flags: 'SYN,XYZ' }, action: drop }\n",
     "2:27: bad TCP flags 'SYN,XYZ': want flag names from FIN SYN RST PSH "
     "ACK URG ECE CWR, each optionally with '!', separated by commas"},
    {"rules:\n  - { match: { ip_proto: bogus }, action: drop }\n",
     "2:26: bad ip_proto 'bogus': want 0..255 or one of tcp, udp, icmp, "
     "icmpv6, esp, ah, gre, sctp, igmp"},
    {"rules:\n  - { match: { ethertype: 0x0100 }, action: drop }\n",
     "2:27: bad ethertype '0x0100': want 0x0600..0xffff or one of ipv4, "
     "ipv6, arp, lldp"},
    {"rules:\n  - { match: { ip_proto: icmp, dst_port: 1 }, action: drop }\n",
     "2:42: ports need ip_proto tcp or udp"},
    {"rules:\n  - { match: { ip_proto: udp, tcp_flags: SYN }, action: drop "
     "}\n",
     "2:42: tcp_flags needs ip_proto tcp"},
    {"rules:\n  - { match: { out_port: p1 }, action: drop }\n",
     "2:26: out_port needs direction: egress (the destination is chosen "
     "after ingress)"},
    {"rules:\n  - { match: { in_port: p1 } }\n",
     "2:5: missing action (pass or drop)"},
    {"rules:\n  - { action: deny }\n",
     "2:15: bad action 'deny' (want pass or drop)"},
    {"rules:\n  - { action: pass, direction: out }\n",
     "2:32: bad direction 'out' (want ingress, egress or both)"},
    {"rules:\n  - { action: drop, modify: [ pop_vlan ] }\n",
     "2:29: modify needs action: pass"},
    {"rules:\n  - { action: pass, modify: [ set_dscp ] }\n",
     "2:31: set_dscp needs a value ({ set_dscp: ... })"},
    {"rules:\n  - { action: pass, modify: [ rewrite ] }\n",
     "2:31: unknown action 'rewrite'"},
    {"rules:\n  - { action: pass, modify: [ { set_ttl: 3 } ] }\n",
     "2:33: unknown key 'set_ttl'"},
    {"rules:\n  - { action: pass, modify: [ { set_pcp: 1, set_dscp: 2 } ] }\n",
     "2:31: want one action per list item"},
    {"rules:\n  - { action: pass, modify: [ { push_vlan: { pcp: 1 } } ] }\n",
     "2:44: missing vid"},
    {"rules:\n  - { action: pass, modify: [ { pop_vlan: 1 } ] }\n",
     "2:43: pop_vlan takes no value: write it as a plain list item"},
    {"rules:\n  - { action: pass, modify: [ { set_src_mac: "
     "'01:00:5e:00:00:01' } ] }\n",
     "2:46: a source MAC must be unicast"},
    {"rules:\n  - { name: web, action: pass }\n  - { name: web, action: drop "
     "}\n",
     "3:13: counter 'web hits' is already used"},
    {"rules:\n  - { name: default, action: pass }\n",
     "2:13: counter 'default hits' is already used"},
    {"arp_responder:\n  - { ip: 10.0.0.1, mac: 02:00:00:00:00:01 }\n"
     "  - { ip: 10.0.0.1, mac: 02:00:00:00:00:02 }\n",
     "3:5: ip is listed twice (also arp_responder[0])"},
    {"arp_responder:\n  - { ip: 10.0.0.256, mac: 02:00:00:00:00:01 }\n",
     "2:11: bad IPv4 address '10.0.0.256'"},
    {"arp_responder:\n  - { ip: 10.0.0.1, mac: 'ff:ff:ff:ff:ff:ff' }\n",
     "2:26: an ARP answer needs a unicast MAC"},
    {"arp_responder:\n  - { ip: 10.0.0.1 }\n", "2:5: missing mac"},
};

START_TEST(config_error_texts)
{
    int ret = load(config_errors[_i].yaml);

    ck_assert_msg(ret < 0, "config %d loaded", _i);
    ck_assert_str_eq(fake_error(fx), config_errors[_i].error);
    /* Nothing is left behind for the caller to free. */
    ck_assert_ptr_null(cfg.rules);
    ck_assert_ptr_null(cfg.arp.entries);
}
END_TEST

START_TEST(config_rule_limit)
{
    size_t size = 32 + (ACL_RULES_MAX + 1) * 20;
    char *yaml = malloc(size), *p = yaml;
    uint32_t i;

    ck_assert_ptr_nonnull(yaml);
    p += sprintf(p, "rules:\n");
    for (i = 0; i < ACL_RULES_MAX + 1; i++)
        p += sprintf(p, "  - {action: pass}\n");
    ck_assert_int_lt(load(yaml), 0);
    ck_assert_str_eq(fake_error(fx), "2:3: too many rules: 4097 (at most "
                                     "4096)");
    /* Exactly the limit loads. */
    fake_reset(fx);
    yaml[strlen(yaml) - strlen("  - {action: pass}\n")] = '\0';
    load_ok(yaml);
    ck_assert_uint_eq(cfg.n_rules, ACL_RULES_MAX);
    ck_assert(fake_has_counter(fx, "rule 4095 hits"));
    free(yaml);
}
END_TEST

START_TEST(config_empty_means_pass_everything)
{
    struct tframe f;

    ck_assert_int_eq(acl_config_load(&cfg, fake_host(fx), fx, NULL), 0);
    ck_assert_uint_eq(cfg.ingress.n, 0);
    ck_assert_uint_eq(cfg.ingress.def, XSW_PASS);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(first_in(&f.pkt), -1);
}
END_TEST

/* --- Actions ---------------------------------------------------------- */

static int
apply(struct xsw_packet *p, const char *modify)
{
    char yaml[512];

    snprintf(yaml, sizeof yaml, "rules:\n  - { action: pass, modify: %s }\n",
             modify);
    load_ok(yaml);
    return acl_action_apply(cfg.rules[0].actions, cfg.rules[0].n_actions, p,
                            fake_host(fx), fx);
}

START_TEST(action_set_dscp_ipv4_updates_header_checksum)
{
    struct tframe f;
    uint8_t before[128];

    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 4, "192.0.2.1", "198.51.100.7", 6, 0x03, 1234, 80, XSW_TCP_SYN,
          10);
    ck_assert(ipv4_csum_ok(&f.pkt) && l4_csum_ok(&f.pkt));
    memcpy(before, f.pkt.data, f.pkt.size);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_dscp: 46 } ]"), 0);
    ck_assert_uint_eq(f.pkt.data[f.pkt.l3_ofs + 1], 46 << 2 | 0x03);
    ck_assert_uint_eq(f.pkt.ip_tos, 46 << 2 | 0x03);
    ck_assert(ipv4_csum_ok(&f.pkt));
    ck_assert(l4_csum_ok(&f.pkt));
    /* Only the TOS byte and the checksum changed. */
    before[f.pkt.l3_ofs + 1] = f.pkt.data[f.pkt.l3_ofs + 1];
    before[f.pkt.l3_ofs + 10] = f.pkt.data[f.pkt.l3_ofs + 10];
    before[f.pkt.l3_ofs + 11] = f.pkt.data[f.pkt.l3_ofs + 11];
    ck_assert_mem_eq(before, f.pkt.data, f.pkt.size);
    ck_assert_uint_eq(fake_n_reparse(fx), 0);
}
END_TEST

START_TEST(action_set_dscp_keeps_a_bad_checksum_bad)
{
    struct tframe f;
    uint16_t sum_before;

    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    f.pkt.data[f.pkt.l3_ofs + 10] ^= 0x5a;
    sum_before = xsw_csum_fold(xsw_csum_add(0, f.pkt.data + f.pkt.l3_ofs, 20));
    ck_assert_uint_ne(sum_before, 0);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_dscp: 10 } ]"), 0);
    ck_assert_uint_eq(
        xsw_csum_fold(xsw_csum_add(0, f.pkt.data + f.pkt.l3_ofs, 20)),
        sum_before);
}
END_TEST

START_TEST(action_set_dscp_ipv6_traffic_class)
{
    struct tframe f;
    const uint8_t *l3;

    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 64);
    tf_ip(&f, 6, "2001:db8::1", "2001:db8::2", 17, 0x02, 5000, 53, 0, 8);
    l3 = f.pkt.data + f.pkt.l3_ofs;
    ck_assert_int_eq(apply(&f.pkt, "[ { set_dscp: 63 } ]"), 0);
    /* Version 6, TC 0xfe (DSCP 63, ECN 2), flow label 0 kept. */
    ck_assert_uint_eq(l3[0], 0x6f);
    ck_assert_uint_eq(l3[1], 0xe0);
    ck_assert_uint_eq(l3[2] | l3[3], 0);
    ck_assert_uint_eq(f.pkt.ip_tos, 0xfe);
    ck_assert(l4_csum_ok(&f.pkt));
}
END_TEST

START_TEST(action_set_dscp_ignores_non_ip)
{
    struct tframe f;
    uint8_t before[128];

    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:01", "10.0.0.1", "10.0.0.2");
    memcpy(before, f.pkt.data, f.pkt.size);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_dscp: 63 } ]"), 0);
    ck_assert_mem_eq(before, f.pkt.data, f.pkt.size);
}
END_TEST

START_TEST(action_vlan_tags)
{
    struct tframe f;
    uint32_t size;

    /* push_vlan then set_dscp: the DSCP lands in the moved IPv4 header. */
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    size = f.pkt.size;
    ck_assert_int_eq(apply(&f.pkt, "[ { push_vlan: { vid: 100, pcp: 3 } }, "
                                   "{ set_dscp: 8 } ]"),
                     0);
    ck_assert_uint_eq(f.pkt.size, size + 4);
    ck_assert_uint_eq(f.pkt.headroom, 60);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 12), 0x8100);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 14), 3 << 13 | 100);
    ck_assert_uint_eq(f.pkt.vlan, 100);
    ck_assert_uint_eq(f.pkt.l3_ofs, 18);
    ck_assert_uint_eq(f.pkt.data[19], 8 << 2);
    ck_assert(ipv4_csum_ok(&f.pkt) && l4_csum_ok(&f.pkt));

    /* set_vlan keeps PCP and DEI; set_pcp keeps VID and DEI. */
    xsw_wr16(f.pkt.data + 14, 5 << 13 | 1 << 12 | 7);
    fake_parse(&f.pkt);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_vlan: 200 } ]"), 0);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 14), 5 << 13 | 1 << 12 | 200);
    ck_assert_uint_eq(f.pkt.vlan, 200);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_pcp: 1 } ]"), 0);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 14), 1 << 13 | 1 << 12 | 200);
    ck_assert_uint_eq(f.pkt.pcp, 1);

    /* pop_vlan restores the untagged frame. */
    ck_assert_int_eq(apply(&f.pkt, "[ pop_vlan ]"), 0);
    ck_assert_uint_eq(f.pkt.size, size);
    ck_assert_uint_eq(f.pkt.headroom, 64);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 12), 0x0800);
    ck_assert_uint_eq(f.pkt.l3_ofs, 14);
    /* ... and does nothing to an untagged one. */
    ck_assert_int_eq(apply(&f.pkt, "[ pop_vlan ]"), 0);
    ck_assert_uint_eq(f.pkt.size, size);
}
END_TEST

START_TEST(action_tags_on_untagged_frames)
{
    struct tframe f;

    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_vlan: 30 } ]"), 0);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 14), 30);
    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    f.pkt.vlan = 12; /* Classified by an access port. */
    ck_assert_int_eq(apply(&f.pkt, "[ { set_pcp: 6 } ]"), 0);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 12), 0x8100);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 14), 6 << 13 | 12);
}
END_TEST

START_TEST(action_push_without_headroom_fails)
{
    struct tframe f;

    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 2);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1, 2, 0, 0);
    ck_assert_int_eq(apply(&f.pkt, "[ { push_vlan: { vid: 5 } } ]"), -ENOSPC);
    ck_assert_uint_eq(xsw_rd16(f.pkt.data + 12), 0x0800);
}
END_TEST

START_TEST(action_set_macs)
{
    struct tframe f;
    const uint8_t src[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
    const uint8_t dst[6] = {0x01, 0x00, 0x5e, 0, 0, 0xfb};

    udp4(&f, "10.0.0.1", "10.0.0.2", 1, 2);
    ck_assert_int_eq(apply(&f.pkt, "[ { set_src_mac: '02:aa:00:00:00:01' }, "
                                   "{ set_dst_mac: '01:00:5e:00:00:fb' } ]"),
                     0);
    ck_assert_mem_eq(f.pkt.data, dst, 6);
    ck_assert_mem_eq(f.pkt.data + 6, src, 6);
    ck_assert(ipv4_csum_ok(&f.pkt) && l4_csum_ok(&f.pkt));
}
END_TEST

/* --- ARP responder ---------------------------------------------------- */

static void
arp_table(struct acl_arp_table *t, struct acl_arp_entry *e, uint32_t n)
{
    t->entries = e;
    t->n = n;
    acl_arp_sort(t);
}

START_TEST(arp_reply_bytes)
{
    struct tframe f;
    struct acl_arp_entry e = {0x0a000001, {0x02, 0, 0, 0, 0, 0x01}};
    uint8_t out[60];
    static const uint8_t want[60] = {
        /* Ethernet: to the requester, from the configured MAC. */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x08, 0x06,
        /* ARP reply: htype 1, ptype IPv4, 6, 4, op 2. */
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
        /* SHA, SPA: the answer. */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 0, 1,
        /* THA, TPA: the requester. */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 10, 0, 0, 10,
        /* 18 bytes of padding to 60. */
    };

    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:0a", "10.0.0.10", "10.0.0.1");
    ck_assert(acl_arp_is_request(&f.pkt));
    ck_assert_uint_eq(acl_arp_target(&f.pkt), 0x0a000001);
    ck_assert_uint_eq(acl_arp_reply_size(&f.pkt), 60);
    ck_assert_int_eq(acl_arp_reply_build(&f.pkt, &e, out, 59), -ENOSPC);
    memset(out, 0xee, sizeof out);
    ck_assert_int_eq(acl_arp_reply_build(&f.pkt, &e, out, sizeof out), 0);
    ck_assert_mem_eq(out, want, sizeof want);
}
END_TEST

START_TEST(arp_reply_keeps_the_vlan_tag)
{
    struct tframe f;
    struct acl_arp_entry e = {0xc0000201, {0x02, 0, 0, 0, 0, 0x77}};
    uint8_t out[64];

    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 10, 3, 64);
    tf_arp(&f, 1, "02:00:00:00:00:0a", "192.0.2.10", "192.0.2.1");
    ck_assert_uint_eq(acl_arp_reply_size(&f.pkt), 60);
    f.pkt.size = 60; /* Padded request: the reply needs 18 + 28 = 46. */
    ck_assert_int_eq(acl_arp_reply_build(&f.pkt, &e, out, 60), 0);
    ck_assert_uint_eq(xsw_rd16(out + 12), 0x8100);
    ck_assert_uint_eq(xsw_rd16(out + 14), 3 << 13 | 10);
    ck_assert_uint_eq(xsw_rd16(out + 16), 0x0806);
    ck_assert_uint_eq(xsw_rd16(out + 18 + 6), 2);
    ck_assert_mem_eq(out + 18 + 8, e.mac, 6);
    ck_assert_mem_eq(out + 18 + 18, f.pkt.data + 6, 6);
}
END_TEST

START_TEST(arp_only_real_requests_qualify)
{
    struct tframe f;

    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f, 2, "02:00:00:00:00:0a", "10.0.0.10", "10.0.0.1");
    ck_assert(!acl_arp_is_request(&f.pkt)); /* A reply. */
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:0a", "10.0.0.1", "10.0.0.1");
    ck_assert(!acl_arp_is_request(&f.pkt)); /* Gratuitous. */
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:0a", "0.0.0.0", "10.0.0.1");
    ck_assert(acl_arp_is_request(&f.pkt)); /* An RFC 5227 probe. */
    f.pkt.data[f.pkt.l3_ofs + 5] = 16;     /* plen */
    ck_assert(!acl_arp_is_request(&f.pkt));
    f.pkt.data[f.pkt.l3_ofs + 5] = 4;
    f.pkt.size -= 1; /* Cut short. */
    ck_assert(!acl_arp_is_request(&f.pkt));
}
END_TEST

START_TEST(arp_lookup_sorted)
{
    struct acl_arp_entry e[5] = {
        {50, {2}}, {10, {2}}, {40, {2}}, {20, {2}}, {30, {2}}};
    struct acl_arp_table t;
    uint32_t ip;

    arp_table(&t, e, 5);
    for (ip = 0; ip <= 60; ip++) {
        const struct acl_arp_entry *hit = acl_arp_lookup(&t, ip);

        if (ip % 10 == 0 && ip >= 10 && ip <= 50)
            ck_assert(hit && hit->ip == ip);
        else
            ck_assert_ptr_null(hit);
    }
    t.n = 0;
    ck_assert_ptr_null(acl_arp_lookup(&t, 10));
}
END_TEST

/* --- The module through its descriptor -------------------------------- */

struct inst {
    const struct xsw_extension *ext;
    void *state;
};

static void
inst_create(struct inst *in, const char *yaml)
{
    in->ext = &XSW_EXTENSION_SYMBOL_ID;
    ck_assert_int_eq(
        in->ext->create(fake_host(fx), fx, fake_load(fx, yaml), &in->state),
        0);
}

static void
run(struct inst *in, int egress, uint32_t port, struct tframe *f, uint32_t n)
{
    struct xsw_batch b = {.count = n, .port = port};
    uint32_t i;

    for (i = 0; i < n; i++) {
        f[i].pkt.verdict = XSW_PASS;
        f[i].pkt.drop_reason = 0;
        b.pkts[i] = &f[i].pkt;
    }
    if (egress)
        in->ext->egress(in->state, &b);
    else
        in->ext->ingress(in->state, &b);
}

START_TEST(ext_descriptor)
{
    const struct xsw_extension *e = &XSW_EXTENSION_SYMBOL_ID;

    ck_assert_str_eq(e->name, "acl");
    ck_assert_uint_eq(e->role, XSW_ROLE_FILTER);
    ck_assert_uint_eq(e->n_drop_reasons, 4);
    ck_assert_str_eq(e->drop_reasons[0], "acl deny");
    ck_assert_str_eq(e->drop_reasons[1], "default deny");
    ck_assert_str_eq(e->drop_reasons[2], "arp answered");
    ck_assert_str_eq(e->drop_reasons[3], "action failed");
    ck_assert_ptr_nonnull(e->ingress);
    ck_assert_ptr_nonnull(e->egress);
}
END_TEST

START_TEST(ext_verdicts_and_counters)
{
    struct inst in;
    struct tframe f[4];

    inst_create(&in, "default: drop\n"
                     "rules:\n"
                     "  - { name: ssh, match: { ip_proto: tcp, dst_port: 22 },"
                     " action: drop }\n"
                     "  - { match: { ip_proto: tcp }, action: pass }\n"
                     "  - { direction: egress, match: { out_port: p2 },"
                     " action: drop }\n");
    tcp4(&f[0], 22, XSW_TCP_SYN);
    tcp4(&f[1], 80, XSW_TCP_SYN);
    tcp4(&f[2], 22, XSW_TCP_ACK);
    udp4(&f[3], "10.0.0.1", "10.0.0.2", 1, 2);
    run(&in, 0, XSW_PORT_NONE, f, 4);
    ck_assert_uint_eq(f[0].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[0].pkt.drop_reason, 0);
    ck_assert_uint_eq(f[1].pkt.verdict, XSW_PASS);
    ck_assert_uint_eq(f[2].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[3].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[3].pkt.drop_reason, 1);
    ck_assert_uint_eq(fake_counter(fx, "ssh hits"), 2);
    ck_assert_uint_eq(fake_counter(fx, "rule 1 hits"), 1);
    ck_assert_uint_eq(fake_counter(fx, "default hits"), 1);

    /* Egress: 'egress_default' is pass; the out_port rule drops. */
    run(&in, 1, 1, &f[1], 1);
    ck_assert_uint_eq(f[1].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[1].pkt.drop_reason, 0);
    run(&in, 1, 2, &f[1], 1);
    ck_assert_uint_eq(f[1].pkt.verdict, XSW_PASS);
    ck_assert_uint_eq(fake_counter(fx, "rule 2 hits"), 1);
    ck_assert_uint_eq(fake_counter(fx, "egress default hits"), 1);
    ck_assert_uint_eq(fake_counter(fx, "default hits"), 1);
    in.ext->destroy(in.state);
}
END_TEST

START_TEST(ext_egress_without_rules_counts_default)
{
    struct inst in;
    struct tframe f[3];

    inst_create(&in, "default: drop\n");
    udp4(&f[0], "10.0.0.1", "10.0.0.2", 1, 2);
    udp4(&f[1], "10.0.0.1", "10.0.0.2", 1, 2);
    udp4(&f[2], "10.0.0.1", "10.0.0.2", 1, 2);
    run(&in, 1, 0, f, 3);
    ck_assert_uint_eq(f[0].pkt.verdict | f[1].pkt.verdict | f[2].pkt.verdict,
                      XSW_PASS);
    ck_assert_uint_eq(fake_counter(fx, "egress default hits"), 3);
    ck_assert_uint_eq(fake_counter(fx, "default hits"), 0);
    in.ext->destroy(in.state);
}
END_TEST

START_TEST(ext_action_failure_drops)
{
    struct inst in;
    struct tframe f;

    inst_create(&in, "rules:\n  - { action: pass, modify: "
                     "[ { push_vlan: { vid: 7 } } ] }\n");
    tf_eth(&f, "02:00:00:00:00:02", "02:00:00:00:00:01", 0, 0, 0);
    tf_ip(&f, 4, "10.0.0.1", "10.0.0.2", 17, 0, 1, 2, 0, 0);
    run(&in, 0, XSW_PORT_NONE, &f, 1);
    ck_assert_uint_eq(f.pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f.pkt.drop_reason, 3);
    ck_assert_uint_eq(fake_counter(fx, "rule 0 hits"), 1);
    in.ext->destroy(in.state);
}
END_TEST

START_TEST(ext_arp_responder_answers_and_drops_the_request)
{
    struct inst in;
    struct tframe f[3];
    const struct fake_inject *inj;
    uint8_t want_sha[6] = {0x02, 0, 0, 0, 0, 0x01};

    inst_create(&in, "rules:\n"
                     "  - { match: { in_port: p3 }, action: drop }\n"
                     "arp_responder:\n"
                     "  - { ip: 10.0.0.1, mac: 02:00:00:00:00:01 }\n"
                     "  - { ip: 10.0.0.2, mac: 02:00:00:00:00:02 }\n");
    tf_eth(&f[0], "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 10, 0, 64);
    tf_arp(&f[0], 1, "02:00:00:00:00:0a", "10.0.0.10", "10.0.0.1");
    f[0].pkt.in_port = 1;
    /* Not ours: travels on. */
    tf_eth(&f[1], "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f[1], 1, "02:00:00:00:00:0a", "10.0.0.10", "10.0.0.3");
    /* Ours, but a rule drops it first: no answer. */
    tf_eth(&f[2], "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0b", 0, 0, 64);
    tf_arp(&f[2], 1, "02:00:00:00:00:0b", "10.0.0.11", "10.0.0.2");
    f[2].pkt.in_port = 2;
    run(&in, 0, XSW_PORT_NONE, f, 3);

    ck_assert_uint_eq(f[0].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[0].pkt.drop_reason, 2);
    ck_assert_uint_eq(f[1].pkt.verdict, XSW_PASS);
    ck_assert_uint_eq(f[2].pkt.verdict, XSW_DROP);
    ck_assert_uint_eq(f[2].pkt.drop_reason, 0);
    ck_assert_uint_eq(fake_n_injected(fx), 1);
    inj = fake_injected(fx, 0);
    ck_assert_uint_eq(inj->port, 1);
    ck_assert_uint_eq(inj->how, XSW_INJECT_TX);
    ck_assert_uint_eq(inj->pkt->size, 60);
    ck_assert_uint_eq(inj->pkt->vlan, 10);
    ck_assert_uint_eq(inj->pkt->ethertype, 0x0806);
    ck_assert_uint_eq(xsw_rd16(inj->pkt->data + 12), 0x8100);
    ck_assert_uint_eq(xsw_rd16(inj->pkt->data + 18 + 6), 2); /* reply */
    ck_assert_mem_eq(inj->pkt->data + 18 + 8, want_sha, 6);
    ck_assert_uint_eq(fake_counter(fx, "arp replies"), 1);
    ck_assert_uint_eq(fake_counter(fx, "arp reply failures"), 0);
    in.ext->destroy(in.state);
}
END_TEST

START_TEST(ext_arp_without_a_packet_lets_the_request_pass)
{
    struct inst in;
    struct tframe f;

    inst_create(&in, "arp_responder:\n"
                     "  - { ip: 10.0.0.1, mac: 02:00:00:00:00:01 }\n");
    tf_eth(&f, "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:0a", 0, 0, 64);
    tf_arp(&f, 1, "02:00:00:00:00:0a", "10.0.0.10", "10.0.0.1");
    fake_fail_alloc(fx, 1);
    run(&in, 0, XSW_PORT_NONE, &f, 1);
    ck_assert_uint_eq(f.pkt.verdict, XSW_PASS);
    ck_assert_uint_eq(fake_n_injected(fx), 0);
    ck_assert_uint_eq(fake_counter(fx, "arp replies"), 0);
    ck_assert_uint_eq(fake_counter(fx, "arp reply failures"), 1);
    in.ext->destroy(in.state);
}
END_TEST

START_TEST(ext_create_failure_reports)
{
    const struct xsw_extension *e = &XSW_EXTENSION_SYMBOL_ID;
    void *state = NULL;

    ck_assert_int_eq(e->create(fake_host(fx), fx,
                               fake_load(fx, "rules: [ { action: maybe } ]\n"),
                               &state),
                     -EINVAL);
    ck_assert_str_eq(fake_error(fx),
                     "1:20: bad action 'maybe' (want pass or drop)");
    e->destroy(NULL);
}
END_TEST

static Suite *
acl_suite(void)
{
    Suite *s = suite_create("acl");
    TCase *tc;

    tc = tcase_create("rule");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, rule_first_match_wins);
    tcase_add_test(tc, rule_in_port_name_and_list);
    tcase_add_test(tc, rule_macs_with_masks);
    tcase_add_test(tc, rule_ethertype_vlan_pcp);
    tcase_add_test(tc, rule_ip_prefixes_keep_to_their_version);
    tcase_add_test(tc, rule_ip_fields_never_match_arp);
    tcase_add_test(tc, rule_ports_only_for_tcp_and_udp);
    tcase_add_test(tc, rule_tcp_flags_syn_not_ack);
    tcase_add_test(tc, rule_dscp);
    tcase_add_test(tc, rule_bpf_runs_on_the_frame);
    tcase_add_test(tc, rule_broken_ip_header_matches_no_ip_rule);
    tcase_add_test(tc, rule_directions_and_out_port);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(
        tc, config_error_texts, 0,
        (int) (sizeof config_errors / sizeof config_errors[0]));
    tcase_add_test(tc, config_rule_limit);
    tcase_add_test(tc, config_empty_means_pass_everything);
    suite_add_tcase(s, tc);

    tc = tcase_create("action");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, action_set_dscp_ipv4_updates_header_checksum);
    tcase_add_test(tc, action_set_dscp_keeps_a_bad_checksum_bad);
    tcase_add_test(tc, action_set_dscp_ipv6_traffic_class);
    tcase_add_test(tc, action_set_dscp_ignores_non_ip);
    tcase_add_test(tc, action_vlan_tags);
    tcase_add_test(tc, action_tags_on_untagged_frames);
    tcase_add_test(tc, action_push_without_headroom_fails);
    tcase_add_test(tc, action_set_macs);
    suite_add_tcase(s, tc);

    tc = tcase_create("arp");
    tcase_add_test(tc, arp_reply_bytes);
    tcase_add_test(tc, arp_reply_keeps_the_vlan_tag);
    tcase_add_test(tc, arp_only_real_requests_qualify);
    tcase_add_test(tc, arp_lookup_sorted);
    suite_add_tcase(s, tc);

    tc = tcase_create("extension");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ext_descriptor);
    tcase_add_test(tc, ext_verdicts_and_counters);
    tcase_add_test(tc, ext_egress_without_rules_counts_default);
    tcase_add_test(tc, ext_action_failure_drops);
    tcase_add_test(tc, ext_arp_responder_answers_and_drops_the_request);
    tcase_add_test(tc, ext_arp_without_a_packet_lets_the_request_pass);
    tcase_add_test(tc, ext_create_failure_reports);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(acl_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
