/* What the firewall reads from a packet
 * =====================================
 * The core's parser has already found the layers (struct xsw_packet); this
 * module sorts a packet into the kind the firewall treats alike and builds
 * its connection tuple.  The only bytes it reads itself are the TCP
 * sequence numbers, ICMP query identifiers and, in an ICMP error, the
 * quoted packet, always within the frame and within the IP datagram's own
 * length (Ethernet padding is not payload).
 *
 * ICMP falls into four kinds.  Queries (echo, timestamp...) are tracked
 * like UDP, keyed by identifier; errors (unreachable, time exceeded...)
 * are never connections of their own but belong to the connection of the
 * packet they quote; IPv6 neighbour discovery and MLD are the link's
 * plumbing, like ARP, with a policy of their own; everything else (router
 * advertisements for IPv4, unknown types) is never a connection. */
#ifndef FW_PKT_H
#define FW_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

#include "fw-tuple.h"
#include "tcp-state.h"

enum fw_pkt_kind {
    FW_PKT_NON_IP,       /* Not IPv4/IPv6 (ARP, LLDP...). */
    FW_PKT_MALFORMED,    /* IP whose L3/L4 the parser flagged, or too
                          * short for what the firewall reads; any frame
                          * whose tags the parser could not walk. */
    FW_PKT_FRAGMENT,     /* A non-first IP fragment: no L4 header. */
    FW_PKT_TCP,          /* Tuple filled. */
    FW_PKT_UDP,          /* Tuple filled. */
    FW_PKT_ICMP_REQUEST, /* ICMP/ICMPv6 query request; tuple filled. */
    FW_PKT_ICMP_REPLY,   /* Its reply; tuple filled (as the reply). */
    FW_PKT_ICMP_ERROR,   /* Unreachable, time exceeded, too big... */
    FW_PKT_NDP,          /* ICMPv6 neighbour discovery or MLD. */
    FW_PKT_ICMP_OTHER,   /* Any other ICMP type. */
    FW_PKT_OTHER,        /* Another IP protocol; tuple filled. */
};

/**
 * fw_pkt_classify - sort 'pkt' and build its tuple
 * @param t  filled for the kinds that say so
 */
enum fw_pkt_kind fw_pkt_classify(const struct xsw_packet *pkt,
                                 struct fw_tuple *t);

/**
 * fw_pkt_icmp_inner - the tuple of the packet an ICMP error quotes
 *
 * 'pkt' must be of kind FW_PKT_ICMP_ERROR.  The tuple is the quoted
 * packet's as its sender sent it.
 * @return false when the quote is too short to name a flow, is not of
 *         the outer packet's IP version, is a non-first fragment, quotes
 *         an ICMP error, or was not sent by the error's destination
 *         (an error goes back to the sender of what it quotes).
 */
bool fw_pkt_icmp_inner(const struct xsw_packet *pkt, struct fw_tuple *inner);

/**
 * fw_pkt_l3_end - offset of the end of the IP datagram in the frame
 *
 * The IPv4 total length or IPv6 payload length, so Ethernet padding is
 * excluded; clamped to the frame.  'pkt' must be IP.
 */
uint32_t fw_pkt_l3_end(const struct xsw_packet *pkt);

/** fw_pkt_tcp_seg - the segment fields of TCP packet 'pkt'. */
void fw_pkt_tcp_seg(const struct xsw_packet *pkt, struct tcp_seg *seg);

#endif
