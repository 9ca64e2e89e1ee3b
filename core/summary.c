#include "summary.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "dp.h"
#include "drops.h"
#include "ext.h"
#include "fdb.h"
#include "port.h"

#define SUMMARY_COUNTERS_SHOWN 12   /* Per extension, in the text table. */

/* --- JSON --------------------------------------------------------------- */

static void
add_counter(void *arg, const char *name, uint64_t value)
{
    json_object_set_new(arg, name, json_integer((json_int_t) value));
}

json_t *
summary_ext_json(const struct ext *e)
{
    json_t *counters = json_object(), *stats = json_object();

    ext_foreach_counter(e, add_counter, counters);
    if (e->created && e->desc.stats)
        e->desc.stats(e->state, add_counter, stats);
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "name", e->name,
                     "module", e->cfg->module, "file", e->path, "role",
                     ext_role_name(e->desc.role), "enabled", e->enabled,
                     "counters", counters, "stats", stats);
}

json_t *
summary_port_json(const struct port *p)
{
    json_t *o = json_pack(
        "{s:s, s:i, s:s, s:b, s:I, s:I, s:I, s:I, s:{s:I, s:I}}", "name",
        p->name, "id", (int) p->id, "type", port_type(p), "up", p->up,
        "rx", (json_int_t) p->rx, "tx", (json_int_t) p->tx, "delivered",
        (json_int_t) p->delivered, "dropped", (json_int_t) p->dropped,
        "malformed", "l3", (json_int_t) p->l3_malformed, "l4",
        (json_int_t) p->l4_malformed);

    if (o && p->ops && p->ops->stats) {
        json_t *driver = json_object();

        p->ops->stats(p, add_counter, driver);
        json_object_set_new(o, "driver", driver);
    }
    return o;
}

static json_t *
ports_json(const struct dp *dp)
{
    json_t *a = json_array();
    uint32_t i;

    for (i = 0; i < dp_port_count(dp); i++)
        json_array_append_new(a, summary_port_json(dp_port(dp, i)));
    return a;
}

json_t *
summary_drops_json(const struct dp *dp)
{
    struct drops *d = dp_drops(dp);
    json_t *a = json_array(), *o;
    uint32_t i;

    for (i = 0; i < drops_count(d); i++) {
        const struct drop_reason *r = drops_get(d, i);

        if (!r->count && !r->copies)
            continue;
        o = json_pack("{s:s, s:s, s:I, s:I}", "stage", r->stage, "reason",
                      r->reason, "count", (json_int_t) r->count, "copies",
                      (json_int_t) r->copies);
        if (r->ext)
            json_object_set_new(o, "extension", json_string(r->ext));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *
summary_fdb_json(const struct dp *dp)
{
    const struct fdb *fdb = dp_fdb(dp);
    struct fdb_stats s;

    fdb_get_stats(fdb, &s);
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "entries",
                     (json_int_t) fdb_count(fdb), "learned",
                     (json_int_t) s.learned, "moved", (json_int_t) s.moved,
                     "aged", (json_int_t) s.aged, "evicted",
                     (json_int_t) s.evicted, "ignored",
                     (json_int_t) s.ignored);
}

json_t *
summary_exts_json(const struct dp *dp)
{
    json_t *exts = json_array();
    uint32_t i;

    for (i = 0; i < dp_ext_count(dp); i++)
        json_array_append_new(exts, summary_ext_json(dp_ext(dp, i)));
    return exts;
}

json_t *
summary_totals_json(const struct dp *dp)
{
    const struct dp_totals *t = dp_get_totals(dp);

    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "rx", (json_int_t) t->rx,
                     "injected", (json_int_t) t->injected, "delivered",
                     (json_int_t) t->delivered, "dropped",
                     (json_int_t) t->dropped, "tx", (json_int_t) t->tx);
}

json_t *
summary_json(const struct dp *dp)
{
    return json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "switch",
                     dp_config(dp)->name, "clock_ns", (json_int_t) dp_now(dp),
                     "totals", summary_totals_json(dp), "ports",
                     ports_json(dp), "drops", summary_drops_json(dp),
                     "extensions", summary_exts_json(dp), "fdb",
                     summary_fdb_json(dp));
}

int
summary_write_json(FILE *f, const char *path, const struct dp *dp)
{
    json_t *root = summary_json(dp);
    int ret = 0;

    if (!root || json_dumpf(root, f, JSON_INDENT(2) | JSON_SORT_KEYS) ||
        fputc('\n', f) == EOF || fflush(f) || ferror(f))
        ret = -EIO;
    if (fclose(f) && !ret)
        ret = -EIO;
    if (ret)
        fprintf(stderr, "xswd: %s: cannot write the JSON summary: %s\n",
                path, strerror(errno));
    json_decref(root);
    return ret;
}

/* --- Text --------------------------------------------------------------- */

#define SUMMARY_WIDTH 78   /* Counter lines wrap before this column. */

struct counter_line {
    FILE *f;
    uint32_t shown, hidden;
    int col;
};

static void
print_counter(void *arg, const char *name, uint64_t value)
{
    struct counter_line *c = arg;
    char item[160];
    int len;

    if (c->shown >= SUMMARY_COUNTERS_SHOWN) {
        c->hidden++;
        return;
    }
    len = snprintf(item, sizeof item, "%s %" PRIu64, name, value);
    if (c->shown && c->col + 2 + len > SUMMARY_WIDTH) {
        fputs(",\n", c->f);
        c->col = 0;
    } else if (c->shown) {
        fputs(", ", c->f);
        c->col += 2;
    }
    if (c->col == 0)
        c->col = fprintf(c->f, "      ");
    c->col += fprintf(c->f, "%s", item);
    c->shown++;
}

static void
print_exts(FILE *f, const struct dp *dp)
{
    uint32_t i;

    if (!dp_ext_count(dp))
        return;
    fprintf(f, "\n  extensions, in chain order\n");
    for (i = 0; i < dp_ext_count(dp); i++) {
        const struct ext *e = dp_ext(dp, i);
        struct counter_line c = {f, 0, 0, 0};

        fprintf(f, "  %u. %-12s %-8s %s%s\n", i + 1, e->name,
                ext_role_name(e->desc.role), e->path,
                e->enabled ? "" : " (disabled)");
        ext_foreach_counter(e, print_counter, &c);
        if (e->created && e->desc.stats)
            e->desc.stats(e->state, print_counter, &c);
        if (c.shown)
            fputc('\n', f);
        if (c.hidden)
            fprintf(f, "      (%u more in the JSON summary)\n", c.hidden);
    }
}

/* Frames switched with a bad L3 or L4 header, per port, when any. */
static void
print_malformed(FILE *f, const struct dp *dp)
{
    bool any = false;
    uint32_t i;

    for (i = 0; i < dp_port_count(dp); i++) {
        const struct port *p = dp_port(dp, i);

        if (!p->l3_malformed && !p->l4_malformed)
            continue;
        if (!any)
            fprintf(f, "\n  %-48s %10s %10s\n",
                    "switched with malformed headers", "L3", "L4");
        any = true;
        fprintf(f, "  %-48s %10" PRIu64 " %10" PRIu64 "\n", p->name,
                p->l3_malformed, p->l4_malformed);
    }
}

static void
print_drops(FILE *f, const struct dp *dp)
{
    struct drops *d = dp_drops(dp);
    char what[160];
    uint32_t i;
    bool any = false;

    for (i = 0; i < drops_count(d); i++) {
        const struct drop_reason *r = drops_get(d, i);

        if (!r->count && !r->copies)
            continue;
        if (!any)
            fprintf(f, "\n  %-48s %10s %10s\n", "drops by reason", "packets",
                    "copies");
        any = true;
        drops_describe(r, what, sizeof what);
        fprintf(f, "  %-48s %10" PRIu64 " %10" PRIu64 "\n", what, r->count,
                r->copies);
    }
}

void
summary_print(FILE *f, const struct dp *dp)
{
    const struct dp_totals *t = dp_get_totals(dp);
    struct fdb_stats fs;
    uint32_t i;

    fprintf(f,
            "Switch %s: %" PRIu64 " frames received, %" PRIu64
            " injected; %" PRIu64 " delivered, %" PRIu64 " dropped; %" PRIu64
            " frames sent (clock %.6f s)\n\n",
            dp_config(dp)->name, t->rx, t->injected, t->delivered, t->dropped,
            t->tx, (double) dp_now(dp) / 1e9);
    fprintf(f, "  %-12s %-7s %10s %10s %10s %10s\n", "port", "type", "rx",
            "tx", "delivered", "dropped");
    for (i = 0; i < dp_port_count(dp); i++) {
        const struct port *p = dp_port(dp, i);

        fprintf(f,
                "  %-12s %-7s %10" PRIu64 " %10" PRIu64 " %10" PRIu64
                " %10" PRIu64 "\n",
                p->name, port_type(p), p->rx, p->tx, p->delivered,
                p->dropped);
    }
    print_drops(f, dp);
    print_malformed(f, dp);
    print_exts(f, dp);
    fdb_get_stats(dp_fdb(dp), &fs);
    fprintf(f,
            "\nMAC table: %u entries; %" PRIu64 " learned, %" PRIu64
            " moved, %" PRIu64 " aged, %" PRIu64 " evicted\n",
            fdb_count(dp_fdb(dp)), fs.learned, fs.moved, fs.aged,
            fs.evicted);
}
