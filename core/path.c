#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int
path_open_under(const char *dir, const char *path, char **full,
                struct xsw_err *err)
{
    char real_dir[PATH_MAX], real_parent[PATH_MAX], *joined = NULL, *slash;
    const char *base;
    int fd = -1, ret;

    *full = NULL;
    if (!*path || path[0] == '/' || has_dotdot(path))
        return xsw_err_set(err, -EACCES,
                           "'%s': give a path relative to %s without '..' "
                           "(files written on command stay under the "
                           "config's directory)",
                           path, dir);
    if (asprintf(&joined, "%s/%s", dir, path) < 0)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    slash = strrchr(joined, '/');
    *slash = '\0';
    base = slash + 1;
    if (!*base) {
        ret = xsw_err_set(err, -EISDIR, "'%s' names a directory, not a file",
                          path);
        goto out;
    }
    if (!realpath(dir, real_dir) || !realpath(joined, real_parent)) {
        ret = -errno;
        xsw_err_set(err, ret, "%s/%s: %s", joined, base, strerror(-ret));
        goto out;
    }
    if (!path_within(real_parent, real_dir)) {
        ret = xsw_err_set(err, -EACCES, "'%s' leads outside %s (to %s)", path,
                          dir, real_parent);
        goto out;
    }
    if (asprintf(full, "%s/%s", real_parent, base) < 0) {
        *full = NULL;
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto out;
    }
    fd = open(*full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
              0644);
    if (fd < 0) {
        ret = -errno;
        xsw_err_set(err, ret, "%s: %s", *full,
                    ret == -ELOOP ? "is a symbolic link" : strerror(-ret));
        free(*full);
        *full = NULL;
        goto out;
    }
    ret = fd;
out:
    free(joined);
    return ret;
}
