/* Dropping privileges: the process really becomes the user, keeps exactly
 * the capabilities asked for, cannot get root back, and every refusal
 * says why.  Check runs each test in a child process of its own, so a
 * test that drops does not affect the others.  The drops need root; the
 * refusals run as anyone. */
#include <check.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>

#include "privdrop.h"

/* The value of 'Field:' in /proc/self/status, as text. */
static const char *
status_field(const char *field)
{
    static char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    size_t n = strlen(field);

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, field, n) && line[n] == ':') {
            fclose(f);
            line[strcspn(line, "\n")] = '\0';
            return line + n + 1 + strspn(line + n + 1, " \t");
        }
    }
    fclose(f);
    ck_abort_msg("no %s in /proc/self/status", field);
    return NULL;
}

static bool
can_open_packet_socket(void)
{
    int fd = socket(AF_PACKET, SOCK_RAW, 0);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* Resolves and applies; fails the test with the reason if either fails. */
static void
drop(const char *user, const char *group, bool keep_net)
{
    struct privdrop_ids ids;
    char why[256] = "";

    ck_assert_msg(privdrop_resolve(&(struct privdrop){.user = user,
                                                      .group = group},
                                   &ids, why, sizeof why) == 0,
                  "%s", why);
    ck_assert_msg(privdrop_apply(&ids, keep_net, why, sizeof why) == 0, "%s",
                  why);
}

static void
drop_to_nobody(bool keep_net)
{
    const struct passwd *pw = getpwnam("nobody");
    gid_t groups[8];

    ck_assert_ptr_nonnull(pw);
    drop("nobody", NULL, keep_net);
    ck_assert_uint_eq(getuid(), pw->pw_uid);
    ck_assert_uint_eq(geteuid(), pw->pw_uid);
    ck_assert_uint_eq(getgid(), pw->pw_gid);
    ck_assert_uint_eq(getegid(), pw->pw_gid);
    ck_assert_int_eq(getgroups(8, groups), 1);
    ck_assert_uint_eq(groups[0], pw->pw_gid);
    ck_assert_str_eq(status_field("NoNewPrivs"), "1");
    ck_assert_int_ne(setuid(0), 0);
    ck_assert_int_ne(seteuid(0), 0);
}

START_TEST(drop_keeps_no_capability)
{
    drop_to_nobody(false);
    ck_assert_str_eq(status_field("CapEff"), "0000000000000000");
    ck_assert_str_eq(status_field("CapPrm"), "0000000000000000");
    ck_assert(!can_open_packet_socket());
}
END_TEST

/* CAP_NET_ADMIN is 12, CAP_NET_RAW 13. */
START_TEST(drop_keeps_net_capabilities)
{
    drop_to_nobody(true);
    ck_assert_str_eq(status_field("CapEff"), "0000000000003000");
    ck_assert_str_eq(status_field("CapPrm"), "0000000000003000");
    ck_assert(can_open_packet_socket());
}
END_TEST

START_TEST(drop_to_numeric_ids)
{
    drop("54321", "54322", false);
    ck_assert_uint_eq(getuid(), 54321);
    ck_assert_uint_eq(getgid(), 54322);
}
END_TEST

static void
assert_refused(const char *user, const char *group, int code,
               const char *want)
{
    struct privdrop_ids ids;
    char why[256] = "";

    ck_assert_int_eq(privdrop_resolve(&(struct privdrop){.user = user,
                                                         .group = group},
                                      &ids, why, sizeof why),
                     code);
    ck_assert_str_eq(why, want);
}

START_TEST(refuses_unknown_user)
{
    assert_refused("no-such-user-xsw", NULL, -ENOENT,
                   "unknown user 'no-such-user-xsw'");
}
END_TEST

START_TEST(refuses_unknown_group)
{
    assert_refused("nobody", "no-such-group-xsw", -ENOENT,
                   "unknown group 'no-such-group-xsw'");
}
END_TEST

START_TEST(refuses_uid_without_group)
{
    assert_refused("54321", NULL, -ENOENT,
                   "user 54321 has no passwd entry, so no primary group: "
                   "set security.group");
}
END_TEST

static Suite *
privdrop_suite(void)
{
    Suite *s = suite_create("privdrop");
    TCase *tc = tcase_create("privdrop");

    tcase_add_test(tc, refuses_unknown_user);
    tcase_add_test(tc, refuses_unknown_group);
    tcase_add_test(tc, refuses_uid_without_group);
    if (geteuid() == 0) {
        tcase_add_test(tc, drop_keeps_no_capability);
        tcase_add_test(tc, drop_keeps_net_capabilities);
        tcase_add_test(tc, drop_to_numeric_ids);
    }
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(privdrop_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
