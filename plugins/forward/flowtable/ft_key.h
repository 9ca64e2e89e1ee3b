/* Flow keys
 * =========
 * The flowtable matches every packet on one fixed 64-byte key, built once
 * per packet from the metadata the core's parser already filled (no header
 * is parsed again).  A rule holds a key and a mask of the same layout, so
 * "does the rule match" is 'packet & mask == rule' over eight 64-bit words,
 * and a classifier can hash the masked words of a packet directly.
 *
 * Field values alone cannot say everything a rule means: an ARP frame has
 * ip_tos 0 in its metadata, so a rule "dscp 0" would match it, and the
 * parser puts ARP addresses in src_ip/dst_ip and ICMP type/code in the
 * ports.  The 'kind' byte holds what the packet really offers as bits (a
 * whole Ethernet header, a sound IPv4/IPv6 header, TCP or UDP ports, TCP
 * flags), and fields a packet does not offer stay zero in its key.  A rule
 * requires the bits its fields need with an ordinary mask bit, at no extra
 * cost.  The semantics are the acl filter's: src_ip never matches an ARP
 * sender, ports never match ICMP, a truncated header offers nothing.
 *
 * Layout.  Fields that rules usually match together share a word: the MACs
 * with the ingress port and VLAN (words 0-1), the small L3/L4 fields (words
 * 2-3), the addresses (words 4-7; an IPv4 address uses the first 4 bytes of
 * its 16, as in the packet metadata).  A classifier hashes only the words
 * its mask touches, so an L2-only rule set never reads the addresses.
 * All multi-byte fields are in host byte order except the MACs and the IP
 * addresses, which keep their wire order (as in struct xsw_packet). */
#ifndef FT_KEY_H
#define FT_KEY_H

#include <stdint.h>

#include <xsw/packet.h>

#define FT_KEY_WORDS 8

/* Bits of ft_key.kind: what the packet offers to be matched on. */
#define FT_KIND_ETH 0x01u   /* A whole Ethernet header: MACs, ethertype. */
#define FT_KIND_IP 0x02u    /* A sound IPv4 or IPv6 header. */
#define FT_KIND_IP4 0x04u   /* ... which is IPv4. */
#define FT_KIND_IP6 0x08u   /* ... which is IPv6. */
#define FT_KIND_PORTS 0x10u /* A TCP or UDP header: ports. */
#define FT_KIND_TCP 0x20u   /* A TCP header: ports and flags. */

struct ft_key {
    union {
        struct {
            uint8_t dst_mac[6]; /* Wire order. */
            uint16_t in_port;   /* Ingress port id. */
            uint8_t src_mac[6]; /* Wire order. */
            uint16_t vlan;      /* Classified VLAN id. */
            uint16_t ethertype; /* After the VLAN tags. */
            uint16_t src_port;  /* TCP/UDP source port. */
            uint16_t dst_port;  /* TCP/UDP destination port. */
            uint8_t ip_proto;   /* IPv4 protocol / IPv6 next header. */
            uint8_t kind;       /* FT_KIND_*. */
            uint8_t pcp;        /* 802.1Q priority, 0..7. */
            uint8_t dscp;       /* IP DSCP, 0..63. */
            uint8_t tcp_flags;  /* XSW_TCP_*. */
            uint8_t pad[5];     /* Zero. */
            uint8_t src_ip[16]; /* IPv4 in the first 4 bytes. */
            uint8_t dst_ip[16]; /* Likewise. */
        };
        uint64_t w[FT_KEY_WORDS]; /* The same bytes, for hashing. */
    };
};

_Static_assert(sizeof(struct ft_key) == FT_KEY_WORDS * 8,
               "struct ft_key must be exactly eight words");

/**
 * ft_key_from_packet - fill 'key' from the metadata of 'pkt'
 *
 * Every byte of 'key' is written (unused fields zero), so keys compare and
 * hash as plain words.  The caller keeps 'pkt'.
 */
void ft_key_from_packet(struct ft_key *key, const struct xsw_packet *pkt);

#endif
