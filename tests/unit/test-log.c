/* Structured logs (log.h) and the periodic drop summaries (droplog.h):
 * each record is written to stderr, which the tests point at a file and
 * read back; JSON records are parsed with jansson. */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "droplog.h"
#include "drops.h"
#include "log.h"

static char path[64];
static int saved_stderr = -1;

/* Sends stderr to a fresh file until captured(). */
static void
capture_start(void)
{
    int fd;

    strcpy(path, "/tmp/xsw-test-log-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
    close(fd);
}

/* What was written since capture_start() (malloc()ed), stderr restored. */
static char *
captured(void)
{
    char *text = calloc(1, 65536);
    FILE *f;
    size_t n;

    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    return text;
}

static void
configure(uint32_t level, enum log_format format)
{
    log_configure(&(struct log_settings){level, LOG_TARGET_STDERR, format});
}

/* The one JSON record in 'text' (which must be one line). */
static json_t *
one_record(const char *text)
{
    json_error_t jerr;
    const char *nl = strchr(text, '\n');
    json_t *o;

    ck_assert_msg(nl && nl[1] == '\0', "not one line: '%s'", text);
    o = json_loadb(text, (size_t) (nl - text), 0, &jerr);
    ck_assert_msg(o != NULL, "not JSON (%s): %s", jerr.text, text);
    return o;
}

START_TEST(log_text_keeps_the_xswd_line)
{
    char *out;

    configure(XSW_LOG_INFO, LOG_FORMAT_TEXT);
    capture_start();
    log_event(XSW_LOG_INFO, "port.down",
              LOG_FIELDS(LOG_STR("port", "p1"), LOG_STR("cause", "link")),
              "port %s is %s", "p1", "down");
    log_event(XSW_LOG_WARN, "ext.misuse", NULL, "extension %s: %d", "acl",
              3);
    log_event(XSW_LOG_ERR, "switch.message", NULL, "poll: %s", "boom");
    out = captured();
    ck_assert_str_eq(out, "xswd: info: port p1 is down\n"
                          "xswd: warning: extension acl: 3\n"
                          "xswd: error: poll: boom\n");
    free(out);
    log_reset();
}
END_TEST

START_TEST(log_json_has_every_field)
{
    const struct log_field inner[] = {LOG_U64("vlan: tagged", 3),
                                      LOG_U64("acl: deny", 20), LOG_END};
    json_t *o, *reasons;
    const char *ts;
    char *out;

    configure(XSW_LOG_INFO, LOG_FORMAT_JSON);
    capture_start();
    log_event(XSW_LOG_INFO, "drops.summary",
              LOG_FIELDS(LOG_STR("port", "p1"), LOG_U64("dropped", 23),
                         LOG_U64("big", UINT64_MAX),
                         LOG_OBJ("reasons", inner)),
              "%d packet(s) dropped", 23);
    out = captured();
    o = one_record(out);
    ck_assert_str_eq(json_string_value(json_object_get(o, "level")), "info");
    ck_assert_str_eq(json_string_value(json_object_get(o, "event")),
                     "drops.summary");
    ck_assert_str_eq(json_string_value(json_object_get(o, "msg")),
                     "23 packet(s) dropped");
    ck_assert_str_eq(json_string_value(json_object_get(o, "port")), "p1");
    ck_assert_int_eq(json_integer_value(json_object_get(o, "dropped")), 23);
    /* Past jansson's signed range: the largest it holds. */
    ck_assert_int_eq(json_integer_value(json_object_get(o, "big")),
                     INT64_MAX);
    reasons = json_object_get(o, "reasons");
    ck_assert_int_eq(json_object_size(reasons), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(reasons, "acl: deny")),
                     20);
    ck_assert_int_eq(
        json_integer_value(json_object_get(reasons, "vlan: tagged")), 3);
    /* RFC 3339, UTC, milliseconds: 2024-05-01T12:00:00.123Z */
    ts = json_string_value(json_object_get(o, "ts"));
    ck_assert_ptr_nonnull(ts);
    ck_assert_uint_eq(strlen(ts), 24);
    ck_assert_msg(ts[4] == '-' && ts[10] == 'T' && ts[19] == '.'
                      && ts[23] == 'Z',
                  "ts '%s'", ts);
    json_decref(o);
    free(out);
    log_reset();
}
END_TEST

START_TEST(log_json_keeps_its_own_keys_and_odd_bytes)
{
    json_t *o;
    char *out;

    configure(XSW_LOG_DEBUG, LOG_FORMAT_JSON);
    capture_start();
    /* A field may not replace the record's own keys; bytes that are not
     * UTF-8 (an extension's text) become '?', the record stays. */
    log_event(XSW_LOG_DEBUG, "ext.log",
              LOG_FIELDS(LOG_STR("event", "forged"), LOG_STR("msg", "x"),
                         LOG_STR("extension", "bad\xff")),
              "odd \xc3(");
    out = captured();
    o = one_record(out);
    ck_assert_str_eq(json_string_value(json_object_get(o, "level")), "debug");
    ck_assert_str_eq(json_string_value(json_object_get(o, "event")),
                     "ext.log");
    ck_assert_str_eq(json_string_value(json_object_get(o, "msg")), "odd ?(");
    ck_assert_str_eq(json_string_value(json_object_get(o, "extension")),
                     "bad?");
    json_decref(o);
    free(out);
    log_reset();
}
END_TEST

START_TEST(log_level_filters)
{
    char *out;

    configure(XSW_LOG_WARN, LOG_FORMAT_TEXT);
    ck_assert(log_enabled(XSW_LOG_ERR));
    ck_assert(log_enabled(XSW_LOG_WARN));
    ck_assert(!log_enabled(XSW_LOG_INFO));
    capture_start();
    log_event(XSW_LOG_DEBUG, "a", NULL, "debug");
    log_event(XSW_LOG_INFO, "b", NULL, "info");
    log_event(XSW_LOG_WARN, "c", NULL, "warning");
    log_event(XSW_LOG_ERR, "d", NULL, "error");
    configure(XSW_LOG_DEBUG, LOG_FORMAT_TEXT);
    log_event(XSW_LOG_DEBUG, "e", NULL, "debug again");
    out = captured();
    ck_assert_str_eq(out, "xswd: warning: warning\n"
                          "xswd: error: error\n"
                          "xswd: debug: debug again\n");
    free(out);
    log_reset();
    ck_assert(log_enabled(XSW_LOG_INFO));   /* The default: info. */
    ck_assert(!log_enabled(XSW_LOG_DEBUG));
}
END_TEST

START_TEST(log_names_parse)
{
    enum log_format f;
    enum log_target t;
    uint32_t level;

    ck_assert_int_eq(log_level_parse("warning", &level), 0);
    ck_assert_uint_eq(level, XSW_LOG_WARN);
    ck_assert_int_eq(log_level_parse("debug", &level), 0);
    ck_assert_uint_eq(level, XSW_LOG_DEBUG);
    ck_assert_int_eq(log_level_parse("warn", &level), -EINVAL);
    ck_assert_int_eq(log_format_parse("json", &f), 0);
    ck_assert_int_eq(f, LOG_FORMAT_JSON);
    ck_assert_int_eq(log_format_parse("xml", &f), -EINVAL);
    ck_assert_int_eq(log_target_parse("syslog", &t), 0);
    ck_assert_int_eq(t, LOG_TARGET_SYSLOG);
    ck_assert_int_eq(log_target_parse("file", &t), -EINVAL);
    /* Levels the SDK does not name are shown as the nearest. */
    ck_assert_str_eq(log_level_name(0), "error");
    ck_assert_str_eq(log_level_name(5), "info");
    ck_assert_str_eq(log_level_name(99), "debug");
}
END_TEST

/* --- droplog ------------------------------------------------------------ */

#define S 1000000000ull

/* The drops.summary records in 'text', parsed. */
static json_t *
summaries(const char *text)
{
    json_t *all = json_array();
    const char *line = text, *nl;

    for (; (nl = strchr(line, '\n')); line = nl + 1) {
        json_t *o = json_loadb(line, (size_t) (nl - line), 0, NULL);

        ck_assert_ptr_nonnull(o);
        if (!strcmp(json_string_value(json_object_get(o, "event")),
                    "drops.summary"))
            json_array_append(all, o);
        json_decref(o);
    }
    return all;
}

/* Record 'i' of 'all' counts 'dropped' from 'from' to 'to'; returns it. */
static json_t *
expect_summary(json_t *all, size_t i, json_int_t dropped, json_int_t from,
               json_int_t to)
{
    json_t *r = json_array_get(all, i);

    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "dropped")),
                     dropped);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "from_ns")), from);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "to_ns")), to);
    return r;
}

START_TEST(droplog_counts_each_interval)
{
    struct drops *d = drops_create();
    struct droplog *dl = droplog_create(10 * S);
    json_t *all, *r;
    char *out;

    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(dl);
    configure(XSW_LOG_INFO, LOG_FORMAT_JSON);
    capture_start();
    droplog_check(dl, d, 100 * S);             /* Starts the grid. */
    ck_assert_uint_eq(droplog_deadline(dl), 110 * S);
    drops_get(d, DROP_RUNT)->count += 2;
    drops_get(d, DROP_TAGGED_ON_ACCESS)->count += 5;
    droplog_check(dl, d, 109 * S);             /* Not yet. */
    droplog_check(dl, d, 110 * S);             /* [100, 110): 7. */
    ck_assert_uint_eq(droplog_deadline(dl), 120 * S);
    droplog_check(dl, d, 121 * S);             /* Nothing dropped. */
    drops_get(d, DROP_RUNT)->count += 1;
    droplog_check(dl, d, 175 * S);             /* A gap: [120, 170). */
    ck_assert_uint_eq(droplog_deadline(dl), 180 * S);
    droplog_flush(dl, d, 175 * S);             /* Nothing since. */
    drops_get(d, DROP_ADMIN_DOWN)->count += 4;
    droplog_flush(dl, d, 176 * S);             /* [170, 176): 4. */
    out = captured();
    all = summaries(out);
    ck_assert_int_eq(json_array_size(all), 3);

    r = expect_summary(all, 0, 7, 100 * S, 110 * S);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "interval_s")),
                     10);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(r, "reasons"),
                         "vlan: tagged frame on access port")),
                     5);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(r, "reasons"),
                         "port: runt frame (shorter than an Ethernet header)")),
                     2);
    /* The biggest reason first in the message. */
    ck_assert_str_eq(json_string_value(json_object_get(r, "msg")),
                     "7 packet(s) dropped in 10.0 s: vlan: tagged frame on "
                     "access port (5), port: runt frame (shorter than an "
                     "Ethernet header) (2)");

    r = expect_summary(all, 1, 1, 120 * S, 170 * S);
    ck_assert_int_eq(json_object_size(json_object_get(r, "reasons")), 1);
    expect_summary(all, 2, 4, 175 * S, 176 * S);
    json_decref(all);
    free(out);
    droplog_destroy(dl);
    drops_destroy(d);
    log_reset();
}
END_TEST

START_TEST(droplog_names_three_and_counts_new_reasons)
{
    static const char *const mine[] = {"r1", "r2", "r3", "r4"};
    struct drops *d = drops_create();
    struct droplog *dl = droplog_create(1 * S);
    char *out;
    int base, i;

    configure(XSW_LOG_INFO, LOG_FORMAT_TEXT);
    capture_start();
    droplog_check(dl, d, 0);
    /* Registered after the first check: counted from zero. */
    base = drops_register(d, "ext", mine, 4);
    ck_assert_int_ge(base, 0);
    for (i = 0; i < 4; i++)
        drops_get(d, (uint32_t) (base + i))->count = (uint64_t) (10 + i);
    droplog_check(dl, d, 1 * S);
    droplog_destroy(dl);
    drops_destroy(d);
    out = captured();
    ck_assert_str_eq(out, "xswd: info: 46 packet(s) dropped in 1.0 s: ext: "
                          "r4 (13), ext: r3 (12), ext: r2 (11) and 1 more "
                          "reason\n");
    free(out);
    /* Off (NULL) does nothing. */
    droplog_check(NULL, NULL, 5 * S);
    droplog_flush(NULL, NULL, 5 * S);
    ck_assert_uint_eq(droplog_deadline(NULL), UINT64_MAX);
    log_reset();
}
END_TEST

static Suite *
log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("log");
    TCase *dc = tcase_create("droplog");

    tcase_add_test(tc, log_text_keeps_the_xswd_line);
    tcase_add_test(tc, log_json_has_every_field);
    tcase_add_test(tc, log_json_keeps_its_own_keys_and_odd_bytes);
    tcase_add_test(tc, log_level_filters);
    tcase_add_test(tc, log_names_parse);
    suite_add_tcase(s, tc);
    tcase_add_test(dc, droplog_counts_each_interval);
    tcase_add_test(dc, droplog_names_three_and_counts_new_reasons);
    suite_add_tcase(s, dc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(log_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
