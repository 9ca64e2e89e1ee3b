#include "conntrack.h"

#include <stdlib.h>
#include <string.h>

/* Entries are named by id = index + 1, so that 0 can end chains and lists
 * and calloc()ed bucket heads start out empty.
 *
 * Class lists.  An entry is queued (appended to its class's list) when it
 * is inserted, when its class changes, and when it is used CT_REQUEUE_NS
 * or more after it was last queued; a use sooner than that only moves
 * last_ns, and writes nothing but the entry's first line.  Relinking at
 * every packet, as the lists once did, wrote two other entries (the list
 * neighbours) per packet: two cache misses a packet in a table larger than
 * the cache, which no prefetch of the batch's own entries hides.
 *
 * So a list is in order of queue time (last_ns - qlag), not of last use,
 * and every entry's queue time is at most its last use.  An entry whose
 * queue time is less than its class's timeout ago cannot have expired,
 * nor can any entry after it: conntrack_expire() walks from the head while
 * the queue time is a timeout ago, removes the entries that have expired
 * and steps over the others (used within CT_REQUEUE_NS of being queued, so
 * at most that long after their queue time: each is stepped over by the
 * sweeps of one CT_REQUEUE_NS at most, until it is used and queued again
 * or expires).  The sweep stays exact: it removes every entry due. */
#define CT_REQUEUE_NS 1000000000ull
_Static_assert(CT_REQUEUE_NS <= UINT32_MAX, "conn->qlag holds a lag");

/* Entries conntrack_insert() steps over per class, looking for room in a
 * full table: bounds what a refused insert costs when many entries are
 * due for a look but not expired (the timer's sweep steps over all). */
#define CT_FULL_SKIP_MAX 16u

struct ct_list {
    uint32_t head, tail; /* Ids; 0 when empty.  First queued at the head. */
    uint32_t count;
};

struct conntrack {
    struct conn *conns;   /* max_conns entries, in 'conns_mem'. */
    void *conns_mem;      /* Owned: calloc()ed, 'conns' aligned in it. */
    uint32_t *buckets;    /* Chain heads (ids), bucket_mask + 1, owned. */
    uint32_t bucket_mask; /* Buckets - 1; a power of two less one. */
    uint32_t max_conns;
    uint32_t n_fresh;   /* Ids 1..n_fresh were handed out at least once. */
    uint32_t free_head; /* Released ids, chained through hnext. */
    uint32_t n_live;
    uint32_t seed;
    uint64_t n_expired;
    uint64_t timeout_ns[CT_N_CLASSES];
    struct ct_list lists[CT_N_CLASSES];
};

static const char *const class_names[CT_N_CLASSES] = {
#define CT_NAME_(e, name, def) name,
    CT_CLASSES(CT_NAME_)
#undef CT_NAME_
};

static const uint32_t class_defaults[CT_N_CLASSES] = {
#define CT_DEF_(e, name, def) def,
    CT_CLASSES(CT_DEF_)
#undef CT_DEF_
};

static struct conn *conn_at(struct conntrack *, uint32_t id);
static uint32_t id_of(const struct conntrack *, const struct conn *);
static bool is_expired(const struct conntrack *, const struct conn *,
                       uint64_t now);
static uint32_t expire(struct conntrack *, uint64_t now, uint32_t max_skip);
static void list_append(struct conntrack *, struct conn *);
static void list_unlink(struct conntrack *, struct conn *);
static void hash_unlink(struct conntrack *, struct conn *);
static void release(struct conntrack *, struct conn *);

struct conntrack *
conntrack_create(const struct conntrack_settings *s)
{
    struct conntrack *ct;
    uint32_t n_buckets = 16;
    int i;

    if (s->max_conns < CT_MAX_CONNS_MIN || s->max_conns > CT_MAX_CONNS_MAX)
        return NULL;
    for (i = 0; i < CT_N_CLASSES; i++)
        if (s->timeout_ns[i] == 0)
            return NULL;
    /* At least two buckets an entry, whatever max_conns: a full table's
     * chains then average at most half an entry besides the one looked
     * for.  Rounding max_conns up to a power of two alone left tables
     * just under one (1,001,024 entries in 2^20 buckets) twice as loaded
     * as those just over, and every further entry of a chain is a cache
     * miss that the batch's prefetch of the chain's head does not cover. */
    while (n_buckets < 2 * (uint64_t) s->max_conns)
        n_buckets <<= 1;

    ct = calloc(1, sizeof *ct);
    if (!ct)
        return NULL;
    /* calloc() rather than aligned_alloc() and a memset(), so that the
     * pages are touched only as entries are first used; one entry more
     * leaves room to align them on pairs of cache lines. */
    ct->conns_mem = calloc((size_t) s->max_conns + 1, sizeof *ct->conns);
    ct->buckets = calloc(n_buckets, sizeof *ct->buckets);
    if (!ct->conns_mem || !ct->buckets) {
        conntrack_destroy(ct);
        return NULL;
    }
    ct->conns = (struct conn *) (((uintptr_t) ct->conns_mem +
                                  sizeof *ct->conns - 1) &
                                 ~(uintptr_t) (sizeof *ct->conns - 1));
    ct->bucket_mask = n_buckets - 1;
    ct->max_conns = s->max_conns;
    ct->seed = s->seed;
    memcpy(ct->timeout_ns, s->timeout_ns, sizeof ct->timeout_ns);
    return ct;
}

void
conntrack_destroy(struct conntrack *ct)
{
    if (!ct)
        return;
    free(ct->conns_mem);
    free(ct->buckets);
    free(ct);
}

uint32_t
conntrack_hash(const struct conntrack *ct, const struct fw_tuple *t)
{
    return fw_tuple_hash(t, ct->seed);
}

void
conntrack_prefetch(const struct conntrack *ct, uint32_t hash, int stage,
                   bool whole)
{
    const uint32_t *bucket = &ct->buckets[hash & ct->bucket_mask];
    const char *c;

    if (stage == 0) {
        __builtin_prefetch(bucket);
    } else if (*bucket) {
        c = (const char *) &ct->conns[*bucket - 1];
        __builtin_prefetch(c);
        if (whole)
            __builtin_prefetch(c + CT_LINE);
    }
}

struct conn *
conntrack_lookup(struct conntrack *ct, const struct fw_tuple *t, uint64_t now,
                 bool *is_reply)
{
    return conntrack_lookup_hashed(ct, t, fw_tuple_hash(t, ct->seed), now,
                                   is_reply);
}

struct conn *
conntrack_lookup_hashed(struct conntrack *ct, const struct fw_tuple *t,
                        uint32_t hash, uint64_t now, bool *is_reply)
{
    uint32_t id = ct->buckets[hash & ct->bucket_mask];

    while (id) {
        struct conn *c = conn_at(ct, id);
        bool reply;

        id = c->hnext;
        /* The key, not the stored hash, tells the flows of a chain apart:
         * the hash is in the entry's second line, the key in the first,
         * which the lookup reads anyway. */
        if (fw_tuple_equal(&c->key, t))
            reply = false;
        else if (fw_tuple_is_reverse(&c->key, t))
            reply = true;
        else
            continue;
        if (is_expired(ct, c, now)) {
            ct->n_expired++;
            conntrack_remove(ct, c);
            return NULL;
        }
        *is_reply = reply;
        return c;
    }
    return NULL;
}

struct conn *
conntrack_insert(struct conntrack *ct, const struct fw_tuple *t, uint8_t cls,
                 uint64_t now)
{
    uint32_t *head;
    struct conn *c;
    uint32_t id;

    if (ct->n_live == ct->max_conns && expire(ct, now, CT_FULL_SKIP_MAX) == 0)
        return NULL;
    if (ct->free_head) {
        id = ct->free_head;
        ct->free_head = conn_at(ct, id)->hnext;
    } else {
        id = ++ct->n_fresh;
    }
    c = conn_at(ct, id);
    memset(c, 0, sizeof *c);
    c->key = *t;
    c->last_ns = now;
    c->cls = cls;
    c->hash = fw_tuple_hash(t, ct->seed);

    head = &ct->buckets[c->hash & ct->bucket_mask];
    c->hnext = *head;
    *head = id;
    list_append(ct, c);
    ct->n_live++;
    return c;
}

void
conntrack_touch(struct conntrack *ct, struct conn *c, uint8_t cls,
                uint64_t now)
{
    uint64_t queued = c->last_ns - c->qlag;

    if (cls == c->cls && now >= c->last_ns && now - queued < CT_REQUEUE_NS) {
        c->qlag = (uint32_t) (now - queued);
        c->last_ns = now;
        return;
    }
    list_unlink(ct, c);
    c->cls = cls;
    c->last_ns = now;
    c->qlag = 0;
    list_append(ct, c);
}

void
conntrack_remove(struct conntrack *ct, struct conn *c)
{
    hash_unlink(ct, c);
    list_unlink(ct, c);
    release(ct, c);
}

bool
conntrack_in_table(const struct conn *c)
{
    return c->cls < CT_N_CLASSES;
}

uint32_t
conntrack_expire(struct conntrack *ct, uint64_t now)
{
    return expire(ct, now, UINT32_MAX);
}

const struct conn *
conntrack_oldest(const struct conntrack *ct, uint8_t cls)
{
    uint32_t id = ct->lists[cls].head;

    return id ? &ct->conns[id - 1] : NULL;
}

const struct conn *
conntrack_newer(const struct conntrack *ct, const struct conn *c)
{
    return c->lnext ? &ct->conns[c->lnext - 1] : NULL;
}

void
conntrack_clear(struct conntrack *ct)
{
    int cls;

    for (cls = 0; cls < CT_N_CLASSES; cls++)
        while (ct->lists[cls].head)
            conntrack_remove(ct, conn_at(ct, ct->lists[cls].head));
}

uint32_t
conntrack_capacity(const struct conntrack *ct)
{
    return ct->max_conns;
}

uint32_t
conntrack_n_buckets(const struct conntrack *ct)
{
    return ct->bucket_mask + 1;
}

uint64_t
conntrack_timeout_ns(const struct conntrack *ct, uint8_t cls)
{
    return ct->timeout_ns[cls];
}

uint32_t
conntrack_count(const struct conntrack *ct, uint8_t cls)
{
    return cls < CT_N_CLASSES ? ct->lists[cls].count : ct->n_live;
}

uint64_t
conntrack_expired(const struct conntrack *ct)
{
    return ct->n_expired;
}

const char *
conntrack_class_name(uint8_t cls)
{
    return cls < CT_N_CLASSES ? class_names[cls] : "?";
}

uint32_t
conntrack_class_default_s(uint8_t cls)
{
    return cls < CT_N_CLASSES ? class_defaults[cls] : 0;
}

static struct conn *
conn_at(struct conntrack *ct, uint32_t id)
{
    return &ct->conns[id - 1];
}

static uint32_t
id_of(const struct conntrack *ct, const struct conn *c)
{
    return (uint32_t) (c - ct->conns) + 1;
}

static bool
is_expired(const struct conntrack *ct, const struct conn *c, uint64_t now)
{
    return now >= c->last_ns && now - c->last_ns >= ct->timeout_ns[c->cls];
}

/* Removes the entries due at 'now', stepping over at most 'max_skip' that
 * are not, per class (see the list's comment above). */
static uint32_t
expire(struct conntrack *ct, uint64_t now, uint32_t max_skip)
{
    uint32_t n = 0;
    int cls;

    for (cls = 0; cls < CT_N_CLASSES; cls++) {
        uint32_t id = ct->lists[cls].head, skipped = 0;

        while (id) {
            struct conn *c = conn_at(ct, id);
            uint64_t queued = c->last_ns - c->qlag;

            if (now < queued || now - queued < ct->timeout_ns[cls])
                break;
            id = c->lnext;
            if (is_expired(ct, c, now)) {
                conntrack_remove(ct, c);
                n++;
            } else if (++skipped >= max_skip) {
                break;
            }
        }
    }
    ct->n_expired += n;
    return n;
}

static void
list_append(struct conntrack *ct, struct conn *c)
{
    struct ct_list *l = &ct->lists[c->cls];
    uint32_t id = id_of(ct, c);

    c->lnext = 0;
    c->lprev = l->tail;
    if (l->tail)
        conn_at(ct, l->tail)->lnext = id;
    else
        l->head = id;
    l->tail = id;
    l->count++;
}

static void
list_unlink(struct conntrack *ct, struct conn *c)
{
    struct ct_list *l = &ct->lists[c->cls];

    if (c->lprev)
        conn_at(ct, c->lprev)->lnext = c->lnext;
    else
        l->head = c->lnext;
    if (c->lnext)
        conn_at(ct, c->lnext)->lprev = c->lprev;
    else
        l->tail = c->lprev;
    l->count--;
}

static void
hash_unlink(struct conntrack *ct, struct conn *c)
{
    uint32_t *link = &ct->buckets[c->hash & ct->bucket_mask];
    uint32_t id = id_of(ct, c);

    while (*link != id)
        link = &conn_at(ct, *link)->hnext;
    *link = c->hnext;
}

static void
release(struct conntrack *ct, struct conn *c)
{
    c->hnext = ct->free_head;
    c->cls = CT_N_CLASSES;
    ct->free_head = id_of(ct, c);
    ct->n_live--;
}
