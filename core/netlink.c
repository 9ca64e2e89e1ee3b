#include "netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define NL_REPLY_SIZE 32768         /* Reply buffer of one request. */
#define NL_REQUEST_TIMEOUT_S 5      /* The kernel answers at once; bound. */
#define NL_REQUEST_READS 64         /* Datagrams read for one request. */
#define NL_MONITOR_BUF 65536        /* One datagram of the monitor. */
#define NL_MONITOR_RCVBUF (4 << 20) /* Bytes: makes overruns rare. */
#define NL_MONITOR_READS 256        /* Datagrams per nl_monitor_read(). */

/* A request being built: big enough for any message sent here. */
union nl_req {
    struct nlmsghdr nlh;
    uint8_t buf[512];
};

/* What a request got back besides data: the kernel's extended ack text,
 * which often says more than the errno ("mtu greater than device
 * maximum"). */
struct nl_reply {
    int (*cb)(const struct nlmsghdr *, void *arg); /* Data; may be NULL. */
    void *arg;
    char ext[160];
};

/* A link message, parsed. */
struct link_msg {
    struct nl_link_info info;
    int nsid;        /* IFLA_TARGET_NETNSID: about that namespace, or -1. */
    int new_nsid;    /* IFLA_NEW_NETNSID: moved to that namespace, or -1. */
    int new_ifindex; /* IFLA_NEW_IFINDEX: its ifindex there, or 0. */
};

/* A device this process moved into another namespace: its notifications
 * arrive tagged with 'nsid' (NETLINK_LISTEN_ALL_NSID) and are reported
 * under 'name', the name the switch knows it by.  Entries are replaced
 * (same name) but never removed, so that indexes stay valid while a
 * monitor resynchronises; there are at most as many as names moved. */
struct nl_moved {
    int nsid;
    int ifindex; /* In that namespace. */
    char name[IF_NAMESIZE];
};

static pthread_mutex_t moved_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nl_moved *moved;
static size_t n_moved, moved_cap;

/* What a monitor last reported about one link, to report changes only
 * and to notice, after an overrun, the links that vanished unseen. */
struct nl_known {
    int nsid;  /* -1: our namespace. */
    bool seen; /* In the resynchronisation under way. */
    struct nl_link_info info;
};

struct nl_monitor {
    struct mnl_socket *sock;
    uint32_t portid;
    int self_nsid;     /* The id our namespace has for itself, or -1. */
    uint32_t seq;      /* Of the resynchronisation dump; the requests
                        * about moved devices follow it (seq + 1 + i). */
    uint32_t n_moved;  /* Moved devices asked about in it. */
    bool resyncing;    /* A dump is under way. */
    bool resync_again; /* Another is needed when it ends. */
    struct nl_known *links;
    size_t n_links, links_cap;
    uint8_t buf[NL_MONITOR_BUF];
};

typedef void nl_monitor_cb(void *arg, const struct nl_link_info *);

static int nl_transact(struct nlmsghdr *, struct nl_reply *);
static int link_get_cb(const struct nlmsghdr *, void *arg);
static int set_error(struct xsw_err *, int code, const struct nl_reply *,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static struct nlmsghdr *setlink_start(union nl_req *, int ifindex);
static void link_name(int ifindex, char *name);
static int netns_open(const char *netns, struct xsw_err *);
static bool netns_is_ours(int fd);
static int netns_id(int fd, bool assign, int *nsid);
static int moved_find_name(int nsid, int ifindex, char *name);
static void moved_add(int nsid, int ifindex, const char *name);
static int monitor_resync(struct nl_monitor *);
static int monitor_recv(struct nl_monitor *, nl_monitor_cb *, void *);

/* --- Queries and changes ---------------------------------------------- */

int
nl_link_get(const char *name, struct nl_link_info *info, struct xsw_err *err)
{
    union nl_req req;
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(req.buf);
    struct link_msg lm = {.nsid = -2};
    struct nl_reply r = {.cb = link_get_cb, .arg = &lm};
    struct ifinfomsg *ifm;
    int ret;

    if (strlen(name) >= IF_NAMESIZE)
        return xsw_err_set(err, -EINVAL,
                           "netlink: device name '%s' is longer than %d "
                           "characters",
                           name, IF_NAMESIZE - 1);
    nlh->nlmsg_type = RTM_GETLINK;
    ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    ret = nl_transact(nlh, &r);
    if (ret == -ENODEV)
        return xsw_err_set(err, ret, "netlink: no device '%s'", name);
    if (ret)
        return set_error(err, ret, &r, "netlink: cannot query device '%s'",
                         name);
    if (lm.nsid == -2)
        return xsw_err_set(err, -EPROTO,
                           "netlink: no answer about device '%s'", name);
    *info = lm.info;
    return 0;
}

int
nl_link_set(int ifindex, const uint8_t *mac, uint32_t mtu, bool up,
            struct xsw_err *err)
{
    char name[IF_NAMESIZE + 16];
    union nl_req req;
    struct nl_reply r = {0};
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int ret;

    /* One request per change, so that an error names the one refused. */
    link_name(ifindex, name);
    if (mac) {
        nlh = setlink_start(&req, ifindex);
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
        if ((ret = nl_transact(nlh, &r)))
            return set_error(err, ret, &r,
                             "netlink: cannot set MAC "
                             "%02x:%02x:%02x:%02x:%02x:%02x on %s",
                             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
                             name);
    }
    if (mtu) {
        nlh = setlink_start(&req, ifindex);
        mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        if ((ret = nl_transact(nlh, &r)))
            return set_error(err, ret, &r, "netlink: cannot set MTU %u on %s",
                             mtu, name);
    }
    nlh = setlink_start(&req, ifindex);
    ifm = mnl_nlmsg_get_payload(nlh);
    ifm->ifi_change = IFF_UP;
    ifm->ifi_flags = up ? IFF_UP : 0;
    if ((ret = nl_transact(nlh, &r)))
        return set_error(err, ret, &r, "netlink: cannot bring %s %s", name,
                         up ? "up" : "down");
    return 0;
}

int
nl_link_set_netns(int ifindex, const char *netns, struct xsw_err *err)
{
    char name[IF_NAMESIZE + 16];
    union nl_req req;
    struct link_msg lm = {.nsid = -2};
    struct nl_reply r = {0};
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int fd, nsid, ret;

    link_name(ifindex, name);
    if ((fd = netns_open(netns, err)) < 0)
        return fd;
    if (netns_is_ours(fd)) {
        close(fd);
        return 0; /* Already there: the kernel would do nothing. */
    }
    /* An id first, so that the device's notifications from there reach
     * our monitor (the move would assign one too, but only then). */
    if ((ret = netns_id(fd, true, &nsid))) {
        close(fd);
        return xsw_err_set(err, ret,
                           "netlink: cannot get an id for network "
                           "namespace '%s': %s",
                           netns, strerror(-ret));
    }
    nlh = setlink_start(&req, ifindex);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t) fd);
    ret = nl_transact(nlh, &r);
    close(fd);
    if (ret)
        return set_error(err, ret, &r,
                         "netlink: cannot move %s into network namespace "
                         "'%s'",
                         name, netns);

    /* Its ifindex there (kept if free, else a new one). */
    nlh = mnl_nlmsg_put_header(req.buf);
    nlh->nlmsg_type = RTM_GETLINK;
    ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t) nsid);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    r.cb = link_get_cb;
    r.arg = &lm;
    ret = nl_transact(nlh, &r);
    if (!ret && lm.nsid == -2)
        ret = -EPROTO;
    if (ret)
        return set_error(err, ret, &r,
                         "netlink: %s moved into network namespace '%s' "
                         "but cannot be found there",
                         name, netns);
    moved_add(nsid, lm.info.ifindex, lm.info.name);
    return 0;
}

/* --- The monitor ------------------------------------------------------- */

struct nl_monitor *
nl_monitor_open(struct xsw_err *err)
{
    struct nl_monitor *m = calloc(1, sizeof *m);
    int one = 1, size = NL_MONITOR_RCVBUF, fd, ret;

    if (!m) {
        xsw_err_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    m->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!m->sock || mnl_socket_bind(m->sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID))
        goto err_socket;
    m->portid = mnl_socket_get_portid(m->sock);
    fd = mnl_socket_get_fd(m->sock);
    /* Without privilege these fail; the monitor then sees only its own
     * namespace, and overruns come sooner. */
    mnl_socket_setsockopt(m->sock, NETLINK_LISTEN_ALL_NSID, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size))
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    m->self_nsid = -1;
    if (fd >= 0) {
        netns_id(fd, false, &m->self_nsid);
        close(fd);
    }
    m->seq = (uint32_t) getpid() << 16;
    if (monitor_resync(m))
        goto err_socket;
    return m;

err_socket:
    ret = -errno;
    xsw_err_set(err, ret, "netlink: cannot open the link monitor: %s",
                strerror(errno));
    nl_monitor_close(m);
    return NULL;
}

void
nl_monitor_close(struct nl_monitor *m)
{
    if (!m)
        return;
    if (m->sock)
        mnl_socket_close(m->sock);
    free(m->links);
    free(m);
}

int
nl_monitor_fd(const struct nl_monitor *m)
{
    return mnl_socket_get_fd(m->sock);
}

int
nl_monitor_read(struct nl_monitor *m, nl_monitor_cb *cb, void *arg)
{
    bool overrun = false;
    int i, r, n = 0;

    /* Bounded: under a flood the socket stays readable and the caller
     * comes back, with its other work done in between. */
    for (i = 0; i < NL_MONITOR_READS; i++) {
        r = monitor_recv(m, cb, arg);
        if (r == -EAGAIN)
            break;
        if (r == -ENOBUFS) {
            overrun = true;
            continue;
        }
        if (r < 0)
            return r;
        n += r;
    }
    /* Resynchronise once the queue is drained, so that the dump's
     * replies find room. */
    if (overrun)
        m->resync_again = true;
    if (m->resync_again && !m->resyncing)
        monitor_resync(m);
    return n;
}

/* --- Requests ----------------------------------------------------------- */

/* A socket for one request, with a receive timeout as a bound. */
static struct mnl_socket *
request_socket(void)
{
    struct timeval tv = {.tv_sec = NL_REQUEST_TIMEOUT_S};
    struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    int one = 1, saved;

    if (!nl)
        return NULL;
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID)) {
        saved = errno;
        mnl_socket_close(nl);
        errno = saved;
        return NULL;
    }
    mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof one);
    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof one);
    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return nl;
}

/* Copies the kernel's extended ack message of error 'nlh', if any. */
static void
ack_text(const struct nlmsghdr *nlh, char *ext, size_t size)
{
    const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
    size_t ofs = sizeof *e;
    const struct nlattr *attr;

    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return;
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        ofs += e->msg.nlmsg_len - sizeof e->msg;
    if (ofs > mnl_nlmsg_get_payload_len(nlh))
        return;
    mnl_attr_for_each(attr, nlh, ofs)
    {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
            !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
            snprintf(ext, size, "%s", mnl_attr_get_str(attr));
    }
}

/* Handles one reply message; returns true when it ends the exchange. */
static bool
reply_msg(const struct nlmsghdr *nlh, struct nl_reply *r, int *ret)
{
    const struct nlmsgerr *e;

    if (nlh->nlmsg_type == NLMSG_ERROR) {
        if (mnl_nlmsg_get_payload_len(nlh) < sizeof *e) {
            *ret = -EPROTO;
            return true;
        }
        e = mnl_nlmsg_get_payload(nlh);
        if (e->error) {
            *ret = e->error;
            ack_text(nlh, r->ext, sizeof r->ext);
        }
        return true;
    }
    if (nlh->nlmsg_type == NLMSG_DONE)
        return true;
    if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && r->cb) {
        int cb_ret = r->cb(nlh, r->arg);

        if (cb_ret < 0 && !*ret)
            *ret = cb_ret;
    }
    return false;
}

/* Sends 'req' (flags and sequence are set here) on a fresh socket and
 * reads the replies up to the kernel's acknowledgement, passing data
 * messages to 'r->cb'.  Returns 0 or the negative errno of the kernel's
 * answer, with its explanation, if any, in 'r->ext'. */
static int
nl_transact(struct nlmsghdr *req, struct nl_reply *r)
{
    struct mnl_socket *nl = request_socket();
    uint8_t *buf = malloc(NL_REPLY_SIZE);
    const struct nlmsghdr *nlh;
    uint32_t seq = 1, portid;
    bool done = false;
    int i, len, ret = 0;

    r->ext[0] = '\0';
    if (!nl || !buf) {
        ret = nl ? -ENOMEM : -errno;
        goto out;
    }
    portid = mnl_socket_get_portid(nl);
    req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    req->nlmsg_seq = seq;
    if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
        ret = -errno;
        goto out;
    }
    for (i = 0; i < NL_REQUEST_READS && !done; i++) {
        len = (int) mnl_socket_recvfrom(nl, buf, NL_REPLY_SIZE);
        if (len < 0) {
            ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
            break;
        }
        for (nlh = (const struct nlmsghdr *) buf;
             !done && mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
            if (nlh->nlmsg_seq == seq && nlh->nlmsg_pid == portid)
                done = reply_msg(nlh, r, &ret);
    }
    if (!done && !ret)
        ret = -ETIMEDOUT;
out:
    free(buf);
    if (nl)
        mnl_socket_close(nl);
    return ret;
}

/* "<what>: <strerror>[ (<kernel's explanation>)]" into 'err'. */
static int
set_error(struct xsw_err *err, int code, const struct nl_reply *r,
          const char *fmt, ...)
{
    char what[XSW_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return xsw_err_set(err, code, "%s: %s%s%s%s", what, strerror(-code),
                       r->ext[0] ? " (" : "", r->ext, r->ext[0] ? ")" : "");
}

/* An RTM_SETLINK request for 'ifindex' that changes nothing yet. */
static struct nlmsghdr *
setlink_start(union nl_req *req, int ifindex)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(req->buf);
    struct ifinfomsg *ifm;

    nlh->nlmsg_type = RTM_SETLINK;
    ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    return nlh;
}

/* The name of 'ifindex' for messages ('name' holds IF_NAMESIZE + 16). */
static void
link_name(int ifindex, char *name)
{
    if (!if_indextoname((unsigned) ifindex, name))
        snprintf(name, IF_NAMESIZE + 16, "ifindex %d", ifindex);
}

/* --- Link messages ------------------------------------------------------ */

static int
link_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;

    if (mnl_attr_type_valid(attr, IFLA_MAX) >= 0)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static int32_t
attr_s32(const struct nlattr *attr, int32_t absent)
{
    if (!attr || mnl_attr_validate(attr, MNL_TYPE_U32))
        return absent;
    return (int32_t) mnl_attr_get_u32(attr);
}

/* Parses RTM_NEWLINK/RTM_DELLINK 'nlh'; false if it is malformed. */
static bool
link_parse(const struct nlmsghdr *nlh, struct link_msg *lm)
{
    const struct nlattr *tb[IFLA_MAX + 1] = {0};
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *a;
    uint8_t oper = IF_OPER_UNKNOWN;

    memset(lm, 0, sizeof *lm);
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof *ifm ||
        mnl_attr_parse(nlh, sizeof *ifm, link_attr_cb, tb) < 0)
        return false;
    lm->info.exists = nlh->nlmsg_type == RTM_NEWLINK;
    lm->info.ifindex = ifm->ifi_index;
    a = tb[IFLA_IFNAME];
    if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) ||
        mnl_attr_get_payload_len(a) > IF_NAMESIZE)
        return false;
    memcpy(lm->info.name, mnl_attr_get_str(a), mnl_attr_get_payload_len(a));
    a = tb[IFLA_ADDRESS];
    if (a && mnl_attr_get_payload_len(a) == 6)
        memcpy(lm->info.mac, mnl_attr_get_payload(a), 6);
    if ((a = tb[IFLA_MTU]) && !mnl_attr_validate(a, MNL_TYPE_U32))
        lm->info.mtu = mnl_attr_get_u32(a);
    if ((a = tb[IFLA_OPERSTATE]) && !mnl_attr_validate(a, MNL_TYPE_U8))
        oper = mnl_attr_get_u8(a);
    lm->info.up = (ifm->ifi_flags & IFF_UP) &&
                  (oper == IF_OPER_UP || oper == IF_OPER_UNKNOWN);
    lm->nsid = attr_s32(tb[IFLA_TARGET_NETNSID], -1);
    lm->new_nsid = attr_s32(tb[IFLA_NEW_NETNSID], -1);
    lm->new_ifindex = attr_s32(tb[IFLA_NEW_IFINDEX], 0);
    return true;
}

/* nl_transact() callback of a single-link query. */
static int
link_get_cb(const struct nlmsghdr *nlh, void *arg)
{
    struct link_msg *lm = arg;

    if (nlh->nlmsg_type != RTM_NEWLINK)
        return 0;
    return link_parse(nlh, lm) ? 0 : -EPROTO;
}

/* --- Namespaces --------------------------------------------------------- */

/* Opens /var/run/netns/'netns'.  Returns the descriptor or a negative
 * errno with 'err' set. */
static int
netns_open(const char *netns, struct xsw_err *err)
{
    char path[256];
    int fd;

    if (!netns[0] || strchr(netns, '/') || !strcmp(netns, ".") ||
        !strcmp(netns, "..") || strlen(netns) > 200)
        return xsw_err_set(err, -EINVAL,
                           "netlink: bad network namespace name '%s'", netns);
    snprintf(path, sizeof path, "/var/run/netns/%s", netns);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xsw_err_set(err, -errno,
                           "netlink: cannot open network namespace '%s' "
                           "(%s): %s",
                           netns, path, strerror(errno));
    return fd;
}

/* Is the namespace open at 'fd' the one we are in? */
static bool
netns_is_ours(int fd)
{
    struct stat a, b;

    return !fstat(fd, &a) && !stat("/proc/self/ns/net", &b) &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int
nsid_cb(const struct nlmsghdr *nlh, void *arg)
{
    const struct nlattr *attr;
    int *nsid = arg;

    if (nlh->nlmsg_type != RTM_NEWNSID)
        return 0;
    mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg))
    {
        if (mnl_attr_get_type(attr) == NETNSA_NSID)
            *nsid = attr_s32(attr, -1);
    }
    return 0;
}

/* Sends an RTM_GETNSID or RTM_NEWNSID (asking the kernel for any free id)
 * about the namespace open at 'fd'. */
static int
nsid_request(int fd, uint16_t type, int *nsid)
{
    union nl_req req;
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(req.buf);
    struct nl_reply r = {.cb = nsid_cb, .arg = nsid};
    struct rtgenmsg *g;

    nlh->nlmsg_type = type;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->rtgen_family = AF_UNSPEC;
    mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t) fd);
    if (type == RTM_NEWNSID)
        mnl_attr_put_u32(nlh, NETNSA_NSID,
                         (uint32_t) NETNSA_NSID_NOT_ASSIGNED);
    return nl_transact(nlh, &r);
}

/* The id our namespace has for the namespace open at 'fd' (what tags its
 * notifications) into '*nsid', -1 if it has none; one is assigned now if
 * 'assign'.  Returns 0 or a negative errno. */
static int
netns_id(int fd, bool assign, int *nsid)
{
    int ret;

    *nsid = -1;
    if ((ret = nsid_request(fd, RTM_GETNSID, nsid)))
        return ret;
    if (*nsid >= 0 || !assign)
        return 0;
    ret = nsid_request(fd, RTM_NEWNSID, nsid);
    if (ret && ret != -EEXIST) /* EEXIST: someone assigned one first. */
        return ret;
    *nsid = -1;
    if ((ret = nsid_request(fd, RTM_GETNSID, nsid)))
        return ret;
    return *nsid >= 0 ? 0 : -ENOENT;
}

/* --- Devices moved away ------------------------------------------------- */

static void
moved_add(int nsid, int ifindex, const char *name)
{
    struct nl_moved *e = NULL, *grown;
    size_t i;

    pthread_mutex_lock(&moved_lock);
    for (i = 0; i < n_moved && !e; i++)
        if (!strcmp(moved[i].name, name))
            e = &moved[i];
    if (!e && n_moved == moved_cap) {
        grown = realloc(moved, (moved_cap * 2 + 4) * sizeof *moved);
        if (grown) {
            moved = grown;
            moved_cap = moved_cap * 2 + 4;
        }
    }
    if (!e && n_moved < moved_cap)
        e = &moved[n_moved++];
    if (e) {
        e->nsid = nsid;
        e->ifindex = ifindex;
        snprintf(e->name, sizeof e->name, "%s", name);
    }
    pthread_mutex_unlock(&moved_lock);
}

/* Copies the name of the device moved to ('nsid', 'ifindex') into 'name'.
 * Returns its index, or -1 if no such device was moved. */
static int
moved_find_name(int nsid, int ifindex, char *name)
{
    int found = -1;
    size_t i;

    pthread_mutex_lock(&moved_lock);
    for (i = 0; i < n_moved && found < 0; i++)
        if (moved[i].nsid == nsid && moved[i].ifindex == ifindex) {
            memcpy(name, moved[i].name, IF_NAMESIZE);
            found = (int) i;
        }
    pthread_mutex_unlock(&moved_lock);
    return found;
}

/* Copies entry 'i'; false past the end. */
static bool
moved_get(size_t i, struct nl_moved *out)
{
    bool ok;

    pthread_mutex_lock(&moved_lock);
    ok = i < n_moved;
    if (ok)
        *out = moved[i];
    pthread_mutex_unlock(&moved_lock);
    return ok;
}

/* --- Monitor internals -------------------------------------------------- */

static struct nl_known *
known_find(struct nl_monitor *m, int nsid, int ifindex)
{
    size_t i;

    for (i = 0; i < m->n_links; i++)
        if (m->links[i].nsid == nsid && m->links[i].info.ifindex == ifindex)
            return &m->links[i];
    return NULL;
}

static struct nl_known *
known_add(struct nl_monitor *m)
{
    struct nl_known *grown;

    if (m->n_links == m->links_cap) {
        grown = realloc(m->links, (m->links_cap * 2 + 16) * sizeof *grown);
        if (!grown)
            return NULL;
        m->links = grown;
        m->links_cap = m->links_cap * 2 + 16;
    }
    return &m->links[m->n_links++];
}

static void
known_del(struct nl_monitor *m, struct nl_known *k)
{
    *k = m->links[--m->n_links];
}

static bool
link_same(const struct nl_link_info *a, const struct nl_link_info *b)
{
    return a->exists == b->exists && a->ifindex == b->ifindex &&
           a->up == b->up && a->mtu == b->mtu &&
           !memcmp(a->mac, b->mac, sizeof a->mac) && !strcmp(a->name, b->name);
}

/* Reports the link 'nsid'/'info' if it differs from what was reported
 * last.  Returns the number of callbacks made. */
static int
report(struct nl_monitor *m, int nsid, const struct nl_link_info *info,
       nl_monitor_cb *cb, void *arg)
{
    struct nl_known *k = known_find(m, nsid, info->ifindex);
    struct nl_link_info gone;
    int n = 0;

    if (k && (!info->exists || strcmp(k->info.name, info->name))) {
        /* Deleted, or renamed: the old name is gone either way. */
        gone = k->info;
        gone.exists = false;
        if (!info->exists)
            known_del(m, k);
        cb(arg, &gone);
        n++;
    }
    if (!info->exists)
        return n;
    if (k && link_same(&k->info, info)) {
        k->seen = true;
        return n;
    }
    if (k || (k = known_add(m))) {
        k->nsid = nsid;
        k->info = *info;
        k->seen = true;
    }
    cb(arg, info);
    return n + 1;
}

/* Asks for the state of every link again: a dump of our namespace, and
 * one query per device moved away.  Replies arrive as notifications do. */
static int
monitor_resync(struct nl_monitor *m)
{
    union nl_req req;
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    struct nl_moved mv;
    size_t i;

    m->seq += m->n_moved + 2;
    for (i = 0; i < m->n_links; i++)
        m->links[i].seen = false;
    nlh = mnl_nlmsg_put_header(req.buf);
    nlh->nlmsg_type = RTM_GETLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = m->seq;
    ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    if (mnl_socket_sendto(m->sock, nlh, nlh->nlmsg_len) < 0)
        return -errno;
    m->resyncing = true;
    m->resync_again = false;
    for (i = 0; moved_get(i, &mv); i++) {
        nlh = setlink_start(&req, mv.ifindex);
        nlh->nlmsg_type = RTM_GETLINK;
        nlh->nlmsg_flags = NLM_F_REQUEST;
        nlh->nlmsg_seq = m->seq + 1 + (uint32_t) i;
        mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t) mv.nsid);
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        if (mnl_socket_sendto(m->sock, nlh, nlh->nlmsg_len) < 0)
            m->resync_again = true;
    }
    m->n_moved = (uint32_t) i;
    return 0;
}

/* The dump ended: links not seen in it were deleted while we were not
 * listening. */
static int
resync_done(struct nl_monitor *m, nl_monitor_cb *cb, void *arg)
{
    struct nl_link_info gone;
    size_t i = 0;
    int n = 0;

    m->resyncing = false;
    while (i < m->n_links) {
        struct nl_known *k = &m->links[i];

        if (k->nsid != -1 || k->seen) {
            i++;
            continue;
        }
        gone = k->info;
        gone.exists = false;
        known_del(m, k);
        cb(arg, &gone);
        n++;
    }
    return n;
}

/* A reply addressed to the monitor itself: the end of the dump, or an
 * error about a moved device (it is gone). */
static int
monitor_control(struct nl_monitor *m, const struct nlmsghdr *nlh,
                nl_monitor_cb *cb, void *arg)
{
    const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
    struct nl_link_info gone = {0};
    struct nl_moved mv;
    uint32_t i = nlh->nlmsg_seq - m->seq - 1;

    if (nlh->nlmsg_pid != m->portid)
        return 0;
    if (nlh->nlmsg_type == NLMSG_DONE && nlh->nlmsg_seq == m->seq)
        return m->resyncing ? resync_done(m, cb, arg) : 0;
    if (nlh->nlmsg_type != NLMSG_ERROR ||
        mnl_nlmsg_get_payload_len(nlh) < sizeof *e || !e->error)
        return 0;
    if (nlh->nlmsg_seq == m->seq) { /* The dump was refused: retry. */
        m->resyncing = false;
        m->resync_again = true;
        return 0;
    }
    if (i >= m->n_moved || !moved_get(i, &mv))
        return 0;
    gone.ifindex = mv.ifindex;
    return report(m, mv.nsid, &gone, cb, arg);
}

/* Handles one message of the monitor's socket; 'nsid' is the namespace
 * it came from (-1: ours).  Returns the number of callbacks made. */
static int
monitor_msg(struct nl_monitor *m, const struct nlmsghdr *nlh, int nsid,
            nl_monitor_cb *cb, void *arg)
{
    struct link_msg lm;
    char name[IF_NAMESIZE];

    if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
        return monitor_control(m, nlh, cb, arg);
    if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
        !link_parse(nlh, &lm))
        return 0;
    if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
        m->resync_again = true; /* The dump raced changes. */
    if (nsid < 0 && lm.nsid >= 0)
        nsid = lm.nsid; /* Our query about a moved device. */
    if (nsid >= 0 && nsid == m->self_nsid)
        nsid = -1;
    if (nsid >= 0) {
        /* Another namespace: only the devices we moved there, under the
         * name the switch knows. */
        if (moved_find_name(nsid, lm.info.ifindex, name) < 0)
            return 0;
        memcpy(lm.info.name, name, IF_NAMESIZE);
    } else if (!lm.info.exists && lm.new_nsid >= 0 &&
               moved_find_name(lm.new_nsid, lm.new_ifindex, name) >= 0) {
        /* We moved it: it lives on over there, under this name. */
        struct nl_known *k = known_find(m, -1, lm.info.ifindex);

        if (k)
            known_del(m, k);
        return 0;
    }
    return report(m, nsid, &lm.info, cb, arg);
}

/* Reads one datagram.  Returns the number of callbacks made, or a
 * negative errno (-EAGAIN: nothing waits; -ENOBUFS: we missed some). */
static int
monitor_recv(struct nl_monitor *m, nl_monitor_cb *cb, void *arg)
{
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(int)) * 2];
    } ctl;
    struct sockaddr_nl sa;
    struct iovec iov = {.iov_base = m->buf, .iov_len = sizeof m->buf};
    struct msghdr msg = {.msg_name = &sa,
                         .msg_namelen = sizeof sa,
                         .msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = ctl.buf,
                         .msg_controllen = sizeof ctl.buf};
    const struct nlmsghdr *nlh;
    struct cmsghdr *c;
    int len, nsid = -1, n = 0;

    do
        len = (int) recvmsg(mnl_socket_get_fd(m->sock), &msg, MSG_DONTWAIT);
    while (len < 0 && errno == EINTR);
    if (len < 0)
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    if (msg.msg_flags & MSG_TRUNC)
        return -ENOBUFS; /* Lost part of it: resynchronise. */
    if (sa.nl_pid != 0)
        return 0; /* Not from the kernel. */
    for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_NETLINK &&
            c->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
            c->cmsg_len == CMSG_LEN(sizeof(int)))
            memcpy(&nsid, CMSG_DATA(c), sizeof nsid);
    for (nlh = (const struct nlmsghdr *) m->buf; mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len))
        n += monitor_msg(m, nlh, nsid, cb, arg);
    return n;
}
