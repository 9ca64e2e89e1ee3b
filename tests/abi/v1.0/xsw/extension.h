/* The extension descriptor
 * ========================
 * A module exports exactly one data symbol, xsw_extension_v1, defined with
 * XSW_EXTENSION_DEFINE() so that vendors never spell the symbol, the ABI
 * version or the size:
 *
 *     XSW_EXTENSION_DEFINE(
 *         .name = "hello",
 *         .role = XSW_ROLE_INSPECT,
 *         .create = hello_create,
 *         .destroy = hello_destroy,
 *         .inspect_ingress = hello_ingress,
 *     );
 *
 * The descriptor opens with abi_major, abi_minor and size, which never move:
 * the loader reads them before it trusts anything else.  It refuses another
 * major, a minor newer than its own, an unknown role and missing required
 * callbacks, each in one line naming the file and the reason.  Fields beyond
 * the module's 'size' are treated as absent (NULL / 0).  Fields are only
 * ever appended.
 *
 * Roles.
 *   inspect   sees every packet read-only (inspect_ingress/inspect_egress
 *             get a const batch); cannot drop, modify or inject.
 *   filter    may drop, modify in place and inject; cannot pick ports.
 *   forward   picks destinations (xsw_pkt_output/xsw_pkt_flood) or leaves
 *             XSW_FWD_NORMAL for the built-in L2 forwarding; may drop.
 *             At most one forward extension is enabled per switch.
 *   firewall  allows or drops (with connection state); may inject rejects.
 * Ingress callbacks run in the order the operator lists the extensions;
 * egress callbacks run per destination port in the reverse order.  An
 * extension without an egress callback is skipped on egress.
 *
 * Life cycle.  create() is called once, after all ports exist; then the
 * packet callbacks any number of times; then destroy(), after which no
 * other call is made.  All calls are made on the datapath thread unless the
 * extension sets XSW_EXT_F_THREAD_SAFE. */
#ifndef XSW_EXTENSION_H
#define XSW_EXTENSION_H

#include <stdint.h>

#include "host.h"
#include "packet.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* xsw_extension.role */
#define XSW_ROLE_INSPECT 1u
#define XSW_ROLE_FILTER 2u
#define XSW_ROLE_FORWARD 3u
#define XSW_ROLE_FIREWALL 4u

/* xsw_extension.flags */
#define XSW_EXT_F_THREAD_SAFE 0x1u /* Callbacks may run concurrently on
                                    * different batches. */

/* xsw_extension.port_event 'event' */
#define XSW_PORT_EV_ADDED 1u
#define XSW_PORT_EV_REMOVED 2u
#define XSW_PORT_EV_UP 3u
#define XSW_PORT_EV_DOWN 4u

/* Packet callbacks.  A batch callback processes every packet in 'batch'
 * and writes verdicts into the packets; it never frees them. */
typedef void (*xsw_batch_fn)(void *state, struct xsw_batch *batch);
typedef void (*xsw_inspect_fn)(void *state, const struct xsw_batch *batch);

/* The stats hook reports one value per call of 'emit'. */
typedef void (*xsw_emit_fn)(void *emit_arg, const char *name,
                            uint64_t value);

struct xsw_extension {
    uint16_t abi_major; /* XSW_ABI_MAJOR the module was built against. */
    uint16_t abi_minor; /* XSW_ABI_MINOR the module was built against. */
    uint32_t size;      /* sizeof(struct xsw_extension) as built. */

    const char *name;        /* Short name, as in logs and counters. */
    const char *version;     /* The module's own version, free text. */
    const char *description; /* One line for 'xswd --list'. */
    uint32_t role;           /* XSW_ROLE_*. */
    uint32_t flags;          /* XSW_EXT_F_*. */

    /**
     * create - make an instance (required)
     * @param host    the host services; valid until destroy()
     * @param ctx     this instance's handle for host calls
     * @param config  the 'config:' subtree (NULL when absent)
     * @param state   set to the instance's state, passed to every callback
     * @return 0, or a negative errno after host->error()/cfg_error() has
     *         said why (the core prints it, naming the module's file).
     */
    int (*create)(const struct xsw_host *host, struct xsw_ctx *ctx,
                  const struct xsw_cfg *config, void **state);

    /** destroy - free the instance (required; 'state' may be NULL). */
    void (*destroy)(void *state);

    /* Packet callbacks: at least one of ingress and egress.  Inspect
     * modules set the inspect_* members, the others the plain ones. */
    union {
        xsw_batch_fn ingress;
        xsw_inspect_fn inspect_ingress;
    };
    union {
        xsw_batch_fn egress;
        xsw_inspect_fn inspect_egress;
    };

    /** port_event - a port was added/removed/went up/down (optional). */
    void (*port_event)(void *state, uint32_t port, uint32_t event);

    /**
     * save - serialise the instance's state (optional)
     * @param blob  set to a malloc()ed buffer the core frees
     * @return 0 or a negative errno.
     */
    int (*save)(void *state, uint8_t **blob, uint64_t *size);

    /** restore - load what save() produced, after create() (optional). */
    int (*restore)(void *state, const uint8_t *blob, uint64_t size);

    /**
     * control - run an extension command (optional)
     * @param argv  the command words; argv[0] is the command
     * @param out   the reply text, NUL-terminated, at most 'out_size'
     * @return 0, or a negative errno after host->error().
     */
    int (*control)(void *state, uint32_t argc, const char *const *argv,
                   char *out, uint32_t out_size);

    /** stats - report extra figures through 'emit' (optional). */
    void (*stats)(void *state, xsw_emit_fn emit, void *emit_arg);

    /* Drop reasons: xsw_pkt_drop(pkt, i) names drop_reasons[i], which the
     * core counts and shows as '<extension>: <reason>'.  Keep them short
     * and lower-case ("acl deny", "conn table full"). */
    const char *const *drop_reasons;
    uint32_t n_drop_reasons;
    uint32_t reserved0; /* Zero. */
};

/* Defines the module's one exported symbol.  Arguments are designated
 * initializers of struct xsw_extension. */
#define XSW_EXTENSION_DEFINE(...)                                           \
    __attribute__((visibility("default"))) extern const struct             \
        xsw_extension XSW_EXTENSION_SYMBOL_ID;                              \
    __attribute__((visibility("default"))) const struct xsw_extension      \
        XSW_EXTENSION_SYMBOL_ID = {                                         \
            .abi_major = XSW_ABI_MAJOR,                                     \
            .abi_minor = XSW_ABI_MINOR,                                     \
            .size = sizeof(struct xsw_extension),                           \
            __VA_ARGS__}

/** XSW_ARRAY_SIZE - elements of a static array (for n_drop_reasons). */
#define XSW_ARRAY_SIZE(a) ((uint32_t) (sizeof(a) / sizeof((a)[0])))

#ifdef __cplusplus
}
#endif
#endif
