#include "ctl_cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dp.h"
#include "jsontext.h"
#include "reload.h"
#include "summary.h"

struct ctl_cmd {
    const char *name;  /* In requests: "port.show". */
    const char *usage; /* xswctl words: "port show NAME". */
    const char *args;  /* Keys 'args' may hold, comma-separated. */
    bool changes;      /* Needs CTL_ACCESS_ADMIN. */
    ctl_handler *run;
    const char *help;
};

static ctl_handler cmd_help, cmd_switch_show, cmd_switch_pause,
    cmd_switch_resume, cmd_counters, cmd_reload;

static const struct ctl_cmd ctl_cmds[] = {
    {"help", "help", "", false, cmd_help, "list the commands"},
    {"switch.show", "switch show", "", false, cmd_switch_show,
     "the summary: state, clock, totals, ports, drops, extensions, MAC "
     "table"},
    {"switch.pause", "switch pause", "", true, cmd_switch_pause,
     "pause a replay between batches"},
    {"switch.resume", "switch resume", "", true, cmd_switch_resume,
     "resume a paused replay"},
    {"port.list", "port list", "", false, ctl_port_list,
     "every port: state, VLAN policy, counters"},
    {"port.show", "port show NAME", "name", false, ctl_port_show,
     "one port, with its driver's counters"},
    {"port.set",
     "port set NAME admin up|down | vlan access VID | vlan trunk "
     "ALLOWED [native VID]",
     "name,admin,vlan", true, ctl_port_set,
     "set a port administratively up or down, or change its VLAN policy"},
    {"fdb.show", "fdb show [port NAME] [vlan VID]", "port,vlan", false,
     ctl_fdb_show, "the MAC table, or the part on one port or VLAN"},
    {"fdb.flush", "fdb flush [port NAME] [vlan VID]", "port,vlan", true,
     ctl_fdb_flush, "forget learned addresses"},
    {"ext.list", "ext list", "", false, ctl_ext_list,
     "the extensions in chain order: role, state, counters"},
    {"ext.enable", "ext enable NAME", "name", true, ctl_ext_enable,
     "put an extension into the chain"},
    {"ext.disable", "ext disable NAME", "name", true, ctl_ext_disable,
     "take an extension out of the chain (it keeps its state)"},
    {"ext.move", "ext move NAME before|after OTHER", "name,before,after", true,
     ctl_ext_move, "change the chain order"},
    {"ext.call", "ext call NAME CMD [ARG...]", "name,argv", true, ctl_ext_call,
     "run an extension's own command"},
    {"counters", "counters", "", false, cmd_counters,
     "totals and drops by reason"},
    {"reload", "reload", "", true, cmd_reload,
     "re-read the config file and apply the difference (all or nothing)"},
    {"trace", "trace PORT HEX | trace PORT --pcap FILE --frame N",
     "port,frame", true, ctl_trace,
     "run a frame through the pipeline without sending it, stage by "
     "stage"},
    /* Live traces show packet contents, as captures do: changing. */
    {"trace.live.start",
     "trace --live [PORT] [--filter BPF] [--count N] [--timeout S] [--json]",
     "filter,count,port", true, ctl_trace_live_start,
     "follow the next N packets a port receives that match a filter, "
     "stage by stage (xswctl polls trace.live.results, then stops)"},
    {"trace.live.results", "(trace --live polls it)", "session", true,
     ctl_trace_live_results,
     "take the journeys of a live trace completed since the last call"},
    {"trace.live.stop", "(trace --live ends with it)", "session", true,
     ctl_trace_live_stop, "stop a live trace"},
    {"capture.start",
     "capture start NAME --at POINT [--filter BPF] [--count N] --file PATH "
     "[--pcapng]",
     "name,point,filter,count,file,format", true, ctl_capture_start,
     "capture packets at port:P:rx, port:P:tx, ext:E or drop into a file"},
    {"capture.stop", "capture stop NAME", "name", true, ctl_capture_stop,
     "stop a capture and close its file"},
    {"capture.list", "capture list", "", false, ctl_capture_list,
     "the captures: point, file, packets, state"},
};

#define N_CMDS (sizeof ctl_cmds / sizeof ctl_cmds[0])

/* The codes replies carry, by name: programs test the name. */
static const struct {
    int code;
    const char *name;
} errno_names[] = {
    {EINVAL, "EINVAL"}, {ENOENT, "ENOENT"},         {EPERM, "EPERM"},
    {EACCES, "EACCES"}, {EBUSY, "EBUSY"},           {E2BIG, "E2BIG"},
    {EPROTO, "EPROTO"}, {ENOMEM, "ENOMEM"},         {EFBIG, "EFBIG"},
    {EIO, "EIO"},       {EOPNOTSUPP, "EOPNOTSUPP"}, {ETIMEDOUT, "ETIMEDOUT"},
    {EEXIST, "EEXIST"}, {ENOSPC, "ENOSPC"},         {ENOBUFS, "ENOBUFS"},
    {ELOOP, "ELOOP"},   {EISDIR, "EISDIR"},
};

/* --- Replies ---------------------------------------------------------- */

/* The symbolic name of errno 'code' (negative), for programs to test. */
static const char *
code_name(int code)
{
    size_t i;

    for (i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (errno_names[i].code == -code)
            return errno_names[i].name;
    return "EIO";
}

static json_t *
reply_error_msg(json_t *id, int code, const char *msg)
{
    return json_pack("{s:O?, s:b, s:{s:s, s:o}}", "id", id, "ok", 0, "error",
                     "code", code_name(code), "message", jsontext_new(msg));
}

json_t *
ctl_reply_error(json_t *id, int code, const char *fmt, ...)
{
    char msg[XSW_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return reply_error_msg(id, code, msg);
}

/* --- Arguments -------------------------------------------------------- */

/* The argument 'key' in '*v': 0, 1 when absent and optional, or a
 * negative errno (absent and required) with the error set. */
static int
arg_get(struct ctl_call *c, const char *key, bool required, json_t **v)
{
    *v = json_object_get(c->args, key);
    if (*v)
        return 0;
    if (!required)
        return 1;
    return xsw_err_set(&c->err, -EINVAL, "%s: missing argument '%s'", c->cmd,
                       key);
}

int
ctl_arg_string(struct ctl_call *c, const char *key, bool required,
               const char **out)
{
    json_t *v;
    int ret = arg_get(c, key, required, &v);

    if (ret)
        return ret;
    if (!json_is_string(v))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: argument '%s' must be a string", c->cmd, key);
    *out = json_string_value(v);
    return 0;
}

int
ctl_arg_int(struct ctl_call *c, const char *key, bool required, int64_t min,
            int64_t max, int64_t *out)
{
    json_t *v;
    int ret = arg_get(c, key, required, &v);

    if (ret)
        return ret;
    if (!json_is_integer(v))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: argument '%s' must be an integer", c->cmd,
                           key);
    *out = json_integer_value(v);
    if (*out < min || *out > max)
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: argument '%s': %lld is out of range [%lld, "
                           "%lld]",
                           c->cmd, key, (long long) *out, (long long) min,
                           (long long) max);
    return 0;
}

int
ctl_arg_port(struct ctl_call *c, const char *key, bool required, uint32_t *id)
{
    const char *name;
    int32_t port;
    int ret = ctl_arg_string(c, key, required, &name);

    if (ret)
        return ret;
    port = dp_port_lookup(c->dp, name);
    if (port < 0)
        return xsw_err_set(&c->err, -ENOENT, "port '%s' does not exist", name);
    *id = (uint32_t) port;
    return 0;
}

/* Is 'key' one of the comma-separated names in 'list'? */
static bool
list_has(const char *list, const char *key)
{
    size_t len = strlen(key);
    const char *p;

    if (!len)
        return false; /* strstr() finds "" everywhere: never done. */
    for (p = list; (p = strstr(p, key)); p += len)
        if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
            return true;
    return false;
}

static int
check_arg_keys(struct ctl_call *c, const struct ctl_cmd *cmd)
{
    const char *key;
    json_t *v;

    json_object_foreach(c->args, key, v)
    {
        if (!list_has(cmd->args, key))
            return xsw_err_set(
                &c->err, -EINVAL, "%s: unknown argument '%s' (%s%s)", c->cmd,
                key, *cmd->args ? "arguments: " : "it takes none", cmd->args);
    }
    return 0;
}

/* --- Dispatch --------------------------------------------------------- */

static const struct ctl_cmd *
cmd_find(const char *name)
{
    size_t i;

    for (i = 0; i < N_CMDS; i++)
        if (!strcmp(ctl_cmds[i].name, name))
            return &ctl_cmds[i];
    return NULL;
}

/* "help, switch.show, ..." into 'buf'. */
static const char *
cmd_names(char *buf, size_t size)
{
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < N_CMDS && used < size; i++)
        used += (size_t) snprintf(buf + used, size - used, "%s%s",
                                  i ? ", " : "", ctl_cmds[i].name);
    return buf;
}

static int
deny(struct xsw_err *err, const struct ctl_peer *peer)
{
    return xsw_err_set(err, -EACCES,
                       "uid %u may not use this control socket (root, the "
                       "uid xswd runs as%s%s%s may)",
                       peer->uid, peer->group ? " and group '" : "",
                       peer->group ? peer->group : "", peer->group ? "'" : "");
}

json_t *
ctl_reply_denied(const struct ctl_peer *peer)
{
    struct xsw_err err = {0};

    return reply_error_msg(NULL, deny(&err, peer), err.msg);
}

/* Refuses a peer the command is not for; 0 when it may run it. */
static int
check_access(struct ctl_call *c, const struct ctl_cmd *cmd,
             const struct ctl_peer *peer)
{
    if (peer->access == CTL_ACCESS_NONE)
        return deny(&c->err, peer);
    if (cmd->changes && peer->access < CTL_ACCESS_ADMIN)
        return xsw_err_set(&c->err, -EPERM,
                           "%s changes the switch: uid %u (group '%s') may "
                           "run read-only commands only "
                           "(control.group_admin is false)",
                           cmd->name, peer->uid,
                           peer->group ? peer->group : "");
    return 0;
}

/* Checks the request's shape; sets '*cmd' and '*args'. */
static int
parse_request(struct ctl_call *c, json_t *req, const struct ctl_cmd **cmd)
{
    char names[1024];
    const char *key, *name;
    json_t *v;

    if (!json_is_object(req))
        return xsw_err_set(&c->err, -EPROTO,
                           "a request is a JSON object, one per line");
    json_object_foreach(req, key, v)
    {
        if (strcmp(key, "id") && strcmp(key, "cmd") && strcmp(key, "args"))
            return xsw_err_set(&c->err, -EPROTO,
                               "unknown key '%s' in request (keys: id, cmd, "
                               "args)",
                               key);
    }
    v = json_object_get(req, "id");
    if (v && !json_is_integer(v))
        return xsw_err_set(&c->err, -EPROTO, "'id' must be an integer");
    v = json_object_get(req, "cmd");
    if (!json_is_string(v))
        return xsw_err_set(&c->err, -EPROTO,
                           v ? "'cmd' must be a string"
                             : "missing 'cmd' in request");
    name = json_string_value(v);
    *cmd = cmd_find(name);
    if (!*cmd)
        return xsw_err_set(&c->err, -ENOENT,
                           "unknown command '%s' (commands: %s)", name,
                           cmd_names(names, sizeof names));
    c->cmd = (*cmd)->name;
    v = json_object_get(req, "args");
    if (v && !json_is_object(v))
        return xsw_err_set(&c->err, -EPROTO, "'args' must be an object");
    c->args = v;
    return 0;
}

json_t *
ctl_cmd_run(struct dp *dp, const char *line, size_t size,
            const struct ctl_peer *peer)
{
    struct ctl_call c = {.dp = dp, .cmd = "?"};
    const struct ctl_cmd *cmd = NULL;
    json_t *req, *id, *reply, *empty = json_object();
    json_error_t jerr;
    int ret;

    req = json_loadb(line, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                     &jerr);
    if (!req) {
        json_decref(empty);
        return ctl_reply_error(NULL, -EPROTO,
                               "malformed JSON at column %d: %s", jerr.column,
                               jerr.text);
    }
    id = json_is_object(req) ? json_object_get(req, "id") : NULL;
    if (id && !json_is_integer(id))
        id = NULL;
    ret = parse_request(&c, req, &cmd);
    if (!ret) {
        if (!c.args)
            c.args = empty;
        ret = check_arg_keys(&c, cmd);
    }
    if (!ret)
        ret = check_access(&c, cmd, peer);
    if (!ret)
        ret = cmd->run(&c);
    if (ret)
        reply = reply_error_msg(id, ret, c.err.msg);
    else
        reply = json_pack("{s:O?, s:b, s:o}", "id", id, "ok", 1, "result",
                          c.result ? c.result : json_object());
    if (ret)
        json_decref(c.result);
    json_decref(req);
    json_decref(empty);
    return reply;
}

/* --- The switch as a whole ------------------------------------------- */

static int
cmd_help(struct ctl_call *c)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < N_CMDS; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:b, s:s}", "cmd", ctl_cmds[i].name,
                         "usage", ctl_cmds[i].usage, "changes",
                         ctl_cmds[i].changes, "help", ctl_cmds[i].help));
    c->result = json_pack("{s:o}", "commands", a);
    return 0;
}

static int
cmd_switch_show(struct ctl_call *c)
{
    c->result = summary_json(c->dp);
    if (!c->result)
        return xsw_err_set(&c->err, -ENOMEM, "out of memory");
    json_object_set_new(c->result, "state",
                        json_string(dp_state_name(dp_state(c->dp))));
    return 0;
}

static int
set_paused(struct ctl_call *c, bool paused)
{
    if (dp_set_paused(c->dp, paused))
        return xsw_err_set(&c->err, -EOPNOTSUPP,
                           "a live switch cannot pause (only replays can)");
    c->result = json_pack("{s:b}", "paused", paused);
    return 0;
}

static int
cmd_switch_pause(struct ctl_call *c)
{
    return set_paused(c, true);
}

static int
cmd_switch_resume(struct ctl_call *c)
{
    return set_paused(c, false);
}

static int
cmd_reload(struct ctl_call *c)
{
    return reload_run(c->dp, &c->result, &c->err);
}

static int
cmd_counters(struct ctl_call *c)
{
    c->result = json_pack("{s:o, s:o}", "totals", summary_totals_json(c->dp),
                          "drops", summary_drops_json(c->dp));
    return c->result ? 0 : xsw_err_set(&c->err, -ENOMEM, "out of memory");
}
