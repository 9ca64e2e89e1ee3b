#include "host_table.h"

#include <stdlib.h>
#include <string.h>

/* Links are 'index + 1'; 0 means none (see flow_table.c). */
typedef uint32_t link_t;

struct host_slot {
    struct host_rec rec; /* First: a record pointer is a slot pointer. */
    uint32_t hash;
    link_t chain; /* Next in the bucket, or in the free list. */
    link_t newer; /* Unreferenced FIFO, towards the newest. */
    link_t older; /* Unreferenced FIFO, towards the next to evict. */
    uint8_t used; /* Holds a host. */
};

struct host_table {
    struct host_slot *slots;
    link_t *buckets;
    uint32_t mask;
    uint32_t capacity;
    uint32_t n_used; /* Slots [0, n_used) have been handed out once. */
    uint32_t count;  /* Hosts in the table. */
    link_t idle_new; /* Most recently unreferenced host. */
    link_t idle_old; /* The next host to evict. */
};

static struct host_slot *
slot_at(const struct host_table *t, link_t l)
{
    return &t->slots[l - 1];
}

static link_t
link_of(const struct host_table *t, const struct host_slot *s)
{
    return (link_t) (s - t->slots) + 1;
}

static uint32_t
key_hash(const struct host_key *key)
{
    const uint8_t *p = (const uint8_t *) key;
    uint32_t h = 2166136261u; /* FNV-1a: once per new flow, not per packet.*/
    size_t i;

    for (i = 0; i < sizeof(*key); i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (h >> 15);
}

struct host_table *
host_table_create(uint32_t capacity)
{
    struct host_table *t;
    uint32_t n_buckets = 16;

    if (capacity == 0)
        return NULL;
    while (n_buckets < capacity && n_buckets < (1u << 31))
        n_buckets <<= 1;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->capacity = capacity;
    t->mask = n_buckets - 1;
    t->slots = calloc(capacity, sizeof(*t->slots));
    t->buckets = calloc(n_buckets, sizeof(*t->buckets));
    if (!t->slots || !t->buckets) {
        host_table_destroy(t);
        return NULL;
    }
    return t;
}

void
host_table_destroy(struct host_table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->buckets);
    free(t);
}

static void
idle_unlink(struct host_table *t, struct host_slot *s)
{
    if (s->newer)
        slot_at(t, s->newer)->older = s->older;
    else
        t->idle_new = s->older;
    if (s->older)
        slot_at(t, s->older)->newer = s->newer;
    else
        t->idle_old = s->newer;
    s->newer = s->older = 0;
}

static void
idle_push(struct host_table *t, struct host_slot *s)
{
    link_t l = link_of(t, s);

    s->newer = 0;
    s->older = t->idle_new;
    if (t->idle_new)
        slot_at(t, t->idle_new)->newer = l;
    else
        t->idle_old = l;
    t->idle_new = l;
}

static void
bucket_unlink(struct host_table *t, struct host_slot *s)
{
    link_t *pl = &t->buckets[s->hash & t->mask];
    link_t l = link_of(t, s);

    while (*pl != l)
        pl = &slot_at(t, *pl)->chain;
    *pl = s->chain;
    s->chain = 0;
}

/* A slot for a new host: a never used one, else the oldest unreferenced
 * host's (hosts are only ever evicted, so there is no free list). */
static struct host_slot *
slot_take(struct host_table *t, bool *evicted)
{
    struct host_slot *s;

    *evicted = false;
    if (t->n_used < t->capacity)
        return &t->slots[t->n_used++];
    if (!t->idle_old)
        return NULL;
    s = slot_at(t, t->idle_old);
    idle_unlink(t, s);
    bucket_unlink(t, s);
    t->count--;
    *evicted = true;
    return s;
}

uint32_t
host_table_ref(struct host_table *t, const struct host_key *key, bool *evicted)
{
    uint32_t hash = key_hash(key);
    struct host_slot *s;
    link_t l, *head;

    *evicted = false;
    for (l = t->buckets[hash & t->mask]; l; l = slot_at(t, l)->chain) {
        s = slot_at(t, l);
        if (s->hash == hash && !memcmp(&s->rec.key, key, sizeof(*key))) {
            if (s->rec.refs++ == 0)
                idle_unlink(t, s);
            return l - 1;
        }
    }
    s = slot_take(t, evicted);
    if (!s)
        return HOST_NONE;
    memset(&s->rec, 0, sizeof(s->rec));
    s->rec.key = *key;
    s->rec.refs = 1;
    s->hash = hash;
    s->used = 1;
    head = &t->buckets[hash & t->mask];
    s->chain = *head;
    *head = link_of(t, s);
    t->count++;
    return link_of(t, s) - 1;
}

void
host_table_unref(struct host_table *t, uint32_t idx)
{
    struct host_slot *s = &t->slots[idx];

    if (--s->rec.refs == 0)
        idle_push(t, s);
}

struct host_rec *
host_table_get(struct host_table *t, uint32_t idx)
{
    return &t->slots[idx].rec;
}

uint32_t
host_table_count(const struct host_table *t)
{
    return t->count;
}

const struct host_rec *
host_table_next(const struct host_table *t, const struct host_rec *rec)
{
    uint32_t i =
        rec ? (uint32_t) ((const struct host_slot *) rec - t->slots) + 1 : 0;

    for (; i < t->n_used; i++) {
        if (t->slots[i].used)
            return &t->slots[i].rec;
    }
    return NULL;
}
