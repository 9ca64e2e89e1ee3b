/* The control server's request handling (ctl_cmd.h) and its socket
 * (ctl.h): request shapes, access levels, argument checks, VLAN lists, and
 * the socket file's life (mode, stale file, one in use). */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"
#include "ctl_cmd.h"
#include "dp.h"
#include "port.h"

static char dir[64], file[128], sock[128];
static struct xsw_config *cfg;
static struct dp *dp;

static const struct ctl_peer admin = {CTL_ACCESS_ADMIN, 0, NULL};
static const struct ctl_peer reader = {CTL_ACCESS_READ, 1000, "ops"};
static const struct ctl_peer nobody = {CTL_ACCESS_NONE, 1001, "ops"};

static void
setup(void)
{
    struct xsw_err err = {0};
    FILE *f;

    strcpy(dir, "/tmp/xsw-test-ctl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/t.yaml", dir);
    snprintf(sock, sizeof sock, "%s/s.sock", dir);
    f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("switch: { name: unit }\nports:\n  - { name: p1, type: pcap }\n"
          "  - { name: p2, type: pcap, vlan: { mode: trunk, allowed: [10] } "
          "}\n",
          f);
    fclose(f);
    ck_assert_msg(config_load(file, &cfg, &err) == 0, "%s", err.msg);
    ck_assert_msg(dp_create(cfg,
                            &(struct dp_options){.log_level = XSW_LOG_ERR},
                            &dp, &err) == 0,
                  "%s", err.msg);
}

static void
teardown(void)
{
    dp_destroy(dp);
    config_free(cfg);
    unlink(sock);
    unlink(file);
    rmdir(dir);
}

/* Runs 'req' as 'peer' and returns the reply. */
static json_t *
run(const char *req, const struct ctl_peer *peer)
{
    json_t *reply = ctl_cmd_run(dp, req, strlen(req), peer);

    ck_assert_ptr_nonnull(reply);
    return reply;
}

/* 'req' must fail with 'code' and exactly 'msg'. */
static void
fails(const char *req, const struct ctl_peer *peer, const char *code,
      const char *msg)
{
    json_t *r = run(req, peer), *e = json_object_get(r, "error");

    ck_assert(json_is_false(json_object_get(r, "ok")));
    ck_assert_str_eq(json_string_value(json_object_get(e, "code")), code);
    ck_assert_str_eq(json_string_value(json_object_get(e, "message")), msg);
    json_decref(r);
}

/* 'req' must succeed; returns its result (a new reference). */
static json_t *
succeeds(const char *req, const struct ctl_peer *peer)
{
    json_t *r = run(req, peer), *res;

    ck_assert_msg(json_is_true(json_object_get(r, "ok")), "%s",
                  json_string_value(json_object_get(
                      json_object_get(r, "error"), "message")));
    res = json_incref(json_object_get(r, "result"));
    json_decref(r);
    return res;
}

START_TEST(ctl_reply_echoes_id)
{
    json_t *r = run("{\"id\": 42, \"cmd\": \"help\"}", &admin);

    ck_assert_int_eq(json_integer_value(json_object_get(r, "id")), 42);
    ck_assert(json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    r = run("{\"cmd\": \"help\"}", &admin);
    ck_assert(json_is_null(json_object_get(r, "id")));
    json_decref(r);
}
END_TEST

START_TEST(ctl_bad_requests_refused)
{
    fails("{\"id\": 1, \"cmd\": \"help\"", &admin, "EPROTO",
          "malformed JSON at column 23: '}' expected near end of file");
    fails("{\"cmd\": \"help\", \"cmd\": \"help\"}", &admin, "EPROTO",
          "malformed JSON at column 21: duplicate object key near '\"cmd\"'");
    fails("\"help\"", &admin, "EPROTO",
          "a request is a JSON object, one per line");
    fails("{\"id\": \"x\", \"cmd\": \"help\"}", &admin, "EPROTO",
          "'id' must be an integer");
    fails("{\"id\": 1}", &admin, "EPROTO", "missing 'cmd' in request");
    fails("{\"cmd\": 3}", &admin, "EPROTO", "'cmd' must be a string");
    fails("{\"cmd\": \"help\", \"args\": []}", &admin, "EPROTO",
          "'args' must be an object");
    fails("{\"cmd\": \"help\", \"args\": {\"x\": 1}}", &admin, "EINVAL",
          "help: unknown argument 'x' (it takes none)");
    /* Found by fuzz-ctl: a malformed line that is not UTF-8 once got no
     * reply (jansson quotes it, and refused to build the message). */
    {
        json_t *r = run("{\"cmd\": \"\xff\xfe", &admin);
        const char *m = json_string_value(
            json_object_get(json_object_get(r, "error"), "message"));

        ck_assert_ptr_nonnull(m);
        ck_assert_msg(!strncmp(m, "malformed JSON at column", 24), "%s", m);
        json_decref(r);
    }
    /* Found by fuzz-ctl: an empty key once looped forever. */
    fails("{\"cmd\": \"port.show\", \"args\": {\"\": 1}}", &admin, "EINVAL",
          "port.show: unknown argument '' (arguments: name)");
}
END_TEST

START_TEST(ctl_access_levels)
{
    json_t *r;

    fails("{\"cmd\": \"port.list\"}", &nobody, "EACCES",
          "uid 1001 may not use this control socket (root, the uid xswd "
          "runs as and group 'ops' may)");
    r = succeeds("{\"cmd\": \"port.list\"}", &reader);
    json_decref(r);
    fails("{\"cmd\": \"fdb.flush\"}", &reader, "EPERM",
          "fdb.flush changes the switch: uid 1000 (group 'ops') may run "
          "read-only commands only (control.group_admin is false)");
    r = succeeds("{\"cmd\": \"fdb.flush\"}", &admin);
    json_decref(r);
}
END_TEST

START_TEST(ctl_arguments_checked)
{
    fails("{\"cmd\": \"port.show\"}", &admin, "EINVAL",
          "port.show: missing argument 'name'");
    fails("{\"cmd\": \"port.show\", \"args\": {\"name\": 1}}", &admin,
          "EINVAL", "port.show: argument 'name' must be a string");
    fails("{\"cmd\": \"port.show\", \"args\": {\"name\": \"p3\"}}", &admin,
          "ENOENT", "port 'p3' does not exist");
    fails("{\"cmd\": \"fdb.show\", \"args\": {\"vlan\": \"10\"}}", &admin,
          "EINVAL", "fdb.show: argument 'vlan' must be an integer");
    fails("{\"cmd\": \"port.set\", \"args\": {\"name\": \"p1\"}}", &admin,
          "EINVAL", "port.set: nothing to set (arguments: admin, vlan)");
    fails("{\"cmd\": \"ext.disable\", \"args\": {\"name\": \"x\"}}", &admin,
          "ENOENT", "extension 'x' does not exist");
}
END_TEST

/* Each bad VLAN policy and its message. */
static const struct {
    const char *vlan, *msg;
} bad_vlans[] = {
    {"{\"mode\": \"hybrid\"}", "port.set: vlan.mode must be 'access' or "
                               "'trunk'"},
    {"{\"mode\": \"access\"}", "port.set: vlan.vid: 0 is out of range [1, "
                               "4094]"},
    {"{\"mode\": \"access\", \"vid\": 2, \"native\": 3}",
     "port.set: an access port takes only vlan.vid"},
    {"{\"mode\": \"trunk\", \"vid\": 2}",
     "port.set: a trunk port takes vlan.allowed and vlan.native, not "
     "vlan.vid"},
    {"{\"mode\": \"trunk\", \"native\": 4095}",
     "port.set: vlan.native: 4095 is out of range [1, 4094]"},
    {"{\"mode\": \"trunk\", \"allowed\": \"1,,2\"}",
     "port.set: vlan.allowed: bad list '1,,2' (expected VIDs and LOW-HIGH "
     "ranges separated by commas, or 'all')"},
    {"{\"mode\": \"trunk\", \"allowed\": \"10-\"}",
     "port.set: vlan.allowed: bad list '10-' (expected VIDs and LOW-HIGH "
     "ranges separated by commas, or 'all')"},
    {"{\"mode\": \"trunk\", \"allowed\": \"\"}",
     "port.set: vlan.allowed: bad list '' (expected VIDs and LOW-HIGH "
     "ranges separated by commas, or 'all')"},
    {"{\"mode\": \"trunk\", \"allowed\": \"4090-4095\"}",
     "port.set: vlan.allowed: '4090-4095' is not a VLAN or range in [1, "
     "4094]"},
    {"{\"mode\": \"trunk\", \"allowed\": \"0\"}",
     "port.set: vlan.allowed: '0' is not a VLAN or range in [1, 4094]"},
    {"{\"mode\": \"trunk\", \"tagged\": true}",
     "port.set: vlan.tagged: unknown key or wrong type (keys: mode, vid, "
     "allowed, native)"},
};

START_TEST(ctl_bad_vlan_refused)
{
    char req[256];

    snprintf(req, sizeof req,
             "{\"cmd\": \"port.set\", \"args\": {\"name\": \"p1\", "
             "\"admin\": \"down\", \"vlan\": %s}}",
             bad_vlans[_i].vlan);
    fails(req, &admin, "EINVAL", bad_vlans[_i].msg);
    /* Nothing changed: the admin state is checked and set together. */
    ck_assert(dp_port(dp, 0)->admin_up);
    ck_assert_int_eq(dp_port(dp, 0)->vlan.mode, VLAN_ACCESS);
}
END_TEST

START_TEST(ctl_vlan_trunk_applied)
{
    json_t *r = succeeds("{\"cmd\": \"port.set\", \"args\": {\"name\": "
                         "\"p1\", \"vlan\": {\"mode\": \"trunk\", "
                         "\"allowed\": \"100-102,7\", \"native\": 3}}}",
                         &admin);
    const struct port *p = dp_port(dp, 0);

    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r, "vlan"), "allowed")),
                     "3,7,100-102");
    ck_assert_int_eq(p->vlan.mode, VLAN_TRUNK);
    ck_assert_uint_eq(p->vlan.native, 3);
    ck_assert(vlan_config_allows(&p->vlan, 101));
    ck_assert(!vlan_config_allows(&p->vlan, 103));
    ck_assert(!vlan_config_allows(&p->vlan, 1));
    ck_assert(p->cfg->vlan.mode == VLAN_ACCESS); /* Config untouched. */
    json_decref(r);
}
END_TEST

START_TEST(ctl_pause_only_replays)
{
    json_t *r = succeeds("{\"cmd\": \"switch.pause\"}", &admin);

    ck_assert(json_is_true(json_object_get(r, "paused")));
    json_decref(r);
    r = succeeds("{\"cmd\": \"switch.show\"}", &admin);
    ck_assert_str_eq(json_string_value(json_object_get(r, "state")), "ready");
    ck_assert_str_eq(json_string_value(json_object_get(r, "switch")), "unit");
    json_decref(r);
}
END_TEST

/* --- The socket ------------------------------------------------------- */

static int
connect_to(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, path);
    ck_assert_int_ge(fd, 0);
    if (connect(fd, (struct sockaddr *) &sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    return fd;
}

START_TEST(ctl_socket_serves_between_batches)
{
    struct ctl_settings set = {.path = sock};
    struct xsw_err err = {0};
    struct ctl *ctl;
    struct stat st;
    char buf[4096];
    ssize_t n;
    int fd;

    ck_assert_msg(ctl_open(dp, &set, &ctl, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(stat(sock, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0600);
    fd = connect_to(sock);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "{\"id\":5,\"cmd\":\"counters\"}\n", 26), 26);
    /* A replay with no input polls the server at its start (accept) and
     * its end (the request). */
    ck_assert_int_eq(dp_run_replay(dp, NULL, NULL, NULL), 0);
    n = read(fd, buf, sizeof buf - 1);
    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    ck_assert_str_eq(buf, "{\"id\":5,\"ok\":true,\"result\":{\"totals\":{"
                          "\"rx\":0,\"injected\":0,\"delivered\":0,"
                          "\"dropped\":0,\"tx\":0},\"drops\":[]}}\n");
    close(fd);
    ctl_close(ctl);
    ck_assert_int_ne(access(sock, F_OK), 0); /* Removed. */
}
END_TEST

START_TEST(ctl_socket_stale_replaced_live_refused)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct ctl_settings set = {.path = sock};
    struct xsw_err err = {0};
    struct ctl *ctl, *ctl2;
    char want[256];
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, sock);
    ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
    close(fd); /* A file nobody listens on: stale. */
    ck_assert_msg(ctl_open(dp, &set, &ctl, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ctl_open(dp, &set, &ctl2, &err), -EADDRINUSE);
    snprintf(want, sizeof want, "control socket %s is in use by another xswd",
             sock);
    ck_assert_str_eq(err.msg, want);
    ck_assert_ptr_null(ctl2);
    ctl_close(ctl);
}
END_TEST

static Suite *
ctl_suite(void)
{
    Suite *s = suite_create("ctl");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ctl_reply_echoes_id);
    tcase_add_test(tc, ctl_bad_requests_refused);
    tcase_add_test(tc, ctl_access_levels);
    tcase_add_test(tc, ctl_arguments_checked);
    tcase_add_loop_test(tc, ctl_bad_vlan_refused, 0,
                        sizeof bad_vlans / sizeof *bad_vlans);
    tcase_add_test(tc, ctl_vlan_trunk_applied);
    tcase_add_test(tc, ctl_pause_only_replays);
    tcase_add_test(tc, ctl_socket_serves_between_batches);
    tcase_add_test(tc, ctl_socket_stale_replaced_live_refused);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(ctl_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
