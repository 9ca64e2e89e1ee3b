/* Test frames for the firewall's unit tests
 * ==========================================
 * The unit tests compile the firewall's own .c files and not the core, so
 * they cannot call the core's parser.  fwt_build() writes a frame from a
 * short description and fills the struct xsw_packet metadata the way the
 * parser contract (contracts.md) says: offsets, ethertype, IP version and
 * protocol, addresses, ports (ICMP type/code), TCP flags, VLAN.  Checksums
 * in the frame are correct.  fwt_csum_ok() checks a frame's IPv4 header
 * and L4 checksums by summing them from scratch. */
#ifndef FWT_H
#define FWT_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

#define FWT_FRAME_MAX 2048

struct fwt_spec {
    uint8_t family;     /* 4 or 6; 0 with 'ethertype' for non-IP. */
    uint16_t ethertype; /* For non-IP frames only. */
    const char *src;    /* IP addresses as text. */
    const char *dst;
    uint8_t proto;  /* 6, 17, 1, 58, 50... */
    uint16_t sport; /* TCP/UDP. */
    uint16_t dport;
    uint8_t tcp_flags;
    uint32_t seq, ack;
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id;
    uint16_t vlan;        /* 0: untagged. */
    uint32_t payload;     /* Payload bytes (0xab each). */
    const uint8_t *quote; /* ICMP errors: bytes after the 8-byte header. */
    uint32_t quote_size;
    uint32_t pad_to;  /* Zero-pad the frame to this size (Ethernet). */
    uint8_t dst_mac0; /* First byte of the destination MAC (0: 0x02). */
};

/* An IP packet from 'src' to 'dst' of 'proto' between ports 'sp', 'dp'. */
#define FWT_IP(fam, s, d, prot, sp, dp)                                       \
    (struct fwt_spec)                                                         \
    {                                                                         \
        .family = (fam), .src = (s), .dst = (d), .proto = (prot),             \
        .sport = (sp), .dport = (dp)                                          \
    }

struct fwt_pkt {
    struct xsw_packet pkt;
    uint8_t buf[FWT_FRAME_MAX];
};

/** fwt_build - write the frame 's' describes into 'out' and parse it. */
void fwt_build(struct fwt_pkt *out, const struct fwt_spec *s);

/** fwt_ip_datagram - the IP datagram of 'p' (after L2), for quoting. */
const uint8_t *fwt_ip_datagram(const struct fwt_pkt *p, uint32_t *size);

/** fwt_parse - fill the metadata of 'pkt' from its frame bytes. */
void fwt_parse(struct xsw_packet *pkt);

/**
 * fwt_csum_ok - are the IPv4 header checksum and the TCP/UDP/ICMP/ICMPv6
 *               checksum of 'frame' right?
 */
bool fwt_csum_ok(const uint8_t *frame, uint32_t size);

#endif
