#include "flowmon_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const top_keys[] = {
    "idle_timeout_s", "max_flows", "top_n", "export", "mirror", NULL,
};

static const char *const mirror_keys[] = {"filter", "file", "snaplen", NULL};

static int
read_limits(const struct xsw_host *host, struct xsw_ctx *ctx,
            const struct xsw_cfg *cfg, struct flowmon_settings *s)
{
    uint64_t v;
    int ret;

    ret = host->cfg_u64(ctx, cfg, "idle_timeout_s",
                        FLOWMON_IDLE_TIMEOUT_S_DEFAULT, 1,
                        FLOWMON_IDLE_TIMEOUT_S_MAX, &s->idle_timeout_s);
    if (ret)
        return ret;
    ret = host->cfg_u64(ctx, cfg, "max_flows", FLOWMON_MAX_FLOWS_DEFAULT, 1,
                        FLOWMON_MAX_FLOWS_MAX, &v);
    if (ret)
        return ret;
    s->max_flows = (uint32_t) v;
    ret = host->cfg_u64(ctx, cfg, "top_n", FLOWMON_TOP_N_DEFAULT, 1,
                        FLOWMON_TOP_N_MAX, &v);
    if (ret)
        return ret;
    s->top_n = (uint32_t) v;
    return 0;
}

/* Reads a required or optional path 'key' of 'node' and resolves it;
 * '*out' stays NULL when an optional key is absent. */
static int
read_path(const struct xsw_host *host, struct xsw_ctx *ctx,
          const struct xsw_cfg *node, const char *key, char **out)
{
    const char *path;
    int ret;

    *out = NULL;
    ret = host->cfg_string(ctx, node, key, NULL, &path);
    if (ret || !path)
        return ret;
    if (!*path)
        return host->cfg_error(ctx, host->cfg_get(ctx, node, key), -EINVAL,
                               "must not be empty");
    *out = flowmon_path_resolve(host->cfg_dir(ctx), path);
    return *out ? 0 : host->error(ctx, -ENOMEM, "out of memory");
}

/* An export that could only fail at the very end is refused now. */
static int
check_export_dir(const struct xsw_host *host, struct xsw_ctx *ctx,
                 const struct xsw_cfg *node, const char *path)
{
    char *dir = strdup(path), *slash;
    int ret = 0, err;

    if (!dir)
        return host->error(ctx, -ENOMEM, "out of memory");
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    if (access(dir, W_OK) != 0) {
        err = errno;
        ret = host->cfg_error(ctx, node, -err, "%s: %s", dir, strerror(err));
    }
    free(dir);
    return ret;
}

static int
read_mirror(const struct xsw_host *host, struct xsw_ctx *ctx,
            const struct xsw_cfg *cfg, struct flowmon_settings *s)
{
    const struct xsw_cfg *m = host->cfg_get(ctx, cfg, "mirror");
    uint64_t snaplen;
    int ret;

    if (!m)
        return 0;
    ret = host->cfg_keys(ctx, m, mirror_keys);
    if (ret)
        return ret;
    ret = host->cfg_string(ctx, m, "filter", "", &s->mirror_filter);
    if (ret)
        return ret;
    ret = host->cfg_u64(ctx, m, "snaplen", FLOWMON_SNAPLEN_DEFAULT, 1,
                        FLOWMON_SNAPLEN_MAX, &snaplen);
    if (ret)
        return ret;
    s->mirror_snaplen = (uint32_t) snaplen;
    s->mirror_filter_node = host->cfg_get(ctx, m, "filter");
    s->mirror_file_node = host->cfg_get(ctx, m, "file");
    if (!s->mirror_file_node)
        return host->cfg_error(ctx, m, -EINVAL, "missing key 'file'");
    return read_path(host, ctx, m, "file", &s->mirror_path);
}

int
flowmon_config_read(const struct xsw_host *host, struct xsw_ctx *ctx,
                    const struct xsw_cfg *cfg, struct flowmon_settings *s)
{
    int ret;

    memset(s, 0, sizeof(*s));
    ret = host->cfg_keys(ctx, cfg, top_keys);
    if (!ret)
        ret = read_limits(host, ctx, cfg, s);
    if (!ret)
        ret = read_path(host, ctx, cfg, "export", &s->export_path);
    if (!ret && s->export_path)
        ret = check_export_dir(host, ctx, host->cfg_get(ctx, cfg, "export"),
                               s->export_path);
    if (!ret)
        ret = read_mirror(host, ctx, cfg, s);
    if (ret)
        flowmon_config_clear(s);
    return ret;
}

void
flowmon_config_clear(struct flowmon_settings *s)
{
    free(s->export_path);
    free(s->mirror_path);
    s->export_path = s->mirror_path = NULL;
}

char *
flowmon_path_resolve(const char *dir, const char *path)
{
    size_t size;
    char *out;

    if (path[0] == '/' || !dir || !*dir)
        return strdup(path);
    size = strlen(dir) + 1 + strlen(path) + 1;
    out = malloc(size);
    if (out)
        snprintf(out, size, "%s/%s", dir, path);
    return out;
}

/* Does 'path' climb: is one of its components ".."? */
static bool
has_dotdot(const char *path)
{
    const char *p = path;

    while ((p = strstr(p, ".."))) {
        if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return true;
        p += 2;
    }
    return false;
}

/* Is 'inner' (resolved) 'outer' (resolved) or inside it? */
static bool
path_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);

    if (!strcmp(outer, "/"))
        return true;
    return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

FILE *
flowmon_open_under(const char *dir, const char *path, char **full,
                   char *why, size_t size)
{
    char real_dir[PATH_MAX], real_parent[PATH_MAX], *joined, *slash;
    const char *base;
    FILE *f = NULL;
    int fd, e;

    *full = NULL;
    if (!*path || path[0] == '/' || has_dotdot(path)) {
        snprintf(why, size,
                 "'%s': give a path relative to %s without '..' (files "
                 "written on command stay under the config's directory)",
                 path, dir);
        errno = EACCES;
        return NULL;
    }
    if (!(joined = flowmon_path_resolve(dir, path)))
        return NULL;
    slash = strrchr(joined, '/');
    *slash = '\0';
    base = slash + 1;
    if (!realpath(dir, real_dir) || !realpath(joined, real_parent)) {
        e = errno;
        snprintf(why, size, "%s/%s: %s", joined, base, strerror(e));
        goto out;
    }
    if (!path_within(real_parent, real_dir) || !*base) {
        e = EACCES;
        snprintf(why, size, "'%s' leads outside %s (to %s)", path, dir,
                 real_parent);
        goto out;
    }
    if (asprintf(full, "%s/%s", real_parent, base) < 0) {
        *full = NULL;
        e = ENOMEM;
        snprintf(why, size, "out of memory");
        goto out;
    }
    fd = open(*full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
              0644);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        e = errno;
        if (fd >= 0)
            close(fd);
        snprintf(why, size, "%s: %s", *full,
                 e == ELOOP ? "is a symbolic link" : strerror(e));
        goto out;
    }
    e = 0;
out:
    free(joined);
    if (!f) {
        free(*full);
        *full = NULL;
        errno = e;
    }
    return f;
}
