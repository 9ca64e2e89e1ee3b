/* Unit tests of the firewall's rule texts and matching (rule.h). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <xsw/packet.h>

#include "rule.h"

static struct fw_tuple
tuple(uint8_t family, const char *src, const char *dst, uint8_t proto,
      uint16_t sport, uint16_t dport)
{
    struct fw_tuple t;
    int af = family == 4 ? AF_INET : AF_INET6;

    memset(&t, 0, sizeof t);
    t.family = family;
    ck_assert_int_eq(inet_pton(af, src, t.src), 1);
    ck_assert_int_eq(inet_pton(af, dst, t.dst), 1);
    t.proto = proto;
    t.sport = sport;
    t.dport = dport;
    t.vlan = 1;
    return t;
}

START_TEST(prefixes_parse)
{
    struct rule_prefix p;

    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/8", &p), 0);
    ck_assert_uint_eq(p.family, 4);
    ck_assert_uint_eq(p.len, 8);
    ck_assert_uint_eq(p.addr[0], 10);
    ck_assert_int_eq(rule_parse_prefix("192.0.2.7", &p), 0);
    ck_assert_uint_eq(p.len, 32);
    ck_assert_int_eq(rule_parse_prefix("2001:db8::/32", &p), 0);
    ck_assert_uint_eq(p.family, 6);
    ck_assert_uint_eq(p.len, 32);
    ck_assert_int_eq(rule_parse_prefix("::/0", &p), 0);
    ck_assert_uint_eq(p.len, 0);
    ck_assert_int_eq(rule_parse_prefix("fe80::1", &p), 0);
    ck_assert_uint_eq(p.len, 128);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/20", &p), 0);
}
END_TEST

START_TEST(bad_prefixes_are_refused)
{
    struct rule_prefix p;

    ck_assert_int_eq(rule_parse_prefix("", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("/8", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("10.0.0/8", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/8x", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/-1", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("host.example", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/33", &p), -ERANGE);
    ck_assert_int_eq(rule_parse_prefix("2001:db8::/129", &p), -ERANGE);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.0/999", &p), -ERANGE);
    ck_assert_int_eq(rule_parse_prefix("10.0.0.1/8", &p), -EDOM);
    ck_assert_uint_eq(p.len, 8); /* Kept, for the error's suggestion. */
    ck_assert_int_eq(rule_parse_prefix("10.0.16.0/19", &p), -EDOM);
    ck_assert_int_eq(rule_parse_prefix("2001:db8::1/64", &p), -EDOM);
}
END_TEST

START_TEST(port_ranges_parse)
{
    uint16_t lo, hi;

    ck_assert_int_eq(rule_parse_ports("80", &lo, &hi), 0);
    ck_assert_uint_eq(lo, 80);
    ck_assert_uint_eq(hi, 80);
    ck_assert_int_eq(rule_parse_ports("1000-2000", &lo, &hi), 0);
    ck_assert_uint_eq(lo, 1000);
    ck_assert_uint_eq(hi, 2000);
    ck_assert_int_eq(rule_parse_ports("0-65535", &lo, &hi), 0);
    ck_assert_uint_eq(hi, 65535);
    ck_assert_int_eq(rule_parse_ports("65536", &lo, &hi), -ERANGE);
    ck_assert_int_eq(rule_parse_ports("1-70000", &lo, &hi), -ERANGE);
    ck_assert_int_eq(rule_parse_ports("2000-1000", &lo, &hi), -EDOM);
    ck_assert_int_eq(rule_parse_ports("", &lo, &hi), -EINVAL);
    ck_assert_int_eq(rule_parse_ports("http", &lo, &hi), -EINVAL);
    ck_assert_int_eq(rule_parse_ports("80-", &lo, &hi), -EINVAL);
    ck_assert_int_eq(rule_parse_ports("-80", &lo, &hi), -EINVAL);
    ck_assert_int_eq(rule_parse_ports("80 ", &lo, &hi), -EINVAL);
    ck_assert_int_eq(rule_parse_ports("1-2-3", &lo, &hi), -EINVAL);
}
END_TEST

START_TEST(protocols_parse)
{
    uint8_t p;

    ck_assert_int_eq(rule_parse_proto("tcp", &p), 0);
    ck_assert_uint_eq(p, 6);
    ck_assert_int_eq(rule_parse_proto("udp", &p), 0);
    ck_assert_uint_eq(p, 17);
    ck_assert_int_eq(rule_parse_proto("icmp", &p), 0);
    ck_assert_uint_eq(p, 1);
    ck_assert_int_eq(rule_parse_proto("icmpv6", &p), 0);
    ck_assert_uint_eq(p, 58);
    ck_assert_int_eq(rule_parse_proto("esp", &p), 0);
    ck_assert_uint_eq(p, 50);
    ck_assert_int_eq(rule_parse_proto("ah", &p), 0);
    ck_assert_uint_eq(p, 51);
    ck_assert_int_eq(rule_parse_proto("47", &p), 0);
    ck_assert_uint_eq(p, 47);
    ck_assert_int_eq(rule_parse_proto("0", &p), 0);
    ck_assert_uint_eq(p, 0);
    ck_assert_int_eq(rule_parse_proto("256", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_proto("TCP", &p), -EINVAL);
    ck_assert_int_eq(rule_parse_proto("", &p), -EINVAL);
    ck_assert_uint_eq(rule_proto_family(1), 4);
    ck_assert_uint_eq(rule_proto_family(58), 6);
    ck_assert_uint_eq(rule_proto_family(6), 0);
}
END_TEST

START_TEST(empty_rule_matches_everything)
{
    struct rule r;
    struct fw_tuple t4 = tuple(4, "10.0.0.1", "10.0.0.2", 17, 1, 2);
    struct fw_tuple t6 = tuple(6, "2001:db8::1", "2001:db8::2", 50, 0, 0);

    rule_init(&r);
    ck_assert(rule_matches(&r, &t4, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    ck_assert(rule_matches(&r, &t6, RULE_DIR_IN, 3, 4));
    ck_assert(rule_matches(&r, &t6, RULE_DIR_OUT, 3, 4));
}
END_TEST

START_TEST(direction_and_switch_ports)
{
    struct rule r;
    struct fw_tuple t = tuple(4, "10.0.0.1", "10.0.0.2", 6, 1000, 80);

    rule_init(&r);
    r.dir = RULE_DIR_IN;
    ck_assert(rule_matches(&r, &t, RULE_DIR_IN, 0, XSW_PORT_NONE));
    ck_assert(!rule_matches(&r, &t, RULE_DIR_OUT, 0, XSW_PORT_NONE));
    /* A port neither inside nor outside matches no direction. */
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    rule_init(&r);
    r.from_port = 2;
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 2, XSW_PORT_NONE));
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 1, XSW_PORT_NONE));
    rule_init(&r);
    r.to_port = 5;
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 1, 5));
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 1, 4));
    /* Unknown egress port (on ingress): the rest of the rule decides. */
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 1, XSW_PORT_NONE));
    r.from_port = 2;
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 1, XSW_PORT_NONE));
}
END_TEST

START_TEST(prefixes_protocol_and_ports)
{
    struct rule r;
    struct fw_tuple t = tuple(4, "10.0.31.9", "192.0.2.1", 6, 40000, 443);
    struct fw_tuple t6 = tuple(6, "2001:db8::1", "2001:db8::2", 6, 40000, 443);

    rule_init(&r);
    ck_assert_int_eq(rule_parse_prefix("10.0.16.0/20", &r.src), 0);
    r.family = 4;
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.src[2] = 32; /* 10.0.32.9: just outside the /20. */
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.src[2] = 16;
    ck_assert(!rule_matches(&r, &t6, RULE_DIR_ANY, 0, XSW_PORT_NONE));

    rule_init(&r);
    r.match_proto = 1;
    r.proto = 17;
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    r.proto = 6;
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    ck_assert_int_eq(rule_parse_ports("440-443", &r.dport_lo, &r.dport_hi), 0);
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.dport = 444;
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.dport = 440;
    ck_assert_int_eq(rule_parse_ports("1-1023", &r.sport_lo, &r.sport_hi), 0);
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));

    rule_init(&r);
    ck_assert_int_eq(rule_parse_prefix("2001:db8::2/128", &r.dst), 0);
    r.family = 6;
    ck_assert(rule_matches(&r, &t6, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t6.dst[15] = 3;
    ck_assert(!rule_matches(&r, &t6, RULE_DIR_ANY, 0, XSW_PORT_NONE));
}
END_TEST

START_TEST(first_match_wins)
{
    struct rule rules[3];
    struct fw_tuple t = tuple(4, "10.0.0.1", "10.0.0.2", 17, 5000, 53);

    rule_init(&rules[0]);
    rules[0].match_proto = 1;
    rules[0].proto = 6;
    rules[0].action = RULE_DENY;
    rule_init(&rules[1]);
    rules[1].match_proto = 1;
    rules[1].proto = 17;
    rules[1].action = RULE_REJECT;
    rule_init(&rules[2]);
    ck_assert_int_eq(rule_first_match(rules, 3, &t, 0, 0, XSW_PORT_NONE), 1);
    t.proto = 6;
    ck_assert_int_eq(rule_first_match(rules, 3, &t, 0, 0, XSW_PORT_NONE), 0);
    t.proto = 1;
    ck_assert_int_eq(rule_first_match(rules, 3, &t, 0, 0, XSW_PORT_NONE), 2);
    ck_assert_int_eq(rule_first_match(rules, 2, &t, 0, 0, XSW_PORT_NONE), -1);
    ck_assert_int_eq(rule_first_match(rules, 0, &t, 0, 0, XSW_PORT_NONE), -1);
}
END_TEST

static Suite *
rule_suite(void)
{
    Suite *s = suite_create("rule");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, prefixes_parse);
    tcase_add_test(tc, bad_prefixes_are_refused);
    tcase_add_test(tc, port_ranges_parse);
    tcase_add_test(tc, protocols_parse);
    tcase_add_test(tc, empty_rule_matches_everything);
    tcase_add_test(tc, direction_and_switch_ports);
    tcase_add_test(tc, prefixes_protocol_and_ports);
    tcase_add_test(tc, first_match_wins);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(rule_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
