/* Packets and batches
 * ===================
 * Every packet in the switch is a struct xsw_packet: a pointer to the frame,
 * its size, the room around it, and metadata that the core fills once when
 * the frame enters (the parser) so that no extension parses headers again.
 * The layout is fixed for ABI major 1: fields are never moved, and new ones
 * take space from 'reserved'.  A test in the suite pins every offset.
 *
 * Offsets (l3_ofs, l4_ofs, payload_ofs) count bytes from 'data'; a layer
 * that is absent or could not be parsed has XSW_OFS_NONE.  Multi-byte
 * metadata fields are in host byte order; the frame itself is as on the wire.
 *
 * Callbacks receive packets in batches of up to XSW_BATCH_MAX, so the cost of
 * an indirect call is paid per batch, not per packet.
 *
 * Verdicts.  An extension that may act (filter, forward, firewall) writes its
 * decision into the packet with the inline helpers below: xsw_pkt_drop()
 * names a reason from the extension's own table (the core counts drops per
 * reason); a forward extension chooses destinations with xsw_pkt_output() or
 * xsw_pkt_flood(), or leaves XSW_FWD_NORMAL to hand the packet to the
 * built-in L2 forwarding.  The core resets the verdict fields before each
 * extension runs. */
#ifndef XSW_PACKET_H
#define XSW_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XSW_BATCH_MAX 64       /* Packets in one batch at most. */
#define XSW_OUT_PORTS_MAX 8    /* Explicit destinations of one packet. */
#define XSW_OFS_NONE 0xffffu   /* An absent layer's offset. */
#define XSW_PORT_NONE 0xffffu  /* No port. */

/* Bits of xsw_packet.flags.  The parse bits say what the parser found wrong;
 * the packet still travels (a stage that needs the missing part drops it). */
#define XSW_PKT_F_L2_TRUNC 0x0001u  /* Shorter than an Ethernet header. */
#define XSW_PKT_F_TAGS_DEEP 0x0002u /* More VLAN tags than XSW_TAGS_MAX. */
#define XSW_PKT_F_L3_TRUNC 0x0004u  /* L3 header cut short by the frame. */
#define XSW_PKT_F_L3_BAD 0x0008u    /* Bad IHL, total length, version... */
#define XSW_PKT_F_L4_TRUNC 0x0010u  /* L4 header cut short (or bad offset).*/
#define XSW_PKT_F_IP_FRAG 0x0020u   /* IP fragment (any). */
#define XSW_PKT_F_IP_LATER 0x0040u  /* Non-first fragment: no L4 header. */
#define XSW_PKT_F_EXT_DEEP 0x0080u  /* IPv6 extension chain too long. */
#define XSW_PKT_F_PARSE_MASK 0x00ffu
#define XSW_PKT_F_TRACED 0x0100u    /* Being traced: xsw_trace() records. */
#define XSW_PKT_F_INJECTED 0x0200u  /* Made by an extension, not received.*/
#define XSW_PKT_F_TAGGED 0x0400u    /* Arrived with an 802.1Q tag. */

#define XSW_TAGS_MAX 2 /* 802.1Q/802.1ad tags the parser walks. */

/* TCP flags as in the header's 13th byte. */
#define XSW_TCP_FIN 0x01u
#define XSW_TCP_SYN 0x02u
#define XSW_TCP_RST 0x04u
#define XSW_TCP_PSH 0x08u
#define XSW_TCP_ACK 0x10u
#define XSW_TCP_URG 0x20u
#define XSW_TCP_ECE 0x40u
#define XSW_TCP_CWR 0x80u

/* xsw_packet.verdict */
#define XSW_PASS 0u
#define XSW_DROP 1u

/* xsw_packet.fwd: what a forward extension decided. */
#define XSW_FWD_NORMAL 0u /* Built-in L2 forwarding decides. */
#define XSW_FWD_PORTS 1u  /* To out_ports[0 .. n_out-1]. */
#define XSW_FWD_FLOOD 2u  /* Every other port of the packet's VLAN. */

struct xsw_packet {
    /* The frame. */
    uint8_t *data;     /* First byte of the Ethernet header. */
    uint32_t size;     /* Bytes of frame at 'data'. */
    uint16_t headroom; /* Bytes writable before 'data'. */
    uint16_t tailroom; /* Bytes writable after 'data' + 'size'. */
    uint64_t ts_ns;    /* Switch clock when the frame arrived. */

    /* Metadata the core fills (the parser and the port's VLAN policy). */
    uint16_t in_port;     /* Ingress port id (XSW_PORT_NONE if injected). */
    uint16_t vlan;        /* Classified VLAN id, 1..4094. */
    uint8_t pcp;          /* Priority code point, 0..7. */
    uint8_t n_tags;       /* VLAN tags in the frame (0..XSW_TAGS_MAX). */
    uint16_t ethertype;   /* Ethertype after the tags. */
    uint16_t l3_ofs;      /* IPv4/IPv6/ARP header, or XSW_OFS_NONE. */
    uint16_t l4_ofs;      /* TCP/UDP/ICMP/ICMPv6 header, or XSW_OFS_NONE. */
    uint16_t payload_ofs; /* After the L4 header, or XSW_OFS_NONE. */
    uint8_t ip_version;   /* 4, 6, or 0 when not IP. */
    uint8_t ip_proto;     /* IPv4 protocol / IPv6 final next header. */
    uint8_t src_ip[16];   /* IPv4 in the first 4 bytes, rest zero. */
    uint8_t dst_ip[16];   /* Likewise; network byte order. */
    uint16_t src_port;    /* TCP/UDP source port; ICMP type. */
    uint16_t dst_port;    /* TCP/UDP destination port; ICMP code. */
    uint8_t tcp_flags;    /* XSW_TCP_* of a TCP segment. */
    uint8_t ip_tos;       /* IPv4 TOS / IPv6 traffic class (DSCP<<2|ECN). */
    uint8_t ip_ttl;       /* IPv4 TTL / IPv6 hop limit. */
    uint8_t reserved0;    /* Zero. */
    uint32_t flow_hash;   /* Same both ways: 5-tuple (non-IP: MACs and
                           * ethertype); not the VLAN. */
    uint32_t flags;       /* XSW_PKT_F_*. */

    /* The verdict of the extension now running. */
    uint8_t verdict;      /* XSW_PASS or XSW_DROP. */
    uint8_t fwd;          /* XSW_FWD_* (forward extensions only). */
    uint8_t n_out;        /* Entries used in out_ports. */
    uint8_t reserved1;    /* Zero. */
    uint16_t drop_reason; /* Index in the extension's drop_reasons. */
    uint16_t out_ports[XSW_OUT_PORTS_MAX]; /* Destination port ids. */
    uint16_t reserved2;                    /* Zero. */
    uint64_t reserved[6];                  /* For later minors. */
};

#ifndef __cplusplus
_Static_assert(sizeof(struct xsw_packet) == 160,
               "struct xsw_packet is fixed for ABI major 1");
#endif

/* A batch: 'count' packets.  On egress every packet goes out of 'port'; on
 * ingress 'port' is XSW_PORT_NONE (packets carry their own in_port). */
struct xsw_batch {
    uint32_t count;
    uint32_t port;
    struct xsw_packet *pkts[XSW_BATCH_MAX];
};

/**
 * xsw_pkt_drop - drop 'pkt' for reason 'reason'
 * @param pkt     the packet
 * @param reason  index into the extension's drop_reasons table
 */
static inline void
xsw_pkt_drop(struct xsw_packet *pkt, uint16_t reason)
{
    pkt->verdict = XSW_DROP;
    pkt->drop_reason = reason;
}

/**
 * xsw_pkt_output - add port 'port' to the destinations of 'pkt'
 * @return 0, or -1 when XSW_OUT_PORTS_MAX destinations are already set
 *         (use xsw_pkt_flood() or an injected copy for more).
 */
static inline int
xsw_pkt_output(struct xsw_packet *pkt, uint16_t port)
{
    if (pkt->n_out >= XSW_OUT_PORTS_MAX)
        return -1;
    pkt->fwd = XSW_FWD_PORTS;
    pkt->out_ports[pkt->n_out++] = port;
    return 0;
}

/** xsw_pkt_flood - send 'pkt' to every other port of its VLAN. */
static inline void
xsw_pkt_flood(struct xsw_packet *pkt)
{
    pkt->fwd = XSW_FWD_FLOOD;
}

/** xsw_rd16 - read a big-endian 16-bit value at 'p'. */
static inline uint16_t
xsw_rd16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

/** xsw_wr16 - write 'v' big-endian at 'p'. */
static inline void
xsw_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

/**
 * xsw_pkt_vlan_push - insert an outer VLAN tag after the MAC addresses
 * @param tpid  0x8100 or 0x88a8
 * @param tci   PCP << 13 | DEI << 12 | VID
 * @return 0, or -1 when the frame is shorter than 12 bytes or there is no
 *         headroom.  The metadata is stale afterwards: call the host's
 *         pkt_reparse().
 */
static inline int
xsw_pkt_vlan_push(struct xsw_packet *pkt, uint16_t tpid, uint16_t tci)
{
    if (pkt->size < 12 || pkt->headroom < 4)
        return -1;
    memmove(pkt->data - 4, pkt->data, 12);
    pkt->data -= 4;
    pkt->headroom -= 4;
    pkt->size += 4;
    xsw_wr16(pkt->data + 12, tpid);
    xsw_wr16(pkt->data + 14, tci);
    return 0;
}

/**
 * xsw_pkt_vlan_pop - remove the outer VLAN tag
 * @return 0, or -1 when the frame carries no 802.1Q/802.1ad tag.  The
 *         metadata is stale afterwards: call the host's pkt_reparse().
 */
static inline int
xsw_pkt_vlan_pop(struct xsw_packet *pkt)
{
    uint16_t tpid;

    if (pkt->size < 18)
        return -1;
    tpid = xsw_rd16(pkt->data + 12);
    if (tpid != 0x8100 && tpid != 0x88a8)
        return -1;
    memmove(pkt->data + 4, pkt->data, 12);
    pkt->data += 4;
    pkt->headroom += 4;
    pkt->size -= 4;
    return 0;
}

#ifdef __cplusplus
}
#endif
#endif
