#include "lru_table.h"

#include <errno.h>
#include <stdlib.h>

int
lru_table_init(struct lru_table *t, uint32_t capacity, size_t entry_size)
{
    uint32_t n_buckets = 16;

    memset(t, 0, sizeof(*t));
    if (capacity == 0 || capacity > LRU_TABLE_MAX || entry_size == 0 ||
        entry_size > LRU_TABLE_MAX)
        return -EINVAL;
    while (n_buckets < capacity)
        n_buckets <<= 1;
    /* Rounded up, so that the next slot's node and entry stay aligned. */
    entry_size = (entry_size + LRU_TABLE_ALIGN - 1) / LRU_TABLE_ALIGN;
    t->stride = sizeof(struct lru_node) + entry_size * LRU_TABLE_ALIGN;
    t->capacity = capacity;
    t->mask = n_buckets - 1;
    t->slots = calloc(capacity, t->stride);
    t->buckets = calloc(n_buckets, sizeof(*t->buckets));
    if (!t->slots || !t->buckets) {
        lru_table_fini(t);
        return -ENOMEM;
    }
    return 0;
}

void
lru_table_fini(struct lru_table *t)
{
    free(t->slots);
    free(t->buckets);
    memset(t, 0, sizeof(*t));
}

uint32_t
lru_table_next(const struct lru_table *t, uint32_t idx)
{
    uint32_t i = idx == LRU_NONE ? 0 : idx + 1;

    for (; i < t->n_used; i++) {
        if (lru_table_node(t, i)->newer != LRU_LINK_FREE)
            return i;
    }
    return LRU_NONE;
}
