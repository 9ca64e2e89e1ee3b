/* The taps' fan-out (core/taps.h): the switch's one pointer is NULL with
 * no user, a user's own table with one, the fan-out with several; the
 * fan-out calls every user, and a user may detach itself from a hook. */
#include <check.h>
#include <stdlib.h>

#include "taps.h"

struct user {
    int rx, done;
    struct taps_fan *fan; /* Set: detach from 'rx'. */
    enum taps_user slot;
};

static void
u_rx(void *arg, struct pkt *const *pkts, uint32_t n)
{
    struct user *u = arg;

    (void) pkts, (void) n;
    u->rx++;
    if (u->fan)
        taps_fan_set(u->fan, u->slot, NULL);
}

static void
u_ext(void *arg, const struct ext *e, const struct xsw_batch *b, bool egress)
{
    (void) arg, (void) e, (void) b, (void) egress;
}

static void
u_forward(void *arg, const struct xsw_batch *b, const uint16_t *ports,
          uint32_t n)
{
    (void) arg, (void) b, (void) ports, (void) n;
}

static void
u_tx(void *arg, const struct port *port, const struct pkt *pkt,
     const uint8_t *frame, uint32_t size)
{
    (void) arg, (void) port, (void) pkt, (void) frame, (void) size;
}

static void
u_drop(void *arg, const struct pkt *pkt, uint32_t id)
{
    (void) arg, (void) pkt, (void) id;
}

static void
u_inject(void *arg, const struct ext *e, const struct pkt *pkt, uint32_t port,
         uint32_t how)
{
    (void) arg, (void) e, (void) pkt, (void) port, (void) how;
}

static void
u_note(void *arg, const struct ext *e, const struct pkt *pkt, const char *m)
{
    (void) arg, (void) e, (void) pkt, (void) m;
}

static void
u_done(void *arg)
{
    ((struct user *) arg)->done++;
}

static struct dp_taps
taps_of(struct user *u)
{
    return DP_TAPS_OF(u, u);
}

START_TEST(taps_fan_is_null_one_or_all)
{
    struct taps_fan fan = {0};
    struct user a = {0}, b = {0};
    struct dp_taps ta = taps_of(&a), tb = taps_of(&b);
    const struct dp_taps *t;

    ck_assert_ptr_null(taps_fan_set(&fan, TAPS_CAPTURES, NULL));
    ck_assert_ptr_eq(taps_fan_set(&fan, TAPS_CAPTURES, &ta), &ta);
    t = taps_fan_set(&fan, TAPS_LIVE_TRACE, &tb);
    ck_assert_ptr_eq(t, &fan.all);
    ck_assert(!t->dry);
    t->rx(t->arg, NULL, 0);
    t->done(t->arg);
    ck_assert_int_eq(a.rx, 1);
    ck_assert_int_eq(b.rx, 1);
    ck_assert_int_eq(a.done, 1);
    ck_assert_int_eq(b.done, 1);
    ck_assert_ptr_eq(taps_fan_set(&fan, TAPS_CAPTURES, NULL), &tb);
    ck_assert_ptr_null(taps_fan_set(&fan, TAPS_LIVE_TRACE, NULL));
}
END_TEST

START_TEST(taps_fan_survives_a_user_detaching_itself)
{
    struct taps_fan fan = {0};
    struct user a = {0}, b = {0};
    struct dp_taps ta = taps_of(&a), tb = taps_of(&b);
    const struct dp_taps *t;

    a.fan = &fan;
    a.slot = TAPS_CAPTURES;
    taps_fan_set(&fan, TAPS_CAPTURES, &ta);
    t = taps_fan_set(&fan, TAPS_LIVE_TRACE, &tb);
    t->rx(t->arg, NULL, 0); /* 'a' detaches; 'b' is still called. */
    ck_assert_int_eq(a.rx, 1);
    ck_assert_int_eq(b.rx, 1);
    ck_assert_ptr_null(fan.user[TAPS_CAPTURES]);
    t->rx(t->arg, NULL, 0);
    ck_assert_int_eq(a.rx, 1);
    ck_assert_int_eq(b.rx, 2);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("taps");
    TCase *tc = tcase_create("taps");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, taps_fan_is_null_one_or_all);
    tcase_add_test(tc, taps_fan_survives_a_user_detaching_itself);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
