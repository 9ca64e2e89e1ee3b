/* Netlink: queries, changes, moves into a namespace and the link monitor,
 * on real veth devices.  Needs root (CAP_NET_ADMIN); exits 77 (skipped)
 * without.  Every device and namespace is named 'xn<pid><tag>...' after
 * the runner's pid, one tag per test, and the runner (not the forked
 * test) removes them all at the end, whatever became of the tests. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netlink.h"

#define WAIT_MS 5000 /* Bound on every wait for a notification. */
#define EV_MAX 8192

static char prefix[12]; /* "xn<runner pid>", at most 9 characters */

/* Device 'side' ('a' or 'b') of test 'tag'. */
static const char *
dev(char tag, char side)
{
    static char names[4][32];
    static unsigned turn;
    char *s = names[turn++ % 4];

    snprintf(s, sizeof names[0], "%s%c%c", prefix, tag, side);
    return s;
}

static const char *
netns(char tag)
{
    static char name[32];

    snprintf(name, sizeof name, "%s%c-ns", prefix, tag);
    return name;
}

/* Runs a shell command; returns its exit status. */
static int
sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    st = system(cmd);
    return st == -1 ? -1 : WEXITSTATUS(st);
}

/* A veth pair 'tag'a / 'tag'b; returns the ifindex of 'a'. */
static int
veth(char tag)
{
    ck_assert_int_eq(sh("ip link add %s type veth peer name %s", dev(tag, 'a'),
                        dev(tag, 'b')),
                     0);
    return (int) if_nametoindex(dev(tag, 'a'));
}

static void
cleanup(void)
{
    char tag;

    for (tag = 'a'; tag <= 'z'; tag++) {
        sh("ip link del %s 2>/dev/null", dev(tag, 'a'));
        sh("ip link del %s 2>/dev/null", dev(tag, 'c'));
        sh("ip netns del %s 2>/dev/null", netns(tag));
    }
}

static uint64_t
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void
read_sysfs(const char *name, const char *attr, char *buf, size_t size)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "/sys/class/net/%s/%s", name, attr);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    ck_assert_ptr_nonnull(fgets(buf, (int) size, f));
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
}

/* --- Recording the monitor's reports --------------------------------- */

struct ev {
    struct nl_link_info info;
    uint64_t t_ns;
};

static struct ev evs[EV_MAX];
static int n_evs; /* Reports about our devices. */
static int n_all; /* All reports. */

static void
record(void *arg, const struct nl_link_info *info)
{
    (void) arg;
    n_all++;
    if (strncmp(info->name, prefix, strlen(prefix)) || n_evs == EV_MAX)
        return;
    evs[n_evs].info = *info;
    evs[n_evs++].t_ns = now_ns();
}

/* Reads whatever the monitor has now. */
static void
drain(struct nl_monitor *m)
{
    struct pollfd p = {.fd = nl_monitor_fd(m), .events = POLLIN};

    while (poll(&p, 1, 0) > 0)
        ck_assert_int_ge(nl_monitor_read(m, record, NULL), 0);
}

/* Index of the first report at or after 'from' about 'name' with that
 * existence, state ('up' < 0: any) and MTU ('mtu' 0: any), waiting up to
 * WAIT_MS; -1 if none came. */
static int
wait_mtu(struct nl_monitor *m, int from, const char *name, bool exists, int up,
         uint32_t mtu)
{
    struct pollfd p = {.fd = nl_monitor_fd(m), .events = POLLIN};
    uint64_t end = now_ns() + WAIT_MS * 1000000ull, t;
    int i;

    for (;;) {
        for (i = from; i < n_evs; i++)
            if (!strcmp(evs[i].info.name, name) &&
                evs[i].info.exists == exists &&
                (up < 0 || evs[i].info.up == (up > 0)) &&
                (!mtu || evs[i].info.mtu == mtu))
                return i;
        from = n_evs;
        if ((t = now_ns()) >= end)
            return -1;
        if (poll(&p, 1, (int) ((end - t) / 1000000 + 1)) > 0)
            ck_assert_int_ge(nl_monitor_read(m, record, NULL), 0);
    }
}

static int
wait_ev(struct nl_monitor *m, int from, const char *name, bool exists, int up)
{
    return wait_mtu(m, from, name, exists, up, 0);
}

/* The last report about 'name', or -1. */
static int
last_ev(const char *name)
{
    int i;

    for (i = n_evs - 1; i >= 0; i--)
        if (!strcmp(evs[i].info.name, name))
            return i;
    return -1;
}

/* Reports about 'name' at or after 'from'. */
static int
count_ev(int from, const char *name)
{
    int i, n = 0;

    for (i = from; i < n_evs; i++)
        n += !strcmp(evs[i].info.name, name);
    return n;
}

/* --- Queries and changes ---------------------------------------------- */

START_TEST(netlink_get_reports_device)
{
    struct nl_link_info info;
    struct xsw_err err = {0};
    char mac[32], got[32];
    int ifindex = veth('a');

    ck_assert_int_eq(nl_link_get(dev('a', 'a'), &info, &err), 0);
    ck_assert(info.exists);
    ck_assert_int_eq(info.ifindex, ifindex);
    ck_assert_str_eq(info.name, dev('a', 'a'));
    ck_assert_uint_eq(info.mtu, 1500);
    ck_assert(!info.up);
    read_sysfs(dev('a', 'a'), "address", mac, sizeof mac);
    snprintf(got, sizeof got, "%02x:%02x:%02x:%02x:%02x:%02x", info.mac[0],
             info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5]);
    ck_assert_str_eq(got, mac);

    /* Admin up alone is not up: a veth has no carrier until its peer is
     * up too. */
    ck_assert_int_eq(sh("ip link set %s up", dev('a', 'a')), 0);
    ck_assert_int_eq(nl_link_get(dev('a', 'a'), &info, &err), 0);
    ck_assert(!info.up);
    ck_assert_int_eq(sh("ip link set %s up", dev('a', 'b')), 0);
    ck_assert_int_eq(nl_link_get(dev('a', 'a'), &info, &err), 0);
    ck_assert(info.up);
}
END_TEST

START_TEST(netlink_get_missing_device_is_enodev)
{
    struct nl_link_info info;
    struct xsw_err err = {0};
    char name[32], want[64];

    snprintf(name, sizeof name, "%sbz", prefix);
    ck_assert_int_eq(nl_link_get(name, &info, &err), -ENODEV);
    ck_assert_int_eq(err.code, -ENODEV);
    snprintf(want, sizeof want, "netlink: no device '%s'", name);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(nl_link_get("a-name-of-16-chr", &info, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "netlink: device name 'a-name-of-16-chr' is "
                              "longer than 15 characters");
}
END_TEST

START_TEST(netlink_set_changes_mac_mtu_and_up)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
    struct nl_link_info info;
    struct xsw_err err = {0};
    char buf[64];
    int ifindex = veth('b');

    ck_assert_int_eq(sh("ip link set %s up", dev('b', 'b')), 0);
    ck_assert_int_eq(nl_link_set(ifindex, mac, 1400, true, &err), 0);
    ck_assert_int_eq(nl_link_get(dev('b', 'a'), &info, &err), 0);
    ck_assert_mem_eq(info.mac, mac, 6);
    ck_assert_uint_eq(info.mtu, 1400);
    ck_assert(info.up);
    read_sysfs(dev('b', 'a'), "address", buf, sizeof buf);
    ck_assert_str_eq(buf, "02:00:5e:10:20:30");
    read_sysfs(dev('b', 'a'), "mtu", buf, sizeof buf);
    ck_assert_str_eq(buf, "1400");
    read_sysfs(dev('b', 'a'), "operstate", buf, sizeof buf);
    ck_assert_str_eq(buf, "up");

    /* NULL MAC and zero MTU leave them; false takes the device down. */
    ck_assert_int_eq(nl_link_set(ifindex, NULL, 0, false, &err), 0);
    ck_assert_int_eq(nl_link_get(dev('b', 'a'), &info, &err), 0);
    ck_assert_mem_eq(info.mac, mac, 6);
    ck_assert_uint_eq(info.mtu, 1400);
    ck_assert(!info.up);
    read_sysfs(dev('b', 'a'), "flags", buf, sizeof buf);
    ck_assert_int_eq((int) strtol(buf, NULL, 16) & IFF_UP, 0);
}
END_TEST

START_TEST(netlink_set_error_names_the_change)
{
    struct xsw_err err = {0};
    char want[128];
    int ifindex = veth('c');

    ck_assert_int_eq(nl_link_set(ifindex, NULL, 99999, true, &err), -EINVAL);
    snprintf(want, sizeof want,
             "netlink: cannot set MTU 99999 on %s: Invalid argument",
             dev('c', 'a'));
    ck_assert_msg(!strncmp(err.msg, want, strlen(want)), "got '%s'", err.msg);
    /* The MTU was refused, so the flags were never touched. */
    read_sysfs(dev('c', 'a'), "mtu", want, sizeof want);
    ck_assert_str_eq(want, "1500");

    ck_assert_int_eq(nl_link_set(0x7ffffff0, NULL, 1400, false, &err),
                     -ENODEV);
    ck_assert_str_eq(err.msg, "netlink: cannot set MTU 1400 on ifindex "
                              "2147483632: No such device");
}
END_TEST

START_TEST(netlink_set_netns_moves_device)
{
    struct xsw_err err = {0};
    char want[256];
    int ifindex = veth('d');

    ck_assert_int_eq(sh("ip netns add %s", netns('d')), 0);
    ck_assert_int_eq(nl_link_set_netns(ifindex, netns('d'), &err), 0);
    ck_assert_uint_eq(if_nametoindex(dev('d', 'a')), 0);
    ck_assert_int_eq(
        sh("ip -n %s link show %s >/dev/null", netns('d'), dev('d', 'a')), 0);

    ck_assert_int_eq(nl_link_set_netns((int) if_nametoindex(dev('d', 'b')),
                                       "xsw-no-such-netns", &err),
                     -ENOENT);
    ck_assert_str_eq(err.msg, "netlink: cannot open network namespace "
                              "'xsw-no-such-netns' "
                              "(/var/run/netns/xsw-no-such-netns): No such "
                              "file or directory");
    ck_assert_int_eq(nl_link_set_netns(1, "../etc", &err), -EINVAL);
    ck_assert_str_eq(err.msg, "netlink: bad network namespace name '../etc'");
    snprintf(want, sizeof want,
             "netlink: cannot move ifindex 2147483632 into network "
             "namespace '%s': No such device",
             netns('d'));
    ck_assert_int_eq(nl_link_set_netns(0x7ffffff0, netns('d'), &err), -ENODEV);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

/* --- The monitor ------------------------------------------------------- */

START_TEST(netlink_monitor_first_read_reports_every_link)
{
    struct xsw_err err = {0};
    struct nl_monitor *m;
    int ifindex = veth('e');

    (void) ifindex;
    m = nl_monitor_open(&err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    /* Readable at once: the dump asked for when opening. */
    ck_assert_int_ge(wait_ev(m, 0, dev('e', 'a'), true, 0), 0);
    ck_assert_int_ge(wait_ev(m, 0, dev('e', 'b'), true, 0), 0);
    drain(m);
    ck_assert_int_ge(n_all, 3); /* lo and the pair at least. */
    ck_assert_int_eq(count_ev(0, dev('e', 'a')), 1);
    nl_monitor_close(m);
}
END_TEST

START_TEST(netlink_monitor_reports_up_down_delete)
{
    struct xsw_err err = {0};
    struct nl_monitor *m = nl_monitor_open(&err);
    int a, b, i, from;

    ck_assert_msg(m != NULL, "%s", err.msg);
    a = veth('f');
    b = (int) if_nametoindex(dev('f', 'b'));
    ck_assert_int_ge(wait_ev(m, 0, dev('f', 'a'), true, 0), 0);

    ck_assert_int_eq(nl_link_set(a, NULL, 0, true, &err), 0);
    ck_assert_int_eq(nl_link_set(b, NULL, 0, true, &err), 0);
    ck_assert_int_ge(wait_ev(m, 0, dev('f', 'a'), true, 1), 0);

    /* The peer going down takes the carrier: 'a' is down though its
     * admin state is still up. */
    from = n_evs;
    ck_assert_int_eq(sh("ip link set %s down", dev('f', 'b')), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('f', 'a'), true, 0), 0);

    /* A change is reported once, however many notifications the kernel
     * sends for it. */
    from = n_evs;
    ck_assert_int_eq(nl_link_set(a, NULL, 1280, true, &err), 0);
    i = wait_ev(m, from, dev('f', 'a'), true, 0);
    ck_assert_int_ge(i, 0);
    ck_assert_uint_eq(evs[i].info.mtu, 1280);
    usleep(100000);
    drain(m);
    ck_assert_int_eq(count_ev(from, dev('f', 'a')), 1);

    from = n_evs;
    ck_assert_int_eq(sh("ip link del %s", dev('f', 'a')), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('f', 'a'), false, -1), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('f', 'b'), false, -1), 0);
    nl_monitor_close(m);
}
END_TEST

START_TEST(netlink_monitor_latency)
{
    struct xsw_err err = {0};
    struct nl_monitor *m = nl_monitor_open(&err);
    uint64_t lat[20], t0, sum = 0, max = 0;
    int a, b, i, k;

    ck_assert_msg(m != NULL, "%s", err.msg);
    a = veth('g');
    b = (int) if_nametoindex(dev('g', 'b'));
    ck_assert_int_eq(nl_link_set(b, NULL, 0, true, &err), 0);
    ck_assert_int_ge(wait_ev(m, 0, dev('g', 'b'), true, -1), 0);
    drain(m);
    for (i = 0; i < 20; i++) {
        int from = n_evs;

        t0 = now_ns();
        ck_assert_int_eq(nl_link_set(a, NULL, 0, !(i & 1), &err), 0);
        k = wait_ev(m, from, dev('g', 'a'), true, !(i & 1));
        ck_assert_int_ge(k, 0);
        lat[i] = evs[k].t_ns - t0;
        sum += lat[i];
        max = lat[i] > max ? lat[i] : max;
    }
    fprintf(stderr,
            "test-netlink: link change to callback (set, poll, read): "
            "mean %.3f ms, max %.3f ms over 20\n",
            (double) sum / 20 / 1e6, (double) max / 1e6);
    ck_assert_uint_lt(max, 1000000000ull);
    nl_monitor_close(m);
}
END_TEST

START_TEST(netlink_monitor_reports_rename)
{
    struct xsw_err err = {0};
    struct nl_monitor *m = nl_monitor_open(&err);
    char newname[IF_NAMESIZE];
    int from;

    ck_assert_msg(m != NULL, "%s", err.msg);
    veth('h');
    ck_assert_int_ge(wait_ev(m, 0, dev('h', 'a'), true, 0), 0);
    drain(m);
    from = n_evs;
    snprintf(newname, sizeof newname, "%s", dev('h', 'c'));
    ck_assert_int_eq(sh("ip link set %s name %s", dev('h', 'a'), newname), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('h', 'a'), false, -1), 0);
    ck_assert_int_ge(wait_ev(m, from, newname, true, 0), 0);
    nl_monitor_close(m);
}
END_TEST

START_TEST(netlink_monitor_follows_moved_device)
{
    struct xsw_err err = {0};
    struct nl_monitor *m;
    int a, from;

    a = veth('i');
    ck_assert_int_eq(sh("ip netns add %s", netns('i')), 0);
    ck_assert_int_eq(nl_link_set_netns(a, netns('i'), &err), 0);
    /* Opened after the move: the first read asks the other namespace. */
    m = nl_monitor_open(&err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    ck_assert_int_ge(wait_ev(m, 0, dev('i', 'a'), true, 0), 0);

    from = n_evs;
    ck_assert_int_eq(sh("ip link set %s up", dev('i', 'b')), 0);
    ck_assert_int_eq(sh("ip -n %s link set %s up", netns('i'), dev('i', 'a')),
                     0);
    ck_assert_int_ge(wait_ev(m, from, dev('i', 'a'), true, 1), 0);

    /* Renamed there, still reported under the name it was moved with. */
    from = n_evs;
    ck_assert_int_eq(
        sh("ip -n %s link set %s down", netns('i'), dev('i', 'a')), 0);
    ck_assert_int_eq(
        sh("ip -n %s link set %s name eth7", netns('i'), dev('i', 'a')), 0);
    ck_assert_int_eq(sh("ip -n %s link set eth7 up", netns('i')), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('i', 'a'), true, 0), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('i', 'a'), true, 1), 0);

    from = n_evs;
    ck_assert_int_eq(sh("ip -n %s link del eth7", netns('i')), 0);
    ck_assert_int_ge(wait_ev(m, from, dev('i', 'a'), false, -1), 0);
    nl_monitor_close(m);
}
END_TEST

/* Drops counted by the kernel on the socket with inode 'ino'. */
static long
socket_drops(ino_t ino)
{
    char line[512];
    FILE *f = fopen("/proc/net/netlink", "r");
    long drops = -1;
    unsigned long inode;
    int n;

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        long d;

        /* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
        n = sscanf(line, "%*s %*d %*u %*s %*d %*d %*d %*d %ld %lu", &d,
                   &inode);
        if (n == 2 && inode == (unsigned long) ino)
            drops = d;
    }
    fclose(f);
    return drops;
}

START_TEST(netlink_monitor_resyncs_after_overrun)
{
    struct xsw_err err = {0};
    struct nl_monitor *m = nl_monitor_open(&err);
    int small = 1024, big = 4 << 20, a, i, ia;
    struct stat st;

    ck_assert_msg(m != NULL, "%s", err.msg);
    a = veth('j');
    ck_assert_int_eq(sh("ip link add %s type veth peer name %s", dev('j', 'c'),
                        dev('j', 'd')),
                     0);
    ck_assert_int_ge(wait_ev(m, 0, dev('j', 'c'), true, 0), 0);
    drain(m);

    /* Overrun: a tiny buffer and a burst of changes nobody reads, among
     * them a deletion and the final MTU. */
    ck_assert_int_eq(setsockopt(nl_monitor_fd(m), SOL_SOCKET, SO_RCVBUF,
                                &small, sizeof small),
                     0);
    for (i = 0; i < 50; i++)
        ck_assert_int_eq(
            nl_link_set(a, NULL, (uint32_t) (1300 + i), false, &err), 0);
    ck_assert_int_eq(sh("ip link del %s", dev('j', 'c')), 0);
    ck_assert_int_eq(fstat(nl_monitor_fd(m), &st), 0);
    ck_assert_int_gt(socket_drops(st.st_ino), 0);
    ck_assert_int_eq(setsockopt(nl_monitor_fd(m), SOL_SOCKET, SO_RCVBUFFORCE,
                                &big, sizeof big),
                     0);

    /* The deletion whose notification was dropped is reported, and the
     * last state of 'a', whatever was dropped before it. */
    ck_assert_int_ge(wait_ev(m, 0, dev('j', 'c'), false, -1), 0);
    ck_assert_int_ge(wait_mtu(m, 0, dev('j', 'a'), true, 0, 1349), 0);
    usleep(100000);
    drain(m);
    ia = last_ev(dev('j', 'a'));
    ck_assert_uint_eq(evs[ia].info.mtu, 1349);
    nl_monitor_close(m);
}
END_TEST

static Suite *
netlink_suite(void)
{
    Suite *s = suite_create("netlink");
    TCase *tc = tcase_create("netlink");

    tcase_add_unchecked_fixture(tc, NULL, cleanup);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, netlink_get_reports_device);
    tcase_add_test(tc, netlink_get_missing_device_is_enodev);
    tcase_add_test(tc, netlink_set_changes_mac_mtu_and_up);
    tcase_add_test(tc, netlink_set_error_names_the_change);
    tcase_add_test(tc, netlink_set_netns_moves_device);
    tcase_add_test(tc, netlink_monitor_first_read_reports_every_link);
    tcase_add_test(tc, netlink_monitor_reports_up_down_delete);
    tcase_add_test(tc, netlink_monitor_latency);
    tcase_add_test(tc, netlink_monitor_reports_rename);
    tcase_add_test(tc, netlink_monitor_follows_moved_device);
    tcase_add_test(tc, netlink_monitor_resyncs_after_overrun);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;

    if (geteuid() != 0) {
        fprintf(stderr, "test-netlink: skipped: needs root\n");
        return 77;
    }
    snprintf(prefix, sizeof prefix, "xn%d", (int) getpid() % 10000000);
    sr = srunner_create(netlink_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
