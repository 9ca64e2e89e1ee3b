/* A module as a vendor built it for ABI 1.0
 * =========================================
 * Compiled against the frozen v1.0 headers (tests/abi/v1.0) and never
 * against sdk/include, then loaded by the current xswd in the replay
 * scenarios tests/abi/replay-*.  Everything it does goes through offsets
 * and constants of v1.0 compiled into it, so if a later minor moves a
 * field or changes a constant, what it observes stops adding up:
 *
 *  - every packet's metadata is compared with what the module parses from
 *    the frame bytes itself (so a moved packet field reads wrong values);
 *  - the verdict fields must arrive reset (the core writes them through
 *    its current layout, the module reads through v1.0's), after another
 *    instance of this module scribbled over them ('scribble: true');
 *  - drops use reason index 1, so the JSON summary names the reason;
 *  - IPv4 UDP frames are copied into a new packet (pkt_alloc), tagged with
 *    the v1.0 inline xsw_pkt_vlan_push(), reparsed and injected out of the
 *    'copy_to' port, so the output file shows what the core read;
 *  - create() calls every host function and checks each answer; a wrong
 *    answer fails create() with the reason.
 *
 * Config keys (all optional):
 *   copy_to: PORT        inject a VLAN 20 copy of every IPv4 UDP frame
 *   drop_ethertype: N    drop frames of this ethertype (reason index 1)
 *   expect_vlan: N       every packet's classified VLAN (0: not checked)
 *   timer_ms: N          count ticks of a timer of this period
 *   scribble: BOOL       write junk into the verdict fields (not 'verdict')
 *   probe: {flag: yes, text: hello, list: [a, b, c], map: {x: 1, y: 2}}
 *                        the config getters must read exactly this
 *   fail: TEXT           create() fails with this message
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xsw/xsw.h>

/* The frames of the scenario carry no IPv4 options and no IPv6 extension
 * headers; this parser knows only what it needs for them. */
#define ABIMOD_ETH_SIZE 14
#define ABIMOD_COPY_VID 20

enum abimod_counter {
    C_CHECKED,
    C_MISMATCHES,
    C_NOT_RESET,
    C_EGRESS,
    C_COPIES,
    C_REPARSE_BAD,
    C_TICKS,
    C_HASH_SYMMETRIC,
    C_N
};

static const char *const counter_names[C_N] = {
    [C_CHECKED] = "metadata checked",
    [C_MISMATCHES] = "metadata mismatches",
    [C_NOT_RESET] = "verdict not reset",
    [C_EGRESS] = "egress packets",
    [C_COPIES] = "copies injected",
    [C_REPARSE_BAD] = "reparse mismatches",
    [C_TICKS] = "ticks",
    [C_HASH_SYMMETRIC] = "flow hash symmetric",
};

static const char *const drop_reasons[] = {"abi drop 0", "abi drop 1"};

struct abimod {
    const struct xsw_host *host;
    struct xsw_ctx *ctx;
    int32_t copy_to; /* Port id, or -1. */
    uint64_t drop_ethertype;
    uint64_t expect_vlan;
    int scribble;
    uint32_t n_ports;
    uint64_t last_tick_ns;
    uint32_t fwd_hash; /* Of the UDP 1111 -> 2222 frame, 0 if unseen. */
    uint64_t *c[C_N];
};

/* --- create(): every host call, every answer checked ---------------- */

#define PROBE(cond)                                                           \
    do {                                                                      \
        if (!(cond))                                                          \
            return h->error(ctx, -EPROTO, "host check failed: %s", #cond);    \
    } while (0)

static int
streq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* The config getters on 'probe:' (see the header comment). */
static int
probe_cfg(const struct xsw_host *h, struct xsw_ctx *ctx,
          const struct xsw_cfg *config)
{
    static const char *const keys[] = {"flag", "text", "list", "map", NULL};
    const struct xsw_cfg *probe = h->cfg_get(ctx, config, "probe");
    const struct xsw_cfg *list, *map;
    const char *text;
    uint64_t u;
    int flag, ret;

    if (!probe)
        return 0;
    if ((ret = h->cfg_keys(ctx, probe, keys)))
        return ret;
    PROBE(h->cfg_type(ctx, config) == XSW_CFG_MAP);
    PROBE(h->cfg_type(ctx, probe) == XSW_CFG_MAP);
    PROBE(h->cfg_type(ctx, NULL) == XSW_CFG_NONE);
    PROBE(h->cfg_len(ctx, probe) == 4);
    PROBE(streq(h->cfg_key_at(ctx, probe, 1), "text"));
    PROBE(h->cfg_bool(ctx, probe, "flag", 0, &flag) == 0 && flag == 1);
    PROBE(h->cfg_bool(ctx, probe, "absent", 1, &flag) == 0 && flag == 1);
    PROBE(h->cfg_string(ctx, probe, "text", NULL, &text) == 0 &&
          streq(text, "hello"));
    PROBE(h->cfg_get(ctx, probe, "absent") == NULL);
    list = h->cfg_get(ctx, probe, "list");
    PROBE(h->cfg_type(ctx, list) == XSW_CFG_SEQ);
    PROBE(h->cfg_len(ctx, list) == 3);
    PROBE(streq(h->cfg_str(ctx, h->cfg_at(ctx, list, 2)), "c"));
    PROBE(h->cfg_at(ctx, list, 3) == NULL);
    PROBE(h->cfg_key_at(ctx, list, 0) == NULL);
    PROBE(h->cfg_str(ctx, list) == NULL);
    map = h->cfg_get(ctx, probe, "map");
    PROBE(h->cfg_type(ctx, map) == XSW_CFG_MAP);
    PROBE(streq(h->cfg_key_at(ctx, map, 1), "y"));
    PROBE(streq(h->cfg_str(ctx, h->cfg_at(ctx, map, 1)), "2"));
    PROBE(h->cfg_type(ctx, h->cfg_at(ctx, map, 0)) == XSW_CFG_SCALAR);
    PROBE(h->cfg_u64(ctx, map, "y", 0, 0, 10, &u) == 0 && u == 2);
    PROBE(h->cfg_u64(ctx, map, "z", 7, 0, 10, &u) == 0 && u == 7);
    return 0;
}

/* Added and cancelled at once by probe_host(). */
static void
never_fires(void *arg, uint64_t now_ns)
{
    (void) arg;
    (void) now_ns;
    abort();
}

static int
probe_host(const struct xsw_host *h, struct xsw_ctx *ctx)
{
    char path[4096];
    struct xsw_packet *p;
    int id;

    PROBE(h->abi_major == XSW_ABI_MAJOR);
    PROBE(h->abi_minor >= XSW_ABI_MINOR);
    PROBE(h->size >= sizeof(struct xsw_host));
    PROBE(XSW_HOST_HAS(h, cfg_dir));
    PROBE(h->port_count(ctx) == 3);
    PROBE(h->port_lookup(ctx, "p3") == 2);
    PROBE(h->port_lookup(ctx, "nope") == -ENOENT);
    PROBE(streq(h->port_name(ctx, 1), "p2"));
    PROBE(h->port_name(ctx, 3) == NULL);
    PROBE(h->now_ns(ctx) == 0); /* No frame has set the clock yet. */
    PROBE(h->cfg_dir(ctx) && h->cfg_dir(ctx)[0]);
    snprintf(path, sizeof path, "%s/config.yaml", h->cfg_dir(ctx));
    PROBE(access(path, R_OK) == 0);
    PROBE(h->counter_new(ctx, "") == NULL);
    PROBE(h->pkt_alloc(ctx, 1u << 20) == NULL);
    p = h->pkt_alloc(ctx, 60);
    PROBE(p != NULL);
    PROBE(p->size == 60 && p->headroom >= 4 && p->l3_ofs == XSW_OFS_NONE &&
          p->in_port == XSW_PORT_NONE && p->verdict == XSW_PASS);
    h->pkt_free(ctx, p);
    PROBE(h->pkt_reparse(ctx, NULL) == -EINVAL);
    id = h->timer_add(ctx, 1000000, NULL, NULL);
    PROBE(id == -EINVAL);
    id = h->timer_add(ctx, 1000000000, never_fires, NULL);
    PROBE(id >= 0);
    PROBE(h->timer_cancel(ctx, id) == 0);
    PROBE(h->timer_cancel(ctx, id) == -ENOENT);
    h->log(ctx, XSW_LOG_DEBUG, "host table %u.%u, %u bytes", h->abi_major,
           h->abi_minor, h->size);
    return 0;
}

static void
tick(void *arg, uint64_t now_ns)
{
    struct abimod *m = arg;

    (*m->c[C_TICKS])++;
    if (now_ns != m->host->now_ns(m->ctx))
        (*m->c[C_MISMATCHES])++;
    m->last_tick_ns = now_ns;
}

static int
configure(struct abimod *m, const struct xsw_cfg *config)
{
    static const char *const keys[] = {
        "copy_to",  "drop_ethertype", "expect_vlan", "timer_ms",
        "scribble", "probe",          "fail",        NULL};
    const struct xsw_host *h = m->host;
    const char *copy_to, *fail;
    uint64_t timer_ms;
    int ret;

    if ((ret = h->cfg_keys(m->ctx, config, keys)) ||
        (ret = h->cfg_string(m->ctx, config, "copy_to", NULL, &copy_to)) ||
        (ret = h->cfg_u64(m->ctx, config, "drop_ethertype", 0, 0, 0xffff,
                          &m->drop_ethertype)) ||
        (ret = h->cfg_u64(m->ctx, config, "expect_vlan", 0, 0, 4094,
                          &m->expect_vlan)) ||
        (ret =
             h->cfg_u64(m->ctx, config, "timer_ms", 0, 0, 60000, &timer_ms)) ||
        (ret = h->cfg_bool(m->ctx, config, "scribble", 0, &m->scribble)) ||
        (ret = h->cfg_string(m->ctx, config, "fail", NULL, &fail)))
        return ret;
    if (fail)
        return h->error(m->ctx, -EINVAL, "%s", fail);
    m->copy_to = copy_to ? h->port_lookup(m->ctx, copy_to) : -1;
    if (copy_to && m->copy_to < 0)
        return h->cfg_error(m->ctx, h->cfg_get(m->ctx, config, "copy_to"),
                            -EINVAL, "no port named '%s'", copy_to);
    if (timer_ms &&
        (ret = h->timer_add(m->ctx, timer_ms * 1000000, tick, m)) < 0)
        return h->error(m->ctx, ret, "timer_add: %d", ret);
    return 0;
}

static int
abimod_create(const struct xsw_host *host, struct xsw_ctx *ctx,
              const struct xsw_cfg *config, void **state)
{
    struct abimod *m = calloc(1, sizeof *m);
    uint32_t i;
    int ret;

    if (!m)
        return host->error(ctx, -ENOMEM, "out of memory");
    m->host = host;
    m->ctx = ctx;
    m->n_ports = host->port_count(ctx);
    for (i = 0; i < C_N; i++) {
        m->c[i] = host->counter_new(ctx, counter_names[i]);
        if (!m->c[i]) {
            ret = host->error(ctx, -ENOMEM, "counter_new failed");
            goto err_free;
        }
    }
    if (host->counter_new(ctx, counter_names[0]) != NULL) {
        ret = host->error(ctx, -EPROTO, "counter_new accepted a duplicate");
        goto err_free;
    }
    if ((ret = configure(m, config)) || (ret = probe_host(host, ctx)) ||
        (ret = probe_cfg(host, ctx, config)))
        goto err_free;
    *state = m;
    return 0;

err_free:
    free(m);
    return ret;
}

static void
abimod_destroy(void *state)
{
    free(state);
}

/* --- Packets --------------------------------------------------------- */

/* What the module expects of a packet, parsed from its bytes. */
struct expect {
    uint8_t n_tags, pcp, ip_version, ip_proto, tcp_flags, tos, ttl;
    uint16_t ethertype, l3_ofs, l4_ofs, payload_ofs, src_port, dst_port;
    uint8_t src_ip[16], dst_ip[16];
};

static void
parse_l4(const uint8_t *d, struct expect *e)
{
    const uint8_t *l4 = d + e->l4_ofs;

    switch (e->ip_proto) {
    case 6:
        e->src_port = xsw_rd16(l4);
        e->dst_port = xsw_rd16(l4 + 2);
        e->tcp_flags = l4[13];
        e->payload_ofs = (uint16_t) (e->l4_ofs + (l4[12] >> 4) * 4);
        break;
    case 17:
        e->src_port = xsw_rd16(l4);
        e->dst_port = xsw_rd16(l4 + 2);
        e->payload_ofs = (uint16_t) (e->l4_ofs + 8);
        break;
    case 1:
    case 58:
        e->src_port = l4[0];
        e->dst_port = l4[1];
        e->payload_ofs = (uint16_t) (e->l4_ofs + 8);
        break;
    default:
        e->l4_ofs = XSW_OFS_NONE;
    }
}

static void
parse_frame(const uint8_t *d, struct expect *e)
{
    uint16_t l3 = ABIMOD_ETH_SIZE;

    memset(e, 0, sizeof *e);
    e->ethertype = xsw_rd16(d + 12);
    if (e->ethertype == 0x8100) {
        e->n_tags = 1;
        e->pcp = d[14] >> 5;
        e->ethertype = xsw_rd16(d + 16);
        l3 += 4;
    }
    e->l3_ofs = e->l4_ofs = e->payload_ofs = XSW_OFS_NONE;
    if (e->ethertype == 0x0806) {
        e->l3_ofs = l3;
        e->ip_proto = d[l3 + 7];
        memcpy(e->src_ip, d + l3 + 14, 4);
        memcpy(e->dst_ip, d + l3 + 24, 4);
    } else if (e->ethertype == 0x0800) {
        e->l3_ofs = l3;
        e->ip_version = 4;
        e->tos = d[l3 + 1];
        e->ttl = d[l3 + 8];
        e->ip_proto = d[l3 + 9];
        memcpy(e->src_ip, d + l3 + 12, 4);
        memcpy(e->dst_ip, d + l3 + 16, 4);
        e->l4_ofs = (uint16_t) (l3 + (d[l3] & 15) * 4);
        parse_l4(d, e);
    } else if (e->ethertype == 0x86dd) {
        e->l3_ofs = l3;
        e->ip_version = 6;
        e->tos = (uint8_t) (xsw_rd16(d + l3) >> 4);
        e->ip_proto = d[l3 + 6];
        e->ttl = d[l3 + 7];
        memcpy(e->src_ip, d + l3 + 8, 16);
        memcpy(e->dst_ip, d + l3 + 24, 16);
        e->l4_ofs = (uint16_t) (l3 + 40);
        parse_l4(d, e);
    }
}

/* The name of the first metadata field that disagrees, or NULL. */
static const char *
wrong_field(const struct abimod *m, const struct xsw_packet *p)
{
    struct expect e;

    if (!p->data || p->size < ABIMOD_ETH_SIZE + 4)
        return "data/size";
    parse_frame(p->data, &e);
#define EXPECT(field, value)                                                  \
    do {                                                                      \
        if (p->field != (value))                                              \
            return #field;                                                    \
    } while (0)
    EXPECT(n_tags, e.n_tags);
    EXPECT(ethertype, e.ethertype);
    EXPECT(l3_ofs, e.l3_ofs);
    EXPECT(l4_ofs, e.l4_ofs);
    EXPECT(payload_ofs, e.payload_ofs);
    EXPECT(ip_version, e.ip_version);
    EXPECT(ip_proto, e.ip_proto);
    EXPECT(src_port, e.src_port);
    EXPECT(dst_port, e.dst_port);
    EXPECT(tcp_flags, e.tcp_flags);
    EXPECT(ip_tos, e.tos);
    EXPECT(ip_ttl, e.ttl);
    if (p->flags & XSW_PKT_F_PARSE_MASK)
        return "flags (parse errors)";
    if (!(p->flags & XSW_PKT_F_TAGGED) != !e.n_tags)
        return "flags (tagged)";
    if (e.n_tags)
        EXPECT(pcp, e.pcp);
    if (m->expect_vlan)
        EXPECT(vlan, m->expect_vlan);
    if (p->in_port >= m->n_ports)
        return "in_port";
    if (!p->ts_ns || p->ts_ns > m->host->now_ns(m->ctx))
        return "ts_ns";
    if (p->headroom < 4)
        return "headroom";
    if (memcmp(p->src_ip, e.src_ip, 16))
        return "src_ip";
    if (memcmp(p->dst_ip, e.dst_ip, 16))
        return "dst_ip";
    if (p->reserved0 || p->reserved1 || p->reserved2)
        return "reserved";
#undef EXPECT
    return NULL;
}

static void
check_packet(struct abimod *m, const struct xsw_packet *p)
{
    const char *bad = wrong_field(m, p);

    (*m->c[C_CHECKED])++;
    if (bad) {
        (*m->c[C_MISMATCHES])++;
        m->host->log(m->ctx, XSW_LOG_WARN, "metadata field %s is wrong", bad);
    }
}

/* The core resets the verdict before each extension (packet.h). */
static void
check_reset(struct abimod *m, const struct xsw_packet *p)
{
    if (p->verdict != XSW_PASS || p->fwd != XSW_FWD_NORMAL || p->n_out ||
        p->drop_reason)
        (*m->c[C_NOT_RESET])++;
}

static void
scribble(struct xsw_packet *p)
{
    p->fwd = XSW_FWD_FLOOD;
    p->n_out = 5;
    p->drop_reason = 7;
}

/* UDP 1111 -> 2222 and its reply 2222 -> 1111 are one flow. */
static void
check_hash(struct abimod *m, const struct xsw_packet *p)
{
    if (p->ip_proto != 17)
        return;
    if (p->src_port == 1111 && p->dst_port == 2222)
        m->fwd_hash = p->flow_hash;
    else if (p->src_port == 2222 && p->dst_port == 1111 && m->fwd_hash &&
             p->flow_hash == m->fwd_hash)
        (*m->c[C_HASH_SYMMETRIC])++;
}

/* A reparsed copy must carry the original's metadata. */
static int
same_parse(const struct xsw_packet *a, const struct xsw_packet *b)
{
    return a->ethertype == b->ethertype && a->l3_ofs == b->l3_ofs &&
           a->l4_ofs == b->l4_ofs && a->payload_ofs == b->payload_ofs &&
           a->ip_proto == b->ip_proto && a->src_port == b->src_port &&
           a->dst_port == b->dst_port && a->flow_hash == b->flow_hash &&
           !memcmp(a->src_ip, b->src_ip, 16) &&
           !memcmp(a->dst_ip, b->dst_ip, 16);
}

static void
copy_out(struct abimod *m, const struct xsw_packet *p)
{
    const struct xsw_host *h = m->host;
    struct xsw_packet *c = h->pkt_alloc(m->ctx, p->size);

    if (!c)
        return;
    memcpy(c->data, p->data, p->size);
    if (h->pkt_reparse(m->ctx, c) || !same_parse(c, p))
        (*m->c[C_REPARSE_BAD])++;
    if (xsw_pkt_vlan_push(c, 0x8100, ABIMOD_COPY_VID) ||
        h->pkt_reparse(m->ctx, c) || c->vlan != ABIMOD_COPY_VID ||
        c->n_tags != 1 || c->l3_ofs != p->l3_ofs + 4)
        (*m->c[C_REPARSE_BAD])++;
    if (h->pkt_inject(m->ctx, c, (uint32_t) m->copy_to, XSW_INJECT_TX) == 0)
        (*m->c[C_COPIES])++;
}

static void
abimod_ingress(void *state, struct xsw_batch *b)
{
    struct abimod *m = state;
    uint32_t i;

    if (b->port != XSW_PORT_NONE)
        (*m->c[C_MISMATCHES])++;
    for (i = 0; i < b->count; i++) {
        struct xsw_packet *p = b->pkts[i];

        check_reset(m, p);
        check_packet(m, p);
        check_hash(m, p);
        /* A no-op (the packet is not traced) through the v1.0 offset. */
        m->host->trace(m->ctx, p, "abi module saw it");
        if (m->copy_to >= 0 && p->ip_version == 4 && p->ip_proto == 17)
            copy_out(m, p);
        if (m->drop_ethertype && p->ethertype == m->drop_ethertype)
            xsw_pkt_drop(p, 1);
        else if (m->scribble)
            scribble(p);
    }
}

static void
abimod_egress(void *state, struct xsw_batch *b)
{
    struct abimod *m = state;
    uint32_t i;

    if (b->port >= m->n_ports)
        (*m->c[C_MISMATCHES])++;
    for (i = 0; i < b->count; i++) {
        check_reset(m, b->pkts[i]);
        (*m->c[C_EGRESS])++;
        if (m->scribble)
            scribble(b->pkts[i]);
    }
}

static void
abimod_stats(void *state, xsw_emit_fn emit, void *emit_arg)
{
    const struct abimod *m = state;

    emit(emit_arg, "ports", m->n_ports);
    emit(emit_arg, "last tick ns", m->last_tick_ns);
}

XSW_EXTENSION_DEFINE(.name = "abi-v1.0", .version = "1.0",
                     .description = "a module built against SDK 1.0",
                     .role = XSW_ROLE_FILTER, .create = abimod_create,
                     .destroy = abimod_destroy, .ingress = abimod_ingress,
                     .egress = abimod_egress, .stats = abimod_stats,
                     .drop_reasons = drop_reasons,
                     .n_drop_reasons = XSW_ARRAY_SIZE(drop_reasons));
