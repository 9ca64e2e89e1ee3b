/* Unit tests of flowmon's LRU table (lru_table.h), the storage under its
 * flow and host tables: lookup by key and hash, the queue of entries that
 * may be dropped, slot reuse and the two walks. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lru_table.h"

/* An entry: a 12-byte key and a value. */
struct tent {
    uint32_t key[3];
    uint32_t val;
};

static struct tent
tkey(uint32_t n)
{
    struct tent e;

    memset(&e, 0, sizeof(e));
    e.key[0] = n;
    e.key[2] = ~n;
    return e;
}

#define KEY_SIZE sizeof(((struct tent *) 0)->key)

static uint32_t
find(const struct lru_table *t, uint32_t n, uint32_t hash)
{
    struct tent k = tkey(n);

    return lru_table_find(t, &k, KEY_SIZE, hash);
}

/* Adds entry 'n' the way the flow and host tables do: the table links the
 * slot, the caller writes the whole entry. */
static uint32_t
add(struct lru_table *t, uint32_t n, uint32_t hash)
{
    uint32_t idx = lru_table_add(t, hash);

    if (idx != LRU_NONE)
        *(struct tent *) lru_table_entry(t, idx) = tkey(n);
    return idx;
}

static struct tent *
ent(const struct lru_table *t, uint32_t idx)
{
    return lru_table_entry(t, idx);
}

/* The queue, newest first, as a number per entry (key[0]), ended by 0. */
static void
queue_is(const struct lru_table *t, const uint32_t *want)
{
    uint32_t idx, n = 0;

    for (idx = lru_table_newest(t); idx != LRU_NONE;
         idx = lru_table_older(t, idx)) {
        ck_assert_uint_ne(want[n], 0);
        ck_assert_uint_eq(ent(t, idx)->key[0], want[n]);
        n++;
    }
    ck_assert_uint_eq(want[n], 0);
    if (n)
        ck_assert_uint_eq(ent(t, lru_table_oldest(t))->key[0], want[n - 1]);
    else
        ck_assert_uint_eq(lru_table_oldest(t), LRU_NONE);
}

START_TEST(lru_refuses_bad_sizes)
{
    struct lru_table t;

    ck_assert_int_eq(lru_table_init(&t, 0, 8), -EINVAL);
    ck_assert_int_eq(lru_table_init(&t, LRU_TABLE_MAX + 1u, 8), -EINVAL);
    ck_assert_int_eq(lru_table_init(&t, 4, 0), -EINVAL);
    ck_assert_int_eq(lru_table_init(&t, 1, 1), 0);
    lru_table_fini(&t);
}
END_TEST

START_TEST(lru_finds_by_key_and_hash)
{
    struct lru_table t;
    uint32_t i, idx[6];

    ck_assert_int_eq(lru_table_init(&t, 8, sizeof(struct tent)), 0);
    ck_assert_uint_eq(find(&t, 1, 7), LRU_NONE);
    /* Five keys on one hash share a chain; a sixth on another bucket. */
    for (i = 0; i < 5; i++)
        idx[i] = add(&t, i + 1, 7);
    idx[5] = add(&t, 6, 8);
    for (i = 0; i < 6; i++) {
        ck_assert_uint_lt(idx[i], 8);
        ck_assert_uint_eq(find(&t, i + 1, i < 5 ? 7 : 8), idx[i]);
        ck_assert_uint_eq(lru_table_index(&t, ent(&t, idx[i])), idx[i]);
    }
    /* The stored hash is part of the match. */
    ck_assert_uint_eq(find(&t, 1, 7 + 16), LRU_NONE);
    ck_assert_uint_eq(find(&t, 9, 7), LRU_NONE);
    ck_assert_uint_eq(lru_table_count(&t), 6);
    lru_table_fini(&t);
}
END_TEST

/* Entries of an odd size are aligned and do not overlap. */
START_TEST(lru_aligns_entries)
{
    enum { SIZE = 13, CAP = 5 };
    struct lru_table t;
    uint32_t i, j;

    ck_assert_int_eq(lru_table_init(&t, CAP, SIZE), 0);
    for (i = 0; i < CAP; i++) {
        uint32_t idx = lru_table_add(&t, i);

        ck_assert_uint_eq(idx, i);
        ck_assert_uint_eq(
            (uintptr_t) lru_table_entry(&t, idx) % LRU_TABLE_ALIGN, 0);
        memset(lru_table_entry(&t, idx), (int) (0xa0 + i), SIZE);
    }
    for (i = 0; i < CAP; i++) {
        const uint8_t *p = lru_table_entry(&t, i);

        for (j = 0; j < SIZE; j++)
            ck_assert_uint_eq(p[j], 0xa0 + i);
        ck_assert_uint_eq(lru_table_index(&t, p), i);
    }
    lru_table_fini(&t);
}
END_TEST

/* A full table of three entries 1, 2, 3 with hashes 'h1', 'h2', 'h3', in
 * slots 0, 1, 2, all held. */
static void
table3(struct lru_table *t, uint32_t h1, uint32_t h2, uint32_t h3)
{
    ck_assert_int_eq(lru_table_init(t, 3, sizeof(struct tent)), 0);
    ck_assert_uint_eq(add(t, 1, h1), 0);
    ck_assert_uint_eq(add(t, 2, h2), 1);
    ck_assert_uint_eq(add(t, 3, h3), 2);
    ck_assert(lru_table_is_full(t));
    ck_assert_uint_eq(lru_table_oldest(t), LRU_NONE);
}

START_TEST(lru_reuses_removed_slots_last_first)
{
    struct lru_table t;
    const uint32_t a = 0, b = 1, c = 2;
    uint32_t d;

    table3(&t, 1, 2, 3);
    lru_table_remove(&t, a);
    lru_table_remove(&t, b);
    ck_assert(!lru_table_is_full(&t));
    ck_assert_uint_eq(lru_table_count(&t), 1);
    ck_assert_uint_eq(find(&t, 1, 1), LRU_NONE);
    ck_assert_uint_eq(find(&t, 2, 2), LRU_NONE);
    /* Same hash as the removed entry 2: its chain link is gone too. */
    d = add(&t, 4, 2);
    ck_assert_uint_eq(d, b);
    ck_assert_uint_eq(add(&t, 5, 5), a);
    ck_assert_uint_eq(find(&t, 3, 3), c);
    ck_assert_uint_eq(find(&t, 4, 2), d);
    ck_assert_uint_eq(find(&t, 5, 5), a);
    ck_assert_uint_eq(lru_table_count(&t), 3);
    lru_table_fini(&t);
}
END_TEST

START_TEST(lru_full_table_makes_room_from_the_oldest_queued)
{
    struct lru_table t;
    const uint32_t a = 0, b = 1, c = 2;
    uint32_t d;

    table3(&t, 1, 1, 1);
    /* Full, nothing queued: no room. */
    ck_assert_uint_eq(add(&t, 4, 4), LRU_NONE);
    ck_assert_uint_eq(lru_table_count(&t), 3);
    lru_table_touch(&t, c);
    lru_table_touch(&t, a);
    /* c was queued first: its slot goes, and c with it; a stays queued. */
    ck_assert_uint_eq(lru_table_oldest(&t), c);
    d = add(&t, 4, 4);
    ck_assert_uint_eq(d, c);
    ck_assert_uint_eq(find(&t, 3, 1), LRU_NONE);
    ck_assert_uint_eq(find(&t, 4, 4), d);
    ck_assert_uint_eq(find(&t, 1, 1), a);
    ck_assert_uint_eq(find(&t, 2, 1), b);
    ck_assert_uint_eq(lru_table_oldest(&t), a);
    ck_assert_uint_eq(lru_table_newest(&t), a);
    ck_assert_uint_eq(lru_table_count(&t), 3);
    /* The new entry is held: a goes next, then nothing is left. */
    ck_assert_uint_eq(add(&t, 5, 5), a);
    ck_assert_uint_eq(lru_table_oldest(&t), LRU_NONE);
    ck_assert_uint_eq(add(&t, 6, 6), LRU_NONE);
    ck_assert_uint_eq(find(&t, 2, 1), b);
    lru_table_fini(&t);
}
END_TEST

START_TEST(lru_queues_only_touched_entries_newest_first)
{
    struct lru_table t;
    uint32_t e[5], i;

    ck_assert_int_eq(lru_table_init(&t, 5, sizeof(struct tent)), 0);
    for (i = 0; i < 5; i++)
        e[i] = add(&t, i + 1, i);
    /* New entries are held: nothing to drop. */
    queue_is(&t, (const uint32_t[]){0});
    lru_table_touch(&t, e[0]);
    lru_table_touch(&t, e[1]);
    lru_table_touch(&t, e[2]);
    queue_is(&t, (const uint32_t[]){3, 2, 1, 0});
    /* Touching moves to the newest end, from the middle, tail or head. */
    lru_table_touch(&t, e[1]);
    queue_is(&t, (const uint32_t[]){2, 3, 1, 0});
    lru_table_touch(&t, e[0]);
    queue_is(&t, (const uint32_t[]){1, 2, 3, 0});
    lru_table_touch(&t, e[0]);
    queue_is(&t, (const uint32_t[]){1, 2, 3, 0});
    /* Held entries leave the queue and come back as the newest. */
    lru_table_hold(&t, e[1]);
    lru_table_hold(&t, e[1]);
    queue_is(&t, (const uint32_t[]){1, 3, 0});
    lru_table_hold(&t, e[2]);
    lru_table_hold(&t, e[0]);
    queue_is(&t, (const uint32_t[]){0});
    lru_table_touch(&t, e[1]);
    lru_table_touch(&t, e[4]);
    queue_is(&t, (const uint32_t[]){5, 2, 0});
    /* Removing takes an entry out of the queue too. */
    lru_table_remove(&t, e[1]);
    queue_is(&t, (const uint32_t[]){5, 0});
    lru_table_remove(&t, e[4]);
    queue_is(&t, (const uint32_t[]){0});
    ck_assert_uint_eq(lru_table_count(&t), 3);
    lru_table_fini(&t);
}
END_TEST

START_TEST(lru_walks_slots_in_order_skipping_free_ones)
{
    struct lru_table t;
    uint32_t e[4], i, idx, n = 0;
    const uint32_t want[] = {1, 3, 4};

    ck_assert_int_eq(lru_table_init(&t, 6, sizeof(struct tent)), 0);
    ck_assert_uint_eq(lru_table_next(&t, LRU_NONE), LRU_NONE);
    for (i = 0; i < 4; i++)
        e[i] = add(&t, i + 1, 0);
    lru_table_touch(&t, e[2]);
    lru_table_remove(&t, e[1]);
    for (idx = lru_table_next(&t, LRU_NONE); idx != LRU_NONE;
         idx = lru_table_next(&t, idx)) {
        ck_assert_uint_lt(n, 3);
        ck_assert_uint_eq(ent(&t, idx)->key[0], want[n++]);
    }
    ck_assert_uint_eq(n, 3);
    lru_table_fini(&t);
}
END_TEST

/* A run of touches, adds and drops checked against a plain array model:
 * the oldest entry dropped is always the one touched longest ago. */
START_TEST(lru_drops_the_least_recently_touched)
{
    enum { CAP = 16, KEYS = 40, STEPS = 4000 };
    struct lru_table t;
    uint64_t stamp[KEYS + 1] = {0}; /* Last touch; 0 = not in the table. */
    uint64_t now = 0;
    uint32_t seed = 12345, step, k;

    ck_assert_int_eq(lru_table_init(&t, CAP, sizeof(struct tent)), 0);
    for (step = 0; step < STEPS; step++) {
        uint32_t idx;

        seed = seed * 1103515245u + 12345u;
        k = 1 + (seed >> 16) % KEYS;
        idx = find(&t, k, k * 2654435761u);
        ck_assert_int_eq(idx != LRU_NONE, stamp[k] != 0);
        if (idx == LRU_NONE) {
            if (lru_table_is_full(&t)) {
                uint32_t old = lru_table_oldest(&t), j, min = 0;

                for (j = 1; j <= KEYS; j++) {
                    if (stamp[j] && (!min || stamp[j] < stamp[min]))
                        min = j;
                }
                ck_assert_uint_eq(ent(&t, old)->key[0], min);
                stamp[min] = 0;
            }
            idx = add(&t, k, k * 2654435761u);
            ck_assert_uint_ne(idx, LRU_NONE);
        }
        lru_table_touch(&t, idx);
        stamp[k] = ++now;
    }
    ck_assert_uint_eq(lru_table_count(&t), CAP);
    lru_table_fini(&t);
}
END_TEST

static Suite *
lru_suite(void)
{
    Suite *s = suite_create("lru_table");
    TCase *tc = tcase_create("lru_table");

    tcase_add_test(tc, lru_refuses_bad_sizes);
    tcase_add_test(tc, lru_finds_by_key_and_hash);
    tcase_add_test(tc, lru_aligns_entries);
    tcase_add_test(tc, lru_reuses_removed_slots_last_first);
    tcase_add_test(tc, lru_full_table_makes_room_from_the_oldest_queued);
    tcase_add_test(tc, lru_queues_only_touched_entries_newest_first);
    tcase_add_test(tc, lru_walks_slots_in_order_skipping_free_ones);
    tcase_add_test(tc, lru_drops_the_least_recently_touched);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(lru_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
