/* Control commands for extensions (ctl_cmd.h): list, enable, disable,
 * move, and 'call', which hands words to the extension's own control hook
 * (xsw_extension.control) and returns the text it writes. */
#include "ctl_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "ext.h"
#include "summary.h"

#define CTL_EXT_ARGV_MAX 64    /* Words in an 'ext call'. */
#define CTL_EXT_OUT_SIZE 65536 /* Bytes of its reply text, with NUL.*/

/* The extension named by argument 'key'. */
static int
arg_ext(struct ctl_call *c, const char *key, struct ext **out)
{
    const char *name;
    int ret = ctl_arg_string(c, key, true, &name);

    if (ret)
        return ret;
    *out = dp_ext_find(c->dp, name);
    if (!*out)
        return xsw_err_set(&c->err, -ENOENT, "extension '%s' does not exist",
                           name);
    return 0;
}

static json_t *
ext_json(const struct dp *dp, uint32_t pos)
{
    json_t *o = summary_ext_json(dp_ext(dp, pos));

    if (o)
        json_object_set_new(o, "position", json_integer(pos + 1));
    return o;
}

static uint32_t
ext_position(const struct dp *dp, const struct ext *e)
{
    uint32_t i;

    for (i = 0; i < dp_ext_count(dp) && dp_ext(dp, i) != e; i++)
        continue;
    return i;
}

int
ctl_ext_list(struct ctl_call *c)
{
    json_t *a = json_array();
    uint32_t i;

    for (i = 0; i < dp_ext_count(c->dp); i++)
        json_array_append_new(a, ext_json(c->dp, i));
    c->result = json_pack("{s:o}", "extensions", a);
    return 0;
}

static int
set_enabled(struct ctl_call *c, bool enabled)
{
    struct ext *e;
    int ret = arg_ext(c, "name", &e);

    if (ret || (ret = dp_ext_set_enabled(c->dp, e, enabled, &c->err)))
        return ret;
    c->result = ext_json(c->dp, ext_position(c->dp, e));
    return 0;
}

int
ctl_ext_enable(struct ctl_call *c)
{
    return set_enabled(c, true);
}

int
ctl_ext_disable(struct ctl_call *c)
{
    return set_enabled(c, false);
}

int
ctl_ext_move(struct ctl_call *c)
{
    bool before = json_object_get(c->args, "before") != NULL;
    bool after = json_object_get(c->args, "after") != NULL;
    struct ext *e, *other;
    json_t *order;
    uint32_t i;
    int ret;

    if (before == after)
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: give exactly one of 'before' and 'after'",
                           c->cmd);
    if ((ret = arg_ext(c, "name", &e)) ||
        (ret = arg_ext(c, before ? "before" : "after", &other)))
        return ret;
    if (e == other)
        return xsw_err_set(&c->err, -EINVAL, "%s: cannot move '%s' %s itself",
                           c->cmd, e->name, before ? "before" : "after");
    dp_ext_move(c->dp, e, other, after);
    order = json_array();
    for (i = 0; i < dp_ext_count(c->dp); i++)
        json_array_append_new(order, json_string(dp_ext(c->dp, i)->name));
    c->result = json_pack("{s:o}", "order", order);
    return 0;
}

/* The words of 'argv' (borrowed from the request) into 'words'. */
static int
call_words(struct ctl_call *c, const char **words, uint32_t *n)
{
    json_t *a = json_object_get(c->args, "argv"), *w;
    size_t i;

    if (!json_is_array(a) || json_array_size(a) == 0)
        return xsw_err_set(&c->err, -EINVAL,
                           "%s: argument 'argv' must be a non-empty array of "
                           "strings (the extension's command and its "
                           "arguments)",
                           c->cmd);
    if (json_array_size(a) > CTL_EXT_ARGV_MAX)
        return xsw_err_set(&c->err, -E2BIG, "%s: more than %d words", c->cmd,
                           CTL_EXT_ARGV_MAX);
    json_array_foreach(a, i, w)
    {
        if (!json_is_string(w))
            return xsw_err_set(&c->err, -EINVAL,
                               "%s: argv[%zu] must be a string", c->cmd, i);
        words[i] = json_string_value(w);
    }
    *n = (uint32_t) json_array_size(a);
    return 0;
}

int
ctl_ext_call(struct ctl_call *c)
{
    const char *words[CTL_EXT_ARGV_MAX];
    struct ext *e;
    uint32_t n = 0;
    char *out;
    int ret;

    if ((ret = arg_ext(c, "name", &e)) || (ret = call_words(c, words, &n)))
        return ret;
    if (!e->created || !e->desc.control)
        return xsw_err_set(&c->err, -EOPNOTSUPP,
                           "extension '%s' has no control commands", e->name);
    out = calloc(1, CTL_EXT_OUT_SIZE);
    if (!out)
        return xsw_err_set(&c->err, -ENOMEM, "out of memory");
    e->error[0] = '\0';
    ret = e->desc.control(e->state, n, words, out, CTL_EXT_OUT_SIZE);
    out[CTL_EXT_OUT_SIZE - 1] = '\0';
    if (ret)
        ret = xsw_err_set(&c->err, ret < 0 ? ret : -EIO, "%s: %s", e->name,
                          e->error[0] ? e->error
                                      : strerror(ret < 0 ? -ret : ret));
    else if (!(c->result = json_pack("{s:s}", "output", out)))
        ret = xsw_err_set(&c->err, -EIO, "%s: its reply is not UTF-8 text",
                          e->name);
    free(out);
    return ret;
}
