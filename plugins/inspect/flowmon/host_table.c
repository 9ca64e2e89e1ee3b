#include "host_table.h"

#include <stdlib.h>
#include <string.h>

#include "lru_table.h"

/* The hosts live in an LRU table (lru_table.h) in which only unreferenced
 * hosts are queued, oldest unreferenced first out.  Hosts are only ever
 * evicted, never removed otherwise, so slots [0, n) all hold hosts. */
struct host_table {
    struct lru_table lru; /* Of struct host_rec, keyed by rec.key. */
};

_Static_assert(offsetof(struct host_rec, key) == 0,
               "a host opens with its key");
_Static_assert(_Alignof(struct host_rec) <= LRU_TABLE_ALIGN,
               "the LRU table aligns hosts");

static uint32_t host_key_hash(const struct host_key *key);

struct host_table *
host_table_create(uint32_t capacity)
{
    struct host_table *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    if (lru_table_init(&t->lru, capacity, sizeof(struct host_rec))) {
        free(t);
        return NULL;
    }
    return t;
}

void
host_table_destroy(struct host_table *t)
{
    if (!t)
        return;
    lru_table_fini(&t->lru);
    free(t);
}

uint32_t
host_table_ref(struct host_table *t, const struct host_key *key, bool *evicted)
{
    uint32_t hash = host_key_hash(key);
    uint32_t idx = lru_table_find(&t->lru, key, sizeof(*key), hash);
    struct host_rec *h;
    bool full;

    *evicted = false;
    if (idx != LRU_NONE) {
        h = lru_table_entry(&t->lru, idx);
        if (h->refs++ == 0)
            lru_table_hold(&t->lru, idx);
        return idx;
    }
    /* Only unreferenced hosts are queued: room is made from the one
     * unreferenced longest, if any. */
    full = lru_table_is_full(&t->lru);
    idx = lru_table_add(&t->lru, hash);
    if (idx == LRU_NONE)
        return HOST_NONE;
    *evicted = full;
    h = lru_table_entry(&t->lru, idx);
    memset(h, 0, sizeof(*h));
    h->key = *key;
    h->refs = 1;
    return idx;
}

void
host_table_unref(struct host_table *t, uint32_t idx)
{
    struct host_rec *h = lru_table_entry(&t->lru, idx);

    if (--h->refs == 0)
        lru_table_touch(&t->lru, idx);
}

struct host_rec *
host_table_get(struct host_table *t, uint32_t idx)
{
    return lru_table_entry(&t->lru, idx);
}

uint32_t
host_table_count(const struct host_table *t)
{
    return lru_table_count(&t->lru);
}

const struct host_rec *
host_table_next(const struct host_table *t, const struct host_rec *rec)
{
    uint32_t idx = lru_table_next(&t->lru, rec ? lru_table_index(&t->lru, rec)
                                               : LRU_NONE);

    return idx == LRU_NONE ? NULL : lru_table_entry(&t->lru, idx);
}

static uint32_t
host_key_hash(const struct host_key *key)
{
    const uint8_t *p = (const uint8_t *) key;
    uint32_t h = 2166136261u; /* FNV-1a: once per new flow, not per packet.*/
    size_t i;

    for (i = 0; i < sizeof(*key); i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (h >> 15);
}
