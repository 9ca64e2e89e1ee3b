/* Driver-level test of the "system" (AF_PACKET) port, against real kernel
 * traffic.  Run as root inside the port's network namespace by
 * port-system.sh:
 *
 *   port-system-live PEER_NETNS PORT_DEV PEER_DEV
 *
 * PORT_DEV (198.18.1.1/24, 2001:2::1/64) is the device the port attaches
 * to; PEER_DEV (198.18.1.2/24, 2001:2::2/64), its veth peer, lives in
 * PEER_NETNS, where this program makes its peer-side sockets (setns()
 * there and back: a socket stays in the namespace it was made in).  The
 * kernel's offloads are left at their defaults, so the peer's TCP stack
 * sends GSO super-frames with partial checksums: what rx() returns is
 * checked against independent code here (a byte-by-byte checksum, the
 * stream reassembled from the sequence numbers).
 *
 * Prints "ok: NAME" or "FAIL: NAME: why" per check; exits 1 on any
 * failure.  Every wait is bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <xsw/packet.h>

#include "config.h"
#include "netlink.h"
#include "pkt.h"
#include "port.h"
#include "port_system.h"

#define TEST_ETHERTYPE 0x88b5 /* IEEE local experimental. */
#define TCP_PORT 5001
#define UDP_PORT 9000
#define STREAM_SIZE (1u << 20)

static const char *peer_ns, *port_dev, *peer_dev;
static int self_ns_fd = -1, peer_ns_fd = -1;
static int failures;
static struct pkt_pool *pool;

/* ------------------------------------------------------------------ */
/* Reporting and small helpers. */

static void report(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(bool ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        printf("ok: %s\n", name);
    } else {
        failures++;
        printf("FAIL: %s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
}

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static uint64_t
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
run(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static void
enter_peer(void)
{
    if (setns(peer_ns_fd, CLONE_NEWNET)) {
        perror("setns peer");
        exit(2);
    }
}

static void
leave_peer(void)
{
    if (setns(self_ns_fd, CLONE_NEWNET)) {
        perror("setns back");
        exit(2);
    }
}

struct stat_find {
    const char *name;
    uint64_t value;
};

static void
stat_cb(void *arg, const char *name, uint64_t value)
{
    struct stat_find *f = arg;

    if (!strcmp(name, f->name))
        f->value = value;
}

static uint64_t
counter(const struct port *port, const char *name)
{
    struct stat_find f = {name, UINT64_MAX};

    port_system_stats(port, stat_cb, &f);
    return f.value;
}

/* ------------------------------------------------------------------ */
/* Reference checksums (independent of core/offload.c). */

static uint32_t
ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        sum += i & 1 ? p[i] : (uint32_t) p[i] << 8;
    return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) sum;
}

/* A parsed IPv4/IPv6 TCP/UDP frame without tags or extension headers. */
struct ip_frame {
    bool v6;
    uint8_t proto;
    const uint8_t *ip, *l4, *payload;
    uint32_t l4_size, payload_size;
    uint16_t sport, dport;
};

static bool
parse_ip(const uint8_t *f, uint32_t size, struct ip_frame *pf)
{
    uint16_t type;
    uint32_t ip_size, hdr, l4_hdr;

    if (size < 14)
        return false;
    type = xsw_rd16(f + 12);
    pf->ip = f + 14;
    if (type == 0x0800 && size >= 34) {
        pf->v6 = false;
        hdr = (pf->ip[0] & 15) * 4u;
        ip_size = xsw_rd16(pf->ip + 2);
        pf->proto = pf->ip[9];
    } else if (type == 0x86dd && size >= 54) {
        pf->v6 = true;
        hdr = 40;
        ip_size = 40u + xsw_rd16(pf->ip + 4);
        pf->proto = pf->ip[6];
    } else {
        return false;
    }
    if (14 + ip_size > size || hdr < 20 || hdr + 8 > ip_size)
        return false;
    if (pf->proto != 6 && pf->proto != 17)
        return false;
    pf->l4 = pf->ip + hdr;
    pf->l4_size = ip_size - hdr;
    l4_hdr = pf->proto == 6 ? (pf->l4[12] >> 4) * 4u : 8;
    if (l4_hdr > pf->l4_size)
        return false;
    pf->payload = pf->l4 + l4_hdr;
    pf->payload_size = pf->l4_size - l4_hdr;
    pf->sport = xsw_rd16(pf->l4);
    pf->dport = xsw_rd16(pf->l4 + 2);
    return true;
}

static bool
ref_checksums_ok(const struct ip_frame *pf)
{
    uint8_t ph[40];
    uint32_t sum;

    memset(ph, 0, sizeof ph);
    if (pf->v6) {
        memcpy(ph, pf->ip + 8, 32);
        ph[34] = (uint8_t) (pf->l4_size >> 8);
        ph[35] = (uint8_t) pf->l4_size;
        ph[39] = pf->proto;
        sum = ref_sum(0, ph, 40);
    } else {
        if (ref_fold(ref_sum(0, pf->ip, (pf->ip[0] & 15) * 4u)) != 0xffff)
            return false;
        memcpy(ph, pf->ip + 12, 8);
        ph[9] = pf->proto;
        ph[10] = (uint8_t) (pf->l4_size >> 8);
        ph[11] = (uint8_t) pf->l4_size;
        sum = ref_sum(0, ph, 12);
    }
    if (pf->proto == 17 && xsw_rd16(pf->l4 + 6) == 0)
        return false; /* We never expect "no checksum" here. */
    return ref_fold(ref_sum(sum, pf->l4, pf->l4_size)) == 0xffff;
}

/* ------------------------------------------------------------------ */
/* The port under test and the peer's raw socket. */

/* Receives one frame from the port within 'timeout' ms: returns 0 and
 * the packet, a positive drop id (packet freed), or -ETIMEDOUT. */
static int
port_recv(struct port *port, struct pkt **out, int timeout)
{
    uint64_t deadline = now_ms() + (uint64_t) timeout;
    struct pkt *pkt;
    int r;

    for (;;) {
        pkt = pkt_alloc(pool, 0);
        if (!pkt)
            return -ENOMEM;
        r = port->ops->rx(port, pkt);
        if (r == 0) {
            *out = pkt;
            return 0;
        }
        pkt_free(pool, pkt);
        if (r > 0)
            return r;
        if (r != -EAGAIN)
            return r;
        if (now_ms() >= deadline)
            return -ETIMEDOUT;
        struct pollfd pfd = {.fd = port->ops->rx_fd(port), .events = POLLIN};
        if (pfd.fd < 0)
            return -ETIMEDOUT;
        poll(&pfd, 1, (int) (deadline - now_ms()) + 1);
    }
}

static int
peer_socket(void)
{
    struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                              .sll_protocol = htons(ETH_P_ALL)};
    int one = 1, fd;

    enter_peer();
    fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
    sll.sll_ifindex = (int) if_nametoindex(peer_dev);
    leave_peer();
    if (fd < 0 || !sll.sll_ifindex ||
        bind(fd, (struct sockaddr *) &sll, sizeof sll) ||
        setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one)) {
        perror("peer socket");
        exit(2);
    }
    return fd;
}

/* Receives one frame on the peer's raw socket within 'timeout' ms, with
 * its out-of-band tag put back; returns its size or -1. */
static int
peer_recv(int fd, uint8_t *buf, size_t room, int timeout)
{
    uint64_t deadline = now_ms() + (uint64_t) timeout;
    union {
        struct cmsghdr c;
        uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
    } ctl;
    struct iovec iov = {buf + 4, room - 4};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;
    struct sockaddr_ll from;
    ssize_t n;

    for (;;) {
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_control = &ctl;
        msg.msg_controllen = sizeof ctl;
        n = recvmsg(fd, &msg, 0);
        if (n >= 0 && from.sll_pkttype != PACKET_OUTGOING)
            break;
        if (n < 0 && errno != EAGAIN)
            return -1;
        if (n < 0) {
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            if (now_ms() >= deadline)
                return -1;
            poll(&pfd, 1, (int) (deadline - now_ms()) + 1);
        }
    }
    memmove(buf, buf + 4, (size_t) n);
    for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        struct tpacket_auxdata aux;

        if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
            continue;
        memcpy(&aux, CMSG_DATA(c), sizeof aux);
        if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || n < 12)
            continue;
        memmove(buf + 16, buf + 12, (size_t) n - 12);
        xsw_wr16(buf + 12, aux.tp_status & TP_STATUS_VLAN_TPID_VALID
                               ? aux.tp_vlan_tpid
                               : 0x8100);
        xsw_wr16(buf + 14, aux.tp_vlan_tci);
        n += 4;
    }
    return (int) n;
}

/* ------------------------------------------------------------------ */
/* Test frames: TEST_ETHERTYPE after 0-2 tags, "XSWT" and an index. */

struct test_frame {
    uint16_t tags[2][2]; /* TPID, TCI; TPID 0 = no tag. */
    uint32_t size;
};

static const struct test_frame test_frames[] = {
    {{{0, 0}}, 60},
    {{{0, 0}}, 61},
    {{{0, 0}}, 333},
    {{{0, 0}}, 1514},
    {{{0x8100, 3 << 13 | 5}}, 64},        /* 802.1Q, PCP 3, VID 5. */
    {{{0x8100, 5 << 13 | 0}}, 64},        /* Priority tag (VID 0). */
    {{{0x8100, 4094}}, 1518},             /* Largest tagged frame. */
    {{{0x88a8, 100}, {0x8100, 200}}, 90}, /* QinQ. */
};
#define N_TEST_FRAMES (sizeof test_frames / sizeof *test_frames)

static uint32_t
make_frame(uint8_t *f, const struct test_frame *t, uint32_t index,
           uint32_t size)
{
    static const uint8_t macs[12] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
                                     0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    uint32_t ofs = 12, i;
    int k;

    memcpy(f, macs, 12);
    for (k = 0; k < 2 && t->tags[k][0]; k++) {
        xsw_wr16(f + ofs, t->tags[k][0]);
        xsw_wr16(f + ofs + 2, t->tags[k][1]);
        ofs += 4;
    }
    xsw_wr16(f + ofs, TEST_ETHERTYPE);
    memcpy(f + ofs + 2, "XSWT", 4);
    f[ofs + 6] = (uint8_t) (index >> 8);
    f[ofs + 7] = (uint8_t) index;
    for (i = ofs + 8; i < size; i++)
        f[i] = (uint8_t) (i * 13 + index);
    return size;
}

/* The index of a test frame, or -1 for other traffic (ARP, ND...). */
static int
test_index(const uint8_t *f, uint32_t size)
{
    uint32_t ofs = 12;

    while (ofs + 4 <= size &&
           (xsw_rd16(f + ofs) == 0x8100 || xsw_rd16(f + ofs) == 0x88a8))
        ofs += 4;
    if (ofs + 8 > size || xsw_rd16(f + ofs) != TEST_ETHERTYPE ||
        memcmp(f + ofs + 2, "XSWT", 4))
        return -1;
    return f[ofs + 6] << 8 | f[ofs + 7];
}

/* Receives the next test frame from the port (skipping other traffic). */
static int
port_recv_test(struct port *port, struct pkt **out, int timeout)
{
    uint64_t deadline = now_ms() + (uint64_t) timeout;
    int r;

    do {
        r = port_recv(port, out, (int) (deadline - now_ms()));
        if (r)
            return r;
        if (test_index((*out)->p.data, (*out)->p.size) >= 0)
            return 0;
        pkt_free(pool, *out);
    } while (now_ms() < deadline);
    return -ETIMEDOUT;
}

/* ------------------------------------------------------------------ */
/* Checks. */

static void
test_open_refuses_missing_device(void)
{
    struct port_config cfg = {
        .name = "ghost", .type = "system", .device = "xsw-no-such0"};
    struct xsw_err err;
    struct port port;
    int r;

    xsw_err_clear(&err);
    r = port_open(&port, 1, &cfg, &err);
    port_close(&port);
    report(r == -ENODEV && strstr(err.msg, "xsw-no-such0"),
           "open_refuses_missing_device", "returned %d, '%s'", r, err.msg);
}

static void
test_open(struct port *port, const struct port_config *cfg)
{
    struct xsw_err err;
    int r;

    xsw_err_clear(&err);
    r = port_open(port, 0, cfg, &err);
    if (r) {
        report(false, "open", "%s", err.msg);
        exit(1);
    }
    report(port_is_live(port) && port->ops->rx_fd(port) >= 0 && port->up &&
               !strcmp(port->ops->device(port), port_dev),
           "open", "rx_fd %d, up %d, device %s", port->ops->rx_fd(port),
           port->up, port->ops->device(port));
}

static bool
dev_is_promisc(void)
{
    char path[128];
    unsigned flags = 0;
    FILE *f;

    snprintf(path, sizeof path, "/sys/class/net/%s/flags", port_dev);
    f = fopen(path, "r");
    if (!f)
        return false;
    if (fscanf(f, "%x", &flags) != 1)
        flags = 0;
    fclose(f);
    return flags & IFF_PROMISC;
}

/* Frames sent by the peer come out of rx() byte for byte, out-of-band
 * tags back in place. */
static void
test_rx_exact(struct port *port, int peer)
{
    uint8_t f[2048];
    uint64_t tags0 = counter(port, "vlan_restored"), n_tagged = 0;
    uint32_t i, size;
    struct pkt *pkt;
    int r;

    for (i = 0; i < N_TEST_FRAMES; i++) {
        size = make_frame(f, &test_frames[i], i, test_frames[i].size);
        if (send(peer, f, size, 0) != (ssize_t) size) {
            report(false, "rx_exact", "peer send: %s", strerror(errno));
            return;
        }
        n_tagged += test_frames[i].tags[0][0] != 0;
    }
    for (i = 0; i < N_TEST_FRAMES; i++) {
        size = make_frame(f, &test_frames[i], i, test_frames[i].size);
        r = port_recv_test(port, &pkt, 2000);
        if (r) {
            report(false, "rx_exact", "frame %u: rx returned %d", i, r);
            return;
        }
        if (pkt->p.size != size || memcmp(pkt->p.data, f, size) ||
            pkt->p.ts_ns == 0) {
            report(false, "rx_exact", "frame %u: %u bytes, expected %u", i,
                   pkt->p.size, size);
            pkt_free(pool, pkt);
            return;
        }
        pkt_free(pool, pkt);
    }
    report(counter(port, "vlan_restored") - tags0 == n_tagged, "rx_exact",
           "vlan_restored %lu, expected %lu",
           (unsigned long) (counter(port, "vlan_restored") - tags0),
           (unsigned long) n_tagged);
}

/* tx() frames arrive at the peer byte for byte; an oversize one is
 * counted as an error without losing the rest of the batch; the port
 * does not receive its own frames. */
static void
test_tx_exact(struct port *port, int peer)
{
    uint8_t f[2048], got[2048];
    uint64_t err0 = counter(port, "tx_errors");
    struct pkt *pkt;
    uint32_t i, size;
    int n, idx;

    for (i = 0; i < N_TEST_FRAMES; i++) {
        size = make_frame(f, &test_frames[i], i, test_frames[i].size);
        if (port->ops->tx(port, f, size, 0))
            report(false, "tx_exact", "tx refused frame %u", i);
        if (i == 1) { /* One over the MTU, in the middle of the batch. */
            size = make_frame(f, &test_frames[0], 999, 1515);
            port->ops->tx(port, f, size, 0);
        }
    }
    port->ops->flush(port);
    for (i = 0; i < N_TEST_FRAMES; i++) {
        size = make_frame(f, &test_frames[i], i, test_frames[i].size);
        do {
            n = peer_recv(peer, got, sizeof got, 2000);
            idx = n > 0 ? test_index(got, (uint32_t) n) : -2;
        } while (idx == -1);
        if (n != (int) size || memcmp(got, f, size)) {
            report(false, "tx_exact", "frame %u: got %d bytes (index %d)", i,
                   n, idx);
            return;
        }
    }
    report(counter(port, "tx_errors") - err0 == 1, "tx_oversize_counted",
           "tx_errors went up by %lu",
           (unsigned long) (counter(port, "tx_errors") - err0));
    report(port_recv_test(port, &pkt, 100) == -ETIMEDOUT,
           "tx_not_received_back", "the port received a frame it sent");
    report(true, "tx_exact", "%s", "");
}

/* A lone frame does not wait for its ring block to fill: the block's
 * retire timer hands it over within a few milliseconds. */
static void
test_lone_frame_latency(struct port *port, int peer)
{
    uint8_t f[64];
    uint64_t worst = 0, t0, dt;
    struct pkt *pkt;
    int i, r;

    for (i = 0; i < 5; i++) {
        usleep(20000);
        make_frame(f, &test_frames[0], 20 + (uint32_t) i, 60);
        t0 = now_us();
        send(peer, f, 60, 0);
        r = port_recv_test(port, &pkt, 1000);
        dt = now_us() - t0;
        if (r) {
            report(false, "lone_frame_latency", "frame %d: rx %d", i, r);
            return;
        }
        pkt_free(pool, pkt);
        worst = dt > worst ? dt : worst;
    }
    printf("    lone frame: worst of 5 %lu us\n", (unsigned long) worst);
    report(worst <= 50000, "lone_frame_latency", "%lu us",
           (unsigned long) worst);
}

/* Small UDP datagrams from the peer's stack carry partial checksums; the
 * port completes them. */
static void
test_csum(struct port *port, int family)
{
    const char *name = family == AF_INET ? "csum_udp4" : "csum_udp6";
    uint64_t done0 = counter(port, "csum_completed");
    struct sockaddr_storage ss;
    socklen_t ss_size;
    uint8_t msg[100];
    struct ip_frame pf;
    struct pkt *pkt;
    uint64_t deadline;
    int fd, i, seen = 0;

    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *) &ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(UDP_PORT + 1);
        inet_pton(AF_INET, "198.18.1.1", &s4->sin_addr);
        ss_size = sizeof *s4;
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) &ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(UDP_PORT + 1);
        inet_pton(AF_INET6, "2001:2::1", &s6->sin6_addr);
        ss_size = sizeof *s6;
    }
    for (i = 0; i < (int) sizeof msg; i++)
        msg[i] = (uint8_t) (i * 3 + 1);
    enter_peer();
    fd = socket(family, SOCK_DGRAM, 0);
    leave_peer();
    for (i = 0; i < 3; i++)
        sendto(fd, msg, sizeof msg, 0, (struct sockaddr *) &ss, ss_size);
    close(fd);
    deadline = now_ms() + 3000;
    while (seen < 3 && now_ms() < deadline) {
        if (port_recv(port, &pkt, 200))
            continue;
        if (parse_ip(pkt->p.data, pkt->p.size, &pf) && pf.proto == 17 &&
            pf.dport == UDP_PORT + 1) {
            if (!ref_checksums_ok(&pf) || pf.payload_size != sizeof msg ||
                memcmp(pf.payload, msg, sizeof msg)) {
                report(false, name, "datagram %d: bad checksum or data", seen);
                pkt_free(pool, pkt);
                return;
            }
            seen++;
        }
        pkt_free(pool, pkt);
    }
    report(seen == 3 && counter(port, "csum_completed") - done0 >= 3, name,
           "%d datagrams seen, csum_completed +%lu", seen,
           (unsigned long) (counter(port, "csum_completed") - done0));
}

static uint8_t
stream_byte(uint32_t i)
{
    return (uint8_t) (i * 131u + (i >> 10));
}

struct stream_check {
    bool v6;
    uint32_t isn;
    bool have_isn;
    uint8_t *data; /* Reassembled by sequence number. */
    uint8_t *have; /* Per byte: seen. */
    uint32_t covered;
    uint32_t frames, max_size;
    char why[160]; /* First problem seen, "" if none. */
};

static void
stream_frame(struct stream_check *sc, const uint8_t *f, uint32_t size)
{
    struct ip_frame pf;
    uint32_t seq, ofs, i;

    if (!parse_ip(f, size, &pf) || pf.proto != 6 || pf.v6 != sc->v6)
        return;
    if (pf.sport == TCP_PORT) {
        /* The server's ACKs leave through the device: PACKET_IGNORE_
         * OUTGOING keeps them out of the port. */
        snprintf(sc->why, sizeof sc->why,
                 "received the host's own outgoing frame");
        return;
    }
    if (pf.dport != TCP_PORT)
        return;
    sc->frames++;
    if (size > sc->max_size)
        sc->max_size = size;
    if (sc->why[0])
        return;
    if (size > 1514) {
        snprintf(sc->why, sizeof sc->why, "a %u-byte frame", size);
        return;
    }
    if (!ref_checksums_ok(&pf)) {
        snprintf(sc->why, sizeof sc->why, "bad checksum in a %u-byte frame",
                 size);
        return;
    }
    seq = (uint32_t) xsw_rd16(pf.l4 + 4) << 16 | xsw_rd16(pf.l4 + 6);
    if (pf.l4[13] & XSW_TCP_SYN) {
        sc->isn = seq + 1;
        sc->have_isn = true;
        return;
    }
    if (!sc->have_isn || !pf.payload_size)
        return;
    ofs = seq - sc->isn;
    if (ofs >= STREAM_SIZE || pf.payload_size > STREAM_SIZE - ofs) {
        snprintf(sc->why, sizeof sc->why, "segment outside the stream");
        return;
    }
    memcpy(sc->data + ofs, pf.payload, pf.payload_size);
    for (i = ofs; i < ofs + pf.payload_size; i++) {
        sc->covered += !sc->have[i];
        sc->have[i] = 1;
    }
}

static void
make_addr(int family, const char *v4, const char *v6,
          struct sockaddr_storage *ss, socklen_t *size)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *) ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(TCP_PORT);
        inet_pton(AF_INET, v4, &s4->sin_addr);
        *size = sizeof *s4;
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(TCP_PORT);
        inet_pton(AF_INET6, v6, &s6->sin6_addr);
        *size = sizeof *s6;
    }
}

/* Moves the stream: the peer's client sends, the local server reads, the
 * port watches; until the server has read everything and the port has
 * seen every byte, or 20 s. */
static void
stream_run(struct port *port, int client, int server, struct stream_check *sc)
{
    static uint8_t chunk[65536], sink[65536];
    uint64_t deadline = now_ms() + 20000;
    uint32_t sent = 0, i;
    bool server_eof = false;
    struct pkt *pkt;
    ssize_t n;

    while (now_ms() < deadline && (!server_eof || sc->covered < STREAM_SIZE) &&
           !sc->why[0]) {
        struct pollfd pfd[3] = {
            {.fd = client, .events = sent < STREAM_SIZE ? POLLOUT : 0},
            {.fd = server, .events = server_eof ? 0 : POLLIN},
            {.fd = port->ops->rx_fd(port), .events = POLLIN},
        };
        poll(pfd, 3, 50);
        if (sent < STREAM_SIZE && (pfd[0].revents & POLLOUT)) {
            uint32_t k = STREAM_SIZE - sent < sizeof chunk
                             ? STREAM_SIZE - sent
                             : (uint32_t) sizeof chunk;
            for (i = 0; i < k; i++)
                chunk[i] = stream_byte(sent + i);
            n = send(client, chunk, k, MSG_DONTWAIT);
            if (n > 0)
                sent += (uint32_t) n;
            if (sent == STREAM_SIZE)
                shutdown(client, SHUT_WR);
        }
        if (!server_eof) {
            n = recv(server, sink, sizeof sink, MSG_DONTWAIT);
            server_eof = n == 0;
        }
        while (!port_recv(port, &pkt, 0)) {
            stream_frame(sc, pkt->p.data, pkt->p.size);
            pkt_free(pool, pkt);
        }
    }
}

/* A TCP transfer from the peer: with default offloads its frames reach
 * the port as GSO super-frames; rx() returns MTU-sized segments with
 * correct checksums whose payloads rebuild the stream. */
static void
test_gso_tcp(struct port *port, int family)
{
    const char *name = family == AF_INET ? "gso_tcp4" : "gso_tcp6";
    uint64_t gso0 = counter(port, "gso_frames");
    uint64_t seg0 = counter(port, "gso_segments");
    struct stream_check sc = {.v6 = family == AF_INET6};
    struct sockaddr_storage ss;
    socklen_t ss_size;
    int lfd, client, server = -1, one = 1;
    uint32_t i;

    sc.data = calloc(1, STREAM_SIZE);
    sc.have = calloc(1, STREAM_SIZE);
    make_addr(family, "198.18.1.1", "2001:2::1", &ss, &ss_size);
    lfd = socket(family, SOCK_STREAM, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (!sc.data || !sc.have || lfd < 0 ||
        bind(lfd, (struct sockaddr *) &ss, ss_size) || listen(lfd, 1)) {
        report(false, name, "listen: %s", strerror(errno));
        goto out;
    }
    enter_peer();
    client = socket(family, SOCK_STREAM, 0);
    leave_peer();
    {
        struct timeval tv = {.tv_sec = 3};
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    if (connect(client, (struct sockaddr *) &ss, ss_size) ||
        (server = accept(lfd, NULL, NULL)) < 0) {
        report(false, name, "connect: %s", strerror(errno));
        close(client);
        goto out;
    }
    stream_run(port, client, server, &sc);
    close(client);
    close(server);
    if (!sc.why[0] && sc.covered != STREAM_SIZE)
        snprintf(sc.why, sizeof sc.why, "%u of %u bytes seen", sc.covered,
                 STREAM_SIZE);
    for (i = 0; !sc.why[0] && i < STREAM_SIZE; i++)
        if (sc.data[i] != stream_byte(i))
            snprintf(sc.why, sizeof sc.why, "byte %u differs", i);
    if (!sc.why[0] && counter(port, "gso_frames") == gso0)
        snprintf(sc.why, sizeof sc.why, "no GSO super-frame came");
    report(!sc.why[0], name, "%s (%u frames, largest %u)", sc.why, sc.frames,
           sc.max_size);
    printf("    %s: %u frames, %lu super-frames -> %lu segments\n", name,
           sc.frames, (unsigned long) (counter(port, "gso_frames") - gso0),
           (unsigned long) (counter(port, "gso_segments") - seg0));
out:
    if (lfd >= 0)
        close(lfd);
    free(sc.data);
    free(sc.have);
}

/* UDP_SEGMENT on the peer: one send of 8 x 1000 bytes; the port returns
 * 8 datagrams. */
static void
test_gso_udp(struct port *port)
{
    uint64_t gso0 = counter(port, "gso_frames");
    struct sockaddr_in dst = {.sin_family = AF_INET,
                              .sin_port = htons(UDP_PORT)};
    static uint8_t msg[8000];
    uint64_t deadline;
    struct ip_frame pf;
    struct pkt *pkt;
    int fd, gso_size = 1000, seen = 0;
    uint32_t i;
    bool ok = true;

    inet_pton(AF_INET, "198.18.1.1", &dst.sin_addr);
    for (i = 0; i < sizeof msg; i++)
        msg[i] = stream_byte(i * 7);
    enter_peer();
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    leave_peer();
    if (setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &gso_size, sizeof gso_size) ||
        sendto(fd, msg, sizeof msg, 0, (struct sockaddr *) &dst, sizeof dst) !=
            (ssize_t) sizeof msg) {
        report(false, "gso_udp", "UDP_SEGMENT send: %s", strerror(errno));
        close(fd);
        return;
    }
    close(fd);
    deadline = now_ms() + 3000;
    while (seen < 8 && now_ms() < deadline) {
        if (port_recv(port, &pkt, 200))
            continue;
        if (parse_ip(pkt->p.data, pkt->p.size, &pf) && pf.proto == 17 &&
            pf.dport == UDP_PORT) {
            ok = ok && ref_checksums_ok(&pf) && pf.payload_size == 1000 &&
                 !memcmp(pf.payload, msg + seen * 1000, 1000) &&
                 pkt->p.size == 14 + 28 + 1000;
            seen++;
        }
        pkt_free(pool, pkt);
    }
    report(ok && seen == 8 && counter(port, "gso_frames") > gso0, "gso_udp",
           "%d datagrams, %s, gso_frames +%lu", seen,
           ok ? "all good" : "some bad",
           (unsigned long) (counter(port, "gso_frames") - gso0));
}

/* Frames the ring has no room for are counted as ring drops, and the
 * port receives again once drained. */
static void
test_ring_drops(struct port *port, int peer)
{
    uint8_t f[2048];
    uint64_t drops0 = counter(port, "ring_drops"), deadline, drops;
    uint32_t i, got = 0, sent = 0;
    struct pkt *pkt;
    int r;

    make_frame(f, &test_frames[3], 1000, 1514);
    for (i = 0; i < 20000; i++) {
        if (send(peer, f, 1514, 0) == 1514) {
            sent++;
        } else {
            struct pollfd pfd = {.fd = peer, .events = POLLOUT};
            poll(&pfd, 1, 100);
        }
    }
    /* Drain: until 300 ms without a frame, or 10 s. */
    deadline = now_ms() + 10000;
    while (now_ms() < deadline && !(r = port_recv(port, &pkt, 300))) {
        got += test_index(pkt->p.data, pkt->p.size) == 1000;
        pkt_free(pool, pkt);
    }
    /* A frame is received, dropped at the full ring, or lost before it
     * (the peer's backlog); the few other frames of the namespaces
     * (neighbour discovery...) may be among the drops. */
    drops = counter(port, "ring_drops") - drops0;
    report(drops > 0 && got > 1000 && got + drops <= sent + 50,
           "ring_drops_counted", "sent %u, received %u, ring_drops +%lu", sent,
           got, (unsigned long) drops);
    printf("    ring: sent %u, received %u, ring_drops %lu\n", sent, got,
           (unsigned long) drops);
    make_frame(f, &test_frames[0], 7, 60);
    send(peer, f, 60, 0);
    r = port_recv_test(port, &pkt, 2000);
    report(r == 0 && test_index(pkt->p.data, pkt->p.size) == 7,
           "rx_after_ring_full", "rx returned %d", r);
    if (!r)
        pkt_free(pool, pkt);
}

static bool
has_pollerr(struct port *port)
{
    struct pollfd pfd = {.fd = port->ops->rx_fd(port), .events = POLLIN};

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLERR);
}

/* Waits (at most 5 s) for the device to be up as netlink reports it. */
static int
wait_link(struct nl_link_info *info, bool up)
{
    uint64_t deadline = now_ms() + 5000;
    int r;

    do {
        r = nl_link_get(port_dev, info, NULL);
        if (!r && info->up == up)
            return 0;
        usleep(20000);
    } while (now_ms() < deadline);
    return r ? r : -ETIMEDOUT;
}

static void
test_link_down_up(struct port *port, int peer)
{
    struct nl_link_info info;
    uint8_t f[64];
    struct pkt *pkt;
    bool err_before, up;
    int r;

    run("ip link set %s down", port_dev);
    if (wait_link(&info, false)) {
        report(false, "link_down_up", "device did not go down");
        return;
    }
    err_before = has_pollerr(port);
    up = port->ops->link_event(port, &info);
    report(!up && port->ops->rx_fd(port) >= 0 && !has_pollerr(port),
           "link_down_clears_pollerr",
           "up %d, rx_fd %d, POLLERR before %d after %d", up,
           port->ops->rx_fd(port), err_before, has_pollerr(port));
    run("ip link set %s up", port_dev);
    if (wait_link(&info, true)) {
        report(false, "link_down_up", "device did not come up");
        return;
    }
    up = port->ops->link_event(port, &info);
    make_frame(f, &test_frames[0], 11, 60);
    send(peer, f, 60, 0);
    r = port_recv_test(port, &pkt, 2000);
    report(up && r == 0 && !has_pollerr(port), "link_up_receives",
           "up %d, rx %d", up, r);
    if (!r)
        pkt_free(pool, pkt);
}

static int
recreate_pair(void)
{
    return run("ip link add %s type veth peer name %s netns %s && "
               "ip link set %s up && ip -n %s link set %s up",
               port_dev, peer_dev, peer_ns, port_dev, peer_ns, peer_dev);
}

/* The device disappears and comes back (a new ifindex): the port lets go
 * and attaches again, with ('announced') or without a deletion event. */
static void
test_device_gone_and_back(struct port *port, int *peer, bool announced)
{
    const char *name =
        announced ? "device_gone_and_back" : "device_replaced_unannounced";
    uint64_t att0 = counter(port, "attaches");
    struct nl_link_info info, gone;
    uint8_t f[64];
    struct pkt *pkt;
    int old_ifindex, r;
    bool up;

    if (nl_link_get(port_dev, &info, NULL)) {
        report(false, name, "no device before");
        return;
    }
    old_ifindex = info.ifindex;
    run("ip link del %s", port_dev);
    close(*peer);
    if (announced) {
        gone = info;
        gone.exists = false;
        up = port->ops->link_event(port, &gone);
        pkt = pkt_alloc(pool, 0);
        report(!up && port->ops->rx_fd(port) == -1 &&
                   port->ops->tx(port, f, 60, 0) == -ENETDOWN &&
                   port->ops->rx(port, pkt) == -EAGAIN,
               "device_gone_detaches", "up %d, rx_fd %d", up,
               port->ops->rx_fd(port));
        pkt_free(pool, pkt);
    }
    if (recreate_pair() || wait_link(&info, true)) {
        report(false, name, "could not recreate the veth pair");
        exit(1);
    }
    *peer = peer_socket();
    up = port->ops->link_event(port, &info);
    make_frame(f, &test_frames[0], 12, 60);
    send(*peer, f, 60, 0);
    r = port_recv_test(port, &pkt, 2000);
    report(up && info.ifindex != old_ifindex && r == 0 &&
               counter(port, "attaches") == att0 + 1,
           name, "up %d, ifindex %d -> %d, rx %d, attaches +%lu", up,
           old_ifindex, info.ifindex, r,
           (unsigned long) (counter(port, "attaches") - att0));
    if (!r)
        pkt_free(pool, pkt);
}

int
main(int argc, char **argv)
{
    struct port_config cfg = {.name = "p0", .type = "system"};
    struct port port;
    char path[256];
    int peer;

    if (argc != 4) {
        fprintf(stderr, "usage: %s PEER_NETNS PORT_DEV PEER_DEV\n", argv[0]);
        return 2;
    }
    peer_ns = argv[1];
    port_dev = argv[2];
    peer_dev = argv[3];
    cfg.device = (char *) port_dev;
    snprintf(path, sizeof path, "/var/run/netns/%s", peer_ns);
    self_ns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    peer_ns_fd = open(path, O_RDONLY | O_CLOEXEC);
    pool = pkt_pool_create(64, NULL);
    if (self_ns_fd < 0 || peer_ns_fd < 0 || !pool) {
        perror("setup");
        return 2;
    }
    peer = peer_socket();

    test_open_refuses_missing_device();
    test_open(&port, &cfg);
    report(dev_is_promisc(), "promisc_while_open", "IFF_PROMISC not set");
    test_rx_exact(&port, peer);
    test_tx_exact(&port, peer);
    test_lone_frame_latency(&port, peer);
    test_csum(&port, AF_INET);
    test_csum(&port, AF_INET6);
    test_gso_tcp(&port, AF_INET);
    test_gso_tcp(&port, AF_INET6);
    test_gso_udp(&port);
    test_ring_drops(&port, peer);
    test_link_down_up(&port, peer);
    test_device_gone_and_back(&port, &peer, true);
    test_device_gone_and_back(&port, &peer, false);
    port_close(&port);
    report(!dev_is_promisc(), "promisc_off_after_close",
           "IFF_PROMISC still set");

    close(peer);
    pkt_pool_destroy(pool);
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures ? 1 : 0;
}
