#include "ft_field.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

struct name_value {
    const char *name;
    unsigned value;
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct name_value ethertype_names[] = {
    {"ipv4", 0x0800},
    {"arp", 0x0806},
    {"ipv6", 0x86dd},
    {"lldp", 0x88cc},
};

static const struct name_value ip_proto_names[] = {
    {"icmp", 1}, {"igmp", 2}, {"tcp", 6},     {"udp", 17},   {"gre", 47},
    {"esp", 50}, {"ah", 51},  {"icmpv6", 58}, {"sctp", 132},
};

/* In the order of the TCP header bits (XSW_TCP_FIN = bit 0...). */
static const char *const tcp_flag_names[] = {
    "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
};

static int parse_uint(const char *text, size_t len, unsigned long max,
                      unsigned long *out);
static int parse_mac_bytes(const char *text, size_t len, uint8_t mac[6]);
static void prefix_to_mask(unsigned bits, uint8_t *mask, unsigned size);
static int find_name(const struct name_value *, size_t n, const char *text,
                     unsigned *out);
static int find_tcp_flag(const char *text, size_t len, uint8_t *bit);

int
ft_field_parse_mac(const char *text, uint8_t mac[6], uint8_t mask[6],
                   const char **why)
{
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t) (slash - text) : strlen(text);

    if (parse_mac_bytes(text, len, mac)) {
        *why = "want six hex bytes like 00:11:22:33:44:55";
        return -EINVAL;
    }
    memset(mask, 0xff, 6);
    if (!slash)
        return 0;
    if (parse_mac_bytes(slash + 1, strlen(slash + 1), mask)) {
        *why = "the mask wants six hex bytes like ff:ff:ff:00:00:00";
        return -EINVAL;
    }
    for (int i = 0; i < 6; i++) {
        if (mac[i] & ~mask[i]) {
            *why = "address has bits set outside the mask";
            return -EINVAL;
        }
    }
    return 0;
}

int
ft_field_parse_ip(const char *text, uint8_t addr[16], uint8_t mask[16],
                  int *family, const char **why)
{
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t) (slash - text) : strlen(text);
    char buf[INET6_ADDRSTRLEN + 1];
    unsigned long bits;
    unsigned size;

    memset(addr, 0, 16);
    memset(mask, 0, 16);
    *why = "not an IPv4 or IPv6 address";
    if (len >= sizeof buf)
        return -EINVAL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, addr) == 1)
        size = 4;
    else if (inet_pton(AF_INET6, buf, addr) == 1)
        size = 16;
    else
        return -EINVAL;
    *family = size == 4 ? 4 : 6;
    bits = size * 8;
    if (slash && parse_uint(slash + 1, strlen(slash + 1), size * 8, &bits)) {
        *why = size == 4 ? "length must be 0..32" : "length must be 0..128";
        return -EINVAL;
    }
    prefix_to_mask((unsigned) bits, mask, size);
    for (unsigned i = 0; i < size; i++) {
        if (addr[i] & ~mask[i]) {
            *why = "address has bits set past the prefix length";
            return -EINVAL;
        }
    }
    return 0;
}

int
ft_field_parse_port_range(const char *text, uint16_t *lo, uint16_t *hi,
                          const char **why)
{
    const char *dash = strchr(text, '-');
    size_t len = dash ? (size_t) (dash - text) : strlen(text);
    unsigned long a, b;

    *why = "want a port 0..65535 or a range LO-HI";
    if (parse_uint(text, len, 65535, &a))
        return -EINVAL;
    b = a;
    if (dash && parse_uint(dash + 1, strlen(dash + 1), 65535, &b))
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
ft_field_parse_ethertype(const char *text, uint16_t *ethertype,
                         const char **why)
{
    unsigned long v;
    unsigned named;

    if (!find_name(ethertype_names, N_OF(ethertype_names), text, &named)) {
        *ethertype = (uint16_t) named;
        return 0;
    }
    /* Below 0x0600 the field is an 802.3 length, not a type. */
    if (parse_uint(text, strlen(text), 0xffff, &v) || v < 0x0600) {
        *why = "want 0x0600..0xffff or one of ipv4, ipv6, arp, lldp";
        return -EINVAL;
    }
    *ethertype = (uint16_t) v;
    return 0;
}

int
ft_field_parse_ip_proto(const char *text, uint8_t *proto, const char **why)
{
    unsigned long v;
    unsigned named;

    if (!find_name(ip_proto_names, N_OF(ip_proto_names), text, &named)) {
        *proto = (uint8_t) named;
        return 0;
    }
    if (parse_uint(text, strlen(text), 0xff, &v)) {
        *why = "want 0..255 or one of tcp, udp, icmp, icmpv6, esp, ah, "
               "gre, sctp, igmp";
        return -EINVAL;
    }
    *proto = (uint8_t) v;
    return 0;
}

int
ft_field_parse_tcp_flags(const char *text, uint8_t *value, uint8_t *mask,
                         const char **why)
{
    const char *p = text;
    uint8_t v = 0, m = 0;

    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        bool clear = len > 0 && *p == '!';
        uint8_t bit;

        if (find_tcp_flag(p + clear, len - clear, &bit)) {
            *why = "want flag names from FIN SYN RST PSH ACK URG ECE CWR, "
                   "each optionally with '!', separated by commas";
            return -EINVAL;
        }
        if (m & bit) {
            *why = "a flag is named twice";
            return -EINVAL;
        }
        m |= bit;
        if (!clear)
            v |= bit;
        if (!end)
            break;
        p = end + 1;
    }
    *value = v;
    *mask = m;
    return 0;
}

/* Exactly 'len' characters of 'text': decimal, or hexadecimal after 0x;
 * no sign, no spaces. */
static int
parse_uint(const char *text, size_t len, unsigned long max, unsigned long *out)
{
    unsigned base = 10;
    unsigned long v = 0;
    size_t i = 0;

    if (len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len)
        return -EINVAL;
    for (; i < len; i++) {
        int c = tolower((unsigned char) text[i]);
        unsigned d;

        if (isdigit(c))
            d = (unsigned) (c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned) (c - 'a' + 10);
        else
            return -EINVAL;
        v = v * base + d;
        if (v > max)
            return -EINVAL;
    }
    *out = v;
    return 0;
}

/* Exactly 'len' characters: six ':'-separated bytes of 1-2 hex digits. */
static int
parse_mac_bytes(const char *text, size_t len, uint8_t mac[6])
{
    size_t i = 0;

    for (int byte = 0; byte < 6; byte++) {
        size_t start = i;
        unsigned v = 0;

        while (i < len && isxdigit((unsigned char) text[i]) && i - start < 2) {
            int c = tolower((unsigned char) text[i++]);

            v = v << 4 | (unsigned) (isdigit(c) ? c - '0' : c - 'a' + 10);
        }
        if (i == start)
            return -EINVAL;
        mac[byte] = (uint8_t) v;
        if (byte < 5) {
            if (i >= len || text[i] != ':')
                return -EINVAL;
            i++;
        }
    }
    return i == len ? 0 : -EINVAL;
}

static void
prefix_to_mask(unsigned bits, uint8_t *mask, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        unsigned take = bits >= 8 ? 8 : bits;

        mask[i] = (uint8_t) (0xff00u >> take);
        bits -= take;
    }
}

static int
find_name(const struct name_value *names, size_t n, const char *text,
          unsigned *out)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(names[i].name, text)) {
            *out = names[i].value;
            return 0;
        }
    }
    return -ENOENT;
}

static int
find_tcp_flag(const char *text, size_t len, uint8_t *bit)
{
    for (unsigned i = 0; i < N_OF(tcp_flag_names); i++) {
        if (len == 3 && !strncasecmp(text, tcp_flag_names[i], 3)) {
            *bit = (uint8_t) (1u << i);
            return 0;
        }
    }
    return -EINVAL;
}
