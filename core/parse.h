/* Metadata parser
 * ===============
 * Fills the metadata of struct xsw_packet (sdk/include/xsw/packet.h) once,
 * when a frame enters the switch, so that no stage and no extension parses
 * headers again.  It is on the per-packet path: one straight walk from the
 * Ethernet header inwards, no allocation, no indirect call, every loop
 * bounded by a constant, and no byte read at or past 'size'.
 *
 * What is parsed, outermost first:
 *   - Ethernet II: the MACs and the type.  A frame shorter than 14 bytes
 *     gets XSW_PKT_F_L2_TRUNC and nothing else.
 *   - Up to XSW_TAGS_MAX 802.1Q (0x8100) / 802.1ad (0x88a8) tags; a further
 *     tag sets XSW_PKT_F_TAGS_DEEP and stops the walk (ethertype is then that
 *     tag's TPID), and a tag cut short by the frame sets XSW_PKT_F_L2_TRUNC.
 *     'vlan' and 'pcp' come from the outermost tag only when its TPID is
 *     0x8100, which also sets XSW_PKT_F_TAGGED: an 802.1ad outer tag is the
 *     provider's, not a VLAN of this switch.  (The port's VLAN policy later
 *     overwrites 'vlan' with the classified VLAN.)
 *   - ARP (Ethernet/IPv4 only): l3_ofs, src_ip/dst_ip = SPA/TPA and
 *     ip_proto = the low byte of the opcode, as Open vSwitch does; ip_version
 *     stays 0.  Another hardware/protocol type is XSW_PKT_F_L3_BAD.
 *   - IPv4 with options.  A bad version, IHL < 5 or a total length below the
 *     header size is XSW_PKT_F_L3_BAD; a header (with its options) cut short
 *     is XSW_PKT_F_L3_TRUNC, and in both cases the L3 fields stay empty.  A
 *     total length beyond the frame (a truncated capture) is also
 *     XSW_PKT_F_L3_TRUNC, but the header is sound, so it is filled in and L4
 *     is parsed from the bytes that are there.  Bytes after the total length
 *     are Ethernet padding: normal, ignored.
 *   - IPv6 and its extension headers hop-by-hop (0), routing (43), fragment
 *     (44) and destination options (60), at most PARSE_IPV6_EXT_MAX of them
 *     (one more is XSW_PKT_F_EXT_DEEP and ip_proto is the unwalked header's
 *     type).  A chain that runs past the payload length or the frame is
 *     XSW_PKT_F_L3_TRUNC with ip_proto = the type of the header cut short.
 *     Every other next header, ESP (50), AH (51) and no-next-header (59)
 *     among them, is final: it becomes ip_proto.
 *   - Fragments: any fragment (MF set or a non-zero offset, in IPv4 or in an
 *     IPv6 fragment header) sets XSW_PKT_F_IP_FRAG.  A non-first fragment
 *     also sets XSW_PKT_F_IP_LATER and has no L4 header, though ip_proto is
 *     known.  An IPv6 "atomic fragment" (offset 0, MF clear) is not one.
 *   - L4: TCP (data offset < 5 or past the frame: XSW_PKT_F_L4_TRUNC), UDP,
 *     ICMP over IPv4 and ICMPv6 over IPv6 (src_port = type, dst_port =
 *     code; the header counts as 8 bytes, so payload_ofs is the echo data or
 *     the quoted packet).  Other protocols get no l4_ofs.
 *
 * Rule for every layer: its offset (l3_ofs, l4_ofs and payload_ofs) is set,
 * and its fields filled, only when its whole header is in the frame;
 * otherwise the offset is XSW_OFS_NONE and the fields are zero.  ip_tos and
 * ip_ttl are the IPv4 TOS/TTL or the IPv6 traffic class/hop limit.
 *
 * Nothing is dropped here.  A flag records what is wrong and the packet
 * travels on; a stage that needs a layer (an ACL matching ports, a NAT)
 * drops the packets that lack it, with its own reason, and a plain L2
 * switch still forwards a mangled IP packet as the wire would.
 *
 * Every metadata field is reset first, the verdict fields too (verdict
 * XSW_PASS, fwd XSW_FWD_NORMAL, no out_ports, drop_reason 0, reserved
 * zero); of 'flags' only XSW_PKT_F_TRACED and XSW_PKT_F_INJECTED survive.
 * data, size, headroom, tailroom, ts_ns and in_port are left as they are.
 *
 * The flow hash.  flow_hash is:
 *   - symmetric: both directions of a flow hash the same, because the two
 *     endpoints (address, port) are put in a fixed order before hashing;
 *   - over the addresses, ports and protocol (IP version included) of an IP
 *     packet, or over the two MACs and the ethertype of anything else (ARP
 *     and IP packets whose L3 header was bad or cut short included); a
 *     frame shorter than 14 bytes hashes to 0;
 *   - without ports for fragments, so that every fragment of a datagram
 *     hashes alike, and without ICMP type/code, so that a request and its
 *     reply do;
 *   - without the VLAN: the parser runs before VLAN classification, and a
 *     flow seen tagged on a trunk and untagged on an access port stays one
 *     flow;
 *   - the same on every run and every host (words are read big-endian), so
 *     replays that pick ports by hash are reproducible;
 *   - not keyed: anyone can craft collisions, so a table that faces hostile
 *     traffic must not rely on it alone for its bucket spread.
 *
 * Threads: parse_packet() touches only 'pkt'; any thread may call it. */
#ifndef XSW_PARSE_H
#define XSW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xsw/packet.h>

/* IPv6 extension headers walked before XSW_PKT_F_EXT_DEEP.  Real traffic
 * carries two or three; eight bounds the walk at 8 * 2048 bytes, which
 * keeps every offset below XSW_OFS_NONE. */
#define PARSE_IPV6_EXT_MAX 8

/**
 * parse_packet - fill the metadata of 'pkt' from pkt->data and pkt->size
 * @param pkt  the packet; pkt->data must hold pkt->size readable bytes
 *             (it may be NULL when size is 0).  The frame is not written.
 */
void parse_packet(struct xsw_packet *pkt);

/* parse_packet() in two steps, for the receive path: the headers (the
 * flow hash left 0), and the flow hash of a packet whose headers were
 * parsed.  Only extensions read the hash, so a switch with none enabled
 * skips it (about 30 instructions a packet, tests/perf). */
void parse_headers(struct xsw_packet *pkt);
uint32_t parse_flow_hash(const struct xsw_packet *pkt);

/* Accessors for parsed packets.  Each is valid only after parse_packet()
 * and until the frame is changed (a tag pushed or popped): reparse then. */

/** parse_eth_dst - the destination MAC, or NULL in a runt frame. */
static inline const uint8_t *
parse_eth_dst(const struct xsw_packet *pkt)
{
    return pkt->size < 14 ? NULL : pkt->data;
}

/** parse_eth_src - the source MAC, or NULL in a runt frame. */
static inline const uint8_t *
parse_eth_src(const struct xsw_packet *pkt)
{
    return pkt->size < 14 ? NULL : pkt->data + 6;
}

/** parse_is_ipv4 - whether a whole IPv4 header was parsed. */
static inline bool
parse_is_ipv4(const struct xsw_packet *pkt)
{
    return pkt->ip_version == 4;
}

/** parse_is_ipv6 - whether a whole IPv6 header was parsed. */
static inline bool
parse_is_ipv6(const struct xsw_packet *pkt)
{
    return pkt->ip_version == 6;
}

/** parse_l3_hdr - the IPv4/IPv6/ARP header, or NULL if none. */
static inline const uint8_t *
parse_l3_hdr(const struct xsw_packet *pkt)
{
    return pkt->l3_ofs == XSW_OFS_NONE ? NULL : pkt->data + pkt->l3_ofs;
}

/** parse_l4_hdr - the TCP/UDP/ICMP/ICMPv6 header, or NULL if none. */
static inline const uint8_t *
parse_l4_hdr(const struct xsw_packet *pkt)
{
    return pkt->l4_ofs == XSW_OFS_NONE ? NULL : pkt->data + pkt->l4_ofs;
}

/**
 * parse_ip_end - where the IP datagram ends: the offset just after it
 * @return the end by the IPv4 total length or the IPv6 payload length,
 *         at most 'size' (so Ethernet padding is left out), or 0 when the
 *         packet is not IP.
 */
static inline uint32_t
parse_ip_end(const struct xsw_packet *pkt)
{
    const uint8_t *ip = parse_l3_hdr(pkt);
    uint32_t end;

    if (parse_is_ipv4(pkt))
        end = pkt->l3_ofs + (uint32_t) xsw_rd16(ip + 2);
    else if (parse_is_ipv6(pkt))
        end = pkt->l3_ofs + 40u + xsw_rd16(ip + 4);
    else
        return 0;
    return end < pkt->size ? end : pkt->size;
}

/**
 * parse_payload_size - bytes of L4 payload in the frame
 * @return the bytes from payload_ofs to the end of the IP datagram (padding
 *         excluded; in a truncated capture only those present), or 0 when
 *         there is no payload_ofs.
 */
static inline uint32_t
parse_payload_size(const struct xsw_packet *pkt)
{
    uint32_t end;

    if (pkt->payload_ofs == XSW_OFS_NONE)
        return 0;
    end = parse_ip_end(pkt);
    return end > pkt->payload_ofs ? end - pkt->payload_ofs : 0;
}

#endif
