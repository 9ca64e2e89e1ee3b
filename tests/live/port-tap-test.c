/* The TAP port driver against a real kernel (run by port-tap.sh, as root,
 * inside a namespace of its own):
 *
 *   port-tap-test DEVICE NETNS
 *
 * opens a TAP port 'DEVICE' with a MAC and an MTU, moved into NETNS, and
 * plays the host at 10.99.0.2 behind it while the namespace (10.99.0.1)
 * talks to it:
 *   - the port is down until the namespace side sets the device up, and
 *     follows it up and down (netlink monitor -> link_event);
 *   - ping from the namespace: ARP and ICMP echo requests arrive through
 *     rx() with correct checksums; the replies sent with tx() make ping
 *     succeed;
 *   - a TCP sender in the namespace (TSO on the device): every frame rx()
 *     returns fits the MTU, has correct IP and TCP checksums, and the byte
 *     stream arrives without gaps;
 *   - close() deletes the device; a device deleted under the port closes
 *     its descriptor (rx_fd() -1) and leaves it down.
 * Every wait is bounded; exits 0 on success, 1 with a message otherwise. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xsw/csum.h>

#include "netlink.h"
#include "pkt.h"
#include "port.h"

#define WAIT_MS 5000
#define TCP_WANT 200000u /* Bytes of the TCP stream to check. */
#define MTU 1400u

extern char **environ;

static const uint8_t tap_mac[6] = {0x02, 0x00, 0x00, 0x99, 0x00, 0x01};
static const uint8_t host_mac[6] = {0x02, 0x00, 0x00, 0x99, 0x00, 0x02};
static const uint8_t tap_ip[4] = {10, 99, 0, 1};
static const uint8_t host_ip[4] = {10, 99, 0, 2};

static const char *dev, *ns;
static struct nl_monitor *mon;
static struct pkt pkt; /* The receive buffer. */

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "port-tap-test:%d: %s: ", __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

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

/* Starts 'cmd' inside the namespace in the background. */
static pid_t
spawn_in_ns(const char *cmd)
{
    char *argv[] = {"ip",   "netns", "exec",       (char *) ns,
                    "bash", "-c",    (char *) cmd, NULL};
    pid_t pid;

    CHECK(!posix_spawnp(&pid, "ip", NULL, NULL, argv, environ), "%s", cmd);
    return pid;
}

/* --- The switch's side: monitor and port, as the datapath drives them -- */

struct link_arg {
    struct port *port;
};

static void
link_changed(void *arg, const struct nl_link_info *info)
{
    struct port *port = ((struct link_arg *) arg)->port;

    if (!strcmp(port->ops->device(port), info->name))
        port->up = port->ops->link_event(port, info);
}

static void
pump_monitor(struct port *port)
{
    struct link_arg a = {port};

    CHECK(nl_monitor_read(mon, link_changed, &a) >= 0, "monitor read");
}

/* Waits until the port's state is 'up'; returns the milliseconds taken. */
static uint64_t
wait_port(struct port *port, bool up)
{
    struct pollfd p = {.fd = nl_monitor_fd(mon), .events = POLLIN};
    uint64_t t0 = now_ms();

    pump_monitor(port);
    while (port->up != up && now_ms() - t0 < WAIT_MS)
        if (poll(&p, 1, 50) > 0)
            pump_monitor(port);
    CHECK(port->up == up, "port still %s after %d ms", up ? "down" : "up",
          WAIT_MS);
    return now_ms() - t0;
}

/* Receives one frame into 'pkt' within 'ms'; false if none came. */
static bool
rx_one(struct port *port, int ms)
{
    struct pollfd p[2] = {{.fd = port->ops->rx_fd(port), .events = POLLIN},
                          {.fd = nl_monitor_fd(mon), .events = POLLIN}};
    uint64_t end = now_ms() + (uint64_t) ms;
    int r;

    for (;;) {
        pkt.p.data = pkt.buf + PKT_HEADROOM;
        pkt.p.size = 0;
        r = port->ops->rx(port, &pkt);
        if (r == 0)
            return true;
        CHECK(r == -EAGAIN, "rx returned %d", r);
        if (now_ms() >= end)
            return false;
        if (poll(p, 2, (int) (end - now_ms()) + 1) > 0 && p[1].revents)
            pump_monitor(port);
    }
}

static void
tx(struct port *port, const uint8_t *frame, uint32_t size)
{
    CHECK(!port->ops->tx(port, frame, size, 0), "tx of %u bytes", size);
}

/* --- Frames ------------------------------------------------------------ */

static uint16_t
rd16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
    return (uint32_t) rd16(p) << 16 | rd16(p + 2);
}

static void
wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static void
wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t) (v >> 16));
    wr16(p + 2, (uint16_t) v);
}

/* Ethernet header from the host to the TAP. */
static void
eth_to_tap(uint8_t *f, uint16_t type)
{
    memcpy(f, tap_mac, 6);
    memcpy(f + 6, host_mac, 6);
    wr16(f + 12, type);
}

static bool
ip_csum_ok(const uint8_t *ip)
{
    return xsw_csum_fold(xsw_csum_add(0, ip, (ip[0] & 15u) * 4u)) == 0;
}

/* Does the TCP/UDP checksum of the IPv4 packet 'ip' verify? */
static bool
l4_csum_ok(const uint8_t *ip)
{
    uint32_t ihl = (ip[0] & 15u) * 4u, l4_size = rd16(ip + 2) - ihl;
    uint32_t sum = xsw_csum_add(0, ip + 12, 8) + ip[9] + l4_size;

    return xsw_csum_fold(xsw_csum_add(sum, ip + ihl, l4_size)) == 0;
}

static void
ip_header(uint8_t *ip, uint8_t proto, uint16_t total)
{
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wr16(ip + 2, total);
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, host_ip, 4);
    memcpy(ip + 16, tap_ip, 4);
    wr16(ip + 10, xsw_csum_fold(xsw_csum_add(0, ip, 20)));
}

/* Answers ARP "who has host_ip"; returns whether 'f' was one. */
static bool
answer_arp(struct port *port, const uint8_t *f, uint32_t size)
{
    uint8_t r[42];

    if (size < 42 || rd16(f + 12) != 0x0806 || rd16(f + 20) != 1 ||
        memcmp(f + 38, host_ip, 4))
        return false;
    CHECK(!memcmp(f + 6, tap_mac, 6) && !memcmp(f + 22, tap_mac, 6),
          "ARP request not from the configured MAC");
    eth_to_tap(r, 0x0806);
    memcpy(r + 14, f + 14, 6); /* htype, ptype, hlen, plen */
    wr16(r + 20, 2);
    memcpy(r + 22, host_mac, 6);
    memcpy(r + 28, host_ip, 4);
    memcpy(r + 32, f + 22, 10); /* Target: the requester. */
    tx(port, r, sizeof r);
    return true;
}

/* Answers an ICMP echo request to host_ip; returns whether 'f' was one. */
static bool
answer_ping(struct port *port, const uint8_t *f, uint32_t size)
{
    static uint8_t r[2048];
    const uint8_t *ip = f + 14;
    uint32_t total;

    if (size < 42 || rd16(f + 12) != 0x0800 || ip[9] != 1 ||
        memcmp(ip + 16, host_ip, 4) || ip[20] != 8)
        return false;
    total = rd16(ip + 2);
    CHECK(total <= size - 14 && total <= sizeof r - 14, "IP length %u", total);
    CHECK(ip_csum_ok(ip), "ICMP request: bad IP checksum");
    CHECK(xsw_csum_fold(xsw_csum_add(0, ip + 20, total - 20)) == 0,
          "ICMP request: bad ICMP checksum");
    eth_to_tap(r, 0x0800);
    ip_header(r + 14, 1, (uint16_t) total);
    memcpy(r + 34, ip + 20, total - 20);
    r[34] = 0; /* Echo reply. */
    wr16(r + 36, 0);
    wr16(r + 36, xsw_csum_fold(xsw_csum_add(0, r + 34, total - 20)));
    tx(port, r, 14 + total);
    return true;
}

/* --- TCP: a receiver that only acknowledges ------------------------------ */

struct tcp_rx {
    uint16_t peer_port, my_port;
    uint32_t isn, expect; /* Next sequence number wanted. */
    uint32_t got, frames, max_frame, dups;
    bool synced;
};

static void
tcp_send(struct port *port, const struct tcp_rx *t, uint8_t flags,
         uint32_t seq)
{
    uint8_t r[14 + 20 + 24];
    uint8_t *tcp = r + 34;
    uint32_t hl = flags & 0x02 ? 24 : 20, sum;

    eth_to_tap(r, 0x0800);
    ip_header(r + 14, 6, (uint16_t) (20 + hl));
    memset(tcp, 0, hl);
    wr16(tcp, t->my_port);
    wr16(tcp + 2, t->peer_port);
    wr32(tcp + 4, seq);
    wr32(tcp + 8, t->expect);
    tcp[12] = (uint8_t) (hl / 4 << 4);
    tcp[13] = flags;
    wr16(tcp + 14, 65535);
    if (hl == 24) { /* MSS option on the SYN-ACK. */
        tcp[20] = 2;
        tcp[21] = 4;
        wr16(tcp + 22, MTU - 40);
    }
    sum = xsw_csum_add(0, r + 26, 8) + 6 + hl;
    wr16(tcp + 16, xsw_csum_fold(xsw_csum_add(sum, tcp, hl)));
    tx(port, r, 34 + hl);
}

/* Handles one TCP frame to host_ip:5001; returns whether 'f' was one. */
static bool
tcp_frame(struct port *port, struct tcp_rx *t, const uint8_t *f, uint32_t size)
{
    const uint8_t *ip = f + 14, *tcp;
    uint32_t ihl, total, payload, seq;

    if (size < 54 || rd16(f + 12) != 0x0800 || ip[9] != 6 ||
        memcmp(ip + 16, host_ip, 4))
        return false;
    ihl = (ip[0] & 15u) * 4u;
    tcp = ip + ihl;
    if (rd16(tcp + 2) != 5001)
        return false;
    total = rd16(ip + 2);
    CHECK(size <= MTU + 14, "frame of %u bytes over MTU %u", size, MTU);
    CHECK(total <= size - 14, "IP length %u in a %u-byte frame", total, size);
    CHECK(ip_csum_ok(ip), "TCP frame: bad IP checksum");
    CHECK(l4_csum_ok(ip), "TCP frame: bad TCP checksum (seq %u)",
          rd32(tcp + 4));
    t->frames++;
    t->max_frame = size > t->max_frame ? size : t->max_frame;
    seq = rd32(tcp + 4);
    payload = total - ihl - (tcp[12] >> 4) * 4u;
    if (tcp[13] & 0x02) { /* SYN: answer SYN-ACK. */
        t->peer_port = rd16(tcp);
        t->my_port = 5001;
        t->expect = seq + 1;
        t->isn = 0x1000;
        t->synced = true;
        tcp_send(port, t, 0x12, t->isn);
        return true;
    }
    if (!t->synced || !payload)
        return true;
    CHECK(seq - t->expect > 0x80000000u || seq == t->expect,
          "gap in the stream: got seq %u, wanted %u", seq, t->expect);
    if (seq != t->expect) {
        t->dups++; /* A retransmission. */
    } else {
        t->expect += payload;
        t->got += payload;
    }
    tcp_send(port, t, 0x10, t->isn + 1);
    return true;
}

/* --- The test ------------------------------------------------------------ */

static void
test_ping(struct port *port)
{
    uint32_t arps = 0, echos = 0;
    pid_t pid = spawn_in_ns("ping -c 3 -i 0.2 -W 2 10.99.0.2 >/dev/null");
    uint64_t end = now_ms() + 10000;
    int st = -1;

    while (now_ms() < end) {
        if (rx_one(port, 100)) {
            arps += answer_arp(port, pkt.p.data, pkt.p.size);
            echos += answer_ping(port, pkt.p.data, pkt.p.size);
            CHECK(pkt.p.ts_ns != 0, "rx did not stamp the frame");
        }
        if (waitpid(pid, &st, WNOHANG) == pid)
            break;
    }
    if (now_ms() >= end) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    CHECK(arps >= 1, "no ARP request arrived");
    CHECK(echos >= 3, "%u echo requests arrived", echos);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "ping failed: the replies sent with tx() did not arrive");
    printf("ping: %u ARP and %u echo requests received, replies "
           "delivered\n",
           arps, echos);
}

static void
test_tcp(struct port *port)
{
    struct tcp_rx t = {0};
    char cmd[128];
    pid_t pid;
    uint64_t end = now_ms() + 15000;
    int st;

    snprintf(cmd, sizeof cmd,
             "head -c %u /dev/zero > /dev/tcp/10.99.0.2/5001 2>/dev/null",
             TCP_WANT * 2);
    pid = spawn_in_ns(cmd);
    while (t.got < TCP_WANT && now_ms() < end)
        if (rx_one(port, 100))
            tcp_frame(port, &t, pkt.p.data, pkt.p.size);
    kill(pid, SIGKILL); /* Ours; it may still be sending. */
    waitpid(pid, &st, 0);
    CHECK(t.synced, "no SYN arrived");
    CHECK(t.got >= TCP_WANT, "only %u bytes of the stream arrived", t.got);
    printf("tcp: %u bytes in %u frames (largest %u bytes, %u "
           "retransmitted), all checksums good, no gaps\n",
           t.got, t.frames, t.max_frame, t.dups);
}

/* A port whose device is deleted under it. */
static void
test_deleted(const char *name)
{
    struct port_config cfg = {.name = "gone", .type = "tap"};
    struct port port = {.name = "gone", .ops = &port_tap_ops};
    struct xsw_err err = {0};
    uint64_t t0;

    cfg.device = (char *) name;
    port.cfg = &cfg;
    CHECK(!port_tap_ops.open(&port, &cfg, &err), "%s", err.msg);
    CHECK(port.up, "a TAP with us attached is up once opened");
    CHECK(port_tap_ops.rx_fd(&port) >= 0, "no descriptor");
    t0 = now_ms();
    CHECK(sh("ip link del %s", name) == 0, "ip link del");
    wait_port(&port, false);
    CHECK(port_tap_ops.rx_fd(&port) == -1,
          "descriptor kept after the device was deleted");
    printf("deleted device: port down and descriptor closed in %llu ms\n",
           (unsigned long long) (now_ms() - t0));
    port_tap_ops.close(&port);
}

static void
test_refusals(void)
{
    struct port_config cfg = {.name = "bad", .type = "tap"};
    struct port port = {.name = "bad", .ops = &port_tap_ops};
    struct xsw_err err = {0};
    char want[160];

    cfg.device = "a-name-of-16-chr";
    CHECK(port_tap_ops.open(&port, &cfg, &err) == -EINVAL, "long name");
    CHECK(!strcmp(err.msg, "port bad: device name 'a-name-of-16-chr' is "
                           "longer than 15 characters"),
          "got '%s'", err.msg);
    port_tap_ops.close(&port);

    cfg.device = (char *) dev;
    cfg.mtu = 99999;
    CHECK(port_tap_ops.open(&port, &cfg, &err) == -EINVAL, "MTU 99999");
    snprintf(want, sizeof want,
             "port bad: netlink: cannot set MTU 99999 on %s: Invalid "
             "argument",
             dev);
    CHECK(!strncmp(err.msg, want, strlen(want)), "got '%s'", err.msg);
    port_tap_ops.close(&port);
    CHECK(!if_nametoindex(dev), "a failed open left the device behind");
}

int
main(int argc, char **argv)
{
    struct port_config cfg = {.name = "tap", .type = "tap"};
    struct port port = {.name = "tap", .ops = &port_tap_ops};
    struct xsw_err err = {0};
    char gone[IF_NAMESIZE];
    uint64_t ms;

    CHECK(argc == 3, "usage: port-tap-test DEVICE NETNS");
    dev = argv[1];
    ns = argv[2];
    signal(SIGPIPE, SIG_IGN);
    mon = nl_monitor_open(&err);
    CHECK(mon != NULL, "%s", err.msg);

    test_refusals();

    cfg.device = (char *) dev;
    cfg.has_mac = true;
    memcpy(cfg.mac, tap_mac, 6);
    cfg.mtu = MTU;
    cfg.netns = (char *) ns;
    port.cfg = &cfg;
    CHECK(!port_tap_ops.open(&port, &cfg, &err), "%s", err.msg);
    CHECK(!strcmp(port_tap_ops.device(&port), dev), "device()");
    CHECK(!if_nametoindex(dev), "the device is still here");
    CHECK(sh("ip -n %s -o link show %s | grep -q 'mtu %u .*link/ether "
             "02:00:00:99:00:01'",
             ns, dev, MTU) == 0,
          "the device in %s lacks the MTU or MAC", ns);
    CHECK(!port.up, "a moved device is down until its namespace says");
    wait_port(&port, false);

    CHECK(sh("ip -n %s link set lo up && ip -n %s addr add 10.99.0.1/24 "
             "dev %s && ip -n %s link set %s up",
             ns, ns, dev, ns, dev) == 0,
          "configuring the namespace side");
    ms = wait_port(&port, true);
    printf("namespace side up: port up after %llu ms\n",
           (unsigned long long) ms);
    CHECK(sh("ip netns exec %s ethtool -k %s | grep -q "
             "'^tcp-segmentation-offload: on'",
             ns, dev) == 0,
          "TSO is not on: offloads were not negotiated");

    test_ping(&port);
    test_tcp(&port);

    CHECK(sh("ip -n %s link set %s down", ns, dev) == 0, "ip link down");
    ms = wait_port(&port, false);
    printf("namespace side down: port down after %llu ms\n",
           (unsigned long long) ms);

    port_tap_ops.close(&port);
    CHECK(sh("ip -n %s link show %s >/dev/null 2>&1", ns, dev) != 0,
          "close() left the device in %s", ns);

    snprintf(gone, sizeof gone, "%.12sg", dev);
    test_deleted(gone);
    nl_monitor_close(mon);
    printf("port-tap-test: all passed\n");
    return 0;
}
