#include "drops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct drops {
    struct drop_reason *v;
    uint32_t n, cap;
    char **kept;           /* Copies of extensions' strings (keep()). */
    uint32_t n_kept, kept_cap;
};

static const struct drop_reason core_reasons[] = {
#define DROP_ROW(code, stage, text) {stage, NULL, text, 0, 0},
    DROPS_CORE(DROP_ROW)
#undef DROP_ROW
};

struct drops *
drops_create(void)
{
    struct drops *d = calloc(1, sizeof *d);
    uint32_t i;

    if (!d || !(d->v = calloc(DROP_N_CORE, sizeof *d->v))) {
        free(d);
        return NULL;
    }
    for (i = 0; i < DROP_N_CORE; i++)
        d->v[i] = core_reasons[i];
    d->n = d->cap = DROP_N_CORE;
    return d;
}

void
drops_destroy(struct drops *d)
{
    if (!d)
        return;
    while (d->n_kept)
        free(d->kept[--d->n_kept]);
    free(d->kept);
    free(d->v);
    free(d);
}

static const struct drop_reason misuse_reasons[] = {
#define DROP_ROW(code, stage, text) {stage, NULL, text, 0, 0},
    DROPS_MISUSE(DROP_ROW)
#undef DROP_ROW
};

/* Makes room for 'n' more reasons; returns the id of the first. */
static int
grow(struct drops *d, uint32_t n)
{
    struct drop_reason *v;

    if (d->n + n > UINT16_MAX)
        return -ENOSPC;
    if (d->n + n > d->cap) {
        v = realloc(d->v, (d->n + n) * sizeof *v);
        if (!v)
            return -ENOMEM;
        d->v = v;
        d->cap = d->n + n;
    }
    return (int) d->n;
}

/* A copy of 's' that lives as long as the table: an extension's reasons
 * are strings in its module, and a reload may unload the module while its
 * counts stay in the summary.  NULL when out of memory. */
static const char *
keep(struct drops *d, const char *s)
{
    char **v;

    if (d->n_kept == d->kept_cap) {
        uint32_t cap = d->kept_cap ? 2 * d->kept_cap : 16;

        if (!(v = realloc(d->kept, cap * sizeof *v)))
            return NULL;
        d->kept = v;
        d->kept_cap = cap;
    }
    if (!(d->kept[d->n_kept] = strdup(s)))
        return NULL;
    return d->kept[d->n_kept++];
}

/* The id of the first of 'n' rows equal to 'rows' (with extension 'ext'),
 * or -1: an instance that replaces another of the same name and reasons
 * (a reload) goes on counting in the same rows. */
static int
find_run(const struct drops *d, const char *ext,
         const struct drop_reason *rows, uint32_t n)
{
    uint32_t first, i;

    if (!n)
        return -1;
    for (first = DROP_N_CORE; first + n <= d->n; first++) {
        for (i = 0; i < n; i++) {
            const struct drop_reason *r = &d->v[first + i];

            if (!r->ext || strcmp(r->ext, ext)
                || strcmp(r->stage, rows[i].stage)
                || strcmp(r->reason, rows[i].reason))
                break;
        }
        if (i == n)
            return (int) first;
    }
    return -1;
}

/* Appends 'rows' for extension 'ext' (strings copied), or finds them. */
static int
add_run(struct drops *d, const char *ext, const struct drop_reason *rows,
        uint32_t n)
{
    int first = find_run(d, ext, rows, n);
    uint32_t i;

    if (first >= 0)
        return first;
    if ((first = grow(d, n)) < 0)
        return first;
    for (i = 0; i < n; i++) {
        struct drop_reason r = rows[i];

        r.ext = keep(d, ext);
        r.reason = keep(d, rows[i].reason);
        if (!r.ext || !r.reason)
            return -ENOMEM;
        r.count = r.copies = 0;
        d->v[d->n++] = r;
    }
    return first;
}

int
drops_register(struct drops *d, const char *ext, const char *const *reasons,
               uint32_t n)
{
    struct drop_reason *rows = calloc(n ? n : 1, sizeof *rows);
    uint32_t i;
    int first;

    if (!rows)
        return -ENOMEM;
    for (i = 0; i < n; i++)
        rows[i] = (struct drop_reason){"extension", ext,
                                       reasons[i] ? reasons[i] : "?", 0, 0};
    first = add_run(d, ext, rows, n);
    free(rows);
    return first;
}

int
drops_register_misuse(struct drops *d, const char *ext)
{
    return add_run(d, ext, misuse_reasons, MISUSE_N);
}

struct drop_reason *
drops_get(struct drops *d, uint32_t id)
{
    return id < d->n ? &d->v[id] : NULL;
}

uint32_t
drops_count(const struct drops *d)
{
    return d->n;
}

const char *
drops_describe(const struct drop_reason *r, char *buf, size_t size)
{
    if (r->ext && strcmp(r->stage, "extension"))
        snprintf(buf, size, "%s (%s): %s", r->stage, r->ext, r->reason);
    else
        snprintf(buf, size, "%s: %s", r->ext ? r->ext : r->stage, r->reason);
    return buf;
}
