#include "ft_key.h"

#include <string.h>

static uint8_t ft_key_l3_kind(const struct xsw_packet *pkt);

void
ft_key_from_packet(struct ft_key *key, const struct xsw_packet *pkt)
{
    uint8_t kind = 0;

    memset(key, 0, sizeof *key);
    key->in_port = pkt->in_port;
    key->vlan = pkt->vlan;
    key->pcp = pkt->pcp;
    if (pkt->size >= 14 && !(pkt->flags & XSW_PKT_F_L2_TRUNC)) {
        kind = FT_KIND_ETH;
        memcpy(key->dst_mac, pkt->data, 6);
        memcpy(key->src_mac, pkt->data + 6, 6);
        key->ethertype = pkt->ethertype;
        kind |= ft_key_l3_kind(pkt);
    }
    if (kind & FT_KIND_IP) {
        memcpy(key->src_ip, pkt->src_ip, 16);
        memcpy(key->dst_ip, pkt->dst_ip, 16);
        key->ip_proto = pkt->ip_proto;
        key->dscp = pkt->ip_tos >> 2;
    }
    if (kind & FT_KIND_PORTS) {
        key->src_port = pkt->src_port;
        key->dst_port = pkt->dst_port;
    }
    if (kind & FT_KIND_TCP)
        key->tcp_flags = pkt->tcp_flags;
    key->kind = kind;
}

/* What a sound IP header offers; a truncated or malformed one offers
 * nothing, since its fields may not have been read.  A later fragment has
 * no L4 header whatever l4_ofs says. */
static uint8_t
ft_key_l3_kind(const struct xsw_packet *pkt)
{
    uint8_t kind;

    if (pkt->l3_ofs == XSW_OFS_NONE ||
        (pkt->flags & (XSW_PKT_F_L3_TRUNC | XSW_PKT_F_L3_BAD)))
        return 0;
    if (pkt->ip_version == 4)
        kind = FT_KIND_IP | FT_KIND_IP4;
    else if (pkt->ip_version == 6)
        kind = FT_KIND_IP | FT_KIND_IP6;
    else
        return 0;
    if (pkt->l4_ofs == XSW_OFS_NONE ||
        (pkt->flags & (XSW_PKT_F_L4_TRUNC | XSW_PKT_F_IP_LATER)))
        return kind;
    if (pkt->ip_proto == 6)
        kind |= FT_KIND_PORTS | FT_KIND_TCP;
    else if (pkt->ip_proto == 17)
        kind |= FT_KIND_PORTS;
    return kind;
}
