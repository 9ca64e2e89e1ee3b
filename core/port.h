/* Ports
 * =====
 * A port is where frames enter and leave the switch.  Every kind of port
 * (pcap files now; AF_PACKET, TAP and team ports later) is a driver behind
 * one ops table, so the datapath never asks what kind a port is.  Ports
 * have dense ids 0..n-1 in config order: extensions name them by id.
 *
 * State.  A port is usable when its link is up ('up', which live drivers
 * follow through netlink; replay ports are always up) and the operator has
 * not set it administratively down ('admin_up', xswctl port set): an
 * admin-down port neither receives nor transmits, and every frame it
 * receives or would send is dropped with a named reason.  Its VLAN policy
 * ('vlan') starts as the config says and may be changed the same way, so
 * the datapath reads it here, never from the config.
 *
 * Counters.  'rx' counts frames received, 'tx' frames sent.  Every frame
 * received is, in the end, either 'delivered' (sent on at least one port)
 * or 'dropped' (with a reason, see drops.h): rx = delivered + dropped. */
#ifndef XSW_PORT_H
#define XSW_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"

struct nl_link_info;
struct pkt;
struct port;

struct port_ops {
    const char *type;

    /* Opens the port as 'cfg' says.  Returns 0 or a negative errno with
     * 'err' set; on failure the port holds nothing. */
    int (*open)(struct port *, const struct port_config *cfg,
                struct xsw_err *err);

    /* Releases everything; called once, also after a failed open. */
    void (*close)(struct port *);

    /* Replay ports (may be NULL): the timestamp of the next frame to
     * receive; returns 0, -ENOENT when the input is exhausted, or
     * -EBADMSG when it is damaged (after saying why): the input ends
     * there and the replay fails. */
    int (*rx_peek)(struct port *, uint64_t *ts_ns);

    /* Receives the next frame into 'pkt' (whose buffer holds
     * PKT_FRAME_MAX bytes) and sets its size and ts_ns.  Returns 0, a
     * positive drop id (the frame was consumed and must be counted as
     * dropped), or -ENOENT at the end of input. */
    int (*rx)(struct port *, struct pkt *pkt);

    /* Sends one frame; the caller keeps ownership of 'frame'.  Returns 0
     * or a negative errno. */
    int (*tx)(struct port *, const uint8_t *frame, uint32_t size,
              uint64_t ts_ns);

    /* Replay ports (may be NULL): bytes of input read so far and in all,
     * for the progress line. */
    void (*rx_position)(struct port *, uint64_t *done, uint64_t *total);

    /* Flushes buffered output (after every batch, and at the end).
     * Returns 0, or a negative errno when output was lost (a capture file
     * could not be written); the switch then logs it once and a replay
     * ends with status 1. */
    int (*flush)(struct port *);

    /* --- Live ports (all may be NULL for replay-only drivers) --------- */

    /* The descriptor that becomes readable (POLLIN) when frames wait, or
     * -1 while the port has none (its device is gone).  With it, rx()
     * returns -EAGAIN when nothing waits; it never blocks. */
    int (*rx_fd)(struct port *);

    /* The link this port is attached to changed (netlink.h): it went up
     * or down, changed its MTU or MAC, disappeared ('info->exists' false)
     * or came back (then the driver re-attaches, e.g. to the new
     * ifindex).  Returns whether the port is now up. */
    bool (*link_event)(struct port *, const struct nl_link_info *info);

    /* The kernel name of the device this port watches on netlink, or
     * NULL. */
    const char *(*device)(const struct port *);

    /* The driver's own counters (offloads finished, ring drops, ...), one
     * 'cb' call each, for the summary (may be NULL). */
    void (*stats)(const struct port *,
                  void (*cb)(void *arg, const char *name, uint64_t value),
                  void *arg);
};

struct port {
    uint16_t id;
    char *name;
    const struct port_ops *ops;
    const struct port_config *cfg;   /* Owned by the switch's config;
                                      * NULL once removed. */
    void *priv;                      /* The driver's state. */
    bool rx_done;                    /* Replay input exhausted. */
    bool rx_damaged;                 /* ... because it was damaged. */
    bool up;                         /* Link up (replay ports: always). */
    bool admin_up;                   /* Not set down by the operator. */
    bool leaving;                    /* A reload in progress removes it. */
    struct vlan_config vlan;         /* The VLAN policy in force. */
    bool rx_error_logged;            /* One warning per port, not a flood.*/
    bool tx_error_logged;
    bool rx_more;                    /* Live: filled a batch; read again. */
    uint64_t rx, tx, delivered, dropped;
    /* Received frames switched although the parser flagged a bad or cut
     * short L3 header (XSW_PKT_F_L3_BAD, _L3_TRUNC: an IPv4 IHL or total
     * length that does not fit, an IPv6 extension chain running off the
     * end) or a short or bad L4 one (XSW_PKT_F_L4_TRUNC: a TCP data
     * offset that does not fit, ...): an L2 switch forwards them, and
     * counts them. */
    uint64_t l3_malformed, l4_malformed;
};

/* The driver for port type 'type', or NULL. */
const struct port_ops *port_ops_find(const char *type);

/* Sets the port up from its config (name, id, admin up, VLAN policy) and
 * opens its driver. */
int port_open(struct port *, uint16_t id, const struct port_config *,
              struct xsw_err *);
void port_close(struct port *);

/* Closes the driver and opens it again as 'cfg' says (a reload changed
 * its settings), keeping the id, counters and admin state; the VLAN policy
 * becomes the config's.  On failure the port has no driver. */
int port_reopen(struct port *, const struct port_config *,
                struct xsw_err *);

/* Closes the driver of a port a reload removed; the port keeps its id,
 * name and counters, and is never up again (port_removed_ops). */
void port_detach(struct port *);

extern const struct port_ops port_removed_ops;  /* port.c */

static inline bool
port_is_removed(const struct port *port)
{
    return port->ops == &port_removed_ops;
}

/* "pcap", "system", "tap", or "removed". */
static inline const char *
port_type(const struct port *port)
{
    return port->cfg ? port->cfg->type : port_removed_ops.type;
}

/* Is this a live port (one that needs the poll loop)? */
static inline bool
port_is_live(const struct port *port)
{
    return port->ops && port->ops->rx_fd != NULL;
}

extern const struct port_ops port_pcap_ops;
extern const struct port_ops port_system_ops;   /* port_system.c */
extern const struct port_ops port_tap_ops;      /* port_tap.c */

#endif
