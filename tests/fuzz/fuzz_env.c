#include "fuzz_env.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xsw/host.h>

#include "dp.h"
#include "drops.h"
#include "port.h"

static char scratch[PATH_MAX];

static _Noreturn void
die(const char *what, const char *why)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, why);
    exit(1);
}

/* $XSW_FUZZ_TMPDIR when set (the scripts make one per run and remove it),
 * else tmpfs, else $TMPDIR or /tmp.  tmpfs matters: on ext4, replacing a
 * file's contents through O_TRUNC forces it to disk at close, which would
 * cost more than running the input. */
static void
make_scratch(void)
{
    const char *base = getenv("XSW_FUZZ_TMPDIR");

    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    if (snprintf(scratch, sizeof scratch, "%s/xsw-fuzz-XXXXXX", base) >=
        (int) sizeof scratch)
        die(base, "path too long");
    if (!mkdtemp(scratch))
        die(scratch, strerror(errno));
}

static void
remove_scratch(void)
{
    fuzz_scratch_clean(NULL);
    rmdir(scratch);
}

static bool
is_module_name(const char *name)
{
    size_t len = strlen(name);

    return len > 3 && !strcmp(name + len - 3, ".so");
}

/* dlopen()s every module of 'dir' once, for good (see the header). */
static void
pin_modules(const char *dir)
{
    char path[PATH_MAX];
    struct dirent *de;
    DIR *d = opendir(dir);

    if (!d)
        return;
    while ((de = readdir(d)))
        if (is_module_name(de->d_name) &&
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) <
                (int) sizeof path &&
            !dlopen(path, RTLD_NOW | RTLD_LOCAL))
            fprintf(stderr, "fuzz: cannot pin %s: %s\n", path, dlerror());
    closedir(d);
}

void
fuzz_env_init(void)
{
    char *paths, *dir, *save = NULL;

    make_scratch();
    atexit(remove_scratch);
    setenv("XSW_EXTENSION_PATH", XSW_FUZZ_EXT_DIR, 0);
    paths = strdup(getenv("XSW_EXTENSION_PATH"));
    if (!paths)
        die("init", "out of memory");
    for (dir = strtok_r(paths, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save))
        pin_modules(dir);
    free(paths);
}

const char *
fuzz_scratch_dir(void)
{
    return scratch;
}

const char *
fuzz_scratch_path(const char *name)
{
    static char path[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/%s", scratch, name);
    return path;
}

int
fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int ret = 0;

    if (fd < 0)
        return -errno;
    while (size > 0) {
        ssize_t n = write(fd, data, size);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            ret = -errno;
            break;
        }
        data += n;
        size -= (size_t) n;
    }
    if (close(fd) && !ret)
        ret = -errno;
    return ret;
}

void
fuzz_scratch_clean(const char *keep)
{
    struct dirent *de;
    DIR *d = opendir(scratch);

    if (!d)
        return;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            (keep && !strcmp(de->d_name, keep)))
            continue;
        /* Extensions only ever create plain files here: the harnesses
         * refuse configs that name anything outside this directory. */
        if (unlinkat(dirfd(d), de->d_name, 0) && errno == EISDIR)
            unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

uint32_t
fuzz_log_level(void)
{
    const char *s = getenv("XSW_FUZZ_LOG");
    unsigned long v;

    if (!s || !*s)
        return XSW_LOG_DEBUG;
    v = strtoul(s, NULL, 10);
    return v >= 1 && v <= XSW_LOG_DEBUG ? (uint32_t) v : XSW_LOG_DEBUG;
}

static _Noreturn void
unbalanced(const char *what, const char *which, uint64_t in, uint64_t out)
{
    fprintf(stderr,
            "fuzz: %s: accounting does not balance: %s: %" PRIu64
            " in, %" PRIu64 " out\n",
            what, which, in, out);
    abort();
}

void
fuzz_check_accounting(const struct dp *dp, const char *what)
{
    const struct dp_totals *t = dp_get_totals(dp);
    struct drops *drops = dp_drops(dp);
    uint64_t dropped = 0;
    uint32_t i;

    if (t->rx + t->injected != t->delivered + t->dropped)
        unbalanced(what, "rx + injected vs delivered + dropped",
                   t->rx + t->injected, t->delivered + t->dropped);
    for (i = 0; i < dp_port_count(dp); i++) {
        const struct port *p = dp_port(dp, i);

        if (p->rx != p->delivered + p->dropped)
            unbalanced(what, p->name, p->rx, p->delivered + p->dropped);
    }
    for (i = 0; i < drops_count(drops); i++)
        dropped += drops_get(drops, i)->count;
    if (dropped != t->dropped)
        unbalanced(what, "drop reasons vs dropped", dropped, t->dropped);
}
