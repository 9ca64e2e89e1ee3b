/* Structured logs
 * ===============
 * Every log record of xswd is one event: a level (the SDK's XSW_LOG_ERR,
 * _WARN, _INFO, _DEBUG, which are syslog's priorities), a stable dotted
 * event name ('port.down', 'ext.load', 'drops.summary'; docs/xswd.md
 * lists them all), a human message, and typed fields (strings, unsigned
 * numbers, one level of nested objects).  Callers say what happened once;
 * the format decides what is shown:
 *
 *   text   'xswd: LEVEL: MESSAGE', the line xswd always printed (tests and
 *          scripts match it), fields left out;
 *   json   one object a line built with jansson:
 *          {"ts": RFC 3339 UTC, "level", "event", "msg", FIELDS...}.
 *
 * and the target where it goes: stderr, or syslog (facility daemon, ident
 * "xswd", the pid; the body is the text message or the JSON object).
 *
 * The settings are process-wide, not per switch: syslog's connection is
 * the process's anyway, and the records written before a switch exists
 * (or after it is gone) go through the same place.  Until log_configure()
 * is called: info, stderr, text, i.e. what xswd printed before this
 * module existed.  One thread (the datapath's) logs; nothing here locks.
 *
 * Nothing on the packet path logs: records come from control commands,
 * link changes, start-up and shutdown, rate-limited misuse warnings and
 * the periodic drop summary (droplog.h), checked once a batch. */
#ifndef XSW_LOG_H
#define XSW_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <xsw/host.h>

enum log_target { LOG_TARGET_STDERR, LOG_TARGET_SYSLOG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

struct log_settings {
    uint32_t level;            /* XSW_LOG_*: records this severe or more. */
    enum log_target target;
    enum log_format format;
};

/* A typed field of a record.  Build them with LOG_STR(), LOG_U64(),
 * LOG_OBJ() inside LOG_FIELDS(), which ends the list; a record without
 * fields passes NULL.  Keys are snake_case; "ts", "level", "event" and
 * "msg" are the record's own and a field may not take them (it is left
 * out).  Strings need not be UTF-8: invalid bytes become '?' in JSON. */
enum log_field_type {
    LOG_FIELD_END,
    LOG_FIELD_STR,
    LOG_FIELD_U64,
    LOG_FIELD_OBJ,             /* 'obj': fields of a nested object. */
};

struct log_field {
    enum log_field_type type;
    const char *key;
    const char *str;
    uint64_t u64;
    const struct log_field *obj;
};

#define LOG_STR(k, v) ((struct log_field){LOG_FIELD_STR, (k), (v), 0, NULL})
#define LOG_U64(k, v)                                                       \
    ((struct log_field){LOG_FIELD_U64, (k), NULL, (uint64_t) (v), NULL})
#define LOG_OBJ(k, f) ((struct log_field){LOG_FIELD_OBJ, (k), NULL, 0, (f)})
#define LOG_END ((struct log_field){LOG_FIELD_END, NULL, NULL, 0, NULL})
/* An array of fields for one call, ended for you:
 *   log_event(XSW_LOG_INFO, "port.down",
 *             LOG_FIELDS(LOG_STR("port", "p1"), LOG_STR("cause", "link")),
 *             "port %s is down", "p1"); */
#define LOG_FIELDS(...) ((const struct log_field[]){__VA_ARGS__, LOG_END})

/* Applies 's' (copied) from now on; opens the syslog connection when the
 * target is syslog (at once, so that it still opens after privileges are
 * dropped), closes it when it no longer is. */
void log_configure(const struct log_settings *s);
/* Back to the defaults (info, stderr, text), closing syslog. */
void log_reset(void);
/* Would a record of 'level' be written?  For callers whose fields cost
 * something to gather. */
bool log_enabled(uint32_t level);

/* Writes one record, if 'level' passes.  'event' is a name from the list
 * in docs/xswd.md; 'fields' may be NULL; the message is printf-formatted
 * (at most 1023 bytes are kept). */
void log_event(uint32_t level, const char *event,
               const struct log_field *fields, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void log_eventv(uint32_t level, const char *event,
                const struct log_field *fields, const char *fmt, va_list)
    __attribute__((format(printf, 4, 0)));

/* "error", "warning", "info" or "debug": a level that is none of the
 * four counts as the nearest (5, syslog's notice, as info). */
const char *log_level_name(uint32_t level);
/* Parses the names above, and the target and format names ("stderr",
 * "syslog"; "text", "json").  Return 0 or -EINVAL. */
int log_level_parse(const char *s, uint32_t *level);
/* What each parser accepts, for error messages. */
#define LOG_LEVEL_NAMES "error, warning, info or debug"
#define LOG_TARGET_NAMES "stderr or syslog"
#define LOG_FORMAT_NAMES "text or json"
int log_target_parse(const char *s, enum log_target *);
int log_format_parse(const char *s, enum log_format *);

#endif
