#include "fake_host.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

struct fake_counter {
    char *name;
    uint64_t value;
};

struct xsw_ctx {
    struct xsw_host host;
    const char *const *ports;
    uint32_t n_ports;
    yaml_document_t doc;
    int have_doc;
    char err[512];
    struct fake_counter *counters;
    uint32_t n_counters;
    uint32_t cap_counters;
    struct fake_inject inj[FAKE_INJECT_MAX];
    uint32_t n_inj;
    int fail_alloc;
    uint32_t n_reparse;
    uint64_t now_ns;
    char last_log[512];
    int timer_live;
};

static const yaml_node_t *
node_of(const struct xsw_cfg *c)
{
    return (const yaml_node_t *) c;
}

static const struct xsw_cfg *
cfg_of(const yaml_node_t *n)
{
    return (const struct xsw_cfg *) n;
}

static yaml_node_t *
doc_node(struct xsw_ctx *ctx, int id)
{
    return yaml_document_get_node(&ctx->doc, id);
}

static void
f_log(struct xsw_ctx *ctx, uint32_t level, const char *fmt, ...)
{
    va_list ap;

    (void) level;
    va_start(ap, fmt);
    vsnprintf(ctx->last_log, sizeof ctx->last_log, fmt, ap);
    va_end(ap);
}

static int
f_error(struct xsw_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof ctx->err, fmt, ap);
    va_end(ap);
    return code;
}

static uint64_t
f_now_ns(struct xsw_ctx *ctx)
{
    return ctx->now_ns;
}

static uint32_t
f_port_count(struct xsw_ctx *ctx)
{
    return ctx->n_ports;
}

static int32_t
f_port_lookup(struct xsw_ctx *ctx, const char *name)
{
    uint32_t i;

    for (i = 0; i < ctx->n_ports; i++)
        if (strcmp(ctx->ports[i], name) == 0)
            return (int32_t) i;
    return -ENOENT;
}

static const char *
f_port_name(struct xsw_ctx *ctx, uint32_t port)
{
    return port < ctx->n_ports ? ctx->ports[port] : NULL;
}

struct fake_pkt {
    struct xsw_packet pkt;
    uint8_t buf[];
};

static struct xsw_packet *
f_pkt_alloc(struct xsw_ctx *ctx, uint32_t size)
{
    struct fake_pkt *fp;

    if (ctx->fail_alloc)
        return NULL;
    fp = calloc(1, sizeof *fp + FAKE_HEADROOM + size);
    if (!fp)
        return NULL;
    fp->pkt.data = fp->buf + FAKE_HEADROOM;
    fp->pkt.size = size;
    fp->pkt.headroom = FAKE_HEADROOM;
    fp->pkt.in_port = XSW_PORT_NONE;
    fp->pkt.flags = XSW_PKT_F_INJECTED;
    return &fp->pkt;
}

static void
f_pkt_free(struct xsw_ctx *ctx, struct xsw_packet *pkt)
{
    (void) ctx;
    free(pkt); /* struct fake_pkt starts with the packet. */
}

static int
f_pkt_inject(struct xsw_ctx *ctx, struct xsw_packet *pkt, uint32_t port,
             uint32_t how)
{
    if (ctx->n_inj == FAKE_INJECT_MAX) {
        free(pkt);
        return -ENOSPC;
    }
    fake_parse(pkt);
    ctx->inj[ctx->n_inj++] = (struct fake_inject){pkt, port, how};
    return 0;
}

static int
f_pkt_reparse(struct xsw_ctx *ctx, struct xsw_packet *pkt)
{
    ctx->n_reparse++;
    if (pkt->size < 14)
        return -EINVAL;
    fake_parse(pkt);
    return 0;
}

static uint64_t *
f_counter_new(struct xsw_ctx *ctx, const char *name)
{
    uint32_t i;

    if (!name[0])
        return NULL;
    for (i = 0; i < ctx->n_counters; i++)
        if (strcmp(ctx->counters[i].name, name) == 0)
            return NULL;
    /* The array is allocated once, so the pointers handed out never
     * move; a test that needs more than it holds is wrong. */
    if (ctx->n_counters == ctx->cap_counters)
        abort();
    ctx->counters[ctx->n_counters].name = strdup(name);
    ctx->counters[ctx->n_counters].value = 0;
    return &ctx->counters[ctx->n_counters++].value;
}

static void
f_trace(struct xsw_ctx *ctx, const struct xsw_packet *pkt, const char *fmt,
        ...)
{
    (void) ctx;
    (void) pkt;
    (void) fmt;
}

/* One timer, accepted and never run: the tests call the callbacks they
 * mean to exercise themselves. */
static int
f_timer_add(struct xsw_ctx *ctx, uint64_t interval_ns, xsw_timer_fn fn,
            void *arg)
{
    (void) interval_ns;
    (void) fn;
    (void) arg;
    if (ctx->timer_live)
        return -ENOSPC;
    ctx->timer_live = 1;
    return 0;
}

static int
f_timer_cancel(struct xsw_ctx *ctx, int id)
{
    if (id != 0 || !ctx->timer_live)
        return -ENOENT;
    ctx->timer_live = 0;
    return 0;
}

static uint32_t
f_cfg_type(struct xsw_ctx *ctx, const struct xsw_cfg *c)
{
    const yaml_node_t *n = node_of(c);

    (void) ctx;
    if (!n)
        return XSW_CFG_NONE;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return XSW_CFG_SCALAR;
    case YAML_SEQUENCE_NODE:
        return XSW_CFG_SEQ;
    case YAML_MAPPING_NODE:
        return XSW_CFG_MAP;
    default:
        return XSW_CFG_NONE;
    }
}

static const struct xsw_cfg *
f_cfg_get(struct xsw_ctx *ctx, const struct xsw_cfg *c, const char *key)
{
    const yaml_node_t *n = node_of(c);
    yaml_node_pair_t *p;

    if (!n || n->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = doc_node(ctx, p->key);

        if (k->type == YAML_SCALAR_NODE &&
            strcmp((const char *) k->data.scalar.value, key) == 0)
            return cfg_of(doc_node(ctx, p->value));
    }
    return NULL;
}

static uint32_t
f_cfg_len(struct xsw_ctx *ctx, const struct xsw_cfg *c)
{
    const yaml_node_t *n = node_of(c);

    (void) ctx;
    if (!n)
        return 0;
    if (n->type == YAML_SEQUENCE_NODE)
        return (uint32_t) (n->data.sequence.items.top -
                           n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (uint32_t) (n->data.mapping.pairs.top -
                           n->data.mapping.pairs.start);
    return 0;
}

static const struct xsw_cfg *
f_cfg_at(struct xsw_ctx *ctx, const struct xsw_cfg *c, uint32_t i)
{
    const yaml_node_t *n = node_of(c);

    if (i >= f_cfg_len(ctx, c))
        return NULL;
    if (n->type == YAML_SEQUENCE_NODE)
        return cfg_of(doc_node(ctx, n->data.sequence.items.start[i]));
    return cfg_of(doc_node(ctx, n->data.mapping.pairs.start[i].value));
}

static const char *
f_cfg_key_at(struct xsw_ctx *ctx, const struct xsw_cfg *c, uint32_t i)
{
    const yaml_node_t *n = node_of(c);

    if (!n || n->type != YAML_MAPPING_NODE || i >= f_cfg_len(ctx, c))
        return NULL;
    return (const char *) doc_node(ctx, n->data.mapping.pairs.start[i].key)
        ->data.scalar.value;
}

static const char *
f_cfg_str(struct xsw_ctx *ctx, const struct xsw_cfg *c)
{
    const yaml_node_t *n = node_of(c);

    (void) ctx;
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *) n->data.scalar.value;
}

static int
f_cfg_error(struct xsw_ctx *ctx, const struct xsw_cfg *c, int code,
            const char *fmt, ...)
{
    const yaml_node_t *n = node_of(c);
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n)
        snprintf(ctx->err, sizeof ctx->err, "%zu:%zu: %s",
                 n->start_mark.line + 1, n->start_mark.column + 1, msg);
    else
        snprintf(ctx->err, sizeof ctx->err, "%s", msg);
    return code;
}

static int
f_cfg_keys(struct xsw_ctx *ctx, const struct xsw_cfg *c,
           const char *const *allowed)
{
    const yaml_node_t *n = node_of(c);
    uint32_t i, j;

    if (!n)
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return f_cfg_error(ctx, c, -EINVAL, "want a map");
    for (i = 0; i < f_cfg_len(ctx, c); i++) {
        const char *key = f_cfg_key_at(ctx, c, i);

        for (j = 0; allowed[j]; j++)
            if (strcmp(key, allowed[j]) == 0)
                break;
        if (!allowed[j])
            return f_cfg_error(
                ctx, cfg_of(doc_node(ctx, n->data.mapping.pairs.start[i].key)),
                -EINVAL, "unknown key '%s'", key);
    }
    return 0;
}

static int
f_cfg_u64(struct xsw_ctx *ctx, const struct xsw_cfg *c, const char *key,
          uint64_t def, uint64_t min, uint64_t max, uint64_t *out)
{
    const struct xsw_cfg *v = f_cfg_get(ctx, c, key);
    const char *text = f_cfg_str(ctx, v);
    char *end;
    unsigned long long x;

    *out = def;
    if (!v)
        return 0;
    errno = 0;
    x = text ? strtoull(text, &end, 0) : 0;
    if (!text || !*text || *end || errno || x < min || x > max)
        return f_cfg_error(ctx, v, -EINVAL,
                           "want an integer in %" PRIu64 "..%" PRIu64, min,
                           max);
    *out = x;
    return 0;
}

static int
f_cfg_bool(struct xsw_ctx *ctx, const struct xsw_cfg *c, const char *key,
           int def, int *out)
{
    const char *text = f_cfg_str(ctx, f_cfg_get(ctx, c, key));

    *out = def;
    if (!text)
        return 0;
    *out = strcmp(text, "true") == 0;
    return 0;
}

static int
f_cfg_string(struct xsw_ctx *ctx, const struct xsw_cfg *c, const char *key,
             const char *def, const char **out)
{
    const char *text = f_cfg_str(ctx, f_cfg_get(ctx, c, key));

    *out = text ? text : def;
    return 0;
}

static const char *
f_cfg_dir(struct xsw_ctx *ctx)
{
    (void) ctx;
    return ".";
}

struct xsw_ctx *
fake_new(const char *const *ports, uint32_t n_ports)
{
    struct xsw_ctx *ctx = calloc(1, sizeof *ctx);

    if (!ctx)
        abort();
    ctx->ports = ports;
    ctx->n_ports = n_ports;
    ctx->cap_counters = 8192;
    ctx->counters = calloc(ctx->cap_counters, sizeof *ctx->counters);
    if (!ctx->counters)
        abort();
    ctx->host = (struct xsw_host){
        .abi_major = XSW_ABI_MAJOR,
        .abi_minor = XSW_ABI_MINOR,
        .size = sizeof(struct xsw_host),
        .log = f_log,
        .error = f_error,
        .now_ns = f_now_ns,
        .port_count = f_port_count,
        .port_lookup = f_port_lookup,
        .port_name = f_port_name,
        .pkt_alloc = f_pkt_alloc,
        .pkt_free = f_pkt_free,
        .pkt_inject = f_pkt_inject,
        .pkt_reparse = f_pkt_reparse,
        .counter_new = f_counter_new,
        .trace = f_trace,
        .timer_add = f_timer_add,
        .timer_cancel = f_timer_cancel,
        .cfg_type = f_cfg_type,
        .cfg_get = f_cfg_get,
        .cfg_len = f_cfg_len,
        .cfg_at = f_cfg_at,
        .cfg_key_at = f_cfg_key_at,
        .cfg_str = f_cfg_str,
        .cfg_keys = f_cfg_keys,
        .cfg_u64 = f_cfg_u64,
        .cfg_bool = f_cfg_bool,
        .cfg_string = f_cfg_string,
        .cfg_error = f_cfg_error,
        .cfg_dir = f_cfg_dir,
    };
    return ctx;
}

void
fake_reset(struct xsw_ctx *ctx)
{
    uint32_t i;

    for (i = 0; i < ctx->n_inj; i++)
        free(ctx->inj[i].pkt);
    ctx->n_inj = 0;
    for (i = 0; i < ctx->n_counters; i++)
        free(ctx->counters[i].name);
    ctx->n_counters = 0;
    if (ctx->have_doc)
        yaml_document_delete(&ctx->doc);
    ctx->have_doc = 0;
    ctx->err[0] = '\0';
    ctx->fail_alloc = 0;
    ctx->n_reparse = 0;
    ctx->last_log[0] = '\0';
}

void
fake_free(struct xsw_ctx *ctx)
{
    if (!ctx)
        return;
    fake_reset(ctx);
    free(ctx->counters);
    free(ctx);
}

const struct xsw_host *
fake_host(struct xsw_ctx *ctx)
{
    return &ctx->host;
}

const struct xsw_cfg *
fake_load(struct xsw_ctx *ctx, const char *yaml)
{
    yaml_parser_t parser;

    if (ctx->have_doc)
        yaml_document_delete(&ctx->doc);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *) yaml,
                                 strlen(yaml));
    if (!yaml_parser_load(&parser, &ctx->doc)) {
        fprintf(stderr, "fake_load: %s at line %zu\n", parser.problem,
                parser.problem_mark.line + 1);
        abort();
    }
    yaml_parser_delete(&parser);
    ctx->have_doc = 1;
    return cfg_of(yaml_document_get_root_node(&ctx->doc));
}

const char *
fake_error(struct xsw_ctx *ctx)
{
    return ctx->err;
}

const char *
fake_last_log(struct xsw_ctx *ctx)
{
    return ctx->last_log;
}

void
fake_set_now(struct xsw_ctx *ctx, uint64_t now_ns)
{
    ctx->now_ns = now_ns;
}

int
fake_has_counter(struct xsw_ctx *ctx, const char *name)
{
    uint32_t i;

    for (i = 0; i < ctx->n_counters; i++)
        if (strcmp(ctx->counters[i].name, name) == 0)
            return 1;
    return 0;
}

uint64_t
fake_counter(struct xsw_ctx *ctx, const char *name)
{
    uint32_t i;

    for (i = 0; i < ctx->n_counters; i++)
        if (strcmp(ctx->counters[i].name, name) == 0)
            return ctx->counters[i].value;
    fprintf(stderr, "fake_counter: no counter '%s'\n", name);
    abort();
}

uint32_t
fake_n_injected(struct xsw_ctx *ctx)
{
    return ctx->n_inj;
}

const struct fake_inject *
fake_injected(struct xsw_ctx *ctx, uint32_t i)
{
    return i < ctx->n_inj ? &ctx->inj[i] : NULL;
}

void
fake_fail_alloc(struct xsw_ctx *ctx, int fail)
{
    ctx->fail_alloc = fail;
}

uint32_t
fake_n_reparse(struct xsw_ctx *ctx)
{
    return ctx->n_reparse;
}

static void
parse_l4(struct xsw_packet *p)
{
    const uint8_t *l4 = p->data + p->l4_ofs;
    uint32_t room = p->size - p->l4_ofs;

    if (p->ip_proto == 6 && room >= 20) {
        p->src_port = xsw_rd16(l4);
        p->dst_port = xsw_rd16(l4 + 2);
        p->tcp_flags = l4[13];
        p->payload_ofs = (uint16_t) (p->l4_ofs + (l4[12] >> 4) * 4);
    } else if (p->ip_proto == 17 && room >= 8) {
        p->src_port = xsw_rd16(l4);
        p->dst_port = xsw_rd16(l4 + 2);
        p->payload_ofs = (uint16_t) (p->l4_ofs + 8);
    } else if ((p->ip_proto == 1 || p->ip_proto == 58) && room >= 4) {
        p->src_port = l4[0];
        p->dst_port = l4[1];
        p->payload_ofs = (uint16_t) (p->l4_ofs + 4);
    } else {
        p->l4_ofs = XSW_OFS_NONE;
        p->flags |= XSW_PKT_F_L4_TRUNC;
    }
}

static void
parse_l3(struct xsw_packet *p, uint32_t l3)
{
    const uint8_t *h = p->data + l3;

    if (p->ethertype == 0x0800 && l3 + 20 <= p->size) {
        p->l3_ofs = (uint16_t) l3;
        p->ip_version = 4;
        p->ip_tos = h[1];
        p->ip_ttl = h[8];
        p->ip_proto = h[9];
        memcpy(p->src_ip, h + 12, 4);
        memcpy(p->dst_ip, h + 16, 4);
        p->l4_ofs = (uint16_t) (l3 + (h[0] & 0x0f) * 4u);
    } else if (p->ethertype == 0x86dd && l3 + 40 <= p->size) {
        p->l3_ofs = (uint16_t) l3;
        p->ip_version = 6;
        p->ip_tos = (uint8_t) ((h[0] & 0x0f) << 4 | h[1] >> 4);
        p->ip_proto = h[6];
        p->ip_ttl = h[7];
        memcpy(p->src_ip, h + 8, 16);
        memcpy(p->dst_ip, h + 24, 16);
        p->l4_ofs = (uint16_t) (l3 + 40);
    } else if (p->ethertype == 0x0806 && l3 + 28 <= p->size) {
        p->l3_ofs = (uint16_t) l3;
        p->ip_proto = h[7];
        memcpy(p->src_ip, h + 14, 4);
        memcpy(p->dst_ip, h + 24, 4);
        return;
    } else {
        return;
    }
    if (p->l4_ofs < p->size)
        parse_l4(p);
    else
        p->l4_ofs = XSW_OFS_NONE;
}

void
fake_parse(struct xsw_packet *p)
{
    uint32_t ofs = 12;
    uint16_t type;

    p->flags &= XSW_PKT_F_TRACED | XSW_PKT_F_INJECTED;
    p->pcp = 0;
    p->n_tags = 0;
    p->ethertype = 0;
    p->l3_ofs = p->l4_ofs = p->payload_ofs = XSW_OFS_NONE;
    p->ip_version = p->ip_proto = 0;
    memset(p->src_ip, 0, sizeof p->src_ip);
    memset(p->dst_ip, 0, sizeof p->dst_ip);
    p->src_port = p->dst_port = 0;
    p->tcp_flags = p->ip_tos = p->ip_ttl = 0;
    if (p->size < 14) {
        p->flags |= XSW_PKT_F_L2_TRUNC;
        return;
    }
    type = xsw_rd16(p->data + 12);
    while ((type == 0x8100 || type == 0x88a8) && p->n_tags < XSW_TAGS_MAX &&
           ofs + 6 <= p->size) {
        uint16_t tci = xsw_rd16(p->data + ofs + 2);

        if (p->n_tags == 0 && type == 0x8100) {
            p->vlan = tci & 0x0fff;
            p->pcp = (uint8_t) (tci >> 13);
            p->flags |= XSW_PKT_F_TAGGED;
        }
        p->n_tags++;
        ofs += 4;
        type = xsw_rd16(p->data + ofs);
    }
    p->ethertype = type;
    parse_l3(p, ofs + 2);
}
