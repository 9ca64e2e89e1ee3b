/* Dropping privileges after start-up
 * ==================================
 * xswd needs root (or CAP_NET_RAW and CAP_NET_ADMIN) to open AF_PACKET
 * sockets, create TAP devices and move them between namespaces, and to
 * create its control socket under /run.  Once all of that is done, a
 * configured switch (security.user) becomes that user and keeps only the
 * capabilities it still needs, so that a bug in the packet path or in an
 * extension no longer runs as root:
 *
 *   - supplementary groups are cleared, the real, effective and saved
 *     gid become the configured group (default: the user's primary group),
 *     then the three uids become the user's;
 *   - capabilities: none, or CAP_NET_RAW and CAP_NET_ADMIN for a switch
 *     with live ports (a system port whose device disappears is opened
 *     again when it returns, which takes a new packet socket and
 *     promiscuous mode), kept across the uid change with PR_SET_KEEPCAPS
 *     and then set as the only permitted and effective ones;
 *   - PR_SET_NO_NEW_PRIVS, so nothing the process could execute gains
 *     more;
 *   - a final check that setuid(0) now fails.
 *
 * Everything is opened before the drop: ports, capture files, extension
 * modules (and whatever their create() opened), the control socket.  What
 * is written later (the JSON summary, exports an extension writes at exit
 * or on command) needs a place the user may write to. */
#ifndef XSW_PRIVDROP_H
#define XSW_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct privdrop {
    const char *user;   /* Name or numeric uid; required. */
    const char *group;  /* Name or numeric gid; NULL = the user's. */
};

struct privdrop_ids {
    uid_t uid;
    gid_t gid;
};

/* Looks the user and group up (config time, so that --check knows).
 * Returns 0, or -ENOENT with the reason in 'why' ("unknown user 'xsw'"). */
int privdrop_resolve(const struct privdrop *p, struct privdrop_ids *ids,
                     char *why, size_t size);

/* Becomes 'ids', keeping CAP_NET_RAW and CAP_NET_ADMIN if 'keep_net' (as
 * far as the process has them).  Returns 0, or a negative errno with the
 * reason in 'why' ("setresuid(998): Operation not permitted", ...).  Run
 * by root; a process that already is the user and group only sheds
 * capabilities. */
int privdrop_apply(const struct privdrop_ids *ids, bool keep_net, char *why,
                   size_t size);

#endif
