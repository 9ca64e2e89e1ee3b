#include "trust.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checks one path component: its owner and who may write to it. */
static int
check_one(const char *p, const struct stat *st, char *why, size_t size)
{
    uid_t me = geteuid();
    mode_t mode = st->st_mode & 07777;
    int sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);

    if (st->st_uid != 0 && st->st_uid != me) {
        snprintf(why, size,
                 "%s is owned by uid %u, not by root or xswd's user (uid %u)",
                 p, (unsigned) st->st_uid, (unsigned) me);
        return -EPERM;
    }
    if ((st->st_mode & S_IWOTH) && !sticky_dir) {
        snprintf(why, size, "%s is writable by others (mode %04o)", p,
                 (unsigned) mode);
        return -EPERM;
    }
    if ((st->st_mode & S_IWGRP) && st->st_gid != 0 &&
        st->st_gid != getegid() && !sticky_dir) {
        snprintf(why, size, "%s is writable by group %u (mode %04o)", p,
                 (unsigned) st->st_gid, (unsigned) mode);
        return -EPERM;
    }
    return 0;
}

int
trust_check(const char *path, char *why, size_t size)
{
    char real[PATH_MAX], *slash;
    struct stat st;
    int ret, first = 1;

    if (!realpath(path, real)) {
        ret = -errno;
        snprintf(why, size, "%s: %s", path, strerror(errno));
        return ret;
    }
    for (;;) {
        if (stat(real, &st) < 0) {
            ret = -errno;
            snprintf(why, size, "%s: %s", real, strerror(errno));
            return ret;
        }
        if (first && !S_ISREG(st.st_mode)) {
            snprintf(why, size, "%s is not a regular file", real);
            return -EPERM;
        }
        first = 0;
        if ((ret = check_one(real, &st, why, size)))
            return ret;
        if (!strcmp(real, "/"))
            return 0;
        /* realpath() gave an absolute path without '..' or links: its
         * parent is the text before the last slash. */
        slash = strrchr(real, '/');
        slash[slash == real] = '\0';
    }
}
