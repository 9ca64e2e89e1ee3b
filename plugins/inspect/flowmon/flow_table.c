#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

/* Links between slots are 'index + 1', so that 0 means none and a table
 * fresh from calloc() is already a valid empty table. */
typedef uint32_t link_t;

struct flow_slot {
    struct flow_rec rec; /* First: a record pointer is a slot pointer. */
    uint32_t hash;       /* Bucket hash of rec.key. */
    link_t chain;        /* Next slot in the bucket, or in the free list. */
    link_t newer;        /* LRU neighbour towards the head. */
    link_t older;        /* LRU neighbour towards the tail. */
};

struct flow_table {
    struct flow_table_settings set;
    struct flow_slot *slots; /* set.max_flows of them. */
    link_t *buckets;         /* mask + 1 chain heads. */
    uint32_t mask;
    uint32_t n_used;  /* Slots [0, n_used) have been handed out once. */
    uint32_t count;   /* Records in the table. */
    link_t free_list; /* Slots handed back, through 'chain'. */
    link_t lru_head;  /* Most recently used. */
    link_t lru_tail;  /* Least recently used: the next to go. */
};

static struct flow_slot *
slot_at(const struct flow_table *t, link_t l)
{
    return &t->slots[l - 1];
}

static link_t
link_of(const struct flow_table *t, const struct flow_slot *s)
{
    return (link_t) (s - t->slots) + 1;
}

struct flow_table *
flow_table_create(const struct flow_table_settings *set)
{
    struct flow_table *t;
    uint32_t n_buckets = 16;

    if (set->max_flows == 0)
        return NULL;
    while (n_buckets < set->max_flows)
        n_buckets <<= 1;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->set = *set;
    t->mask = n_buckets - 1;
    t->slots = calloc(set->max_flows, sizeof(*t->slots));
    t->buckets = calloc(n_buckets, sizeof(*t->buckets));
    if (!t->slots || !t->buckets) {
        flow_table_destroy(t);
        return NULL;
    }
    return t;
}

void
flow_table_destroy(struct flow_table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->buckets);
    free(t);
}

static void
lru_unlink(struct flow_table *t, struct flow_slot *s)
{
    if (s->newer)
        slot_at(t, s->newer)->older = s->older;
    else
        t->lru_head = s->older;
    if (s->older)
        slot_at(t, s->older)->newer = s->newer;
    else
        t->lru_tail = s->newer;
    s->newer = s->older = 0;
}

static void
lru_push_head(struct flow_table *t, struct flow_slot *s)
{
    link_t l = link_of(t, s);

    s->newer = 0;
    s->older = t->lru_head;
    if (t->lru_head)
        slot_at(t, t->lru_head)->newer = l;
    else
        t->lru_tail = l;
    t->lru_head = l;
}

static void
bucket_unlink(struct flow_table *t, struct flow_slot *s)
{
    link_t *pl = &t->buckets[s->hash & t->mask];
    link_t l = link_of(t, s);

    while (*pl != l)
        pl = &slot_at(t, *pl)->chain;
    *pl = s->chain;
    s->chain = 0;
}

/* Takes 's' out of the table after telling the owner why. */
static void
slot_end(struct flow_table *t, struct flow_slot *s, enum flow_end why)
{
    if (t->set.on_end)
        t->set.on_end(t->set.on_end_arg, &s->rec, why);
    bucket_unlink(t, s);
    lru_unlink(t, s);
    t->count--;
}

/* A slot for a new record: a free one, a never used one, else the least
 * recently used record's. */
static struct flow_slot *
slot_take(struct flow_table *t)
{
    struct flow_slot *s;

    if (t->free_list) {
        s = slot_at(t, t->free_list);
        t->free_list = s->chain;
        s->chain = 0;
        return s;
    }
    if (t->n_used < t->set.max_flows)
        return &t->slots[t->n_used++];
    s = slot_at(t, t->lru_tail);
    slot_end(t, s, FLOW_END_EVICTED);
    return s;
}

static struct flow_slot *
bucket_find(const struct flow_table *t, const struct flow_key *key,
            uint32_t hash)
{
    link_t l;

    for (l = t->buckets[hash & t->mask]; l; l = slot_at(t, l)->chain) {
        struct flow_slot *s = slot_at(t, l);

        if (s->hash == hash && !memcmp(&s->rec.key, key, sizeof(*key)))
            return s;
    }
    return NULL;
}

struct flow_rec *
flow_table_find(struct flow_table *t, const struct flow_key *key,
                uint32_t hash, uint64_t now_ns, bool *created)
{
    struct flow_slot *s = bucket_find(t, key, hash);
    link_t *head;

    if (s) {
        *created = false;
        if (t->lru_head != link_of(t, s)) {
            lru_unlink(t, s);
            lru_push_head(t, s);
        }
        return &s->rec;
    }
    s = slot_take(t);
    memset(&s->rec, 0, sizeof(s->rec));
    s->rec.key = *key;
    s->rec.first_ns = s->rec.last_ns = now_ns;
    s->rec.host[0] = s->rec.host[1] = FLOW_HOST_NONE;
    s->rec.in_port[0] = s->rec.in_port[1] = XSW_PORT_NONE;
    s->hash = hash;
    head = &t->buckets[hash & t->mask];
    s->chain = *head;
    *head = link_of(t, s);
    lru_push_head(t, s);
    t->count++;
    *created = true;
    return &s->rec;
}

const struct flow_rec *
flow_table_lookup(const struct flow_table *t, const struct flow_key *key,
                  uint32_t hash)
{
    const struct flow_slot *s = bucket_find(t, key, hash);

    return s ? &s->rec : NULL;
}

uint32_t
flow_table_expire(struct flow_table *t, uint64_t now_ns)
{
    uint32_t n = 0;

    while (t->lru_tail) {
        struct flow_slot *s = slot_at(t, t->lru_tail);

        if (now_ns < s->rec.last_ns ||
            now_ns - s->rec.last_ns < t->set.idle_ns)
            break;
        slot_end(t, s, FLOW_END_EXPIRED);
        s->chain = t->free_list;
        t->free_list = link_of(t, s);
        n++;
    }
    return n;
}

uint32_t
flow_table_count(const struct flow_table *t)
{
    return t->count;
}

const struct flow_rec *
flow_table_next(const struct flow_table *t, const struct flow_rec *rec)
{
    link_t l;

    if (!rec)
        l = t->lru_head;
    else
        l = ((const struct flow_slot *) rec)->older;
    return l ? &slot_at(t, l)->rec : NULL;
}
