/* The live clock
 * ==============
 * Live ports stamp frames, and the live loop runs timers, on
 * CLOCK_MONOTONIC: it never jumps with the wall clock.  (Replays use the
 * capture's timestamps instead; see dp.h.) */
#ifndef XSW_CLOCK_H
#define XSW_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t
clock_mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

#endif
