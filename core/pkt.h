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
 * what makes 'rx = delivered + dropped' hold per port.
 *
 * Speed.  Allocation, freeing, initialisation and the bounds check run for
 * every packet, several times each (tests/bench/xsw-bench-pipeline), so
 * they are inline and the pool's struct is in this header.  The pool hands
 * out never-used buffers from the end of its array only after its free
 * list is empty, so creating it touches none of them: a pool of 4096
 * buffers is 38 MB that a replay of small frames, recycling the same few
 * buffers, never faults in (it was 6% of a 1M-frame replay). */
#ifndef XSW_PKT_H
#define XSW_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* The pool: free buffers on a LIFO list (the most recently freed, still
 * in cache, go out first), then the buffers never handed out. */
struct pkt_pool {
    struct pkt *free;   /* Freed buffers, linked by 'next'. */
    uint32_t n_free;    /* Buffers available: the list plus the fresh. */
    uint32_t n_fresh;   /* mem[n_fresh..n_pkts-1] were never handed out. */
    uint32_t n_pkts;
    struct pkt *mem;    /* n_pkts buffers, owned. */
};

struct pkt_pool *pkt_pool_create(uint32_t n_pkts, struct xsw_err *);
void pkt_pool_destroy(struct pkt_pool *);        /* NULL is a no-op. */

/* Makes 'pkt' (which need not come from a pool) a fresh, empty packet of
 * 'size' bytes (at most PKT_FRAME_MAX) at the standard headroom. */
static inline void
pkt_init(struct pkt *pkt, uint32_t size)
{
    memset(pkt, 0, offsetof(struct pkt, buf));
    pkt->origin = pkt;
    pkt->p.data = pkt->buf + PKT_HEADROOM;
    pkt->p.size = size;
    pkt->p.headroom = PKT_HEADROOM;
    pkt->p.tailroom = (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - size);
    pkt->p.in_port = XSW_PORT_NONE;
    pkt->p.l3_ofs = pkt->p.l4_ofs = pkt->p.payload_ofs = XSW_OFS_NONE;
    pkt->rx_port = XSW_PORT_NONE;
}

/* Makes 'pkt' an empty packet for a port to receive a frame into, as
 * pkt_init(pkt, 0) does except for the metadata from 'vlan' on: the
 * parser resets all of it before anything reads it, and zeroing those
 * 126 bytes here as well was done twice for every received frame.  Only
 * for frames that are parsed or dropped, never read, before that. */
static inline void
pkt_init_rx(struct pkt *pkt)
{
    pkt->p.data = pkt->buf + PKT_HEADROOM;
    pkt->p.size = 0;
    pkt->p.headroom = PKT_HEADROOM;
    pkt->p.tailroom = PKT_FRAME_MAX + PKT_TAILROOM;
    pkt->p.ts_ns = 0;
    pkt->p.in_port = XSW_PORT_NONE;
    pkt->p.flags = 0;   /* The parser keeps some flags: none set yet. */
    memset(&pkt->rx_port, 0,
           offsetof(struct pkt, buf) - offsetof(struct pkt, rx_port));
    pkt->origin = pkt;
    pkt->rx_port = XSW_PORT_NONE;
}

/* A buffer from the pool, not initialised; NULL when the pool is empty. */
static inline struct pkt *
pkt_alloc_raw(struct pkt_pool *pool)
{
    struct pkt *pkt = pool->free;

    if (pkt)
        pool->free = pkt->next;
    else if (pool->n_fresh < pool->n_pkts)
        pkt = &pool->mem[pool->n_fresh++];
    else
        return NULL;
    pool->n_free--;
    return pkt;
}

/* A packet with an empty frame of 'size' bytes at the standard headroom,
 * metadata zeroed; NULL when the pool is empty or size > PKT_FRAME_MAX. */
static inline struct pkt *
pkt_alloc(struct pkt_pool *pool, uint32_t size)
{
    struct pkt *pkt = size <= PKT_FRAME_MAX ? pkt_alloc_raw(pool) : NULL;

    if (pkt)
        pkt_init(pkt, size);
    return pkt;
}

/* Are the frame's bounds and room inside the buffer, as the core set
 * them up (an extension may have moved them)? */
static inline bool
pkt_bounds_ok(const struct pkt *pkt)
{
    /* 'data' is 'headroom' bytes into the buffer, and headroom, frame and
     * tailroom add up to the buffer: that puts the frame inside it, and
     * says in two compares what took six (the core checks this after
     * every filter, forward and firewall extension, for every packet).
     * The sum cannot wrap: a uint32_t and two uint16_t in 64 bits. */
    return (uintptr_t) pkt->p.data - (uintptr_t) pkt->buf == pkt->p.headroom
           && (uint64_t) pkt->p.headroom + pkt->p.size + pkt->p.tailroom
                  == sizeof pkt->buf
           && pkt->p.size >= 14;
}

static inline void
pkt_free(struct pkt_pool *pool, struct pkt *pkt)
{
    pkt->next = pool->free;
    pool->free = pkt;
    pool->n_free++;
}

/* A copy of 'src' (frame and metadata) sharing its origin; NULL if empty.*/
struct pkt *pkt_clone(struct pkt_pool *, const struct pkt *src);
uint32_t pkt_pool_available(const struct pkt_pool *);

static inline struct pkt *
pkt_from_xsw(struct xsw_packet *p)
{
    return (struct pkt *) p;
}

#endif
