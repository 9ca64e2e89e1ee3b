/* Files written on command (path.h): only under the given directory. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drops.h"
#include "path.h"

static char dir[64], outside[64];

static void
setup(void)
{
    char sub[128];

    snprintf(dir, sizeof dir, "/tmp/xsw-path-XXXXXX");
    snprintf(outside, sizeof outside, "/tmp/xsw-path-out-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_ptr_nonnull(mkdtemp(outside));
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
}

static void
teardown(void)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, outside);
    ck_assert_int_eq(system(cmd), 0);
}

/* Opens 'path' under 'dir'; returns the errno (0: opened, then closed). */
static int
try_open(const char *path, char *msg, size_t size)
{
    struct xsw_err err = {0};
    char *full = NULL;
    int fd = path_open_under(dir, path, &full, &err);

    snprintf(msg, size, "%s", err.msg);
    if (fd < 0) {
        ck_assert_ptr_null(full);
        return fd;
    }
    ck_assert_ptr_nonnull(full);
    free(full);
    close(fd);
    return 0;
}

static bool
outside_empty(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", outside);
    return system(cmd) == 0;
}

START_TEST(path_opens_under_dir)
{
    char msg[XSW_ERR_MAX], want[PATH_MAX];

    ck_assert_int_eq(try_open("sub/a.pcap", msg, sizeof msg), 0);
    snprintf(want, sizeof want, "%s/sub/a.pcap", dir);
    ck_assert_int_eq(access(want, F_OK), 0);
    ck_assert_int_eq(try_open("./b.pcap", msg, sizeof msg), 0);
}
END_TEST

START_TEST(path_refuses_absolute_and_dotdot)
{
    char msg[XSW_ERR_MAX], want[XSW_ERR_MAX];

    ck_assert_int_eq(try_open("/tmp/x.pcap", msg, sizeof msg), -EACCES);
    snprintf(want, sizeof want,
             "'/tmp/x.pcap': give a path relative to %s without '..' (files "
             "written on command stay under the config's directory)",
             dir);
    ck_assert_str_eq(msg, want);
    ck_assert_int_eq(try_open("sub/../../x.pcap", msg, sizeof msg), -EACCES);
    ck_assert_int_eq(try_open("..", msg, sizeof msg), -EACCES);
    ck_assert_int_eq(try_open("", msg, sizeof msg), -EACCES);
    /* A name that only starts with dots is a name. */
    ck_assert_int_eq(try_open("..x.pcap", msg, sizeof msg), 0);
}
END_TEST

START_TEST(path_refuses_links_out)
{
    char link[128], target[128], msg[XSW_ERR_MAX], want[XSW_ERR_MAX];

    snprintf(link, sizeof link, "%s/out", dir);
    ck_assert_int_eq(symlink(outside, link), 0);
    ck_assert_int_eq(try_open("out/x.pcap", msg, sizeof msg), -EACCES);
    snprintf(want, sizeof want, "'out/x.pcap' leads outside %s (to %s)", dir,
             outside);
    ck_assert_str_eq(msg, want);
    snprintf(link, sizeof link, "%s/sub/link.pcap", dir);
    snprintf(target, sizeof target, "%s/target.pcap", outside);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(try_open("sub/link.pcap", msg, sizeof msg), -ELOOP);
    snprintf(want, sizeof want, "%s/sub/link.pcap: is a symbolic link", dir);
    ck_assert_str_eq(msg, want);
    ck_assert(outside_empty());
}
END_TEST

START_TEST(path_reports_missing_dir)
{
    char msg[XSW_ERR_MAX];

    ck_assert_int_eq(try_open("nodir/x.pcap", msg, sizeof msg), -ENOENT);
    ck_assert_int_eq(try_open("sub/", msg, sizeof msg), -EISDIR);
}
END_TEST

START_TEST(drops_describe_names_like_the_summary)
{
    struct drop_reason core = {"vlan", NULL, "tagged frame on access port", 0,
                               0};
    struct drop_reason own = {"extension", "acl", "denied", 0, 0};
    struct drop_reason misuse = {"core", "acl",
                                 "extension gave an invalid "
                                 "verdict",
                                 0, 0};
    char buf[256];

    ck_assert_str_eq(drops_describe(&core, buf, sizeof buf),
                     "vlan: tagged frame on access port");
    ck_assert_str_eq(drops_describe(&own, buf, sizeof buf), "acl: denied");
    ck_assert_str_eq(drops_describe(&misuse, buf, sizeof buf),
                     "core (acl): extension gave an invalid verdict");
}
END_TEST

/* A reload's new instance of the same name and reasons counts on in the
 * rows the old one had; the table keeps its own copies of the texts. */
START_TEST(drops_register_again_reuses_rows)
{
    struct drops *d = drops_create();
    char ext[] = "acl", r0[] = "denied", r1[] = "rate";
    const char *reasons[] = {r0, r1};
    const char *other[] = {r0, "other"};
    int first, again, misuse;

    ck_assert_ptr_nonnull(d);
    first = drops_register(d, ext, reasons, 2);
    ck_assert_int_eq(first, DROP_N_CORE);
    misuse = drops_register_misuse(d, ext);
    ck_assert_int_eq(misuse, DROP_N_CORE + 2);
    drops_get(d, (uint32_t) first + 1)->count = 7;
    strcpy(ext, "xxx");   /* The module's strings may go away... */
    strcpy(r1, "gone");
    ck_assert_str_eq(drops_get(d, (uint32_t) first + 1)->ext, "acl");
    ck_assert_str_eq(drops_get(d, (uint32_t) first + 1)->reason, "rate");
    strcpy(ext, "acl");
    strcpy(r1, "rate");
    again = drops_register(d, ext, reasons, 2);
    ck_assert_int_eq(again, first);   /* ... and come back: same rows. */
    ck_assert_uint_eq(drops_get(d, (uint32_t) again + 1)->count, 7);
    ck_assert_int_eq(drops_register_misuse(d, ext), misuse);
    ck_assert_uint_eq(drops_count(d), DROP_N_CORE + 2 + MISUSE_N);
    /* Other reasons, or another name: new rows. */
    ck_assert_int_eq(drops_register(d, ext, other, 2),
                     DROP_N_CORE + 2 + MISUSE_N);
    ck_assert_int_eq(drops_register(d, "acl2", reasons, 2),
                     DROP_N_CORE + 4 + MISUSE_N);
    drops_destroy(d);
}
END_TEST

static Suite *
path_suite(void)
{
    Suite *s = suite_create("path");
    TCase *tc = tcase_create("path");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, path_opens_under_dir);
    tcase_add_test(tc, path_refuses_absolute_and_dotdot);
    tcase_add_test(tc, path_refuses_links_out);
    tcase_add_test(tc, path_reports_missing_dir);
    tcase_add_test(tc, drops_describe_names_like_the_summary);
    tcase_add_test(tc, drops_register_again_reuses_rows);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(path_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
