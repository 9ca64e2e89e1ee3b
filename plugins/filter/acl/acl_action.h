/* ACL modifying actions
 * =====================
 * A passing rule may rewrite the packet before it goes on: its actions run
 * in the order written, each on the result of the one before.
 *
 *   push_vlan {vid, pcp}  insert a new outer 802.1Q tag (needs 4 bytes of
 *                         headroom).
 *   pop_vlan              remove the outer 802.1Q/802.1ad tag; nothing to
 *                         do on an untagged frame.
 *   set_vlan vid          rewrite the outer tag's VID (PCP and DEI kept);
 *                         an untagged frame gets a tag with PCP 0, as
 *                         OpenFlow 1.0's set_vlan_vid does.
 *   set_pcp pcp           rewrite the outer tag's PCP; an untagged frame
 *                         gets a tag of its classified VLAN (pkt->vlan),
 *                         so it stays in its VLAN and carries the priority.
 *   set_dscp dscp         rewrite the DSCP bits of the IPv4 TOS / IPv6
 *                         traffic class, ECN kept; nothing on non-IP.
 *   set_src_mac, set_dst_mac
 *
 * Checksums stay correct without summing the packet again: a DSCP change
 * updates the IPv4 header checksum incrementally (RFC 1624, one 16-bit
 * word); IPv6 has no header checksum and the traffic class is not in the
 * TCP/UDP pseudo-header; MAC addresses and VLAN tags are covered by no
 * checksum but the Ethernet FCS, which frames here do not carry.  A header
 * checksum that was wrong on arrival stays exactly as wrong.
 *
 * Tag changes move the headers behind them (push/pop) or change the
 * classified VLAN, so they refresh the metadata with the host's
 * pkt_reparse() before the next action reads an offset; MAC changes do
 * too (a non-IP packet's flow_hash covers the MACs); set_dscp updates
 * pkt->ip_tos itself.  Datapath thread only. */
#ifndef ACL_ACTION_H
#define ACL_ACTION_H

#include <stdint.h>

#include <xsw/host.h>
#include <xsw/packet.h>

#define ACL_ACTIONS_MAX 16u /* Modifying actions in one rule. */

/* X-macro: the action's config key and its enum name. */
#define ACL_ACTION_TYPES(_)                                                   \
    _(PUSH_VLAN, "push_vlan")                                                 \
    _(POP_VLAN, "pop_vlan")                                                   \
    _(SET_VLAN, "set_vlan")                                                   \
    _(SET_PCP, "set_pcp")                                                     \
    _(SET_DSCP, "set_dscp")                                                   \
    _(SET_SRC_MAC, "set_src_mac")                                             \
    _(SET_DST_MAC, "set_dst_mac")

enum acl_action_type {
#define ACL_ACTION_ENUM(e, s) ACL_ACT_##e,
    ACL_ACTION_TYPES(ACL_ACTION_ENUM)
#undef ACL_ACTION_ENUM
        ACL_ACT_N
};

struct acl_action {
    uint8_t type;   /* enum acl_action_type. */
    uint8_t pcp;    /* push_vlan, set_pcp: 0..7. */
    uint8_t dscp;   /* set_dscp: 0..63. */
    uint8_t mac[6]; /* set_src_mac, set_dst_mac. */
    uint8_t reserved0;
    uint16_t vid; /* push_vlan, set_vlan: 1..4094. */
};

/** acl_action_name - the config key of action type 'type'. */
const char *acl_action_name(uint32_t type);

/**
 * acl_action_apply - run 'acts[0..n-1]' on 'pkt' in order
 * @param host, ctx  for pkt_reparse() after tag changes
 * @return 0; -ENOSPC when a tag push finds no headroom; -EINVAL when the
 *         frame is too short for the action.  On failure the packet may
 *         hold the effect of the actions before the failing one; the caller
 *         drops it.
 */
int acl_action_apply(const struct acl_action *acts, uint32_t n,
                     struct xsw_packet *pkt, const struct xsw_host *host,
                     struct xsw_ctx *ctx);

#endif
