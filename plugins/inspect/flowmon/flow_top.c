#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* qsort_r() */
#endif
#include "flow_top.h"

#include <stdlib.h>
#include <string.h>

struct flow_top {
    uint32_t cap;   /* 'n'. */
    uint32_t count; /* Items kept. */
    size_t item_size;
    flow_top_rank_fn rank;
    uint32_t *heap;       /* Indices into 'items'; heap[0] is the worst. */
    unsigned char *items; /* cap * item_size bytes. */
};

static const void *
item_at(const struct flow_top *t, uint32_t i)
{
    return t->items + (size_t) i * t->item_size;
}

/* Does heap position 'a' rank below heap position 'b'? */
static bool
heap_below(const struct flow_top *t, uint32_t a, uint32_t b)
{
    return t->rank(item_at(t, t->heap[a]), item_at(t, t->heap[b])) < 0;
}

static void
heap_swap(struct flow_top *t, uint32_t a, uint32_t b)
{
    uint32_t x = t->heap[a];

    t->heap[a] = t->heap[b];
    t->heap[b] = x;
}

static void
sift_up(struct flow_top *t, uint32_t i)
{
    while (i > 0 && heap_below(t, i, (i - 1) / 2)) {
        heap_swap(t, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void
sift_down(struct flow_top *t, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;

        if (l < t->count && heap_below(t, l, m))
            m = l;
        if (r < t->count && heap_below(t, r, m))
            m = r;
        if (m == i)
            return;
        heap_swap(t, i, m);
        i = m;
    }
}

struct flow_top *
flow_top_create(uint32_t n, size_t item_size, flow_top_rank_fn rank)
{
    struct flow_top *t;

    if (n == 0 || item_size == 0)
        return NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cap = n;
    t->item_size = item_size;
    t->rank = rank;
    t->heap = calloc(n, sizeof(*t->heap));
    t->items = calloc(n, item_size);
    if (!t->heap || !t->items) {
        flow_top_destroy(t);
        return NULL;
    }
    return t;
}

void
flow_top_destroy(struct flow_top *t)
{
    if (!t)
        return;
    free(t->heap);
    free(t->items);
    free(t);
}

bool
flow_top_offer(struct flow_top *t, const void *item)
{
    uint32_t slot;

    if (t->count < t->cap) {
        slot = t->count;
        memcpy(t->items + (size_t) slot * t->item_size, item, t->item_size);
        t->heap[t->count++] = slot;
        sift_up(t, t->count - 1);
        return true;
    }
    if (t->rank(item, item_at(t, t->heap[0])) <= 0)
        return false;
    memcpy(t->items + (size_t) t->heap[0] * t->item_size, item, t->item_size);
    sift_down(t, 0);
    return true;
}

uint32_t
flow_top_count(const struct flow_top *t)
{
    return t->count;
}

static int
best_first(const void *a, const void *b, void *rank)
{
    return (*(flow_top_rank_fn *) rank)(b, a);
}

uint32_t
flow_top_sorted(const struct flow_top *t, void *out)
{
    flow_top_rank_fn rank = t->rank;

    /* Slots [0, count) are all in use: the heap only ever reuses them. */
    memcpy(out, t->items, (size_t) t->count * t->item_size);
    qsort_r(out, t->count, t->item_size, best_first, &rank);
    return t->count;
}
