/* Top-N keeper
 * ============
 * Keeps the best 'n' of a stream of items under a ranking, in O(log n) per
 * offer and fixed memory: a min-heap whose root is the worst item kept, so
 * a new item either loses to the root at once or replaces it.
 *
 * flowmon uses it twice: for the flows that have ended (so the top talkers
 * include flows already expired or evicted; the top 'n' of all flows ever
 * is always within the live ones plus these), and, at export time, to rank
 * live flows and hosts without sorting a whole table.
 *
 * The ranking must be a total order (break ties on something unique) so
 * that output is the same from run to run.  Items are copied in; the
 * keeper owns its copies. */
#ifndef FLOWMON_FLOW_TOP_H
#define FLOWMON_FLOW_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns > 0 when 'a' ranks above 'b', < 0 below, 0 when equal. */
typedef int (*flow_top_rank_fn)(const void *a, const void *b);

struct flow_top; /* Opaque. */

/** flow_top_create - a keeper for 'n' (>= 1) items; NULL on ENOMEM. */
struct flow_top *flow_top_create(uint32_t n, size_t item_size,
                                 flow_top_rank_fn rank);

/** flow_top_destroy - NULL is a no-op. */
void flow_top_destroy(struct flow_top *);

/**
 * flow_top_offer - keep a copy of 'item' if it ranks among the best 'n'
 * @return whether it was kept.  The caller keeps 'item'.
 */
bool flow_top_offer(struct flow_top *, const void *item);

/** flow_top_count - items kept (at most 'n'). */
uint32_t flow_top_count(const struct flow_top *);

/**
 * flow_top_sorted - copy the kept items into 'out', best first
 * @param out  room for flow_top_count() items
 * @return the number of items copied.
 */
uint32_t flow_top_sorted(const struct flow_top *, void *out);

#endif
