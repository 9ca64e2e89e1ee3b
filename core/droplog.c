#include "droplog.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drops.h"
#include "log.h"

#define DROPLOG_TOP 3          /* Reasons named in the message. */
#define DROPLOG_DESC_MAX 160   /* Bytes of one reason's description. */

struct droplog {
    uint64_t interval_ns;
    bool started;
    uint64_t from_ns;          /* Switch clock of the previous check. */
    uint64_t next_ns;          /* Deadline of the current interval. */
    uint64_t *seen;            /* Per reason: its count at that check. */
    uint32_t n_seen;
};

/* One reason's drops in the interval, for the record. */
struct droplog_row {
    char desc[DROPLOG_DESC_MAX];
    uint64_t n;
};

struct droplog *
droplog_create(uint64_t interval_ns)
{
    struct droplog *dl = calloc(1, sizeof *dl);

    if (dl)
        dl->interval_ns = interval_ns ? interval_ns : 1;
    return dl;
}

void
droplog_destroy(struct droplog *dl)
{
    if (!dl)
        return;
    free(dl->seen);
    free(dl);
}

/* Makes room for every reason registered so far; new ones start at 0.
 * Returns false when out of memory. */
static bool
seen_fit(struct droplog *dl, uint32_t n)
{
    uint64_t *v;

    if (n <= dl->n_seen)
        return true;
    v = realloc(dl->seen, n * sizeof *v);
    if (!v)
        return false;
    memset(v + dl->n_seen, 0, (n - dl->n_seen) * sizeof *v);
    dl->seen = v;
    dl->n_seen = n;
    return true;
}

/* The rows of the reasons that dropped packets since the last check, the
 * biggest first; 'seen' moves on to now.  Returns how many rows. */
static uint32_t
rows_take(struct droplog *dl, struct drops *drops, struct droplog_row *rows,
          uint64_t *total)
{
    uint32_t i, j, n = 0;

    *total = 0;
    for (i = 0; i < dl->n_seen; i++) {
        const struct drop_reason *r = drops_get(drops, i);
        struct droplog_row row = {.n = r->count - dl->seen[i]};

        dl->seen[i] = r->count;
        if (!row.n)
            continue;
        *total += row.n;
        drops_describe(r, row.desc, sizeof row.desc);
        /* Insertion by count, ties in table order: a stable record. */
        for (j = n++; j > 0 && rows[j - 1].n < row.n; j--)
            rows[j] = rows[j - 1];
        rows[j] = row;
    }
    return n;
}

/* "acl: acl deny (20), vlan: tagged frame on access port (3) and 2 more
 * reasons" */
static void
top_text(const struct droplog_row *rows, uint32_t n, char *buf, size_t size)
{
    size_t used = 0;
    uint32_t i;

    buf[0] = '\0';
    for (i = 0; i < n && i < DROPLOG_TOP && used < size; i++)
        used += (size_t) snprintf(buf + used, size - used, "%s%s (%" PRIu64 ")",
                                  i ? ", " : "", rows[i].desc, rows[i].n);
    if (n > DROPLOG_TOP && used < size)
        snprintf(buf + used, size - used, " and %u more reason%s",
                 n - DROPLOG_TOP, n - DROPLOG_TOP > 1 ? "s" : "");
}

/* Logs what was dropped from 'from_ns' to 'to_ns', if anything. */
static void
report(struct droplog *dl, struct drops *drops, uint64_t to_ns)
{
    uint32_t n_reasons = drops_count(drops), n, i;
    struct droplog_row *rows;
    struct log_field *reasons;
    uint64_t total;
    char top[512];

    if (!seen_fit(dl, n_reasons))
        return;
    rows = malloc((size_t) n_reasons * sizeof *rows + 1);
    reasons = calloc((size_t) n_reasons + 1, sizeof *reasons);
    if (rows && reasons) {
        n = rows_take(dl, drops, rows, &total);
        for (i = 0; i < n; i++)
            reasons[i] = LOG_U64(rows[i].desc, rows[i].n);
        reasons[n] = LOG_END;
        top_text(rows, n, top, sizeof top);
        if (total)
            log_event(XSW_LOG_INFO, "drops.summary",
                      LOG_FIELDS(LOG_U64("dropped", total),
                                 LOG_U64("interval_s",
                                         dl->interval_ns / 1000000000ull),
                                 LOG_U64("from_ns", dl->from_ns),
                                 LOG_U64("to_ns", to_ns),
                                 LOG_OBJ("reasons", reasons)),
                      "%" PRIu64 " packet(s) dropped in %.1f s: %s", total,
                      (double) (to_ns - dl->from_ns) / 1e9, top);
    }
    free(rows);
    free(reasons);
    dl->from_ns = to_ns;
}

void
droplog_check(struct droplog *dl, struct drops *drops, uint64_t now_ns)
{
    uint64_t end;

    if (!dl)
        return;
    if (!dl->started) {
        dl->started = true;
        dl->from_ns = now_ns;
        dl->next_ns = now_ns + dl->interval_ns;
        return;
    }
    if (now_ns < dl->next_ns)
        return;
    /* The interval ends at the last deadline passed (on the grid of the
     * first: a gap of several intervals is one record). */
    end = dl->next_ns
          + (now_ns - dl->next_ns) / dl->interval_ns * dl->interval_ns;
    dl->next_ns = end + dl->interval_ns;
    report(dl, drops, end);
}

uint64_t
droplog_deadline(const struct droplog *dl)
{
    return dl && dl->started ? dl->next_ns : UINT64_MAX;
}

void
droplog_flush(struct droplog *dl, struct drops *drops, uint64_t now_ns)
{
    if (dl)
        report(dl, drops, now_ns < dl->from_ns ? dl->from_ns : now_ns);
}
