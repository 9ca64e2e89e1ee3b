#include "fake_host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fake_host *
fh_of(struct xsw_ctx *ctx)
{
    return (struct fake_host *) ctx;
}

static void
fh_log(struct xsw_ctx *ctx, uint32_t level, const char *fmt, ...)
{
    (void) level;
    (void) fmt;
    fh_of(ctx)->n_logs++;
}

static int
fh_error(struct xsw_ctx *ctx, int code, const char *fmt, ...)
{
    struct fake_host *fh = fh_of(ctx);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fh->error, sizeof(fh->error), fmt, ap);
    va_end(ap);
    return code;
}

static uint64_t
fh_now(struct xsw_ctx *ctx)
{
    return fh_of(ctx)->now_ns;
}

static uint32_t
fh_port_count(struct xsw_ctx *ctx)
{
    (void) ctx;
    return 4;
}

static const char *const port_names[] = {"p0", "p1", "p2", "p3"};

static int32_t
fh_port_lookup(struct xsw_ctx *ctx, const char *name)
{
    int32_t i;

    (void) ctx;
    for (i = 0; i < 4; i++) {
        if (!strcmp(port_names[i], name))
            return i;
    }
    return -ENOENT;
}

static const char *
fh_port_name(struct xsw_ctx *ctx, uint32_t port)
{
    (void) ctx;
    return port < 4 ? port_names[port] : NULL;
}

static uint64_t *
fh_counter_new(struct xsw_ctx *ctx, const char *name)
{
    struct fake_host *fh = fh_of(ctx);
    unsigned i;

    if (!*name || fh->n_counters == 32)
        return NULL;
    for (i = 0; i < fh->n_counters; i++) {
        if (!strcmp(fh->counters[i].name, name))
            return NULL;
    }
    snprintf(fh->counters[i].name, sizeof(fh->counters[i].name), "%s", name);
    fh->n_counters++;
    return &fh->counters[i].value;
}

static void
fh_trace(struct xsw_ctx *ctx, const struct xsw_packet *pkt, const char *fmt,
         ...)
{
    (void) ctx;
    (void) pkt;
    (void) fmt;
}

static int
fh_timer_add(struct xsw_ctx *ctx, uint64_t interval_ns, xsw_timer_fn fn,
             void *arg)
{
    struct fake_host *fh = fh_of(ctx);

    if (fh->timer_fn)
        return -EBUSY;
    fh->timer_fn = fn;
    fh->timer_arg = arg;
    fh->timer_interval_ns = interval_ns;
    return 7;
}

static int
fh_timer_cancel(struct xsw_ctx *ctx, int id)
{
    struct fake_host *fh = fh_of(ctx);

    if (id != 7 || !fh->timer_fn)
        return -ENOENT;
    fh->timer_fn = NULL;
    fh->timers_cancelled++;
    return 0;
}

static uint32_t
fh_cfg_type(struct xsw_ctx *ctx, const struct xsw_cfg *node)
{
    (void) ctx;
    if (!node)
        return XSW_CFG_NONE;
    return node->scalar ? XSW_CFG_SCALAR : XSW_CFG_MAP;
}

static const struct xsw_cfg *
fh_cfg_get(struct xsw_ctx *ctx, const struct xsw_cfg *node, const char *key)
{
    unsigned i;

    (void) ctx;
    if (!node || node->scalar)
        return NULL;
    for (i = 0; i < 8 && node->keys[i]; i++) {
        if (!strcmp(node->keys[i], key))
            return node->vals[i];
    }
    return NULL;
}

static uint32_t
fh_cfg_len(struct xsw_ctx *ctx, const struct xsw_cfg *node)
{
    uint32_t n = 0;

    (void) ctx;
    while (node && !node->scalar && n < 8 && node->keys[n])
        n++;
    return n;
}

static const struct xsw_cfg *
fh_cfg_at(struct xsw_ctx *ctx, const struct xsw_cfg *node, uint32_t i)
{
    return i < fh_cfg_len(ctx, node) ? node->vals[i] : NULL;
}

static const char *
fh_cfg_key_at(struct xsw_ctx *ctx, const struct xsw_cfg *node, uint32_t i)
{
    return i < fh_cfg_len(ctx, node) ? node->keys[i] : NULL;
}

static const char *
fh_cfg_str(struct xsw_ctx *ctx, const struct xsw_cfg *node)
{
    (void) ctx;
    return node ? node->scalar : NULL;
}

static int
fh_cfg_keys(struct xsw_ctx *ctx, const struct xsw_cfg *node,
            const char *const *allowed)
{
    uint32_t i, n = fh_cfg_len(ctx, node);
    const char *const *a;

    if (!node)
        return 0;
    if (node->scalar)
        return fh_error(ctx, -EINVAL, "not a map");
    for (i = 0; i < n; i++) {
        for (a = allowed; *a && strcmp(*a, node->keys[i]); a++)
            ;
        if (!*a)
            return fh_error(ctx, -EINVAL, "unknown key '%s'", node->keys[i]);
    }
    return 0;
}

static int
fh_cfg_u64(struct xsw_ctx *ctx, const struct xsw_cfg *node, const char *key,
           uint64_t def, uint64_t min, uint64_t max, uint64_t *out)
{
    const struct xsw_cfg *v = fh_cfg_get(ctx, node, key);
    unsigned long long x;
    char *end;

    if (!v) {
        *out = def;
        return 0;
    }
    errno = 0;
    x = strtoull(v->scalar ? v->scalar : "", &end, 10);
    if (!v->scalar || !*v->scalar || *end || errno || x < min || x > max)
        return fh_error(ctx, -EINVAL, "%s: not an integer in [%llu, %llu]",
                        key, (unsigned long long) min,
                        (unsigned long long) max);
    *out = x;
    return 0;
}

static int
fh_cfg_bool(struct xsw_ctx *ctx, const struct xsw_cfg *node, const char *key,
            int def, int *out)
{
    const struct xsw_cfg *v = fh_cfg_get(ctx, node, key);

    *out = v ? !strcmp(v->scalar, "true") : def;
    return 0;
}

static int
fh_cfg_string(struct xsw_ctx *ctx, const struct xsw_cfg *node, const char *key,
              const char *def, const char **out)
{
    const struct xsw_cfg *v = fh_cfg_get(ctx, node, key);

    if (!v) {
        *out = def;
        return 0;
    }
    if (!v->scalar)
        return fh_error(ctx, -EINVAL, "%s: not a scalar", key);
    *out = v->scalar;
    return 0;
}

static int
fh_cfg_error(struct xsw_ctx *ctx, const struct xsw_cfg *node, int code,
             const char *fmt, ...)
{
    struct fake_host *fh = fh_of(ctx);
    va_list ap;

    (void) node;
    va_start(ap, fmt);
    vsnprintf(fh->error, sizeof(fh->error), fmt, ap);
    va_end(ap);
    return code;
}

static const char *
fh_cfg_dir(struct xsw_ctx *ctx)
{
    return fh_of(ctx)->dir;
}

void
fake_host_init(struct fake_host *fh)
{
    memset(fh, 0, sizeof(*fh));
    fh->host = (struct xsw_host){
        .abi_major = XSW_ABI_MAJOR,
        .abi_minor = XSW_ABI_MINOR,
        .size = sizeof(struct xsw_host),
        .log = fh_log,
        .error = fh_error,
        .now_ns = fh_now,
        .port_count = fh_port_count,
        .port_lookup = fh_port_lookup,
        .port_name = fh_port_name,
        .counter_new = fh_counter_new,
        .trace = fh_trace,
        .timer_add = fh_timer_add,
        .timer_cancel = fh_timer_cancel,
        .cfg_type = fh_cfg_type,
        .cfg_get = fh_cfg_get,
        .cfg_len = fh_cfg_len,
        .cfg_at = fh_cfg_at,
        .cfg_key_at = fh_cfg_key_at,
        .cfg_str = fh_cfg_str,
        .cfg_keys = fh_cfg_keys,
        .cfg_u64 = fh_cfg_u64,
        .cfg_bool = fh_cfg_bool,
        .cfg_string = fh_cfg_string,
        .cfg_error = fh_cfg_error,
        .cfg_dir = fh_cfg_dir,
    };
    snprintf(fh->dir, sizeof(fh->dir), "/tmp/flowmon-test-XXXXXX");
    if (!mkdtemp(fh->dir))
        abort();
}

void
fake_host_fini(struct fake_host *fh)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fh->dir);
    if (system(cmd) != 0)
        abort();
}

uint64_t
fake_host_counter(const struct fake_host *fh, const char *name)
{
    unsigned i;

    for (i = 0; i < fh->n_counters; i++) {
        if (!strcmp(fh->counters[i].name, name))
            return fh->counters[i].value;
    }
    fprintf(stderr, "no counter '%s'\n", name);
    abort();
}

struct xsw_ctx *
fake_host_ctx(struct fake_host *fh)
{
    return (struct xsw_ctx *) fh;
}
