/* Control commands for captures and traces (ctl_cmd.h, capture.h,
 * trace.h, trace_live.h).  A frame to trace travels as hex, two digits a
 * byte: xswctl reads a pcap file itself, so the switch never opens a file
 * a client names for reading. */
#include "ctl_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "dp.h"
#include "pkt.h"
#include "trace.h"
#include "trace_live.h"

#define CAPTURE_COUNT_MAX (1ll << 62)

int
ctl_capture_start(struct ctl_call *c)
{
    struct capture_settings s = {0};
    const char *format = "pcap";
    int64_t count = 0;
    int ret;

    if ((ret = ctl_arg_string(c, "name", true, &s.name)) < 0 ||
        (ret = ctl_arg_string(c, "point", true, &s.point)) < 0 ||
        (ret = ctl_arg_string(c, "file", true, &s.file)) < 0 ||
        (ret = ctl_arg_string(c, "filter", false, &s.filter)) < 0 ||
        (ret = ctl_arg_string(c, "format", false, &format)) < 0 ||
        (ret = ctl_arg_int(c, "count", false, 1, CAPTURE_COUNT_MAX, &count)) <
            0)
        return ret;
    if (strcmp(format, "pcap") && strcmp(format, "pcapng"))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: format must be 'pcap' or 'pcapng', not '%s'",
                           c->cmd, format);
    s.pcapng = !strcmp(format, "pcapng");
    s.count = (uint64_t) count;
    return capture_start(c->dp, &s, &c->result, &c->err);
}

int
ctl_capture_stop(struct ctl_call *c)
{
    const char *name;
    int ret = ctl_arg_string(c, "name", true, &name);

    if (ret)
        return ret;
    return capture_stop(c->dp, name, &c->result, &c->err);
}

int
ctl_capture_list(struct ctl_call *c)
{
    json_t *a = capture_list(c->dp);

    if (!a)
        return xsw_err_set(&c->err, -ENOMEM, "out of memory");
    c->result = json_pack("{s:o, s:i}", "captures", a, "max", CAPTURE_MAX);
    return c->result ? 0 : xsw_err_set(&c->err, -ENOMEM, "out of memory");
}

static int
hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int
ctl_trace(struct ctl_call *c)
{
    static uint8_t frame[PKT_FRAME_MAX];
    const char *hex;
    json_t *stages;
    size_t len, i;
    uint32_t port;
    int ret;

    if ((ret = ctl_arg_port(c, "port", true, &port)) ||
        (ret = ctl_arg_string(c, "frame", true, &hex)))
        return ret;
    len = strlen(hex);
    if (len == 0 || len % 2 || len / 2 > PKT_FRAME_MAX)
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: frame: %zu hex digits (two a byte, 1 to %u "
                           "bytes)",
                           c->cmd, len, PKT_FRAME_MAX);
    for (i = 0; i < len; i += 2) {
        int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);

        if (hi < 0 || lo < 0)
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: frame: '%.2s' at digit %zu is not hex",
                               c->cmd, hex + i, i + 1);
        frame[i / 2] = (uint8_t) (hi << 4 | lo);
    }
    ret =
        trace_run(c->dp, port, frame, (uint32_t) (len / 2), &stages, &c->err);
    if (ret)
        return ret;
    c->result = json_pack("{s:o}", "stages", stages);
    return c->result ? 0 : xsw_err_set(&c->err, -ENOMEM, "out of memory");
}

int
ctl_trace_live_start(struct ctl_call *c)
{
    struct trace_live_settings s = {.count = 1, .port = -1};
    int64_t count = 1;
    uint32_t port;
    int ret;

    if ((ret = ctl_arg_string(c, "filter", false, &s.filter)) < 0 ||
        (ret = ctl_arg_int(c, "count", false, 1, TRACE_LIVE_COUNT_MAX,
                           &count)) < 0 ||
        (ret = ctl_arg_port(c, "port", false, &port)) < 0)
        return ret;
    if (json_object_get(c->args, "port"))
        s.port = (int32_t) port;
    s.count = (uint32_t) count;
    return trace_live_start(c->dp, &s, &c->result, &c->err);
}

/* Runs 'fn' on the session the request names. */
static int
on_session(struct ctl_call *c,
           int (*fn)(struct dp *, uint64_t, json_t **, struct xsw_err *))
{
    int64_t session;
    int ret = ctl_arg_int(c, "session", true, 1, INT64_MAX, &session);

    if (ret)
        return ret;
    return fn(c->dp, (uint64_t) session, &c->result, &c->err);
}

int
ctl_trace_live_results(struct ctl_call *c)
{
    return on_session(c, trace_live_results);
}

int
ctl_trace_live_stop(struct ctl_call *c)
{
    return on_session(c, trace_live_stop);
}
