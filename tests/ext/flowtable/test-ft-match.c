/* Unit tests of the flowtable's match building (ft_match): range-to-mask
 * splitting and the prerequisites ft_match_finish() adds or refuses.  The
 * text forms of match values are the SDK's, tested in tests/ext/field. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_match.h"

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
match_suite(void)
{
    Suite *s = suite_create("ft_match");
    TCase *tc = tcase_create("match");

    tcase_add_test(tc, match_range_splits_into_mask_and_residual);
    tcase_add_test(tc, match_finish_adds_prerequisites);
    tcase_add_test(tc, match_finish_refuses_contradictions);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(match_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
