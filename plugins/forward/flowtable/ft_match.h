/* Rule matches
 * ============
 * What one rule matches: a value key and a mask of the flow-key layout
 * (ft_key.h), plus the one thing a mask cannot express, an arbitrary L4
 * port range.  A range is split in two: the longest prefix that 'lo' and
 * 'hi' share goes into the mask (so 8000-8080 still hashes on 0x1f00/0xff00
 * and spreads over the classifier's hash table), and only when the range is
 * not exactly that prefix block is the remainder checked afterwards, as a
 * "residual".  A range that is a block (1024-2047, 80-80, 0-65535) needs
 * no residual at all.
 *
 * Building.  A match is set field by field (ft_match_set_*), then
 * ft_match_finish() adds the prerequisites each field implies, as the acl
 * filter does: MACs and ethertype need a whole Ethernet header, an IPv4
 * prefix needs an IPv4 packet (never an ARP sender), ip_proto and dscp an
 * IP packet, ports a TCP or UDP header, tcp_flags a TCP header.  It refuses
 * a rule that could never match (an IPv6 prefix with ethertype arp, ports
 * with ip_proto icmp) with a reason.  The prerequisites become FT_KIND_*
 * bits in the mask, so the classifier never special-cases them. */
#ifndef FT_MATCH_H
#define FT_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "ft_key.h"

/* ft_match.has_range bits: the range is checked beyond the mask. */
#define FT_RANGE_SRC 0x1u
#define FT_RANGE_DST 0x2u

/* ft_match.needs bits, resolved by ft_match_finish(). */
#define FT_NEED_ETH 0x1u   /* MACs, ethertype. */
#define FT_NEED_IP 0x2u    /* ip_proto, dscp. */
#define FT_NEED_PORTS 0x4u /* src_port, dst_port. */
#define FT_NEED_TCP 0x8u   /* tcp_flags. */

enum ft_dir {
    FT_SRC,
    FT_DST,
};

struct ft_match {
    struct ft_key key;  /* Values; zero wherever 'mask' is zero. */
    struct ft_key mask; /* Bits that must equal 'key'. */
    uint16_t src_lo;    /* Source port range, when FT_RANGE_SRC. */
    uint16_t src_hi;
    uint16_t dst_lo; /* Destination port range, when FT_RANGE_DST. */
    uint16_t dst_hi;
    uint8_t has_range;     /* FT_RANGE_*. */
    uint8_t ip_family;     /* 4 or 6 once an address is set, else 0. */
    uint8_t needs;         /* FT_NEED_*, until ft_match_finish(). */
    uint8_t has_ethertype; /* The rule set ethertype explicitly. */
};

/** ft_match_init - a match that matches every packet. */
void ft_match_init(struct ft_match *);

void ft_match_set_in_port(struct ft_match *, uint16_t port);
void ft_match_set_vlan(struct ft_match *, uint16_t vid);
void ft_match_set_pcp(struct ft_match *, uint8_t pcp);
void ft_match_set_ethertype(struct ft_match *, uint16_t ethertype);
void ft_match_set_ip_proto(struct ft_match *, uint8_t proto);
void ft_match_set_dscp(struct ft_match *, uint8_t dscp);

/** ft_match_set_mac - match 'mac' under 'mask' (both wire order). */
void ft_match_set_mac(struct ft_match *, enum ft_dir, const uint8_t mac[6],
                      const uint8_t mask[6]);

/**
 * ft_match_set_ip - match an address prefix
 * @param family  4 (the first 4 bytes of 'addr'/'mask' count) or 6
 * @return 0, or -EINVAL when the other address of the rule is of the other
 *         family ('*why' says so).  Bits of 'addr' outside 'mask' are
 *         ignored.
 */
int ft_match_set_ip(struct ft_match *, enum ft_dir, int family,
                    const uint8_t addr[16], const uint8_t mask[16],
                    const char **why);

/** ft_match_set_port_range - match L4 ports lo..hi (inclusive, lo <= hi).*/
void ft_match_set_port_range(struct ft_match *, enum ft_dir, uint16_t lo,
                             uint16_t hi);

/** ft_match_set_tcp_flags - match 'flags & mask == value & mask'. */
void ft_match_set_tcp_flags(struct ft_match *, uint8_t value, uint8_t mask);

/**
 * ft_match_finish - resolve prerequisites; call once, after every setter
 * @return 0, or -EINVAL with '*why' set to a static one-line reason.
 */
int ft_match_finish(struct ft_match *, const char **why);

/**
 * ft_match_covers - does the match hold for 'key'?  The plain definition
 * (every word, then the residual ranges), which the classifier must agree
 * with; tests compare the two.
 */
bool ft_match_covers(const struct ft_match *, const struct ft_key *key);

/** ft_match_residual_holds - do the residual port ranges hold for 'key'? */
static inline bool
ft_match_residual_holds(const struct ft_match *m, const struct ft_key *key)
{
    if ((m->has_range & FT_RANGE_SRC) &&
        (key->src_port < m->src_lo || key->src_port > m->src_hi))
        return false;
    if ((m->has_range & FT_RANGE_DST) &&
        (key->dst_port < m->dst_lo || key->dst_port > m->dst_hi))
        return false;
    return true;
}

#endif
