/* MAC learning table (FDB)
 * ========================
 *
 * Maps (MAC, VLAN) to the port last seen sending from that source address,
 * so that unicast goes out of one port instead of being flooded.  Sources are
 * learned from every frame's Ethernet source with fdb_learn(); destinations
 * are found with fdb_lookup().  Group (multicast and broadcast, I/G bit set)
 * and all-zero sources are never learned: they cannot be a station.
 *
 * A few complications make the implementation into more than a simple
 * wrapper around a hash table:
 *
 *   - Entries age by the switch clock passed in by the caller ('now_ns', pcap
 *     time in replays), never the wall clock, so aging is deterministic.  An
 *     entry idle for longer than 'aging_ns' is absent to fdb_lookup(),
 *     fdb_learn() and fdb_foreach() at once, even before fdb_age() reclaims
 *     it.  A clock that steps back is treated as standing still.
 *
 *   - A station that moves (a known MAC seen on another port) follows the
 *     move at once (FDB_MOVED): the last sender wins, as in a learning bridge.
 *
 *   - When the table is full, a new source evicts the least recently used
 *     entry of the port that holds the most entries.  Evicting the global LRU
 *     entry instead would let one port that floods random source MACs push
 *     every other port's stations out of the table, turning all their
 *     unicast into floods; this way a flooding port can only churn its own
 *     entries.  (Open vSwitch's lib/mac-learning.c does the same.)  Between
 *     ports with equal counts the choice is arbitrary but deterministic.
 *     Expired entries hold their place until fdb_age() removes them, so
 *     call it periodically (say once a second of switch time): a full table
 *     otherwise evicts a live entry while another port's expired ones stay.
 *
 * Structure
 * ---------
 * All memory is allocated by fdb_create(); learning never calls malloc()
 * except the first time a port id above any seen before appears (the
 * per-port array grows by doubling, at most 16 times).
 *
 *   - Entries never move; each is an index into two arrays.  What a
 *     lookup or a refresh reads is 16 bytes, four to a cache line: the key
 *     (MAC << 16 | VLAN in one uint64_t, compared in one instruction) and
 *     the last-seen time.  The prev/next indexes of the port's LRU list
 *     are 8 bytes in an array of their own, which only learning a new
 *     source, a move, a relink, removal and the walks (aging, flushing,
 *     fdb_foreach()) touch.  Unused entries form a free list.
 *
 *   - The index is an open-addressing hash table with linear probing over
 *     8-byte slots (a 16-bit tag of the key's hash, the entry's port and
 *     its index), eight to a cache line, sized to the power of two at or
 *     above 4/3 of 'max_entries' (load factor at most 3/4, exactly 1/2 for
 *     power-of-two sizes).  The tag (the hash's top 16 bits; the home slot
 *     comes from its low bits) rejects all but one in 65,536 non-matching
 *     slots without touching their entries, and the port in the slot
 *     spares a lookup a second read.  Deletion shifts the rest of the
 *     cluster back instead of leaving tombstones, so probe lengths do not
 *     degrade with churn; it hashes their keys again to find their homes
 *     (a few entries read, where a stored full hash would cost every
 *     lookup 8 more bytes).  The hash is keyed with a per-table random
 *     seed, so that source MACs cannot be chosen to collide.
 *
 *   - Each port has an LRU list (oldest at the head, linked by entry index)
 *     and an entry count.  Ports with entries sit in a binary max-heap by
 *     count, so the busiest port is the heap's root.  Since the switch clock
 *     never steps back (see above), each list is also in last-seen order.
 *
 * Costs: fdb_lookup() and a refreshing fdb_learn() are O(1) expected (one
 * probe sequence, usually within one cache line of slots, then one entry;
 * a refresh also relinks the entry at the tail of its port's LRU list,
 * unless it is the tail already).  Learning a new source or removing an
 * entry is O(1) expected plus O(log P) for the heap, P the number of ports
 * holding entries; in practice O(1), since counts move by one and the heap
 * rarely reorders.  fdb_age() costs O(port ids seen + entries removed),
 * since each port's list is in last-seen order.  fdb_flush() costs
 * O(entries of the port) for one port, else O(port ids seen + entries).
 * fdb_foreach() visits entries by port, oldest first.
 *
 * Speed is bounded by cache misses: a learn and a lookup read a slot and
 * an entry each, and a refresh writes the LRU links of the entry and its
 * neighbours.  With a million entries the slots alone (16 MiB) outgrow
 * the caches, and each key costs a miss on its slot, and on its entry
 * unless the traffic's entries happen to lie together (as in
 * tests/bench, where stations were learned in the order they send).
 *
 * Batches overlap the misses.  fdb_prefetch() takes the keys of a whole
 * batch of frames (sources to learn, destinations to look up), hashes
 * each once and prefetches its home slot, then returns: the caller's
 * work on the first packets overlaps the misses of the later ones.
 * fdb_learn_probe() and fdb_lookup_probe() then do, in the caller's
 * order, exactly what fdb_learn() and fdb_lookup() do, with the hash
 * already computed; the prefetches are hints, so a learn that changes
 * the table between the prefetch and a later probe costs time, never
 * correctness.  The switch's built-in forwarding does this for every
 * batch (core/dp.c).  Prefetching more was measured slower, on an AMD
 * EPYC VM with xsw-bench-pipeline --scale fdb at 1,000,000 entries: a
 * second pass reading the slots to prefetch their entries (and a third
 * for the LRU neighbours) makes the batch wait for all its slots before
 * the first packet moves; prefetching entries a few packets ahead in the
 * forwarding loop, or the slots already at receive time, cost more than
 * they saved.
 *
 * Memory: 24 bytes per entry plus 8 bytes per hash slot, 1 1/3 to 2 2/3
 * slots per entry: 40 bytes per entry when 'max_entries' is a power of two,
 * at most 46 (45 1/3) otherwise, whether the table is full or empty (the
 * pages of an empty one are mapped lazily, though).  Each port id up to the
 * highest seen adds 18 bytes, and the table itself about 300, which matters
 * only below a few hundred entries.  fdb_memory_size() returns the total.
 *
 * Threads: datapath thread only.  Nothing is locked; a control thread that
 * wants to read the table must ask the datapath thread to do it.
 */
#ifndef XSW_FDB_H
#define XSW_FDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xsw_err;

enum {
    FDB_DEFAULT_MAX_ENTRIES = 4096,
    FDB_MAX_ENTRIES = 16777216, /* 2^24: 768 MiB of table at most. */
};

struct fdb; /* Opaque. */

struct fdb_settings {
    uint32_t max_entries; /* Entries; 0 = FDB_DEFAULT_MAX_ENTRIES. At most
                             FDB_MAX_ENTRIES. */
    uint64_t aging_ns;    /* Idle time before expiry; 0 = never expire. */
};

/* Event counters since fdb_create().  An entry is counted once when it
 * leaves: 'aged' (expired, whether fdb_age(), a new learn or an eviction
 * found it expired), 'evicted' (pushed out while still live, table full) or
 * 'flushed'.  So learned - aged - evicted - flushed == fdb_count(). */
struct fdb_stats {
    uint64_t learned; /* New entries, including relearning an expired one. */
    uint64_t moved;   /* Station moves: a live entry changed port. */
    uint64_t aged;    /* Entries removed because they expired. */
    uint64_t evicted; /* Live entries removed to make room. */
    uint64_t flushed; /* Entries removed by fdb_flush(). */
    uint64_t ignored; /* Group or all-zero sources not learned. */
};

/* What fdb_learn() did. */
enum fdb_learn_result {
    FDB_IGNORED,   /* Not learnable (group or zero source): nothing done. */
    FDB_REFRESHED, /* Known on this port: last-seen time updated. */
    FDB_LEARNED,   /* New (or expired) entry created. */
    FDB_MOVED,     /* Known on another port: now on this one. */
};

/* One entry, as fdb_foreach() reports it. */
struct fdb_entry_info {
    uint8_t mac[6];
    uint16_t vlan;
    uint16_t port;
    uint64_t idle_ns; /* 'now_ns' minus last seen; 0 if the clock is behind. */
};

/* Creates an empty table with the given settings (NULL means all defaults).
 * Returns NULL and sets 'err' if 'max_entries' exceeds FDB_MAX_ENTRIES or
 * memory is short.  Destroy with fdb_destroy(). */
struct fdb *fdb_create(const struct fdb_settings *, struct xsw_err *);

/* Frees 'fdb' and all its entries.  NULL is a no-op. */
void fdb_destroy(struct fdb *);

/* Learns that 'mac' in 'vlan' was seen as a source on 'port' at 'now_ns'.
 * A full table first evicts the least recently used entry of the busiest
 * port.  The only failure is running out of memory for a new port id's
 * record, reported as FDB_IGNORED and counted in 'ignored'. */
enum fdb_learn_result fdb_learn(struct fdb *, const uint8_t mac[6],
                                uint16_t vlan, uint16_t port, uint64_t now_ns);

/* Returns the port of (mac, vlan), or -ENOENT if unknown or idle for longer
 * than 'aging_ns' at 'now_ns'.  Does not refresh the entry. */
int fdb_lookup(const struct fdb *, const uint8_t mac[6], uint16_t vlan,
               uint64_t now_ns);

/* One key of a batch for fdb_prefetch(): the caller sets 'mac' and
 * 'vlan', fdb_prefetch() sets 'key' and 'hash'.  The same probe serves a
 * source to learn and a destination to look up.  'mac' must stay valid
 * until the probe is used. */
struct fdb_probe {
    const uint8_t *mac;
    uint16_t vlan;
    uint64_t key;
    uint64_t hash;
};

/* Hashes the 'n' probes and prefetches what learning or looking them up
 * will touch.  Changes nothing in the table. */
void fdb_prefetch(const struct fdb *, struct fdb_probe *, uint32_t n);

/* fdb_learn() and fdb_lookup() of a probe that fdb_prefetch() has set. */
enum fdb_learn_result fdb_learn_probe(struct fdb *, const struct fdb_probe *,
                                      uint16_t port, uint64_t now_ns);
int fdb_lookup_probe(const struct fdb *, const struct fdb_probe *,
                     uint64_t now_ns);

/* Removes every entry idle for longer than 'aging_ns' at 'now_ns' and
 * returns how many.  Returns 0 if entries never expire. */
uint32_t fdb_age(struct fdb *, uint64_t now_ns);
/* A new idle time (a reload); entries are judged by it from now on. */
void fdb_set_aging(struct fdb *, uint64_t aging_ns);

/* Removes the entries on 'port' in 'vlan', either of which may be -1 for
 * any, and returns how many.  A port or VLAN outside 0..65535 other than -1
 * matches nothing. */
uint32_t fdb_flush(struct fdb *, int32_t port, int32_t vlan);

/* Returns the number of entries held, including expired ones that
 * fdb_age() has not removed yet. */
uint32_t fdb_count(const struct fdb *);

void fdb_get_stats(const struct fdb *, struct fdb_stats *);

/* Calls 'cb' once for each entry live at 'now_ns', in order of port, then
 * least recently seen first.  'cb' must not modify the table; 'info' is
 * valid only during the call.  'arg' is passed through. */
void fdb_foreach(const struct fdb *, uint64_t now_ns,
                 void (*cb)(void *arg, const struct fdb_entry_info *info),
                 void *arg);

/* Returns the bytes of memory the table holds (entries, hash slots, per-port
 * records and the table itself), for the memory-per-entry claim above. */
size_t fdb_memory_size(const struct fdb *);

#endif
