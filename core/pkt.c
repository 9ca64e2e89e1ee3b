#include "pkt.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(offsetof(struct pkt, p) == 0,
               "struct xsw_packet must open struct pkt");

struct pkt_pool *
pkt_pool_create(uint32_t n_pkts, struct xsw_err *err)
{
    struct pkt_pool *pool = calloc(1, sizeof *pool);

    if (!pool || !n_pkts
        || !(pool->mem = malloc((size_t) n_pkts * sizeof *pool->mem))) {
        free(pool);
        xsw_err_set(err, -ENOMEM, "cannot allocate %u packet buffers",
                    n_pkts);
        return NULL;
    }
    /* Nothing is written to the buffers: see "Speed" in pkt.h. */
    pool->n_pkts = n_pkts;
    pool->n_fresh = 0;
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

struct pkt *
pkt_clone(struct pkt_pool *pool, const struct pkt *src)
{
    struct pkt *pkt = pkt_alloc_raw(pool);   /* All overwritten below. */
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
