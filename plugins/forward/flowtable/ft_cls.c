#include "ft_cls.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define END UINT32_MAX /* Ends a chain; marks an empty bucket. */
#define MAX_INSERTS (1u << 28)

/* A rule as inserted, until the build. */
struct pending {
    struct ft_match match;
    uint64_t rank;
    uint32_t id;
    uint32_t subtable; /* Set during the build. */
};

/* A rule in a hash entry's chain (rank order, best first). */
struct slot {
    uint64_t rank;
    uint32_t id;
    uint32_t next; /* Next slot of the chain, or END. */
    uint16_t src_lo, src_hi, dst_lo, dst_hi;
    uint8_t has_range; /* FT_RANGE_*: residual checks. */
};

struct bucket {
    uint32_t hash;  /* Of the entry's key, to skip most key compares. */
    uint32_t entry; /* Index in the subtable's entries, or END. */
};

/* The rules sharing one mask: a linear-probing hash table of the distinct
 * masked keys.  Load factor <= 1/2, so probes are short and end. */
struct subtable {
    uint64_t max_rank;           /* Best rank in this subtable. */
    struct ft_key full_mask;     /* The mask, all eight words. */
    uint64_t mask[FT_KEY_WORDS]; /* Mask of words[j] at j. */
    uint8_t words[FT_KEY_WORDS]; /* Indices of non-zero mask words. */
    uint32_t n_words;
    uint32_t n_rules;     /* Slots in this subtable. */
    uint32_t n_entries;   /* Distinct masked keys. */
    uint32_t bucket_mask; /* Buckets - 1 (a power of two minus one). */
    struct bucket *buckets;
    uint64_t *keys;  /* n_words per entry: the masked key. */
    uint32_t *heads; /* First slot of each entry's chain. */
    uint32_t *tails; /* Last slot of each chain; build time only. */
};

struct ft_cls {
    struct pending *pending; /* Until the build. */
    uint32_t n_pending;
    uint32_t cap_pending;
    struct subtable *subtables; /* In order of max_rank, best first. */
    uint32_t n_subtables;
    uint32_t n_entries;
    struct slot *slots;
    uint32_t n_rules;
    bool built;
};

struct ranked {
    uint64_t rank;
    uint32_t index; /* In 'pending'. */
};

static int compare_rank_desc(const void *a, const void *b);
static int assign_subtables(struct ft_cls *, const struct ranked *order);
static int subtable_alloc(struct subtable *);
static void subtable_insert(struct subtable *, struct slot *slots,
                            uint32_t slot, const struct ft_key *key);
static void subtable_free(struct subtable *);
static inline uint32_t subtable_find(const struct subtable *,
                                     const uint64_t *words, uint32_t hash);
static inline bool words_equal(const uint64_t *a, const uint64_t *b,
                               uint32_t n);
static void subtable_init(struct subtable *, const struct ft_key *mask,
                          uint64_t rank);
static inline uint32_t hash_words(const uint64_t *words, uint32_t n);
static uint32_t pow2_at_least(uint32_t n);

struct ft_cls *
ft_cls_create(void)
{
    return calloc(1, sizeof(struct ft_cls));
}

void
ft_cls_destroy(struct ft_cls *cls)
{
    if (!cls)
        return;
    for (uint32_t i = 0; i < cls->n_subtables; i++)
        subtable_free(&cls->subtables[i]);
    free(cls->subtables);
    free(cls->slots);
    free(cls->pending);
    free(cls);
}

int
ft_cls_insert(struct ft_cls *cls, const struct ft_match *match,
              uint32_t priority, uint32_t id)
{
    struct pending *p;

    if (cls->built)
        return -EBUSY;
    if (id == FT_CLS_MISS)
        return -EINVAL;
    if (cls->n_pending == cls->cap_pending) {
        uint32_t cap = cls->cap_pending ? cls->cap_pending * 2 : 64;

        if (cap > MAX_INSERTS)
            return -ENOMEM;
        p = realloc(cls->pending, cap * sizeof *p);
        if (!p)
            return -ENOMEM;
        cls->pending = p;
        cls->cap_pending = cap;
    }
    p = &cls->pending[cls->n_pending];
    p->match = *match;
    /* Equal priorities: the earlier insert gets the higher rank. */
    p->rank = (uint64_t) priority << 32 | (UINT32_MAX - cls->n_pending);
    p->id = id;
    cls->n_pending++;
    return 0;
}

int
ft_cls_build(struct ft_cls *cls)
{
    uint32_t n = cls->n_pending;
    struct ranked *order;
    int ret = -ENOMEM;

    if (cls->built)
        return -EBUSY;
    order = malloc((n ? n : 1) * sizeof *order);
    cls->slots = malloc((n ? n : 1) * sizeof *cls->slots);
    if (!order || !cls->slots)
        goto out_free_order;
    for (uint32_t i = 0; i < n; i++)
        order[i] = (struct ranked){cls->pending[i].rank, i};
    /* Best rank first: subtables are then created in order of their best
     * rule, and every chain is appended to in rank order. */
    qsort(order, n, sizeof *order, compare_rank_desc);
    ret = assign_subtables(cls, order);
    if (ret)
        goto out_free_order;
    for (uint32_t i = 0; i < cls->n_subtables; i++) {
        ret = subtable_alloc(&cls->subtables[i]);
        if (ret)
            goto out_free_order;
    }
    for (uint32_t s = 0; s < n; s++) {
        const struct pending *p = &cls->pending[order[s].index];
        struct slot *sl = &cls->slots[s];

        *sl = (struct slot){
            .rank = p->rank,
            .id = p->id,
            .next = END,
            .src_lo = p->match.src_lo,
            .src_hi = p->match.src_hi,
            .dst_lo = p->match.dst_lo,
            .dst_hi = p->match.dst_hi,
            .has_range = p->match.has_range,
        };
        subtable_insert(&cls->subtables[p->subtable], cls->slots, s,
                        &p->match.key);
    }
    for (uint32_t i = 0; i < cls->n_subtables; i++) {
        free(cls->subtables[i].tails);
        cls->subtables[i].tails = NULL;
        cls->n_entries += cls->subtables[i].n_entries;
    }
    cls->n_rules = n;
    cls->built = true;
    free(cls->pending);
    cls->pending = NULL;
    ret = 0;
out_free_order:
    free(order);
    return ret;
}

uint32_t
ft_cls_lookup(const struct ft_cls *cls, const struct ft_key *key)
{
    const struct slot *best = NULL;

    for (uint32_t t = 0; t < cls->n_subtables; t++) {
        const struct subtable *st = &cls->subtables[t];
        uint64_t words[FT_KEY_WORDS];
        uint32_t e;

        if (best && st->max_rank < best->rank)
            break; /* Nothing from here on can beat 'best'. */
        for (uint32_t j = 0; j < st->n_words; j++)
            words[j] = key->w[st->words[j]] & st->mask[j];
        e = subtable_find(st, words, hash_words(words, st->n_words));
        for (uint32_t s = e == END ? END : st->heads[e]; s != END;) {
            const struct slot *sl = &cls->slots[s];

            if (best && sl->rank < best->rank)
                break;
            if ((!(sl->has_range & FT_RANGE_SRC) ||
                 (key->src_port >= sl->src_lo &&
                  key->src_port <= sl->src_hi)) &&
                (!(sl->has_range & FT_RANGE_DST) ||
                 (key->dst_port >= sl->dst_lo &&
                  key->dst_port <= sl->dst_hi))) {
                best = sl;
                break;
            }
            s = sl->next;
        }
    }
    return best ? best->id : FT_CLS_MISS;
}

uint32_t
ft_cls_n_rules(const struct ft_cls *cls)
{
    return cls->built ? cls->n_rules : cls->n_pending;
}

uint32_t
ft_cls_n_subtables(const struct ft_cls *cls)
{
    return cls->n_subtables;
}

uint32_t
ft_cls_n_entries(const struct ft_cls *cls)
{
    return cls->n_entries;
}

static int
compare_rank_desc(const void *a, const void *b)
{
    uint64_t ra = ((const struct ranked *) a)->rank;
    uint64_t rb = ((const struct ranked *) b)->rank;

    return ra < rb ? 1 : ra > rb ? -1 : 0;
}

/* Groups the pending rules by mask, through a temporary hash table of the
 * masks seen, and counts each subtable's rules. */
static int
assign_subtables(struct ft_cls *cls, const struct ranked *order)
{
    uint32_t n_buckets = pow2_at_least(cls->n_pending * 2 + 2);
    struct bucket *map = malloc(n_buckets * sizeof *map);
    uint32_t cap = 0;

    if (!map)
        return -ENOMEM;
    for (uint32_t i = 0; i < n_buckets; i++)
        map[i].entry = END;
    for (uint32_t s = 0; s < cls->n_pending; s++) {
        struct pending *p = &cls->pending[order[s].index];
        uint32_t h = hash_words(p->match.mask.w, FT_KEY_WORDS);
        uint32_t i = h & (n_buckets - 1);

        while (map[i].entry != END &&
               (map[i].hash != h ||
                memcmp(&cls->subtables[map[i].entry].full_mask, &p->match.mask,
                       sizeof(struct ft_key))))
            i = (i + 1) & (n_buckets - 1);
        if (map[i].entry == END) {
            if (cls->n_subtables == cap) {
                struct subtable *st;

                cap = cap ? cap * 2 : 8;
                st = realloc(cls->subtables, cap * sizeof *st);
                if (!st) {
                    free(map);
                    return -ENOMEM;
                }
                cls->subtables = st;
            }
            subtable_init(&cls->subtables[cls->n_subtables], &p->match.mask,
                          p->rank);
            map[i].hash = h;
            map[i].entry = cls->n_subtables++;
        }
        p->subtable = map[i].entry;
        cls->subtables[p->subtable].n_rules++;
    }
    free(map);
    return 0;
}

static void
subtable_init(struct subtable *st, const struct ft_key *mask, uint64_t rank)
{
    memset(st, 0, sizeof *st);
    st->max_rank = rank;
    st->full_mask = *mask;
    for (uint32_t w = 0; w < FT_KEY_WORDS; w++) {
        if (mask->w[w]) {
            st->words[st->n_words] = (uint8_t) w;
            st->mask[st->n_words++] = mask->w[w];
        }
    }
}

static int
subtable_alloc(struct subtable *st)
{
    uint32_t n = st->n_rules;
    uint32_t n_buckets = pow2_at_least(n * 2);

    st->buckets = malloc(n_buckets * sizeof *st->buckets);
    st->keys = malloc((size_t) n * (st->n_words ? st->n_words : 1) *
                      sizeof *st->keys);
    st->heads = malloc(n * sizeof *st->heads);
    st->tails = malloc(n * sizeof *st->tails);
    if (!st->buckets || !st->keys || !st->heads || !st->tails)
        return -ENOMEM;
    for (uint32_t i = 0; i < n_buckets; i++)
        st->buckets[i].entry = END;
    st->bucket_mask = n_buckets - 1;
    return 0;
}

/* Adds slot 'slot' (a rule with key 'key') to the end of its entry's
 * chain, creating the entry if its masked key is new. */
static void
subtable_insert(struct subtable *st, struct slot *slots, uint32_t slot,
                const struct ft_key *key)
{
    uint64_t words[FT_KEY_WORDS];
    uint32_t h, e, i;

    for (uint32_t j = 0; j < st->n_words; j++)
        words[j] = key->w[st->words[j]] & st->mask[j];
    h = hash_words(words, st->n_words);
    e = subtable_find(st, words, h);
    if (e != END) {
        slots[st->tails[e]].next = slot;
        st->tails[e] = slot;
        return;
    }
    e = st->n_entries++;
    memcpy(&st->keys[(size_t) e * st->n_words], words,
           st->n_words * sizeof *words);
    st->heads[e] = st->tails[e] = slot;
    for (i = h & st->bucket_mask; st->buckets[i].entry != END;)
        i = (i + 1) & st->bucket_mask;
    st->buckets[i].hash = h;
    st->buckets[i].entry = e;
}

static void
subtable_free(struct subtable *st)
{
    free(st->buckets);
    free(st->keys);
    free(st->heads);
    free(st->tails);
}

static inline uint32_t
subtable_find(const struct subtable *st, const uint64_t *words, uint32_t hash)
{
    for (uint32_t i = hash & st->bucket_mask;; i = (i + 1) & st->bucket_mask) {
        const struct bucket *b = &st->buckets[i];

        if (b->entry == END)
            return END;
        if (b->hash == hash &&
            words_equal(&st->keys[(size_t) b->entry * st->n_words], words,
                        st->n_words))
            return b->entry;
    }
}

static inline bool
words_equal(const uint64_t *a, const uint64_t *b, uint32_t n)
{
    uint64_t diff = 0;

    for (uint32_t j = 0; j < n; j++)
        diff |= a[j] ^ b[j];
    return !diff;
}

/* Each word times its own odd constant, the products XOR-ed: the
 * multiplies are independent, so they overlap in the pipeline instead of
 * forming a chain.  One more multiply folds the sum, and the high half is
 * the hash, so that keys differing in a few low bits (consecutive
 * addresses) still spread over the buckets. */
static inline uint32_t
hash_words(const uint64_t *words, uint32_t n)
{
    static const uint64_t k[FT_KEY_WORDS] = {
        0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull,
        0xd6e8feb86659fd93ull, 0xa0761d6478bd642full, 0xe7037ed1a0b428dbull,
        0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull,
    };
    uint64_t h = n;

    for (uint32_t j = 0; j < n; j++)
        h ^= (words[j] ^ (words[j] >> 29)) * k[j];
    h ^= h >> 32;
    return (uint32_t) ((h * 0xff51afd7ed558ccdull) >> 32);
}

static uint32_t
pow2_at_least(uint32_t n)
{
    uint32_t p = 2;

    while (p < n)
        p <<= 1;
    return p;
}
