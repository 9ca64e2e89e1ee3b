/* Software offloads
 * =================
 * What a NIC would do for frames the kernel hands to userspace half-done.
 * On a Linux host, frames sent by the local stack (and frames from a veth
 * or TAP peer) are usually still "offloaded": their TCP/UDP checksum is
 * partial (only the pseudo-header sum sits in the checksum field; the
 * device was to finish it) and, with TSO/GSO, one "super-frame" carries up
 * to 64 KiB of TCP payload that the device was to cut into MTU-sized
 * segments.  An AF_PACKET socket with PACKET_VNET_HDR says which frames
 * are like that in a struct virtio_net_hdr before each frame.  A switch
 * must finish the job before it forwards them: a partial checksum on the
 * wire is a bad checksum (ping works, TCP never connects), and a
 * super-frame is larger than any port's MTU.
 *
 * Three pure functions over byte buffers, no sockets:
 *   - offload_csum_complete(): fills in the checksum the way the device
 *     would: the one's-complement sum from 'csum_start' to the end of the
 *     IP packet (the pseudo-header sum is already in the field), stored at
 *     'csum_start' + 'csum_offset'.  It works for any protocol that uses
 *     the Internet checksum (TCP and UDP over IPv4 and IPv6), because the
 *     sender did the protocol-specific part.  A result of 0 is written as
 *     0xffff, which verifies the same and is what UDP requires.
 *   - offload_gso_start()/offload_gso_next(): cut a TCP (TCPV4, TCPV6) or
 *     UDP (UDP_L4, i.e. UDP_SEGMENT) super-frame into segments of at most
 *     'gso_size' payload bytes each, one at a time into the caller's
 *     buffer, as the kernel's own GSO does: every segment gets the
 *     super-frame's headers with IPv4 total length, identification (+1 per
 *     segment) and header checksum, IPv6 payload length, TCP sequence
 *     number (+ payload before it) or UDP length rewritten, and a complete
 *     TCP/UDP checksum; TCP FIN and PSH stay only on the last segment, CWR
 *     only on the first.  TCP segments are also cut smaller when 'mtu'
 *     (the receiving port's, 0 = no limit) demands it; UDP segments are
 *     datagrams whose size the sender chose, so one over 'mtu' is refused.
 *     The legacy UDP fragmentation offload (VIRTIO_NET_HDR_GSO_UDP) is
 *     refused: no current kernel produces it.
 *   - offload_vlan_push(): puts an 802.1Q/802.1ad tag that travelled out of
 *     band (the kernel strips the outer tag on receive and reports it in
 *     the ring's metadata) back between the MAC addresses and the type.
 *
 * The offsets in the virtio header are relative to the frame as the
 * kernel hands it, without the out-of-band tag: apply the checksum and
 * segmentation first, push the tag last.  The header's 'hdr_len' is not
 * trusted (AF_PACKET fills it with the length of the skb's linear part);
 * the header size is read from the TCP data offset.  The L4 header is at
 * 'csum_start'; the IP header is found by walking the Ethernet header and
 * up to two in-band tags.  Malformed input (an offset past the frame, a
 * truncated header, a version or protocol that disagrees with 'gso_type')
 * is refused with -EINVAL, never read past.
 *
 * Not handled: tunnels (GSO over VXLAN/GRE), IPv4/IPv6 "BIG TCP" frames
 * over 64 KiB, and IPv6 routing headers (the pseudo-header uses the IPv6
 * header's destination, not the routing header's final one). */
#ifndef XSW_OFFLOAD_H
#define XSW_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_net.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* Older UAPI headers lack it. */
#endif

/* Completes the partial checksum of the frame at 'frame' ('size' bytes)
 * in place.  Returns 0, or -EINVAL when 'csum_start'/'csum_offset' do not
 * fit in the frame. */
int offload_csum_complete(uint8_t *frame, uint32_t size, uint32_t csum_start,
                          uint32_t csum_offset);

/* A segmentation in progress.  Fields are private to offload.c; the
 * struct is here so that callers can embed it. */
struct offload_gso {
    const uint8_t *frame; /* Borrowed super-frame; must stay until done. */
    uint32_t end;         /* Its bytes up to the end of the IP packet. */
    uint32_t next_ofs;    /* Payload offset of the next segment. */
    uint32_t index;       /* Segments produced so far. */
    uint16_t l3_ofs;      /* IP header. */
    uint16_t l4_ofs;      /* TCP/UDP header. */
    uint16_t hdr_size;    /* Every header, L2 to L4: copied per segment. */
    uint16_t mss;         /* Payload bytes per segment (the last: less). */
    bool ipv6;
    bool tcp;
    bool done;
};

/* Prepares to segment the super-frame at 'frame' ('size' bytes) that 'vh'
 * describes; 'mtu' caps TCP segments (IP bytes; 0 = no cap).  Returns 0,
 * -EINVAL for malformed input or an unknown 'gso_type', -EMSGSIZE when a
 * UDP segment would exceed 'mtu'. */
int offload_gso_start(struct offload_gso *, const uint8_t *frame,
                      uint32_t size, const struct virtio_net_hdr *vh,
                      uint32_t mtu);

/* Writes the next segment into 'out' ('room' bytes).  Returns its size,
 * -ENOSPC when it does not fit (the segmentation stays where it was), or
 * -EINVAL after the last one. */
int offload_gso_next(struct offload_gso *, uint8_t *out, uint32_t room);

/* Have all segments been produced? */
static inline bool
offload_gso_done(const struct offload_gso *gso)
{
    return gso->done;
}

/* Inserts a tag ('tpid', then 'tci') after the 12 bytes of MAC addresses
 * of the frame at 'frame' by moving those 4 bytes towards the front: the
 * 4 bytes before 'frame' must be writable, and the tagged frame of
 * 'size' + 4 bytes starts at 'frame' - 4.  Returns 0, or -EINVAL when
 * 'size' < 12. */
int offload_vlan_push(uint8_t *frame, uint32_t size, uint16_t tpid,
                      uint16_t tci);

#endif
