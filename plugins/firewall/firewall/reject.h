/* Rejects
 * =======
 * A "reject" rule drops the first packet of a connection and tells its
 * sender at once, instead of letting it time out: a TCP RST for TCP
 * (RFC 793 section 3.4, "Reset Generation"), an ICMP destination
 * unreachable for anything else: "port unreachable" for UDP (ICMPv4
 * type 3 code 3, ICMPv6 type 1 code 4), "administratively prohibited"
 * otherwise (ICMPv4 type 3 code 13, ICMPv6 type 1 code 1).
 *
 * The answer comes from the refused destination: addresses, ports and
 * MAC addresses swapped, the sender's 802.1Q tags (VLAN and priority)
 * kept, TTL/hop limit 64, checksums complete.  The RST carries
 * SEQ = SEG.ACK when the refused segment had ACK, else SEQ = 0 with
 * ACK = SEG.SEQ + SEG.LEN (SYN and FIN counting one each; SEG.LEN is taken
 * as 0 for the first fragment of a fragmented segment, whose length is
 * not known without reassembly).  The ICMP
 * error quotes the refused IP datagram: its header and first 8 bytes of
 * data for IPv4 (RFC 792), as much as keeps the error within the IPv6
 * minimum MTU of 1280 bytes for IPv6 (RFC 4443 section 2.4 (c)).
 *
 * No answer is built (RFC 1122 section 3.2.2, RFC 4443 section 2.4 (e))
 * for a RST, nor for a packet sent to or from a multicast or broadcast
 * address (IP or MAC): one reject per subscriber would be an amplifier,
 * and an answer to a multicast source goes nowhere. */
#ifndef FW_REJECT_H
#define FW_REJECT_H

#include <stdint.h>

#include <xsw/packet.h>

enum reject_kind {
    REJECT_TCP_RST,    /* TCP: a RST. */
    REJECT_PORT_UNR,   /* UDP: ICMP port unreachable. */
    REJECT_ADMIN_PROH, /* Others: ICMP administratively prohibited. */
};

/** reject_kind_for - the answer refusing a packet of IP protocol 'proto'. */
enum reject_kind reject_kind_for(uint8_t proto);

/**
 * reject_size - the size of the frame refusing 'orig'
 * @param orig  an IPv4/IPv6 packet the parser found sound, of protocol
 *              TCP when 'kind' is REJECT_TCP_RST
 * @return bytes, or 0 when no answer may be sent (see above).
 */
uint32_t reject_size(const struct xsw_packet *orig, enum reject_kind kind);

/**
 * reject_write - build the frame refusing 'orig' in 'out'
 * @param out  reject_size() bytes, which this writes in full
 */
void reject_write(const struct xsw_packet *orig, enum reject_kind kind,
                  uint8_t *out);

#endif
