/* Control commands for ports and the MAC table (ctl_cmd.h).  A port's
 * VLAN policy travels as {"mode": "access", "vid": 10} or {"mode": "trunk",
 * "allowed": "10,20,100-199", "native": 1}: the allowed list in the same
 * LOW-HIGH range syntax as the config, and as xswctl takes it. */
#include "ctl_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "fdb.h"
#include "port.h"
#include "summary.h"

#define VID_MIN 1
#define VID_MAX 4094
#define VID_LIST_MAX (5 * 4094) /* "1,3,5,...": the longest list. */

/* --- VLAN lists ------------------------------------------------------- */

static void
vid_allow(struct vlan_config *v, uint32_t vid)
{
    v->allowed[vid >> 3] |= (uint8_t) (1u << (vid & 7));
}

/* "10,20,100-199" (or "all") into the bits of 'v'. */
static int
vid_list_parse(struct ctl_call *c, const char *s, struct vlan_config *v)
{
    unsigned long lo, hi;
    const char *p = s;
    char *end;

    if (!strcmp(s, "all")) {
        for (lo = VID_MIN; lo <= VID_MAX; lo++)
            vid_allow(v, (uint32_t) lo);
        return 0;
    }
    do {
        if (*p < '0' || *p > '9')
            goto bad;
        lo = hi = strtoul(p, &end, 10);
        if (*end == '-') {
            if (end[1] < '0' || end[1] > '9')
                goto bad;
            hi = strtoul(end + 1, &end, 10);
        }
        if (*end && *end != ',')
            goto bad;
        if (lo < VID_MIN || hi > VID_MAX || lo > hi)
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: vlan.allowed: '%.*s' is not a VLAN or "
                               "range in [1, 4094]",
                               c->cmd, (int) (end - p), p);
        for (; lo <= hi; lo++)
            vid_allow(v, (uint32_t) lo);
        p = end + (*end == ',');
    } while (*end);
    return 0;
bad:
    return xsw_err_set(&c->err, -EINVAL,
                       "%s: vlan.allowed: bad list '%s' (expected VIDs and "
                       "LOW-HIGH ranges separated by commas, or 'all')",
                       c->cmd, s);
}

/* The allowed VLANs as "10,20,100-199"; a new string. */
static json_t *
vid_list_json(const struct vlan_config *v)
{
    char *buf = malloc(VID_LIST_MAX + 1);
    size_t used = 0;
    uint32_t lo, hi;
    json_t *j;

    if (!buf)
        return NULL;
    buf[0] = '\0';
    for (lo = VID_MIN; lo <= VID_MAX; lo = hi + 1) {
        hi = lo;
        if (!vlan_config_allows(v, (uint16_t) lo))
            continue;
        while (hi < VID_MAX && vlan_config_allows(v, (uint16_t) (hi + 1)))
            hi++;
        used += (size_t) snprintf(buf + used, VID_LIST_MAX + 1 - used,
                                  hi > lo ? "%s%u-%u" : "%s%u",
                                  used ? "," : "", lo, hi);
    }
    j = json_string(buf);
    free(buf);
    return j;
}

static json_t *
vlan_json(const struct vlan_config *v)
{
    json_t *o;

    if (v->mode == VLAN_ACCESS)
        return json_pack("{s:s, s:i}", "mode", "access", "vid", v->vid);
    o = json_pack("{s:s, s:o}", "mode", "trunk", "allowed", vid_list_json(v));
    if (o && v->native)
        json_object_set_new(o, "native", json_integer(v->native));
    return o;
}

/* --- Ports ------------------------------------------------------------ */

static json_t *
port_json(const struct port *p)
{
    json_t *o = summary_port_json(p);

    if (!o)
        return NULL;
    json_object_set_new(o, "admin", json_string(p->admin_up ? "up" : "down"));
    json_object_set_new(o, "vlan", vlan_json(&p->vlan));
    return o;
}

int
ctl_port_list(struct ctl_call *c)
{
    json_t *a = json_array();
    uint32_t i;

    for (i = 0; i < dp_port_count(c->dp); i++)
        json_array_append_new(a, port_json(dp_port(c->dp, i)));
    c->result = json_pack("{s:o}", "ports", a);
    return 0;
}

int
ctl_port_show(struct ctl_call *c)
{
    uint32_t id;
    int ret = ctl_arg_port(c, "name", true, &id);

    if (ret)
        return ret;
    c->result = port_json(dp_port(c->dp, id));
    return 0;
}

/* {"mode": ..., "vid" | "allowed", "native"} into 'v'. */
static int
vlan_parse(struct ctl_call *c, json_t *j, struct vlan_config *v)
{
    const char *mode = NULL, *allowed = "all", *key;
    json_int_t vid = 0, native = 0;
    json_t *val;

    memset(v, 0, sizeof *v);
    if (!json_is_object(j))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: argument 'vlan' must be an object", c->cmd);
    json_object_foreach(j, key, val)
    {
        if (!strcmp(key, "mode") && json_is_string(val))
            mode = json_string_value(val);
        else if (!strcmp(key, "vid") && json_is_integer(val))
            vid = json_integer_value(val);
        else if (!strcmp(key, "native") && json_is_integer(val))
            native = json_integer_value(val);
        else if (!strcmp(key, "allowed") && json_is_string(val))
            allowed = json_string_value(val);
        else
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: vlan.%s: unknown key or wrong type "
                               "(keys: mode, vid, allowed, native)",
                               c->cmd, key);
    }
    if (!mode || (strcmp(mode, "access") && strcmp(mode, "trunk")))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: vlan.mode must be 'access' or 'trunk'",
                           c->cmd);
    if (!strcmp(mode, "access")) {
        if (native || json_object_get(j, "allowed"))
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: an access port takes only vlan.vid",
                               c->cmd);
        if (vid < VID_MIN || vid > VID_MAX)
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: vlan.vid: %lld is out of range [1, 4094]",
                               c->cmd, (long long) vid);
        v->mode = VLAN_ACCESS;
        v->vid = (uint16_t) vid;
        return 0;
    }
    if (json_object_get(j, "vid"))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: a trunk port takes vlan.allowed and "
                           "vlan.native, not vlan.vid",
                           c->cmd);
    if (json_object_get(j, "native") && (native < VID_MIN || native > VID_MAX))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: vlan.native: %lld is out of range [1, 4094]",
                           c->cmd, (long long) native);
    v->mode = VLAN_TRUNK;
    v->native = (uint16_t) native;
    if (native)
        vid_allow(v, (uint32_t) native); /* Implicitly allowed. */
    return vid_list_parse(c, allowed, v);
}

int
ctl_port_set(struct ctl_call *c)
{
    struct vlan_config v;
    const char *admin = NULL;
    json_t *vlan = json_object_get(c->args, "vlan");
    int flushed = 0, ret;
    uint32_t id;

    if ((ret = ctl_arg_port(c, "name", true, &id)) < 0 ||
        (ret = ctl_arg_string(c, "admin", false, &admin)) < 0)
        return ret;
    if (!admin && !vlan)
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: nothing to set (arguments: admin, vlan)",
                           c->cmd);
    if (admin && strcmp(admin, "up") && strcmp(admin, "down"))
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: admin must be 'up' or 'down', not '%s'",
                           c->cmd, admin);
    /* Check everything before changing anything. */
    if (vlan && (ret = vlan_parse(c, vlan, &v)))
        return ret;
    if (admin)
        dp_port_set_admin(c->dp, id, !strcmp(admin, "up"));
    if (vlan && (flushed = dp_port_set_vlan(c->dp, id, &v)) < 0)
        return xsw_err_set(&c->err, flushed, "%s: bad VLAN policy", c->cmd);
    c->result = port_json(dp_port(c->dp, id));
    json_object_set_new(c->result, "fdb_flushed", json_integer(flushed));
    return 0;
}

/* --- MAC table -------------------------------------------------------- */

/* The optional port and vlan filters; -1 where absent. */
static int
fdb_filter(struct ctl_call *c, int32_t *port, int32_t *vlan)
{
    uint32_t id;
    int64_t vid;
    int ret;

    *port = *vlan = -1;
    if ((ret = ctl_arg_port(c, "port", false, &id)) < 0)
        return ret;
    if (!ret)
        *port = (int32_t) id;
    if ((ret = ctl_arg_int(c, "vlan", false, VID_MIN, VID_MAX, &vid)) < 0)
        return ret;
    if (!ret)
        *vlan = (int32_t) vid;
    return 0;
}

struct fdb_walk {
    const struct dp *dp;
    int32_t port, vlan;
    json_t *entries;
};

static void
fdb_entry_add(void *arg, const struct fdb_entry_info *e)
{
    struct fdb_walk *w = arg;
    char mac[18];

    if ((w->port >= 0 && e->port != w->port) ||
        (w->vlan >= 0 && e->vlan != w->vlan))
        return;
    snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0],
             e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
    json_array_append_new(
        w->entries,
        json_pack("{s:s, s:i, s:s, s:I}", "mac", mac, "vlan", e->vlan, "port",
                  dp_port(w->dp, e->port) ? dp_port(w->dp, e->port)->name
                                          : "?",
                  "idle_ns", (json_int_t) e->idle_ns));
}

int
ctl_fdb_show(struct ctl_call *c)
{
    struct fdb_walk w = {.dp = c->dp, .entries = json_array()};
    int ret = fdb_filter(c, &w.port, &w.vlan);

    if (ret) {
        json_decref(w.entries);
        return ret;
    }
    fdb_foreach(dp_fdb(c->dp), dp_now(c->dp), fdb_entry_add, &w);
    c->result = json_pack("{s:I, s:o}", "count",
                          (json_int_t) json_array_size(w.entries), "entries",
                          w.entries);
    return 0;
}

int
ctl_fdb_flush(struct ctl_call *c)
{
    int32_t port, vlan;
    int ret = fdb_filter(c, &port, &vlan);

    if (ret)
        return ret;
    c->result = json_pack("{s:I}", "flushed",
                          (json_int_t) dp_fdb_flush(c->dp, port, vlan));
    return 0;
}
