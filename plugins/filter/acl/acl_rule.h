/* Compiled ACL rules and the matcher
 * ==================================
 * create() compiles every rule of the config into one flat struct acl_rule:
 * each match value pre-parsed into the form the packet metadata has (MACs
 * as 48-bit integers with masks, prefixes as two 64-bit address/mask words,
 * port ranges as lo..hi, port names as a bitmap by port id, TCP flags as
 * mask/value, a BPF expression as libpcap bytecode), and one ACL_M_* bit in
 * 'match' per field the rule tests.  The rules of one direction sit in a
 * contiguous array; matching walks it in order and the first rule whose
 * every tested field matches wins.
 *
 * Per packet, acl_key_init() runs once: it loads the MACs as integers,
 * packs the small fields (ethertype, VLAN, PCP, IP protocol, DSCP, TCP
 * flags) into one 64-bit word, and sets 'have', the fields this packet can
 * be tested on at all (no IPv4 header: nothing to compare an IPv4 prefix,
 * ip_proto or dscp with; not TCP or UDP with its header present: no ports;
 * not TCP: no flags).  Then per rule, 'match & ~have' rejects every rule
 * that tests a field the packet lacks, and one AND-compare of the packed
 * word against the rule's mask and value tests all its small fields at
 * once; only rules that test a port set, a MAC, an address, a port range or
 * a BPF program go on to those compares, the interpreted BPF program last.
 * So a rule about TCP ports never matches an ICMP message or an ARP packet
 * (whose metadata reuses src_port and ip_proto), and src_ip never matches
 * an ARP sender address.
 *
 * Cost: linear in the rules tried before the first match; a packet that
 * matches no rule visits them all.  bench-acl (tests/ext/acl) measured on
 * a 2-vCPU VM: about 10 ns per packet of fixed cost, 0.6 ns per rule that
 * fails on its packed fields, 2.5 ns per rule that gets as far as the
 * address and port compares, 15 ns for a BPF program run; so 100 rules of
 * the slow kind cost 250 ns a packet (4 Mpps).  Keep hot rules first and
 * rule sets short; the limit is ACL_RULES_MAX. */
#ifndef ACL_RULE_H
#define ACL_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <xsw/packet.h>

#include "acl_action.h"

#define ACL_RULES_MAX 4096u /* Rules in one instance, all directions. */

/* An IPv4 or IPv6 prefix (from xsw_field_parse_prefix()) as two 64-bit
 * words copied from the address bytes, in the layout of struct
 * xsw_packet's src_ip and dst_ip: matching is then two AND-compares
 * whatever the host's byte order. */
struct acl_prefix {
    uint8_t version;  /* 4 or 6. */
    uint8_t len;      /* Prefix length in bits. */
    uint64_t addr[2]; /* The address, host bits zero. */
    uint64_t mask[2]; /* 'len' leading one bits. */
};

struct bpf_insn; /* libpcap's; only acl_rule.c and acl_config.c see it. */

/* Fields a rule tests ('match') and a packet offers ('have'). */
enum acl_match_bit {
    ACL_M_IN_PORT = 1u << 0,
    ACL_M_OUT_PORT = 1u << 1,
    ACL_M_SRC_MAC = 1u << 2,
    ACL_M_DST_MAC = 1u << 3,
    ACL_M_ETHERTYPE = 1u << 4,
    ACL_M_VLAN = 1u << 5,
    ACL_M_PCP = 1u << 6,
    ACL_M_IPV4 = 1u << 7, /* Rule: its prefixes are IPv4; packet: is. */
    ACL_M_IPV6 = 1u << 8, /* Likewise IPv6. */
    ACL_M_SRC_IP = 1u << 9,
    ACL_M_DST_IP = 1u << 10,
    ACL_M_IP_PROTO = 1u << 11,
    ACL_M_DSCP = 1u << 12,
    ACL_M_SRC_PORT = 1u << 13,
    ACL_M_DST_PORT = 1u << 14,
    ACL_M_TCP_FLAGS = 1u << 15,
    ACL_M_BPF = 1u << 16,
};

/* acl_rule.dir */
#define ACL_DIR_INGRESS 0x1u
#define ACL_DIR_EGRESS 0x2u
#define ACL_DIR_BOTH (ACL_DIR_INGRESS | ACL_DIR_EGRESS)

/* Where each small field sits in the packed word (acl_key.small and
 * acl_rule.small_mask/small_value), and its width. */
enum acl_small_field {
    ACL_SMALL_ETHERTYPE = 0,  /* 16 bits, after the VLAN tags. */
    ACL_SMALL_VLAN = 16,      /* 12 bits, the classified VLAN. */
    ACL_SMALL_PCP = 28,       /* 3 bits. */
    ACL_SMALL_IP_PROTO = 32,  /* 8 bits. */
    ACL_SMALL_DSCP = 40,      /* 6 bits, ip_tos >> 2. */
    ACL_SMALL_TCP_FLAGS = 48, /* 8 bits, XSW_TCP_*. */
};

/* One compiled rule.  The per-direction arrays hold copies; the pointers
 * in them are owned by the struct acl_config that compiled them and live
 * until acl_config_free().  The fields every rule test reads come first. */
struct acl_rule {
    uint32_t match;  /* ACL_M_* bits of the fields tested, AND-ed. */
    uint8_t verdict; /* XSW_PASS or XSW_DROP. */
    uint8_t dir;     /* ACL_DIR_* the rule applies in. */
    uint16_t reserved0;
    uint64_t small_mask;  /* Bits of the small fields tested ... */
    uint64_t small_value; /* ... and their values. */
    uint16_t src_port_lo, src_port_hi; /* TCP/UDP ports, inclusive; */
    uint16_t dst_port_lo, dst_port_hi; /* 0..65535 when not tested. */
    uint64_t *in_ports;                /* Bitmap by port id (ACL_M_IN_PORT). */
    uint64_t *out_ports;            /* Bitmap by port id (ACL_M_OUT_PORT). */
    uint64_t src_mac, src_mac_mask; /* 48-bit, value within mask; */
    uint64_t dst_mac, dst_mac_mask; /* mask 0 when not tested. */
    struct acl_prefix src_ip; /* ACL_M_SRC_IP; version in ACL_M_IPV4/6; */
    struct acl_prefix dst_ip; /* mask 0 when not tested. */
    struct bpf_insn *bpf; /* ACL_M_BPF: libpcap program, run on the frame. */
    uint32_t bpf_len;     /* Instructions in 'bpf'. */
    uint32_t n_actions;   /* Modifying actions, applied before pass. */
    struct acl_action *actions;
    uint64_t *hits;   /* Hit counter, owned by the host (counter_new). */
    const char *name; /* Operator's name, or NULL; for traces. */
    uint32_t index;   /* Position in the config's 'rules' list. */
};

/** acl_rule_init - a rule that tests nothing (matches every packet). */
static inline void
acl_rule_init(struct acl_rule *r)
{
    memset(r, 0, sizeof *r);
    r->src_port_hi = r->dst_port_hi = 0xffff;
}

/** acl_rule_small_set - make 'r' test the small field at 'shift' (an
 *                       acl_small_field): the bits in 'mask' must equal
 *                       those of 'value'. */
static inline void
acl_rule_small_set(struct acl_rule *r, uint32_t shift, uint64_t mask,
                   uint64_t value)
{
    r->small_mask |= mask << shift;
    r->small_value |= (value & mask) << shift;
}

/** acl_rule_small_get - the value 'r' wants in the small field at
 *                       'shift', 'mask' wide. */
static inline uint64_t
acl_rule_small_get(const struct acl_rule *r, uint32_t shift, uint64_t mask)
{
    return (r->small_value >> shift) & mask;
}

/** acl_mac_u64 - the 6 bytes at 'p' as a 48-bit integer, first byte
 *                highest (how rules and keys hold MACs). */
static inline uint64_t
acl_mac_u64(const uint8_t *p)
{
    return (uint64_t) p[0] << 40 | (uint64_t) p[1] << 32 |
           (uint64_t) p[2] << 24 | (uint64_t) p[3] << 16 |
           (uint64_t) p[4] << 8 | (uint64_t) p[5];
}

/* What acl_key_init() derives from a packet once, for all rules. */
struct acl_key {
    uint32_t have;     /* ACL_M_* fields the packet can be tested on. */
    uint32_t out_port; /* The destination port on egress. */
    uint64_t small;    /* The small fields, packed (acl_small_field). */
    uint64_t src_mac;  /* 48-bit integers, first byte highest. */
    uint64_t dst_mac;
    uint64_t src_ip[2]; /* pkt->src_ip as two words, as acl_prefix. */
    uint64_t dst_ip[2];
};

/**
 * acl_key_init - derive the key of 'pkt'
 * @param out_port  the destination port on egress, XSW_PORT_NONE on
 *                  ingress (so that no out_port rule matches there)
 * @param n_ports   ports the rules' bitmaps cover (port_count())
 */
void acl_key_init(struct acl_key *key, const struct xsw_packet *pkt,
                  uint32_t out_port, uint32_t n_ports);

/**
 * acl_rule_first - the first of 'rules[0..n-1]' that 'pkt' matches
 * @return the rule, or NULL when none does.  Costs O(n) rule tests.
 */
const struct acl_rule *acl_rule_first(const struct acl_rule *rules, uint32_t n,
                                      const struct xsw_packet *pkt,
                                      const struct acl_key *key);

#endif
