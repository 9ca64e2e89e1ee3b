/* Unit tests of the log rate limiter (ratelimit.h). */
#include <check.h>
#include <stdlib.h>

#include "ratelimit.h"

#define MS 1000000ull

START_TEST(at_most_rate_per_second_then_reports_the_gap)
{
    struct ratelimit rl;
    uint64_t supp = 99;
    int i, passed = 0;

    ratelimit_init(&rl, 3);
    for (i = 0; i < 10; i++)
        passed += ratelimit_allow(&rl, 100 * MS + (uint64_t) i * MS, &supp);
    ck_assert_int_eq(passed, 3);
    ck_assert_uint_eq(supp, 0);
    /* Still inside the window that opened at 100 ms. */
    ck_assert(!ratelimit_allow(&rl, 1099 * MS, &supp));
    /* A new window: the first line carries the 8 held back. */
    ck_assert(ratelimit_allow(&rl, 1100 * MS, &supp));
    ck_assert_uint_eq(supp, 8);
    ck_assert(ratelimit_allow(&rl, 1101 * MS, &supp));
    ck_assert_uint_eq(supp, 0);
}
END_TEST

START_TEST(window_opens_with_the_first_event_after_a_lull)
{
    struct ratelimit rl;
    uint64_t supp;

    ratelimit_init(&rl, 1);
    ck_assert(ratelimit_allow(&rl, 500 * MS, &supp));
    ck_assert(!ratelimit_allow(&rl, 1400 * MS, &supp));
    ck_assert(ratelimit_allow(&rl, 5000 * MS, &supp));
    ck_assert_uint_eq(supp, 1);
    ck_assert(!ratelimit_allow(&rl, 5999 * MS, &supp));
    ck_assert(ratelimit_allow(&rl, 6000 * MS, &supp));
}
END_TEST

START_TEST(rate_zero_is_off_and_counts_nothing)
{
    struct ratelimit rl;
    uint64_t supp = 42;
    int i;

    ratelimit_init(&rl, 0);
    for (i = 0; i < 5; i++)
        ck_assert(!ratelimit_allow(&rl, (uint64_t) i * 1000 * MS, &supp));
    ck_assert_uint_eq(rl.suppressed, 0);
    ck_assert_uint_eq(supp, 42);
}
END_TEST

static Suite *
ratelimit_suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, at_most_rate_per_second_then_reports_the_gap);
    tcase_add_test(tc, window_opens_with_the_first_event_after_a_lull);
    tcase_add_test(tc, rate_zero_is_off_and_counts_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(ratelimit_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
