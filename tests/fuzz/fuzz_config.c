/* fuzz-config: the YAML loader and the extensions' config readers
 * ===============================================================
 * Each input is a config file: config_load() reads it (libyaml, the tree,
 * the switch's schema); a config that loads is built with
 * dp_create(check_only), which loads the extensions it names from this
 * build's modules and creates them, so their config getters and their
 * checks run as well; then everything is destroyed.
 *
 * Extensions write files their config names (flowmon's mirror at create,
 * its export at destroy), and a module named by a path is dlopen()ed from
 * anywhere.  So that an input cannot reach outside the scratch directory,
 * a config whose 'module', 'extension_path', 'export' or 'file' values
 * contain a '/' is only loaded, never built: those names then resolve
 * inside the scratch directory, which is emptied after each input.  Other
 * values keep their '/' (prefixes, masks).  check_only opens no
 * port, so port devices and pcap files are never touched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtree.h"
#include "config.h"
#include "dp.h"
#include "fuzz_env.h"

#define CONFIG_NAME "config.yaml"

static char config_path[4096];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_env_init();
    snprintf(config_path, sizeof config_path, "%s",
             fuzz_scratch_path(CONFIG_NAME));
    return 0;
}

/* Is 'n' a value that names a file: the path keys of the core and of
 * the reference extensions, and the items of a list under one? */
static bool
is_path_value(const struct cfg_node *n)
{
    static const char *const keys[] = {"module", "extension_path", "export",
                                       "file"};
    const char *key = n->key;
    uint32_t i;

    if (!key && n->parent && n->parent->kind == CFG_SEQ)
        key = n->parent->key;
    for (i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i]))
            return true;
    return false;
}

/* Does a path value below 'n' contain a '/', so that it could lead out
 * of the scratch directory?  The recursion is as deep as the YAML
 * nesting, which cfgtree bounds. */
static bool
names_outside(const struct cfg_node *n)
{
    uint32_t i;

    if (!n)
        return false;
    if (n->kind == CFG_SCALAR)
        return strchr(n->text, '/') && is_path_value(n);
    for (i = 0; i < n->n; i++)
        if (names_outside(n->items[i]))
            return true;
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_options opts = {.check_only = true,
                              .log_level = fuzz_log_level(),
                              .pool_size = FUZZ_POOL_CONFIG};
    struct xsw_config *cfg;
    struct xsw_err err = {0};
    struct dp *dp;

    if (fuzz_write_file(config_path, data, size)) {
        perror(config_path);
        abort();
    }
    /* The messages are formatted whatever happens to them: printing them
     * (to /dev/null under -close_fd_mask=2) costs little and makes a
     * reproducer's run say what the config did. */
    if (config_load(config_path, &cfg, &err)) {
        fprintf(stderr, "fuzz-config: %s\n", err.msg);
        return 0;
    }
    if (names_outside(cfg->tree->root)) {
        fprintf(stderr, "fuzz-config: not built: a path with a '/'\n");
    } else {
        if (dp_create(cfg, &opts, &dp, &err))
            fprintf(stderr, "fuzz-config: %s\n", err.msg);
        else
            dp_destroy(dp);
        fuzz_scratch_clean(CONFIG_NAME);
    }
    config_free(cfg);
    return 0;
}
