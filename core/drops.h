/* Drop reasons
 * ============
 * Every packet leaves the switch by being sent or by being dropped with a
 * named reason: the stage that dropped it ("port", "vlan", "l2", "egress",
 * "core" or "extension"), the extension when there is one, and why.  The
 * core's own reasons are one X-macro list (code and text together); each
 * extension's reasons are appended when it loads, so a drop is counted by
 * a small integer id on the packet path and named only when reported.
 *
 * 'count' counts packets whose fate was this drop; 'copies' counts every
 * copy dropped for it (a flooded packet can lose some copies on egress and
 * still be delivered on other ports). */
#ifndef XSW_DROPS_H
#define XSW_DROPS_H

#include <stddef.h>
#include <stdint.h>

#define DROPS_CORE(_)                                                       \
    _(RUNT, "port", "runt frame (shorter than an Ethernet header)")        \
    _(OVERSIZE, "port", "frame larger than the packet buffer")             \
    _(TRUNCATED, "port", "truncated capture (captured length < length)")   \
    _(OFFLOAD, "port", "offloaded frame could not be finished")             \
    _(TX_ERROR, "port", "transmit error")                                  \
    _(ADMIN_DOWN_RX, "port", "port is administratively down (received)")   \
    _(TAGGED_ON_ACCESS, "vlan", "tagged frame on access port")             \
    _(VLAN_NOT_ALLOWED, "vlan", "vlan not allowed on ingress port")        \
    _(UNTAGGED_NO_NATIVE, "vlan",                                          \
      "untagged frame on trunk without native vlan")                       \
    _(SAME_PORT, "l2", "destination is the ingress port")                  \
    _(NO_DESTINATION, "l2", "no other port in the vlan")                   \
    _(EGRESS_VLAN, "egress", "vlan not carried by the egress port")        \
    _(PORT_DOWN, "egress", "egress port is down")                          \
    _(ADMIN_DOWN, "egress", "egress port is administratively down")        \
    _(POOL_EMPTY, "core", "packet buffer pool exhausted")                  \
    _(INJECT_LOOP, "core", "injection loop (too many rounds of injections)")

/* Rules an extension can break that the core catches.  Every extension
 * gets its own copy of these reasons (drops_register_misuse()), so the
 * summary names the extension that broke the rule. */
#define DROPS_MISUSE(_)                                                     \
    _(BAD_METADATA, "core",                                                \
      "extension left invalid packet bounds, vlan or in_port")             \
    _(BAD_REASON, "core", "extension dropped with an undeclared reason")   \
    _(BAD_VERDICT, "core", "extension gave an invalid verdict")            \
    _(BAD_PORT, "egress", "forward extension chose a nonexistent port")    \
    _(INJECT_FAILED, "core", "injected packet refused")                    \
    _(INSPECT_WROTE, "core", "inspect extension modified a packet")

enum drop_id {
#define DROP_ENUM(code, stage, text) DROP_##code,
    DROPS_CORE(DROP_ENUM)
#undef DROP_ENUM
        DROP_N_CORE
};

enum drop_misuse {
#define DROP_ENUM(code, stage, text) MISUSE_##code,
    DROPS_MISUSE(DROP_ENUM)
#undef DROP_ENUM
        MISUSE_N
};

struct drop_reason {
    const char *stage;
    const char *ext;       /* Extension instance name, or NULL. */
    const char *reason;
    uint64_t count;        /* Packets whose fate this was. */
    uint64_t copies;       /* Copies dropped for it. */
};

struct drops;

struct drops *drops_create(void);
void drops_destroy(struct drops *);                /* NULL is a no-op. */
/* Registers an extension's reasons; returns the id of the first, or a
 * negative errno.  The table keeps copies of the strings.  Registering
 * the same extension name with the same reasons again (an instance that
 * replaces another on reload) returns the rows it already has, so their
 * counts go on. */
int drops_register(struct drops *, const char *ext, const char *const *,
                   uint32_t n);
/* Registers the DROPS_MISUSE reasons for extension 'ext'; returns the id
 * of the first (MISUSE_x is an offset from it), or a negative errno. */
int drops_register_misuse(struct drops *, const char *ext);
struct drop_reason *drops_get(struct drops *, uint32_t id);
uint32_t drops_count(const struct drops *);
/* 'r' in one line, as the summary names it: "stage: reason", "stage
 * (extension): reason" for the core's reasons about an extension, or
 * "extension: reason" for an extension's own.  Returns 'buf'. */
const char *drops_describe(const struct drop_reason *r, char *buf,
                           size_t size);

#endif
