#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

#include "lru_table.h"

/* The records live in an LRU table (lru_table.h) in which every flow is
 * queued and touched by each of its packets. */
struct flow_table {
    struct flow_table_settings set;
    struct lru_table lru; /* Of struct flow_rec, keyed by rec.key. */
};

_Static_assert(offsetof(struct flow_rec, key) == 0,
               "a record opens with its key");
_Static_assert(_Alignof(struct flow_rec) <= LRU_TABLE_ALIGN,
               "the LRU table aligns records");

static void flow_table_tell(struct flow_table *, uint32_t idx,
                            enum flow_end why);

struct flow_table *
flow_table_create(const struct flow_table_settings *set)
{
    struct flow_table *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    if (lru_table_init(&t->lru, set->max_flows, sizeof(struct flow_rec))) {
        free(t);
        return NULL;
    }
    t->set = *set;
    return t;
}

void
flow_table_destroy(struct flow_table *t)
{
    if (!t)
        return;
    lru_table_fini(&t->lru);
    free(t);
}

struct flow_rec *
flow_table_find(struct flow_table *t, const struct flow_key *key,
                uint32_t hash, uint64_t now_ns, bool *created)
{
    uint32_t idx = lru_table_find(&t->lru, key, sizeof(*key), hash);
    struct flow_rec *r;

    *created = idx == LRU_NONE;
    if (*created) {
        /* Every flow is queued: a full table makes room from the oldest. */
        if (lru_table_is_full(&t->lru))
            flow_table_tell(t, lru_table_oldest(&t->lru), FLOW_END_EVICTED);
        idx = lru_table_add(&t->lru, hash);
        r = lru_table_entry(&t->lru, idx);
        memset(r, 0, sizeof(*r));
        r->key = *key;
        r->first_ns = r->last_ns = now_ns;
        r->host[0] = r->host[1] = FLOW_HOST_NONE;
        r->in_port[0] = r->in_port[1] = XSW_PORT_NONE;
    }
    lru_table_touch(&t->lru, idx);
    return lru_table_entry(&t->lru, idx);
}

const struct flow_rec *
flow_table_lookup(const struct flow_table *t, const struct flow_key *key,
                  uint32_t hash)
{
    uint32_t idx = lru_table_find(&t->lru, key, sizeof(*key), hash);

    return idx == LRU_NONE ? NULL : lru_table_entry(&t->lru, idx);
}

uint32_t
flow_table_expire(struct flow_table *t, uint64_t now_ns)
{
    uint32_t n = 0, idx;

    while ((idx = lru_table_oldest(&t->lru)) != LRU_NONE) {
        const struct flow_rec *r = lru_table_entry(&t->lru, idx);

        if (now_ns < r->last_ns || now_ns - r->last_ns < t->set.idle_ns)
            break;
        flow_table_tell(t, idx, FLOW_END_EXPIRED);
        lru_table_remove(&t->lru, idx);
        n++;
    }
    return n;
}

uint32_t
flow_table_count(const struct flow_table *t)
{
    return lru_table_count(&t->lru);
}

const struct flow_rec *
flow_table_next(const struct flow_table *t, const struct flow_rec *rec)
{
    uint32_t idx =
        rec ? lru_table_older(&t->lru, lru_table_index(&t->lru, rec))
            : lru_table_newest(&t->lru);

    return idx == LRU_NONE ? NULL : lru_table_entry(&t->lru, idx);
}

/* Tells the owner that the record at 'idx' ends, while it is intact. */
static void
flow_table_tell(struct flow_table *t, uint32_t idx, enum flow_end why)
{
    if (t->set.on_end)
        t->set.on_end(t->set.on_end_arg, lru_table_entry(&t->lru, idx), why);
}
