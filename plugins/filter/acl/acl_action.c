#include "acl_action.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <xsw/csum.h>

#define ACL_TPID_8021Q 0x8100u
#define ACL_TPID_8021AD 0x88a8u

static const char *const acl_action_names[] = {
#define ACL_ACTION_STR(e, s) s,
    ACL_ACTION_TYPES(ACL_ACTION_STR)
#undef ACL_ACTION_STR
};

static int acl_action_one(const struct acl_action *a, struct xsw_packet *pkt,
                          const struct xsw_host *host, struct xsw_ctx *ctx);
static bool acl_has_outer_tag(const struct xsw_packet *pkt);
static int acl_push_tag(struct xsw_packet *pkt, uint16_t vid, uint8_t pcp);
static int acl_set_tci(struct xsw_packet *pkt, uint16_t keep, uint16_t bits);
static int acl_set_dscp(struct xsw_packet *pkt, uint8_t dscp);
static int acl_set_mac(struct xsw_packet *pkt, uint32_t ofs,
                       const uint8_t *mac);

const char *
acl_action_name(uint32_t type)
{
    return type < ACL_ACT_N ? acl_action_names[type] : "?";
}

int
acl_action_apply(const struct acl_action *acts, uint32_t n,
                 struct xsw_packet *pkt, const struct xsw_host *host,
                 struct xsw_ctx *ctx)
{
    uint32_t i;
    int ret;

    for (i = 0; i < n; i++) {
        ret = acl_action_one(&acts[i], pkt, host, ctx);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* Runs one action.  Tag changes end in a reparse, since the classified
 * VLAN follows the outer tag and the L3 offset moves with a push/pop; so
 * do MAC changes, since a non-IP packet's flow_hash covers the MACs. */
static int
acl_action_one(const struct acl_action *a, struct xsw_packet *pkt,
               const struct xsw_host *host, struct xsw_ctx *ctx)
{
    int ret;

    switch (a->type) {
    case ACL_ACT_PUSH_VLAN:
        ret = acl_push_tag(pkt, a->vid, a->pcp);
        break;
    case ACL_ACT_POP_VLAN:
        if (!acl_has_outer_tag(pkt))
            return 0;
        ret = xsw_pkt_vlan_pop(pkt) < 0 ? -EINVAL : 0;
        break;
    case ACL_ACT_SET_VLAN:
        if (acl_has_outer_tag(pkt))
            ret = acl_set_tci(pkt, 0xf000, a->vid);
        else
            ret = acl_push_tag(pkt, a->vid, 0);
        break;
    case ACL_ACT_SET_PCP:
        if (acl_has_outer_tag(pkt))
            ret = acl_set_tci(pkt, 0x1fff, (uint16_t) (a->pcp << 13));
        else
            ret = acl_push_tag(pkt, pkt->vlan, a->pcp);
        break;
    case ACL_ACT_SET_DSCP:
        return acl_set_dscp(pkt, a->dscp);
    case ACL_ACT_SET_SRC_MAC:
        ret = acl_set_mac(pkt, 6, a->mac);
        break;
    case ACL_ACT_SET_DST_MAC:
        ret = acl_set_mac(pkt, 0, a->mac);
        break;
    default:
        return -EINVAL;
    }
    if (ret < 0)
        return ret;
    return host->pkt_reparse(ctx, pkt);
}

static bool
acl_has_outer_tag(const struct xsw_packet *pkt)
{
    uint16_t tpid;

    if (pkt->size < 18)
        return false;
    tpid = xsw_rd16(pkt->data + 12);
    return tpid == ACL_TPID_8021Q || tpid == ACL_TPID_8021AD;
}

static int
acl_push_tag(struct xsw_packet *pkt, uint16_t vid, uint8_t pcp)
{
    if (pkt->size < 12)
        return -EINVAL;
    if (xsw_pkt_vlan_push(pkt, ACL_TPID_8021Q,
                          (uint16_t) (pcp << 13 | (vid & 0x0fff))) < 0)
        return -ENOSPC;
    return 0;
}

/* Keeps the TCI bits in 'keep' of the outer tag and ORs in 'bits'. */
static int
acl_set_tci(struct xsw_packet *pkt, uint16_t keep, uint16_t bits)
{
    uint16_t tci = xsw_rd16(pkt->data + 14);

    xsw_wr16(pkt->data + 14, (uint16_t) ((tci & keep) | bits));
    return 0;
}

/* IPv4: the TOS byte shares a checksummed 16-bit word with version/IHL;
 * update the header checksum for that word.  IPv6: the traffic class
 * straddles the first two bytes and no checksum covers it. */
static int
acl_set_dscp(struct xsw_packet *pkt, uint8_t dscp)
{
    uint8_t *l3;
    uint8_t tos;

    if (pkt->l3_ofs == XSW_OFS_NONE)
        return 0;
    l3 = pkt->data + pkt->l3_ofs;
    tos = (uint8_t) (dscp << 2 | (pkt->ip_tos & 0x03));
    if (pkt->ip_version == 4) {
        uint16_t old, new_;

        if ((uint32_t) pkt->l3_ofs + 12 > pkt->size)
            return -EINVAL;
        old = xsw_rd16(l3);
        new_ = (uint16_t) ((old & 0xff00) | tos);
        xsw_wr16(l3, new_);
        xsw_wr16(l3 + 10, xsw_csum_update16(xsw_rd16(l3 + 10), old, new_));
    } else if (pkt->ip_version == 6) {
        if ((uint32_t) pkt->l3_ofs + 2 > pkt->size)
            return -EINVAL;
        l3[0] = (uint8_t) ((l3[0] & 0xf0) | tos >> 4);
        l3[1] = (uint8_t) ((l3[1] & 0x0f) | (tos & 0x0f) << 4);
    } else {
        return 0;
    }
    pkt->ip_tos = tos;
    return 0;
}

static int
acl_set_mac(struct xsw_packet *pkt, uint32_t ofs, const uint8_t *mac)
{
    if (pkt->size < 12)
        return -EINVAL;
    memcpy(pkt->data + ofs, mac, 6);
    return 0;
}
