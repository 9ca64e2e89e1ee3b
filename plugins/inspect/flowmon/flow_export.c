#include "flow_export.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

static const char *const state_names[] = {"active", "expired", "evicted"};

static int
cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

static uint64_t
rec_bytes(const struct flow_rec *r)
{
    return r->bytes[FLOW_FWD] + r->bytes[FLOW_REV];
}

static uint64_t
rec_packets(const struct flow_rec *r)
{
    return r->packets[FLOW_FWD] + r->packets[FLOW_REV];
}

int
flow_export_rank(const void *pa, const void *pb)
{
    const struct flow_rec *a = &((const struct flow_ranked *) pa)->rec;
    const struct flow_rec *b = &((const struct flow_ranked *) pb)->rec;
    int c;

    if ((c = cmp_u64(rec_bytes(a), rec_bytes(b))) ||
        (c = cmp_u64(rec_packets(a), rec_packets(b))) ||
        (c = cmp_u64(b->first_ns, a->first_ns)))
        return c;
    return flow_key_cmp(&b->key, &a->key);
}

static int
host_key_cmp(const struct host_key *a, const struct host_key *b)
{
    int c;

    if ((c = cmp_u64(a->vlan, b->vlan)) || (c = cmp_u64(a->kind, b->kind)))
        return c;
    return memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* More bytes sent, then more packets, then the smaller key ranks higher. */
static int
host_rank(const void *pa, const void *pb)
{
    const struct host_rec *a = pa, *b = pb;
    int c;

    if ((c = cmp_u64(a->bytes, b->bytes)) ||
        (c = cmp_u64(a->packets, b->packets)))
        return c;
    return host_key_cmp(&b->key, &a->key);
}

/* --- Rankings ---------------------------------------------------------- */

/* The best 'src->top_n' flows, live and ended, into a malloc()ed array. */
static int
top_flows(const struct flow_export_src *src, struct flow_ranked **out,
          uint32_t *n)
{
    struct flow_top *top;
    struct flow_ranked item, *ended = NULL;
    const struct flow_rec *r = NULL;
    uint32_t i, n_ended = src->ended ? flow_top_count(src->ended) : 0;
    int ret = -ENOMEM;

    top = flow_top_create(src->top_n, sizeof(item), flow_export_rank);
    *out = calloc(src->top_n, sizeof(**out));
    if (n_ended)
        ended = calloc(n_ended, sizeof(*ended));
    if (!top || !*out || (n_ended && !ended))
        goto out;
    memset(&item, 0, sizeof(item));
    while ((r = flow_table_next(src->flows, r))) {
        item.rec = *r;
        flow_top_offer(top, &item);
    }
    if (n_ended)
        flow_top_sorted(src->ended, ended);
    for (i = 0; i < n_ended; i++)
        flow_top_offer(top, &ended[i]);
    *n = flow_top_sorted(top, *out);
    ret = 0;
out:
    if (ret) {
        free(*out);
        *out = NULL;
    }
    free(ended);
    flow_top_destroy(top);
    return ret;
}

/* The best 'src->top_n' hosts by bytes sent (senders only). */
static int
top_hosts(const struct flow_export_src *src, struct host_rec **out,
          uint32_t *n)
{
    struct flow_top *top;
    const struct host_rec *h = NULL;

    top = flow_top_create(src->top_n, sizeof(**out), host_rank);
    *out = calloc(src->top_n, sizeof(**out));
    if (!top || !*out) {
        flow_top_destroy(top);
        free(*out);
        *out = NULL;
        return -ENOMEM;
    }
    while ((h = host_table_next(src->hosts, h))) {
        if (h->packets)
            flow_top_offer(top, h);
    }
    *n = flow_top_sorted(top, *out);
    flow_top_destroy(top);
    return 0;
}

static int
by_age(const void *pa, const void *pb)
{
    const struct flow_rec *a = *(const struct flow_rec *const *) pa;
    const struct flow_rec *b = *(const struct flow_rec *const *) pb;
    int c = cmp_u64(a->first_ns, b->first_ns);

    return c ? c : flow_key_cmp(&a->key, &b->key);
}

/* The live flows, oldest first, as a malloc()ed array of pointers. */
static int
flows_by_age(const struct flow_export_src *src, const struct flow_rec ***out,
             uint32_t *n)
{
    const struct flow_rec *r = NULL;
    uint32_t count = flow_table_count(src->flows);

    *n = 0;
    *out = calloc(count ? count : 1, sizeof(**out));
    if (!*out)
        return -ENOMEM;
    while ((r = flow_table_next(src->flows, r)) && *n < count)
        (*out)[(*n)++] = r;
    qsort(*out, *n, sizeof(**out), by_age);
    return 0;
}

/* --- Words -------------------------------------------------------------- */

static const char *
kind_name(uint8_t kind)
{
    return kind == FLOW_KIND_IPV4   ? "ipv4"
           : kind == FLOW_KIND_IPV6 ? "ipv6"
                                    : "eth";
}

static const char *
tcp_flags_format(uint8_t flags, char buf[9])
{
    static const char letters[] = "FSRPAUEC"; /* Bit 0 first. */
    unsigned i, n = 0;

    for (i = 0; i < 8; i++) {
        if (flags & (1u << i))
            buf[n++] = letters[i];
    }
    buf[n] = '\0';
    return buf;
}

static bool
is_tcp(const struct flow_key *k)
{
    return k->kind != FLOW_KIND_ETH && k->proto == FLOW_IPPROTO_TCP;
}

/* --- JSON --------------------------------------------------------------- */

static void
json_dir(struct json_out *j, const struct flow_export_src *src,
         const struct flow_rec *r, unsigned dir, const char *key)
{
    const char *port;
    char flags[9];

    json_out_object_begin(j, key);
    json_out_u64(j, "packets", r->packets[dir]);
    json_out_u64(j, "bytes", r->bytes[dir]);
    if (is_tcp(&r->key))
        json_out_str(j, "tcp_flags",
                     tcp_flags_format(r->tcp_flags[dir], flags));
    if (r->in_port[dir] != XSW_PORT_NONE && src->port_name) {
        port = src->port_name(src->port_name_arg, r->in_port[dir]);
        if (port)
            json_out_str(j, "in_port", port);
    }
    json_out_object_end(j);
}

static void
json_flow(struct json_out *j, const struct flow_export_src *src,
          const struct flow_rec *r, uint32_t state)
{
    const struct flow_key *k = &r->key;
    unsigned s = r->initiator, d = !r->initiator;
    char addr[FLOW_ADDR_STRLEN], flags[9];

    json_out_object_begin(j, NULL);
    json_out_u64(j, "vlan", k->vlan);
    json_out_str(j, "type", kind_name(k->kind));
    if (k->kind == FLOW_KIND_ETH)
        json_out_u64(j, "ethertype", k->ethertype);
    else
        json_out_u64(j, "proto", k->proto);
    json_out_str(j, "src",
                 flow_addr_format(k->kind, k->addr[s], addr, sizeof(addr)));
    if (flow_key_has_ports(k))
        json_out_u64(j, "src_port", k->port[s]);
    json_out_str(j, "dst",
                 flow_addr_format(k->kind, k->addr[d], addr, sizeof(addr)));
    if (flow_key_has_ports(k))
        json_out_u64(j, "dst_port", k->port[d]);
    json_out_str(j, "state", state_names[state]);
    json_out_u64(j, "first_ns", r->first_ns);
    json_out_u64(j, "last_ns", r->last_ns);
    json_out_u64(j, "packets", rec_packets(r));
    json_out_u64(j, "bytes", rec_bytes(r));
    if (is_tcp(k))
        json_out_str(
            j, "tcp_flags",
            tcp_flags_format(r->tcp_flags[FLOW_FWD] | r->tcp_flags[FLOW_REV],
                             flags));
    json_dir(j, src, r, FLOW_FWD, "fwd");
    json_dir(j, src, r, FLOW_REV, "rev");
    json_out_object_end(j);
}

static void
json_host(struct json_out *j, const struct host_rec *h)
{
    char addr[FLOW_ADDR_STRLEN];

    json_out_object_begin(j, NULL);
    json_out_u64(j, "vlan", h->key.vlan);
    json_out_str(j, "type", kind_name(h->key.kind));
    json_out_str(
        j, "addr",
        flow_addr_format(h->key.kind, h->key.addr, addr, sizeof(addr)));
    json_out_u64(j, "bytes", h->bytes);
    json_out_u64(j, "packets", h->packets);
    json_out_u64(j, "flows", h->flows);
    json_out_object_end(j);
}

static void
json_head(struct json_out *j, const struct flow_export_src *src)
{
    uint32_t i;

    json_out_u64(j, "clock_ns", src->now_ns);
    json_out_object_begin(j, "settings");
    json_out_u64(j, "idle_timeout_s", src->idle_timeout_s);
    json_out_u64(j, "max_flows", src->max_flows);
    json_out_u64(j, "top_n", src->top_n);
    json_out_object_end(j);
    json_out_object_begin(j, "counters");
    for (i = 0; i < src->n_counters; i++)
        json_out_u64(j, src->counter_names[i], *src->counters[i]);
    json_out_object_end(j);
    json_out_u64(j, "flows_active", flow_table_count(src->flows));
    json_out_u64(j, "hosts_tracked", host_table_count(src->hosts));
}

int
flow_export_json(FILE *f, const struct flow_export_src *src)
{
    const struct flow_rec **live = NULL;
    struct flow_ranked *top = NULL;
    struct host_rec *hosts = NULL;
    uint32_t n_live, n_top, n_hosts, i;
    struct json_out j;
    int ret;

    if ((ret = flows_by_age(src, &live, &n_live)) ||
        (ret = top_flows(src, &top, &n_top)) ||
        (ret = top_hosts(src, &hosts, &n_hosts)))
        goto out;
    json_out_init(&j, f);
    json_out_object_begin(&j, NULL);
    json_head(&j, src);
    json_out_array_begin(&j, "flows");
    for (i = 0; i < n_live; i++)
        json_flow(&j, src, live[i], FLOW_STATE_ACTIVE);
    json_out_array_end(&j);
    json_out_array_begin(&j, "top_flows");
    for (i = 0; i < n_top; i++)
        json_flow(&j, src, &top[i].rec, top[i].state);
    json_out_array_end(&j);
    json_out_array_begin(&j, "top_sources");
    for (i = 0; i < n_hosts; i++)
        json_host(&j, &hosts[i]);
    json_out_array_end(&j);
    json_out_object_end(&j);
    ret = json_out_finish(&j);
out:
    free(live);
    free(top);
    free(hosts);
    return ret;
}

/* --- Text --------------------------------------------------------------- */

/* Appends to a fixed buffer; once full, later text is dropped and the end
 * of the buffer says so. */
struct text {
    char *buf;
    size_t size;
    size_t len;
    bool cut;
};

static void __attribute__((format(printf, 2, 3)))
text_add(struct text *t, const char *fmt, ...)
{
    static const char more[] = "...\n";
    va_list ap;
    int n;

    if (t->cut)
        return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t) n < t->size - t->len) {
        t->len += (size_t) n;
        return;
    }
    t->cut = true;
    if (t->size >= sizeof(more))
        memcpy(t->buf + t->size - sizeof(more), more, sizeof(more));
}

static const char *
proto_name(const struct flow_key *k)
{
    switch (k->proto) {
    case FLOW_IPPROTO_TCP:
        return "tcp";
    case FLOW_IPPROTO_UDP:
        return "udp";
    case FLOW_IPPROTO_ICMP:
        return "icmp";
    case FLOW_IPPROTO_ICMPV6:
        return "icmp6";
    default:
        return NULL;
    }
}

/* "vlan 10 tcp 10.0.0.1:1000 > 10.0.0.2:80", initiator first. */
static void
text_flow(struct text *t, const struct flow_rec *r)
{
    const struct flow_key *k = &r->key;
    unsigned s = r->initiator, d = !r->initiator;
    char a[FLOW_ADDR_STRLEN], b[FLOW_ADDR_STRLEN];
    const char *open = k->kind == FLOW_KIND_IPV6 ? "[" : "";
    const char *close = k->kind == FLOW_KIND_IPV6 ? "]" : "";
    const char *proto = proto_name(k);

    flow_addr_format(k->kind, k->addr[s], a, sizeof(a));
    flow_addr_format(k->kind, k->addr[d], b, sizeof(b));
    if (k->kind == FLOW_KIND_ETH)
        text_add(t, "vlan %u eth 0x%04x %s > %s", k->vlan, k->ethertype, a, b);
    else if (flow_key_has_ports(k))
        text_add(t, "vlan %u %s %s%s%s:%u > %s%s%s:%u", k->vlan, proto, open,
                 a, close, k->port[s], open, b, close, k->port[d]);
    else if (proto)
        text_add(t, "vlan %u %s %s > %s", k->vlan, proto, a, b);
    else
        text_add(t, "vlan %u %s proto %u %s > %s", k->vlan, kind_name(k->kind),
                 k->proto, a, b);
}

int
flow_export_top_text(const struct flow_export_src *src, char *out, size_t size)
{
    struct text t = {.buf = out, .size = size};
    struct flow_ranked *top;
    struct host_rec *hosts;
    uint32_t n_top, n_hosts, i;
    char addr[FLOW_ADDR_STRLEN];
    int ret;

    if (size == 0)
        return 0;
    out[0] = '\0';
    if ((ret = top_flows(src, &top, &n_top)))
        return ret;
    if ((ret = top_hosts(src, &hosts, &n_hosts))) {
        free(top);
        return ret;
    }
    text_add(&t, "flows active %u, hosts tracked %u\n",
             flow_table_count(src->flows), host_table_count(src->hosts));
    text_add(&t, "top flows by bytes:\n");
    for (i = 0; i < n_top; i++) {
        const struct flow_rec *r = &top[i].rec;

        text_add(&t, "%3u  ", i + 1);
        text_flow(&t, r);
        text_add(&t, "  bytes %" PRIu64 " packets %" PRIu64 " %s\n",
                 rec_bytes(r), rec_packets(r), state_names[top[i].state]);
    }
    text_add(&t, "top sources by bytes sent:\n");
    for (i = 0; i < n_hosts; i++)
        text_add(&t,
                 "%3u  vlan %u %s  bytes %" PRIu64 " packets %" PRIu64
                 " flows %" PRIu64 "\n",
                 i + 1, hosts[i].key.vlan,
                 flow_addr_format(hosts[i].key.kind, hosts[i].key.addr, addr,
                                  sizeof(addr)),
                 hosts[i].bytes, hosts[i].packets, hosts[i].flows);
    free(top);
    free(hosts);
    return 0;
}
