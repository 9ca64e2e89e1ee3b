/* The datapath driven from memory (dp_receive_frames): the same pipeline
 * as a replay, without files. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dp.h"
#include "pkt.h"
#include "port.h"

static char dir[64], file[128];
static struct xsw_config *cfg;
static struct dp *dp;

static void
setup(void)
{
    struct xsw_err err = {0};
    FILE *f;

    strcpy(dir, "/tmp/xsw-test-dp-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/t.yaml", dir);
    f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("ports:\n  - { name: p1, type: pcap }\n  - { name: p2, type: pcap }\n"
          "  - { name: p3, type: pcap }\n",
          f);
    fclose(f);
    ck_assert_msg(config_load(file, &cfg, &err) == 0, "%s", err.msg);
    ck_assert_msg(dp_create(cfg, &(struct dp_options){.log_level = XSW_LOG_ERR},
                            &dp, &err)
                      == 0,
                  "%s", err.msg);
}

static void
teardown(void)
{
    dp_destroy(dp);
    config_free(cfg);
    unlink(file);
    rmdir(dir);
}

/* A 60-byte frame from MAC ..:0s to MAC ..:0d (0xff: broadcast). */
static void
frame(uint8_t *f, uint8_t s, uint8_t d)
{
    memset(f, 0, 60);
    memset(f, d == 0xff ? 0xff : 0, 6);
    if (d != 0xff)
        f[0] = 2, f[5] = d;
    f[6] = 2;
    f[11] = s;
    f[12] = 0x88;
    f[13] = 0xb5;
}

START_TEST(dp_memory_frames_learn_then_unicast)
{
    uint8_t a[60], b[60], big[1];
    const uint8_t *fa[] = {a}, *fb[] = {b}, *fbig[] = {big};
    const uint32_t s60[] = {60}, s_huge[] = {100000};
    const struct dp_totals *t;

    frame(a, 1, 0xff);   /* A on p1 broadcasts: flooded to p2, p3. */
    ck_assert_int_eq(dp_receive_frames(dp, 0, fa, s60, 1, 1000), 0);
    frame(b, 2, 1);      /* B on p2 answers A: unicast to p1 only. */
    ck_assert_int_eq(dp_receive_frames(dp, 1, fb, s60, 1, 2000), 0);
    t = dp_get_totals(dp);
    ck_assert_uint_eq(t->rx, 2);
    ck_assert_uint_eq(t->tx, 3);
    ck_assert_uint_eq(dp_port(dp, 0)->tx, 1);
    ck_assert_uint_eq(dp_port(dp, 2)->tx, 1);
    ck_assert_uint_eq(dp_now(dp), 2000);
    /* Oversize frames are dropped and counted, never copied. */
    ck_assert_int_eq(dp_receive_frames(dp, 0, fbig, s_huge, 1, 3000), 0);
    ck_assert_uint_eq(t->dropped, 1);
    ck_assert_uint_eq(t->rx, t->delivered + t->dropped);
    /* Bad port, too many frames. */
    ck_assert_int_eq(dp_receive_frames(dp, 3, fa, s60, 1, 4000), -EINVAL);
    ck_assert_int_eq(dp_receive_frames(dp, 0, fa, s60, XSW_BATCH_MAX + 1,
                                       4000),
                     -EINVAL);
}
END_TEST

/* A priority tag (VID 0) names no VLAN: after an extension changes a
 * frame, it stays in the VLAN it was classified into, with the tag's
 * priority. */
START_TEST(dp_reparse_keeps_vlan_of_priority_tagged_frame)
{
    struct pkt *pkt = dp_pkt_alloc(dp, 64);
    uint8_t *f = pkt->p.data;

    f[12] = 0x81, f[13] = 0x00, f[14] = 5 << 5, f[15] = 0;   /* pcp 5 */
    f[16] = 0x88, f[17] = 0xb5;
    pkt->p.vlan = 10;
    dp_reparse(dp, pkt);
    ck_assert_uint_eq(pkt->p.vlan, 10);
    ck_assert_uint_eq(pkt->p.pcp, 5);
    f[15] = 20;                                               /* VID 20 */
    dp_reparse(dp, pkt);
    ck_assert_uint_eq(pkt->p.vlan, 20);
    dp_pkt_free(dp, pkt);
}
END_TEST

static Suite *
dp_suite(void)
{
    Suite *s = suite_create("dp");
    TCase *tc = tcase_create("dp");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dp_memory_frames_learn_then_unicast);
    tcase_add_test(tc, dp_reparse_keeps_vlan_of_priority_tagged_frame);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(dp_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
