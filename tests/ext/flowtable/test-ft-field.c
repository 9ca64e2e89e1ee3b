/* Unit tests of the flowtable's match syntax (ft_field) and match building
 * (ft_match): the text forms, their refusals, range-to-mask splitting and
 * the prerequisites ft_match_finish() adds or refuses. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_field.h"
#include "ft_match.h"

/* 'call' refuses every text of 'bad' and says why (in the caller's
 * 'why'). */
#define ASSERT_ALL_REFUSED(bad, call)                                         \
    for (size_t i_ = 0; i_ < sizeof(bad) / sizeof((bad)[0]); i_++) {          \
        const char *text = (bad)[i_];                                         \
        why = NULL;                                                           \
        ck_assert_msg((call) == -EINVAL, "accepted '%s'", text);              \
        ck_assert_ptr_nonnull(why);                                           \
    }

START_TEST(field_mac_forms)
{
    uint8_t mac[6], mask[6];
    const char *why;
    static const uint8_t want[6] = {0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef};
    static const uint8_t oui_mac[6] = {0x00, 0x1b, 0x21, 0, 0, 0};
    static const uint8_t ones[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t oui[6] = {0xff, 0xff, 0xff, 0, 0, 0};

    ck_assert_int_eq(ft_field_parse_mac("00:1b:21:AB:cd:ef", mac, mask, &why),
                     0);
    ck_assert_mem_eq(mac, want, 6);
    ck_assert_mem_eq(mask, ones, 6);
    ck_assert_int_eq(ft_field_parse_mac("0:1b:21:ab:cd:ef", mac, mask, &why),
                     0);
    ck_assert_mem_eq(mac, want, 6);
    ck_assert_int_eq(ft_field_parse_mac("00:1b:21:00:00:00/ff:ff:ff:00:00:00",
                                        mac, mask, &why),
                     0);
    ck_assert_mem_eq(mac, oui_mac, 6);
    ck_assert_mem_eq(mask, oui, 6);
}
END_TEST

START_TEST(field_mac_refusals)
{
    uint8_t mac[6], mask[6];
    static const char *const bad[] = {
        "",
        "00:1b:21:ab:cd",
        "00:1b:21:ab:cd:ef:01",
        "001:1b:21:ab:cd:ef",
        "00-1b-21-ab-cd-ef",
        "00:1b:21:ab:cd:eg",
        "00:1b:21:ab:cd:ef/24",
        "00:1b:21:ab:cd:ef/",
        "00:1b:21:ab:cd:ef/ff:ff",
        "00:1b:21:ab:cd:ef/ff:ff:ff:00:00:00", /* Bits outside the mask. */
    };
    const char *why;

    ASSERT_ALL_REFUSED(bad, ft_field_parse_mac(text, mac, mask, &why));
    ft_field_parse_mac("00:1b:21:ab:cd:ef/ff:ff:ff:00:00:00", mac, mask, &why);
    ck_assert_str_eq(why, "address has bits set outside the mask");
}
END_TEST

START_TEST(field_ip_forms)
{
    uint8_t addr[16], mask[16];
    int family;
    const char *why;
    static const uint8_t v4[16] = {10, 1, 2, 3};
    static const uint8_t n8[16] = {10};
    static const uint8_t m8[16] = {0xff};
    static const uint8_t m32[16] = {0xff, 0xff, 0xff, 0xff};
    static const uint8_t m20[16] = {0xff, 0xff, 0xf0};
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x80};
    static const uint8_t m33[16] = {0xff, 0xff, 0xff, 0xff, 0x80};

    ck_assert_int_eq(
        ft_field_parse_ip("10.0.0.0/8", addr, mask, &family, &why), 0);
    ck_assert_int_eq(family, 4);
    ck_assert_mem_eq(addr, n8, 16);
    ck_assert_mem_eq(mask, m8, 16);
    ck_assert_int_eq(ft_field_parse_ip("10.1.2.3", addr, mask, &family, &why),
                     0);
    ck_assert_mem_eq(addr, v4, 16);
    ck_assert_mem_eq(mask, m32, 16);
    ck_assert_int_eq(
        ft_field_parse_ip("10.1.0.0/20", addr, mask, &family, &why), 0);
    ck_assert_mem_eq(mask, m20, 16);
    ck_assert_int_eq(
        ft_field_parse_ip("2001:db8:8000::/33", addr, mask, &family, &why), 0);
    ck_assert_int_eq(family, 6);
    ck_assert_mem_eq(addr, v6, 16);
    ck_assert_mem_eq(mask, m33, 16);
    ck_assert_int_eq(ft_field_parse_ip("::1", addr, mask, &family, &why), 0);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(mask[i], 0xff);
    ck_assert_int_eq(ft_field_parse_ip("0.0.0.0/0", addr, mask, &family, &why),
                     0);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(mask[i], 0);
}
END_TEST

START_TEST(field_ip_refusals)
{
    uint8_t addr[16], mask[16];
    int family;
    const char *why;
    static const char *const bad[] = {
        "",
        "10.0.0",
        "10.0.0.256",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "::g",
        "2001:db8::/129",
        "10.0.0.0/8x",
        "host",
        "10.0.0.1/8",
        "2001:db8::1/64",
    };

    ASSERT_ALL_REFUSED(bad,
                       ft_field_parse_ip(text, addr, mask, &family, &why));
    ft_field_parse_ip("10.0.0.1/8", addr, mask, &family, &why);
    ck_assert_str_eq(why, "address has bits set past the prefix length");
    ft_field_parse_ip("10.0.0.0/33", addr, mask, &family, &why);
    ck_assert_str_eq(why, "length must be 0..32");
}
END_TEST

START_TEST(field_port_ranges)
{
    uint16_t lo, hi;
    const char *why;
    static const char *const bad[] = {"",   "-5",  "1-",    "2-1", "65536",
                                      "0x", "80 ", "1-2-3", "8o"};

    ck_assert_int_eq(ft_field_parse_port_range("80", &lo, &hi, &why), 0);
    ck_assert_uint_eq(lo, 80);
    ck_assert_uint_eq(hi, 80);
    ck_assert_int_eq(ft_field_parse_port_range("1024-65535", &lo, &hi, &why),
                     0);
    ck_assert_uint_eq(lo, 1024);
    ck_assert_uint_eq(hi, 65535);
    ck_assert_int_eq(ft_field_parse_port_range("0x50", &lo, &hi, &why), 0);
    ck_assert_uint_eq(lo, 80);
    ASSERT_ALL_REFUSED(bad, ft_field_parse_port_range(text, &lo, &hi, &why));
    ft_field_parse_port_range("2-1", &lo, &hi, &why);
    ck_assert_str_eq(why, "the low end is above the high end");
}
END_TEST

START_TEST(field_names_and_numbers)
{
    uint16_t et;
    uint8_t proto;
    const char *why;

    ck_assert_int_eq(ft_field_parse_ethertype("ipv4", &et, &why), 0);
    ck_assert_uint_eq(et, 0x0800);
    ck_assert_int_eq(ft_field_parse_ethertype("arp", &et, &why), 0);
    ck_assert_uint_eq(et, 0x0806);
    ck_assert_int_eq(ft_field_parse_ethertype("ipv6", &et, &why), 0);
    ck_assert_uint_eq(et, 0x86dd);
    ck_assert_int_eq(ft_field_parse_ethertype("lldp", &et, &why), 0);
    ck_assert_uint_eq(et, 0x88cc);
    ck_assert_int_eq(ft_field_parse_ethertype("0x88B5", &et, &why), 0);
    ck_assert_uint_eq(et, 0x88b5);
    ck_assert_int_eq(ft_field_parse_ethertype("2048", &et, &why), 0);
    ck_assert_uint_eq(et, 0x0800);
    ck_assert_int_eq(ft_field_parse_ethertype("0x10000", &et, &why), -EINVAL);
    ck_assert_int_eq(ft_field_parse_ethertype("0x05ff", &et, &why), -EINVAL);
    ck_assert_int_eq(ft_field_parse_ethertype("ip", &et, &why), -EINVAL);

    ck_assert_int_eq(ft_field_parse_ip_proto("tcp", &proto, &why), 0);
    ck_assert_uint_eq(proto, 6);
    ck_assert_int_eq(ft_field_parse_ip_proto("udp", &proto, &why), 0);
    ck_assert_uint_eq(proto, 17);
    ck_assert_int_eq(ft_field_parse_ip_proto("icmp", &proto, &why), 0);
    ck_assert_uint_eq(proto, 1);
    ck_assert_int_eq(ft_field_parse_ip_proto("icmpv6", &proto, &why), 0);
    ck_assert_uint_eq(proto, 58);
    ck_assert_int_eq(ft_field_parse_ip_proto("sctp", &proto, &why), 0);
    ck_assert_uint_eq(proto, 132);
    ck_assert_int_eq(ft_field_parse_ip_proto("010", &proto, &why), 0);
    ck_assert_uint_eq(proto, 10); /* Not octal. */
    ck_assert_int_eq(ft_field_parse_ip_proto("256", &proto, &why), -EINVAL);
    ck_assert_int_eq(ft_field_parse_ip_proto("TCP", &proto, &why), -EINVAL);
}
END_TEST

START_TEST(field_tcp_flags)
{
    uint8_t v, m;
    const char *why;
    static const char *const bad[] = {"",     "SYN,SYN", "SYNACK",
                                      "SYN,", "!",       ",SYN",
                                      "+SYN", "SYN ACK", "SYN,!syn"};

    ck_assert_int_eq(ft_field_parse_tcp_flags("SYN,!ACK", &v, &m, &why), 0);
    ck_assert_uint_eq(v, 0x02);
    ck_assert_uint_eq(m, 0x12);
    ck_assert_int_eq(ft_field_parse_tcp_flags("syn", &v, &m, &why), 0);
    ck_assert_uint_eq(v, 0x02);
    ck_assert_uint_eq(m, 0x02);
    ck_assert_int_eq(ft_field_parse_tcp_flags("!rst,FIN,Cwr", &v, &m, &why),
                     0);
    ck_assert_uint_eq(v, 0x81);
    ck_assert_uint_eq(m, 0x85);
    ASSERT_ALL_REFUSED(bad, ft_field_parse_tcp_flags(text, &v, &m, &why));
    ft_field_parse_tcp_flags("SYN,!syn", &v, &m, &why);
    ck_assert_str_eq(why, "a flag is named twice");
}
END_TEST

/* A range that is a prefix block is all mask; any other keeps the shared
 * prefix in the mask and the rest as a residual check. */
START_TEST(match_range_splits_into_mask_and_residual)
{
    struct ft_match m;

    ft_match_init(&m);
    ft_match_set_port_range(&m, FT_DST, 1024, 2047);
    ck_assert_uint_eq(m.mask.dst_port, 0xfc00);
    ck_assert_uint_eq(m.key.dst_port, 1024);
    ck_assert_uint_eq(m.has_range, 0);

    ft_match_init(&m);
    ft_match_set_port_range(&m, FT_SRC, 8000, 8080);
    ck_assert_uint_eq(m.mask.src_port, 0xff00); /* 0x1f40..0x1f90 */
    ck_assert_uint_eq(m.key.src_port, 0x1f00);
    ck_assert_uint_eq(m.has_range, FT_RANGE_SRC);

    ft_match_init(&m);
    ft_match_set_port_range(&m, FT_DST, 0, 65535);
    ck_assert_uint_eq(m.mask.dst_port, 0);
    ck_assert_uint_eq(m.has_range, 0);

    ft_match_init(&m);
    ft_match_set_port_range(&m, FT_DST, 443, 443);
    ck_assert_uint_eq(m.mask.dst_port, 0xffff);
    ck_assert_uint_eq(m.key.dst_port, 443);
    ck_assert_uint_eq(m.has_range, 0);
}
END_TEST

START_TEST(match_finish_adds_prerequisites)
{
    struct ft_match m;
    const char *why = NULL;
    uint8_t a[16] = {10}, mask[16] = {0xff};
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    static const uint8_t ones[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

    /* Nothing: nothing required. */
    ft_match_init(&m);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, 0);

    /* vlan and in_port: offered by every packet. */
    ft_match_set_vlan(&m, 10);
    ft_match_set_in_port(&m, 2);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, 0);

    /* A MAC: a whole Ethernet header. */
    ft_match_init(&m);
    ft_match_set_mac(&m, FT_DST, mac, ones);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, FT_KIND_ETH);
    ck_assert_uint_eq(m.key.kind, FT_KIND_ETH);

    /* An IPv4 prefix alone: IPv4 packets. */
    ft_match_init(&m);
    ck_assert_int_eq(ft_match_set_ip(&m, FT_DST, 4, a, mask, &why), 0);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, FT_KIND_IP4);
    ck_assert_uint_eq(m.key.kind, FT_KIND_IP4);

    /* dscp: IP; ports: TCP or UDP; tcp_flags: TCP. */
    ft_match_init(&m);
    ft_match_set_dscp(&m, 0);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, FT_KIND_IP);
    ft_match_init(&m);
    ft_match_set_port_range(&m, FT_DST, 53, 53);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, FT_KIND_PORTS);
    ft_match_init(&m);
    ft_match_set_tcp_flags(&m, 0x02, 0x12);
    ck_assert_int_eq(ft_match_finish(&m, &why), 0);
    ck_assert_uint_eq(m.mask.kind, FT_KIND_TCP);
    ck_assert_uint_eq(m.key.kind, FT_KIND_TCP);
}
END_TEST

START_TEST(match_finish_refuses_contradictions)
{
    struct ft_match m;
    const char *why = NULL;
    uint8_t a4[16] = {10}, a6[16] = {0x20, 0x01}, mask[16] = {0xff};

    ft_match_init(&m);
    ft_match_set_ethertype(&m, 0x0806);
    ft_match_set_ip(&m, FT_SRC, 6, a6, mask, &why);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "an IPv6 prefix needs ethertype ipv6");

    ft_match_init(&m);
    ft_match_set_ethertype(&m, 0x0806);
    ft_match_set_ip(&m, FT_SRC, 4, a4, mask, &why);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "an IPv4 prefix needs ethertype ipv4");

    ft_match_init(&m);
    ft_match_set_ethertype(&m, 0x0806);
    ft_match_set_dscp(&m, 10);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "IP fields need ethertype ipv4 or ipv6");

    ft_match_init(&m);
    ft_match_set_ethertype(&m, 0x88cc);
    ft_match_set_port_range(&m, FT_DST, 80, 80);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "IP fields need ethertype ipv4 or ipv6");

    ft_match_init(&m);
    ft_match_set_ip_proto(&m, 1);
    ft_match_set_port_range(&m, FT_DST, 80, 80);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "ports need ip_proto tcp or udp");

    ft_match_init(&m);
    ft_match_set_ip_proto(&m, 17);
    ft_match_set_tcp_flags(&m, 0x02, 0x02);
    ck_assert_int_eq(ft_match_finish(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "tcp_flags needs ip_proto tcp");

    ft_match_init(&m);
    ck_assert_int_eq(ft_match_set_ip(&m, FT_SRC, 4, a4, mask, &why), 0);
    ck_assert_int_eq(ft_match_set_ip(&m, FT_DST, 6, a6, mask, &why), -EINVAL);
    ck_assert_str_eq(why,
                     "src_ip and dst_ip are of different address families");
}
END_TEST

static Suite *
field_suite(void)
{
    Suite *s = suite_create("ft_field");
    TCase *tc = tcase_create("syntax");

    tcase_add_test(tc, field_mac_forms);
    tcase_add_test(tc, field_mac_refusals);
    tcase_add_test(tc, field_ip_forms);
    tcase_add_test(tc, field_ip_refusals);
    tcase_add_test(tc, field_port_ranges);
    tcase_add_test(tc, field_names_and_numbers);
    tcase_add_test(tc, field_tcp_flags);
    suite_add_tcase(s, tc);
    tc = tcase_create("match");
    tcase_add_test(tc, match_range_splits_into_mask_and_residual);
    tcase_add_test(tc, match_finish_adds_prerequisites);
    tcase_add_test(tc, match_finish_refuses_contradictions);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(field_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
