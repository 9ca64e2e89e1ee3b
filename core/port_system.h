/* System ports (AF_PACKET): counters
 * ==================================
 * The driver itself is port_system_ops (port.h, type "system"): it
 * attaches to an existing kernel network device by name and switches the
 * frames that arrive on it and leave through it.  See port_system.c for
 * the design (receive ring, offloads, batching, re-attachment).
 *
 * This header only adds what the driver did beyond moving frames, for the
 * operator: how many super-frames it segmented, checksums it completed,
 * VLAN tags it put back, frames the kernel dropped because the receive
 * ring was full, and so on.  The names are stable (they are printed), one
 * X-macro list, in the order they are reported. */
#ifndef XSW_PORT_SYSTEM_H
#define XSW_PORT_SYSTEM_H

#include <stdint.h>

struct port;

#define PORT_SYSTEM_COUNTERS(_)                                               \
    _(gso_frames, "GSO super-frames received and segmented")                  \
    _(gso_segments, "segments made from them")                                \
    _(csum_completed, "partial checksums completed")                          \
    _(vlan_restored, "out-of-band VLAN tags put back into the frame")         \
    _(bad_offload, "frames whose offload metadata could not be applied")      \
    _(rx_truncated, "frames larger than a ring block (truncated)")            \
    _(ring_drops, "frames the kernel dropped: receive ring full")             \
    _(ring_freezes, "times the receive ring was full")                        \
    _(tx_batches, "sendmmsg() calls")                                         \
    _(tx_errors, "frames the kernel refused to send")                         \
    _(tx_dropped, "frames dropped: socket send buffer full")                  \
    _(attaches, "times the port attached to its device")

/* Calls 'cb' once per counter of PORT_SYSTEM_COUNTERS with its name and
 * value.  Does nothing for a port of another type.  Reading the ring
 * counters also collects them from the kernel (PACKET_STATISTICS, which
 * resets on read), so call it from the datapath thread. */
void port_system_stats(const struct port *,
                       void (*cb)(void *arg, const char *name, uint64_t value),
                       void *arg);

#endif
