#include "pkt.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(offsetof(struct pkt, p) == 0,
               "struct xsw_packet must open struct pkt");

struct pkt_pool {
    struct pkt *free;
    uint32_t n_free, n_pkts;
    struct pkt *mem;
};

struct pkt_pool *
pkt_pool_create(uint32_t n_pkts, struct xsw_err *err)
{
    struct pkt_pool *pool = calloc(1, sizeof *pool);
    uint32_t i;

    if (!pool || !n_pkts
        || !(pool->mem = malloc((size_t) n_pkts * sizeof *pool->mem))) {
        free(pool);
        xsw_err_set(err, -ENOMEM, "cannot allocate %u packet buffers",
                    n_pkts);
        return NULL;
    }
    pool->n_pkts = n_pkts;
    for (i = n_pkts; i-- > 0;) {
        pool->mem[i].next = pool->free;
        pool->free = &pool->mem[i];
    }
    pool->n_free = n_pkts;
    return pool;
}

void
pkt_pool_destroy(struct pkt_pool *pool)
{
    if (!pool)
        return;
    free(pool->mem);
    free(pool);
}

/* Zeroes everything before the buffer; the buffer itself is not. */
void
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

bool
pkt_bounds_ok(const struct pkt *pkt)
{
    const uint8_t *end = pkt->buf + sizeof pkt->buf;

    return pkt->p.data >= pkt->buf && pkt->p.data <= end
           && pkt->p.size >= 14 && pkt->p.size <= (size_t) (end - pkt->p.data)
           && pkt->p.headroom == pkt->p.data - pkt->buf
           && pkt->p.tailroom == end - pkt->p.data - pkt->p.size;
}

struct pkt *
pkt_alloc(struct pkt_pool *pool, uint32_t size)
{
    struct pkt *pkt = pool->free;

    if (!pkt || size > PKT_FRAME_MAX)
        return NULL;
    pool->free = pkt->next;
    pool->n_free--;
    pkt_init(pkt, size);
    return pkt;
}

void
pkt_free(struct pkt_pool *pool, struct pkt *pkt)
{
    pkt->next = pool->free;
    pool->free = pkt;
    pool->n_free++;
}

struct pkt *
pkt_clone(struct pkt_pool *pool, const struct pkt *src)
{
    struct pkt *pkt = pkt_alloc(pool, 0);
    ptrdiff_t ofs = src->p.data - src->buf;

    if (!pkt)
        return NULL;
    memcpy(pkt, src, offsetof(struct pkt, buf));
    memcpy(pkt->buf + ofs, src->p.data, src->p.size);
    pkt->p.data = pkt->buf + ofs;
    pkt->next = NULL;
    pkt->pending = 0;
    return pkt;
}

uint32_t
pkt_pool_available(const struct pkt_pool *pool)
{
    return pool->n_free;
}
