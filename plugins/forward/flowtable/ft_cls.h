/* Tuple-space classifier
 * ======================
 * Finds the highest-priority rule whose match holds for a packet's flow
 * key, without looking at every rule.
 *
 * Structure.  Rules are grouped by their mask (the "tuple": which fields
 * they match and with what masks).  Every group is a subtable: one hash
 * table keyed by the masked key, so all rules of a subtable are found with
 * one masked hash and one probe, however many there are.  A subtable hashes
 * and compares only the key words its mask touches (an L2 rule set reads
 * two of the eight words).  Rules whose masked keys are equal share a hash
 * entry and form a chain in rank order; a chain is longer than one only
 * when rules differ in their residual port ranges (ft_match.h) or repeat.
 *
 * Order.  A rule's rank is its priority, ties broken by insertion order
 * (earlier wins): rank = priority << 32 | (UINT32_MAX - sequence).  Each
 * subtable knows the highest rank in it; subtables are searched in that
 * order, and the search stops at the first subtable whose highest rank is
 * below the best match found so far: it cannot beat it.
 *
 * Cost.  A lookup is O(T) hash probes, T the number of subtables (distinct
 * masks) whose best rule ranks above the answer; it does not depend on the
 * number of rules.  100000 exact-match rules of one shape are one subtable
 * and one probe.  The worst case is a rule set with as many distinct masks
 * as rules (then it degrades to a linear scan, as any tuple-space search
 * does) plus residual range chains, scanned linearly within one entry.
 * Building sorts the rules once and inserts each with O(1) expected work:
 * O(n log n) for n rules; memory is about 100 bytes a rule.  Measured with
 * tests/ext/flowtable/bench-ft-cls (2-vCPU EPYC VM): one subtable, 11 ns a
 * lookup with 10 rules, 29 ns with 100000 (cache misses); each further
 * subtable probed adds 10-25 ns; building 100000 rules takes 25 ms.
 *
 * Use.  ft_cls_insert() every rule, then ft_cls_build() once; only then
 * ft_cls_lookup(), which never allocates and may run concurrently with
 * other lookups (the built classifier is read-only). */
#ifndef FT_CLS_H
#define FT_CLS_H

#include <stdint.h>

#include "ft_key.h"
#include "ft_match.h"

#define FT_CLS_MISS UINT32_MAX /* ft_cls_lookup(): no rule matches. */

struct ft_cls; /* Opaque. */

/** ft_cls_create - an empty classifier; NULL when out of memory. */
struct ft_cls *ft_cls_create(void);

/** ft_cls_destroy - free 'cls' (NULL is a no-op). */
void ft_cls_destroy(struct ft_cls *cls);

/**
 * ft_cls_insert - add a rule
 * @param match     a finished match (ft_match_finish()); copied
 * @param priority  higher wins; equal priorities go by insertion order
 * @param id        what ft_cls_lookup() returns for this rule (any value
 *                  but FT_CLS_MISS; several inserts may share an id)
 * @return 0, -ENOMEM, -EINVAL for FT_CLS_MISS or -EBUSY after the build.
 */
int ft_cls_insert(struct ft_cls *cls, const struct ft_match *match,
                  uint32_t priority, uint32_t id);

/**
 * ft_cls_build - make the inserted rules searchable
 * @return 0 or -ENOMEM (then 'cls' may only be destroyed).
 */
int ft_cls_build(struct ft_cls *cls);

/** ft_cls_lookup - the id of the best rule for 'key', or FT_CLS_MISS. */
uint32_t ft_cls_lookup(const struct ft_cls *cls, const struct ft_key *key);

/** ft_cls_n_rules - rules inserted. */
uint32_t ft_cls_n_rules(const struct ft_cls *cls);

/** ft_cls_n_subtables - distinct masks (subtables) after the build. */
uint32_t ft_cls_n_subtables(const struct ft_cls *cls);

/** ft_cls_n_entries - distinct masked keys over all subtables. */
uint32_t ft_cls_n_entries(const struct ft_cls *cls);

#endif
