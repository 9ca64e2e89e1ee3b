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
 * The file is created (truncated) only when the switch starts running,
 * not when the mirror is set up: 'xswd --check' must not destroy the
 * capture of an earlier run.  Set-up still checks that it could be
 * created, so a mistake is reported with the configuration's errors.
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
    const char *path;   /* File to write (truncated); copied. */
    const char *filter; /* BPF expression; "" matches every packet. */
    uint32_t snaplen;   /* Bytes kept of each frame, >= 1. */
};

/**
 * mirror_create - compile the filter and check that the file could be
 *                 created, without touching it
 * @param why  on failure, one line saying what is wrong (no file name
 *             for a filter error; "PATH: reason" for a file error)
 * @return 0, -EINVAL for a filter that does not compile, -errno when the
 *         file could not be created, -ENOMEM.
 */
int mirror_create(const struct mirror_settings *, struct mirror **out,
                  char *why, size_t why_size);

/**
 * mirror_start - create (truncate) the file; a no-op once it is open
 * @param why  on failure, "PATH: reason"
 * @return 0, or -errno; the mirror then writes nothing.
 */
int mirror_start(struct mirror *, char *why, size_t why_size);

/** mirror_match - does 'pkt' pass the filter? */
bool mirror_match(const struct mirror *, const struct xsw_packet *pkt);

/**
 * mirror_write - append 'pkt' to the file (stamped with pkt->ts_ns)
 * @return whether it was written: false before mirror_start() succeeded.
 */
bool mirror_write(struct mirror *, const struct xsw_packet *pkt);

/** mirror_close - flush and close the file, if any, and free the mirror;
 *                 NULL is a no-op. */
void mirror_close(struct mirror *);

#endif
