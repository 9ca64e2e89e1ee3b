#include "acl_rule.h"

#include <string.h>

#include <pcap/pcap.h> /* bpf_filter(); pcap/bpf.h alone lacks u_int. */

#define ACL_M_IP_ANY                                                          \
    (ACL_M_SRC_IP | ACL_M_DST_IP | ACL_M_IP_PROTO | ACL_M_DSCP)
#define ACL_M_L4_PORTS (ACL_M_SRC_PORT | ACL_M_DST_PORT)
/* Fields the packed word does not cover: tested one by one. */
#define ACL_M_SLOW                                                            \
    (ACL_M_IN_PORT | ACL_M_OUT_PORT | ACL_M_SRC_MAC | ACL_M_DST_MAC |         \
     ACL_M_SRC_IP | ACL_M_DST_IP | ACL_M_L4_PORTS | ACL_M_BPF)

static uint32_t acl_key_have_l3(const struct xsw_packet *pkt);
static bool acl_bit_test(const uint64_t *bits, uint32_t i);
static bool acl_rule_matches(const struct acl_rule *r,
                             const struct xsw_packet *pkt,
                             const struct acl_key *key);

void
acl_key_init(struct acl_key *key, const struct xsw_packet *pkt,
             uint32_t out_port, uint32_t n_ports)
{
    uint32_t have = ACL_M_VLAN | ACL_M_PCP | ACL_M_BPF;

    if (pkt->in_port < n_ports)
        have |= ACL_M_IN_PORT;
    if (out_port < n_ports)
        have |= ACL_M_OUT_PORT;
    key->out_port = out_port;
    if (!(pkt->flags & XSW_PKT_F_L2_TRUNC) && pkt->size >= 14) {
        have |= ACL_M_SRC_MAC | ACL_M_DST_MAC | ACL_M_ETHERTYPE;
        key->dst_mac = acl_mac_u64(pkt->data);
        key->src_mac = acl_mac_u64(pkt->data + 6);
        have |= acl_key_have_l3(pkt);
    } else {
        key->dst_mac = key->src_mac = 0;
    }
    memcpy(key->src_ip, pkt->src_ip, sizeof key->src_ip);
    memcpy(key->dst_ip, pkt->dst_ip, sizeof key->dst_ip);
    key->small = (uint64_t) pkt->ethertype << ACL_SMALL_ETHERTYPE |
                 (uint64_t) (pkt->vlan & 0x0fff) << ACL_SMALL_VLAN |
                 (uint64_t) (pkt->pcp & 0x7) << ACL_SMALL_PCP |
                 (uint64_t) pkt->ip_proto << ACL_SMALL_IP_PROTO |
                 (uint64_t) (pkt->ip_tos >> 2) << ACL_SMALL_DSCP |
                 (uint64_t) pkt->tcp_flags << ACL_SMALL_TCP_FLAGS;
    key->have = have;
}

const struct acl_rule *
acl_rule_first(const struct acl_rule *rules, uint32_t n,
               const struct xsw_packet *pkt, const struct acl_key *key)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        const struct acl_rule *r = &rules[i];

        if (r->match & ~key->have)
            continue;
        if ((key->small & r->small_mask) != r->small_value)
            continue;
        if (!(r->match & ACL_M_SLOW) || acl_rule_matches(r, pkt, key))
            return r;
    }
    return NULL;
}

/* The L3/L4 fields a well-formed IP packet offers.  A truncated or
 * malformed IP header offers none: its addresses may not have been read. */
static uint32_t
acl_key_have_l3(const struct xsw_packet *pkt)
{
    uint32_t have;

    if (pkt->l3_ofs == XSW_OFS_NONE ||
        (pkt->flags & (XSW_PKT_F_L3_TRUNC | XSW_PKT_F_L3_BAD)))
        return 0;
    if (pkt->ip_version == 4)
        have = ACL_M_IPV4 | ACL_M_IP_ANY;
    else if (pkt->ip_version == 6)
        have = ACL_M_IPV6 | ACL_M_IP_ANY;
    else
        return 0;
    if (pkt->l4_ofs == XSW_OFS_NONE || (pkt->flags & XSW_PKT_F_L4_TRUNC))
        return have;
    if (pkt->ip_proto == 6)
        have |= ACL_M_L4_PORTS | ACL_M_TCP_FLAGS;
    else if (pkt->ip_proto == 17)
        have |= ACL_M_L4_PORTS;
    return have;
}

static bool
acl_bit_test(const uint64_t *bits, uint32_t i)
{
    return (bits[i >> 6] >> (i & 63)) & 1;
}

/* The fields outside the packed word.  A rule's untested MACs and
 * prefixes have all-zero masks and its untested port ranges are 0..65535,
 * so those compares run unconditionally and without branches; only the
 * port bitmaps and the BPF program are looked at when tested.  Every field
 * in r->match is one the packet has (the caller checked 'have'). */
static bool
acl_rule_matches(const struct acl_rule *r, const struct xsw_packet *pkt,
                 const struct acl_key *key)
{
    uint32_t m = r->match;
    uint64_t diff;
    bool ports;

    diff = ((key->src_mac & r->src_mac_mask) ^ r->src_mac) |
           ((key->dst_mac & r->dst_mac_mask) ^ r->dst_mac) |
           ((key->src_ip[0] & r->src_ip.mask[0]) ^ r->src_ip.addr[0]) |
           ((key->src_ip[1] & r->src_ip.mask[1]) ^ r->src_ip.addr[1]) |
           ((key->dst_ip[0] & r->dst_ip.mask[0]) ^ r->dst_ip.addr[0]) |
           ((key->dst_ip[1] & r->dst_ip.mask[1]) ^ r->dst_ip.addr[1]);
    /* lo <= p <= hi as one unsigned compare: p - lo <= hi - lo. */
    ports = ((uint32_t) pkt->src_port - r->src_port_lo <=
             (uint32_t) r->src_port_hi - r->src_port_lo) &
            ((uint32_t) pkt->dst_port - r->dst_port_lo <=
             (uint32_t) r->dst_port_hi - r->dst_port_lo);
    if (diff || !ports)
        return false;
    if ((m & ACL_M_IN_PORT) && !acl_bit_test(r->in_ports, pkt->in_port))
        return false;
    if ((m & ACL_M_OUT_PORT) && !acl_bit_test(r->out_ports, key->out_port))
        return false;
    if ((m & ACL_M_BPF) &&
        !bpf_filter(r->bpf, pkt->data, pkt->size, pkt->size))
        return false;
    return true;
}
