/* Port VLAN policy
 * ================
 * Classifies each arriving frame into a VLAN (pkt->vlan) by its port's
 * mode, and on the way out rewrites the frame's outer 802.1Q tag as the
 * egress port demands.  Frames keep their wire bytes inside the switch (an
 * arriving tag stays in the frame); the VLAN a frame belongs to is the
 * metadata, which egress makes true on the wire again.
 *
 *   access  untagged on the wire, one VID.  Untagged and priority-tagged
 *           (VID 0) frames belong to the port's VID; any other 802.1Q
 *           tagged frame is dropped ("tagged frame on access port").
 *           Frames leave untagged.
 *   trunk   tagged on the wire for the 'allowed' VIDs, except 'native',
 *           which is untagged.  Tagged frames of a VID not allowed are
 *           dropped; untagged (or priority-tagged) frames belong to
 *           'native', or are dropped when the trunk has none.
 *
 * Only TPID 0x8100 is a VLAN tag here; an 802.1ad (0x88a8) frame is
 * carried as an untagged frame of its port's VLAN.  Egress never modifies
 * the packet (it may be shared by several destinations): a frame whose tag
 * must change is written to a scratch buffer. */
#ifndef XSW_VLAN_H
#define XSW_VLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

#include "config.h"

/* Sets pkt->vlan (and pcp for untagged frames); returns 0 or a drop id. */
int vlan_ingress(const struct vlan_config *, struct xsw_packet *);

/* Does the port carry VLAN 'vid' at all? */
bool vlan_port_carries(const struct vlan_config *, uint16_t vid);

/* The frame as it leaves the port: '*frame' is pkt->data or 'scratch'
 * (which must hold pkt->size + 4 bytes).  Returns 0 or a drop id. */
int vlan_egress(const struct vlan_config *, const struct xsw_packet *,
                uint8_t *scratch, const uint8_t **frame, uint32_t *size);

#endif
