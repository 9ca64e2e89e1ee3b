/* Unit tests of how the firewall sorts packets and builds tuples
 * (fw-pkt.h), including the packet quoted by an ICMP error. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "fw-pkt.h"
#include "fwt.h"

static struct fwt_pkt p, q;

static bool
addr_is(const uint8_t *a, uint8_t family, const char *text)
{
    uint8_t want[16] = {0};

    inet_pton(family == 4 ? AF_INET : AF_INET6, text, want);
    return memcmp(a, want, 16) == 0;
}

START_TEST(non_ip_and_malformed)
{
    struct fw_tuple t;

    fwt_build(&p, &(struct fwt_spec){.ethertype = 0x0806});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_NON_IP);
    /* Tags the parser gave up on leave a tag type as the ethertype: what
     * is behind them is unknown, so it is malformed, not non-IP. */
    p.pkt.ethertype = 0x8100;
    p.pkt.flags = XSW_PKT_F_TAGS_DEEP;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    p.pkt.flags = XSW_PKT_F_L2_TRUNC;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    fwt_build(&p, &FWT_IP(4, "10.0.0.1", "10.0.0.2", 17, 1, 2));
    p.pkt.flags |= XSW_PKT_F_L4_TRUNC;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    p.pkt.flags = XSW_PKT_F_L3_BAD;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    p.pkt.flags = XSW_PKT_F_L3_TRUNC;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    /* An IPv4 ethertype the parser could not read at all. */
    p.pkt.flags = 0;
    p.pkt.ip_version = 0;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
    /* TCP without room for its header. */
    fwt_build(&p, &FWT_IP(4, "10.0.0.1", "10.0.0.2", 6, 1, 2));
    p.pkt.size = p.pkt.l4_ofs + 19;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_MALFORMED);
}
END_TEST

START_TEST(later_fragments_have_no_tuple)
{
    struct fw_tuple t;

    fwt_build(&p, &FWT_IP(4, "10.0.0.1", "10.0.0.2", 17, 1, 2));
    p.pkt.flags |= XSW_PKT_F_IP_FRAG;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_UDP);
    p.pkt.flags |= XSW_PKT_F_IP_LATER;
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_FRAGMENT);
}
END_TEST

START_TEST(tcp_and_udp_tuples)
{
    struct fw_tuple t;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 6,
                                     .sport = 40000,
                                     .dport = 80,
                                     .vlan = 20});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_TCP);
    ck_assert(addr_is(t.src, 4, "10.0.0.1"));
    ck_assert(addr_is(t.dst, 4, "192.0.2.9"));
    ck_assert_uint_eq(t.sport, 40000);
    ck_assert_uint_eq(t.dport, 80);
    ck_assert_uint_eq(t.proto, 6);
    ck_assert_uint_eq(t.family, 4);
    ck_assert_uint_eq(t.vlan, 20);
    ck_assert_uint_eq(t.icmp_req, 0);

    fwt_build(&p, &FWT_IP(6, "2001:db8::1", "2001:db8::2", 17, 5353, 53));
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_UDP);
    ck_assert(addr_is(t.src, 6, "2001:db8::1"));
    ck_assert_uint_eq(t.sport, 5353);
    ck_assert_uint_eq(t.family, 6);
}
END_TEST

START_TEST(icmp_queries_key_by_identifier)
{
    struct fw_tuple req, rep, rev;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 1,
                                     .icmp_type = 8,
                                     .icmp_id = 0x1234});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &req), FW_PKT_ICMP_REQUEST);
    ck_assert_uint_eq(req.icmp_req, 8);
    ck_assert_uint_eq(req.sport, 0x1234);
    ck_assert_uint_eq(req.dport, 0x1234);
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.2",
                                     .dst = "10.0.0.1",
                                     .proto = 1,
                                     .icmp_type = 0,
                                     .icmp_id = 0x1234});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &rep), FW_PKT_ICMP_REPLY);
    ck_assert_uint_eq(req.icmp_reply, 0);
    ck_assert_uint_eq(rep.icmp_reply, 1);
    fw_tuple_reverse(&rev, &req);
    ck_assert(fw_tuple_equal(&rev, &rep));
    /* The other end's own request with the same identifier is not the
     * reply direction of the first. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.2",
                                     .dst = "10.0.0.1",
                                     .proto = 1,
                                     .icmp_type = 8,
                                     .icmp_id = 0x1234});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &rev), FW_PKT_ICMP_REQUEST);
    ck_assert(!fw_tuple_is_reverse(&rev, &req));
    ck_assert(!fw_tuple_equal(&rev, &rep));

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 58,
                                     .icmp_type = 129,
                                     .icmp_id = 7});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &rep), FW_PKT_ICMP_REPLY);
    ck_assert_uint_eq(rep.icmp_req, 128);
    /* ICMPv4's protocol number in an IPv6 packet is just a protocol. */
    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 1,
                                     .payload = 8});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &rep), FW_PKT_OTHER);
}
END_TEST

START_TEST(icmp_kinds)
{
    static const struct {
        uint8_t family, type;
        enum fw_pkt_kind kind;
    } cases[] = {
        {4, 3, FW_PKT_ICMP_ERROR},     {4, 11, FW_PKT_ICMP_ERROR},
        {4, 12, FW_PKT_ICMP_ERROR},    {4, 5, FW_PKT_ICMP_ERROR},
        {4, 13, FW_PKT_ICMP_REQUEST},  {4, 14, FW_PKT_ICMP_REPLY},
        {4, 9, FW_PKT_ICMP_OTHER},     {4, 200, FW_PKT_ICMP_OTHER},
        {6, 1, FW_PKT_ICMP_ERROR},     {6, 2, FW_PKT_ICMP_ERROR},
        {6, 4, FW_PKT_ICMP_ERROR},     {6, 133, FW_PKT_NDP},
        {6, 135, FW_PKT_NDP},          {6, 136, FW_PKT_NDP},
        {6, 143, FW_PKT_NDP},          {6, 130, FW_PKT_NDP},
        {6, 128, FW_PKT_ICMP_REQUEST}, {6, 139, FW_PKT_ICMP_REQUEST},
        {6, 200, FW_PKT_ICMP_OTHER},   {6, 100, FW_PKT_ICMP_OTHER},
    };
    struct fw_tuple t;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        int v4 = cases[i].family == 4;

        fwt_build(&p,
                  &(struct fwt_spec){.family = cases[i].family,
                                     .src = v4 ? "10.0.0.1" : "2001:db8::1",
                                     .dst = v4 ? "10.0.0.2" : "2001:db8::2",
                                     .proto = v4 ? 1 : 58,
                                     .icmp_type = cases[i].type});
        ck_assert_msg(fw_pkt_classify(&p.pkt, &t) == cases[i].kind,
                      "IPv%u ICMP type %u", cases[i].family, cases[i].type);
    }
}
END_TEST

START_TEST(esp_is_keyed_by_addresses)
{
    struct fw_tuple t;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 50,
                                     .payload = 40});
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_OTHER);
    ck_assert_uint_eq(t.proto, 50);
    ck_assert_uint_eq(t.sport, 0);
    ck_assert_uint_eq(t.dport, 0);
}
END_TEST

/* An ICMP error from 'from' to 10.0.0.1 quoting 10.0.0.1 > 192.0.2.9
 * UDP 4000 > 53 (IPv4) or the same in IPv6. */
static void
build_error(uint8_t family, uint32_t quote_cut, const char *to)
{
    const uint8_t *dgram;
    uint32_t size;
    int v4 = family == 4;

    fwt_build(&q, &(struct fwt_spec){.family = family,
                                     .src = v4 ? "10.0.0.1" : "2001:db8::1",
                                     .dst = v4 ? "192.0.2.9" : "2001:db8:9::9",
                                     .proto = 17,
                                     .sport = 4000,
                                     .dport = 53,
                                     .payload = 30});
    dgram = fwt_ip_datagram(&q, &size);
    fwt_build(&p,
              &(struct fwt_spec){.family = family,
                                 .src = v4 ? "198.51.100.1" : "2001:db8:7::7",
                                 .dst = to   ? to
                                        : v4 ? "10.0.0.1"
                                             : "2001:db8::1",
                                 .proto = v4 ? 1 : 58,
                                 .icmp_type = v4 ? 3 : 1,
                                 .icmp_code = v4 ? 3 : 4,
                                 .quote = dgram,
                                 .quote_size = size - quote_cut});
}

START_TEST(icmp_error_quotes_a_flow)
{
    struct fw_tuple t, inner;

    build_error(4, 0, NULL);
    ck_assert_int_eq(fw_pkt_classify(&p.pkt, &t), FW_PKT_ICMP_ERROR);
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    ck_assert(fw_pkt_classify(&q.pkt, &t) == FW_PKT_UDP);
    ck_assert(fw_tuple_equal(&inner, &t));

    build_error(6, 0, NULL);
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    ck_assert(fw_pkt_classify(&q.pkt, &t) == FW_PKT_UDP);
    ck_assert(fw_tuple_equal(&inner, &t));
}
END_TEST

START_TEST(icmp_error_quote_limits)
{
    struct fw_tuple inner;

    /* RFC 792's minimum (IP header + 8 bytes) still names the flow. */
    build_error(4, 30, NULL);
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    ck_assert_uint_eq(inner.dport, 53);
    /* Without the ports it cannot. */
    build_error(4, 30 + 6, NULL);
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
    build_error(6, 30 + 8 + 2, NULL);
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
    /* An error must go to the sender of what it quotes. */
    build_error(4, 0, "10.0.0.3");
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
    /* Ethernet padding is not quote. */
    build_error(4, 36, NULL);
    p.pkt.size += 20;
    memset(p.pkt.data + p.pkt.size - 20, 0xee, 20);
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
}
END_TEST

START_TEST(icmp_error_about_echo_and_about_error)
{
    struct fw_tuple inner, t;
    const uint8_t *dgram;
    uint32_t size;

    fwt_build(&q, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 1,
                                     .icmp_type = 8,
                                     .icmp_id = 99});
    dgram = fwt_ip_datagram(&q, &size);
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "192.0.2.254",
                                     .dst = "10.0.0.1",
                                     .proto = 1,
                                     .icmp_type = 11,
                                     .quote = dgram,
                                     .quote_size = size});
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    fw_pkt_classify(&q.pkt, &t);
    ck_assert(fw_tuple_equal(&inner, &t));
    ck_assert_uint_eq(inner.icmp_req, 8);
    ck_assert_uint_eq(inner.icmp_reply, 0);

    /* An error about an echo reply: the quoted tuple is a reply's. */
    fwt_build(&q, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 1,
                                     .icmp_type = 0,
                                     .icmp_id = 99});
    dgram = fwt_ip_datagram(&q, &size);
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "192.0.2.254",
                                     .dst = "10.0.0.1",
                                     .proto = 1,
                                     .icmp_type = 11,
                                     .quote = dgram,
                                     .quote_size = size});
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    ck_assert_int_eq(fw_pkt_classify(&q.pkt, &t), FW_PKT_ICMP_REPLY);
    ck_assert(fw_tuple_equal(&inner, &t));
    ck_assert_uint_eq(inner.icmp_reply, 1);

    /* An error quoting an error. */
    fwt_build(&q, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 1,
                                     .icmp_type = 3,
                                     .icmp_code = 1});
    dgram = fwt_ip_datagram(&q, &size);
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "192.0.2.254",
                                     .dst = "10.0.0.1",
                                     .proto = 1,
                                     .icmp_type = 11,
                                     .quote = dgram,
                                     .quote_size = size});
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
}
END_TEST

START_TEST(icmp6_error_walks_extension_headers)
{
    uint8_t quote[40 + 8 + 8];
    struct fw_tuple inner;

    /* IPv6 header, a first fragment header, then UDP 4000 > 53. */
    memset(quote, 0, sizeof quote);
    quote[0] = 0x60;
    quote[5] = 16;
    quote[6] = 44;
    quote[7] = 64;
    inet_pton(AF_INET6, "2001:db8::1", quote + 8);
    inet_pton(AF_INET6, "2001:db8:9::9", quote + 24);
    quote[40] = 17;
    quote[43] = 1; /* Offset 0, M=1: the first fragment. */
    quote[48] = 4000 >> 8;
    quote[49] = 4000 & 0xff;
    quote[51] = 53;
    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8:7::7",
                                     .dst = "2001:db8::1",
                                     .proto = 58,
                                     .icmp_type = 2,
                                     .quote = quote,
                                     .quote_size = sizeof quote});
    ck_assert(fw_pkt_icmp_inner(&p.pkt, &inner));
    ck_assert_uint_eq(inner.proto, 17);
    ck_assert_uint_eq(inner.sport, 4000);
    ck_assert_uint_eq(inner.dport, 53);
    /* A later fragment carries no ports. */
    quote[42] = 0x01;
    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8:7::7",
                                     .dst = "2001:db8::1",
                                     .proto = 58,
                                     .icmp_type = 2,
                                     .quote = quote,
                                     .quote_size = sizeof quote});
    ck_assert(!fw_pkt_icmp_inner(&p.pkt, &inner));
}
END_TEST

START_TEST(lengths_exclude_ethernet_padding)
{
    struct tcp_seg seg;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_SYN,
                                     .seq = 77,
                                     .pad_to = 60});
    ck_assert_uint_eq(p.pkt.size, 60);
    ck_assert_uint_eq(fw_pkt_l3_end(&p.pkt), 54);
    fw_pkt_tcp_seg(&p.pkt, &seg);
    ck_assert_uint_eq(seg.len, 0);
    ck_assert_uint_eq(seg.seq, 77);
    ck_assert_uint_eq(seg.flags, XSW_TCP_SYN);

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_ACK,
                                     .seq = 1,
                                     .ack = 0xdeadbeef,
                                     .payload = 5,
                                     .vlan = 7,
                                     .pad_to = 200});
    fw_pkt_tcp_seg(&p.pkt, &seg);
    ck_assert_uint_eq(seg.len, 5);
    ck_assert_uint_eq(seg.ack, 0xdeadbeef);
    ck_assert_uint_eq(fw_pkt_l3_end(&p.pkt), 18 + 40 + 20 + 5);

    /* IPv6 payload length 0: the header alone, not up to the frame's
     * end (a jumbogram cannot be in an Ethernet frame). */
    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 59,
                                     .pad_to = 80});
    ck_assert_uint_eq(p.pkt.size, 80);
    ck_assert_uint_eq(fw_pkt_l3_end(&p.pkt), 14 + 40);
}
END_TEST

static Suite *
pkt_suite(void)
{
    Suite *s = suite_create("fw-pkt");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, non_ip_and_malformed);
    tcase_add_test(tc, later_fragments_have_no_tuple);
    tcase_add_test(tc, tcp_and_udp_tuples);
    tcase_add_test(tc, icmp_queries_key_by_identifier);
    tcase_add_test(tc, icmp_kinds);
    tcase_add_test(tc, esp_is_keyed_by_addresses);
    tcase_add_test(tc, icmp_error_quotes_a_flow);
    tcase_add_test(tc, icmp_error_quote_limits);
    tcase_add_test(tc, icmp_error_about_echo_and_about_error);
    tcase_add_test(tc, icmp6_error_walks_extension_headers);
    tcase_add_test(tc, lengths_exclude_ethernet_padding);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(pkt_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
