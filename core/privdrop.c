#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A whole decimal number, for ids given as numbers. */
static bool
parse_id(const char *s, unsigned long *out)
{
    char *end;

    if (!*s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return !errno && !*end && *out < UINT32_MAX;
}

int
privdrop_resolve(const struct privdrop *p, struct privdrop_ids *ids,
                 char *why, size_t size)
{
    uid_t *uid = &ids->uid;
    gid_t *gid = &ids->gid;
    const struct passwd *pw = getpwnam(p->user);
    const struct group *gr;
    unsigned long n;
    bool have_gid = false;

    if (pw) {
        *uid = pw->pw_uid;
        *gid = pw->pw_gid;
        have_gid = true;
    } else if (parse_id(p->user, &n)) {
        *uid = (uid_t) n;
    } else {
        snprintf(why, size, "unknown user '%s'", p->user);
        return -ENOENT;
    }
    if (p->group) {
        if ((gr = getgrnam(p->group))) {
            *gid = gr->gr_gid;
        } else if (parse_id(p->group, &n)) {
            *gid = (gid_t) n;
        } else {
            snprintf(why, size, "unknown group '%s'", p->group);
            return -ENOENT;
        }
        have_gid = true;
    }
    if (!have_gid) {
        snprintf(why, size,
                 "user %s has no passwd entry, so no primary group: set "
                 "security.group",
                 p->user);
        return -ENOENT;
    }
    return 0;
}

/* Sets the permitted and effective capabilities to those of 'keep' the
 * process has (a process that is already the user may have fewer). */
static int
set_caps(uint64_t keep)
{
    struct __user_cap_header_struct hdr = {
        .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {{0}};

    if (syscall(SYS_capget, &hdr, data))
        return -errno;
    keep &= data[0].permitted | (uint64_t) data[1].permitted << 32;
    memset(data, 0, sizeof data);
    data[0].permitted = data[0].effective = (uint32_t) keep;
    data[1].permitted = data[1].effective = (uint32_t) (keep >> 32);
    return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

#define FAIL(...)                                                     \
    do {                                                                    \
        int e_ = errno;                                                     \
        snprintf(why, size, __VA_ARGS__);                                   \
        snprintf(why + strlen(why), size - strlen(why), ": %s",            \
                 strerror(e_));                                             \
        return -e_;                                                         \
    } while (0)

static int
become(uid_t uid, gid_t gid, char *why, size_t size)
{
    if (geteuid() != 0) {
        if (getuid() == uid && geteuid() == uid && getgid() == gid &&
            getegid() == gid)
            return 0;
        snprintf(why, size,
                 "xswd runs as uid %u and cannot become uid %u, gid %u "
                 "(only root can)",
                 (unsigned) geteuid(), (unsigned) uid, (unsigned) gid);
        return -EPERM;
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
        FAIL("prctl(PR_SET_KEEPCAPS)");
    if (setgroups(1, &gid))
        FAIL("setgroups(%u)", (unsigned) gid);
    if (setresgid(gid, gid, gid))
        FAIL("setresgid(%u)", (unsigned) gid);
    if (setresuid(uid, uid, uid))
        FAIL("setresuid(%u)", (unsigned) uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
        FAIL("prctl(PR_SET_KEEPCAPS)");
    return 0;
}

int
privdrop_apply(const struct privdrop_ids *ids, bool keep_net, char *why,
               size_t size)
{
    uint64_t keep =
        keep_net ? (1ull << CAP_NET_RAW) | (1ull << CAP_NET_ADMIN) : 0;
    int ret;

    if ((ret = become(ids->uid, ids->gid, why, size)))
        return ret;
    if ((ret = set_caps(keep))) {
        errno = -ret;
        FAIL("capset(%#llx)", (unsigned long long) keep);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        FAIL("prctl(PR_SET_NO_NEW_PRIVS)");
    if (ids->uid != 0 && setuid(0) == 0) {
        snprintf(why, size, "still able to become root after the drop");
        return -EPERM;
    }
    return 0;
}
