/* TAP ports: the switch creates a TAP device (/dev/net/tun) and is the
 * "wire" behind it: what the kernel sends on the device, rx() reads from
 * the descriptor; what tx() writes there, the device receives.  The device
 * gets the configured MAC and MTU, and is brought up, or moved into the
 * configured namespace, where whoever owns the namespace configures it
 * (moving brings it down).  The switch keeps the descriptor; closing it
 * deletes the device, in whatever namespace it is by then.
 *
 * Offloads.  The device is opened with IFF_VNET_HDR and offers checksum,
 * TSO (IPv4, IPv6, ECN) and USO offloads, so the kernel hands over frames
 * with partial checksums and super-frames of up to 64 KiB, described by a
 * struct virtio_net_hdr: fewer, larger reads.  rx() finishes them
 * (offload.h): it completes checksums and cuts super-frames into segments
 * that fit the device's MTU, one segment per rx() call, so what it returns
 * is always a frame as it would be on a wire.  A super-frame it cannot cut
 * is dropped as DROP_OFFLOAD.  Frames we send need no offload: tx()
 * writes them with an empty header.
 *
 * Link state.  The device is 'up' when it is admin up and has carrier,
 * which a TAP has while our descriptor is open: so the port follows the
 * namespace side setting the device up or down (netlink.h follows devices
 * into the namespace they were moved to).  If the device is deleted
 * (someone ran 'ip link del', or its namespace was deleted), the
 * descriptor is closed and rx_fd() says -1 from then on; the port stays
 * down.  A device of the same name created later is not re-attached.
 *
 * An existing persistent TAP of that name (ip tuntap add) is attached
 * instead of created, and then is not deleted by close(). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "drops.h"
#include "netlink.h"
#include "offload.h"
#include "pkt.h"
#include "port.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20 /* Older UAPI headers lack UDP segmentation. */
#define TUN_F_USO6 0x40
#endif

#define TAP_VNET_HDR_SIZE ((uint32_t) sizeof(struct virtio_net_hdr))
/* A super-frame: an IPv6 packet of 64 KiB plus Ethernet and two tags. */
#define TAP_RX_BUF (TAP_VNET_HDR_SIZE + 65536u + 40u + 22u)

struct tap_port {
    int fd;                 /* -1 once the device is gone. */
    char name[IF_NAMESIZE]; /* The device, as the switch knows it. */
    uint32_t mtu;           /* The device's: caps segments. */
    bool in_gso;            /* 'gso' has segments left. */
    struct offload_gso gso; /* Cutting the super-frame in 'rx_buf'. */
    uint8_t *rx_buf;        /* virtio_net_hdr + one (super-)frame. */
};

static int tap_error(const struct port_config *, const char *key,
                     struct xsw_err *, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int tap_create(struct tap_port *, const struct port_config *,
                      struct xsw_err *);
static int tap_configure(struct tap_port *, struct port *,
                         const struct port_config *, struct xsw_err *);
static int rx_frame(struct tap_port *, struct pkt *);
static int rx_segment(struct tap_port *, struct pkt *);
static int read_error(struct tap_port *, int err);
static void tap_check_gone(struct tap_port *);

static int
tap_open(struct port *port, const struct port_config *cfg, struct xsw_err *err)
{
    const char *name = cfg->device ? cfg->device : cfg->name;
    struct tap_port *tp;
    int ret;

    if (strlen(name) >= IF_NAMESIZE)
        return tap_error(cfg, "device", err, -EINVAL,
                         "device name '%s' is longer than %d characters", name,
                         IF_NAMESIZE - 1);
    if (!(tp = calloc(1, sizeof *tp)))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    port->priv = tp;
    tp->fd = -1;
    memcpy(tp->name, name, strlen(name) + 1);
    if ((ret = tap_create(tp, cfg, err)))
        return ret;
    return tap_configure(tp, port, cfg, err);
}

static void
tap_close(struct port *port)
{
    struct tap_port *tp = port->priv;

    if (!tp)
        return;
    if (tp->fd >= 0)
        close(tp->fd);
    free(tp->rx_buf);
    free(tp);
    port->priv = NULL;
}

static int
tap_rx(struct port *port, struct pkt *pkt)
{
    struct tap_port *tp = port->priv;
    int ret = 0;

    if (tp->fd < 0)
        return -ENODEV;
    if (!tp->in_gso)
        ret = rx_frame(tp, pkt);
    if (!ret && tp->in_gso)
        ret = rx_segment(tp, pkt);
    if (ret >= 0)
        pkt->p.ts_ns = clock_mono_ns();
    if (!ret)
        pkt->p.tailroom =
            (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - pkt->p.size);
    return ret;
}

static int
tap_tx(struct port *port, const uint8_t *frame, uint32_t size, uint64_t ts_ns)
{
    struct tap_port *tp = port->priv;
    struct virtio_net_hdr vh = {0}; /* A complete frame: no offload. */
    struct iovec iov[2] = {{&vh, sizeof vh}, {(void *) frame, size}};
    ssize_t n;

    (void) ts_ns;
    if (tp->fd < 0)
        return -ENODEV;
    n = writev(tp->fd, iov, 2);
    if (n < 0) {
        int ret = -errno;

        if (ret == -EBADFD)
            tap_check_gone(tp);
        return ret;
    }
    return 0;
}

static int
tap_rx_fd(struct port *port)
{
    struct tap_port *tp = port->priv;

    return tp ? tp->fd : -1;
}

static bool
tap_link_event(struct port *port, const struct nl_link_info *info)
{
    struct tap_port *tp = port->priv;

    if (!info->exists) {
        /* Gone from where we watch it; the descriptor knows whether the
         * device itself is gone. */
        tap_check_gone(tp);
        return false;
    }
    if (info->mtu)
        tp->mtu = info->mtu;
    return info->up && tp->fd >= 0;
}

static const char *
tap_device(const struct port *port)
{
    const struct tap_port *tp = port->priv;

    return tp ? tp->name : NULL;
}

const struct port_ops port_tap_ops = {
    .type = "tap",
    .open = tap_open,
    .close = tap_close,
    .rx = tap_rx,
    .tx = tap_tx,
    .rx_fd = tap_rx_fd,
    .link_event = tap_link_event,
    .device = tap_device,
};

/* --- Opening ---------------------------------------------------------- */

/* An error located at the config's 'key' (or the port) when there is a
 * config tree, else prefixed with the port's name. */
static int
tap_error(const struct port_config *cfg, const char *key, struct xsw_err *err,
          int code, const char *fmt, ...)
{
    const struct cfg_node *n = NULL;
    char msg[XSW_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cfg->node && !(key && (n = cfg_node_get(cfg->node, key))))
        n = cfg->node;
    if (n)
        return cfg_node_error(n, err, code, "%s", msg);
    return xsw_err_set(err, code, "port %s: %s", cfg->name, msg);
}

/* Offers every offload offload.h can finish; kernels before 6.2 refuse
 * USO, so that is retried without. */
static int
tap_offloads(struct tap_port *tp)
{
    int hdr = (int) TAP_VNET_HDR_SIZE;
    unsigned long f = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

    if (ioctl(tp->fd, TUNSETVNETHDRSZ, &hdr))
        return -errno;
    if (ioctl(tp->fd, TUNSETOFFLOAD, f | TUN_F_USO4 | TUN_F_USO6) &&
        ioctl(tp->fd, TUNSETOFFLOAD, f))
        return -errno;
    if (!(tp->rx_buf = malloc(TAP_RX_BUF)))
        return -ENOMEM;
    return 0;
}

static int
tap_create(struct tap_port *tp, const struct port_config *cfg,
           struct xsw_err *err)
{
    struct ifreq ifr;
    int ret;

    tp->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (tp->fd < 0)
        return tap_error(cfg, NULL, err, -errno, "/dev/net/tun: %s",
                         strerror(errno));
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, tp->name, strlen(tp->name) + 1);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    if (ioctl(tp->fd, TUNSETIFF, &ifr)) {
        ret = -errno;
        if (if_nametoindex(tp->name))
            return tap_error(cfg, "device", err, ret,
                             "device '%s' exists and cannot be attached as "
                             "a TAP: %s",
                             tp->name, strerror(-ret));
        return tap_error(cfg, "device", err, ret,
                         "cannot create TAP device '%s': %s", tp->name,
                         strerror(-ret));
    }
    if ((ret = tap_offloads(tp)))
        return tap_error(cfg, "device", err, ret,
                         "TAP device '%s': cannot enable offloads: %s",
                         tp->name, strerror(-ret));
    return 0;
}

/* MAC, MTU, then up or into the namespace; one change at a time, so that
 * an error points at the key that asked for it. */
static int
tap_configure(struct tap_port *tp, struct port *port,
              const struct port_config *cfg, struct xsw_err *err)
{
    struct nl_link_info info;
    struct xsw_err nl_err = {0};
    int ret;

    if ((ret = nl_link_get(tp->name, &info, &nl_err)))
        return tap_error(cfg, "device", err, ret, "%s", nl_err.msg);
    if (cfg->has_mac &&
        (ret = nl_link_set(info.ifindex, cfg->mac, 0, false, &nl_err)))
        return tap_error(cfg, "mac", err, ret, "%s", nl_err.msg);
    if (cfg->mtu &&
        (ret = nl_link_set(info.ifindex, NULL, cfg->mtu, false, &nl_err)))
        return tap_error(cfg, "mtu", err, ret, "%s", nl_err.msg);
    tp->mtu = cfg->mtu ? cfg->mtu : info.mtu;
    if (cfg->netns) {
        if ((ret = nl_link_set_netns(info.ifindex, cfg->netns, &nl_err)))
            return tap_error(cfg, "netns", err, ret, "%s", nl_err.msg);
        port->up = false; /* Until the namespace side sets it up. */
        return 0;
    }
    if ((ret = nl_link_set(info.ifindex, NULL, 0, true, &nl_err)) ||
        (ret = nl_link_get(tp->name, &info, &nl_err)))
        return tap_error(cfg, "device", err, ret, "%s", nl_err.msg);
    port->up = info.up;
    return 0;
}

/* --- Receiving -------------------------------------------------------- */

static int
rx_frame(struct tap_port *tp, struct pkt *pkt)
{
    const struct virtio_net_hdr *vh = (const void *) tp->rx_buf;
    uint8_t *frame = tp->rx_buf + TAP_VNET_HDR_SIZE;
    ssize_t n = read(tp->fd, tp->rx_buf, TAP_RX_BUF);
    uint32_t size;

    if (n < 0)
        return read_error(tp, errno);
    if ((size_t) n < TAP_VNET_HDR_SIZE || (size_t) n == TAP_RX_BUF)
        return DROP_OVERSIZE;
    size = (uint32_t) n - TAP_VNET_HDR_SIZE;
    if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        if (offload_gso_start(&tp->gso, frame, size, vh, tp->mtu))
            return DROP_OFFLOAD;
        tp->in_gso = true;
        return 0;
    }
    if (size > PKT_FRAME_MAX)
        return DROP_OVERSIZE;
    if ((vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
        offload_csum_complete(frame, size, vh->csum_start, vh->csum_offset))
        return DROP_OFFLOAD;
    memcpy(pkt->p.data, frame, size);
    pkt->p.size = size;
    return 0;
}

/* The next segment of the super-frame being cut. */
static int
rx_segment(struct tap_port *tp, struct pkt *pkt)
{
    int n = offload_gso_next(&tp->gso, pkt->p.data, PKT_FRAME_MAX);

    if (n < 0 || offload_gso_done(&tp->gso))
        tp->in_gso = false;
    if (n < 0)
        return DROP_OFFLOAD;
    pkt->p.size = (uint32_t) n;
    return 0;
}

static int
read_error(struct tap_port *tp, int err)
{
    if (err == EAGAIN || err == EINTR)
        return -EAGAIN;
    if (err == EBADFD)
        tap_check_gone(tp);
    return -err;
}

/* Closes the descriptor if its device was deleted (the kernel detached
 * it: TUNGETIFF fails with EBADFD), so the poll loop stops watching a
 * descriptor that would be readable (POLLERR) forever. */
static void
tap_check_gone(struct tap_port *tp)
{
    struct ifreq ifr;

    if (tp->fd < 0 || !ioctl(tp->fd, TUNGETIFF, &ifr) || errno != EBADFD)
        return;
    close(tp->fd);
    tp->fd = -1;
    tp->in_gso = false;
}
