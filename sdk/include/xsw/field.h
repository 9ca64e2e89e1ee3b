/* Field parsers
 * =============
 * The texts an operator writes in the match or rule of an extension's
 * config (MAC addresses, IP prefixes, port ranges, ethertypes, IP
 * protocols, TCP flags, plain numbers), parsed one way for every
 * extension: "10.0.0.0/8" or "SYN,!ACK" means the same, and is refused for
 * the same reasons, in the acl filter, the flowtable and the firewall.
 * Header-only static inline functions calling nothing but libc (string.h,
 * inet_pton()), so a module links nothing more.  Meant for create(): the
 * packet path then sees only the integers and masks they give.
 *
 * Accepted syntax, always the whole string (no spaces, no sign):
 *
 *   uint        decimal "1500", or hexadecimal after 0x "0x5dc"; a leading
 *               zero is not octal ("010" is ten); at most the caller's max
 *   MAC         six ':'-separated bytes of 1 or 2 hex digits, any case:
 *               "00:1b:21:ab:cd:ef", "0:1b:21:AB:cd:ef"; where the caller
 *               allows a mask, '/' and a mask of the same form:
 *               "00:1b:21:00:00:00/ff:ff:ff:00:00:00"
 *   prefix      an IPv4 or IPv6 address as inet_pton() reads it, with an
 *               optional "/len", len decimal 0..32 or 0..128: "10.0.0.0/8",
 *               "192.0.2.1" (= /32), "2001:db8::/32", "::1" (= /128)
 *   port range  a decimal port 0..65535 "80", or "LO-HI" with LO <= HI,
 *               inclusive: "1024-65535"
 *   ethertype   a uint 0x0600..0xffff (below, the field is an 802.3
 *               length), or ipv4 arp ipv6 lldp
 *   ip_proto    a decimal number 0..255, or icmp igmp tcp udp gre esp ah
 *               icmpv6 sctp
 *   tcp_flags   ','-separated flag names, each at most once, each
 *               optionally after '!': "SYN,!ACK" wants SYN set and ACK
 *               clear and tests no other flag; names FIN SYN RST PSH ACK
 *               URG ECE CWR, in any case
 *
 * Protocol and ethertype names are lower case, as the docs write them;
 * flag names, usually written upper case, may be of any case.
 *
 * Strict on purpose: a refused text is an error at load time, a loosely
 * read one a rule that silently matches something else.  Address bits
 * outside a MAC mask or past a prefix length are refused, not masked off
 * ("10.0.0.1/8" is almost always a typo for /32); ports, protocol numbers
 * and prefix lengths are decimal only (no one writes them in hex, so
 * "0x50" there is a slip); a number too large is refused, never wrapped.
 *
 * Error contract.  Each parser returns 0, or -1 and points '*why' at a
 * short static phrase saying what is wrong (lower case, no final period,
 * without the input), which the caller wraps with the text and the
 * location it knows:
 *
 *     if (xsw_field_parse_prefix(text, &p, &why) < 0)
 *         return host->cfg_error(ctx, node, -EINVAL,
 *                                "bad prefix '%s': %s", text, why);
 *
 * gives "config.yaml:9:28: ...src_ip: bad prefix '10.0.0.0/33': length
 * must be 0..32".  Outputs are written only on success and '*why' only on
 * failure (xsw_field_parse_prefix() always writes '*out', see there).
 * 'text' is a NUL-terminated string the caller keeps; nothing is
 * allocated, no state is kept, the locale plays no part. */
#ifndef XSW_FIELD_H
#define XSW_FIELD_H

#include <arpa/inet.h> /* inet_pton(), AF_INET, AF_INET6. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packet.h" /* XSW_TCP_* */

#ifdef __cplusplus
extern "C" {
#endif

/* An IPv4 or IPv6 prefix, in the layout of struct xsw_packet's src_ip and
 * dst_ip: network byte order, IPv4 in the first 4 bytes and the rest zero,
 * so that a match is an AND-compare with no byte swapping. */
struct xsw_field_prefix {
    uint8_t family;   /* 4 or 6. */
    uint8_t len;      /* Prefix length in bits: 0..32 or 0..128. */
    uint8_t addr[16]; /* The address, bits past 'len' zero. */
    uint8_t mask[16]; /* 'len' leading one bits, the rest zero. */
};

/* Internal helpers, not part of the API: they may change. */

/* The value of hex digit 'c', or -1; ASCII only, whatever the locale. */
static inline int
xsw_field_xdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly 'len' characters of 'text' as a number of at most 'max':
 * decimal, or hexadecimal after "0x"/"0X" when 'hex' is set.  0; -1 when
 * it is no number; -2 when it is above 'max'. */
static inline int
xsw_field_num_span(const char *text, size_t len, uint64_t max, int hex,
                   uint64_t *out)
{
    uint64_t v = 0, base = 10;
    size_t i = 0, j;

    if (hex && len > 2 && text[0] == '0' &&
        (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return -1;
    for (j = i; j < len; j++) {
        int d = xsw_field_xdigit(text[j]);

        if (d < 0 || (uint64_t) d >= base)
            return -1;
    }
    for (; i < len; i++) {
        uint64_t d = (uint64_t) xsw_field_xdigit(text[i]);

        if (d > max || v > (max - d) / base)
            return -2;
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/* Exactly 'len' characters of 'text' as six ':'-separated bytes of 1-2 hex
 * digits.  0 or -1; 'mac' is written only on success. */
static inline int
xsw_field_mac_span(const char *text, size_t len, uint8_t mac[6])
{
    uint8_t b[6];
    size_t i = 0;
    int n;

    for (n = 0; n < 6; n++) {
        size_t start = i;
        unsigned v = 0;

        while (i < len && i - start < 2 && xsw_field_xdigit(text[i]) >= 0)
            v = v << 4 | (unsigned) xsw_field_xdigit(text[i++]);
        if (i == start)
            return -1;
        b[n] = (uint8_t) v;
        if (n < 5) {
            if (i >= len || text[i] != ':')
                return -1;
            i++;
        }
    }
    if (i != len)
        return -1;
    memcpy(mac, b, sizeof b);
    return 0;
}

/* A name and the number it stands for. */
struct xsw_field_name {
    const char *name;
    uint16_t value;
};

/* 'text' as one of the 'n' 'names' (exactly, case and all), else as a
 * number 'min'..'max', hexadecimal after 0x too when 'hex' is set.  0 or
 * -1; 'out' is written only on success. */
static inline int
xsw_field_name_or_num(const char *text, const struct xsw_field_name *names,
                      size_t n, int hex, uint64_t min, uint64_t max,
                      uint64_t *out)
{
    uint64_t v;
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(text, names[i].name) == 0) {
            *out = names[i].value;
            return 0;
        }
    }
    if (xsw_field_num_span(text, strlen(text), max, hex, &v) < 0 || v < min)
        return -1;
    *out = v;
    return 0;
}

/* The XSW_TCP_* bit of flag name 'text' ('len' characters, any case), or
 * 0 when it names no flag. */
static inline uint8_t
xsw_field_tcp_flag(const char *text, size_t len)
{
    /* In the order of the header's bits: XSW_TCP_FIN is bit 0. */
    static const char names[] = "FINSYNRSTPSHACKURGECECWR";
    unsigned f, k;

    if (len != 3)
        return 0;
    for (f = 0; f < 8; f++) {
        for (k = 0; k < 3; k++) {
            char c = text[k];

            if (c >= 'a' && c <= 'z')
                c = (char) (c - 'a' + 'A');
            if (c != names[f * 3 + k])
                break;
        }
        if (k == 3)
            return (uint8_t) (1u << f);
    }
    return 0;
}

/**
 * xsw_field_parse_uint - a decimal or 0x-hexadecimal number, at most 'max'
 * @param max  the largest value accepted (UINT64_MAX: any that fits)
 * @param out  the value, on success
 * @param why  on failure: "not a number (want decimal, or hexadecimal
 *             after 0x)" or "the number is too large"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_uint(const char *text, uint64_t max, uint64_t *out,
                     const char **why)
{
    int ret = xsw_field_num_span(text, strlen(text), max, 1, out);

    if (ret == -1)
        *why = "not a number (want decimal, or hexadecimal after 0x)";
    else if (ret < 0)
        *why = "the number is too large";
    return ret < 0 ? -1 : 0;
}

/**
 * xsw_field_parse_mac - "00:11:22:33:44:55", or with a mask
 *                       "00:11:22:00:00:00/ff:ff:ff:00:00:00"
 * @param mac   the address in wire order, on success
 * @param mask  the mask in wire order (all ones when the text has none),
 *              on success; NULL where a mask makes no sense (a rewrite's
 *              address): then a text with a mask is refused
 * @param why   on failure: "want six hex bytes like 00:11:22:33:44:55",
 *              "a mask is not allowed here", "the mask wants six hex
 *              bytes like ff:ff:ff:00:00:00" or "address has bits set
 *              outside the mask"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_mac(const char *text, uint8_t mac[6], uint8_t mask[6],
                    const char **why)
{
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t) (slash - text) : strlen(text);
    uint8_t a[6], m[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    int i;

    if (xsw_field_mac_span(text, len, a) < 0) {
        *why = "want six hex bytes like 00:11:22:33:44:55";
        return -1;
    }
    if (slash && !mask) {
        *why = "a mask is not allowed here";
        return -1;
    }
    if (slash && xsw_field_mac_span(slash + 1, strlen(slash + 1), m) < 0) {
        *why = "the mask wants six hex bytes like ff:ff:ff:00:00:00";
        return -1;
    }
    for (i = 0; i < 6; i++) {
        if (a[i] & ~m[i]) {
            *why = "address has bits set outside the mask";
            return -1;
        }
    }
    memcpy(mac, a, sizeof a);
    if (mask)
        memcpy(mask, m, sizeof m);
    return 0;
}

/**
 * xsw_field_parse_prefix - "10.0.0.0/8", "192.0.2.1", "2001:db8::/32"
 *
 * Without "/len" the prefix is one host (/32 or /128).
 * @param out  the prefix.  Written in all cases: on success the prefix;
 *             when the only fault is address bits past the length, the
 *             prefix with those bits cleared, the likely intent, for the
 *             caller to suggest ("did you mean 10.0.0.0/8?"); on any other
 *             failure all zero (family 0)
 * @param why  on failure: "not an IPv4 or IPv6 address", "length must be
 *             0..32", "length must be 0..128" or "address has bits set
 *             past the prefix length"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_prefix(const char *text, struct xsw_field_prefix *out,
                       const char **why)
{
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t) (slash - text) : strlen(text);
    char buf[INET6_ADDRSTRLEN + 1];
    struct xsw_field_prefix p;
    unsigned i, bits, host = 0;
    uint64_t len;

    memset(out, 0, sizeof *out);
    memset(&p, 0, sizeof p);
    if (alen >= sizeof buf) {
        *why = "not an IPv4 or IPv6 address";
        return -1;
    }
    memcpy(buf, text, alen);
    buf[alen] = '\0';
    if (inet_pton(AF_INET, buf, p.addr) == 1) {
        p.family = 4;
    } else if (inet_pton(AF_INET6, buf, p.addr) == 1) {
        p.family = 6;
    } else {
        *why = "not an IPv4 or IPv6 address";
        return -1;
    }
    bits = p.family == 4 ? 32u : 128u;
    len = bits;
    if (slash &&
        xsw_field_num_span(slash + 1, strlen(slash + 1), bits, 0, &len) < 0) {
        *why = bits == 32 ? "length must be 0..32" : "length must be 0..128";
        return -1;
    }
    p.len = (uint8_t) len;
    for (i = 0; i < p.len; i++)
        p.mask[i / 8] = (uint8_t) (p.mask[i / 8] | 0x80u >> (i % 8));
    for (i = 0; i < 16; i++) {
        host |= (unsigned) (p.addr[i] & ~p.mask[i]);
        p.addr[i] = (uint8_t) (p.addr[i] & p.mask[i]);
    }
    *out = p;
    if (host) {
        *why = "address has bits set past the prefix length";
        return -1;
    }
    return 0;
}

/**
 * xsw_field_parse_port_range - "80" or "1000-2000" (inclusive)
 * @param lo   the low end, on success
 * @param hi   the high end (= 'lo' for one port), on success
 * @param why  on failure: "want a port 0..65535 or a range LO-HI" or "the
 *             low end is above the high end"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_port_range(const char *text, uint16_t *lo, uint16_t *hi,
                           const char **why)
{
    const char *dash = strchr(text, '-');
    size_t len = dash ? (size_t) (dash - text) : strlen(text);
    uint64_t a, b;

    if (xsw_field_num_span(text, len, 65535, 0, &a) < 0 ||
        (dash &&
         xsw_field_num_span(dash + 1, strlen(dash + 1), 65535, 0, &b) < 0)) {
        *why = "want a port 0..65535 or a range LO-HI";
        return -1;
    }
    if (!dash)
        b = a;
    if (a > b) {
        *why = "the low end is above the high end";
        return -1;
    }
    *lo = (uint16_t) a;
    *hi = (uint16_t) b;
    return 0;
}

/**
 * xsw_field_parse_ethertype - a number 0x0600..0xffff, or ipv4, arp, ipv6,
 *                             lldp
 * @param type  the ethertype, on success
 * @param why   on failure: "want 0x0600..0xffff or one of ipv4, ipv6, arp,
 *              lldp"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_ethertype(const char *text, uint16_t *type, const char **why)
{
    static const struct xsw_field_name names[] = {
        {"ipv4", 0x0800},
        {"arp", 0x0806},
        {"ipv6", 0x86dd},
        {"lldp", 0x88cc},
    };
    uint64_t v;

    if (xsw_field_name_or_num(text, names, sizeof names / sizeof names[0], 1,
                              0x0600, 0xffff, &v) < 0) {
        *why = "want 0x0600..0xffff or one of ipv4, ipv6, arp, lldp";
        return -1;
    }
    *type = (uint16_t) v;
    return 0;
}

/**
 * xsw_field_parse_ip_proto - a decimal number 0..255, or icmp (1), igmp
 *                            (2), tcp (6), udp (17), gre (47), esp (50),
 *                            ah (51), icmpv6 (58), sctp (132)
 * @param proto  the IPv4 protocol / IPv6 next header, on success
 * @param why    on failure: "want 0..255 or one of tcp, udp, icmp, icmpv6,
 *               esp, ah, gre, sctp, igmp"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_ip_proto(const char *text, uint8_t *proto, const char **why)
{
    static const struct xsw_field_name names[] = {
        {"icmp", 1}, {"igmp", 2}, {"tcp", 6},     {"udp", 17},   {"gre", 47},
        {"esp", 50}, {"ah", 51},  {"icmpv6", 58}, {"sctp", 132},
    };
    uint64_t v;

    if (xsw_field_name_or_num(text, names, sizeof names / sizeof names[0], 0,
                              0, 255, &v) < 0) {
        *why = "want 0..255 or one of tcp, udp, icmp, icmpv6, esp, ah, gre, "
               "sctp, igmp";
        return -1;
    }
    *proto = (uint8_t) v;
    return 0;
}

/**
 * xsw_field_parse_tcp_flags - "SYN,!ACK": the named flags set, the
 *                             '!'-named ones clear, the others not tested
 * @param value  XSW_TCP_* bits that must be set, on success
 * @param mask   XSW_TCP_* bits the text names (tested), on success; a
 *               packet matches when (flags & mask) == value
 * @param why    on failure: "want flag names from FIN SYN RST PSH ACK URG
 *               ECE CWR, each optionally with '!', separated by commas" or
 *               "a flag is named twice"
 * @return 0 or -1
 */
static inline int
xsw_field_parse_tcp_flags(const char *text, uint8_t *value, uint8_t *mask,
                          const char **why)
{
    const char *p = text;
    unsigned v = 0, m = 0;

    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        size_t clear = len > 0 && *p == '!' ? 1 : 0;
        uint8_t bit = xsw_field_tcp_flag(p + clear, len - clear);

        if (!bit) {
            *why = "want flag names from FIN SYN RST PSH ACK URG ECE CWR, "
                   "each optionally with '!', separated by commas";
            return -1;
        }
        if (m & bit) {
            *why = "a flag is named twice";
            return -1;
        }
        m |= bit;
        if (!clear)
            v |= bit;
        if (!end)
            break;
        p = end + 1;
    }
    *value = (uint8_t) v;
    *mask = (uint8_t) m;
    return 0;
}

#ifdef __cplusplus
}
#endif
#endif
