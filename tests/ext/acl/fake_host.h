/* A host for unit tests of the acl extension
 * ==========================================
 * The real host lives in the core, which the extension's unit tests do not
 * link.  This one implements the host table over a libyaml document (the
 * config under test is a YAML string), a fixed list of port names, a
 * counter registry, a clock the test sets, one timer (accepted, never
 * run), a packet allocator and an inject hook that records
 * what the extension sent, and a small frame parser for pkt_reparse()
 * that fills the metadata fields the acl reads (tags, ethertype, L3/L4
 * offsets, addresses, ports, TCP flags, TOS).
 *
 * Errors are kept as text: cfg_error() gives 'LINE:COL: message' (1-based,
 * the node's position in the YAML string), error() just 'message', so
 * tests pin the extension's own wording exactly.
 *
 * The firewall's reload tests (tests/ext/firewall/test-fw-state.c) use it
 * too. */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stdint.h>

#include <xsw/xsw.h>

#define FAKE_INJECT_MAX 8
#define FAKE_HEADROOM 64

struct fake_inject {
    struct xsw_packet *pkt; /* Owned by the fake until fake_reset(). */
    uint32_t port;
    uint32_t how;
};

/* struct xsw_ctx is opaque to extensions; this test host defines it. */
struct xsw_ctx;

/** fake_new - a host with ports named 'ports[0..n-1]'. */
struct xsw_ctx *fake_new(const char *const *ports, uint32_t n_ports);
void fake_free(struct xsw_ctx *);

/** fake_host - the table to hand to the extension. */
const struct xsw_host *fake_host(struct xsw_ctx *);

/** fake_load - parse 'yaml'; returns its root node, NULL for an empty
 *              document (aborts the test on a YAML syntax error). */
const struct xsw_cfg *fake_load(struct xsw_ctx *, const char *yaml);

/** fake_error - the last error message set, "" if none. */
const char *fake_error(struct xsw_ctx *);

/** fake_last_log - the last line log() was given, "" if none. */
const char *fake_last_log(struct xsw_ctx *);

/** fake_set_now - what now_ns() returns from now on (0 at first). */
void fake_set_now(struct xsw_ctx *, uint64_t now_ns);

/** fake_counter - the counter named 'name'; aborts if there is none. */
uint64_t fake_counter(struct xsw_ctx *, const char *name);

/** fake_has_counter - was counter 'name' registered? */
int fake_has_counter(struct xsw_ctx *, const char *name);

/** fake_injected - packets injected since fake_reset(). */
uint32_t fake_n_injected(struct xsw_ctx *);
const struct fake_inject *fake_injected(struct xsw_ctx *, uint32_t i);

/** fake_fail_alloc - make the next pkt_alloc() calls return NULL. */
void fake_fail_alloc(struct xsw_ctx *, int fail);

/** fake_n_reparse - pkt_reparse() calls so far. */
uint32_t fake_n_reparse(struct xsw_ctx *);

/** fake_reset - free injected packets, forget the document, counters and
 *               the error. */
void fake_reset(struct xsw_ctx *);

/** fake_parse - fill the metadata of 'pkt' from its bytes, as
 *               pkt_reparse() does ('in_port' and 'vlan' of untagged
 *               frames are kept). */
void fake_parse(struct xsw_packet *pkt);

#endif
