/* Run summary
 * ===========
 * What a run did, for people (a table on stdout) and for test harnesses
 * (the same figures as JSON, written with jansson): per-port frames
 * received, sent, delivered and dropped; every drop reason that occurred,
 * with its stage and extension; every extension's counters and stats; the
 * FDB's figures.  The JSON layout is documented in docs/summary.md and is
 * what the replay tests read. */
#ifndef XSW_SUMMARY_H
#define XSW_SUMMARY_H

#include <stdio.h>

struct dp;

void summary_print(FILE *, const struct dp *);
/* Returns 0 or a negative errno with a message on stderr. */
int summary_write_json(const char *path, const struct dp *);

#endif
