/* Run summary
 * ===========
 * What a run did, for people (a table on stdout) and for test harnesses
 * (the same figures as JSON, written with jansson): per-port frames
 * received, sent, delivered and dropped; every drop reason that occurred,
 * with its stage and extension; every extension's counters and stats; the
 * FDB's figures.  The JSON layout is documented in docs/xswd.md and is
 * what the replay tests read.  The control server (ctl_cmd.c) answers
 * 'switch show', 'port', 'ext' and 'counters' with the same pieces, so a
 * figure is built in one place. */
#ifndef XSW_SUMMARY_H
#define XSW_SUMMARY_H

#include <jansson.h>
#include <stdio.h>

struct dp;
struct ext;
struct port;

void summary_print(FILE *, const struct dp *);
/* Writes the JSON summary to 'f' (opened for 'path' when the run began,
 * before privileges were dropped) and closes it.  Returns 0 or a negative
 * errno with a message on stderr. */
int summary_write_json(FILE *f, const char *path, const struct dp *);

/* The pieces, each a new reference (NULL when out of memory).  Calls the
 * extensions' stats hooks. */
json_t *summary_json(const struct dp *);              /* The whole. */
json_t *summary_totals_json(const struct dp *);
json_t *summary_port_json(const struct port *);
json_t *summary_drops_json(const struct dp *);        /* Those that
                                                       * occurred. */
json_t *summary_ext_json(const struct ext *);
json_t *summary_exts_json(const struct dp *);         /* Chain order. */
json_t *summary_fdb_json(const struct dp *);

#endif
