/* Switch configuration
 * ====================
 * Reads the operator's YAML file (through cfgtree) into plain structs the
 * rest of the core uses, checking every key, type and range on the way:
 * an unknown key, a wrong type or an out-of-range value is an error with
 * 'file:line:col: key.path: what is wrong', never a silent default.
 * docs/config.md is the user-facing description of the same schema; keep
 * the two in step.
 *
 * What cannot be checked here is checked when the switch is built, still
 * pointing at the node: a module that does not load, a second enabled
 * forward extension, an extension's own 'config:' (read by the extension
 * through the host's cfg_* getters). */
#ifndef XSW_CONFIG_H
#define XSW_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "cfgtree.h"
#include "err.h"
#include "log.h"
#include "privdrop.h"

#define CONFIG_PORTS_MAX 1024     /* Ports in one switch. */
#define CONFIG_EXTS_MAX 64        /* Extensions in one chain. */
#define CONFIG_NAME_MAX 32        /* Characters in a port/switch name. */
#define CONFIG_FDB_MAX 16777216u  /* switch.fdb.max_entries at most. */
#define CONFIG_SOCKET_PATH_MAX 107  /* Bytes in control.socket (sun_path). */
#define CONFIG_DROP_SUMMARY_MAX 86400  /* log.drop_summary_interval, s. */

enum vlan_mode { VLAN_ACCESS, VLAN_TRUNK };

struct vlan_config {
    enum vlan_mode mode;
    uint16_t vid;              /* Access: the port's VLAN. */
    uint16_t native;           /* Trunk: untagged VLAN, 0 = none. */
    uint8_t allowed[4096 / 8]; /* Trunk: bit per VID (native included). */
};

struct port_config {
    char *name;
    char *type;                /* "pcap", "system" or "tap". */
    char *rx, *tx;             /* pcap: resolved paths, or NULL. */
    char *device;              /* system, tap: kernel device name. */
    uint8_t mac[6];            /* tap: its MAC address, if has_mac. */
    bool has_mac;
    uint32_t mtu;              /* tap: MTU, 0 = the kernel's default. */
    char *netns;               /* tap: named network namespace, or NULL.*/
    struct vlan_config vlan;
    const struct cfg_node *node;
};

struct ext_config {
    char *module;              /* As written. */
    char *name;                /* Instance name (default: module). */
    bool enabled;
    const struct cfg_node *config;  /* Its 'config:' subtree, or NULL. */
    const struct cfg_node *node;    /* The list item, for errors. */
};

struct xsw_config {
    struct cfg_tree *tree;
    char *name;
    uint32_t fdb_max_entries;
    uint64_t fdb_aging_ns;
    bool allow_insecure_extensions;  /* security.allow_insecure_... */
    bool verify_extensions;    /* Check inspect extensions leave packets
                                * alone (costs a digest a packet). */
    bool drop_privileges;      /* security.user is set: become run_as. */
    struct privdrop_ids run_as;
    char *control_socket;      /* control.socket, resolved; NULL: absent
                                * (xswd then picks the default). */
    char *control_group;       /* control.group, or NULL. */
    uint32_t control_gid;      /* Its gid. */
    bool control_group_admin;  /* control.group_admin. */
    struct log_settings log;   /* log.level, .target, .format. */
    uint64_t drop_summary_ns;  /* log.drop_summary_interval; 0: none. */
    char **ext_path;           /* extension_path, resolved. */
    uint32_t n_ext_path;
    struct port_config *ports;
    uint32_t n_ports;
    struct ext_config *exts;
    uint32_t n_exts;
};

int config_load(const char *file, struct xsw_config **, struct xsw_err *);
void config_free(struct xsw_config *);          /* NULL is a no-op. */

/* The port or extension instance of that name, or NULL. */
const struct port_config *config_find_port(const struct xsw_config *,
                                           const char *name);
const struct ext_config *config_find_ext(const struct xsw_config *,
                                         const char *name);

/* 'path' made relative to the config file's directory unless absolute;
 * the result is malloc()ed. */
char *config_resolve(const struct xsw_config *, const char *path);

static inline bool
vlan_config_allows(const struct vlan_config *v, uint16_t vid)
{
    return v->allowed[vid >> 3] & (1u << (vid & 7));
}

#endif
