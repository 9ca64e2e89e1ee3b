/* The extension loader: every refusal is one line naming the file and the
 * reason, and a module that passes is created and destroyed cleanly.  The
 * modules come from tests/modules (one broken variant per refusal). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dp.h"

static char dir[64], file[128], mods[512], sub[96], planted[160];

static void
setup(void)
{
    const char *build = getenv("XSW_BUILD_DIR");

    ck_assert_msg(build != NULL, "XSW_BUILD_DIR is not set (run via ctest)");
    snprintf(mods, sizeof mods, "%s/tests/modules", build);
    strcpy(dir, "/tmp/xsw-test-loader-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/t.yaml", dir);
}

static void
teardown(void)
{
    unlink(planted);
    rmdir(sub);
    unlink(file);
    rmdir(dir);
}

/* Copies role_filter.so to <dir>/m/role_filter.so ('planted'), with
 * <dir>/m of mode 'dir_mode' and the copy of mode 'file_mode'. */
static void
plant(mode_t dir_mode, mode_t file_mode)
{
    char from[600], buf[65536];
    FILE *in, *out;
    size_t n;

    snprintf(sub, sizeof sub, "%s/m", dir);
    snprintf(planted, sizeof planted, "%s/role_filter.so", sub);
    snprintf(from, sizeof from, "%s/role_filter.so", mods);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    ck_assert_ptr_nonnull(in = fopen(from, "rb"));
    ck_assert_ptr_nonnull(out = fopen(planted, "wb"));
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_int_eq(chmod(planted, file_mode), 0);
    ck_assert_int_eq(chmod(sub, dir_mode), 0);
}

/* 'got' must read '<file>:5:5: extensions[0]: <path>: refusing to load:
 * <why>; ...'; 'path' is the module as resolved, 'planted' by default. */
static void
assert_untrusted(const char *got, const char *path, const char *why)
{
    char want[2048];

    snprintf(want, sizeof want,
             "%s:5:5: extensions[0]: %s: refusing to load: %s; only root "
             "and xswd's user may be able to change a module "
             "(security.allow_insecure_extensions: true waives this, for "
             "development)",
             file, path ? path : planted, why);
    ck_assert_str_eq(got, want);
}

/* Writes a two-port config whose extensions section is 'exts' (with
 * '%M' standing for the modules directory) and builds the switch in
 * check mode; returns the error text ("" on success). */
static const char *
build(const char *exts)
{
    static struct xsw_err err;
    struct xsw_config *cfg;
    struct dp *dp = NULL;
    FILE *f = fopen(file, "w");
    const char *p;

    ck_assert_ptr_nonnull(f);
    fputs("ports:\n  - { name: p1, type: pcap }\n"
          "  - { name: p2, type: pcap }\nextensions:\n",
          f);
    for (p = exts; *p; p++) {
        if (p[0] == '%' && p[1] == 'M') {
            fputs(mods, f);
            p++;
        } else {
            fputc(*p, f);
        }
    }
    fclose(f);
    memset(&err, 0, sizeof err);
    ck_assert_msg(config_load(file, &cfg, &err) == 0, "%s", err.msg);
    if (dp_create(cfg, &(struct dp_options){.check_only = true, .log_level = XSW_LOG_ERR}, &dp, &err)
        == 0)
        err.msg[0] = '\0';
    dp_destroy(dp);
    config_free(cfg);
    return err.msg;
}

/* 'got' must read '<file>:5:5: extensions[0]: <mods>/<mod>: <reason>'. */
static void
assert_refusal(const char *got, const char *mod, const char *reason)
{
    char want[2048];

    snprintf(want, sizeof want, "%s:5:5: extensions[0]: %s/%s: %s", file,
             mods, mod, reason);
    ck_assert_str_eq(got, want);
}

START_TEST(loader_accepts_every_role)
{
    ck_assert_str_eq(build("  - { module: %M/role_inspect.so, name: i }\n"
                           "  - { module: %M/role_filter.so, name: f }\n"
                           "  - { module: %M/role_forward.so, name: w }\n"
                           "  - { module: %M/role_firewall.so, name: x }\n"),
                     "");
}
END_TEST

static const struct {
    const char *mod, *reason;
} refusals[] = {
    {"bad_major.so", "ABI major 2, this host supports 1"},
    {"bad_minor.so", "built for SDK 1.99, newer than this host's 1.0"},
    {"bad_role.so", "unknown role 9 (expected 1 inspect, 2 filter, "
                    "3 forward, 4 firewall)"},
    {"no_create.so", "missing required callback create()"},
    {"no_destroy.so", "missing required callback destroy()"},
    {"no_callbacks.so", "no packet callback (ingress or egress)"},
    {"no_symbol.so", "no symbol xsw_extension_v1 (not an xsw extension)"},
    {"other_major.so", "built for another ABI major (exports "
                       "xsw_extension_v2, this host loads "
                       "xsw_extension_v1)"},
};

START_TEST(loader_refuses_in_one_line)
{
    char exts[256];

    snprintf(exts, sizeof exts, "  - { module: %%M/%s }\n", refusals[_i].mod);
    assert_refusal(build(exts), refusals[_i].mod, refusals[_i].reason);
}
END_TEST

START_TEST(loader_refuses_small_descriptor)
{
    const char *got = build("  - { module: %M/bad_size.so }\n");

    ck_assert_msg(strstr(got, "/bad_size.so: descriptor size 8 is smaller "
                              "than the v1.0 descriptor ("),
                  "%s", got);
}
END_TEST

START_TEST(loader_refuses_non_elf_with_dlerror)
{
    const char *got = build("  - { module: %M/not_elf.so }\n");
    char want[2048];

    snprintf(want, sizeof want,
             "%s:5:5: extensions[0]: %s/not_elf.so: not a loadable module: ",
             file, mods);
    ck_assert_msg(!strncmp(got, want, strlen(want)), "%s", got);
    ck_assert_msg(strstr(got, "invalid ELF header"), "%s", got);
}
END_TEST

START_TEST(loader_missing_path)
{
    char want[2048];

    snprintf(want, sizeof want,
             "%s:5:5: extensions[0]: %s/./nope.so: No such file or "
             "directory",
             file, dir);
    ck_assert_str_eq(build("  - { module: ./nope.so }\n"), want);
}
END_TEST

START_TEST(loader_missing_name_lists_search_path)
{
    char want[2048];
    const char *got = build("  - { module: nosuch }\n");

    snprintf(want, sizeof want,
             "%s:5:5: extensions[0]: module 'nosuch': nosuch.so not found "
             "in: ",
             file);
    ck_assert_msg(!strncmp(got, want, strlen(want)), "%s", got);
    ck_assert_msg(strstr(got, "/lib/xsw"), "no default dir: %s", got);
}
END_TEST

START_TEST(loader_search_path_finds_module)
{
    char exts[700];

    snprintf(exts, sizeof exts, "  - { module: role_filter }\n");
    setenv("XSW_EXTENSION_PATH", mods, 1);
    ck_assert_str_eq(build(exts), "");
    unsetenv("XSW_EXTENSION_PATH");
}
END_TEST

START_TEST(loader_reports_create_failure)
{
    assert_refusal(build("  - { module: %M/role_filter.so, config: "
                         "{ fail: no license found } }\n"),
                   "role_filter.so", "create failed: no license found");
}
END_TEST

START_TEST(loader_reports_extension_config_error_located)
{
    char want[2048];

    snprintf(want, sizeof want,
             "%s:6:31: extensions[0].config.drop_ethertype: 70000 is out of "
             "range [0, 65535] (module %s/role_filter.so)",
             file, mods);
    ck_assert_str_eq(build("  - module: %M/role_filter.so\n"
                           "    config: { drop_ethertype: 70000 }\n"),
                     want);
}
END_TEST

START_TEST(loader_extension_unknown_key)
{
    const char *got = build("  - module: %M/role_filter.so\n"
                            "    config: { bogus: 1 }\n");

    ck_assert_msg(strstr(got, ":6:15: extensions[0].config.bogus: unknown "
                              "key 'bogus' (expected one of: "
                              "drop_ethertype, "),
                  "%s", got);
}
END_TEST

START_TEST(loader_refuses_second_forward)
{
    char want[2048];

    snprintf(want, sizeof want,
             "%s:6:5: extensions[1]: second enabled forward extension 'b' "
             "(only one may be enabled; 'a' at line 5 is)",
             file);
    ck_assert_str_eq(build("  - { module: %M/role_forward.so, name: a }\n"
                           "  - { module: %M/role_forward.so, name: b }\n"),
                     want);
    /* A disabled second one is fine. */
    ck_assert_str_eq(build("  - { module: %M/role_forward.so, name: a }\n"
                           "  - { module: %M/role_forward.so, name: b, "
                           "enabled: false }\n"),
                     "");
}
END_TEST

/* Under --check no port is open: an injection from create() is refused,
 * not a crash. */
START_TEST(loader_check_refuses_injection_from_create)
{
    ck_assert_str_eq(build("  - { module: %M/role_filter.so, config: "
                           "{ inject_at_create: p2 } }\n"),
                     "");
}
END_TEST

START_TEST(loader_trusts_safe_copy)
{
    plant(0755, 0644);
    ck_assert_str_eq(build("  - { module: m/role_filter.so }\n"), "");
}
END_TEST

START_TEST(loader_refuses_world_writable_dir)
{
    char why[256];

    plant(0777, 0644);
    snprintf(why, sizeof why, "%s is writable by others (mode 0777)", sub);
    assert_untrusted(build("  - { module: m/role_filter.so }\n"), NULL, why);
}
END_TEST

START_TEST(loader_refuses_group_writable_file)
{
    char why[256];

    plant(0755, 0664);
    ck_assert_int_eq(chown(planted, 0, 100), 0);
    snprintf(why, sizeof why, "%s is writable by group 100 (mode 0664)",
             planted);
    assert_untrusted(build("  - { module: m/role_filter.so }\n"), NULL, why);
}
END_TEST

START_TEST(loader_refuses_foreign_owner)
{
    char why[256];

    plant(0755, 0644);
    ck_assert_int_eq(chown(sub, 65534, 0), 0);
    snprintf(why, sizeof why,
             "%s is owned by uid 65534, not by root or xswd's user (uid %u)",
             sub, (unsigned) geteuid());
    assert_untrusted(build("  - { module: m/role_filter.so }\n"), NULL, why);
}
END_TEST

/* The rule applies to where a link leads, not to the link. */
START_TEST(loader_follows_links_before_trusting)
{
    char link[200], shown[220], why[256];

    plant(0777, 0644);
    snprintf(link, sizeof link, "%s/link.so", dir);
    ck_assert_int_eq(symlink(planted, link), 0);
    snprintf(why, sizeof why, "%s is writable by others (mode 0777)", sub);
    snprintf(shown, sizeof shown, "%s/./link.so", dir);
    assert_untrusted(build("  - { module: ./link.so }\n"), shown, why);
    unlink(link);
}
END_TEST

/* Like /tmp: nobody but an entry's owner may rename or remove it. */
START_TEST(loader_trusts_sticky_dir)
{
    plant(01777, 0644);
    ck_assert_str_eq(build("  - { module: m/role_filter.so }\n"), "");
}
END_TEST

START_TEST(loader_insecure_allowed_by_config)
{
    plant(0777, 0666);
    ck_assert_str_eq(build("  - { module: m/role_filter.so }\n"
                           "security: { allow_insecure_extensions: true }\n"),
                     "");
}
END_TEST

static Suite *
loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("loader");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, loader_accepts_every_role);
    tcase_add_loop_test(tc, loader_refuses_in_one_line, 0,
                        sizeof refusals / sizeof *refusals);
    tcase_add_test(tc, loader_refuses_small_descriptor);
    tcase_add_test(tc, loader_refuses_non_elf_with_dlerror);
    tcase_add_test(tc, loader_missing_path);
    tcase_add_test(tc, loader_missing_name_lists_search_path);
    tcase_add_test(tc, loader_search_path_finds_module);
    tcase_add_test(tc, loader_reports_create_failure);
    tcase_add_test(tc, loader_reports_extension_config_error_located);
    tcase_add_test(tc, loader_extension_unknown_key);
    tcase_add_test(tc, loader_refuses_second_forward);
    tcase_add_test(tc, loader_check_refuses_injection_from_create);
    tcase_add_test(tc, loader_trusts_safe_copy);
    tcase_add_test(tc, loader_refuses_world_writable_dir);
    if (geteuid() == 0) { /* They give files away with chown(). */
        tcase_add_test(tc, loader_refuses_group_writable_file);
        tcase_add_test(tc, loader_refuses_foreign_owner);
    }
    tcase_add_test(tc, loader_follows_links_before_trusting);
    tcase_add_test(tc, loader_trusts_sticky_dir);
    tcase_add_test(tc, loader_insecure_allowed_by_config);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(loader_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
