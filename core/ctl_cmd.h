/* Control commands
 * ================
 * What the control server (ctl.h) runs: one request, a JSON object
 *
 *   {"id": 7, "cmd": "port.show", "args": {"name": "p1"}}
 *
 * in, one reply out:
 *
 *   {"id": 7, "ok": true, "result": {...}}
 *   {"id": 7, "ok": false, "error": {"code": "ENOENT",
 *                                    "message": "port 'p9' does not exist"}}
 *
 * Commands are rows of one table (ctl_cmd.c): the name, the xswctl words
 * that run it, its arguments, whether it changes the switch, and the
 * handler.  The handlers live with their object: ctl_port.c (ports and the
 * MAC table), ctl_ext.c (extensions), ctl_tap.c (captures and traces),
 * ctl_cmd.c (the switch as a whole).
 * Adding a command is adding a row; the server, the access checks and
 * 'help' need no change.
 *
 * Access.  A read-only command may be run by any peer the server lets in
 * at CTL_ACCESS_READ; one that changes the switch needs CTL_ACCESS_ADMIN.
 * A peer at CTL_ACCESS_NONE is refused every command (docs/control.md).
 *
 * Strictness.  As in the config, nothing is silently ignored: an unknown
 * key in the request or in 'args', a wrong type or an out-of-range value
 * is an error that names it.
 *
 * Threads: datapath thread only, between batches (commands read and change
 * the switch directly). */
#ifndef XSW_CTL_CMD_H
#define XSW_CTL_CMD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dp;

enum ctl_access {
    CTL_ACCESS_NONE,  /* Refused. */
    CTL_ACCESS_READ,  /* Read-only commands. */
    CTL_ACCESS_ADMIN, /* Every command. */
};

/* Who sent the request, for the access check and its message. */
struct ctl_peer {
    enum ctl_access access;
    uint32_t uid;
    const char *group; /* control.group, or NULL. */
};

/* Runs the request in 'line' ('size' bytes, no newline needed) and returns
 * the reply object (a new reference; NULL only when out of memory). */
json_t *ctl_cmd_run(struct dp *, const char *line, size_t size,
                    const struct ctl_peer *);

/* An error reply to request 'id' (borrowed; NULL: null), for errors the
 * server finds before a request is read (too many clients, a line too
 * long).  'code' is a negative errno. */
json_t *ctl_reply_error(json_t *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The EACCES reply for a peer at CTL_ACCESS_NONE, which the server sends
 * as soon as it connects (then closes, so that it holds no client slot). */
json_t *ctl_reply_denied(const struct ctl_peer *);

/* --- For the handlers ------------------------------------------------ */

/* One command being run. */
struct ctl_call {
    struct dp *dp;
    const char *cmd;    /* Its name, for messages. */
    json_t *args;       /* Borrowed; an object, maybe empty. */
    json_t *result;     /* Set by the handler (a new reference);
                         * NULL: {}. */
    struct xsw_err err; /* Why it failed. */
};

typedef int ctl_handler(struct ctl_call *);

/* Argument getters.  Each returns 0, 1 when the argument is absent and
 * not 'required', or -EINVAL with 'call->err' saying what is wrong. */
int ctl_arg_string(struct ctl_call *, const char *key, bool required,
                   const char **out);
int ctl_arg_int(struct ctl_call *, const char *key, bool required, int64_t min,
                int64_t max, int64_t *out);
/* A port given by name; -ENOENT when there is no such port. */
int ctl_arg_port(struct ctl_call *, const char *key, bool required,
                 uint32_t *id);

ctl_handler ctl_port_list, ctl_port_show, ctl_port_set;
ctl_handler ctl_fdb_show, ctl_fdb_flush;
ctl_handler ctl_ext_list, ctl_ext_enable, ctl_ext_disable, ctl_ext_move,
    ctl_ext_call;
ctl_handler ctl_capture_start, ctl_capture_stop, ctl_capture_list, ctl_trace;
ctl_handler ctl_trace_live_start, ctl_trace_live_results, ctl_trace_live_stop;

#endif
