/* Connection table
 * ================
 * Every connection the firewall allowed, found from a packet of either
 * direction.  One entry per connection, keyed by the originator's tuple;
 * the hash is symmetric (fw-tuple.h), so a reply lands in the same bucket
 * and is told apart by comparing against the reversed key.
 *
 * Memory.  All 'max_conns' entries are allocated up front (calloc, so the
 * pages are touched only as entries are first used) and recycled through a
 * free list: the datapath never allocates.  A full table refuses new
 * connections; it never evicts a live one (an attacker who can fill it
 * could otherwise push out established connections).
 *
 * Expiry.  Each connection is in a timeout class (its TCP state, UDP
 * before and after a reply, ICMP, other) with its own idle timeout.  Every
 * class keeps its entries on a list in the order they were queued, and
 * an entry is queued again only when it is used a second (CT_REQUEUE_NS)
 * or more after it was last queued, so that most packets write nothing but
 * their own entry: each list is in order of last use to within a second,
 * and conntrack_expire() walks from a head the entries queued a timeout
 * ago or more, removing those idle for their timeout.  It costs
 * O(expired), plus entries used in the second after they were queued;
 * however large the table, it removes every entry due.  A lookup also
 * treats an expired entry as gone, so the moment of expiry is exact on the
 * switch clock whether or not the periodic sweep has run yet.  The clock
 * must not go backwards.
 *
 * Threads: one instance per datapath thread; no locking. */
#ifndef FW_CONNTRACK_H
#define FW_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw-tuple.h"
#include "tcp-state.h"

/* Timeout classes: enum name, configuration key, default in seconds (the
 * Linux conntrack defaults).  The TCP classes follow enum tcp_state. */
#define CT_CLASSES(_)                                                         \
    _(TCP_SYN_SENT, "tcp_syn_sent", 120)                                      \
    _(TCP_SYN_RECV, "tcp_syn_recv", 60)                                       \
    _(TCP_ESTABLISHED, "tcp_established", 432000)                             \
    _(TCP_FIN_WAIT, "tcp_fin_wait", 120)                                      \
    _(TCP_CLOSE_WAIT, "tcp_close_wait", 60)                                   \
    _(TCP_LAST_ACK, "tcp_last_ack", 30)                                       \
    _(TCP_TIME_WAIT, "tcp_time_wait", 120)                                    \
    _(TCP_CLOSE, "tcp_close", 10)                                             \
    _(UDP, "udp", 30)                                                         \
    _(UDP_REPLIED, "udp_replied", 180)                                        \
    _(ICMP, "icmp", 30)                                                       \
    _(OTHER, "other", 600)

enum ct_class {
#define CT_ENUM_(e, name, def) CT_##e,
    CT_CLASSES(CT_ENUM_)
#undef CT_ENUM_
        CT_N_CLASSES
};

_Static_assert(CT_TCP_CLOSE - CT_TCP_SYN_SENT ==
                   TCP_ST_CLOSE - TCP_ST_SYN_SENT,
               "TCP timeout classes follow enum tcp_state");

/** ct_class_of_tcp - the timeout class of TCP state 'state' (not NONE). */
static inline uint8_t
ct_class_of_tcp(uint8_t state)
{
    return (uint8_t) (CT_TCP_SYN_SENT + (state - TCP_ST_SYN_SENT));
}

/* Limits of max_conns. */
#define CT_MAX_CONNS_MIN 1u
#define CT_MAX_CONNS_MAX 16777216u

/* One connection: two cache lines, aligned.  The first holds what a
 * packet of a known connection reads and writes (the key, the chain, the
 * last use, the class, the UDP and pending flags), so that a lookup and a
 * touch that keeps the class miss the cache once; the second what only
 * TCP packets, class changes, removals and the pending logic read.  The
 * table owns the fields marked (table); the firewall reads and writes the
 * others. */
struct conn {
    /* First line. */
    struct fw_tuple key; /* (table) The originator's tuple. */
    uint32_t hnext;      /* (table) Next id in the hash chain; 0 ends it. */
    uint64_t last_ns;    /* (table) Switch clock of the last packet. */
    uint32_t qlag;       /* (table) last_ns minus the time the entry was
                          * last queued on its class list (conntrack.c). */
    uint8_t cls;         /* (table) enum ct_class; CT_N_CLASSES once
                          * removed. */
    uint8_t replied;     /* A reply-direction packet was seen. */
    uint8_t pending;     /* Allowed only on egress, not yet decided. */
    uint8_t slot;        /* While pending: its index in the firewall's
                          * list of this batch's pending connections. */
    /* Second line. */
    uint32_t lprev;      /* (table) Previous id on the class list; 0 at the
                          * head. */
    uint32_t lnext;      /* (table) Next id on the class list; 0 at the
                          * tail. */
    uint32_t hash;       /* (table) fw_tuple_hash() of the key (either
                          * way). */
    uint16_t rule;       /* Index of the rule that allowed it. */
    uint16_t out_port;   /* The egress port it was allowed towards, or
                          * XSW_PORT_NONE when allowed towards any. */
    uint32_t batch;      /* The ingress batch that opened it. */
    struct tcp_conn tcp; /* TCP connections only. */
} __attribute__((aligned(64)));

#define CT_LINE 64u
_Static_assert(sizeof(struct conn) == 2 * CT_LINE, "two lines a connection");
_Static_assert(offsetof(struct conn, slot) == CT_LINE - 1 &&
                   offsetof(struct conn, lprev) == CT_LINE,
               "what every packet reads is in the first line");
_Static_assert(sizeof(struct conn) <= 256, "at most 256 bytes a connection");

/* conn->rule when no rule let the connection in: the default did, or (while
 * it is pending) nothing has yet. */
#define CONN_RULE_NONE 0xffffu
/* conn->rule of a connection restored from a state blob (fw-state.h): the
 * rule that let it in belonged to the configuration before a reload. */
#define CONN_RULE_RESTORED 0xfffeu
/* conn->slot of a connection that is not pending. */
#define CONN_SLOT_NONE 0xffu

struct conntrack;

struct conntrack_settings {
    uint32_t max_conns;                /* CT_MAX_CONNS_MIN..._MAX. */
    uint32_t seed;                     /* Hash salt. */
    uint64_t timeout_ns[CT_N_CLASSES]; /* Idle time before expiry, > 0. */
};

/**
 * conntrack_create - an empty table
 * @return NULL when memory is short or a setting is out of range.
 */
struct conntrack *conntrack_create(const struct conntrack_settings *s);

/** conntrack_destroy - free 'ct'; NULL is a no-op. */
void conntrack_destroy(struct conntrack *ct);

/** conntrack_hash - the hash conntrack_lookup_hashed() wants for 't'. */
uint32_t conntrack_hash(const struct conntrack *ct, const struct fw_tuple *t);

/**
 * conntrack_prefetch - start loading what a lookup of 'hash' will read
 *
 * Call it for a whole batch, once with 'stage' 0 (the bucket) and then
 * once with 'stage' 1 (the first entry, read from the bucket), before the
 * lookups: the loads of different packets then overlap instead of each
 * lookup waiting for memory in turn.  'whole' in stage 1 loads the entry's
 * second line too (struct conn), which a TCP packet reads.
 */
void conntrack_prefetch(const struct conntrack *ct, uint32_t hash, int stage,
                        bool whole);

/**
 * conntrack_lookup - the live connection 't' belongs to, in either
 *                    direction
 * @param is_reply  set to whether 't' is the reply direction
 * @return the entry, or NULL.  An entry idle for its class's timeout at
 *         'now' is removed and not returned.  The pointer is valid until
 *         the entry is removed or expires.
 */
struct conn *conntrack_lookup(struct conntrack *ct, const struct fw_tuple *t,
                              uint64_t now, bool *is_reply);

/** conntrack_lookup_hashed - conntrack_lookup() with the hash known. */
struct conn *conntrack_lookup_hashed(struct conntrack *ct,
                                     const struct fw_tuple *t, uint32_t hash,
                                     uint64_t now, bool *is_reply);

/**
 * conntrack_insert - add a connection whose originator's tuple is 't'
 *
 * The caller has checked that 't' is not in the table (in either
 * direction).  The firewall's fields in struct conn are zeroed.
 * @return the entry, or NULL when the table is full even after expiring
 *         what is due at 'now' among each class's first queued entries
 *         (a bounded look: the periodic conntrack_expire() finds the
 *         rest).
 */
struct conn *conntrack_insert(struct conntrack *ct, const struct fw_tuple *t,
                              uint8_t cls, uint64_t now);

/** conntrack_touch - 'c' was used at 'now'; it is now in class 'cls'. */
void conntrack_touch(struct conntrack *ct, struct conn *c, uint8_t cls,
                     uint64_t now);

/** conntrack_remove - forget 'c' now. */
void conntrack_remove(struct conntrack *ct, struct conn *c);

/**
 * conntrack_in_table - is 'c' (a pointer kept from before) still an entry?
 *
 * False once it was removed or expired away (until the slot is reused:
 * compare a field of your own, too).
 */
bool conntrack_in_table(const struct conn *c);

/**
 * conntrack_expire - remove every connection idle for its timeout
 * @return how many were removed.
 */
uint32_t conntrack_expire(struct conntrack *ct, uint64_t now);

/**
 * conntrack_oldest - the entry of class 'cls' queued first, or NULL
 *
 * With conntrack_newer(), walks every entry of a class in the order they
 * were queued, which is the order of last use only to within a second
 * (see Expiry above; for saving the table, the table must not change
 * during the walk).  Expired entries not yet swept are included.
 */
const struct conn *conntrack_oldest(const struct conntrack *ct, uint8_t cls);

/** conntrack_newer - the entry of c's class queued next after 'c', or
 *                    NULL. */
const struct conn *conntrack_newer(const struct conntrack *ct,
                                   const struct conn *c);

/** conntrack_clear - forget every entry (the expired count stays). */
void conntrack_clear(struct conntrack *ct);

/** conntrack_capacity - max_conns the table was created with. */
uint32_t conntrack_capacity(const struct conntrack *ct);

/** conntrack_n_buckets - hash buckets the table has: a power of two, at
 *                        least twice max_conns. */
uint32_t conntrack_n_buckets(const struct conntrack *ct);

/** conntrack_timeout_ns - the idle timeout of class 'cls' (< CT_N_CLASSES). */
uint64_t conntrack_timeout_ns(const struct conntrack *ct, uint8_t cls);

/** conntrack_count - live entries in class 'cls' (CT_N_CLASSES: all). */
uint32_t conntrack_count(const struct conntrack *ct, uint8_t cls);

/** conntrack_expired - entries removed by expiry since creation. */
uint64_t conntrack_expired(const struct conntrack *ct);

/** conntrack_class_name - the configuration key of class 'cls'. */
const char *conntrack_class_name(uint8_t cls);

/** conntrack_class_default_s - the default timeout of 'cls' in seconds. */
uint32_t conntrack_class_default_s(uint8_t cls);

#endif
