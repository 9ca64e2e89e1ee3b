/* flowmon configuration
 * =====================
 * Reads the extension's 'config:' subtree into settings, through the
 * host's typed getters so that every mistake is reported as
 * 'file:line:col: extensions[N].config.<key>: reason':
 *
 *     idle_timeout_s: 60        # 1 .. 604800
 *     max_flows: 65536          # 1 .. 16777216
 *     top_n: 10                 # 1 .. 1000
 *     export: flows.json        # optional, relative to the config's dir
 *     mirror:                   # optional
 *       filter: "tcp port 80"   # BPF, default "" (every packet)
 *       file: mirror.pcap       # required, relative to the config's dir
 *       snaplen: 65535          # 1 .. 262144
 *
 * Only reading and range checks happen here; the filter is compiled and
 * the files are opened by the caller (which reports those errors at the
 * nodes kept in the settings). */
#ifndef FLOWMON_FLOWMON_CONFIG_H
#define FLOWMON_FLOWMON_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include <xsw/host.h>

#define FLOWMON_IDLE_TIMEOUT_S_DEFAULT 60u
#define FLOWMON_IDLE_TIMEOUT_S_MAX 604800u /* A week. */
#define FLOWMON_MAX_FLOWS_DEFAULT 65536u
#define FLOWMON_MAX_FLOWS_MAX 16777216u
#define FLOWMON_TOP_N_DEFAULT 10u
#define FLOWMON_TOP_N_MAX 1000u
#define FLOWMON_SNAPLEN_DEFAULT 65535u
#define FLOWMON_SNAPLEN_MAX 262144u

struct flowmon_settings {
    uint64_t idle_timeout_s;
    uint32_t max_flows;
    uint32_t top_n;
    char *export_path; /* Owned, resolved; NULL without 'export'. */

    /* The mirror; mirror_path is NULL without 'mirror'. */
    char *mirror_path;         /* Owned, resolved. */
    const char *mirror_filter; /* Borrowed from the config tree, which
                                * lives as long as the instance. */
    uint32_t mirror_snaplen;
    const struct xsw_cfg *mirror_filter_node; /* For errors, in create(). */
    const struct xsw_cfg *mirror_file_node;   /* Likewise. */
};

/**
 * flowmon_config_read - fill 's' from 'cfg' (NULL: every default)
 * @return 0, or a negative errno with the error set through the host.
 *         On failure 's' holds nothing to free.
 */
int flowmon_config_read(const struct xsw_host *host, struct xsw_ctx *ctx,
                        const struct xsw_cfg *cfg, struct flowmon_settings *s);

/** flowmon_config_clear - free what flowmon_config_read() allocated. */
void flowmon_config_clear(struct flowmon_settings *s);

/**
 * flowmon_path_resolve - 'path' made relative to 'dir' unless absolute
 * @return a malloc()ed string, or NULL when memory is short.
 */
char *flowmon_path_resolve(const char *dir, const char *path);

/**
 * flowmon_open_under - open 'path' for writing under 'dir' and nowhere
 *                      else (files written on command, not by the config)
 *
 * 'path' must be relative and free of '..'; the directory it names is
 * resolved (links included) and must lie inside 'dir' (resolved too); the
 * file itself may not be a link.  Returns the stream, or NULL with errno
 * set (EACCES for an escape) and a reason in 'why'.  '*full' (malloc()ed)
 * is the path opened.
 */
FILE *flowmon_open_under(const char *dir, const char *path, char **full,
                         char *why, size_t size);

#endif
