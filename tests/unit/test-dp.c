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
#include "trace_live.h"

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

/* The stage names of journey 'i' of a live trace's results, joined. */
static const char *
stage_names(json_t *res, size_t i, char *buf, size_t size)
{
    json_t *st, *j = json_array_get(json_object_get(res, "journeys"), i);
    size_t k, used = 0;

    buf[0] = '\0';
    json_array_foreach(json_object_get(j, "stages"), k, st)
        used += (size_t) snprintf(buf + used, size - used, "%s%s",
                                  k ? "," : "",
                                  json_string_value(json_object_get(st,
                                                                    "stage")));
    return buf;
}

/* A live trace follows the next frames its filter takes through the real
 * pipeline: they are sent and counted, each batch's journeys complete at
 * its end, and the taps come off once the count is reached. */
START_TEST(trace_live_follows_real_frames)
{
    struct trace_live_settings s = {
        .filter = "ether src 02:00:00:00:00:01 or ether src 02:00:00:00:00:02",
        .count = 2,
        .port = -1,
    };
    uint8_t a[60], c[60], b[60];
    const uint8_t *f2[] = {a, c}, *f1[] = {b};
    const uint32_t s60[] = {60, 60};
    struct xsw_err err = {0};
    json_t *info, *res, *j;
    char names[256];

    ck_assert_int_eq(trace_live_start(dp, &s, &info, &err), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(info, "session")), 1);
    json_decref(info);
    /* One at a time. */
    ck_assert_int_eq(trace_live_start(dp, &s, &info, &err), -EBUSY);
    frame(a, 1, 0xff); /* Traced: flooded to p2, p3. */
    frame(c, 3, 0xff); /* Not taken by the filter. */
    ck_assert_int_eq(dp_receive_frames(dp, 0, f2, s60, 2, 1000), 0);
    frame(b, 2, 1);    /* Traced: unicast to p1 (learned above). */
    ck_assert_int_eq(dp_receive_frames(dp, 1, f1, s60, 1, 2000), 0);
    ck_assert_int_eq(trace_live_results(dp, 1, &res, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(res, "state")),
                     "done");
    ck_assert_int_eq(json_array_size(json_object_get(res, "journeys")), 2);
    ck_assert_str_eq(stage_names(res, 0, names, sizeof names),
                     "parse,vlan,forward,tx,tx,result");
    ck_assert_str_eq(stage_names(res, 1, names, sizeof names),
                     "parse,vlan,forward,tx,result");
    j = json_array_get(json_object_get(res, "journeys"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "port")), "p2");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "ts_ns")), 2000);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(json_object_get(j, "stages"), 2), "decision")),
        "fdb hit");
    json_decref(res);
    /* Not a dry run: three frames received, five copies sent. */
    ck_assert_uint_eq(dp_get_totals(dp)->rx, 3);
    ck_assert_uint_eq(dp_get_totals(dp)->tx, 5);
    ck_assert_int_eq(trace_live_results(dp, 2, &res, &err), -ENOENT);
    ck_assert_str_eq(err.msg, "live trace 2 does not exist");
    ck_assert_int_eq(trace_live_stop(dp, 1, &res, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(res, "state")),
                     "stopped");
    json_decref(res);
    /* A bad filter, then a second session. */
    s.filter = "udp port";
    ck_assert_int_eq(trace_live_start(dp, &s, &info, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "trace.live.start: filter 'udp port': can't "
                              "parse filter expression: syntax error");
    s.filter = NULL;
    ck_assert_int_eq(trace_live_start(dp, &s, &info, &err), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(info, "session")), 2);
    json_decref(info);
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
    tcase_add_test(tc, trace_live_follows_real_frames);
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
