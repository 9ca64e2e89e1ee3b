/* Control server
 * ==============
 * xswd's management socket: a UNIX stream socket on which a client
 * (xswctl) writes one JSON request per line and reads one JSON reply per
 * line (the commands: ctl_cmd.h; the protocol: docs/control.md).
 *
 * It never blocks the datapath.  Every descriptor is non-blocking, and the
 * datapath thread serves the server between batches (ctl_open() attaches
 * it with dp_set_control()): a live switch polls its descriptors with the
 * ports', a replay polls them without waiting every few batches.  A
 * request runs when its line is complete; its reply leaves as fast as the
 * client reads it.  A client gets its next reply only after it has read
 * the previous one, so no client can make the server queue without bound.
 *
 * Limits (each in docs/control.md):
 *   - CTL_CLIENTS_MAX clients at once.  When all slots are taken, the
 *     client idle longest (nothing sent or received for CTL_IDLE_EVICT_S
 *     or more) is told so and closed to make room; when none has been
 *     idle that long, the newcomer is sent an EBUSY error line and
 *     closed.  So a reader cannot lock root out by holding connections;
 *   - CTL_LINE_MAX bytes in a request line; a longer line gets an E2BIG
 *     error and the connection is closed (the rest of the line cannot be
 *     told from the next request);
 *   - CTL_REPLY_MAX bytes in a reply; a larger one is replaced by an EFBIG
 *     error;
 *   - CTL_REQUESTS_PER_SERVE requests per client each time it is served,
 *     so that a client sending a flood of small requests delays a batch by
 *     a bounded amount.
 *
 * Who may do what is decided per connection from the peer's credentials
 * (SO_PEERCRED, SO_PEERGROUPS), not from the socket file's mode alone:
 * root and the uid xswd runs as may run every command; members of the
 * configured group read-only commands (every command with group_admin);
 * anyone else is sent one EACCES error line as soon as it connects, and
 * closed, so that it holds no client slot.
 *
 * The socket file is created 0600, or 0660 owned by the group when one is
 * configured.  A file left behind by an xswd that died is replaced; one
 * that a running xswd answers on is refused ("in use by another xswd"). */
#ifndef XSW_CTL_H
#define XSW_CTL_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

#define CTL_CLIENTS_MAX 16
#define CTL_LINE_MAX 65536        /* Bytes, without the newline. */
#define CTL_REPLY_MAX (16u << 20) /* Bytes of one reply. */
#define CTL_REQUESTS_PER_SERVE 8
#define CTL_IDLE_EVICT_S 10        /* See the limits above. */
#define CTL_DIR_DEFAULT "/run/xsw" /* Default: <dir>/<switch>.sock */

struct ctl;
struct dp;

struct ctl_settings {
    const char *path;  /* The socket file. */
    const char *group; /* Group name for read access, or NULL. */
    gid_t gid;         /* Its id, when 'group' is set. */
    bool group_admin;  /* Members may also change the switch. */
};

/* Creates the socket file (and its directory, 0755, if missing), listens
 * and attaches the server to 'dp'.  Returns 0 or a negative errno with
 * 'err' saying why, naming the path. */
int ctl_open(struct dp *, const struct ctl_settings *, struct ctl **,
             struct xsw_err *);

/* Detaches from the switch, closes every connection and removes the socket
 * file (if it is still ours).  NULL is a no-op. */
void ctl_close(struct ctl *);

const char *ctl_path(const struct ctl *);

#endif
