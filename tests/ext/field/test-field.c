/* Unit tests of the SDK's field parsers (sdk/include/xsw/field.h): every
 * accepted form of every parser with the value it gives, every refusal
 * with its exact reason, and the error contract (outputs written only on
 * success, '*why' only on failure, the prefix suggestion).  Built against
 * the SDK headers alone, as an extension would be. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/field.h>
#include <xsw/xsw.h> /* xsw.h includes field.h: a second include is fine. */

/* A text and the reason it must be refused with. */
struct refusal {
    const char *text;
    const char *why;
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Marks '*why' so that a test sees whether a parser wrote it. */
static const char unset[] = "unset";

static const char *const WHY_MAC = "want six hex bytes like 00:11:22:33:44:55";
static const char *const WHY_MAC_MASK =
    "the mask wants six hex bytes like ff:ff:ff:00:00:00";
static const char *const WHY_MAC_BITS =
    "address has bits set outside the mask";
static const char *const WHY_NO_MASK = "a mask is not allowed here";
static const char *const WHY_ADDR = "not an IPv4 or IPv6 address";
static const char *const WHY_LEN4 = "length must be 0..32";
static const char *const WHY_LEN6 = "length must be 0..128";
static const char *const WHY_HOST = "address has bits set past the prefix "
                                    "length";
static const char *const WHY_PORT = "want a port 0..65535 or a range LO-HI";
static const char *const WHY_RANGE = "the low end is above the high end";
static const char *const WHY_ETHERTYPE =
    "want 0x0600..0xffff or one of ipv4, ipv6, arp, lldp";
static const char *const WHY_PROTO = "want 0..255 or one of tcp, udp, icmp, "
                                     "icmpv6, esp, ah, gre, sctp, igmp";
static const char *const WHY_FLAGS = "want flag names from FIN SYN RST PSH "
                                     "ACK URG ECE CWR, each optionally with "
                                     "'!', separated by commas";
static const char *const WHY_TWICE = "a flag is named twice";
static const char *const WHY_NAN = "not a number (want decimal, or "
                                   "hexadecimal after 0x)";
static const char *const WHY_BIG = "the number is too large";

/* --- uint ------------------------------------------------------------- */

START_TEST(uint_accepts_decimal_and_hex)
{
    static const struct {
        const char *text;
        uint64_t max, want;
    } ok[] = {
        {"0", 0, 0},
        {"1500", 1500, 1500},
        {"010", 100, 10}, /* A leading zero is not octal. */
        {"0x10", 100, 16},
        {"0XfF", 255, 255},
        {"0x0", 0, 0},
        {"00", 0, 0},
        {"18446744073709551615", UINT64_MAX, UINT64_MAX},
        {"0xffffffffffffffff", UINT64_MAX, UINT64_MAX},
        {"0x00000000000000000001", 1, 1},
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint64_t v = 12345;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_uint(ok[i].text, ok[i].max, &v, &why) ==
                          0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(v, ok[i].want);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(uint_refuses_what_is_no_number_or_too_large)
{
    static const struct {
        const char *text;
        uint64_t max;
        const char *why;
    } bad[] = {
        {"", 100, WHY_NAN},
        {"0x", 100, WHY_NAN},
        {"x10", 100, WHY_NAN},
        {"-1", 100, WHY_NAN},
        {"+1", 100, WHY_NAN},
        {" 1", 100, WHY_NAN},
        {"1 ", 100, WHY_NAN},
        {"1.5", 100, WHY_NAN},
        {"12a", 100, WHY_NAN},
        {"0x1g", 100, WHY_NAN},
        {"ten", 100, WHY_NAN},
        {"0b101", 100, WHY_NAN},
        /* Syntax first: a long bad text is no number, not too large. */
        {"99999999999999999999999x", UINT64_MAX, WHY_NAN},
        {"101", 100, WHY_BIG},
        {"0x65", 100, WHY_BIG},
        {"1", 0, WHY_BIG},
        {"18446744073709551616", UINT64_MAX, WHY_BIG},
        {"0x10000000000000000", UINT64_MAX, WHY_BIG},
        {"99999999999999999999999", UINT64_MAX, WHY_BIG},
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint64_t v = 12345;
        const char *why = unset;

        ck_assert_msg(
            xsw_field_parse_uint(bad[i].text, bad[i].max, &v, &why) == -1,
            "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, bad[i].why);
        ck_assert_uint_eq(v, 12345); /* Untouched on failure. */
    }
}
END_TEST

/* --- MAC -------------------------------------------------------------- */

START_TEST(mac_accepts_addresses_and_masks)
{
    static const struct {
        const char *text;
        uint8_t mac[6], mask[6];
    } ok[] = {
        {"00:1b:21:AB:cd:ef",
         {0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
        {"0:1b:21:ab:cd:ef",
         {0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
        {"0:1:2:a:B:c",
         {0x00, 0x01, 0x02, 0x0a, 0x0b, 0x0c},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
        {"FF:FF:FF:FF:FF:FF",
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
        {"00:1b:21:00:00:00/ff:ff:ff:00:00:00",
         {0x00, 0x1b, 0x21, 0, 0, 0},
         {0xff, 0xff, 0xff, 0, 0, 0}},
        {"02:00:00:00:00:00/ff:00:00:00:00:00",
         {0x02, 0, 0, 0, 0, 0},
         {0xff, 0, 0, 0, 0, 0}},
        {"01:00:00:00:00:00/1:0:0:0:0:0",
         {1, 0, 0, 0, 0, 0},
         {1, 0, 0, 0, 0, 0}},
        {"0:0:0:0:0:0/0:0:0:0:0:0", {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}},
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint8_t mac[6], mask[6];
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_mac(ok[i].text, mac, mask, &why) == 0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_mem_eq(mac, ok[i].mac, 6);
        ck_assert_mem_eq(mask, ok[i].mask, 6);
        ck_assert_ptr_eq(why, unset);
    }
    /* Without a mask wanted (a rewrite's address), a plain address. */
    {
        uint8_t mac[6];
        static const uint8_t want[6] = {0x02, 0, 0, 0, 0, 0x01};
        const char *why = unset;

        ck_assert_int_eq(
            xsw_field_parse_mac("02:00:00:00:00:01", mac, NULL, &why), 0);
        ck_assert_mem_eq(mac, want, 6);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(mac_refusals)
{
    static const struct refusal bad[] = {
        {"", WHY_MAC},
        {"00:1b:21:ab:cd", WHY_MAC},
        {"00:1b:21:ab:cd:ef:01", WHY_MAC},
        {"001:1b:21:ab:cd:ef", WHY_MAC},
        {"00-1b-21-ab-cd-ef", WHY_MAC},
        {"001b.21ab.cdef", WHY_MAC},
        {"001b21abcdef", WHY_MAC},
        {"00:1b:21:ab:cd:eg", WHY_MAC},
        {"00:1b:21:ab:cd:", WHY_MAC},
        {":00:1b:21:ab:cd", WHY_MAC},
        {"00::21:ab:cd:ef", WHY_MAC},
        {" 00:1b:21:ab:cd:ef", WHY_MAC},
        {"00:1b:21:ab:cd:ef ", WHY_MAC},
        {"/ff:ff:ff:ff:ff:ff", WHY_MAC},
        {"00:1b:21:ab:cd:ef/24", WHY_MAC_MASK},
        {"00:1b:21:ab:cd:ef/", WHY_MAC_MASK},
        {"00:1b:21:ab:cd:ef/ff:ff", WHY_MAC_MASK},
        {"00:1b:21:00:00:00/ff:ff:ff:00:00:00/", WHY_MAC_MASK},
        {"00:1b:21:ab:cd:ef/ff:ff:ff:00:00:00", WHY_MAC_BITS},
        {"00:11:22:00:00:01/ff:ff:ff:00:00:00", WHY_MAC_BITS},
        {"01:00:00:00:00:00/0:0:0:0:0:0", WHY_MAC_BITS},
    };
    static const uint8_t sentinel[6] = {9, 9, 9, 9, 9, 9};

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint8_t mac[6], mask[6];
        const char *why = unset;

        memcpy(mac, sentinel, 6);
        memcpy(mask, sentinel, 6);
        ck_assert_msg(xsw_field_parse_mac(bad[i].text, mac, mask, &why) == -1,
                      "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, bad[i].why);
        ck_assert_mem_eq(mac, sentinel, 6);
        ck_assert_mem_eq(mask, sentinel, 6);
    }
}
END_TEST

START_TEST(mac_mask_refused_where_not_allowed)
{
    uint8_t mac[6] = {9, 9, 9, 9, 9, 9};
    static const uint8_t sentinel[6] = {9, 9, 9, 9, 9, 9};
    const char *why = unset;

    ck_assert_int_eq(xsw_field_parse_mac("00:11:22:00:00:00/ff:ff:ff:00:00:00",
                                         mac, NULL, &why),
                     -1);
    ck_assert_str_eq(why, WHY_NO_MASK);
    ck_assert_mem_eq(mac, sentinel, 6);
    /* A bad address is reported as such, mask or not. */
    ck_assert_int_eq(xsw_field_parse_mac("00:11/ff", mac, NULL, &why), -1);
    ck_assert_str_eq(why, WHY_MAC);
}
END_TEST

/* --- Prefix ----------------------------------------------------------- */

START_TEST(prefix_accepts_v4_v6_and_hosts)
{
    static const struct {
        const char *text;
        uint8_t family, len;
        uint8_t addr[16], mask[16];
    } ok[] = {
        {"10.0.0.0/8", 4, 8, {10}, {0xff}},
        {"10.1.2.3", 4, 32, {10, 1, 2, 3}, {0xff, 0xff, 0xff, 0xff}},
        {"10.1.0.0/20", 4, 20, {10, 1}, {0xff, 0xff, 0xf0}},
        {"10.0.0.0/12", 4, 12, {10}, {0xff, 0xf0}},
        {"192.0.2.7", 4, 32, {192, 0, 2, 7}, {0xff, 0xff, 0xff, 0xff}},
        {"255.255.255.255/32",
         4,
         32,
         {255, 255, 255, 255},
         {0xff, 0xff, 0xff, 0xff}},
        {"0.0.0.0/0", 4, 0, {0}, {0}},
        {"10.0.0.0/010", 4, 10, {10}, {0xff, 0xc0}}, /* Not octal. */
        {"2001:db8::/32",
         6,
         32,
         {0x20, 0x01, 0x0d, 0xb8},
         {0xff, 0xff, 0xff, 0xff}},
        {"2001:db8:8000::/33",
         6,
         33,
         {0x20, 0x01, 0x0d, 0xb8, 0x80},
         {0xff, 0xff, 0xff, 0xff, 0x80}},
        {"::/0", 6, 0, {0}, {0}},
        {"::1",
         6,
         128,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff, 0xff, 0xff, 0xff, 0xff}},
        {"2001:DB8::1/128",
         6,
         128,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff, 0xff, 0xff, 0xff, 0xff}},
        {"::ffff:192.0.2.0/120",
         6,
         120,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 0},
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff, 0xff, 0xff, 0xff}},
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        struct xsw_field_prefix p;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_prefix(ok[i].text, &p, &why) == 0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(p.family, ok[i].family);
        ck_assert_uint_eq(p.len, ok[i].len);
        ck_assert_mem_eq(p.addr, ok[i].addr, 16);
        ck_assert_mem_eq(p.mask, ok[i].mask, 16);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(prefix_refusals)
{
    static const struct refusal bad[] = {
        {"", WHY_ADDR},
        {"/8", WHY_ADDR},
        {"10.0.0", WHY_ADDR},
        {"10.0.0/8", WHY_ADDR},
        {"10.0.0.256", WHY_ADDR},
        {"010.0.0.1", WHY_ADDR},
        {" 10.0.0.1", WHY_ADDR},
        {"10.0.0.1 ", WHY_ADDR},
        {"::g", WHY_ADDR},
        {"fe80::1%eth0", WHY_ADDR},
        {"host", WHY_ADDR},
        {"host.example", WHY_ADDR},
        {"0123456789012345678901234567890123456789012345678901234567/8",
         WHY_ADDR},
        {"10.0.0.0/33", WHY_LEN4},
        {"10.0.0.0/999", WHY_LEN4},
        {"10.0.0.0/", WHY_LEN4},
        {"10.0.0.0/-1", WHY_LEN4},
        {"10.0.0.0/+8", WHY_LEN4},
        {"10.0.0.0/8x", WHY_LEN4},
        {"10.0.0.0/x", WHY_LEN4},
        {"10.0.0.0/0x8", WHY_LEN4}, /* Decimal only. */
        {"10.0.0.0/8/8", WHY_LEN4},
        {"10.0.0.0/ 8", WHY_LEN4},
        {"10.0.0.0/99999999999999999999999", WHY_LEN4},
        {"2001:db8::/129", WHY_LEN6},
        {"2001:db8::/200", WHY_LEN6},
        {"::/", WHY_LEN6},
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        struct xsw_field_prefix p, zero;
        const char *why = unset;

        memset(&p, 0x5a, sizeof p);
        memset(&zero, 0, sizeof zero);
        ck_assert_msg(xsw_field_parse_prefix(bad[i].text, &p, &why) == -1,
                      "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, bad[i].why);
        /* Not a host-bit fault: all zero, no suggestion. */
        ck_assert_mem_eq(&p, &zero, sizeof p);
    }
}
END_TEST

/* Host bits are refused, and '*out' holds the prefix without them for
 * the caller to suggest. */
START_TEST(prefix_host_bits_refused_with_suggestion)
{
    static const struct {
        const char *text;
        uint8_t family, len;
        uint8_t addr[16];
    } bad[] = {
        {"10.0.0.1/8", 4, 8, {10}},
        {"10.0.16.0/19", 4, 19, {10, 0, 0}},
        {"10.0.0.1/0", 4, 0, {0}},
        {"2001:db8::1/64", 6, 64, {0x20, 0x01, 0x0d, 0xb8}},
        {"2001:db8:ffff::/33", 6, 33, {0x20, 0x01, 0x0d, 0xb8, 0x80}},
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        struct xsw_field_prefix p;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_prefix(bad[i].text, &p, &why) == -1,
                      "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, WHY_HOST);
        ck_assert_uint_eq(p.family, bad[i].family);
        ck_assert_uint_eq(p.len, bad[i].len);
        ck_assert_mem_eq(p.addr, bad[i].addr, 16);
    }
}
END_TEST

/* --- Port range ------------------------------------------------------- */

START_TEST(port_range_accepts_ports_and_ranges)
{
    static const struct {
        const char *text;
        uint16_t lo, hi;
    } ok[] = {
        {"80", 80, 80},          {"0", 0, 0},
        {"65535", 65535, 65535}, {"1000-2000", 1000, 2000},
        {"0-65535", 0, 65535},   {"1024-65535", 1024, 65535},
        {"443-443", 443, 443},   {"080", 80, 80}, /* Not octal. */
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint16_t lo = 1, hi = 1;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_port_range(ok[i].text, &lo, &hi, &why) ==
                          0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(lo, ok[i].lo);
        ck_assert_uint_eq(hi, ok[i].hi);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(port_range_refusals)
{
    static const struct refusal bad[] = {
        {"", WHY_PORT},         {"-5", WHY_PORT},
        {"-80", WHY_PORT},      {"1-", WHY_PORT},
        {"80-", WHY_PORT},      {"65536", WHY_PORT},
        {"70000", WHY_PORT},    {"1-70000", WHY_PORT},
        {"0x50", WHY_PORT}, /* Decimal only. */
        {"0x", WHY_PORT},       {"80 ", WHY_PORT},
        {" 80", WHY_PORT},      {"1 - 2", WHY_PORT},
        {"1-2-3", WHY_PORT},    {"8o", WHY_PORT},
        {"http", WHY_PORT},     {"+80", WHY_PORT},
        {"80,443", WHY_PORT},   {"99999999999999999999999", WHY_PORT},
        {"2-1", WHY_RANGE},     {"2000-1000", WHY_RANGE},
        {"65535-0", WHY_RANGE},
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint16_t lo = 7, hi = 7;
        const char *why = unset;

        ck_assert_msg(
            xsw_field_parse_port_range(bad[i].text, &lo, &hi, &why) == -1,
            "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, bad[i].why);
        ck_assert_uint_eq(lo, 7);
        ck_assert_uint_eq(hi, 7);
    }
}
END_TEST

/* --- Ethertype -------------------------------------------------------- */

START_TEST(ethertype_accepts_names_and_numbers)
{
    static const struct {
        const char *text;
        uint16_t want;
    } ok[] = {
        {"ipv4", 0x0800},   {"arp", 0x0806},    {"ipv6", 0x86dd},
        {"lldp", 0x88cc},   {"0x88B5", 0x88b5}, {"0x88cc", 0x88cc},
        {"0X0800", 0x0800}, {"2048", 0x0800},   {"0x0600", 0x0600},
        {"1536", 0x0600},   {"0xffff", 0xffff}, {"65535", 0xffff},
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint16_t type = 1;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_ethertype(ok[i].text, &type, &why) == 0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(type, ok[i].want);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(ethertype_refusals)
{
    /* Below 0x0600 the field is an 802.3 length; names are lower case. */
    static const char *const bad[] = {
        "0x10000", "0x05ff", "1535",   "0",       "ip",   "IPV4",    "Arp",
        "",        "0x",     "-0x800", "0x0800 ", "vlan", "0x08 00", "65536",
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint16_t type = 7;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_ethertype(bad[i], &type, &why) == -1,
                      "accepted '%s'", bad[i]);
        ck_assert_str_eq(why, WHY_ETHERTYPE);
        ck_assert_uint_eq(type, 7);
    }
}
END_TEST

/* --- IP protocol ------------------------------------------------------ */

START_TEST(ip_proto_accepts_names_and_numbers)
{
    static const struct {
        const char *text;
        uint8_t want;
    } ok[] = {
        {"icmp", 1}, {"igmp", 2},  {"tcp", 6},     {"udp", 17},   {"gre", 47},
        {"esp", 50}, {"ah", 51},   {"icmpv6", 58}, {"sctp", 132}, {"0", 0},
        {"47", 47},  {"255", 255}, {"010", 10}, /* Not octal. */
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint8_t proto = 99;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_ip_proto(ok[i].text, &proto, &why) == 0,
                      "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(proto, ok[i].want);
        ck_assert_ptr_eq(why, unset);
    }
}
END_TEST

START_TEST(ip_proto_refusals)
{
    /* Decimal only, names lower case, no aliases. */
    static const char *const bad[] = {
        "256",
        "TCP",
        "Tcp",
        "",
        "tcpx",
        "0x11",
        "-1",
        "6 ",
        " tcp",
        "1e2",
        "ip",
        "ipv6-icmp",
        "99999999999999999999",
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint8_t proto = 99;
        const char *why = unset;

        ck_assert_msg(xsw_field_parse_ip_proto(bad[i], &proto, &why) == -1,
                      "accepted '%s'", bad[i]);
        ck_assert_str_eq(why, WHY_PROTO);
        ck_assert_uint_eq(proto, 99);
    }
}
END_TEST

/* Every name the reasons offer is one the parsers accept. */
START_TEST(names_in_reasons_are_accepted)
{
    char list[128], *name, *save = NULL;
    const char *why;
    uint8_t proto;
    uint16_t type;

    strcpy(list, strstr(WHY_PROTO, "one of ") + strlen("one of "));
    for (name = strtok_r(list, ", ", &save); name;
         name = strtok_r(NULL, ", ", &save))
        ck_assert_msg(xsw_field_parse_ip_proto(name, &proto, &why) == 0,
                      "protocol '%s' refused", name);
    strcpy(list, strstr(WHY_ETHERTYPE, "one of ") + strlen("one of "));
    for (name = strtok_r(list, ", ", &save); name;
         name = strtok_r(NULL, ", ", &save))
        ck_assert_msg(xsw_field_parse_ethertype(name, &type, &why) == 0,
                      "ethertype '%s' refused", name);
}
END_TEST

/* --- TCP flags -------------------------------------------------------- */

START_TEST(tcp_flags_accepts_names_in_any_case)
{
    static const struct {
        const char *text;
        uint8_t value, mask;
    } ok[] = {
        {"SYN,!ACK", XSW_TCP_SYN, XSW_TCP_SYN | XSW_TCP_ACK},
        {"syn", XSW_TCP_SYN, XSW_TCP_SYN},
        {"rst", XSW_TCP_RST, XSW_TCP_RST},
        {"!rst,FIN,Cwr", XSW_TCP_FIN | XSW_TCP_CWR,
         XSW_TCP_RST | XSW_TCP_FIN | XSW_TCP_CWR},
        {"!FIN", 0, XSW_TCP_FIN},
        {"FIN,SYN,RST,PSH,ACK,URG,ECE,CWR", 0xff, 0xff},
        {"!FIN,!SYN,!RST,!PSH,!ACK,!URG,!ECE,!CWR", 0, 0xff},
    };
    /* Each name gives its XSW_TCP_* bit. */
    static const struct {
        const char *name;
        uint8_t bit;
    } bits[] = {
        {"FIN", XSW_TCP_FIN}, {"SYN", XSW_TCP_SYN}, {"RST", XSW_TCP_RST},
        {"PSH", XSW_TCP_PSH}, {"ACK", XSW_TCP_ACK}, {"URG", XSW_TCP_URG},
        {"ECE", XSW_TCP_ECE}, {"CWR", XSW_TCP_CWR},
    };

    for (size_t i = 0; i < N_OF(ok); i++) {
        uint8_t value = 0x5a, mask = 0x5a;
        const char *why = unset;

        ck_assert_msg(
            xsw_field_parse_tcp_flags(ok[i].text, &value, &mask, &why) == 0,
            "refused '%s': %s", ok[i].text, why);
        ck_assert_uint_eq(value, ok[i].value);
        ck_assert_uint_eq(mask, ok[i].mask);
        ck_assert_ptr_eq(why, unset);
    }
    for (size_t i = 0; i < N_OF(bits); i++) {
        uint8_t value, mask;
        const char *why;

        ck_assert_int_eq(
            xsw_field_parse_tcp_flags(bits[i].name, &value, &mask, &why), 0);
        ck_assert_uint_eq(value, bits[i].bit);
        ck_assert_uint_eq(mask, bits[i].bit);
    }
}
END_TEST

START_TEST(tcp_flags_refusals)
{
    static const struct refusal bad[] = {
        {"", WHY_FLAGS},         {"SYNACK", WHY_FLAGS},
        {"SYN,", WHY_FLAGS},     {"!", WHY_FLAGS},
        {",SYN", WHY_FLAGS},     {"+SYN", WHY_FLAGS},
        {"SYN ACK", WHY_FLAGS},  {"SYN, ACK", WHY_FLAGS},
        {"!!SYN", WHY_FLAGS},    {"SYN,FOO", WHY_FLAGS},
        {"S", WHY_FLAGS},        {"FINN", WHY_FLAGS},
        {"SYN,,ACK", WHY_FLAGS}, {"SYN|ACK", WHY_FLAGS},
        {"SYN,SYN", WHY_TWICE},  {"SYN,!syn", WHY_TWICE},
        {"ack,ACK", WHY_TWICE},
    };

    for (size_t i = 0; i < N_OF(bad); i++) {
        uint8_t value = 0x5a, mask = 0x5a;
        const char *why = unset;

        ck_assert_msg(
            xsw_field_parse_tcp_flags(bad[i].text, &value, &mask, &why) == -1,
            "accepted '%s'", bad[i].text);
        ck_assert_str_eq(why, bad[i].why);
        ck_assert_uint_eq(value, 0x5a);
        ck_assert_uint_eq(mask, 0x5a);
    }
}
END_TEST

static Suite *
field_suite(void)
{
    Suite *s = suite_create("field");
    TCase *tc = tcase_create("parsers");

    tcase_add_test(tc, uint_accepts_decimal_and_hex);
    tcase_add_test(tc, uint_refuses_what_is_no_number_or_too_large);
    tcase_add_test(tc, mac_accepts_addresses_and_masks);
    tcase_add_test(tc, mac_refusals);
    tcase_add_test(tc, mac_mask_refused_where_not_allowed);
    tcase_add_test(tc, prefix_accepts_v4_v6_and_hosts);
    tcase_add_test(tc, prefix_refusals);
    tcase_add_test(tc, prefix_host_bits_refused_with_suggestion);
    tcase_add_test(tc, port_range_accepts_ports_and_ranges);
    tcase_add_test(tc, port_range_refusals);
    tcase_add_test(tc, ethertype_accepts_names_and_numbers);
    tcase_add_test(tc, ethertype_refusals);
    tcase_add_test(tc, ip_proto_accepts_names_and_numbers);
    tcase_add_test(tc, ip_proto_refusals);
    tcase_add_test(tc, names_in_reasons_are_accepted);
    tcase_add_test(tc, tcp_flags_accepts_names_in_any_case);
    tcase_add_test(tc, tcp_flags_refusals);
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
