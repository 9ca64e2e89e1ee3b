/* Host services
 * =============
 * The table of functions the switch hands an extension in create().  An
 * extension calls the core only through it, so the daemon exports no
 * symbols and a module loads in any host of the same ABI major.  Every
 * function takes the extension's own 'ctx' (given to create()) as its first
 * argument; the core uses it to attribute logs, counters, traces and
 * injected packets to the extension instance.
 *
 * Context.  Unless a member says otherwise, it may be called from create()
 * and from any callback, on the datapath thread only.
 *
 * Growth.  Members are only ever appended.  A module built against a newer
 * minor than the host must not call a member past the host's 'size':
 * test with XSW_HOST_HAS(host, member) first.  (Today's loader refuses
 * modules built for a newer minor than its own, so this matters only to
 * code that must also run in hosts older than the headers it uses.) */
#ifndef XSW_HOST_H
#define XSW_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xsw_ctx; /* Opaque: one extension instance, owned by the core. */
struct xsw_cfg; /* Opaque: one node of the extension's YAML subtree. */

/* Log levels of xsw_host.log. */
#define XSW_LOG_ERR 3u
#define XSW_LOG_WARN 4u
#define XSW_LOG_INFO 6u
#define XSW_LOG_DEBUG 7u

/* xsw_host.pkt_inject 'how'. */
#define XSW_INJECT_TX 0u /* Send out of 'port' now (after its VLAN policy);
                          * no extension sees it. */
#define XSW_INJECT_RX 1u /* Enter the switch as if received on 'port';
                          * the ingress chain runs on it in the next round,
                          * starting after the injecting extension. */

/* xsw_host.cfg_type results. */
#define XSW_CFG_NONE 0u   /* NULL node (absent key). */
#define XSW_CFG_SCALAR 1u /* A string, number or boolean. */
#define XSW_CFG_SEQ 2u    /* A list. */
#define XSW_CFG_MAP 3u    /* A mapping of keys to nodes. */

/* A timer callback: 'now_ns' is the switch clock. */
typedef void (*xsw_timer_fn)(void *arg, uint64_t now_ns);

#if defined(__GNUC__)
#define XSW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define XSW_PRINTF(f, a)
#endif

struct xsw_host {
    uint16_t abi_major; /* XSW_ABI_MAJOR of the host. */
    uint16_t abi_minor; /* XSW_ABI_MINOR of the host. */
    uint32_t size;      /* sizeof(struct xsw_host) in the host. */

    /* --- Logging ---------------------------------------------------- */

    /**
     * log - write one log line, prefixed with the extension's name
     * @param level  XSW_LOG_*
     */
    void (*log)(struct xsw_ctx *ctx, uint32_t level, const char *fmt, ...)
        XSW_PRINTF(3, 4);

    /**
     * error - set the message the core reports when create() or a control
     *         command fails
     * @return 'code', so that 'return host->error(ctx, -EINVAL, ...)' reads.
     */
    int (*error)(struct xsw_ctx *ctx, int code, const char *fmt, ...)
        XSW_PRINTF(3, 4);

    /* --- Clock ------------------------------------------------------ */

    /**
     * now_ns - the switch clock in nanoseconds
     *
     * In replays it follows the pcap timestamps (so timeouts are
     * deterministic in tests); on live ports it is CLOCK_MONOTONIC.
     */
    uint64_t (*now_ns)(struct xsw_ctx *ctx);

    /* --- Ports ------------------------------------------------------ */

    /** port_count - ports have ids 0 .. port_count()-1. */
    uint32_t (*port_count)(struct xsw_ctx *ctx);

    /** port_lookup - the id of the port named 'name', or -ENOENT. */
    int32_t (*port_lookup)(struct xsw_ctx *ctx, const char *name);

    /** port_name - the name of port 'port', or NULL when out of range. */
    const char *(*port_name)(struct xsw_ctx *ctx, uint32_t port);

    /* --- Packets ---------------------------------------------------- */

    /**
     * pkt_alloc - a packet with 'size' zero bytes of frame, the standard
     *             headroom, zeroed metadata and ts_ns set to the clock
     * @return NULL when the pool is exhausted or 'size' exceeds the
     *         largest frame (9216 bytes).
     */
    struct xsw_packet *(*pkt_alloc)(struct xsw_ctx *ctx, uint32_t size);

    /** pkt_free - return a packet from pkt_alloc() that was not injected.*/
    void (*pkt_free)(struct xsw_ctx *ctx, struct xsw_packet *pkt);

    /**
     * pkt_inject - hand a packet from pkt_alloc() to the switch
     * @param port  the port to send from (XSW_INJECT_TX) or to receive on
     *              (XSW_INJECT_RX)
     * @param how   XSW_INJECT_TX or XSW_INJECT_RX
     * @return 0 or a negative errno.  The switch takes ownership of 'pkt'
     *         in all cases: on failure it is freed and counted as dropped.
     *         XSW_INJECT_TX sends at once, so its result says whether the
     *         packet left: -ENETDOWN (the port is down), -EHOSTUNREACH
     *         (the port does not carry the packet's VLAN), -EIO (the
     *         port's driver refused it); -EINVAL for a bad port, direction
     *         or a frame under 14 bytes.
     *
     * Inspect extensions may not inject (-EPERM).  The core parses the
     * frame; the caller need not fill metadata.  The packet's VLAN is its
     * own outer 802.1Q tag's, else (untagged or priority-tagged) the
     * port's access or native VLAN.
     */
    int (*pkt_inject)(struct xsw_ctx *ctx, struct xsw_packet *pkt,
                      uint32_t port, uint32_t how);

    /**
     * pkt_reparse - refill the metadata after changing the frame's headers
     *
     * The classified VLAN follows an outer 802.1Q tag when there is one.
     * @return 0, or -EINVAL when the frame is shorter than an Ethernet
     *         header.
     */
    int (*pkt_reparse)(struct xsw_ctx *ctx, struct xsw_packet *pkt);

    /* --- Counters --------------------------------------------------- */

    /**
     * counter_new - a 64-bit counter the core owns and reports
     *
     * Call from create() only.  Increment it directly ('(*c)++'); the core
     * shows it in the summary, the JSON summary and the control tool under
     * the extension's name.
     * @return NULL when 'name' is empty or already used by this instance.
     */
    uint64_t *(*counter_new)(struct xsw_ctx *ctx, const char *name);

    /* --- Tracing ---------------------------------------------------- */

    /**
     * trace - annotate the journey of a traced packet
     *
     * Does nothing unless 'pkt' has XSW_PKT_F_TRACED; use XSW_TRACE(),
     * which tests the flag before paying for the call.
     */
    void (*trace)(struct xsw_ctx *ctx, const struct xsw_packet *pkt,
                  const char *fmt, ...) XSW_PRINTF(3, 4);

    /* --- Timers ----------------------------------------------------- */

    /**
     * timer_add - call 'fn(arg, now)' every 'interval_ns' of switch clock
     * @return a timer id >= 0, or a negative errno.  Timers run on the
     *         datapath thread between batches, never inside a callback.
     */
    int (*timer_add)(struct xsw_ctx *ctx, uint64_t interval_ns,
                     xsw_timer_fn fn, void *arg);

    /** timer_cancel - stop timer 'id'; -ENOENT if there is none. */
    int (*timer_cancel)(struct xsw_ctx *ctx, int id);

    /* --- Configuration ---------------------------------------------- */
    /* The extension's subtree ('config:' in the YAML file) is a tree of
     * nodes.  Errors say 'file:line:col: extensions[N].config.path: what'
     * and are reported by the core when create() fails. */

    /** cfg_type - XSW_CFG_* of 'node' (XSW_CFG_NONE for NULL). */
    uint32_t (*cfg_type)(struct xsw_ctx *ctx, const struct xsw_cfg *node);

    /** cfg_get - the value of 'key' in map 'node', or NULL if absent. */
    const struct xsw_cfg *(*cfg_get)(struct xsw_ctx *ctx,
                                     const struct xsw_cfg *node,
                                     const char *key);

    /** cfg_len - items of a list or keys of a map (0 otherwise). */
    uint32_t (*cfg_len)(struct xsw_ctx *ctx, const struct xsw_cfg *node);

    /** cfg_at - item 'i' of a list, or the value of key 'i' of a map. */
    const struct xsw_cfg *(*cfg_at)(struct xsw_ctx *ctx,
                                    const struct xsw_cfg *node, uint32_t i);

    /** cfg_key_at - the name of key 'i' of a map, or NULL. */
    const char *(*cfg_key_at)(struct xsw_ctx *ctx,
                              const struct xsw_cfg *node, uint32_t i);

    /** cfg_str - the text of a scalar node, or NULL if not a scalar. */
    const char *(*cfg_str)(struct xsw_ctx *ctx, const struct xsw_cfg *node);

    /**
     * cfg_keys - refuse keys of map 'node' that are not in 'allowed'
     * @param allowed  NULL-terminated list of key names
     * @return 0, or -EINVAL with the error set (also when 'node' is
     *         present but not a map).  A NULL 'node' is valid.
     */
    int (*cfg_keys)(struct xsw_ctx *ctx, const struct xsw_cfg *node,
                    const char *const *allowed);

    /**
     * cfg_u64 - read unsigned integer 'key' of map 'node'
     * @param def  the value when 'node' or 'key' is absent
     * @return 0, or -EINVAL with the error set when the value is not an
     *         integer in [min, max].
     */
    int (*cfg_u64)(struct xsw_ctx *ctx, const struct xsw_cfg *node,
                   const char *key, uint64_t def, uint64_t min, uint64_t max,
                   uint64_t *out);

    /**
     * cfg_bool - read boolean 'key' (true/false/yes/no/on/off)
     * @return 0, or -EINVAL with the error set.
     */
    int (*cfg_bool)(struct xsw_ctx *ctx, const struct xsw_cfg *node,
                    const char *key, int def, int *out);

    /**
     * cfg_string - read string 'key' of map 'node'
     * @return 0, or -EINVAL with the error set when it is not a scalar.
     *         The string lives as long as the extension instance.
     */
    int (*cfg_string)(struct xsw_ctx *ctx, const struct xsw_cfg *node,
                      const char *key, const char *def, const char **out);

    /**
     * cfg_error - set an error located at 'node'
     * @return 'code'.  The message reads
     *         'file:line:col: extensions[N].config.<path>: <fmt...>'.
     */
    int (*cfg_error)(struct xsw_ctx *ctx, const struct xsw_cfg *node,
                     int code, const char *fmt, ...) XSW_PRINTF(4, 5);

    /**
     * cfg_dir - the directory relative paths in the config resolve
     *            against (the config file's directory)
     */
    const char *(*cfg_dir)(struct xsw_ctx *ctx);
};

/** XSW_HOST_HAS - does 'host' provide member 'm'? */
#define XSW_HOST_HAS(host, m)                                               \
    (offsetof(struct xsw_host, m) + sizeof((host)->m) <= (host)->size)

/** XSW_TRACE - annotate 'pkt' if it is being traced; cheap otherwise. */
#define XSW_TRACE(host, ctx, pkt, ...)                                      \
    do {                                                                    \
        if ((pkt)->flags & XSW_PKT_F_TRACED)                                \
            (host)->trace((ctx), (pkt), __VA_ARGS__);                       \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif
