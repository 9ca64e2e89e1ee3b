/* The no-op extension: a filter whose ingress callback does nothing
 *
 * What one more extension in the chain costs the core, and nothing else:
 * xsw-bench-pipeline chains 1, 4 and 16 instances of it and reports the
 * time each adds per packet (docs/performance.md).  It is a filter rather
 * than an inspect module because filters are the common case and the
 * dearer one for the core (it checks every packet's metadata and bounds
 * after a module that may modify them).  It has no egress callback, so the
 * core skips it on egress, and it keeps no state. */
#include <stddef.h>

#include <xsw/xsw.h>

static int
noop_create(const struct xsw_host *host, struct xsw_ctx *ctx,
            const struct xsw_cfg *config, void **state)
{
    (void) host;
    (void) ctx;
    (void) config;
    *state = NULL;
    return 0;
}

static void
noop_destroy(void *state)
{
    (void) state;
}

static void
noop_ingress(void *state, struct xsw_batch *b)
{
    (void) state;
    (void) b;
}

XSW_EXTENSION_DEFINE(.name = "noop", .version = "1",
                     .description = "does nothing (benchmarks)",
                     .role = XSW_ROLE_FILTER, .create = noop_create,
                     .destroy = noop_destroy, .ingress = noop_ingress);
