#include "log.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "jsontext.h"

#define LOG_MSG_MAX 1024

/* A macro, not a const object: C does not take an object's value as a
 * static initializer (clang refuses it). */
#define LOG_DEFAULTS                                                        \
    {.level = XSW_LOG_INFO,                                                 \
     .target = LOG_TARGET_STDERR,                                           \
     .format = LOG_FORMAT_TEXT}

static const struct log_settings log_defaults = LOG_DEFAULTS;

static struct log_settings settings = LOG_DEFAULTS;
static bool syslog_open;

void
log_configure(const struct log_settings *s)
{
    settings = *s;
    if (s->target == LOG_TARGET_SYSLOG && !syslog_open) {
        /* LOG_NDELAY: connect now, while /dev/log can still be reached
         * (before a chroot or a privilege drop could get in the way). */
        openlog("xswd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
        syslog_open = true;
    } else if (s->target != LOG_TARGET_SYSLOG && syslog_open) {
        closelog();
        syslog_open = false;
    }
}

void
log_reset(void)
{
    log_configure(&log_defaults);
}

bool
log_enabled(uint32_t level)
{
    return level <= settings.level;
}

/* One of the four levels: an extension may log any value, shown as the
 * nearest (5, syslog's notice, as info). */
static uint32_t
level_clamp(uint32_t level)
{
    return level <= XSW_LOG_ERR    ? XSW_LOG_ERR
           : level == XSW_LOG_WARN ? XSW_LOG_WARN
           : level < XSW_LOG_DEBUG ? XSW_LOG_INFO
                                   : XSW_LOG_DEBUG;
}

const char *
log_level_name(uint32_t level)
{
    static const char *const names[] = {[XSW_LOG_ERR] = "error",
                                        [XSW_LOG_WARN] = "warning",
                                        [XSW_LOG_INFO] = "info",
                                        [XSW_LOG_DEBUG] = "debug"};

    return names[level_clamp(level)];
}

/* The XSW_LOG_* values are syslog's priorities. */
_Static_assert(XSW_LOG_ERR == LOG_ERR && XSW_LOG_WARN == LOG_WARNING &&
                   XSW_LOG_INFO == LOG_INFO && XSW_LOG_DEBUG == LOG_DEBUG,
               "log levels are syslog priorities");

/* Looks 's' up in 'names' (NULL-terminated); '*i' is its index. */
static int
name_index(const char *s, const char *const *names, uint32_t *i)
{
    for (*i = 0; names[*i]; (*i)++)
        if (!strcmp(s, names[*i]))
            return 0;
    return -EINVAL;
}

int
log_level_parse(const char *s, uint32_t *level)
{
    static const char *const names[] = {"error", "warning", "info", "debug",
                                        NULL};
    static const uint32_t levels[] = {XSW_LOG_ERR, XSW_LOG_WARN,
                                      XSW_LOG_INFO, XSW_LOG_DEBUG};
    uint32_t i;

    if (name_index(s, names, &i))
        return -EINVAL;
    *level = levels[i];
    return 0;
}

int
log_target_parse(const char *s, enum log_target *t)
{
    static const char *const names[] = {[LOG_TARGET_STDERR] = "stderr",
                                        [LOG_TARGET_SYSLOG] = "syslog", NULL};
    uint32_t i;

    if (name_index(s, names, &i))
        return -EINVAL;
    *t = (enum log_target) i;
    return 0;
}

int
log_format_parse(const char *s, enum log_format *f)
{
    static const char *const names[] = {[LOG_FORMAT_TEXT] = "text",
                                        [LOG_FORMAT_JSON] = "json", NULL};
    uint32_t i;

    if (name_index(s, names, &i))
        return -EINVAL;
    *f = (enum log_format) i;
    return 0;
}

/* --- JSON records ------------------------------------------------------ */

/* The wall clock, RFC 3339 in UTC with milliseconds: what a log reader
 * correlates with other logs (the switch clock is in drops.summary). */
static void
rfc3339_now(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Adds 'fields' to 'o'; a key already there stays as it is. */
static void
fields_add(json_t *o, const struct log_field *f)
{
    json_t *v;

    for (; f && f->type != LOG_FIELD_END; f++) {
        if (!f->key || json_object_get(o, f->key))
            continue;
        switch (f->type) {
        case LOG_FIELD_STR:
            v = jsontext_new(f->str ? f->str : "");
            break;
        case LOG_FIELD_U64:
            /* jansson's integers are signed 64-bit: a counter past 2^63
             * is shown as the largest it can hold. */
            v = json_integer(f->u64 > (uint64_t) INT64_MAX
                                 ? (json_int_t) INT64_MAX
                                 : (json_int_t) f->u64);
            break;
        case LOG_FIELD_OBJ:
            v = json_object();
            fields_add(v, f->obj);
            break;
        default:
            continue;
        }
        json_object_set_new(o, f->key, v);
    }
}

/* The record as one line of JSON (malloc()ed), or NULL. */
static char *
record_json(uint32_t level, const char *event, const struct log_field *fields,
            const char *msg)
{
    json_t *o = json_object();
    char ts[40], *line;

    rfc3339_now(ts, sizeof ts);
    json_object_set_new(o, "ts", json_string(ts));
    json_object_set_new(o, "level", json_string(log_level_name(level)));
    json_object_set_new(o, "event", jsontext_new(event));
    json_object_set_new(o, "msg", jsontext_new(msg));
    fields_add(o, fields);   /* After these four, which it then keeps. */
    line = json_dumps(o, JSON_PRESERVE_ORDER);
    json_decref(o);
    return line;
}

/* --- Writing ----------------------------------------------------------- */

void
log_eventv(uint32_t level, const char *event, const struct log_field *fields,
           const char *fmt, va_list ap)
{
    char msg[LOG_MSG_MAX], *json = NULL;
    const char *body = msg;

    if (!log_enabled(level))
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (settings.format == LOG_FORMAT_JSON
        && (json = record_json(level, event, fields, msg)))
        body = json;
    if (settings.target == LOG_TARGET_SYSLOG)
        syslog((int) level_clamp(level), "%s", body);
    else if (json)
        fprintf(stderr, "%s\n", json);
    else
        fprintf(stderr, "xswd: %s: %s\n", log_level_name(level), msg);
    free(json);
}

void
log_event(uint32_t level, const char *event, const struct log_field *fields,
          const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_eventv(level, event, fields, fmt, ap);
    va_end(ap);
}
