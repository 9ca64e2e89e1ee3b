#include "ext.h"
#include "port.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgtree.h"
#include "dp.h"
#include "log.h"
#include "pkt.h"
#include "trust.h"

/* The v1.0 descriptor ends after 'reserved0'; a module's size below this
 * cannot be a v1 module. */
#define EXT_DESC_V1_0_SIZE                                                  \
    (offsetof(struct xsw_extension, reserved0) + sizeof(uint32_t))

#define EXT_COUNTER_CHUNK 256
#define EXT_COUNTERS_MAX (1u << 24)

struct ext_counter {
    uint64_t value;     /* First: counter_new() hands out its address. */
    char *name;
};

/* Counters live in chunks that never move, so the pointers handed out
 * stay valid however many are added.  The first chunk also holds an
 * open-addressing index of the names, so registering n counters (one per
 * rule of a 100,000-rule table) costs O(n), not O(n^2). */
struct ext_counters {
    struct ext_counters *next;
    uint32_t n;
    struct ext_counter v[EXT_COUNTER_CHUNK];
    /* First chunk only: */
    struct ext_counters *tail;    /* The chunk new counters go to. */
    struct ext_counter **index;   /* Name -> counter. */
    uint32_t index_cap, total;
};

static uint32_t
name_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (uint8_t) *s) * 16777619u;
    return h;
}

/* The index slot of 'name': its counter's, or the empty one to fill. */
static struct ext_counter **
index_slot(struct ext_counters *head, const char *name)
{
    uint32_t mask = head->index_cap - 1, i = name_hash(name) & mask;

    while (head->index[i] && strcmp(head->index[i]->name, name))
        i = (i + 1) & mask;
    return &head->index[i];
}

/* Keeps the index at most half full. */
static int
index_grow(struct ext_counters *head)
{
    struct ext_counter **old = head->index;
    uint32_t i, old_cap = head->index_cap;

    if (head->total * 2 < head->index_cap)
        return 0;
    head->index_cap = old_cap ? old_cap * 2 : 64;
    head->index = calloc(head->index_cap, sizeof *head->index);
    if (!head->index) {
        head->index = old;
        head->index_cap = old_cap;
        return -ENOMEM;
    }
    for (i = 0; i < old_cap; i++)
        if (old[i])
            *index_slot(head, old[i]->name) = old[i];
    free(old);
    return 0;
}

static const char *const role_names[] = {NULL, "inspect", "filter",
                                         "forward", "firewall"};

const char *
ext_role_name(uint32_t role)
{
    return role && role <= XSW_ROLE_FIREWALL ? role_names[role] : "unknown";
}

bool
ext_has_ingress(const struct ext *e)
{
    return e->desc.ingress != NULL;
}

bool
ext_has_egress(const struct ext *e)
{
    return e->desc.egress != NULL;
}

/* --- Finding the file ------------------------------------------------- */

static bool
file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* <directory of /proc/self/exe>/../<XSW_INSTALL_EXT_REL>, canonical when
 * it exists so that messages and the summary show a plain path. */
static int
default_ext_dir(char *buf, size_t size)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0)
        return -ENOENT;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return -ENOENT;
    *slash = '\0';
    if (snprintf(dir, sizeof dir, "%s/../%s", exe, XSW_INSTALL_EXT_REL)
        >= (int) sizeof dir)
        return -ENAMETOOLONG;
    if (size >= PATH_MAX && realpath(dir, buf))
        return 0;
    /* Not there (yet): still name it, as it would be searched. */
    if (snprintf(buf, size, "%s", dir) >= (int) size)
        return -ENAMETOOLONG;
    return 0;
}

static int
try_dir(const char *dir, const char *module, char **out)
{
    if (asprintf(out, "%s/%s.so", dir, module) < 0)
        return -ENOMEM;
    if (file_exists(*out))
        return 0;
    free(*out);
    *out = NULL;
    return -ENOENT;
}

static int
find_module(const struct xsw_config *cfg, const struct ext_config *ec,
            char **out, struct xsw_err *err)
{
    char tried[1024] = "", dflt[PATH_MAX];
    const char *env = getenv("XSW_EXTENSION_PATH");
    size_t used = 0;
    uint32_t i;
    char *envcopy, *dir, *save = NULL;

#define TRY(d)                                                              \
    do {                                                                    \
        if (!try_dir((d), ec->module, out))                                 \
            return 0;                                                       \
        if (used < sizeof tried)                                            \
            used += (size_t) snprintf(tried + used, sizeof tried - used,   \
                                      "%s%s", used ? ", " : "", (d));       \
    } while (0)

    if (strchr(ec->module, '/')) {
        *out = config_resolve(cfg, ec->module);
        if (!*out)
            return -ENOMEM;
        if (file_exists(*out))
            return 0;
        return cfg_node_error(ec->node, err, -ENOENT, "%s: %s", *out,
                              strerror(ENOENT));
    }
    for (i = 0; i < cfg->n_ext_path; i++)
        TRY(cfg->ext_path[i]);
    if (env && (envcopy = strdup(env))) {
        for (dir = strtok_r(envcopy, ":", &save); dir;
             dir = strtok_r(NULL, ":", &save)) {
            if (!try_dir(dir, ec->module, out)) {
                free(envcopy);
                return 0;
            }
            if (used < sizeof tried)
                used += (size_t) snprintf(tried + used, sizeof tried - used,
                                          "%s%s", used ? ", " : "", dir);
        }
        free(envcopy);
    }
    if (!default_ext_dir(dflt, sizeof dflt))
        TRY(dflt);
#undef TRY
    return cfg_node_error(ec->node, err, -ENOENT,
                          "module '%s': %s.so not found in: %s", ec->module,
                          ec->module, used ? tried : "(no directory)");
}

/* Refuses a module that someone other than root or xswd's user could
 * have replaced (trust.h), unless the config waives it for development. */
static int
check_trust(struct ext *e, const struct xsw_config *cfg,
            const struct ext_config *ec, struct xsw_err *err)
{
    char why[PATH_MAX + 128];
    int ret = trust_check(e->path, why, sizeof why);

    if (!ret)
        return 0;
    if (cfg->allow_insecure_extensions) {
        dp_log(e->dp, XSW_LOG_WARN,
               "%s: loading %s although %s "
               "(security.allow_insecure_extensions)",
               e->name, e->path, why);
        return 0;
    }
    return cfg_node_error(ec->node, err, ret,
                          "%s: refusing to load: %s; only root and xswd's "
                          "user may be able to change a module "
                          "(security.allow_insecure_extensions: true waives "
                          "this, for development)",
                          e->path, why);
}

/* --- Checking the descriptor ----------------------------------------- */

/* The symbol name of another major, if the module exports one. */
static const char *
other_major(void *dl, char *buf, size_t size)
{
    int m;

    for (m = 0; m < 16; m++) {
        if (m == XSW_ABI_MAJOR)
            continue;
        snprintf(buf, size, "xsw_extension_v%d", m);
        if (dlsym(dl, buf))
            return buf;
    }
    return NULL;
}

static int
check_desc(struct ext *e, const struct xsw_extension *d,
           const struct ext_config *ec, struct xsw_err *err)
{
    const char *p = e->path;

#define REFUSE(...) return cfg_node_error(ec->node, err, -ENOEXEC, __VA_ARGS__)
    if (d->abi_major != XSW_ABI_MAJOR)
        REFUSE("%s: ABI major %u, this host supports %u", p, d->abi_major,
               XSW_ABI_MAJOR);
    if (d->abi_minor > XSW_ABI_MINOR)
        REFUSE("%s: built for SDK %u.%u, newer than this host's %u.%u", p,
               d->abi_major, d->abi_minor, XSW_ABI_MAJOR, XSW_ABI_MINOR);
    if (d->size < EXT_DESC_V1_0_SIZE)
        REFUSE("%s: descriptor size %" PRIu32
               " is smaller than the v1.0 descriptor (%zu)",
               p, d->size, (size_t) EXT_DESC_V1_0_SIZE);
    if (d->size > sizeof *d)
        REFUSE("%s: descriptor size %" PRIu32
               " is larger than this host's (SDK %u.%u, %zu bytes)",
               p, d->size, XSW_ABI_MAJOR, XSW_ABI_MINOR, sizeof *d);
    memset(&e->desc, 0, sizeof e->desc);
    memcpy(&e->desc, d, d->size);
    d = &e->desc;
    if (!d->name || !d->name[0])
        REFUSE("%s: the descriptor has no name", p);
    if (d->role < XSW_ROLE_INSPECT || d->role > XSW_ROLE_FIREWALL)
        REFUSE("%s: unknown role %" PRIu32
               " (expected 1 inspect, 2 filter, 3 forward, 4 firewall)",
               p, d->role);
    if (!d->create)
        REFUSE("%s: missing required callback create()", p);
    if (!d->destroy)
        REFUSE("%s: missing required callback destroy()", p);
    if (!d->ingress && !d->egress)
        REFUSE("%s: no packet callback (ingress or egress)", p);
    if (d->n_drop_reasons && !d->drop_reasons)
        REFUSE("%s: n_drop_reasons is %" PRIu32 " but drop_reasons is NULL",
               p, d->n_drop_reasons);
#undef REFUSE
    return 0;
}

int
ext_load(struct ext *e, struct dp *dp, const struct xsw_config *cfg,
         const struct ext_config *ec, struct xsw_err *err)
{
    const struct xsw_extension *d;
    char other[32];
    const char *o;
    int ret;

    memset(e, 0, sizeof *e);
    e->dp = dp;
    e->cfg = ec;
    e->enabled = e->cfg_enabled = ec->enabled;
    if (!(e->name = strdup(ec->name)))
        return xsw_err_set(err, -ENOMEM, "out of memory");
    if ((ret = find_module(cfg, ec, &e->path, err)) ||
        (ret = check_trust(e, cfg, ec, err)))
        return ret;
    e->dl = dlopen(e->path, RTLD_NOW | RTLD_LOCAL);
    if (!e->dl)
        return cfg_node_error(ec->node, err, -ENOEXEC,
                              "%s: not a loadable module: %s", e->path,
                              dlerror());
    d = dlsym(e->dl, XSW_EXTENSION_SYMBOL);
    if (!d) {
        o = other_major(e->dl, other, sizeof other);
        if (o)
            return cfg_node_error(ec->node, err, -ENOEXEC,
                                  "%s: built for another ABI major (exports "
                                  "%s, this host loads %s)",
                                  e->path, o, XSW_EXTENSION_SYMBOL);
        return cfg_node_error(ec->node, err, -ENOEXEC,
                              "%s: no symbol %s (not an xsw extension)",
                              e->path, XSW_EXTENSION_SYMBOL);
    }
    return check_desc(e, d, ec, err);
}

int
ext_create(struct ext *e, struct xsw_err *err)
{
    int ret;

    e->error[0] = '\0';
    e->error_located = false;
    ret = e->desc.create(ext_host_table(), (struct xsw_ctx *) e,
                         (const struct xsw_cfg *) e->cfg->config, &e->state);
    if (ret) {
        e->state = NULL;
        if (e->error_located)
            return xsw_err_set(err, ret < 0 ? ret : -EINVAL,
                               "%s (module %s)", e->error, e->path);
        return cfg_node_error(e->cfg->node, err, ret < 0 ? ret : -EINVAL,
                              "%s: create failed: %s", e->path,
                              e->error[0] ? e->error
                                          : strerror(ret < 0 ? -ret : ret));
    }
    e->created = true;
    return 0;
}

static void
free_counters(struct ext *e)
{
    struct ext_counters *c, *next;
    uint32_t i;

    if (e->counters)
        free(e->counters->index);
    for (c = e->counters; c; c = next) {
        next = c->next;
        for (i = 0; i < c->n; i++)
            free(c->v[i].name);
        free(c);
    }
    e->counters = NULL;
}

void
ext_unload(struct ext *e)
{
    if (e->created && e->desc.destroy)
        e->desc.destroy(e->state);
    e->created = false;
    e->state = NULL;
    free_counters(e);
    if (e->dl)
        dlclose(e->dl);
    e->dl = NULL;
    free(e->name);
    free(e->path);
    e->name = e->path = NULL;
}

void
ext_foreach_counter(const struct ext *e,
                    void (*cb)(void *arg, const char *name, uint64_t value),
                    void *arg)
{
    const struct ext_counters *c;
    uint32_t i;

    for (c = e->counters; c; c = c->next)
        for (i = 0; i < c->n; i++)
            cb(arg, c->v[i].name, c->v[i].value);
}

/* --- The host table --------------------------------------------------- */

/* The printf-like members, checked like the SDK declares them. */
static void host_log(struct xsw_ctx *, uint32_t level, const char *fmt, ...)
    XSW_PRINTF(3, 4);
static int host_error(struct xsw_ctx *, int code, const char *fmt, ...)
    XSW_PRINTF(3, 4);
static void host_trace(struct xsw_ctx *, const struct xsw_packet *,
                       const char *fmt, ...) XSW_PRINTF(3, 4);
static int host_cfg_error(struct xsw_ctx *, const struct xsw_cfg *, int code,
                          const char *fmt, ...) XSW_PRINTF(4, 5);

static struct ext *
ext_of(struct xsw_ctx *ctx)
{
    return (struct ext *) ctx;
}

static const struct cfg_node *
node_of(const struct xsw_cfg *cfg)
{
    return (const struct cfg_node *) cfg;
}

static void
host_log(struct xsw_ctx *ctx, uint32_t level, const char *fmt, ...)
{
    struct ext *e = ext_of(ctx);
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dp_event(e->dp, level, "ext.log",
             LOG_FIELDS(LOG_STR("extension", e->name)), "%s: %s", e->name,
             msg);
}

static int
host_error(struct xsw_ctx *ctx, int code, const char *fmt, ...)
{
    struct ext *e = ext_of(ctx);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->error, sizeof e->error, fmt, ap);
    va_end(ap);
    e->error_located = false;
    return code;
}

static uint64_t
host_now_ns(struct xsw_ctx *ctx)
{
    return dp_now(ext_of(ctx)->dp);
}

static uint32_t
host_port_count(struct xsw_ctx *ctx)
{
    return dp_port_count(ext_of(ctx)->dp);
}

static int32_t
host_port_lookup(struct xsw_ctx *ctx, const char *name)
{
    return name ? dp_port_lookup(ext_of(ctx)->dp, name) : -ENOENT;
}

static const char *
host_port_name(struct xsw_ctx *ctx, uint32_t id)
{
    const struct port *p = dp_port(ext_of(ctx)->dp, id);

    return p ? p->name : NULL;
}

static struct xsw_packet *
host_pkt_alloc(struct xsw_ctx *ctx, uint32_t size)
{
    struct pkt *pkt = dp_pkt_alloc(ext_of(ctx)->dp, size);

    return pkt ? &pkt->p : NULL;
}

static void
host_pkt_free(struct xsw_ctx *ctx, struct xsw_packet *pkt)
{
    if (pkt)
        dp_pkt_free(ext_of(ctx)->dp, pkt_from_xsw(pkt));
}

static int
host_pkt_inject(struct xsw_ctx *ctx, struct xsw_packet *pkt, uint32_t port,
                uint32_t how)
{
    struct ext *e = ext_of(ctx);

    if (!pkt)
        return -EINVAL;
    return dp_inject(e->dp, e, pkt_from_xsw(pkt), port, how);
}

static int
host_pkt_reparse(struct xsw_ctx *ctx, struct xsw_packet *pkt)
{
    if (!pkt || pkt->size < 14)
        return -EINVAL;
    dp_reparse(ext_of(ctx)->dp, pkt_from_xsw(pkt));
    return 0;
}

static uint64_t *
host_counter_new(struct xsw_ctx *ctx, const char *name)
{
    struct ext *e = ext_of(ctx);
    struct ext_counters *head, *last;
    struct ext_counter *slot, **ix;

    if (!name || !name[0])
        return NULL;
    if (!e->counters) {
        if (!(e->counters = calloc(1, sizeof *e->counters)))
            return NULL;
        e->counters->tail = e->counters;
    }
    head = e->counters;
    if (head->total >= EXT_COUNTERS_MAX || index_grow(head))
        return NULL;
    ix = index_slot(head, name);
    if (*ix)
        return NULL;   /* Name already used by this instance. */
    last = head->tail;
    if (last->n == EXT_COUNTER_CHUNK) {
        if (!(last->next = calloc(1, sizeof *last)))
            return NULL;
        last = head->tail = last->next;
    }
    slot = &last->v[last->n];
    if (!(slot->name = strdup(name)))
        return NULL;
    last->n++;
    head->total++;
    *ix = slot;
    return &slot->value;
}

static void
host_trace(struct xsw_ctx *ctx, const struct xsw_packet *pkt,
           const char *fmt, ...)
{
    struct ext *e = ext_of(ctx);
    char msg[512];
    va_list ap;

    if (!pkt || !(pkt->flags & XSW_PKT_F_TRACED))
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dp_trace_note(e->dp, e, (const struct pkt *) pkt, msg);
}

static int
host_timer_add(struct xsw_ctx *ctx, uint64_t interval_ns, xsw_timer_fn fn,
               void *arg)
{
    struct ext *e = ext_of(ctx);

    return dp_timer_add(e->dp, e, interval_ns, fn, arg);
}

static int
host_timer_cancel(struct xsw_ctx *ctx, int id)
{
    struct ext *e = ext_of(ctx);

    return dp_timer_cancel(e->dp, e, id);
}

static uint32_t
host_cfg_type(struct xsw_ctx *ctx, const struct xsw_cfg *cfg)
{
    (void) ctx;
    return cfg ? (uint32_t) node_of(cfg)->kind : XSW_CFG_NONE;
}

static const struct xsw_cfg *
host_cfg_get(struct xsw_ctx *ctx, const struct xsw_cfg *cfg, const char *key)
{
    (void) ctx;
    return (const struct xsw_cfg *) cfg_node_get(node_of(cfg), key);
}

static uint32_t
host_cfg_len(struct xsw_ctx *ctx, const struct xsw_cfg *cfg)
{
    const struct cfg_node *n = node_of(cfg);

    (void) ctx;
    return n && n->kind != CFG_SCALAR ? n->n : 0;
}

static const struct xsw_cfg *
host_cfg_at(struct xsw_ctx *ctx, const struct xsw_cfg *cfg, uint32_t i)
{
    const struct cfg_node *n = node_of(cfg);

    (void) ctx;
    if (!n || n->kind == CFG_SCALAR || i >= n->n)
        return NULL;
    return (const struct xsw_cfg *) n->items[i];
}

static const char *
host_cfg_key_at(struct xsw_ctx *ctx, const struct xsw_cfg *cfg, uint32_t i)
{
    const struct cfg_node *n = node_of(cfg);

    (void) ctx;
    if (!n || n->kind != CFG_MAP || i >= n->n)
        return NULL;
    return n->items[i]->key;
}

static const char *
host_cfg_str(struct xsw_ctx *ctx, const struct xsw_cfg *cfg)
{
    const struct cfg_node *n = node_of(cfg);

    (void) ctx;
    return n && n->kind == CFG_SCALAR ? n->text : NULL;
}

/* Runs a cfgtree reader and moves its message into the instance. */
static int
cfg_result(struct ext *e, int ret, const struct xsw_err *err)
{
    if (ret) {
        snprintf(e->error, sizeof e->error, "%s", err->msg);
        e->error_located = true;
    }
    return ret;
}

static int
host_cfg_keys(struct xsw_ctx *ctx, const struct xsw_cfg *cfg,
              const char *const *allowed)
{
    struct xsw_err err = {0};

    return cfg_result(ext_of(ctx),
                      cfg_node_check_keys(node_of(cfg), allowed, &err), &err);
}

static int
host_cfg_u64(struct xsw_ctx *ctx, const struct xsw_cfg *cfg, const char *key,
             uint64_t def, uint64_t min, uint64_t max, uint64_t *out)
{
    struct xsw_err err = {0};

    int ret = cfg_node_u64(node_of(cfg), key, def, min, max, out, &err);

    return cfg_result(ext_of(ctx), ret ? -EINVAL : 0, &err);
}

static int
host_cfg_bool(struct xsw_ctx *ctx, const struct xsw_cfg *cfg,
              const char *key, int def, int *out)
{
    struct xsw_err err = {0};
    bool b;
    int ret = cfg_node_bool(node_of(cfg), key, def != 0, &b, &err);

    if (!ret)
        *out = b;
    return cfg_result(ext_of(ctx), ret, &err);
}

static int
host_cfg_string(struct xsw_ctx *ctx, const struct xsw_cfg *cfg,
                const char *key, const char *def, const char **out)
{
    struct xsw_err err = {0};

    return cfg_result(ext_of(ctx),
                      cfg_node_str(node_of(cfg), key, def, out, &err), &err);
}

static int
host_cfg_error(struct xsw_ctx *ctx, const struct xsw_cfg *cfg, int code,
               const char *fmt, ...)
{
    struct ext *e = ext_of(ctx);
    const struct cfg_node *n = node_of(cfg);
    struct xsw_err err = {0};
    char msg[XSW_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!n)
        n = e->cfg->node;
    cfg_node_error(n, &err, code, "%s", msg);
    snprintf(e->error, sizeof e->error, "%s", err.msg);
    e->error_located = true;
    return code;
}

static const char *
host_cfg_dir(struct xsw_ctx *ctx)
{
    return dp_config(ext_of(ctx)->dp)->tree->dir;
}

static const struct xsw_host host_table = {
    .abi_major = XSW_ABI_MAJOR,
    .abi_minor = XSW_ABI_MINOR,
    .size = sizeof(struct xsw_host),
    .log = host_log,
    .error = host_error,
    .now_ns = host_now_ns,
    .port_count = host_port_count,
    .port_lookup = host_port_lookup,
    .port_name = host_port_name,
    .pkt_alloc = host_pkt_alloc,
    .pkt_free = host_pkt_free,
    .pkt_inject = host_pkt_inject,
    .pkt_reparse = host_pkt_reparse,
    .counter_new = host_counter_new,
    .trace = host_trace,
    .timer_add = host_timer_add,
    .timer_cancel = host_timer_cancel,
    .cfg_type = host_cfg_type,
    .cfg_get = host_cfg_get,
    .cfg_len = host_cfg_len,
    .cfg_at = host_cfg_at,
    .cfg_key_at = host_cfg_key_at,
    .cfg_str = host_cfg_str,
    .cfg_keys = host_cfg_keys,
    .cfg_u64 = host_cfg_u64,
    .cfg_bool = host_cfg_bool,
    .cfg_string = host_cfg_string,
    .cfg_error = host_cfg_error,
    .cfg_dir = host_cfg_dir,
};

const struct xsw_host *
ext_host_table(void)
{
    return &host_table;
}
