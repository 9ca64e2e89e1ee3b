/* Packet mirror
 * =============
 * Copies the packets that match a BPF expression (tcpdump syntax) into a
 * pcap file, each with its own arrival time on the switch clock, cut to
 * 'snaplen' bytes.  The filter is compiled once, for Ethernet frames, and
 * run per packet with pcap_offline_filter(): no kernel, no live capture.
 *
 * The filter sees the frame as it is on the wire, so a tagged frame needs
 * the 'vlan' keyword, as with tcpdump ("vlan and tcp port 80").
 *
 * Threads: one thread at a time. */
#ifndef FLOWMON_MIRROR_H
#define FLOWMON_MIRROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xsw/packet.h>

struct mirror; /* Opaque. */

struct mirror_settings {
    const char *path;   /* File to write (truncated); caller keeps it. */
    const char *filter; /* BPF expression; "" matches every packet. */
    uint32_t snaplen;   /* Bytes kept of each frame, >= 1. */
};

/**
 * mirror_open - compile the filter and create the file
 * @param why  on failure, one line saying what is wrong (no file name
 *             for a filter error; "PATH: reason" for a file error)
 * @return 0, -EINVAL for a filter that does not compile, -errno when the
 *         file cannot be created, -ENOMEM.
 */
int mirror_open(const struct mirror_settings *, struct mirror **out, char *why,
                size_t why_size);

/** mirror_match - does 'pkt' pass the filter? */
bool mirror_match(const struct mirror *, const struct xsw_packet *pkt);

/** mirror_write - append 'pkt' to the file (stamped with pkt->ts_ns). */
void mirror_write(struct mirror *, const struct xsw_packet *pkt);

/** mirror_close - flush and close the file; NULL is a no-op. */
void mirror_close(struct mirror *);

#endif
