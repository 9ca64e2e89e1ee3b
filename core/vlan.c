#include "vlan.h"

#include <string.h>

#include "drops.h"

#define TPID_8021Q 0x8100u
#define VID_MASK 0x0fffu

static bool
frame_is_tagged(const struct xsw_packet *pkt)
{
    return pkt->size >= 18 && xsw_rd16(pkt->data + 12) == TPID_8021Q;
}

int
vlan_ingress(const struct vlan_config *v, struct xsw_packet *pkt)
{
    uint16_t vid = 0;

    if (frame_is_tagged(pkt)) {
        vid = xsw_rd16(pkt->data + 14) & VID_MASK;
        pkt->pcp = pkt->data[14] >> 5;
    } else {
        pkt->pcp = 0;
    }
    if (v->mode == VLAN_ACCESS) {
        if (vid)
            return DROP_TAGGED_ON_ACCESS;
        pkt->vlan = v->vid;
        return 0;
    }
    if (!vid) {
        if (!v->native)
            return DROP_UNTAGGED_NO_NATIVE;
        pkt->vlan = v->native;
        return 0;
    }
    if (!vlan_config_allows(v, vid))
        return DROP_VLAN_NOT_ALLOWED;
    pkt->vlan = vid;
    return 0;
}

bool
vlan_port_carries(const struct vlan_config *v, uint16_t vid)
{
    return v->mode == VLAN_ACCESS ? v->vid == vid
                                  : vlan_config_allows(v, vid);
}

/* Writes 'pkt' without its outer tag. */
static void
write_untagged(const struct xsw_packet *pkt, uint8_t *out, uint32_t *size)
{
    memcpy(out, pkt->data, 12);
    memcpy(out + 12, pkt->data + 16, pkt->size - 16);
    *size = pkt->size - 4;
}

/* Writes 'pkt' with an outer tag for 'vid', keeping its priority. */
static void
write_tagged(const struct xsw_packet *pkt, uint16_t vid, uint8_t *out,
             uint32_t *size)
{
    uint32_t rest = pkt->size - 12;

    memcpy(out, pkt->data, 12);
    xsw_wr16(out + 12, TPID_8021Q);
    xsw_wr16(out + 14, (uint16_t) ((pkt->pcp & 7u) << 13 | vid));
    memcpy(out + 16, pkt->data + 12, rest);
    *size = pkt->size + 4;
}

int
vlan_egress(const struct vlan_config *v, const struct xsw_packet *pkt,
            uint8_t *scratch, const uint8_t **frame, uint32_t *size)
{
    bool tagged = frame_is_tagged(pkt);
    bool want_tag;

    if (!vlan_port_carries(v, pkt->vlan))
        return DROP_EGRESS_VLAN;
    want_tag = v->mode == VLAN_TRUNK && pkt->vlan != v->native;
    *frame = pkt->data;
    *size = pkt->size;
    if (!want_tag && tagged) {
        write_untagged(pkt, scratch, size);
        *frame = scratch;
    } else if (want_tag && !tagged) {
        write_tagged(pkt, pkt->vlan, scratch, size);
        *frame = scratch;
    } else if (want_tag
               && (xsw_rd16(pkt->data + 14) & VID_MASK) != pkt->vlan) {
        memcpy(scratch, pkt->data, pkt->size);
        xsw_wr16(scratch + 14, (uint16_t) ((xsw_rd16(pkt->data + 14)
                                            & ~VID_MASK)
                                           | pkt->vlan));
        *frame = scratch;
    }
    return 0;
}
