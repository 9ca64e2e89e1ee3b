#include "cfgtree.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define CFG_MAX_DEPTH 64          /* Nesting deeper than this is refused. */
#define CFG_MAX_FILE_SIZE (64u << 20)

struct builder {
    struct cfg_tree *tree;
    yaml_parser_t parser;
    struct xsw_err *err;
};

static void node_free(struct cfg_node *);
static int build_node(struct builder *, yaml_event_t *, uint32_t depth,
                      struct cfg_node **out);

struct cfg_tree *
cfg_tree_load(const char *file, struct xsw_err *err)
{
    struct cfg_tree *tree;
    FILE *f = fopen(file, "rb");
    char *text;
    long size;

    if (!f) {
        xsw_err_set(err, -errno, "%s: %s", file, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET)) {
        xsw_err_set(err, -EIO, "%s: cannot read: %s", file, strerror(errno));
        fclose(f);
        return NULL;
    }
    if ((unsigned long) size > CFG_MAX_FILE_SIZE) {
        xsw_err_set(err, -EFBIG, "%s: larger than %u MiB", file,
                    CFG_MAX_FILE_SIZE >> 20);
        fclose(f);
        return NULL;
    }
    text = malloc((size_t) size + 1);
    if (!text || fread(text, 1, (size_t) size, f) != (size_t) size) {
        xsw_err_set(err, -EIO, "%s: cannot read", file);
        free(text);
        fclose(f);
        return NULL;
    }
    fclose(f);
    tree = cfg_tree_parse(file, text, (uint64_t) size, err);
    free(text);
    return tree;
}

static int
yaml_error(struct builder *b)
{
    const yaml_parser_t *p = &b->parser;

    return xsw_err_set(b->err, -EINVAL, "%s:%zu:%zu: invalid YAML: %s%s%s",
                       b->tree->file, p->problem_mark.line + 1,
                       p->problem_mark.column + 1,
                       p->problem ? p->problem : "syntax error",
                       p->context ? " " : "", p->context ? p->context : "");
}

static int
next_event(struct builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return yaml_error(b);
    return 0;
}

static struct cfg_node *
node_new(struct builder *b, enum cfg_kind kind, const yaml_event_t *ev)
{
    struct cfg_node *n = calloc(1, sizeof *n);

    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (uint32_t) ev->start_mark.line + 1;
    n->col = (uint32_t) ev->start_mark.column + 1;
    n->tree = b->tree;
    return n;
}

static int
node_append(struct cfg_node *parent, struct cfg_node *child)
{
    struct cfg_node **items;

    items = realloc(parent->items, (parent->n + 1) * sizeof *items);
    if (!items)
        return -ENOMEM;
    parent->items = items;
    child->parent = parent;
    child->index = parent->n;
    items[parent->n++] = child;
    return 0;
}

static int
refuse_alias(struct builder *b, const yaml_event_t *ev)
{
    return xsw_err_set(b->err, -EINVAL,
                       "%s:%zu:%zu: YAML anchors and aliases are not "
                       "supported",
                       b->tree->file, ev->start_mark.line + 1,
                       ev->start_mark.column + 1);
}

/* Reads the children of a sequence or mapping up to its end event. */
static int
build_children(struct builder *b, struct cfg_node *n, uint32_t depth)
{
    yaml_event_t ev;
    struct cfg_node *child, *key;
    int ret;

    for (;;) {
        if ((ret = next_event(b, &ev)))
            return ret;
        if (ev.type == YAML_SEQUENCE_END_EVENT
            || ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        key = NULL;
        if (n->kind == CFG_MAP) {
            if ((ret = build_node(b, &ev, depth + 1, &key)))
                return ret;
            if (key->kind != CFG_SCALAR) {
                ret = cfg_node_error(key, b->err, -EINVAL,
                                     "a mapping key must be a plain string");
                node_free(key);
                return ret;
            }
            if (cfg_node_get(n, key->text)) {
                key->parent = n;
                key->key = key->text;
                key->key_line = key->line;
                key->key_col = key->col;
                key->text = NULL;
                ret = cfg_node_key_error(key, b->err, -EINVAL,
                                         "duplicate key '%s'", key->key);
                node_free(key);
                return ret;
            }
            if ((ret = next_event(b, &ev))) {
                node_free(key);
                return ret;
            }
        }
        ret = build_node(b, &ev, depth + 1, &child);
        if (!ret && key) {
            child->key = key->text;
            child->key_line = key->line;
            child->key_col = key->col;
            key->text = NULL;
        }
        node_free(key);
        if (ret)
            return ret;
        if ((ret = node_append(n, child))) {
            node_free(child);
            return ret;
        }
    }
}

/* Builds the node that starts with 'ev' (consumed). */
static int
build_node(struct builder *b, yaml_event_t *ev, uint32_t depth,
           struct cfg_node **out)
{
    struct cfg_node *n = NULL;
    enum cfg_kind kind;
    int ret = 0;

    *out = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        kind = CFG_SCALAR;
        break;
    case YAML_SEQUENCE_START_EVENT:
        kind = CFG_SEQ;
        break;
    case YAML_MAPPING_START_EVENT:
        kind = CFG_MAP;
        break;
    case YAML_ALIAS_EVENT:
        ret = refuse_alias(b, ev);
        goto out;
    default:
        ret = xsw_err_set(b->err, -EINVAL, "%s:%zu:%zu: unexpected YAML",
                          b->tree->file, ev->start_mark.line + 1,
                          ev->start_mark.column + 1);
        goto out;
    }
    if ((kind == CFG_SCALAR && ev->data.scalar.anchor)
        || (kind == CFG_SEQ && ev->data.sequence_start.anchor)
        || (kind == CFG_MAP && ev->data.mapping_start.anchor)) {
        ret = refuse_alias(b, ev);
        goto out;
    }
    if (depth > CFG_MAX_DEPTH) {
        ret = xsw_err_set(b->err, -EINVAL,
                          "%s:%zu:%zu: nested deeper than %d levels",
                          b->tree->file, ev->start_mark.line + 1,
                          ev->start_mark.column + 1, CFG_MAX_DEPTH);
        goto out;
    }
    n = node_new(b, kind, ev);
    if (!n) {
        ret = xsw_err_set(b->err, -ENOMEM, "%s: out of memory",
                          b->tree->file);
        goto out;
    }
    if (kind == CFG_SCALAR) {
        n->text = strndup((const char *) ev->data.scalar.value,
                          ev->data.scalar.length);
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        if (!n->text)
            ret = -ENOMEM;
    } else {
        yaml_event_delete(ev);
        ret = build_children(b, n, depth);
        if (ret)
            node_free(n);
        else
            *out = n;
        return ret;
    }
out:
    yaml_event_delete(ev);
    if (ret)
        node_free(n);
    else
        *out = n;
    return ret;
}

static int
build_document(struct builder *b)
{
    yaml_event_t ev;
    int ret;

    /* STREAM_START, then DOCUMENT_START or STREAM_END. */
    if ((ret = next_event(b, &ev)))
        return ret;
    yaml_event_delete(&ev);
    if ((ret = next_event(b, &ev)))
        return ret;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return 0;
    }
    yaml_event_delete(&ev);
    if ((ret = next_event(b, &ev)))
        return ret;
    if ((ret = build_node(b, &ev, 0, &b->tree->root)))
        return ret;
    if ((ret = next_event(b, &ev)))   /* DOCUMENT_END */
        return ret;
    yaml_event_delete(&ev);
    if ((ret = next_event(b, &ev)))
        return ret;
    if (ev.type != YAML_STREAM_END_EVENT)
        ret = xsw_err_set(b->err, -EINVAL,
                          "%s:%zu:%zu: only one YAML document is allowed",
                          b->tree->file, ev.start_mark.line + 1,
                          ev.start_mark.column + 1);
    yaml_event_delete(&ev);
    return ret;
}

struct cfg_tree *
cfg_tree_parse(const char *file, const char *text, uint64_t size,
               struct xsw_err *err)
{
    struct builder b = {.err = err};
    char *copy;
    int ret;

    b.tree = calloc(1, sizeof *b.tree);
    if (!b.tree || !(b.tree->file = strdup(file))
        || !(copy = strdup(file))) {
        xsw_err_set(err, -ENOMEM, "%s: out of memory", file);
        cfg_tree_free(b.tree);
        return NULL;
    }
    b.tree->dir = strdup(dirname(copy));
    free(copy);
    if (!b.tree->dir || !yaml_parser_initialize(&b.parser)) {
        xsw_err_set(err, -ENOMEM, "%s: out of memory", file);
        cfg_tree_free(b.tree);
        return NULL;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *) text,
                                 (size_t) size);
    ret = build_document(&b);
    yaml_parser_delete(&b.parser);
    if (ret) {
        if (ret == -ENOMEM && err && !err->msg[0])
            xsw_err_set(err, ret, "%s: out of memory", file);
        cfg_tree_free(b.tree);
        return NULL;
    }
    return b.tree;
}

static void
node_free(struct cfg_node *n)
{
    uint32_t i;

    if (!n)
        return;
    for (i = 0; i < n->n; i++)
        node_free(n->items[i]);
    free(n->items);
    free((char *) n->key);
    free((char *) n->text);
    free(n);
}

void
cfg_tree_free(struct cfg_tree *tree)
{
    if (!tree)
        return;
    node_free(tree->root);
    free(tree->file);
    free(tree->dir);
    free(tree);
}

const struct cfg_node *
cfg_node_get(const struct cfg_node *map, const char *key)
{
    uint32_t i;

    if (!map || map->kind != CFG_MAP)
        return NULL;
    for (i = 0; i < map->n; i++)
        if (!strcmp(map->items[i]->key, key))
            return map->items[i];
    return NULL;
}

int
cfg_node_check_keys(const struct cfg_node *map, const char *const *allowed,
                    struct xsw_err *err)
{
    const char *const *a;
    uint32_t i;
    int ret;

    if (!map)
        return 0;
    if ((ret = cfg_node_expect(map, CFG_MAP, err)))
        return ret;
    for (i = 0; i < map->n; i++) {
        for (a = allowed; *a && strcmp(*a, map->items[i]->key); a++)
            continue;
        if (!*a) {
            char list[256] = "";
            size_t used = 0;

            for (a = allowed; *a && used < sizeof list; a++)
                used += (size_t) snprintf(list + used, sizeof list - used,
                                          "%s%s", a == allowed ? "" : ", ",
                                          *a);
            return cfg_node_key_error(map->items[i], err, -EINVAL,
                                  "unknown key '%s' (expected one of: %s)",
                                  map->items[i]->key, list);
        }
    }
    return 0;
}

void
cfg_node_path(const struct cfg_node *n, char *buf, uint32_t size)
{
    char part[160], rest[512];

    buf[0] = '\0';
    if (!n || !n->parent)
        return;
    cfg_node_path(n->parent, rest, sizeof rest);
    if (n->key)
        snprintf(part, sizeof part, "%s%s", rest[0] ? "." : "", n->key);
    else
        snprintf(part, sizeof part, "[%" PRIu32 "]", n->index);
    snprintf(buf, size, "%s%s", rest, part);
}

static int located_error(const struct cfg_node *, uint32_t line,
                         uint32_t col, struct xsw_err *, int code,
                         const char *fmt, va_list)
    __attribute__((format(printf, 6, 0)));

static int
located_error(const struct cfg_node *n, uint32_t line, uint32_t col,
              struct xsw_err *err, int code, const char *fmt, va_list ap)
{
    char path[512], msg[XSW_ERR_MAX];

    vsnprintf(msg, sizeof msg, fmt, ap);
    cfg_node_path(n, path, sizeof path);
    return xsw_err_set(err, code, "%s:%" PRIu32 ":%" PRIu32 ": %s%s%s",
                       n->tree->file, line, col, path, path[0] ? ": " : "",
                       msg);
}

int
cfg_node_error(const struct cfg_node *n, struct xsw_err *err, int code,
               const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = located_error(n, n->line, n->col, err, code, fmt, ap);
    va_end(ap);
    return code;
}

int
cfg_node_key_error(const struct cfg_node *n, struct xsw_err *err, int code,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = located_error(n, n->key ? n->key_line : n->line,
                         n->key ? n->key_col : n->col, err, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *
cfg_kind_name(enum cfg_kind kind)
{
    return kind == CFG_SCALAR ? "a scalar"
           : kind == CFG_SEQ  ? "a list"
                              : "a mapping";
}

int
cfg_node_expect(const struct cfg_node *n, enum cfg_kind kind,
                struct xsw_err *err)
{
    if (n->kind == kind)
        return 0;
    return cfg_node_error(n, err, -EINVAL, "expected %s, found %s",
                          cfg_kind_name(kind), cfg_kind_name(n->kind));
}

int
cfg_scalar_u64(const struct cfg_node *n, uint64_t min, uint64_t max,
               uint64_t *out, struct xsw_err *err)
{
    const char *p;
    uint64_t v = 0, base = 10;
    bool ok;
    int ret;

    if ((ret = cfg_node_expect(n, CFG_SCALAR, err)))
        return ret;
    /* Decimal, or hexadecimal after 0x; a leading zero is not octal
     * ("010" is ten), as in xsw/field.h.  No sign, blanks or exponent. */
    p = n->text;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    ok = !n->quoted && *p;
    for (; ok && *p; p++) {
        uint64_t d = *p >= '0' && *p <= '9'   ? (uint64_t) (*p - '0')
                     : *p >= 'a' && *p <= 'f' ? (uint64_t) (*p - 'a' + 10)
                     : *p >= 'A' && *p <= 'F' ? (uint64_t) (*p - 'A' + 10)
                                              : 16;

        ok = d < base && v <= (UINT64_MAX - d) / base;
        if (ok)
            v = v * base + d;
    }
    if (!ok)
        return cfg_node_error(n, err, -EINVAL,
                              "expected an integer, found '%s'", n->text);
    if (v < min || v > max)
        return cfg_node_error(n, err, -ERANGE,
                              "%" PRIu64 " is out of range [%" PRIu64
                              ", %" PRIu64 "]",
                              v, min, max);
    *out = v;
    return 0;
}

int
cfg_node_u64(const struct cfg_node *map, const char *key, uint64_t def,
             uint64_t min, uint64_t max, uint64_t *out, struct xsw_err *err)
{
    const struct cfg_node *n = cfg_node_get(map, key);

    if (!n) {
        *out = def;
        return 0;
    }
    return cfg_scalar_u64(n, min, max, out, err);
}

int
cfg_node_bool(const struct cfg_node *map, const char *key, bool def,
              bool *out, struct xsw_err *err)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    const struct cfg_node *n = cfg_node_get(map, key);
    int ret;
    size_t i;

    if (!n) {
        *out = def;
        return 0;
    }
    if ((ret = cfg_node_expect(n, CFG_SCALAR, err)))
        return ret;
    for (i = 0; i < 3; i++) {
        if (!strcasecmp(n->text, yes[i]) || !strcasecmp(n->text, no[i])) {
            *out = !strcasecmp(n->text, yes[i]);
            return 0;
        }
    }
    return cfg_node_error(n, err, -EINVAL,
                          "expected true or false, found '%s'", n->text);
}

int
cfg_node_str(const struct cfg_node *map, const char *key, const char *def,
             const char **out, struct xsw_err *err)
{
    const struct cfg_node *n = cfg_node_get(map, key);
    int ret;

    if (!n) {
        *out = def;
        return 0;
    }
    if ((ret = cfg_node_expect(n, CFG_SCALAR, err)))
        return ret;
    *out = n->text;
    return 0;
}

bool
cfg_node_equal(const struct cfg_node *a, const struct cfg_node *b)
{
    uint32_t i;

    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->n != b->n
        || (a->kind == CFG_SCALAR
            && (strcmp(a->text, b->text) || a->quoted != b->quoted)))
        return false;
    for (i = 0; i < a->n; i++) {
        const struct cfg_node *x = a->items[i], *y = b->items[i];

        if ((a->kind == CFG_MAP && strcmp(x->key, y->key))
            || !cfg_node_equal(x, y))
            return false;
    }
    return true;
}
