/* Extension loader and host table
 * ===============================
 * Loads one extension module with dlopen and checks its descriptor before
 * trusting anything in it: the exported symbol must carry our ABI major
 * (xsw_extension_v1), the descriptor's major must be ours, its minor no
 * newer than ours, its size at least the v1.0 descriptor; the role must be
 * known and the required callbacks present.  Each refusal is one line that
 * names the file and the reason; nothing of a refused module is called.
 * The descriptor is copied into the instance with every field past the
 * module's own 'size' zero (absent), so later minors only ever append.
 *
 * Search order for a module named NAME (resolved as NAME.so): the config's
 * extension_path, then $XSW_EXTENSION_PATH (colon-separated), then
 * <directory of the running program>/../lib/xsw, which is build/lib/xsw in
 * the build tree and <prefix>/lib/xsw when installed.  A module written
 * with a '/' is a path (relative to the config file) and is not searched.
 *
 * The host table (struct xsw_host) is one static const table; each call
 * names the instance through its 'ctx', which is the struct ext itself. */
#ifndef XSW_EXT_H
#define XSW_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/extension.h>

#include "config.h"
#include "drops.h"
#include "err.h"

struct dp;
struct ext_counters;

struct ext {
    struct dp *dp;
    char *name;                    /* Instance name. */
    char *path;                    /* The file loaded. */
    const struct ext_config *cfg;
    struct xsw_extension desc;     /* Zero past the module's size. */
    void *dl;
    void *state;                   /* From create(). */
    bool created;
    bool enabled;
    bool cfg_enabled;              /* 'enabled:' as the file said last
                                    * (a reload applies only changes). */
    uint16_t drop_base;            /* Id of drop_reasons[0]. */
    uint16_t misuse_base;          /* Id of its DROPS_MISUSE reasons. */
    struct {                       /* Rate limit of misuse reports. */
        uint64_t last_ns;          /* Switch clock of the last one. */
        uint64_t unreported;       /* Packets dropped since. */
        bool reported;
    } misuse[MISUSE_N];
    struct ext_counters *counters;
    char error[XSW_ERR_MAX];       /* From host->error()/cfg_error(). */
    bool error_located;            /* 'error' starts with file:line:col. */
};

/* Finds, opens and checks the module 'cfg' names.  No extension code runs
 * (beyond the module's own ELF constructors). */
int ext_load(struct ext *, struct dp *, const struct xsw_config *,
             const struct ext_config *, struct xsw_err *);
/* Calls the module's create(); on failure reports its own message. */
int ext_create(struct ext *, struct xsw_err *);
/* destroy() if created, then dlclose(). */
void ext_unload(struct ext *);

const char *ext_role_name(uint32_t role);
bool ext_has_ingress(const struct ext *);
bool ext_has_egress(const struct ext *);

/* Reports every counter of counter_new() in creation order. */
void ext_foreach_counter(const struct ext *,
                         void (*cb)(void *arg, const char *name,
                                    uint64_t value),
                         void *arg);

/* The host table handed to create(). */
const struct xsw_host *ext_host_table(void);

#endif
