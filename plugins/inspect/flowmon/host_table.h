/* Host table
 * ==========
 * Totals per host (an IP address, or a MAC address for non-IP traffic, per
 * VLAN) since the monitor started: what the "top sources" ranking is made
 * from.  Flows outlive no host they refer to: a flow takes a reference on
 * each of its two endpoints when it is created (one lookup per flow, not
 * per packet) and adds every packet's bytes to its sender's entry through
 * that reference; it drops the references when it ends.
 *
 * A host nobody refers to any more keeps its totals until room is needed:
 * unreferenced hosts wait in a FIFO and the oldest is evicted when a new
 * host finds the table full.  Sized at twice the flow table, the table
 * always has room for the hosts of every live flow, so only hosts without
 * flows are ever evicted (and the eviction is counted: past that point the
 * ranking is of the hosts still known).
 *
 * All memory is allocated in host_table_create(); no malloc() afterwards.
 * Threads: one thread at a time. */
#ifndef FLOWMON_HOST_TABLE_H
#define FLOWMON_HOST_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_NONE UINT32_MAX

struct host_key {
    uint16_t vlan;    /* Classified VLAN. */
    uint8_t kind;     /* FLOW_KIND_* of flow_key.h. */
    uint8_t reserved; /* Zero. */
    uint8_t addr[16]; /* As in flow_key.addr. */
};

struct host_rec {
    struct host_key key;
    uint32_t refs;    /* Live flows with this host as an endpoint. */
    uint64_t bytes;   /* Frame bytes sent. */
    uint64_t packets; /* Frames sent. */
    uint64_t flows;   /* Flows it took part in, live or ended. */
};

struct host_table; /* Opaque. */

/** host_table_create - room for 'capacity' (>= 1) hosts; NULL on ENOMEM. */
struct host_table *host_table_create(uint32_t capacity);

/** host_table_destroy - NULL is a no-op. */
void host_table_destroy(struct host_table *);

/**
 * host_table_ref - find or add the host of 'key' and take a reference
 * @param evicted  set to whether an unreferenced host was dropped for room
 * @return the host's index, or HOST_NONE when every host is referenced.
 */
uint32_t host_table_ref(struct host_table *, const struct host_key *key,
                        bool *evicted);

/** host_table_unref - drop a reference taken by host_table_ref(). */
void host_table_unref(struct host_table *, uint32_t idx);

/** host_table_get - the host at 'idx' from host_table_ref(). */
struct host_rec *host_table_get(struct host_table *, uint32_t idx);

/** host_table_count - hosts in the table. */
uint32_t host_table_count(const struct host_table *);

/**
 * host_table_next - iterate over the hosts, in slot order
 * @param rec  NULL to start, then the previous result
 * @return the next host, or NULL after the last.
 */
const struct host_rec *host_table_next(const struct host_table *,
                                       const struct host_rec *rec);

#endif
