/* Unit tests of the firewall's rule matching (rule.h); the rule texts are
 * read by the SDK's parsers (xsw/field.h), tested in tests/ext/field. */
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

/* icmp and icmpv6 pin a rule to their IP version. */
START_TEST(proto_family)
{
    ck_assert_uint_eq(rule_proto_family(1), 4);
    ck_assert_uint_eq(rule_proto_family(58), 6);
    ck_assert_uint_eq(rule_proto_family(6), 0);
    ck_assert_uint_eq(rule_proto_family(0), 0);
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
    const char *why = NULL;

    rule_init(&r);
    ck_assert_int_eq(xsw_field_parse_prefix("10.0.16.0/20", &r.src, &why), 0);
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
    ck_assert_int_eq(
        xsw_field_parse_port_range("440-443", &r.dport_lo, &r.dport_hi, &why),
        0);
    ck_assert(rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.dport = 444;
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));
    t.dport = 440;
    ck_assert_int_eq(
        xsw_field_parse_port_range("1-1023", &r.sport_lo, &r.sport_hi, &why),
        0);
    ck_assert(!rule_matches(&r, &t, RULE_DIR_ANY, 0, XSW_PORT_NONE));

    rule_init(&r);
    ck_assert_int_eq(xsw_field_parse_prefix("2001:db8::2/128", &r.dst, &why),
                     0);
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

    tcase_add_test(tc, proto_family);
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
