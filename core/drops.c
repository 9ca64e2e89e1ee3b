#include "drops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct drops {
    struct drop_reason *v;
    uint32_t n, cap;
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

int
drops_register(struct drops *d, const char *ext, const char *const *reasons,
               uint32_t n)
{
    int first = grow(d, n);
    uint32_t i;

    for (i = 0; first >= 0 && i < n; i++)
        d->v[d->n++] = (struct drop_reason){"extension", ext,
                                            reasons[i] ? reasons[i] : "?", 0,
                                            0};
    return first;
}

int
drops_register_misuse(struct drops *d, const char *ext)
{
    int first = grow(d, MISUSE_N);
    uint32_t i;

    for (i = 0; first >= 0 && i < MISUSE_N; i++) {
        d->v[d->n] = misuse_reasons[i];
        d->v[d->n++].ext = ext;
    }
    return first;
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
