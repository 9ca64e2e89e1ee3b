/* Log rate limiter
 * ================
 * Denied connections are logged, but a scan or a flood must not turn the
 * log into the bottleneck: at most 'rate' lines pass per second of switch
 * clock, and the ones held back are counted.  The count is handed to the
 * next line that passes, so the log says how much it left out ("... 312
 * lines suppressed") exactly where the gap is.
 *
 * The second is a window that opens with the first event after the
 * previous window ended, so a burst never gets more than 'rate' lines in
 * any window.  Pure logic on the clock it is given. */
#ifndef FW_RATELIMIT_H
#define FW_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
    uint64_t window_ns;  /* Start of the current window. */
    uint64_t suppressed; /* Events held back since the last one passed. */
    uint32_t rate;       /* Events per window; 0 lets none through. */
    uint32_t in_window;  /* Events passed in the current window. */
    uint8_t started;     /* A window is open. */
};

/** ratelimit_init - at most 'per_second' events a second (0: none). */
void ratelimit_init(struct ratelimit *rl, uint32_t per_second);

/**
 * ratelimit_allow - may the event at 'now' be logged?
 * @param suppressed  when true is returned: the events held back since
 *                    the previous one that passed (to be reported with
 *                    it); untouched otherwise
 * @return true when it may.  With a rate of 0 nothing passes and nothing
 *         is counted as held back (logging is off).
 */
bool ratelimit_allow(struct ratelimit *rl, uint64_t now, uint64_t *suppressed);

#endif
