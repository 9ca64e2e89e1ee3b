/* ACL field syntax
 * ================
 * Parsers for the texts an operator writes in a rule: MAC addresses with
 * optional masks, IPv4/IPv6 prefixes, port ranges, TCP flag sets, protocol
 * and ethertype names.  They run in create() only and turn text into the
 * integers, masks and ranges the matcher (acl_rule.h) compares, so no
 * string work is left for the packet path.
 *
 * Pure functions: no host, no allocation, so the unit tests call them
 * directly.  Each returns 0, or -EINVAL and points 'why' at a static phrase
 * saying what is wrong; the caller wraps it into a config error located at
 * the offending node ("bad prefix '10.0.0.0/33': length must be 0..32").
 *
 * Numbers are decimal, or hexadecimal with a 0x prefix; a leading zero
 * does not mean octal (an operator writing 010 means ten). */
#ifndef ACL_FIELD_H
#define ACL_FIELD_H

#include <stdint.h>

/* An IPv4 or IPv6 prefix in the layout of struct xsw_packet's src_ip and
 * dst_ip (IPv4 in the first 4 bytes, the rest zero), as two 64-bit words
 * copied from the address bytes: matching is then two AND-compares
 * whatever the host's byte order. */
struct acl_prefix {
    uint8_t version;  /* 4 or 6. */
    uint8_t len;      /* Prefix length in bits. */
    uint64_t addr[2]; /* The address, host bits zero. */
    uint64_t mask[2]; /* 'len' leading one bits. */
};

/**
 * acl_field_mac - parse "00:11:22:33:44:55" or, when 'allow_mask' is set,
 *                 also "00:11:22:00:00:00/ff:ff:ff:00:00:00"
 * @param mac   the address as a 48-bit integer (first byte highest)
 * @param mask  the mask likewise (all ones without '/'); may be NULL when
 *              'allow_mask' is 0.  Address bits outside the mask must be
 *              zero, so a typo cannot silently widen the match.
 */
int acl_field_mac(const char *text, int allow_mask, uint64_t *mac,
                  uint64_t *mask, const char **why);

/**
 * acl_field_prefix - parse "10.0.0.0/8", "10.0.0.1", "2001:db8::/32"
 *
 * Without '/len' the prefix is one host (/32 or /128).  Address bits past
 * the length are refused, not masked ("10.0.0.1/8" is almost always a
 * mistake for /32).
 */
int acl_field_prefix(const char *text, struct acl_prefix *out,
                     const char **why);

/** acl_field_range - parse "80" or "1000-2000" (0..65535, lo <= hi). */
int acl_field_range(const char *text, uint16_t *lo, uint16_t *hi,
                    const char **why);

/**
 * acl_field_tcp_flags - parse "SYN,!ACK": the named flags must be set, the
 *                       '!'-named ones clear, the others are not tested
 * @param mask   XSW_TCP_* bits the text names
 * @param value  those of them that must be set
 * Names are FIN SYN RST PSH ACK URG ECE CWR, in any case.
 */
int acl_field_tcp_flags(const char *text, uint8_t *mask, uint8_t *value,
                        const char **why);

/** acl_field_ip_proto - a number 0..255 or tcp, udp, icmp, icmpv6, esp,
 *                       ah, gre, sctp, igmp. */
int acl_field_ip_proto(const char *text, uint8_t *proto, const char **why);

/** acl_field_ethertype - a number 0x0600..0xffff or ipv4, ipv6, arp,
 *                        lldp. */
int acl_field_ethertype(const char *text, uint16_t *type, const char **why);

/** acl_field_uint - a decimal or 0x-hexadecimal number no larger than
 *                   'max', the whole of 'text'. */
int acl_field_uint(const char *text, uint64_t max, uint64_t *out,
                   const char **why);

#endif
