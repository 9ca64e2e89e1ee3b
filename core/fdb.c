#include "fdb.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "err.h"

#define FDB_NONE UINT32_MAX /* No entry (list ends) or no heap position. */
#define FDB_CACHE_LINE 64

/* What a lookup and a refresh read: four to a cache line.  Entries never
 * move, so lists link them by index. */
struct fdb_entry {
    uint64_t key;       /* fdb_key(): MAC << 16 | VLAN. */
    uint64_t last_seen; /* fdb->clock when last learned, ns. */
};
_Static_assert(sizeof(struct fdb_entry) == 16, "four entries per cache line");

/* What only learning a new source, a move, eviction, aging and flushing
 * touch: the entry's place in its port's LRU list. */
struct fdb_link {
    uint32_t prev; /* Older entry on the same port, or FDB_NONE. */
    uint32_t next; /* Newer entry on the same port, or FDB_NONE; the free
                      list's link while unused. */
};

struct fdb_slot {
    uint16_t tag;  /* fdb_tag() of the entry's key. */
    uint16_t port; /* The entry's port, so that a lookup reads it here. */
    uint32_t idx1; /* Entry index + 1; 0 marks an empty slot. */
};
_Static_assert(sizeof(struct fdb_slot) == 8, "eight slots per cache line");

struct fdb_port {
    uint32_t head;      /* Least recently seen entry, or FDB_NONE. */
    uint32_t tail;      /* Most recently seen entry, or FDB_NONE. */
    uint32_t n_entries; /* Length of the list. */
    uint32_t heap_pos;  /* Index in fdb->heap, FDB_NONE if no entries. */
};

struct fdb {
    struct fdb_entry *entries; /* 'max_entries' records, cache aligned. */
    struct fdb_link *links;    /* 'max_entries' records, cache aligned. */
    struct fdb_slot *slots;    /* 'slot_mask' + 1 slots, cache aligned. */
    uint32_t slot_mask;
    uint32_t max_entries;
    uint32_t n_entries;
    uint32_t n_used;    /* Entries below this index were handed out once. */
    uint32_t free_head; /* Returned entries, linked by 'next'. */
    uint64_t seed;      /* Keys the hash against chosen collisions. */
    uint64_t aging_ns;  /* 0 = never expire. */
    uint64_t clock;     /* Highest 'now_ns' fdb_learn() has seen. */

    /* Indexed by port id; 'n_ports' is 0 or a power of 2 up to 65536. */
    struct fdb_port *ports;
    uint16_t *heap; /* Port ids with entries, max-heap by n_entries. */
    uint32_t n_ports;
    uint32_t heap_size;

    struct fdb_stats stats;

    void *entries_base; /* What to free for 'entries', 'links', 'slots'. */
    void *links_base;
    void *slots_base;
};

static uint32_t fdb_n_slots(uint32_t max_entries);
static void *fdb_calloc_aligned(size_t size, void **base);
static uint64_t fdb_key(const uint8_t mac[6], uint16_t vlan);
static uint64_t fdb_hash(const struct fdb *, uint64_t key);
static uint16_t fdb_tag(uint64_t hash);
static bool fdb_key_is_learnable(uint64_t key);
static bool fdb_entry_is_expired(const struct fdb *, const struct fdb_entry *,
                                 uint64_t now_ns);
static uint32_t fdb_find_slot(const struct fdb *, uint64_t key, uint64_t hash);
static void fdb_slot_delete(struct fdb *, uint32_t slot);
static enum fdb_learn_result fdb_refresh(struct fdb *, uint32_t slot,
                                         uint16_t port);
static enum fdb_learn_result fdb_insert(struct fdb *, uint64_t key,
                                        uint64_t hash, uint32_t slot,
                                        uint16_t port);
static void fdb_evict(struct fdb *);
static void fdb_remove(struct fdb *, uint32_t idx);
static uint32_t fdb_flush_port(struct fdb *, uint32_t port, int32_t vlan);
static bool fdb_port_reserve(struct fdb *, uint16_t port);
static bool fdb_ports_grow(struct fdb *, uint16_t port);
static void fdb_port_add(struct fdb *, uint16_t port, uint32_t idx);
static void fdb_port_del(struct fdb *, uint16_t port, uint32_t idx);
static void fdb_lru_append(struct fdb *, struct fdb_port *, uint32_t idx);
static void fdb_lru_unlink(struct fdb *, struct fdb_port *, uint32_t idx);
static void fdb_heap_up(struct fdb *, uint32_t pos);
static void fdb_heap_down(struct fdb *, uint32_t pos);
static void fdb_heap_swap(struct fdb *, uint32_t a, uint32_t b);

struct fdb *
fdb_create(const struct fdb_settings *settings, struct xsw_err *err)
{
    uint32_t max = settings ? settings->max_entries : 0;
    uint32_t n_slots;
    struct fdb *fdb;

    if (!max) {
        max = FDB_DEFAULT_MAX_ENTRIES;
    }
    if (max > FDB_MAX_ENTRIES) {
        xsw_err_set(err, -EINVAL,
                    "fdb: max_entries %" PRIu32 " is above the maximum %d",
                    max, FDB_MAX_ENTRIES);
        return NULL;
    }

    fdb = calloc(1, sizeof *fdb);
    if (!fdb) {
        goto err_nomem;
    }
    n_slots = fdb_n_slots(max);
    fdb->entries = fdb_calloc_aligned((size_t) max * sizeof *fdb->entries,
                                      &fdb->entries_base);
    if (!fdb->entries) {
        goto err_free_fdb;
    }
    fdb->links = fdb_calloc_aligned((size_t) max * sizeof *fdb->links,
                                    &fdb->links_base);
    if (!fdb->links) {
        goto err_free_entries;
    }
    fdb->slots = fdb_calloc_aligned((size_t) n_slots * sizeof *fdb->slots,
                                    &fdb->slots_base);
    if (!fdb->slots) {
        goto err_free_links;
    }
    fdb->slot_mask = n_slots - 1;
    fdb->max_entries = max;
    fdb->free_head = FDB_NONE;
    fdb->aging_ns = settings ? settings->aging_ns : 0;
    /* Only speed depends on the seed, never behaviour, so replays stay
     * deterministic; without entropy the fixed seed is merely guessable. */
    if (getrandom(&fdb->seed, sizeof fdb->seed, GRND_NONBLOCK) !=
        sizeof fdb->seed) {
        fdb->seed = 0x2545f4914f6cdd1dULL;
    }
    return fdb;

err_free_links:
    free(fdb->links_base);
err_free_entries:
    free(fdb->entries_base);
err_free_fdb:
    free(fdb);
err_nomem:
    xsw_err_set(err, -ENOMEM, "fdb: no memory for %" PRIu32 " entries", max);
    return NULL;
}

void
fdb_destroy(struct fdb *fdb)
{
    if (fdb) {
        free(fdb->entries_base);
        free(fdb->links_base);
        free(fdb->slots_base);
        free(fdb->ports);
        free(fdb->heap);
        free(fdb);
    }
}

enum fdb_learn_result
fdb_learn(struct fdb *fdb, const uint8_t mac[6], uint16_t vlan, uint16_t port,
          uint64_t now_ns)
{
    struct fdb_probe probe = {.key = fdb_key(mac, vlan)};

    probe.hash = fdb_hash(fdb, probe.key);
    return fdb_learn_probe(fdb, &probe, port, now_ns);
}

int
fdb_lookup(const struct fdb *fdb, const uint8_t mac[6], uint16_t vlan,
           uint64_t now_ns)
{
    struct fdb_probe probe = {.key = fdb_key(mac, vlan)};

    probe.hash = fdb_hash(fdb, probe.key);
    return fdb_lookup_probe(fdb, &probe, now_ns);
}

/* One pass: hash every key of the batch and prefetch its home slot, then
 * return, so that the caller's work on the first packets overlaps the
 * misses of the later ones.  A second pass that read the slots to
 * prefetch their entries was slower (tests/bench, 1M entries: it waits
 * for every slot of the batch before the first packet is forwarded). */
void
fdb_prefetch(const struct fdb *fdb, struct fdb_probe *probes, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        probes[i].key = fdb_key(probes[i].mac, probes[i].vlan);
        probes[i].hash = fdb_hash(fdb, probes[i].key);
        __builtin_prefetch(&fdb->slots[probes[i].hash & fdb->slot_mask]);
    }
}

enum fdb_learn_result
fdb_learn_probe(struct fdb *fdb, const struct fdb_probe *probe, uint16_t port,
                uint64_t now_ns)
{
    uint64_t key = probe->key, hash = probe->hash;
    uint32_t slot, idx1;

    if (!fdb_key_is_learnable(key) || !fdb_port_reserve(fdb, port)) {
        fdb->stats.ignored++;
        return FDB_IGNORED;
    }
    /* A clock that steps back stands still: each port's list then stays
     * in last-seen order, which fdb_age() relies on. */
    if (now_ns > fdb->clock) {
        fdb->clock = now_ns;
    }

    slot = fdb_find_slot(fdb, key, hash);
    idx1 = fdb->slots[slot].idx1;
    if (idx1) {
        uint32_t idx = idx1 - 1;

        if (!fdb_entry_is_expired(fdb, &fdb->entries[idx], fdb->clock)) {
            return fdb_refresh(fdb, slot, port);
        }
        /* Expired is absent: a station returning after its entry expired
         * is learned afresh, not moved. */
        fdb_remove(fdb, idx);
        fdb->stats.aged++;
        slot = fdb_find_slot(fdb, key, hash);
    }
    return fdb_insert(fdb, key, hash, slot, port);
}

int
fdb_lookup_probe(const struct fdb *fdb, const struct fdb_probe *probe,
                 uint64_t now_ns)
{
    const struct fdb_slot *s =
        &fdb->slots[fdb_find_slot(fdb, probe->key, probe->hash)];

    if (!s->idx1 ||
        fdb_entry_is_expired(fdb, &fdb->entries[s->idx1 - 1], now_ns)) {
        return -ENOENT;
    }
    return s->port;
}

uint32_t
fdb_age(struct fdb *fdb, uint64_t now_ns)
{
    uint32_t n = 0;

    if (!fdb->aging_ns) {
        return 0;
    }
    /* Each list is in last-seen order, so expired entries are a prefix. */
    for (uint32_t port = 0; port < fdb->n_ports; port++) {
        uint32_t idx = fdb->ports[port].head;

        while (idx != FDB_NONE &&
               fdb_entry_is_expired(fdb, &fdb->entries[idx], now_ns)) {
            fdb_remove(fdb, idx);
            n++;
            idx = fdb->ports[port].head;
        }
    }
    fdb->stats.aged += n;
    return n;
}

uint32_t
fdb_flush(struct fdb *fdb, int32_t port, int32_t vlan)
{
    uint32_t n = 0;

    if (port < -1 || port > UINT16_MAX || vlan < -1 || vlan > UINT16_MAX) {
        return 0;
    }
    if (port >= 0) {
        n = fdb_flush_port(fdb, (uint32_t) port, vlan);
    } else {
        for (uint32_t p = 0; p < fdb->n_ports; p++) {
            n += fdb_flush_port(fdb, p, vlan);
        }
    }
    fdb->stats.flushed += n;
    return n;
}

uint32_t
fdb_count(const struct fdb *fdb)
{
    return fdb->n_entries;
}

void
fdb_get_stats(const struct fdb *fdb, struct fdb_stats *stats)
{
    *stats = fdb->stats;
}

void
fdb_foreach(const struct fdb *fdb, uint64_t now_ns,
            void (*cb)(void *arg, const struct fdb_entry_info *info),
            void *arg)
{
    for (uint32_t port = 0; port < fdb->n_ports; port++) {
        uint32_t idx = fdb->ports[port].head;

        while (idx != FDB_NONE) {
            const struct fdb_entry *e = &fdb->entries[idx];
            struct fdb_entry_info info;

            if (!fdb_entry_is_expired(fdb, e, now_ns)) {
                for (int i = 0; i < 6; i++) {
                    info.mac[i] = (uint8_t) (e->key >> (56 - 8 * i));
                }
                info.vlan = (uint16_t) e->key;
                info.port = (uint16_t) port;
                info.idle_ns =
                    now_ns > e->last_seen ? now_ns - e->last_seen : 0;
                cb(arg, &info);
            }
            idx = fdb->links[idx].next;
        }
    }
}

size_t
fdb_memory_size(const struct fdb *fdb)
{
    return sizeof *fdb +
           (size_t) fdb->max_entries *
               (sizeof *fdb->entries + sizeof *fdb->links) +
           ((size_t) fdb->slot_mask + 1) * sizeof *fdb->slots +
           3 * (FDB_CACHE_LINE - 1) +
           (size_t) fdb->n_ports * (sizeof *fdb->ports + sizeof *fdb->heap);
}

/* The power of two at or above 4/3 of 'max_entries': a load factor of at
 * most 3/4 keeps linear probes short, and at least one slot is always empty,
 * which ends every probe sequence. */
static uint32_t
fdb_n_slots(uint32_t max_entries)
{
    uint32_t need = max_entries + (max_entries + 2) / 3;
    uint32_t n = 1;

    while (n < need) {
        n <<= 1;
    }
    return n;
}

/* calloc() of large sizes maps zero pages lazily, so even a huge table costs
 * no time until it fills; it does not align them to a cache line, though, so
 * over-allocate.  Sets '*base' to the pointer to free. */
static void *
fdb_calloc_aligned(size_t size, void **base)
{
    uintptr_t p;

    *base = calloc(1, size + FDB_CACHE_LINE - 1);
    if (!*base) {
        return NULL;
    }
    p = ((uintptr_t) *base + FDB_CACHE_LINE - 1) &
        ~(uintptr_t) (FDB_CACHE_LINE - 1);
    return (void *) p;
}

/* One 64-bit compare matches MAC and VLAN at once.  Built from two loads
 * and byte swaps rather than six shifted bytes: it runs twice a packet in
 * the built-in forwarding (learn and lookup), and this saves ~28 of its
 * ~840 instructions (tests/perf). */
static inline uint64_t
fdb_key(const uint8_t mac[6], uint16_t vlan)
{
    uint32_t hi;
    uint16_t lo;

    memcpy(&hi, mac, 4);
    memcpy(&lo, mac + 4, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    hi = __builtin_bswap32(hi);
    lo = __builtin_bswap16(lo);
#endif
    return (uint64_t) hi << 32 | (uint64_t) lo << 16 | vlan;
}

/* MurmurHash3's 64-bit finalizer over the seeded key.  The low bits
 * pick the home slot, the top 16 the tag (fdb_tag()). */
static inline uint64_t
fdb_hash(const struct fdb *fdb, uint64_t key)
{
    uint64_t h = key ^ fdb->seed;

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* The bits of the hash that a slot keeps: disjoint from the home slot's
 * (at most 25 low bits), so that keys crowding one cluster still differ
 * in their tags, and a probe reads the entry of a slot whose key is not
 * the one sought once in 65,536 slots. */
static inline uint16_t
fdb_tag(uint64_t hash)
{
    return (uint16_t) (hash >> 48);
}

/* A group address (I/G bit, the low bit of the first octet) or the zero
 * address never sends as a station. */
static inline bool
fdb_key_is_learnable(uint64_t key)
{
    return !((key >> 56) & 1) && (key >> 16) != 0;
}

static inline bool
fdb_entry_is_expired(const struct fdb *fdb, const struct fdb_entry *e,
                     uint64_t now_ns)
{
    return fdb->aging_ns && now_ns > e->last_seen &&
           now_ns - e->last_seen > fdb->aging_ns;
}

/* Returns the slot holding 'key', else the empty slot that ends its probe
 * sequence.  Terminates because the table always has an empty slot. */
static inline uint32_t
fdb_find_slot(const struct fdb *fdb, uint64_t key, uint64_t hash)
{
    uint32_t i = (uint32_t) hash & fdb->slot_mask;
    uint16_t tag = fdb_tag(hash);

    for (;;) {
        const struct fdb_slot *s = &fdb->slots[i];

        if (!s->idx1 ||
            (s->tag == tag && fdb->entries[s->idx1 - 1].key == key)) {
            return i;
        }
        i = (i + 1) & fdb->slot_mask;
    }
}

/* Empties 'slot' by shifting later members of its cluster back into the
 * hole, so that no tombstone is left to lengthen later probes.  A slot
 * keeps only a tag of its key's hash, so the home of each member is
 * hashed again from its entry's key: deletion reads the entries of the
 * cluster's rest (a few, at a load factor of at most 3/4), so that
 * lookups need not. */
static void
fdb_slot_delete(struct fdb *fdb, uint32_t slot)
{
    uint32_t mask = fdb->slot_mask;
    uint32_t hole = slot;

    for (uint32_t j = (slot + 1) & mask; fdb->slots[j].idx1;
         j = (j + 1) & mask) {
        uint32_t home =
            (uint32_t) fdb_hash(fdb, fdb->entries[fdb->slots[j].idx1 - 1].key) &
            mask;

        /* The slot at 'j' may fill the hole only if the hole lies between
         * its home and 'j', or lookups starting at home would miss it. */
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            fdb->slots[hole] = fdb->slots[j];
            hole = j;
        }
    }
    fdb->slots[hole] = (struct fdb_slot){0, 0, 0};
}

static enum fdb_learn_result
fdb_refresh(struct fdb *fdb, uint32_t slot, uint16_t port)
{
    struct fdb_slot *s = &fdb->slots[slot];
    uint32_t idx = s->idx1 - 1;

    fdb->entries[idx].last_seen = fdb->clock;
    if (s->port == port) {
        struct fdb_port *p = &fdb->ports[port];

        /* A station sending a burst is already the tail: skip the relink
         * and the neighbours' cache lines it would touch. */
        if (p->tail != idx) {
            fdb_lru_unlink(fdb, p, idx);
            fdb_lru_append(fdb, p, idx);
        }
        return FDB_REFRESHED;
    }
    fdb_port_del(fdb, s->port, idx);
    s->port = port;
    fdb_port_add(fdb, port, idx);
    fdb->stats.moved++;
    return FDB_MOVED;
}

/* Adds 'key' to the table at 'slot', the empty slot fdb_find_slot() found
 * for it, first making room if the table is full. */
static enum fdb_learn_result
fdb_insert(struct fdb *fdb, uint64_t key, uint64_t hash, uint32_t slot,
           uint16_t port)
{
    struct fdb_entry *e;
    uint32_t idx;

    if (fdb->n_entries >= fdb->max_entries) {
        fdb_evict(fdb);
        slot = fdb_find_slot(fdb, key, hash);
    }

    if (fdb->free_head != FDB_NONE) {
        idx = fdb->free_head;
        fdb->free_head = fdb->links[idx].next;
    } else {
        idx = fdb->n_used++;
    }
    e = &fdb->entries[idx];
    e->key = key;
    e->last_seen = fdb->clock;
    fdb->slots[slot] = (struct fdb_slot){fdb_tag(hash), port, idx + 1};
    fdb_port_add(fdb, port, idx);
    fdb->n_entries++;
    fdb->stats.learned++;
    return FDB_LEARNED;
}

/* Removes the least recently seen entry of the port with the most entries.
 * One that has expired anyway counts as aged, not evicted. */
static void
fdb_evict(struct fdb *fdb)
{
    uint32_t idx = fdb->ports[fdb->heap[0]].head;

    if (fdb_entry_is_expired(fdb, &fdb->entries[idx], fdb->clock)) {
        fdb->stats.aged++;
    } else {
        fdb->stats.evicted++;
    }
    fdb_remove(fdb, idx);
}

/* Removes entry 'idx' from the index and its port and frees it.  The
 * caller counts why. */
static void
fdb_remove(struct fdb *fdb, uint32_t idx)
{
    uint64_t key = fdb->entries[idx].key;
    uint32_t slot = fdb_find_slot(fdb, key, fdb_hash(fdb, key));
    uint16_t port = fdb->slots[slot].port;

    fdb_slot_delete(fdb, slot);
    fdb_port_del(fdb, port, idx);
    fdb->links[idx].next = fdb->free_head;
    fdb->free_head = idx;
    fdb->n_entries--;
}

static uint32_t
fdb_flush_port(struct fdb *fdb, uint32_t port, int32_t vlan)
{
    uint32_t idx, n = 0;

    if (port >= fdb->n_ports) {
        return 0;
    }
    idx = fdb->ports[port].head;
    while (idx != FDB_NONE) {
        uint32_t next = fdb->links[idx].next;

        if (vlan < 0 || (uint16_t) fdb->entries[idx].key == vlan) {
            fdb_remove(fdb, idx);
            n++;
        }
        idx = next;
    }
    return n;
}

/* Makes sure 'port' has a record. */
static inline bool
fdb_port_reserve(struct fdb *fdb, uint16_t port)
{
    return port < fdb->n_ports || fdb_ports_grow(fdb, port);
}

/* Grows the per-port arrays by doubling to cover 'port': at most 16 times
 * in a table's life, so learning stays free of malloc() in steady state. */
static bool
fdb_ports_grow(struct fdb *fdb, uint16_t port)
{
    uint32_t n = fdb->n_ports ? fdb->n_ports : 16;
    struct fdb_port *ports;
    uint16_t *heap;

    while (n <= port) {
        n *= 2;
    }
    ports = realloc(fdb->ports, n * sizeof *ports);
    if (!ports) {
        return false;
    }
    fdb->ports = ports;
    heap = realloc(fdb->heap, n * sizeof *heap);
    if (!heap) {
        return false;
    }
    fdb->heap = heap;
    for (uint32_t i = fdb->n_ports; i < n; i++) {
        ports[i] = (struct fdb_port){FDB_NONE, FDB_NONE, 0, FDB_NONE};
    }
    fdb->n_ports = n;
    return true;
}

/* Puts entry 'idx' at the tail of 'port''s list and counts it there. */
static void
fdb_port_add(struct fdb *fdb, uint16_t port, uint32_t idx)
{
    struct fdb_port *p = &fdb->ports[port];

    fdb_lru_append(fdb, p, idx);
    if (!p->n_entries++) {
        p->heap_pos = fdb->heap_size++;
        fdb->heap[p->heap_pos] = port;
    }
    fdb_heap_up(fdb, p->heap_pos);
}

/* Takes entry 'idx' off 'port''s list and uncounts it. */
static void
fdb_port_del(struct fdb *fdb, uint16_t port, uint32_t idx)
{
    struct fdb_port *p = &fdb->ports[port];
    uint32_t pos = p->heap_pos;

    fdb_lru_unlink(fdb, p, idx);
    if (--p->n_entries) {
        fdb_heap_down(fdb, pos);
        return;
    }
    /* Leaves the heap: the last port fills its place, which may have to
     * move either way. */
    p->heap_pos = FDB_NONE;
    if (pos != --fdb->heap_size) {
        uint16_t last = fdb->heap[fdb->heap_size];

        fdb->heap[pos] = last;
        fdb->ports[last].heap_pos = pos;
        fdb_heap_down(fdb, pos);
        fdb_heap_up(fdb, fdb->ports[last].heap_pos);
    }
}

static void
fdb_lru_append(struct fdb *fdb, struct fdb_port *p, uint32_t idx)
{
    struct fdb_link *e = &fdb->links[idx];

    e->prev = p->tail;
    e->next = FDB_NONE;
    if (p->tail != FDB_NONE) {
        fdb->links[p->tail].next = idx;
    } else {
        p->head = idx;
    }
    p->tail = idx;
}

static void
fdb_lru_unlink(struct fdb *fdb, struct fdb_port *p, uint32_t idx)
{
    struct fdb_link *e = &fdb->links[idx];

    if (e->prev != FDB_NONE) {
        fdb->links[e->prev].next = e->next;
    } else {
        p->head = e->next;
    }
    if (e->next != FDB_NONE) {
        fdb->links[e->next].prev = e->prev;
    } else {
        p->tail = e->prev;
    }
}

/* Counts move by one at a time, so these loops usually stop at once. */
static void
fdb_heap_up(struct fdb *fdb, uint32_t pos)
{
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;

        if (fdb->ports[fdb->heap[parent]].n_entries >=
            fdb->ports[fdb->heap[pos]].n_entries) {
            break;
        }
        fdb_heap_swap(fdb, parent, pos);
        pos = parent;
    }
}

static void
fdb_heap_down(struct fdb *fdb, uint32_t pos)
{
    for (;;) {
        uint32_t child = 2 * pos + 1;

        if (child >= fdb->heap_size) {
            break;
        }
        if (child + 1 < fdb->heap_size &&
            fdb->ports[fdb->heap[child + 1]].n_entries >
                fdb->ports[fdb->heap[child]].n_entries) {
            child++;
        }
        if (fdb->ports[fdb->heap[child]].n_entries <=
            fdb->ports[fdb->heap[pos]].n_entries) {
            break;
        }
        fdb_heap_swap(fdb, pos, child);
        pos = child;
    }
}

static void
fdb_heap_swap(struct fdb *fdb, uint32_t a, uint32_t b)
{
    uint16_t pa = fdb->heap[a], pb = fdb->heap[b];

    fdb->heap[a] = pb;
    fdb->heap[b] = pa;
    fdb->ports[pb].heap_pos = a;
    fdb->ports[pa].heap_pos = b;
}

void
fdb_set_aging(struct fdb *fdb, uint64_t aging_ns)
{
    fdb->aging_ns = aging_ns;
}
