#include "acl_field.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xsw/extension.h>
#include <xsw/packet.h>

#define ACL_MAC_ALL 0xffffffffffffull

struct acl_name {
    const char *name;
    uint32_t value;
};

static const struct acl_name acl_proto_names[] = {
    {"icmp", 1}, {"igmp", 2}, {"tcp", 6},     {"udp", 17},   {"gre", 47},
    {"esp", 50}, {"ah", 51},  {"icmpv6", 58}, {"sctp", 132},
};

static const struct acl_name acl_ethertype_names[] = {
    {"ipv4", 0x0800},
    {"arp", 0x0806},
    {"ipv6", 0x86dd},
    {"lldp", 0x88cc},
};

static const struct acl_name acl_tcp_flag_names[] = {
    {"FIN", XSW_TCP_FIN}, {"SYN", XSW_TCP_SYN}, {"RST", XSW_TCP_RST},
    {"PSH", XSW_TCP_PSH}, {"ACK", XSW_TCP_ACK}, {"URG", XSW_TCP_URG},
    {"ECE", XSW_TCP_ECE}, {"CWR", XSW_TCP_CWR},
};

static int acl_mac_one(const char *text, size_t len, uint64_t *out);
static int acl_name_find(const struct acl_name *names, size_t n,
                         const char *text, size_t len, uint32_t *value);
static int acl_uint_span(const char *text, size_t len, uint64_t max,
                         uint64_t *out);
static void acl_prefix_mask(struct acl_prefix *p);

int
acl_field_mac(const char *text, int allow_mask, uint64_t *mac, uint64_t *mask,
              const char **why)
{
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t) (slash - text) : strlen(text);
    uint64_t m = ACL_MAC_ALL;

    if (acl_mac_one(text, len, mac) < 0) {
        *why = "want six hex bytes like 00:11:22:33:44:55";
        return -EINVAL;
    }
    if (slash) {
        if (!allow_mask) {
            *why = "a mask is not allowed here";
            return -EINVAL;
        }
        if (acl_mac_one(slash + 1, strlen(slash + 1), &m) < 0) {
            *why = "the mask wants six hex bytes like ff:ff:ff:00:00:00";
            return -EINVAL;
        }
        if (*mac & ~m) {
            *why = "address has bits set outside the mask";
            return -EINVAL;
        }
    }
    if (mask)
        *mask = m;
    return 0;
}

int
acl_field_prefix(const char *text, struct acl_prefix *out, const char **why)
{
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t) (slash - text) : strlen(text);
    uint8_t bytes[16] = {0};
    char addr[INET6_ADDRSTRLEN + 1];
    uint64_t plen, host[2];
    uint32_t max;

    memset(out, 0, sizeof *out);
    if (len >= sizeof addr) {
        *why = "not an IPv4 or IPv6 address";
        return -EINVAL;
    }
    memcpy(addr, text, len);
    addr[len] = '\0';
    if (inet_pton(AF_INET, addr, bytes) == 1) {
        out->version = 4;
        max = 32;
    } else if (inet_pton(AF_INET6, addr, bytes) == 1) {
        out->version = 6;
        max = 128;
    } else {
        *why = "not an IPv4 or IPv6 address";
        return -EINVAL;
    }
    plen = max;
    if (slash && acl_uint_span(slash + 1, strlen(slash + 1), max, &plen)) {
        *why = max == 32 ? "length must be 0..32" : "length must be 0..128";
        return -EINVAL;
    }
    out->len = (uint8_t) plen;
    memcpy(out->addr, bytes, sizeof bytes);
    acl_prefix_mask(out);
    host[0] = out->addr[0] & ~out->mask[0];
    host[1] = out->addr[1] & ~out->mask[1];
    if (host[0] | host[1]) {
        *why = "address has bits set past the prefix length";
        return -EINVAL;
    }
    return 0;
}

int
acl_field_range(const char *text, uint16_t *lo, uint16_t *hi, const char **why)
{
    const char *dash = strchr(text, '-');
    size_t len = dash ? (size_t) (dash - text) : strlen(text);
    uint64_t a, b;

    *why = "want a port 0..65535 or a range LO-HI";
    if (acl_uint_span(text, len, 65535, &a) < 0)
        return -EINVAL;
    b = a;
    if (dash && acl_uint_span(dash + 1, strlen(dash + 1), 65535, &b) < 0)
        return -EINVAL;
    if (a > b) {
        *why = "the low end is above the high end";
        return -EINVAL;
    }
    *lo = (uint16_t) a;
    *hi = (uint16_t) b;
    return 0;
}

int
acl_field_tcp_flags(const char *text, uint8_t *mask, uint8_t *value,
                    const char **why)
{
    const char *p = text;
    uint8_t m = 0, v = 0;

    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        int negate = len > 0 && *p == '!';
        uint32_t bit;

        if (acl_name_find(acl_tcp_flag_names,
                          XSW_ARRAY_SIZE(acl_tcp_flag_names), p + negate,
                          len - (size_t) negate, &bit) < 0) {
            *why = "want flag names from FIN SYN RST PSH ACK URG ECE CWR, "
                   "each optionally with '!', separated by commas";
            return -EINVAL;
        }
        if (m & bit) {
            *why = "a flag is named twice";
            return -EINVAL;
        }
        m |= (uint8_t) bit;
        if (!negate)
            v |= (uint8_t) bit;
        if (!end)
            break;
        p = end + 1;
    }
    *mask = m;
    *value = v;
    return 0;
}

int
acl_field_ip_proto(const char *text, uint8_t *proto, const char **why)
{
    uint32_t v;
    uint64_t n;

    if (acl_name_find(acl_proto_names, XSW_ARRAY_SIZE(acl_proto_names), text,
                      strlen(text), &v) == 0) {
        *proto = (uint8_t) v;
        return 0;
    }
    if (acl_uint_span(text, strlen(text), 255, &n) < 0) {
        *why = "want 0..255 or one of tcp, udp, icmp, icmpv6, esp, ah, "
               "gre, sctp, igmp";
        return -EINVAL;
    }
    *proto = (uint8_t) n;
    return 0;
}

int
acl_field_ethertype(const char *text, uint16_t *type, const char **why)
{
    uint32_t v;
    uint64_t n;

    if (acl_name_find(acl_ethertype_names, XSW_ARRAY_SIZE(acl_ethertype_names),
                      text, strlen(text), &v) == 0) {
        *type = (uint16_t) v;
        return 0;
    }
    if (acl_uint_span(text, strlen(text), 0xffff, &n) < 0 || n < 0x0600) {
        *why = "want 0x0600..0xffff or one of ipv4, ipv6, arp, lldp";
        return -EINVAL;
    }
    *type = (uint16_t) n;
    return 0;
}

int
acl_field_uint(const char *text, uint64_t max, uint64_t *out, const char **why)
{
    if (acl_uint_span(text, strlen(text), max, out) < 0) {
        *why = "not a number in range";
        return -EINVAL;
    }
    return 0;
}

/* Parses exactly 'len' characters of 'text' as six ':'-separated hex
 * bytes. */
static int
acl_mac_one(const char *text, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    int byte;

    for (byte = 0; byte < 6; byte++) {
        size_t start = i;
        uint32_t b = 0;

        while (i < len && isxdigit((unsigned char) text[i]) && i - start < 2) {
            char c = (char) tolower((unsigned char) text[i]);
            b = b << 4 | (uint32_t) (c <= '9' ? c - '0' : c - 'a' + 10);
            i++;
        }
        if (i == start)
            return -EINVAL;
        v = v << 8 | b;
        if (byte < 5) {
            if (i >= len || text[i] != ':')
                return -EINVAL;
            i++;
        }
    }
    if (i != len)
        return -EINVAL;
    *out = v;
    return 0;
}

static int
acl_name_find(const struct acl_name *names, size_t n, const char *text,
              size_t len, uint32_t *value)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strlen(names[i].name) == len &&
            strncasecmp(names[i].name, text, len) == 0) {
            *value = names[i].value;
            return 0;
        }
    }
    return -ENOENT;
}

/* Parses exactly 'len' characters: decimal, or hex after "0x". */
static int
acl_uint_span(const char *text, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    uint32_t base = 10;
    size_t i = 0;

    if (len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return -EINVAL;
    for (; i < len; i++) {
        int c = tolower((unsigned char) text[i]);
        uint32_t d;

        if (isdigit(c))
            d = (uint32_t) (c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (uint32_t) (c - 'a' + 10);
        else
            return -EINVAL;
        if (d > max || v > (max - d) / base)
            return -ERANGE;
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/* Fills 'mask' with 'len' leading one bits in address byte order. */
static void
acl_prefix_mask(struct acl_prefix *p)
{
    uint8_t bytes[16] = {0};
    uint32_t i;

    for (i = 0; i < p->len; i++)
        bytes[i / 8] |= (uint8_t) (0x80u >> (i % 8));
    memcpy(p->mask, bytes, sizeof bytes);
}
