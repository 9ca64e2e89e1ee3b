/* Packet filters
 * ==============
 * A libpcap filter expression (tcpdump's syntax), compiled once for
 * Ethernet and run on frames in memory: how captures (capture.h) and live
 * traces (trace_live.h) choose their packets.  Compiling needs a pcap
 * handle, which is opened "dead" (no device) for that moment only; the
 * compiled program stands alone after it.
 *
 * Threads: any; a filter is not shared between threads. */
#ifndef XSW_FILTER_H
#define XSW_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct filter;

/* Compiles 'expr' into '*filter'.  Returns 0, or -EINVAL with 'err' as
 * "filter 'EXPR': libpcap's reason" (callers prefix their command), or
 * -ENOMEM. */
int filter_compile(const char *expr, struct filter **filter,
                   struct xsw_err *err);

/* Does 'frame' ('size' bytes, all of it captured) pass 'filter'? */
bool filter_match(const struct filter *, const uint8_t *frame, uint32_t size);

/* The expression as given (owned by the filter). */
const char *filter_text(const struct filter *);

void filter_free(struct filter *); /* NULL is a no-op. */

#endif
