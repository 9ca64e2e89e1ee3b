/* Configuration tree
 * ==================
 * The YAML file, read once with libyaml into a tree of nodes that remember
 * where they came from (line and column, 1-based) and how to name
 * themselves ('ports[2].vlan.mode').  Both the switch's own schema
 * (config.c) and the extensions' typed getters (the SDK's cfg_* host calls)
 * read this tree, so every error anywhere in the file is reported the same
 * way: 'file:line:col: key.path: what is wrong'.
 *
 * Only plain YAML is accepted: scalars, sequences and mappings.  Anchors and
 * aliases are refused (a switch config has no use for them and they allow
 * exponential expansion), as are duplicate keys in one mapping (a misspelt
 * copy would otherwise silently win).  The tree is immutable once read. */
#ifndef XSW_CFGTREE_H
#define XSW_CFGTREE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

enum cfg_kind { CFG_SCALAR = 1, CFG_SEQ = 2, CFG_MAP = 3 };

struct cfg_node {
    enum cfg_kind kind;
    uint32_t line, col;           /* Where the node starts, 1-based. */
    const struct cfg_node *parent;
    const char *key;              /* Name under a map parent, else NULL. */
    uint32_t key_line, key_col;   /* Where that name is written. */
    uint32_t index;               /* Position under a seq parent. */
    const char *text;             /* Scalars: the value. */
    bool quoted;                  /* Scalars: written in quotes. */
    uint32_t n;                   /* Children of seqs and maps. */
    struct cfg_node **items;      /* Seq items / map values. */
    const struct cfg_tree *tree;  /* For the file name in errors. */
};

struct cfg_tree {
    char *file;                   /* As given. */
    char *dir;                    /* Its directory, for relative paths. */
    struct cfg_node *root;        /* NULL for an empty document. */
};

struct cfg_tree *cfg_tree_load(const char *file, struct xsw_err *);
struct cfg_tree *cfg_tree_parse(const char *file, const char *text,
                                uint64_t size, struct xsw_err *);
void cfg_tree_free(struct cfg_tree *);          /* NULL is a no-op. */

const struct cfg_node *cfg_node_get(const struct cfg_node *map,
                                    const char *key);
int cfg_node_check_keys(const struct cfg_node *map,
                        const char *const *allowed, struct xsw_err *);

/* Formats 'file:line:col: path: msg' into 'err' and returns 'code'. */
int cfg_node_error(const struct cfg_node *, struct xsw_err *, int code,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same, located at the node's key (for errors about the key itself). */
int cfg_node_key_error(const struct cfg_node *, struct xsw_err *, int code,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void cfg_node_path(const struct cfg_node *, char *buf, uint32_t size);

/* Typed readers: absent ('node' NULL or key missing) gives 'def'. */
int cfg_node_u64(const struct cfg_node *map, const char *key, uint64_t def,
                 uint64_t min, uint64_t max, uint64_t *out, struct xsw_err *);
int cfg_node_bool(const struct cfg_node *map, const char *key, bool def,
                  bool *out, struct xsw_err *);
int cfg_node_str(const struct cfg_node *map, const char *key,
                 const char *def, const char **out, struct xsw_err *);
int cfg_node_expect(const struct cfg_node *, enum cfg_kind, struct xsw_err *);
int cfg_scalar_u64(const struct cfg_node *, uint64_t min, uint64_t max,
                   uint64_t *out, struct xsw_err *);
const char *cfg_kind_name(enum cfg_kind);

/* The same value: kinds, scalars (text and quoting), keys in the same
 * order, items; lines and columns do not matter.  NULL equals NULL. */
bool cfg_node_equal(const struct cfg_node *, const struct cfg_node *);

#endif
