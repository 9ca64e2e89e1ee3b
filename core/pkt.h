/* Packet buffers and pool
 * =======================
 * A struct pkt is the core's packet: the SDK's struct xsw_packet first (so
 * a pointer converts both ways), then what only the core sees, then the
 * buffer (PKT_HEADROOM bytes, then room for a PKT_FRAME_MAX-byte frame,
 * then PKT_TAILROOM).  Buffers come from a pool allocated once; nothing on
 * the packet path calls malloc.  An empty pool is an ordinary, counted
 * event: the frame that needed a buffer is dropped ("packet buffer pool
 * exhausted").
 *
 * Fate.  A packet that goes to several ports may be copied (when egress
 * extensions could modify it); the copies share the fate of the packet
 * received ('origin'): it counts as delivered once when any copy is sent,
 * and as dropped, with the reason of its last copy, when none is.  This is
 * what makes 'rx = delivered + dropped' hold per port. */
#ifndef XSW_PKT_H
#define XSW_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

#include "err.h"

#define PKT_HEADROOM 128u    /* Room to push tags and tunnel headers. */
#define PKT_FRAME_MAX 9216u  /* The largest frame (jumbo), bytes. */
#define PKT_TAILROOM 64u
#define PKT_POOL_DEFAULT 4096u

struct pkt {
    struct xsw_packet p;   /* What extensions see; must be first. */
    uint16_t rx_port;      /* Where it arrived (XSW_PORT_NONE: injected);
                            * the core's own copy of p.in_port, which an
                            * extension could overwrite. */
    struct pkt *origin;    /* The received packet whose fate this shares
                            * (itself for originals). */
    struct pkt *next;      /* Free list / queue link. */
    uint32_t pending;      /* Originals: copies not yet sent or dropped. */
    uint16_t drop_id;      /* Originals: reason of the last copy dropped. */
    uint16_t chain_pos;    /* Injected RX: first chain position to run. */
    uint8_t delivered;     /* Originals: some copy was sent. */
    uint8_t fwd;           /* Forwarding decision (XSW_FWD_*). */
    uint8_t n_out;
    uint8_t injected;      /* Came from pkt_inject(), not from a port. */
    uint16_t out_ports[XSW_OUT_PORTS_MAX];
    uint8_t buf[PKT_HEADROOM + PKT_FRAME_MAX + PKT_TAILROOM];
};

struct pkt_pool;

struct pkt_pool *pkt_pool_create(uint32_t n_pkts, struct xsw_err *);
void pkt_pool_destroy(struct pkt_pool *);        /* NULL is a no-op. */

/* A packet with an empty frame of 'size' bytes at the standard headroom,
 * metadata zeroed; NULL when the pool is empty or size > PKT_FRAME_MAX. */
struct pkt *pkt_alloc(struct pkt_pool *, uint32_t size);
/* Makes 'pkt' (which need not come from a pool) a fresh, empty packet. */
void pkt_init(struct pkt *, uint32_t size);
/* Are the frame's bounds and room inside the buffer, as the core set
 * them up (an extension may have moved them)? */
bool pkt_bounds_ok(const struct pkt *);
void pkt_free(struct pkt_pool *, struct pkt *);
/* A copy of 'src' (frame and metadata) sharing its origin; NULL if empty.*/
struct pkt *pkt_clone(struct pkt_pool *, const struct pkt *src);
uint32_t pkt_pool_available(const struct pkt_pool *);

static inline struct pkt *
pkt_from_xsw(struct xsw_packet *p)
{
    return (struct pkt *) p;
}

#endif
