#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const top_keys[] = {"switch",     "extension_path",
                                       "ports",      "extensions",
                                       "security",   "control",
                                       "log",        NULL};
static const char *const switch_keys[] = {"name", "fdb", NULL};
static const char *const fdb_keys[] = {"max_entries", "aging_s", NULL};
static const char *const security_keys[] = {"allow_insecure_extensions",
                                            "verify_extensions", "user",
                                            "group",
                                            NULL};
static const char *const control_keys[] = {"socket", "group",
                                           "group_admin", NULL};
static const char *const log_keys[] = {"level", "target", "format",
                                       "drop_summary_interval", NULL};
static const char *const port_keys[] = {
    "name", "type", "rx", "tx", "vlan", "device", "mac", "mtu", "netns", NULL};

/* Which keys each port type takes (besides name, type and vlan). */
static const struct {
    const char *type;
    const char *keys[5];
} port_type_keys[] = {
    {"pcap", {"rx", "tx", NULL}},
    {"system", {"device", NULL}},
    {"tap", {"device", "mac", "mtu", "netns", NULL}},
};

#define CONFIG_IFNAME_MAX 15 /* IFNAMSIZ - 1 */
#define CONFIG_MTU_MIN 68
#define CONFIG_MTU_MAX 9000
static const char *const vlan_keys[] = {"mode", "vid", "allowed", "native",
                                        NULL};
static const char *const ext_keys[] = {"module", "name", "enabled", "config",
                                       NULL};

static char *
join_path(const char *dir, const char *path)
{
    char *out;

    if (path[0] == '/' || !strcmp(dir, "."))
        return strdup(path);
    if (asprintf(&out, "%s/%s", dir, path) < 0)
        return NULL;
    return out;
}

char *
config_resolve(const struct xsw_config *cfg, const char *path)
{
    return join_path(cfg->tree->dir, path);
}

static bool
name_is_valid(const char *s)
{
    size_t i, len = strlen(s);

    if (!len || len > CONFIG_NAME_MAX)
        return false;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char) s[i]) && !strchr("_.:-", s[i]))
            return false;
    return true;
}

static int
read_name(const struct cfg_node *map, const char *key, const char *def,
          char **out, struct xsw_err *err)
{
    const struct cfg_node *n = cfg_node_get(map, key);
    const char *s;
    int ret;

    if ((ret = cfg_node_str(map, key, def, &s, err)))
        return ret;
    if (!s)
        return cfg_node_error(map, err, -EINVAL, "missing key '%s'", key);
    if (!name_is_valid(s))
        return cfg_node_error(n ? n : map, err, -EINVAL,
                              "'%s' is not a valid name (1 to %d of "
                              "A-Z a-z 0-9 _ . : -)",
                              s, CONFIG_NAME_MAX);
    *out = strdup(s);
    return *out ? 0 : -ENOMEM;
}

static int
read_switch(struct xsw_config *cfg, const struct cfg_node *sw,
            struct xsw_err *err)
{
    const struct cfg_node *fdb = cfg_node_get(sw, "fdb");
    uint64_t max, aging;
    int ret;

    if ((ret = cfg_node_check_keys(sw, switch_keys, err)) ||
        (ret = read_name(sw, "name", "xsw", &cfg->name, err)) ||
        (ret = cfg_node_check_keys(fdb, fdb_keys, err)) ||
        (ret = cfg_node_u64(fdb, "max_entries", 4096, 1, CONFIG_FDB_MAX, &max,
                            err)) ||
        (ret = cfg_node_u64(fdb, "aging_s", 300, 0, 31536000, &aging, err)))
        return ret;
    cfg->fdb_max_entries = (uint32_t) max;
    cfg->fdb_aging_ns = aging * 1000000000ull;
    return 0;
}

/* security.user and .group: looked up now, so that --check knows. */
static int
read_run_as(struct xsw_config *cfg, const struct cfg_node *sec,
            struct xsw_err *err)
{
    const struct cfg_node *group = cfg_node_get(sec, "group");
    struct privdrop p = {0};
    char why[256];
    int ret;

    if ((ret = cfg_node_str(sec, "user", NULL, &p.user, err)) ||
        (ret = cfg_node_str(sec, "group", NULL, &p.group, err)))
        return ret;
    if (!p.user && group)
        return cfg_node_key_error(group, err, -EINVAL,
                                  "security.group needs security.user");
    if (!p.user)
        return 0;
    if ((ret = privdrop_resolve(&p, &cfg->run_as, why, sizeof why)))
        return cfg_node_error(!strncmp(why, "unknown group", 13)
                                  ? group
                                  : cfg_node_get(sec, "user"),
                              err, ret, "%s", why);
    cfg->drop_privileges = true;
    return 0;
}

static int
read_security(struct xsw_config *cfg, const struct cfg_node *sec,
              struct xsw_err *err)
{
    int ret;

    if ((ret = cfg_node_check_keys(sec, security_keys, err)) ||
        (ret = read_run_as(cfg, sec, err)))
        return ret;
    if ((ret = cfg_node_bool(sec, "verify_extensions", false,
                             &cfg->verify_extensions, err)))
        return ret;
    return cfg_node_bool(sec, "allow_insecure_extensions", false,
                         &cfg->allow_insecure_extensions, err);
}

/* control.socket: a path, relative to the config file like every other. */
static int
read_control_socket(struct xsw_config *cfg, const struct cfg_node *ctl,
                    struct xsw_err *err)
{
    const char *s;
    int ret;

    if ((ret = cfg_node_str(ctl, "socket", NULL, &s, err)) || !s)
        return ret;
    if (!*s)
        return cfg_node_error(cfg_node_get(ctl, "socket"), err, -EINVAL,
                              "the path is empty");
    cfg->control_socket = config_resolve(cfg, s);
    if (!cfg->control_socket)
        return -ENOMEM;
    if (strlen(cfg->control_socket) > CONFIG_SOCKET_PATH_MAX)
        return cfg_node_error(cfg_node_get(ctl, "socket"), err,
                              -ENAMETOOLONG,
                              "'%s' is too long for a socket (%zu bytes; at "
                              "most %d)",
                              cfg->control_socket,
                              strlen(cfg->control_socket),
                              CONFIG_SOCKET_PATH_MAX);
    return 0;
}

/* control.group: a group that exists now (its gid is what counts). */
static int
read_control_group(struct xsw_config *cfg, const struct cfg_node *ctl,
                   struct xsw_err *err)
{
    const struct cfg_node *admin = cfg_node_get(ctl, "group_admin");
    const struct group *gr;
    const char *s;
    int ret;

    if ((ret = cfg_node_str(ctl, "group", NULL, &s, err)))
        return ret;
    if (!s && admin)
        return cfg_node_key_error(admin, err, -EINVAL,
                                  "group_admin needs control.group");
    if (!s)
        return 0;
    errno = 0;
    gr = getgrnam(s);
    if (!gr)
        return cfg_node_error(cfg_node_get(ctl, "group"), err, -ENOENT,
                              "no group '%s'%s%s", s, errno ? ": " : "",
                              errno ? strerror(errno) : "");
    cfg->control_gid = (uint32_t) gr->gr_gid;
    cfg->control_group = strdup(s);
    return cfg->control_group ? 0 : -ENOMEM;
}

static int
read_control(struct xsw_config *cfg, const struct cfg_node *ctl,
             struct xsw_err *err)
{
    int ret;

    if ((ret = cfg_node_check_keys(ctl, control_keys, err)) ||
        (ret = read_control_socket(cfg, ctl, err)) ||
        (ret = read_control_group(cfg, ctl, err)))
        return ret;
    return cfg_node_bool(ctl, "group_admin", false, &cfg->control_group_admin,
                         err);
}

/* The value of log.KEY, 's', is not one of 'expected'. */
static int
log_name_error(const struct cfg_node *log, const char *key, const char *s,
               const char *expected, struct xsw_err *err)
{
    return cfg_node_error(cfg_node_get(log, key), err, -EINVAL,
                          "unknown log %s '%s' (expected %s)", key, s,
                          expected);
}

static int
read_log(struct xsw_config *cfg, const struct cfg_node *log,
         struct xsw_err *err)
{
    const char *level, *target, *format;
    uint64_t interval;
    int ret;

    if ((ret = cfg_node_check_keys(log, log_keys, err)) ||
        (ret = cfg_node_str(log, "level", "info", &level, err)) ||
        (ret = cfg_node_str(log, "target", "stderr", &target, err)) ||
        (ret = cfg_node_str(log, "format", "text", &format, err)) ||
        (ret = cfg_node_u64(log, "drop_summary_interval", 60, 0,
                            CONFIG_DROP_SUMMARY_MAX, &interval, err)))
        return ret;
    if (log_level_parse(level, &cfg->log.level))
        return log_name_error(log, "level", level, LOG_LEVEL_NAMES, err);
    if (log_target_parse(target, &cfg->log.target))
        return log_name_error(log, "target", target, LOG_TARGET_NAMES, err);
    if (log_format_parse(format, &cfg->log.format))
        return log_name_error(log, "format", format, LOG_FORMAT_NAMES, err);
    cfg->drop_summary_ns = interval * 1000000000ull;
    return 0;
}

static int
read_ext_path(struct xsw_config *cfg, const struct cfg_node *list,
              struct xsw_err *err)
{
    uint32_t i;
    int ret;

    if (!list)
        return 0;
    if ((ret = cfg_node_expect(list, CFG_SEQ, err)))
        return ret;
    cfg->ext_path = calloc(list->n + 1, sizeof *cfg->ext_path);
    if (!cfg->ext_path)
        return -ENOMEM;
    for (i = 0; i < list->n; i++) {
        if ((ret = cfg_node_expect(list->items[i], CFG_SCALAR, err)))
            return ret;
        cfg->ext_path[i] = config_resolve(cfg, list->items[i]->text);
        if (!cfg->ext_path[i])
            return -ENOMEM;
        cfg->n_ext_path++;
    }
    return 0;
}

static void
vlan_allow(struct vlan_config *v, uint16_t vid)
{
    v->allowed[vid >> 3] |= (uint8_t) (1u << (vid & 7));
}

/* One item of 'allowed': a VID or a range 'LOW-HIGH'. */
static int
read_vlan_range(struct vlan_config *v, const struct cfg_node *n,
                struct xsw_err *err)
{
    unsigned lo, hi;
    char tail;
    uint64_t one;
    int ret;

    if (n->kind == CFG_SCALAR && strchr(n->text, '-')) {
        if (sscanf(n->text, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1 ||
            hi > 4094 || lo > hi)
            return cfg_node_error(n, err, -EINVAL,
                                  "'%s' is not a VLAN range LOW-HIGH within "
                                  "1-4094",
                                  n->text);
    } else {
        if ((ret = cfg_scalar_u64(n, 1, 4094, &one, err)))
            return ret;
        lo = hi = (unsigned) one;
    }
    for (; lo <= hi; lo++)
        vlan_allow(v, (uint16_t) lo);
    return 0;
}

static int
read_vlan(struct vlan_config *v, const struct cfg_node *map,
          struct xsw_err *err)
{
    const struct cfg_node *allowed = cfg_node_get(map, "allowed");
    const struct cfg_node *n;
    const char *mode;
    uint64_t vid, native;
    uint32_t i;
    int ret;

    if ((ret = cfg_node_check_keys(map, vlan_keys, err)) ||
        (ret = cfg_node_str(map, "mode", "access", &mode, err)))
        return ret;
    if (!strcmp(mode, "access")) {
        v->mode = VLAN_ACCESS;
        if ((n = cfg_node_get(map, "allowed")) ||
            (n = cfg_node_get(map, "native")))
            return cfg_node_error(n, err, -EINVAL,
                                  "only trunk ports take '%s'", n->key);
        if ((ret = cfg_node_u64(map, "vid", 1, 1, 4094, &vid, err)))
            return ret;
        v->vid = (uint16_t) vid;
        return 0;
    }
    if (strcmp(mode, "trunk"))
        return cfg_node_error(cfg_node_get(map, "mode"), err, -EINVAL,
                              "unknown VLAN mode '%s' (expected access or "
                              "trunk)",
                              mode);
    v->mode = VLAN_TRUNK;
    if ((n = cfg_node_get(map, "vid")))
        return cfg_node_error(n, err, -EINVAL,
                              "trunk ports take 'allowed' and 'native', "
                              "not 'vid'");
    if ((ret = cfg_node_u64(map, "native", 0, 1, 4094, &native, err)))
        return ret;
    v->native = (uint16_t) native;
    if (!allowed) {
        memset(v->allowed, 0xff, sizeof v->allowed);
        v->allowed[0] &= (uint8_t) ~1u;            /* VID 0 */
        v->allowed[4095 >> 3] &= (uint8_t) ~0x80u; /* VID 4095 */
    } else {
        if ((ret = cfg_node_expect(allowed, CFG_SEQ, err)))
            return ret;
        for (i = 0; i < allowed->n; i++)
            if ((ret = read_vlan_range(v, allowed->items[i], err)))
                return ret;
    }
    if (v->native)
        vlan_allow(v, v->native);
    return 0;
}

static int
read_pcap_path(struct xsw_config *cfg, const struct cfg_node *map,
               const char *key, char **out, struct xsw_err *err)
{
    const char *s;
    int ret;

    if ((ret = cfg_node_str(map, key, NULL, &s, err)) || !s)
        return ret;
    if (!s[0])
        return cfg_node_error(cfg_node_get(map, key), err, -EINVAL,
                              "empty path");
    *out = config_resolve(cfg, s);
    return *out ? 0 : -ENOMEM;
}

/* Refuses an unknown type, and keys that belong to another type. */
static int
check_type_keys(const struct port_config *p, const struct cfg_node *map,
                struct xsw_err *err)
{
    const char *const *k;
    size_t t, i;

    for (t = 0; t < sizeof port_type_keys / sizeof *port_type_keys; t++)
        if (!strcmp(port_type_keys[t].type, p->type))
            break;
    if (t == sizeof port_type_keys / sizeof *port_type_keys)
        return cfg_node_error(cfg_node_get(map, "type"), err, -EINVAL,
                              "unknown port type '%s' (expected pcap, "
                              "system or tap)",
                              p->type);
    for (i = 0; i < map->n; i++) {
        const char *key = map->items[i]->key;

        if (!strcmp(key, "name") || !strcmp(key, "type") ||
            !strcmp(key, "vlan"))
            continue;
        for (k = port_type_keys[t].keys; *k && strcmp(*k, key); k++)
            continue;
        if (!*k)
            return cfg_node_key_error(map->items[i], err, -EINVAL,
                                      "'%s' does not apply to %s ports", key,
                                      p->type);
    }
    return 0;
}

/* A kernel interface name: 1 to 15 characters, no '/', blank or ':'. */
static int
read_ifname(const struct cfg_node *map, const char *key, const char *def,
            char **out, struct xsw_err *err)
{
    const struct cfg_node *n = cfg_node_get(map, key);
    const char *s;
    size_t i, len;
    int ret;

    if ((ret = cfg_node_str(map, key, def, &s, err)))
        return ret;
    len = strlen(s);
    for (i = 0; i < len; i++)
        if (s[i] == '/' || s[i] == ':' || isspace((unsigned char) s[i]))
            break;
    if (!len || len > CONFIG_IFNAME_MAX || i < len || !strcmp(s, ".") ||
        !strcmp(s, ".."))
        return cfg_node_error(n ? n : map, err, -EINVAL,
                              "'%s' is not a valid interface name (1 to %d "
                              "characters, no '/', ':' or blanks)",
                              s, CONFIG_IFNAME_MAX);
    *out = strdup(s);
    return *out ? 0 : -ENOMEM;
}

static int
read_mac(const struct cfg_node *map, const char *key, uint8_t mac[6],
         bool *has, struct xsw_err *err)
{
    const struct cfg_node *n = cfg_node_get(map, key);
    unsigned b[6];
    char tail;
    int ret, i;

    if (!n)
        return 0;
    if ((ret = cfg_node_expect(n, CFG_SCALAR, err)))
        return ret;
    if (sscanf(n->text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
               &b[3], &b[4], &b[5], &tail) != 6 ||
        strlen(n->text) != 17)
        return cfg_node_error(n, err, -EINVAL,
                              "'%s' is not a MAC address like "
                              "02:00:00:00:00:01",
                              n->text);
    if (b[0] & 1)
        return cfg_node_error(n, err, -EINVAL,
                              "%s is a group address; a port needs a "
                              "unicast MAC",
                              n->text);
    for (i = 0; i < 6; i++)
        mac[i] = (uint8_t) b[i];
    if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
        return cfg_node_error(n, err, -EINVAL,
                              "00:00:00:00:00:00 is not a usable MAC");
    *has = true;
    return 0;
}

static int
read_live_port(struct port_config *p, const struct cfg_node *map,
               struct xsw_err *err)
{
    uint64_t mtu;
    int ret;

    if ((ret = read_ifname(map, "device", p->name, &p->device, err)) ||
        (ret = read_mac(map, "mac", p->mac, &p->has_mac, err)) ||
        (ret = cfg_node_u64(map, "mtu", 0, CONFIG_MTU_MIN, CONFIG_MTU_MAX,
                            &mtu, err)))
        return ret;
    p->mtu = (uint32_t) mtu;
    if (cfg_node_get(map, "netns")) {
        const char *ns;

        if ((ret = cfg_node_str(map, "netns", NULL, &ns, err)))
            return ret;
        if (!name_is_valid(ns) || strchr(ns, '/'))
            return cfg_node_error(cfg_node_get(map, "netns"), err, -EINVAL,
                                  "'%s' is not a valid namespace name", ns);
        if (!(p->netns = strdup(ns)))
            return -ENOMEM;
    }
    return 0;
}

/* Replay time (pcap timestamps) and live time (the monotonic clock) cannot
 * run in one switch: pcap ports of a live switch may only write ('tx'). */
static int
check_port_mix(const struct xsw_config *cfg, struct xsw_err *err)
{
    const struct port_config *live = NULL, *replay = NULL;
    uint32_t i;

    for (i = 0; i < cfg->n_ports; i++) {
        if (strcmp(cfg->ports[i].type, "pcap"))
            live = live ? live : &cfg->ports[i];
        else if (cfg->ports[i].rx)
            replay = replay ? replay : &cfg->ports[i];
    }
    if (live && replay)
        return cfg_node_error(cfg_node_get(replay->node, "rx"), err, -EINVAL,
                              "a switch with live ports ('%s' is %s) cannot "
                              "replay captures: pcap ports may only have "
                              "'tx' here",
                              live->name, live->type);
    return 0;
}

/* Where a capture file is: the file itself or, when it is not created
 * yet, its nearest existing directory (by inode), and the names below
 * that ('rest', "." names left out).  Two paths name one file when both
 * agree. */
struct capture_place {
    const struct cfg_node *node; /* The 'rx' or 'tx' value, borrowed. */
    bool tx;
    bool found;  /* 'dev' and 'ino' are valid. */
    bool device; /* The file is a character device. */
    dev_t dev;
    ino_t ino;
    char *rest; /* Owned; "" when the file exists. */
};

/* The last name in path 'p' (whose trailing slashes are dropped), or NULL
 * when none is left ("/" or "."). */
static char *
path_last_name(char *p)
{
    size_t len = strlen(p);
    char *slash;

    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : NULL;
}

/* Cuts 'name', the last name of 'p', off 'p': "d/x" becomes "d", "/x"
 * becomes "/". */
static void
path_cut(char *p, char *name)
{
    if (name - 1 == p)
        name[0] = '\0';
    else
        name[-1] = '\0';
}

static int
capture_place_find(struct capture_place *cp, const char *path)
{
    char buf[PATH_MAX], rest[PATH_MAX];
    size_t start = sizeof rest - 1, len;
    struct stat st;
    char *name;
    int n =
        snprintf(buf, sizeof buf, "%s%s", path[0] == '/' ? "" : "./", path);

    rest[start] = '\0';
    /* Every round cuts a name off 'buf', whose names and slashes are
     * what 'rest' gets: both stay within PATH_MAX. */
    while (n >= 0 && (size_t) n < sizeof buf &&
           !(cp->found = !stat(buf, &st)) && (name = path_last_name(buf))) {
        len = strlen(name);
        if (strcmp(name, ".")) {
            if (rest[start])
                rest[--start] = '/';
            start -= len;
            memcpy(rest + start, name, len);
        }
        path_cut(buf, name);
    }
    if (cp->found) {
        cp->dev = st.st_dev;
        cp->ino = st.st_ino;
        cp->device = S_ISCHR(st.st_mode) && !rest[start];
    }
    /* Nothing found (an overlong path, a removed working directory): the
     * text is all there is to compare. */
    cp->rest = strdup(cp->found ? rest + start : path);
    return cp->rest ? 0 : -ENOMEM;
}

/* A character device (/dev/null) has no content to destroy, and writes
 * to it do not mix: ports may share one. */
static bool
capture_place_same(const struct capture_place *a,
                   const struct capture_place *b)
{
    if (a->found != b->found || strcmp(a->rest, b->rest))
        return false;
    return !a->found || (a->dev == b->dev && a->ino == b->ino && !a->device);
}

/* 'a', the later in the file, and 'b' name one capture and one of them is
 * written: refused at 'a'. */
static int
capture_conflict(const struct capture_place *a, const struct capture_place *b,
                 struct xsw_err *err)
{
    char other[128];

    cfg_node_path(b->node, other, sizeof other);
    return cfg_node_error(a->node, err, -EINVAL, "'%s' is also %s (%s)",
                          a->node->text, other,
                          !a->tx  ? "writing it would destroy this input"
                          : b->tx ? "two ports cannot write one file"
                                  : "writing it would destroy that input");
}

/* Refuses a capture that one port writes and another port (or the same)
 * reads or writes too: the run would destroy its input, or mix two
 * outputs into one file.  Paths are compared as the files they name (see
 * struct capture_place), so "a", "./a", "d/../a" and a symlink to "a" are
 * one.  Reading one capture on two ports is harmless. */
static int
check_capture_paths(const struct xsw_config *cfg, struct xsw_err *err)
{
    struct capture_place *cps = calloc(2 * (size_t) cfg->n_ports, sizeof *cps);
    uint32_t i, j, k, n = 0;
    int ret = 0;

    if (!cps)
        return -ENOMEM;
    /* In file order, so the error points at the later of the two. */
    for (i = 0; i < cfg->n_ports && !ret; i++) {
        const struct port_config *p = &cfg->ports[i];

        for (k = 0; k < p->node->n && !ret; k++) {
            const struct cfg_node *v = p->node->items[k];
            bool tx = !strcmp(v->key, "tx");

            if (!tx && strcmp(v->key, "rx"))
                continue;
            cps[n] = (struct capture_place){.node = v, .tx = tx};
            if ((ret = capture_place_find(&cps[n], tx ? p->tx : p->rx)))
                break;
            for (j = 0; j < n && !ret; j++)
                if ((tx || cps[j].tx) && capture_place_same(&cps[n], &cps[j]))
                    ret = capture_conflict(&cps[n], &cps[j], err);
            n++;
        }
    }
    for (j = 0; j < n; j++)
        free(cps[j].rest);
    free(cps);
    return ret;
}

static int
read_port(struct xsw_config *cfg, struct port_config *p,
          const struct cfg_node *map, struct xsw_err *err)
{
    uint32_t i;
    int ret;

    p->node = map;
    p->vlan.mode = VLAN_ACCESS;
    p->vlan.vid = 1;
    if ((ret = cfg_node_expect(map, CFG_MAP, err)) ||
        (ret = cfg_node_check_keys(map, port_keys, err)) ||
        (ret = read_name(map, "name", NULL, &p->name, err)))
        return ret;
    for (i = 0; i < cfg->n_ports; i++)
        if (!strcmp(cfg->ports[i].name, p->name))
            return cfg_node_error(cfg_node_get(map, "name"), err, -EEXIST,
                                  "duplicate port name '%s' (first at "
                                  "line %u)",
                                  p->name, cfg->ports[i].node->line);
    if ((ret = read_name(map, "type", NULL, &p->type, err)) ||
        (ret = check_type_keys(p, map, err)))
        return ret;
    if (!strcmp(p->type, "pcap")) {
        if ((ret = read_pcap_path(cfg, map, "rx", &p->rx, err)) ||
            (ret = read_pcap_path(cfg, map, "tx", &p->tx, err)))
            return ret;
    } else if ((ret = read_live_port(p, map, err))) {
        return ret;
    }
    if (cfg_node_get(map, "vlan"))
        return read_vlan(&p->vlan, cfg_node_get(map, "vlan"), err);
    return 0;
}

static int
read_ports(struct xsw_config *cfg, const struct cfg_node *list,
           struct xsw_err *err)
{
    uint32_t i;
    int ret;

    if (!list)
        return xsw_err_set(err, -EINVAL, "%s: missing key 'ports'",
                           cfg->tree->file);
    if ((ret = cfg_node_expect(list, CFG_SEQ, err)))
        return ret;
    if (list->n == 0 || list->n > CONFIG_PORTS_MAX)
        return cfg_node_error(list, err, -EINVAL,
                              "a switch has 1 to %d ports, found %u",
                              CONFIG_PORTS_MAX, list->n);
    cfg->ports = calloc(list->n, sizeof *cfg->ports);
    if (!cfg->ports)
        return -ENOMEM;
    for (i = 0; i < list->n; i++) {
        ret = read_port(cfg, &cfg->ports[i], list->items[i], err);
        cfg->n_ports++; /* Counted even when failing, so it is freed. */
        if (ret)
            return ret;
    }
    if ((ret = check_port_mix(cfg, err)))
        return ret;
    return check_capture_paths(cfg, err);
}

/* A module named by path ('mods/acl.so') is called 'acl' by default. */
static int
default_ext_name(const char *module, char **out)
{
    const char *base = strrchr(module, '/');
    size_t len;

    base = base ? base + 1 : module;
    len = strlen(base);
    if (len > 3 && !strcmp(base + len - 3, ".so"))
        len -= 3;
    *out = strndup(base, len);
    return *out ? 0 : -ENOMEM;
}

static int
read_ext(struct xsw_config *cfg, struct ext_config *e,
         const struct cfg_node *map, struct xsw_err *err)
{
    const struct cfg_node *m;
    const char *module;
    char *dflt;
    uint32_t i;
    int ret;

    e->node = map;
    if ((ret = cfg_node_expect(map, CFG_MAP, err)) ||
        (ret = cfg_node_check_keys(map, ext_keys, err)) ||
        (ret = cfg_node_str(map, "module", NULL, &module, err)))
        return ret;
    m = cfg_node_get(map, "module");
    if (!module || !module[0])
        return cfg_node_error(m ? m : map, err, -EINVAL,
                              "missing key 'module'");
    e->module = strdup(module);
    if (!e->module || (ret = default_ext_name(module, &dflt)))
        return -ENOMEM;
    ret = read_name(map, "name", dflt, &e->name, err);
    free(dflt);
    if (ret)
        return ret;
    for (i = 0; i < cfg->n_exts; i++)
        if (!strcmp(cfg->exts[i].name, e->name))
            return cfg_node_error(map, err, -EEXIST,
                                  "duplicate extension name '%s' (give "
                                  "one of them a 'name:')",
                                  e->name);
    if ((ret = cfg_node_bool(map, "enabled", true, &e->enabled, err)))
        return ret;
    e->config = cfg_node_get(map, "config");
    return 0;
}

static int
read_exts(struct xsw_config *cfg, const struct cfg_node *list,
          struct xsw_err *err)
{
    uint32_t i;
    int ret;

    if (!list)
        return 0;
    if ((ret = cfg_node_expect(list, CFG_SEQ, err)))
        return ret;
    if (list->n > CONFIG_EXTS_MAX)
        return cfg_node_error(list, err, -EINVAL,
                              "at most %d extensions, found %u",
                              CONFIG_EXTS_MAX, list->n);
    cfg->exts = calloc(list->n ? list->n : 1, sizeof *cfg->exts);
    if (!cfg->exts)
        return -ENOMEM;
    for (i = 0; i < list->n; i++) {
        ret = read_ext(cfg, &cfg->exts[i], list->items[i], err);
        cfg->n_exts++;
        if (ret)
            return ret;
    }
    return 0;
}

int
config_load(const char *file, struct xsw_config **out, struct xsw_err *err)
{
    struct xsw_config *cfg = calloc(1, sizeof *cfg);
    const struct cfg_node *root;
    int ret;

    *out = NULL;
    if (!cfg)
        return xsw_err_set(err, -ENOMEM, "%s: out of memory", file);
    cfg->tree = cfg_tree_load(file, err);
    if (!cfg->tree) {
        free(cfg);
        return err && err->code ? err->code : -EINVAL;
    }
    root = cfg->tree->root;
    if (!root) {
        ret = xsw_err_set(err, -EINVAL, "%s: the file is empty", file);
        goto err_free;
    }
    if ((ret = cfg_node_expect(root, CFG_MAP, err)) ||
        (ret = cfg_node_check_keys(root, top_keys, err)) ||
        (ret = read_switch(cfg, cfg_node_get(root, "switch"), err)) ||
        (ret = read_security(cfg, cfg_node_get(root, "security"), err)) ||
        (ret = read_control(cfg, cfg_node_get(root, "control"), err)) ||
        (ret = read_log(cfg, cfg_node_get(root, "log"), err)) ||
        (ret =
             read_ext_path(cfg, cfg_node_get(root, "extension_path"), err)) ||
        (ret = read_ports(cfg, cfg_node_get(root, "ports"), err)) ||
        (ret = read_exts(cfg, cfg_node_get(root, "extensions"), err)))
        goto err_free;
    *out = cfg;
    return 0;

err_free:
    if (ret == -ENOMEM && err && !err->msg[0])
        xsw_err_set(err, ret, "%s: out of memory", file);
    config_free(cfg);
    return ret;
}

void
config_free(struct xsw_config *cfg)
{
    uint32_t i;

    if (!cfg)
        return;
    for (i = 0; i < cfg->n_ports; i++) {
        free(cfg->ports[i].name);
        free(cfg->ports[i].type);
        free(cfg->ports[i].rx);
        free(cfg->ports[i].tx);
        free(cfg->ports[i].device);
        free(cfg->ports[i].netns);
    }
    for (i = 0; i < cfg->n_exts; i++) {
        free(cfg->exts[i].module);
        free(cfg->exts[i].name);
    }
    for (i = 0; i < cfg->n_ext_path; i++)
        free(cfg->ext_path[i]);
    free(cfg->ext_path);
    free(cfg->ports);
    free(cfg->exts);
    free(cfg->name);
    free(cfg->control_socket);
    free(cfg->control_group);
    cfg_tree_free(cfg->tree);
    free(cfg);
}

const struct port_config *
config_find_port(const struct xsw_config *cfg, const char *name)
{
    uint32_t i;

    for (i = 0; i < cfg->n_ports; i++)
        if (!strcmp(cfg->ports[i].name, name))
            return &cfg->ports[i];
    return NULL;
}

const struct ext_config *
config_find_ext(const struct xsw_config *cfg, const char *name)
{
    uint32_t i;

    for (i = 0; i < cfg->n_exts; i++)
        if (!strcmp(cfg->exts[i].name, name))
            return &cfg->exts[i];
    return NULL;
}
