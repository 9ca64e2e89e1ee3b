/* Match field syntax
 * ==================
 * The text forms of a rule's match fields, parsed into values and masks.
 * The grammar is the acl filter's (plugins/filter/acl/acl_field.h), so an
 * operator writes a match the same way for both extensions:
 *
 *   MAC        00:11:22:33:44:55, or with a mask
 *              00:11:22:00:00:00/ff:ff:ff:00:00:00
 *   prefix     10.0.0.0/8, 10.0.0.1 (= /32), 2001:db8::/32, ::1 (= /128)
 *   port       80, or an inclusive range 1024-65535
 *   ethertype  0x0600..0xffff, or ipv4, ipv6, arp, lldp
 *   ip_proto   0..255, or tcp, udp, icmp, icmpv6, esp, ah, gre, sctp, igmp
 *   tcp_flags  SYN,!ACK: named flags set, '!'-named clear, others not
 *              tested; names FIN SYN RST PSH ACK URG ECE CWR, any case
 *
 * Numbers are decimal, or hexadecimal with 0x (a leading zero is not
 * octal).  Address bits outside a mask or past a prefix length are refused,
 * not dropped: "10.0.0.1/8" is almost always a typo for /32.
 *
 * Pure functions of a string (no host, no YAML), unit-tested on their own.
 * Each returns 0, or -EINVAL and points '*why' at a static phrase; the
 * config loader wraps it as "bad prefix '10.0.0.0/33': length must be
 * 0..32" at the offending node. */
#ifndef FT_FIELD_H
#define FT_FIELD_H

#include <stdint.h>

/** ft_field_parse_mac - 'mac' and 'mask' in wire order (all ones when the
 *                       text has no mask). */
int ft_field_parse_mac(const char *text, uint8_t mac[6], uint8_t mask[6],
                       const char **why);

/**
 * ft_field_parse_ip - parse an address with optional prefix length
 * @param family  set to 4 or 6; an IPv4 value uses the first 4 bytes of
 *                'addr' and 'mask' and the rest are zero
 */
int ft_field_parse_ip(const char *text, uint8_t addr[16], uint8_t mask[16],
                      int *family, const char **why);

int ft_field_parse_port_range(const char *text, uint16_t *lo, uint16_t *hi,
                              const char **why);
int ft_field_parse_ethertype(const char *text, uint16_t *ethertype,
                             const char **why);
int ft_field_parse_ip_proto(const char *text, uint8_t *proto,
                            const char **why);

/** ft_field_parse_tcp_flags - 'mask': the flags named; 'value': those of
 *                             them that must be set. */
int ft_field_parse_tcp_flags(const char *text, uint8_t *value, uint8_t *mask,
                             const char **why);

#endif
