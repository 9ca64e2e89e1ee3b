/* A stand-in for the switch's host table, for running the flowmon module
 * in a unit test without the core: counters, one timer, a clock the test
 * sets, port names "p0".."p3", a directory for files, and a config tree
 * built from C literals (flat maps of scalars, one level of nesting). */
#ifndef FLOWMON_FAKE_HOST_H
#define FLOWMON_FAKE_HOST_H

#include <stdint.h>

#include <xsw/host.h>
#include <xsw/version.h>

/* A config node: a scalar when 'scalar' is set, else a map. */
struct xsw_cfg {
    const char *scalar;
    const char *keys[8];
    const struct xsw_cfg *vals[8];
};

struct fake_host {
    struct xsw_host host;
    uint64_t now_ns;
    char dir[256];    /* cfg_dir(): a fresh temporary directory. */
    char error[1024]; /* The last error() / cfg_error() message. */
    int n_logs;
    struct {
        char name[64];
        uint64_t value;
    } counters[32];
    unsigned n_counters;
    xsw_timer_fn timer_fn;
    void *timer_arg;
    uint64_t timer_interval_ns;
    int timers_cancelled;
};

/** fake_host_init - a fresh host with an empty temporary directory. */
void fake_host_init(struct fake_host *fh);

/** fake_host_fini - removes the temporary directory and its files. */
void fake_host_fini(struct fake_host *fh);

/** fake_host_counter - the value of counter 'name' (aborts if absent). */
uint64_t fake_host_counter(const struct fake_host *fh, const char *name);

/** fake_host_ctx - the ctx to pass to create() (the fake host itself). */
struct xsw_ctx *fake_host_ctx(struct fake_host *fh);

#endif
