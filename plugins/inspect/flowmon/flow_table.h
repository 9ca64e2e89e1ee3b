/* Flow table
 * ==========
 * Holds one record per flow (see flow_key.h), found by the key's hash.  All
 * memory is allocated in flow_table_create() for 'max_flows' records, so
 * the datapath never calls malloc(); untouched slots cost no RAM until used
 * (calloc() of a large block maps zero pages lazily).
 *
 * Recency.  Every lookup moves the record to the head of an LRU list, so
 * the tail is always the flow idle longest:
 *  - when the table is full, a new flow evicts the tail;
 *  - expiry walks from the tail and stops at the first flow still active,
 *    so a sweep costs the number of flows it ends, not the table size.
 * This relies on the switch clock not going backwards between packets
 * (replays merge inputs by timestamp); if it did, a flow would expire late,
 * never early.
 *
 * A record leaves the table only through the 'on_end' callback (evicted or
 * expired), which is called before its slot is reused, so the owner can
 * keep what it needs from it.
 *
 * Threads: one thread at a time (the datapath thread). */
#ifndef FLOWMON_FLOW_TABLE_H
#define FLOWMON_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow_key.h"

/* Directions of a flow: FLOW_FWD is from the endpoint that sent the first
 * packet (the initiator), FLOW_REV back to it. */
#define FLOW_FWD 0u
#define FLOW_REV 1u

#define FLOW_HOST_NONE UINT32_MAX

/* What the table's user reads and updates; the table itself only writes
 * 'key' and zeroes the rest when the record is created. */
struct flow_rec {
    struct flow_key key;  /* Canonical order (see flow_key.h). */
    uint64_t first_ns;    /* Switch clock of the first packet. */
    uint64_t last_ns;     /* Switch clock of the latest packet. */
    uint64_t packets[2];  /* Per direction (FLOW_FWD, FLOW_REV). */
    uint64_t bytes[2];    /* Frame bytes, per direction. */
    uint32_t host[2];     /* Per key endpoint: host_table index, or
                           * FLOW_HOST_NONE.  Owned by the user. */
    uint16_t in_port[2];  /* Per direction: latest ingress port, or
                           * XSW_PORT_NONE before the first packet. */
    uint8_t tcp_flags[2]; /* Per direction: every XSW_TCP_* seen, OR-ed. */
    uint8_t initiator;    /* The key endpoint (0/1) that sent first. */
    uint8_t reserved;     /* Zero. */
};

/* Why a record left the table. */
enum flow_end {
    FLOW_END_EXPIRED, /* Idle for the idle timeout. */
    FLOW_END_EVICTED, /* Pushed out by a new flow: the table was full. */
};

typedef void (*flow_end_fn)(void *arg, const struct flow_rec *rec,
                            enum flow_end why);

struct flow_table_settings {
    uint32_t max_flows; /* Records, >= 1. */
    uint64_t idle_ns;   /* Idle time before a flow expires. */
    flow_end_fn on_end; /* Called as a record leaves; may be NULL. */
    void *on_end_arg;
};

struct flow_table; /* Opaque. */

/** flow_table_create - NULL when memory is short. */
struct flow_table *flow_table_create(const struct flow_table_settings *);

/** flow_table_destroy - frees the table (calls no on_end); NULL is a no-op.*/
void flow_table_destroy(struct flow_table *);

/**
 * flow_table_find - the record of 'key', made if absent, and now the most
 *                   recently used
 * @param hash     the bucket hash of 'key' (flow_key_from_packet())
 * @param created  set to whether the record is new (its counters zero,
 *                 'first_ns' and 'last_ns' set to 'now_ns')
 * A new record evicts the least recently used one when the table is full.
 */
struct flow_rec *flow_table_find(struct flow_table *,
                                 const struct flow_key *key, uint32_t hash,
                                 uint64_t now_ns, bool *created);

/**
 * flow_table_lookup - the record of 'key', or NULL; changes nothing
 */
const struct flow_rec *flow_table_lookup(const struct flow_table *,
                                         const struct flow_key *key,
                                         uint32_t hash);

/**
 * flow_table_expire - end every flow whose last packet is 'idle_ns' or
 *                     more before 'now_ns'
 * @return the number of flows ended.
 */
uint32_t flow_table_expire(struct flow_table *, uint64_t now_ns);

/** flow_table_count - records in the table. */
uint32_t flow_table_count(const struct flow_table *);

/**
 * flow_table_next - iterate over the records, most recently used first
 * @param rec  NULL to start, then the previous result
 * @return the next record, or NULL after the last.  The table must not
 *         change during the walk.
 */
const struct flow_rec *flow_table_next(const struct flow_table *,
                                       const struct flow_rec *rec);

#endif
