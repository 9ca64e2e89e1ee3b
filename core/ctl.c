#include "ctl.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "ctl_cmd.h"
#include "dp.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59 /* Linux 4.13; older headers lack it. */
#endif

#define CTL_ACCEPT_PER_SERVE 8
#define CTL_PEER_GROUPS_MAX 1024

struct ctl_client {
    int fd; /* -1: a free slot. */
    struct ctl_peer peer;
    char *in; /* CTL_LINE_MAX + 1 bytes. */
    size_t in_used;
    char *out; /* The reply being sent, or NULL. */
    size_t out_size, out_sent;
    bool eof;           /* The peer sent all it will. */
    bool closing;       /* Close once 'out' is sent. */
    bool draining;      /* Closing, reply sent and our side shut: what
                         * the peer still sends is read and dropped until
                         * its end, so that closing never resets the
                         * connection (which could lose the reply). */
    uint64_t active_ns; /* CLOCK_MONOTONIC when it last sent or got
                         * something. */
};

struct ctl {
    struct dp *dp;
    char *path;
    int fd;    /* The listening socket. */
    dev_t dev; /* The socket file we made, so that we */
    ino_t ino; /* never remove someone else's. */
    char *group;
    gid_t gid;
    bool group_admin;
    struct ctl_client clients[CTL_CLIENTS_MAX];
    /* What each entry of the last ctl_fds() was: -1 the listener, else a
     * client slot. */
    int polled[1 + CTL_CLIENTS_MAX];
};

static uint32_t ctl_fds(void *arg, struct pollfd *fds, uint32_t max);
static void ctl_serve(void *arg, const struct pollfd *fds, uint32_t n);

/* --- The socket file -------------------------------------------------- */

/* Creates the directory of 'path' (one level, 0755) if it is missing. */
static int
make_dir(const char *path, struct xsw_err *err)
{
    char *dir = strdup(path), *slash;
    int ret = 0;

    if (!dir)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0755) == 0)
            chmod(dir, 0755); /* Whatever the umask. */
        else if (errno != EEXIST)
            ret = xsw_err_set(err, -errno,
                              "control socket %s: cannot create directory "
                              "%s: %s",
                              path, dir, strerror(errno));
    }
    free(dir);
    return ret;
}

/* A socket file already at 'path': replace it if nobody answers on it. */
static int
clear_stale(const char *path, const struct sockaddr_un *sa,
            struct xsw_err *err)
{
    struct stat st;
    int fd, ret = 0;

    if (lstat(path, &st)) {
        if (errno == ENOENT)
            return 0;
        return xsw_err_set(err, -errno, "control socket %s: %s", path,
                           strerror(errno));
    }
    if (!S_ISSOCK(st.st_mode))
        return xsw_err_set(err, -EEXIST,
                           "control socket %s: the file exists and is not a "
                           "socket (remove it, or choose another path)",
                           path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return xsw_err_set(err, -errno, "control socket %s: socket: %s", path,
                           strerror(errno));
    if (connect(fd, (const struct sockaddr *) sa, sizeof *sa) == 0)
        ret = xsw_err_set(err, -EADDRINUSE,
                          "control socket %s is in use by another xswd", path);
    else if (errno != ECONNREFUSED)
        ret = xsw_err_set(err, -errno, "control socket %s: %s", path,
                          strerror(errno));
    else if (unlink(path) && errno != ENOENT)
        ret = xsw_err_set(err, -errno,
                          "control socket %s: cannot remove the stale file: "
                          "%s",
                          path, strerror(errno));
    close(fd);
    return ret;
}

/* Binds and listens: the file is created 0600 (the umask covers the
 * moment between bind() and chmod()), then given to the group. */
static int
listen_on(struct ctl *ctl, const struct sockaddr_un *sa, struct xsw_err *err)
{
    struct stat st;
    mode_t old;
    int r;

    ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (ctl->fd < 0)
        return xsw_err_set(err, -errno, "control socket %s: socket: %s",
                           ctl->path, strerror(errno));
    old = umask(0177);
    r = bind(ctl->fd, (const struct sockaddr *) sa, sizeof *sa);
    umask(old);
    if (r)
        return xsw_err_set(err, -errno, "control socket %s: bind: %s",
                           ctl->path, strerror(errno));
    if (stat(ctl->path, &st) == 0) {
        ctl->dev = st.st_dev;
        ctl->ino = st.st_ino;
    }
    if (ctl->group &&
        (chown(ctl->path, (uid_t) -1, ctl->gid) || chmod(ctl->path, 0660)))
        return xsw_err_set(err, -errno,
                           "control socket %s: cannot give it to group "
                           "'%s': %s",
                           ctl->path, ctl->group, strerror(errno));
    if (listen(ctl->fd, CTL_CLIENTS_MAX))
        return xsw_err_set(err, -errno, "control socket %s: listen: %s",
                           ctl->path, strerror(errno));
    return 0;
}

int
ctl_open(struct dp *dp, const struct ctl_settings *set, struct ctl **out,
         struct xsw_err *err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct ctl *ctl;
    uint32_t i;
    int ret;

    *out = NULL;
    if (strlen(set->path) >= sizeof sa.sun_path)
        return xsw_err_set(err, -ENAMETOOLONG,
                           "control socket %s: the path is too long (%zu "
                           "bytes; at most %zu)",
                           set->path, strlen(set->path),
                           sizeof sa.sun_path - 1);
    strcpy(sa.sun_path, set->path);
    ctl = calloc(1, sizeof *ctl);
    if (!ctl || !(ctl->path = strdup(set->path)) ||
        (set->group && !(ctl->group = strdup(set->group)))) {
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto err_free;
    }
    ctl->dp = dp;
    ctl->fd = -1;
    ctl->gid = set->gid;
    ctl->group_admin = set->group_admin;
    for (i = 0; i < CTL_CLIENTS_MAX; i++)
        ctl->clients[i].fd = -1;
    if ((ret = make_dir(set->path, err)) ||
        (ret = clear_stale(set->path, &sa, err)) ||
        (ret = listen_on(ctl, &sa, err)))
        goto err_free;
    dp_set_control(dp, &(struct dp_control){ctl_fds, ctl_serve, ctl});
    *out = ctl;
    return 0;

err_free:
    ctl_close(ctl);
    return ret;
}

static void client_close(struct ctl_client *);

void
ctl_close(struct ctl *ctl)
{
    struct stat st;
    uint32_t i;

    if (!ctl)
        return;
    if (ctl->dp)
        dp_set_control(ctl->dp, NULL);
    for (i = 0; i < CTL_CLIENTS_MAX; i++)
        client_close(&ctl->clients[i]);
    if (ctl->fd >= 0) {
        close(ctl->fd);
        if (ctl->ino && stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
            st.st_ino == ctl->ino)
            unlink(ctl->path);
    }
    free(ctl->path);
    free(ctl->group);
    free(ctl);
}

const char *
ctl_path(const struct ctl *ctl)
{
    return ctl->path;
}

/* --- Peers ------------------------------------------------------------ */

/* Is 'gid' among the peer's groups (primary or supplementary)? */
static bool
peer_in_group(int fd, gid_t primary, gid_t gid)
{
    gid_t groups[CTL_PEER_GROUPS_MAX];
    socklen_t len = sizeof groups;
    size_t i;

    if (primary == gid)
        return true;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
        return false; /* Unknown (or too many): not a member. */
    for (i = 0; i < len / sizeof *groups; i++)
        if (groups[i] == gid)
            return true;
    return false;
}

static void
peer_identify(const struct ctl *ctl, struct ctl_client *c)
{
    struct ucred cred;
    socklen_t len = sizeof cred;

    c->peer = (struct ctl_peer){CTL_ACCESS_NONE, (uint32_t) -1, ctl->group};
    if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
        return;
    c->peer.uid = cred.uid;
    if (cred.uid == 0 || cred.uid == geteuid())
        c->peer.access = CTL_ACCESS_ADMIN;
    else if (ctl->group && peer_in_group(c->fd, cred.gid, ctl->gid))
        c->peer.access = ctl->group_admin ? CTL_ACCESS_ADMIN : CTL_ACCESS_READ;
}

/* --- Clients ---------------------------------------------------------- */

static void
client_close(struct ctl_client *c)
{
    if (c->fd < 0)
        return;
    close(c->fd);
    free(c->in);
    free(c->out);
    *c = (struct ctl_client){.fd = -1};
}

/* Queues 'reply' (consumed) as one line. */
static void
client_reply(struct ctl_client *c, json_t *reply)
{
    char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
    size_t size = text ? strlen(text) : 0;

    json_decref(reply);
    if (text && size > CTL_REPLY_MAX) {
        free(text);
        reply = ctl_reply_error(NULL, -EFBIG,
                                "the reply (%zu bytes) is over the limit of "
                                "%u bytes; ask for less (fdb show port P "
                                "vlan V)",
                                size, CTL_REPLY_MAX);
        text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
        size = text ? strlen(text) : 0;
        json_decref(reply);
    }
    if (!text) {
        c->closing = true; /* Out of memory: nothing sensible to say. */
        return;
    }
    text[size] = '\n'; /* Over the NUL: 'out' is not a C string. */
    c->out = text;
    c->out_size = size + 1;
    c->out_sent = 0;
}

/* Sends what the socket takes; false when the connection is dead. */
static bool
client_write(struct ctl_client *c)
{
    ssize_t n;

    while (c->out && c->out_sent < c->out_size) {
        n = send(c->fd, c->out + c->out_sent, c->out_size - c->out_sent,
                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        c->out_sent += (size_t) n;
    }
    if (c->out)
        c->active_ns = clock_mono_ns();
    free(c->out);
    c->out = NULL;
    return true;
}

/* Reads what is waiting, up to a full line buffer; false when dead. */
static bool
client_read(struct ctl_client *c)
{
    ssize_t n;

    while (!c->eof && c->in_used <= CTL_LINE_MAX) {
        n = recv(c->fd, c->in + c->in_used, CTL_LINE_MAX + 1 - c->in_used,
                 MSG_DONTWAIT);
        if (n == 0)
            c->eof = true;
        else if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        else {
            c->in_used += (size_t) n;
            c->active_ns = clock_mono_ns();
        }
    }
    return true;
}

/* Reads and drops what a closing client still sends; false at its end
 * (or an error).  Dropped bytes are no activity: a client that keeps
 * sending is still the idlest when a slot is needed. */
static bool
client_drain(struct ctl_client *c)
{
    char sink[4096];
    ssize_t n;

    while ((n = recv(c->fd, sink, sizeof sink, MSG_DONTWAIT)) > 0)
        continue;
    return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* Runs the first complete line, if any; false when there is none.  At
 * end of input a last line without its newline counts as complete. */
static bool
client_run_line(struct ctl *ctl, struct ctl_client *c)
{
    char *nl = memchr(c->in, '\n', c->in_used);
    size_t len = nl ? (size_t) (nl - c->in) : c->in_used;

    if (!nl && c->in_used > CTL_LINE_MAX) {
        client_reply(c, ctl_reply_error(NULL, -E2BIG,
                                        "request line over %d bytes",
                                        CTL_LINE_MAX));
        c->closing = true;
        return false;
    }
    if (!nl && !(c->eof && c->in_used))
        return false;
    if (len > 0) /* An empty line is no request: skip it. */
        client_reply(c, ctl_cmd_run(ctl->dp, c->in, len, &c->peer));
    len += nl != NULL;
    memmove(c->in, c->in + len, c->in_used - len);
    c->in_used -= len;
    return true;
}

/* Does 'c' have a complete line waiting to run? */
static bool
client_has_line(const struct ctl_client *c)
{
    return memchr(c->in, '\n', c->in_used) || (c->eof && c->in_used) ||
           c->in_used > CTL_LINE_MAX;
}

/* One reply at a time: the next request runs once the previous reply is
 * gone, at most CTL_REQUESTS_PER_SERVE of them per call. */
static void
client_serve(struct ctl *ctl, struct ctl_client *c, short revents)
{
    uint32_t done = 0;

    if (revents & POLLNVAL)
        goto close;
    if (c->draining) {
        if (!client_drain(c))
            goto close;
        return;
    }
    if (!client_write(c) || (!c->closing && !c->out && !client_read(c)))
        goto close;
    while (!c->closing && !c->out && done++ < CTL_REQUESTS_PER_SERVE &&
           client_run_line(ctl, c))
        if (!client_write(c))
            goto close;
    if (!c->out && c->closing && !c->eof && !shutdown(c->fd, SHUT_WR)) {
        c->draining = true;
        return;
    }
    if (!c->out && (c->closing || (c->eof && !c->in_used)))
        goto close;
    if ((revents & (POLLHUP | POLLERR)) && !c->out && !client_has_line(c))
        goto close;
    return;
close:
    client_close(c);
}

/* Sends 'reply' (consumed) and closes: best effort, into a fresh socket
 * buffer, where one line fits. */
static void
refuse(struct ctl_client *c, json_t *reply)
{
    client_reply(c, reply);
    client_write(c);
    client_close(c);
}

/* A free slot; when there is none, the slot of the client idle longest,
 * if that is CTL_IDLE_EVICT_S or more (it is told why and closed), so
 * that idle connections cannot lock everyone else out.  NULL: all busy. */
static struct ctl_client *
free_slot(struct ctl *ctl)
{
    uint64_t now = clock_mono_ns(), limit = CTL_IDLE_EVICT_S * 1000000000ull;
    struct ctl_client *idlest = NULL;
    uint32_t i;

    for (i = 0; i < CTL_CLIENTS_MAX; i++) {
        struct ctl_client *c = &ctl->clients[i];

        if (c->fd < 0)
            return c;
        if (!c->out && !c->in_used && now - c->active_ns >= limit &&
            (!idlest || c->active_ns < idlest->active_ns))
            idlest = c;
    }
    if (idlest)
        refuse(idlest, ctl_reply_error(NULL, -ETIMEDOUT,
                                       "closed after %d s or more idle: "
                                       "another client needed the slot",
                                       CTL_IDLE_EVICT_S));
    return idlest;
}

/* Accepts waiting connections; one past CTL_CLIENTS_MAX, or from a peer
 * that may do nothing, is told why and closed. */
static void
accept_clients(struct ctl *ctl)
{
    struct ctl_client *c;
    uint32_t n;
    int fd;

    for (n = 0; n < CTL_ACCEPT_PER_SERVE; n++) {
        fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        c = free_slot(ctl);
        if (c && (c->in = malloc(CTL_LINE_MAX + 1))) {
            c->fd = fd;
            c->active_ns = clock_mono_ns();
            peer_identify(ctl, c);
            if (c->peer.access != CTL_ACCESS_NONE)
                continue;
            /* Refused at once: a peer that may do nothing holds no slot. */
            refuse(c, ctl_reply_denied(&c->peer));
            continue;
        }
        refuse(&(struct ctl_client){.fd = fd},
               ctl_reply_error(NULL, -EBUSY,
                               "too many control clients (at most %d); try "
                               "again later",
                               CTL_CLIENTS_MAX));
    }
}

/* --- Served by the datapath loops ------------------------------------ */

static uint32_t
ctl_fds(void *arg, struct pollfd *fds, uint32_t max)
{
    struct ctl *ctl = arg;
    uint32_t i, n = 0;

    if (max < 1 + CTL_CLIENTS_MAX)
        return 0;
    fds[n] = (struct pollfd){.fd = ctl->fd, .events = POLLIN};
    ctl->polled[n++] = -1;
    for (i = 0; i < CTL_CLIENTS_MAX; i++) {
        struct ctl_client *c = &ctl->clients[i];
        short ev = 0;

        if (c->fd < 0)
            continue;
        if (c->draining
            || (!c->closing && !c->eof && c->in_used <= CTL_LINE_MAX))
            ev |= POLLIN;
        /* A reply to send, or a line that waited for the last one: wake
         * when the socket is writable, which is at once. */
        if (c->out || client_has_line(c))
            ev |= POLLOUT;
        fds[n] = (struct pollfd){.fd = c->fd, .events = ev};
        ctl->polled[n++] = (int) i;
    }
    return n;
}

static void
ctl_serve(void *arg, const struct pollfd *fds, uint32_t n)
{
    struct ctl *ctl = arg;
    uint32_t i;

    for (i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        if (ctl->polled[i] < 0)
            accept_clients(ctl);
        else if (ctl->clients[ctl->polled[i]].fd == fds[i].fd)
            client_serve(ctl, &ctl->clients[ctl->polled[i]], fds[i].revents);
    }
}
