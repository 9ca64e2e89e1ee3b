/* Periodic drop summaries
 * =======================
 * Every log.drop_summary_interval seconds of switch time, one
 * 'drops.summary' record (info) says how many packets were dropped since
 * the previous check and why: the message names the three biggest
 * reasons, the JSON record has every one (so the records of a run add up
 * to the summary's drop counters).  An interval without drops logs
 * nothing.
 *
 * Switch time, not the wall clock: a replay's summaries follow its packet
 * timestamps and come out the same on every run; a live switch's follow
 * CLOCK_MONOTONIC.  Intervals are laid on a grid from the first check:
 * [T, T+I), [T+I, T+2I) ...; the record carries both ends ('from_ns',
 * 'to_ns').  The loops check once a batch, never per packet: a replay
 * cuts its batches at the deadline (droplog_deadline(), as for timers),
 * so its intervals are exact; a live switch checks at least once a
 * second, so a live interval may count the drops of up to one loop
 * round past its end.  After a gap of several intervals (a pause in a
 * capture), one record covers it all.
 *
 * The counts are packets whose fate was the drop (the summary's 'count'),
 * read from the drop table (drops.h), which only ever grows: reasons
 * registered later start from zero. */
#ifndef XSW_DROPLOG_H
#define XSW_DROPLOG_H

#include <stdint.h>

struct drops;
struct droplog;

/* A summary every 'interval_ns' (more than 0) of switch clock, counting
 * from the first check.  NULL when out of memory. */
struct droplog *droplog_create(uint64_t interval_ns);
void droplog_destroy(struct droplog *);             /* NULL is a no-op. */

/* Once a batch, with the switch clock: logs a summary when an interval
 * has ended and something was dropped during it.  A NULL 'dl' (summaries
 * off) does nothing. */
void droplog_check(struct droplog *dl, struct drops *, uint64_t now_ns);
/* The switch clock at which the current interval ends, UINT64_MAX
 * when summaries are off or not started: a replay cuts its batch there. */
uint64_t droplog_deadline(const struct droplog *dl);
/* At the end of a run: logs what was dropped since the last summary, if
 * anything, whether or not the interval is over. */
void droplog_flush(struct droplog *dl, struct drops *, uint64_t now_ns);

#endif
