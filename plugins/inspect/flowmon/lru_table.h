/* LRU table
 * =========
 * The storage under flowmon's flow and host tables: a fixed number of
 * entries of one size, found by key through a hash, and a recency queue
 * that says which entry makes room for a new one.  What an entry holds,
 * how its key is hashed and what dropping it means stay with the user.
 *
 * Memory.  lru_table_init() allocates every slot and bucket; nothing is
 * allocated afterwards (calloc() maps the pages lazily, so untouched slots
 * cost no RAM).  A slot is a small node (hash, chain and queue links)
 * followed by the entry, so a probe reads one place: the hash and the
 * key's first bytes share a cache line.  Entries are aligned to
 * LRU_TABLE_ALIGN bytes and addressed by index (0 .. capacity - 1).
 *
 * Keys.  An entry begins with its key, compared byte for byte (so the key
 * type must have no padding, or zeroed padding) once the hash the caller
 * computed matches.  The table links and unlinks slots; the caller writes
 * the whole entry, key first, into the slot lru_table_add() returns.
 *
 * Queue.  An entry is either queued (may be dropped; newest to oldest) or
 * held (stays).  A new entry is held; lru_table_touch() queues it as the
 * newest, or moves it there; lru_table_hold() takes it out.  The flow table
 * queues every flow and touches it on each packet (a plain LRU); the host
 * table queues only the hosts no flow refers to (a FIFO of idle hosts).
 * When every slot holds an entry, lru_table_add() reuses the oldest queued
 * entry's slot (it fails if none is queued); the user checks
 * lru_table_is_full() first and, if so, ends lru_table_oldest() its own way
 * while the entry can still be read.
 *
 * Speed.  Everything a packet or a new flow calls is static inline below,
 * so that with a constant 'key_size' the compiler inlines memcmp() and
 * nothing goes through a call or a pointer: this is why the struct is not
 * opaque.  (Out of line, with the key copied and the entry zeroed inside,
 * a replay that makes a flow per packet ran 11% more instructions.)
 * Turning an entry pointer back into an index divides, so only the walks
 * do it.
 *
 * Threads: one thread at a time. */
#ifndef FLOWMON_LRU_TABLE_H
#define FLOWMON_LRU_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LRU_NONE UINT32_MAX      /* No entry: an index, not found, full. */
#define LRU_TABLE_MAX (1u << 31) /* Largest capacity and entry size. */
#define LRU_TABLE_ALIGN 8u       /* Alignment of every entry. */

/* Links between slots are 'index + 1', so that 0 means none and slots
 * fresh from calloc() are already unlinked (and a link minus one is an
 * index, or LRU_NONE).  A slot's 'newer' link also says whether it is
 * queued: these two values, above any link, mean it is not. */
#define LRU_LINK_HELD UINT32_MAX       /* In the table, not queued. */
#define LRU_LINK_FREE (UINT32_MAX - 1) /* On the free list. */

/* The head of every slot; the entry follows it. */
struct lru_node {
    uint32_t hash;  /* The caller's hash of the entry's key. */
    uint32_t chain; /* Next slot in the bucket, or on the free list. */
    uint32_t newer; /* Queue neighbour towards the newest, or LRU_LINK_*. */
    uint32_t older; /* Queue neighbour towards the oldest. */
};

_Static_assert(sizeof(struct lru_node) % LRU_TABLE_ALIGN == 0,
               "the entry after the node is aligned");

/* Every field is the table's: users go through the functions below. */
struct lru_table {
    uint8_t *slots;    /* 'capacity' slots of 'stride' bytes; owned. */
    uint32_t *buckets; /* mask + 1 chain heads (links); owned. */
    size_t stride;     /* Node plus entry, rounded to LRU_TABLE_ALIGN. */
    uint32_t mask;     /* Buckets - 1 (a power of two - 1). */
    uint32_t capacity; /* Slots. */
    uint32_t n_used;   /* Slots [0, n_used) have been handed out once. */
    uint32_t count;    /* Entries in the table. */
    uint32_t free;     /* Removed slots, through 'chain' (LIFO). */
    uint32_t newest;   /* Queue head: the last touched. */
    uint32_t oldest;   /* Queue tail: the next to make room. */
};

/**
 * lru_table_init - make 't' an empty table of 'capacity' entries of
 *                  'entry_size' bytes
 * @return 0; -EINVAL when 'capacity' or 'entry_size' is 0 or above
 *         LRU_TABLE_MAX; -ENOMEM.  On error 't' needs no fini.
 */
int lru_table_init(struct lru_table *t, uint32_t capacity, size_t entry_size);

/** lru_table_fini - free what lru_table_init() allocated. */
void lru_table_fini(struct lru_table *t);

/**
 * lru_table_next - iterate over the entries in slot order
 * @param idx  LRU_NONE to start, then the previous result
 * @return the next entry's index, or LRU_NONE after the last.
 */
uint32_t lru_table_next(const struct lru_table *t, uint32_t idx);

/* The node of the slot at index 'idx'; for the functions below. */
static inline struct lru_node *
lru_table_node(const struct lru_table *t, uint32_t idx)
{
    return (struct lru_node *) (void *) (t->slots + (size_t) idx * t->stride);
}

/** lru_table_entry - the entry at index 'idx'. */
static inline void *
lru_table_entry(const struct lru_table *t, uint32_t idx)
{
    return lru_table_node(t, idx) + 1;
}

/** lru_table_index - the index of 'entry' (from lru_table_entry()). */
static inline uint32_t
lru_table_index(const struct lru_table *t, const void *entry)
{
    const uint8_t *node = (const uint8_t *) entry - sizeof(struct lru_node);

    return (uint32_t) ((size_t) (node - t->slots) / t->stride);
}

/** lru_table_count - entries in the table. */
static inline uint32_t
lru_table_count(const struct lru_table *t)
{
    return t->count;
}

/** lru_table_is_full - would lru_table_add() reuse a queued entry's slot? */
static inline bool
lru_table_is_full(const struct lru_table *t)
{
    return t->count == t->capacity;
}

/**
 * lru_table_find - the index of the entry whose first 'key_size' bytes are
 *                  'key''s, or LRU_NONE; changes nothing
 */
static inline uint32_t
lru_table_find(const struct lru_table *t, const void *key, size_t key_size,
               uint32_t hash)
{
    uint32_t l = t->buckets[hash & t->mask];

    while (l) {
        const struct lru_node *n = lru_table_node(t, l - 1);

        if (n->hash == hash && !memcmp(n + 1, key, key_size))
            return l - 1;
        l = n->chain;
    }
    return LRU_NONE;
}

/** lru_table_oldest - the oldest queued entry (next to go), or LRU_NONE. */
static inline uint32_t
lru_table_oldest(const struct lru_table *t)
{
    return t->oldest - 1;
}

/** lru_table_newest - the newest queued entry, or LRU_NONE. */
static inline uint32_t
lru_table_newest(const struct lru_table *t)
{
    return t->newest - 1;
}

/**
 * lru_table_older - the queued entry after queued entry 'idx' towards the
 *                   oldest, or LRU_NONE
 */
static inline uint32_t
lru_table_older(const struct lru_table *t, uint32_t idx)
{
    return lru_table_node(t, idx)->older - 1;
}

/* Unlinks queued node 'n' from its neighbours (its own links go stale). */
static inline void
lru_table_unqueue(struct lru_table *t, const struct lru_node *n)
{
    if (n->newer)
        lru_table_node(t, n->newer - 1)->older = n->older;
    else
        t->newest = n->older;
    if (n->older)
        lru_table_node(t, n->older - 1)->newer = n->newer;
    else
        t->oldest = n->newer;
}

/**
 * lru_table_touch - make entry 'idx' the newest queued, queuing it if held
 */
static inline void
lru_table_touch(struct lru_table *t, uint32_t idx)
{
    struct lru_node *n;

    if (t->newest == idx + 1)
        return;
    n = lru_table_node(t, idx);
    if (n->newer != LRU_LINK_HELD)
        lru_table_unqueue(t, n);
    n->newer = 0;
    n->older = t->newest;
    if (t->newest)
        lru_table_node(t, t->newest - 1)->newer = idx + 1;
    else
        t->oldest = idx + 1;
    t->newest = idx + 1;
}

/** lru_table_hold - take entry 'idx' out of the queue, if it is queued. */
static inline void
lru_table_hold(struct lru_table *t, uint32_t idx)
{
    struct lru_node *n = lru_table_node(t, idx);

    if (n->newer != LRU_LINK_HELD) {
        lru_table_unqueue(t, n);
        n->newer = LRU_LINK_HELD;
    }
}

/* Takes entry 'idx' out of its bucket and the queue (not out of 'count'),
 * leaving it held. */
static inline void
lru_table_unlink(struct lru_table *t, uint32_t idx)
{
    struct lru_node *n = lru_table_node(t, idx);
    uint32_t *pl = &t->buckets[n->hash & t->mask];

    while (*pl != idx + 1)
        pl = &lru_table_node(t, *pl - 1)->chain;
    *pl = n->chain;
    lru_table_hold(t, idx);
}

/**
 * lru_table_add - a slot for a new entry, linked under 'hash' and held: a
 *                 removed one, else a never used one, else the oldest
 *                 queued entry's (which leaves the table)
 * @return its index, or LRU_NONE when the table is full and nothing is
 *         queued.  The slot holds whatever it held before: the caller
 *         writes the whole entry, key first (a key not in the table).
 */
static inline uint32_t
lru_table_add(struct lru_table *t, uint32_t hash)
{
    uint32_t idx, *head;
    struct lru_node *n;

    if (t->free) {
        idx = t->free - 1;
        t->free = lru_table_node(t, idx)->chain;
    } else if (t->n_used < t->capacity) {
        idx = t->n_used++;
    } else if (t->oldest) {
        idx = t->oldest - 1;
        lru_table_unlink(t, idx);
        t->count--;
    } else {
        return LRU_NONE;
    }
    n = lru_table_node(t, idx);
    n->hash = hash;
    head = &t->buckets[hash & t->mask];
    n->chain = *head;
    *head = idx + 1;
    n->newer = LRU_LINK_HELD;
    t->count++;
    return idx;
}

/** lru_table_remove - take entry 'idx' out; its slot is the next added. */
static inline void
lru_table_remove(struct lru_table *t, uint32_t idx)
{
    struct lru_node *n = lru_table_node(t, idx);

    lru_table_unlink(t, idx);
    n->newer = LRU_LINK_FREE;
    n->chain = t->free;
    t->free = idx + 1;
    t->count--;
}

#endif
