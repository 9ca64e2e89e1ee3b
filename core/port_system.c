/* System ports: an existing kernel network device, through AF_PACKET
 * ==================================================================
 * The port attaches to the device named 'device' (default: the port's
 * name) with one raw packet socket (ETH_P_ALL) bound to its ifindex, in
 * promiscuous mode (PACKET_MR_PROMISC, which the kernel undoes when the
 * socket closes).  It receives what arrives on the device and sends onto
 * it.  PACKET_IGNORE_OUTGOING keeps out what the host's own stack sends
 * out of the device (frames going to the wire did not come from it; the
 * socket never sees its own frames anyway).  Everything is non-blocking:
 * the datapath polls rx_fd().
 *
 * Receive ring.  A memory-mapped TPACKET_V3 ring: RING_BLOCKS blocks of
 * RING_BLOCK_SIZE bytes, into which the kernel packs frames of any size
 * back to back, and hands over a whole block when it is full or
 * RING_RETIRE_MS after its first frame.  V3 rather than V2's fixed slots
 * because a slot would have to hold a 64 KiB GSO super-frame (below):
 * with V2 that costs 64 KiB per 60-byte frame; here a 256 KiB block holds
 * three super-frames or ~1600 minimum-size frames (160 bytes each with
 * the ring's headers), and one poll() wake-up yields them all.  16 blocks
 * (4 MiB a port) absorb about 3 ms of 10 Gbit/s while the switch is busy
 * elsewhere.  The cost is latency at low rates: a lone frame waits for
 * its block's retire timer (0.93 ms from the peer's send() to rx() on
 * kernel 6.18, tests/live/port-system.sh; kernels whose timer counts
 * jiffies round RING_RETIRE_MS up, to 4 ms at HZ=250).  rx() walks the
 * current block frame by frame and gives the block back to the kernel
 * only when every frame in it, and every segment cut from one of them,
 * has been handed out (segments are cut from the ring memory itself); so
 * rx_fd() stays readable while rx() still has something to return.
 * Frames the kernel dropped because the ring was full are counted
 * (PACKET_STATISTICS, read when counters are asked for and on detach).
 *
 * Offloads (offload.h).  PACKET_VNET_HDR makes the kernel put a struct
 * virtio_net_hdr before each frame.  A frame whose checksum is partial
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM) gets it completed; a GSO super-frame (TCP
 * over IPv4/IPv6, UDP_SEGMENT) is cut into segments no larger than the
 * device's MTU, one segment per rx() call, the pending ones kept here.
 * The outer VLAN tag, which the kernel strips on receive and reports
 * beside the frame (TP_STATUS_VLAN_VALID, tp_vlan_tci, tp_vlan_tpid), is
 * put back into the bytes last.  So what rx() returns is the frame as it
 * would have been on a wire.
 *
 * Transmit.  tx() copies the frame into one of TX_BATCH slots (the caller
 * keeps its buffer); flush() -- or tx() when the slots are full -- sends
 * them all with one sendmmsg(), each behind a zeroed virtio header (the
 * socket has PACKET_VNET_HDR, so the kernel expects one on send too: no
 * offload asked for).  sendmmsg() rather than PACKET_TX_RING: it costs
 * one syscall a batch all the same, needs no second ring, and says which
 * frame failed.  Failures after tx() returned are counted, not reported:
 * 'tx_errors' (the kernel refused a frame, e.g. larger than the MTU) and
 * 'tx_dropped' (the socket's send buffer was full; the datapath never
 * waits).
 *
 * Device life.  The datapath forwards netlink link changes to
 * link_event(): when the device disappears the socket and ring are closed
 * (rx_fd() is -1, the port is down); when a device of that name exists
 * again -- or the name now belongs to another ifindex -- the port
 * attaches to it afresh.  A device going down makes the kernel flag an
 * error on the socket (ENETDOWN), which would keep poll() returning
 * POLLERR; link_event() clears it.  The device must exist when the port
 * opens: a name that is not there is a configuration error.
 *
 * Threads: datapath thread only. */
#include "port_system.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "drops.h"
#include "netlink.h"
#include "offload.h"
#include "pkt.h"
#include "port.h"

enum {
    RING_BLOCK_SIZE = 1 << 18, /* 256 KiB: > a 64 KiB super-frame. */
    RING_BLOCKS = 16,
    RING_FRAME_SIZE = 2048, /* Nominal in V3 (only for tp_frame_nr). */
    RING_RETIRE_MS = 1,
    TX_BATCH = XSW_BATCH_MAX,
    TX_SNDBUF = 1 << 20, /* Room for a batch of jumbo frames. */
};

#define RING_SIZE ((size_t) RING_BLOCK_SIZE * RING_BLOCKS)

struct sys_counters {
#define SYS_COUNTER_FIELD(name, text) uint64_t name;
    PORT_SYSTEM_COUNTERS(SYS_COUNTER_FIELD)
#undef SYS_COUNTER_FIELD
};

/* An outer VLAN tag the kernel reported out of band. */
struct sys_tag {
    bool valid;
    uint16_t tpid, tci;
};

struct sys_port {
    char *device;       /* A copy: a reload may free the config. */
    int fd;             /* -1 while detached. */
    int ifindex;        /* Attached to; 0 while detached. */
    uint32_t mtu;       /* The device's, for segmentation. */

    uint8_t *ring;                  /* RING_SIZE bytes mmap()ed, or NULL. */
    uint32_t blk;                   /* The block to read (or being read). */
    struct tpacket_block_desc *cur; /* Being read (ours), or NULL. */
    uint8_t *frame;                 /* Its next frame. */
    uint32_t left;                  /* Frames in it not yet read. */

    struct sys_tag tag;     /* Of the frame being returned. */
    struct offload_gso gso; /* Cutting a super-frame in 'cur'. */
    bool segmenting;

    uint32_t n_tx;                 /* Frames queued in the slots. */
    uint8_t *tx_buf;               /* TX_BATCH slots of PKT_FRAME_MAX. */
    struct virtio_net_hdr tx_vnet; /* Always zero. */
    struct iovec tx_iov[TX_BATCH][2];
    struct mmsghdr tx_msg[TX_BATCH];

    struct sys_counters n;
};

/* ------------------------------------------------------------------ */
/* Attaching and detaching. */

/* Adds the ring's drop counters (which the kernel resets on read). */
static void
collect_ring_stats(struct sys_port *sp)
{
    struct tpacket_stats_v3 st;
    socklen_t size = sizeof st;

    if (sp->fd < 0)
        return;
    if (!getsockopt(sp->fd, SOL_PACKET, PACKET_STATISTICS, &st, &size)) {
        sp->n.ring_drops += st.tp_drops;
        sp->n.ring_freezes += st.tp_freeze_q_cnt;
    }
}

/* Reading SO_ERROR clears the error the kernel flags on the socket when
 * the device goes down (or is down at bind()), which would otherwise keep
 * poll() returning POLLERR. */
static void
clear_socket_error(int fd)
{
    socklen_t size = sizeof(int);
    int e;

    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &size);
}

static int
sys_error(struct xsw_err *err, const struct sys_port *sp, const char *what)
{
    int code = -errno;

    return xsw_err_set(err, code, "device '%s': %s: %s", sp->device, what,
                       strerror(-code));
}

static int
set_int_opt(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value);
}

/* The socket options that must precede the ring (PACKET_VNET_HDR and
 * PACKET_VERSION cannot change once it exists), then the ring. */
static int
setup_ring(struct sys_port *sp, int fd, struct xsw_err *err)
{
    struct tpacket_req3 req = {
        .tp_block_size = RING_BLOCK_SIZE,
        .tp_block_nr = RING_BLOCKS,
        .tp_frame_size = RING_FRAME_SIZE,
        .tp_frame_nr = RING_BLOCK_SIZE / RING_FRAME_SIZE * RING_BLOCKS,
        .tp_retire_blk_tov = RING_RETIRE_MS,
    };
    void *ring;

    if (set_int_opt(fd, SOL_PACKET, PACKET_VNET_HDR, 1))
        return sys_error(err, sp, "PACKET_VNET_HDR");
    if (set_int_opt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3))
        return sys_error(err, sp, "PACKET_VERSION");
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req))
        return sys_error(err, sp, "PACKET_RX_RING");
    ring = mmap(NULL, RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED)
        return sys_error(err, sp, "mmap of the receive ring");
    sp->ring = ring;
    return 0;
}

static int
attach(struct sys_port *sp, const struct nl_link_info *info,
       struct xsw_err *err)
{
    struct packet_mreq mr = {.mr_ifindex = info->ifindex,
                             .mr_type = PACKET_MR_PROMISC};
    struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                              .sll_protocol = htons(ETH_P_ALL),
                              .sll_ifindex = info->ifindex};
    int fd, ret;

    /* Protocol 0: nothing is received until bind() names the device, so
     * the ring never holds another device's frames. */
    fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return sys_error(err, sp, "cannot open a packet socket");
    if ((ret = setup_ring(sp, fd, err)))
        goto err_close;
    if (set_int_opt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)) {
        ret = sys_error(err, sp, "PACKET_IGNORE_OUTGOING");
        goto err_unmap;
    }
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr)) {
        ret = sys_error(err, sp, "promiscuous mode");
        goto err_unmap;
    }
    set_int_opt(fd, SOL_SOCKET, SO_SNDBUF, TX_SNDBUF); /* Best effort. */
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll)) {
        ret = sys_error(err, sp, "bind");
        goto err_unmap;
    }
    clear_socket_error(fd);
    sp->fd = fd;
    sp->ifindex = info->ifindex;
    sp->mtu = info->mtu;
    sp->blk = 0;
    sp->cur = NULL;
    sp->segmenting = false;
    sp->n.attaches++;
    return 0;

err_unmap:
    munmap(sp->ring, RING_SIZE);
    sp->ring = NULL;
err_close:
    close(fd);
    return ret;
}

static void
detach(struct sys_port *sp)
{
    if (sp->fd < 0)
        return;
    collect_ring_stats(sp);
    sp->n.tx_dropped += sp->n_tx;
    sp->n_tx = 0;
    sp->segmenting = false;
    sp->cur = NULL;
    munmap(sp->ring, RING_SIZE);
    sp->ring = NULL;
    close(sp->fd);
    sp->fd = -1;
    sp->ifindex = 0;
}

static void
init_tx(struct sys_port *sp)
{
    uint32_t i;

    for (i = 0; i < TX_BATCH; i++) {
        sp->tx_iov[i][0].iov_base = &sp->tx_vnet;
        sp->tx_iov[i][0].iov_len = sizeof sp->tx_vnet;
        sp->tx_iov[i][1].iov_base = sp->tx_buf + (size_t) i * PKT_FRAME_MAX;
        sp->tx_msg[i].msg_hdr.msg_iov = sp->tx_iov[i];
        sp->tx_msg[i].msg_hdr.msg_iovlen = 2;
    }
}

static int
sys_open(struct port *port, const struct port_config *cfg, struct xsw_err *err)
{
    const struct cfg_node *node = cfg_node_get(cfg->node, "device");
    struct sys_port *sp = calloc(1, sizeof *sp);
    struct nl_link_info info;
    struct xsw_err why;
    int ret;

    if (!sp)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    port->priv = sp;
    sp->fd = -1;
    sp->device = strdup(cfg->device ? cfg->device : cfg->name);
    sp->tx_buf = malloc((size_t) TX_BATCH * PKT_FRAME_MAX);
    if (!sp->device || !sp->tx_buf)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    init_tx(sp);
    xsw_err_clear(&why);
    ret = nl_link_get(sp->device, &info, &why);
    if (!ret)
        ret = attach(sp, &info, &why);
    if (ret) {
        if (!node)
            node = cfg->node;
        return node ? cfg_node_error(node, err, ret, "%s", why.msg)
                    : xsw_err_set(err, ret, "%s", why.msg);
    }
    port->up = info.up;
    return 0;
}

static void
sys_close(struct port *port)
{
    struct sys_port *sp = port->priv;

    if (!sp)
        return;
    detach(sp);
    free(sp->device);
    free(sp->tx_buf);
    free(sp);
    port->priv = NULL;
}

/* ------------------------------------------------------------------ */
/* Receive. */

static struct tpacket_block_desc *
ring_block(const struct sys_port *sp, uint32_t i)
{
    return (struct tpacket_block_desc *) (sp->ring +
                                          (size_t) i * RING_BLOCK_SIZE);
}

/* Gives the block being read back to the kernel. */
static void
ring_release(struct sys_port *sp)
{
    __atomic_store_n(&sp->cur->hdr.bh1.block_status, TP_STATUS_KERNEL,
                     __ATOMIC_RELEASE);
    sp->cur = NULL;
    sp->blk = (sp->blk + 1) % RING_BLOCKS;
}

/* The next frame in the ring, or NULL when the kernel has handed over
 * none.  Blocks without frames are passed over (at most one lap). */
static struct tpacket3_hdr *
ring_next(struct sys_port *sp)
{
    struct tpacket_block_desc *bd;
    struct tpacket3_hdr *h;
    uint32_t i;

    for (i = 0; i <= RING_BLOCKS; i++) {
        if (sp->cur && sp->left) {
            h = (struct tpacket3_hdr *) sp->frame;
            sp->frame += h->tp_next_offset;
            sp->left--;
            return h;
        }
        if (sp->cur)
            ring_release(sp);
        bd = ring_block(sp, sp->blk);
        if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
              TP_STATUS_USER))
            return NULL;
        sp->cur = bd;
        sp->left = bd->hdr.bh1.num_pkts;
        sp->frame = (uint8_t *) bd + bd->hdr.bh1.offset_to_first_pkt;
    }
    return NULL;
}

/* Where the frame goes in 'pkt' before its tag is pushed back in front. */
static uint8_t *
rx_start(const struct sys_port *sp, struct pkt *pkt)
{
    return pkt->p.data + (sp->tag.valid ? 4 : 0);
}

static uint32_t
rx_room(const struct sys_port *sp)
{
    return PKT_FRAME_MAX - (sp->tag.valid ? 4u : 0u);
}

/* Puts the tag back and sets the packet's size: the frame is complete. */
static int
rx_finish(struct sys_port *sp, struct pkt *pkt, uint32_t size)
{
    if (sp->tag.valid) {
        if (offload_vlan_push(pkt->p.data + 4, size, sp->tag.tpid,
                              sp->tag.tci))
            return DROP_RUNT;
        size += 4;
        sp->n.vlan_restored++;
    }
    pkt->p.size = size;
    pkt->p.tailroom = (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - size);
    return 0;
}

static int
rx_segment(struct sys_port *sp, struct pkt *pkt)
{
    int size = offload_gso_next(&sp->gso, rx_start(sp, pkt), rx_room(sp));

    pkt->p.ts_ns = clock_mono_ns();
    if (size < 0) {
        sp->segmenting = false; /* The rest of the super-frame is lost. */
        sp->n.bad_offload++;
        return DROP_OFFLOAD;
    }
    sp->segmenting = !offload_gso_done(&sp->gso);
    sp->n.gso_segments++;
    return rx_finish(sp, pkt, (uint32_t) size);
}

static int
rx_frame(struct sys_port *sp, const struct tpacket3_hdr *h, struct pkt *pkt)
{
    const uint8_t *data = (const uint8_t *) h + h->tp_mac;
    uint32_t size = h->tp_snaplen;
    struct virtio_net_hdr vh;
    uint8_t *out;

    pkt->p.ts_ns = clock_mono_ns();
    memcpy(&vh, data - sizeof vh, sizeof vh);
    sp->tag.valid = h->tp_status & TP_STATUS_VLAN_VALID;
    sp->tag.tci = h->hv1.tp_vlan_tci;
    sp->tag.tpid = h->tp_status & TP_STATUS_VLAN_TPID_VALID
                       ? h->hv1.tp_vlan_tpid
                       : ETH_P_8021Q;
    if (size < h->tp_len) {
        sp->n.rx_truncated++; /* Larger than a ring block. */
        return DROP_TRUNCATED;
    }
    if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        if (offload_gso_start(&sp->gso, data, size, &vh, sp->mtu)) {
            sp->n.bad_offload++;
            return DROP_OFFLOAD;
        }
        sp->n.gso_frames++;
        return rx_segment(sp, pkt);
    }
    if (size > rx_room(sp))
        return DROP_OVERSIZE;
    out = rx_start(sp, pkt);
    memcpy(out, data, size);
    if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        if (offload_csum_complete(out, size, vh.csum_start, vh.csum_offset)) {
            sp->n.bad_offload++;
            return DROP_OFFLOAD;
        }
        sp->n.csum_completed++;
    }
    return rx_finish(sp, pkt, size);
}

static int
sys_rx(struct port *port, struct pkt *pkt)
{
    struct sys_port *sp = port->priv;
    struct tpacket3_hdr *h;

    if (sp->segmenting)
        return rx_segment(sp, pkt);
    if (sp->fd < 0 || !(h = ring_next(sp)))
        return -EAGAIN;
    return rx_frame(sp, h, pkt);
}

/* ------------------------------------------------------------------ */
/* Transmit. */

static void
tx_send(struct sys_port *sp)
{
    uint32_t sent = 0, tries;
    int r;

    /* Each round sends some frames or skips the one that failed; EINTR
     * aside, so 2 * TX_BATCH rounds always suffice. */
    for (tries = 0; sent < sp->n_tx && tries < 2 * TX_BATCH; tries++) {
        r = sendmmsg(sp->fd, sp->tx_msg + sent, sp->n_tx - sent, MSG_DONTWAIT);
        sp->n.tx_batches++;
        if (r > 0) {
            sent += (uint32_t) r;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break; /* Send buffer full: so is it for the rest. */
        } else if (errno == ENOBUFS) {
            sp->n.tx_dropped++; /* Dropped by the device's queue. */
            sent++;
        } else if (errno == ENETDOWN || errno == ENXIO) {
            sp->n.tx_errors += sp->n_tx - sent; /* So would the rest. */
            sent = sp->n_tx;
        } else if (errno != EINTR) {
            sp->n.tx_errors++;
            sent++;
        }
    }
    sp->n.tx_dropped += sp->n_tx - sent;
    sp->n_tx = 0;
}

static int
sys_tx(struct port *port, const uint8_t *frame, uint32_t size, uint64_t ts_ns)
{
    struct sys_port *sp = port->priv;

    (void) ts_ns;
    if (sp->fd < 0)
        return -ENETDOWN;
    if (size > PKT_FRAME_MAX)
        return -EMSGSIZE;
    if (sp->n_tx == TX_BATCH)
        tx_send(sp);
    memcpy(sp->tx_iov[sp->n_tx][1].iov_base, frame, size);
    sp->tx_iov[sp->n_tx][1].iov_len = size;
    sp->n_tx++;
    return 0;
}

static int
sys_flush(struct port *port)
{
    struct sys_port *sp = port->priv;

    /* Frames the kernel refuses are counted (tx_errors), not lost
     * output of the switch's own making. */
    if (sp->n_tx && sp->fd >= 0)
        tx_send(sp);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Live port hooks. */

static int
sys_rx_fd(struct port *port)
{
    const struct sys_port *sp = port->priv;

    return sp->fd;
}

static bool
sys_link_event(struct port *port, const struct nl_link_info *info)
{
    struct sys_port *sp = port->priv;
    struct xsw_err err;

    if (!info->exists) {
        detach(sp);
        return false;
    }
    if (sp->fd >= 0 && info->ifindex != sp->ifindex)
        detach(sp); /* The name now belongs to another device. */
    if (sp->fd < 0) {
        xsw_err_clear(&err);
        if (attach(sp, info, &err)) {
            /* Rare (a device replaced under us); not on the packet path. */
            fprintf(stderr, "xswd: port %s: %s\n", port->name, err.msg);
            return false;
        }
    }
    sp->mtu = info->mtu;
    clear_socket_error(sp->fd);
    return info->up;
}

static const char *
sys_device(const struct port *port)
{
    return port->cfg->device ? port->cfg->device : port->cfg->name;
}

const struct port_ops port_system_ops = {
    .type = "system",
    .open = sys_open,
    .close = sys_close,
    .rx = sys_rx,
    .tx = sys_tx,
    .flush = sys_flush,
    .rx_fd = sys_rx_fd,
    .link_event = sys_link_event,
    .device = sys_device,
    .stats = port_system_stats,
};

void
port_system_stats(const struct port *port,
                  void (*cb)(void *arg, const char *name, uint64_t value),
                  void *arg)
{
    struct sys_port *sp = port->priv;

    if (port->ops != &port_system_ops || !sp)
        return;
    collect_ring_stats(sp);
#define SYS_COUNTER_CB(name, text) cb(arg, #name, sp->n.name);
    PORT_SYSTEM_COUNTERS(SYS_COUNTER_CB)
#undef SYS_COUNTER_CB
}
