/* Unit tests of flowmon: its tables, rankings and JSON writer one by one,
 * then the whole module driven through a fake host (fake_host.h) with
 * packets whose metadata is filled here as the parser would fill it. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xsw/xsw.h>

#include "fake_host.h"
#include "flow_export.h"
#include "flow_key.h"
#include "flow_table.h"
#include "flow_top.h"
#include "host_table.h"
#include "json_out.h"

#define SEC 1000000000ull

/* The module's descriptor, compiled into this test from flowmon.c. */
extern const struct xsw_extension XSW_EXTENSION_SYMBOL_ID;
#define EXT (&XSW_EXTENSION_SYMBOL_ID)

/* --- Packets ------------------------------------------------------------ */

/* A frame and its metadata. */
struct tpkt {
    uint8_t frame[256];
    struct xsw_packet pkt;
};

/* A symmetric hash, like the parser's: both directions agree. */
static uint32_t
sym_hash(const struct xsw_packet *p)
{
    uint32_t a = 0, b = 0;
    unsigned i;

    for (i = 0; i < 16; i++) {
        a = a * 31 + p->src_ip[i];
        b = b * 31 + p->dst_ip[i];
    }
    if (p->ip_proto != FLOW_IPPROTO_ICMP && !(p->flags & XSW_PKT_F_IP_FRAG)) {
        a = a * 31 + p->src_port;
        b = b * 31 + p->dst_port;
    }
    return (a ^ b) * 2654435761u + p->ip_proto;
}

static void
put_mac(uint8_t *p, uint8_t last)
{
    static const uint8_t base[6] = {0x02, 0, 0, 0, 0, 0};

    memcpy(p, base, 6);
    p[5] = last;
}

/* An IPv4 frame from 'src' to 'dst' (dotted quads; MACs from their last
 * byte) carrying 'proto' with an 'l4_size' header and 'payload' bytes. */
static struct xsw_packet *
mk_ipv4(struct tpkt *t, uint8_t proto, const char *src, uint16_t sport,
        const char *dst, uint16_t dport, uint32_t payload, uint64_t ts,
        uint16_t in_port)
{
    uint32_t l4_size = proto == FLOW_IPPROTO_TCP ? 20 : 8;
    uint8_t *ip = t->frame + 14, *l4 = ip + 20;
    struct xsw_packet *p = &t->pkt;

    memset(t, 0, sizeof(*t));
    inet_pton(AF_INET, src, p->src_ip);
    inet_pton(AF_INET, dst, p->dst_ip);
    put_mac(t->frame, p->dst_ip[3]);
    put_mac(t->frame + 6, p->src_ip[3]);
    xsw_wr16(t->frame + 12, 0x0800);
    ip[0] = 0x45;
    xsw_wr16(ip + 2, (uint16_t) (20 + l4_size + payload));
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, p->src_ip, 4);
    memcpy(ip + 16, p->dst_ip, 4);
    if (proto == FLOW_IPPROTO_ICMP) {
        l4[0] = (uint8_t) sport;
        l4[1] = (uint8_t) dport;
    } else {
        xsw_wr16(l4, sport);
        xsw_wr16(l4 + 2, dport);
    }
    if (proto == FLOW_IPPROTO_TCP)
        l4[12] = 5 << 4;
    if (proto == FLOW_IPPROTO_UDP)
        xsw_wr16(l4 + 4, (uint16_t) (8 + payload));

    p->data = t->frame;
    p->size = 14 + 20 + l4_size + payload;
    p->ts_ns = ts;
    p->in_port = in_port;
    p->vlan = 10;
    p->ethertype = 0x0800;
    p->l3_ofs = 14;
    p->l4_ofs = 34;
    p->payload_ofs = (uint16_t) (34 + l4_size);
    p->ip_version = 4;
    p->ip_proto = proto;
    p->src_port = sport;
    p->dst_port = dport;
    p->flow_hash = sym_hash(p);
    return p;
}

static struct xsw_packet *
mk_tcp(struct tpkt *t, const char *src, uint16_t sport, const char *dst,
       uint16_t dport, uint8_t flags, uint32_t payload, uint64_t ts,
       uint16_t in_port)
{
    struct xsw_packet *p = mk_ipv4(t, FLOW_IPPROTO_TCP, src, sport, dst, dport,
                                   payload, ts, in_port);

    p->tcp_flags = flags;
    t->frame[14 + 20 + 13] = flags;
    return p;
}

/* An ARP request from MAC ..:'from' to broadcast (42 bytes). */
static struct xsw_packet *
mk_arp(struct tpkt *t, uint8_t from, uint64_t ts, uint16_t in_port)
{
    struct xsw_packet *p = &t->pkt;

    memset(t, 0, sizeof(*t));
    memset(t->frame, 0xff, 6);
    put_mac(t->frame + 6, from);
    xsw_wr16(t->frame + 12, 0x0806);
    p->data = t->frame;
    p->size = 42;
    p->ts_ns = ts;
    p->in_port = in_port;
    p->vlan = 10;
    p->ethertype = 0x0806;
    p->l3_ofs = 14;
    p->l4_ofs = p->payload_ofs = XSW_OFS_NONE;
    p->ip_proto = 1;
    p->flow_hash = 0x1234; /* Any value: a subset of the MAC key. */
    return p;
}

static void
run_batch(void *state, struct xsw_packet **pkts, uint32_t n)
{
    struct xsw_batch b;

    memset(&b, 0, sizeof(b));
    b.count = n;
    b.port = XSW_PORT_NONE;
    memcpy(b.pkts, pkts, n * sizeof(*pkts));
    EXT->inspect_ingress(state, &b);
}

/* --- Keys --------------------------------------------------------------- */

START_TEST(key_pairs_both_directions)
{
    struct tpkt a, b;
    struct flow_key ka, kb;
    uint32_t ha, hb;
    unsigned sa, sb;

    mk_ipv4(&a, FLOW_IPPROTO_UDP, "10.0.0.9", 1000, "10.0.0.2", 53, 0, 0, 0);
    mk_ipv4(&b, FLOW_IPPROTO_UDP, "10.0.0.2", 53, "10.0.0.9", 1000, 0, 0, 0);
    sa = flow_key_from_packet(&a.pkt, FLOW_CLASS_UDP, &ka, &ha);
    sb = flow_key_from_packet(&b.pkt, FLOW_CLASS_UDP, &kb, &hb);
    ck_assert_int_eq(memcmp(&ka, &kb, sizeof(ka)), 0);
    ck_assert_uint_eq(ha, hb);
    ck_assert_uint_ne(sa, sb);
    /* The smaller address comes first: 10.0.0.2, so .9 is endpoint 1. */
    ck_assert_uint_eq(sa, 1);
    ck_assert_uint_eq(ka.port[0], 53);
    ck_assert_uint_eq(ka.port[1], 1000);
}
END_TEST

START_TEST(key_same_address_orders_by_port)
{
    struct tpkt a, b;
    struct flow_key ka, kb;
    uint32_t h;

    mk_ipv4(&a, FLOW_IPPROTO_TCP, "10.0.0.1", 2000, "10.0.0.1", 1000, 0, 0, 0);
    mk_ipv4(&b, FLOW_IPPROTO_TCP, "10.0.0.1", 1000, "10.0.0.1", 2000, 0, 0, 0);
    ck_assert_uint_eq(flow_key_from_packet(&a.pkt, FLOW_CLASS_TCP, &ka, &h),
                      1);
    ck_assert_uint_eq(flow_key_from_packet(&b.pkt, FLOW_CLASS_TCP, &kb, &h),
                      0);
    ck_assert_int_eq(memcmp(&ka, &kb, sizeof(ka)), 0);
}
END_TEST

START_TEST(key_icmp_request_and_reply_are_one_flow)
{
    struct tpkt a, b;
    struct flow_key ka, kb;
    uint32_t h;

    mk_ipv4(&a, FLOW_IPPROTO_ICMP, "10.0.0.1", 8, "10.0.0.2", 0, 0, 0, 0);
    mk_ipv4(&b, FLOW_IPPROTO_ICMP, "10.0.0.2", 0, "10.0.0.1", 0, 0, 0, 0);
    ck_assert_int_eq(flow_key_classify(&a.pkt), FLOW_CLASS_ICMP);
    flow_key_from_packet(&a.pkt, FLOW_CLASS_ICMP, &ka, &h);
    flow_key_from_packet(&b.pkt, FLOW_CLASS_ICMP, &kb, &h);
    ck_assert_int_eq(memcmp(&ka, &kb, sizeof(ka)), 0);
    ck_assert(!flow_key_has_ports(&ka));
}
END_TEST

START_TEST(key_fragments_have_no_ports)
{
    struct tpkt a;
    struct flow_key k;
    uint32_t h;

    mk_ipv4(&a, FLOW_IPPROTO_UDP, "10.0.0.1", 1000, "10.0.0.2", 53, 0, 0, 0);
    a.pkt.flags |= XSW_PKT_F_IP_FRAG;
    flow_key_from_packet(&a.pkt, FLOW_CLASS_UDP, &k, &h);
    ck_assert_uint_eq(k.port[0], 0);
    ck_assert_uint_eq(k.port[1], 0);
}
END_TEST

START_TEST(key_non_ip_uses_macs_and_ethertype)
{
    struct tpkt a, b;
    struct flow_key ka, kb;
    uint32_t h;

    mk_arp(&a, 5, 0, 0);
    ck_assert_int_eq(flow_key_classify(&a.pkt), FLOW_CLASS_NON_IP);
    flow_key_from_packet(&a.pkt, FLOW_CLASS_NON_IP, &ka, &h);
    ck_assert_uint_eq(ka.kind, FLOW_KIND_ETH);
    ck_assert_uint_eq(ka.ethertype, 0x0806);
    ck_assert_uint_eq(h, 0x1234);
    /* The reply direction: swap the MACs. */
    mk_arp(&b, 5, 0, 0);
    memcpy(b.frame + 6, a.frame, 6);
    memcpy(b.frame, a.frame + 6, 6);
    ck_assert_uint_eq(flow_key_from_packet(&b.pkt, FLOW_CLASS_NON_IP, &kb, &h),
                      1);
    ck_assert_int_eq(memcmp(&ka, &kb, sizeof(ka)), 0);
}
END_TEST

START_TEST(key_classifies_by_parser_metadata)
{
    struct tpkt a;

    mk_ipv4(&a, 47, "10.0.0.1", 0, "10.0.0.2", 0, 0, 0, 0);
    ck_assert_int_eq(flow_key_classify(&a.pkt), FLOW_CLASS_OTHER_IP);
    /* A refused IP header: the parser leaves ip_version 0. */
    a.pkt.ip_version = 0;
    ck_assert_int_eq(flow_key_classify(&a.pkt), FLOW_CLASS_NON_IP);
    a.pkt.size = 13;
    ck_assert_int_eq(flow_key_classify(&a.pkt), FLOW_CLASS_RUNT);
}
END_TEST

/* --- Flow table --------------------------------------------------------- */

struct ended_log {
    unsigned n;
    struct flow_key keys[16];
    enum flow_end why[16];
};

static void
log_end(void *arg, const struct flow_rec *rec, enum flow_end why)
{
    struct ended_log *l = arg;

    ck_assert_uint_lt(l->n, 16);
    l->keys[l->n] = rec->key;
    l->why[l->n++] = why;
}

static struct flow_key
key_n(unsigned n)
{
    struct flow_key k;

    memset(&k, 0, sizeof(k));
    k.vlan = 1;
    k.kind = FLOW_KIND_IPV4;
    k.proto = FLOW_IPPROTO_UDP;
    k.addr[0][3] = (uint8_t) n;
    k.addr[1][3] = 200;
    return k;
}

static struct flow_table *
table_new(uint32_t max, uint64_t idle_ns, struct ended_log *log)
{
    struct flow_table_settings s = {.max_flows = max,
                                    .idle_ns = idle_ns,
                                    .on_end = log_end,
                                    .on_end_arg = log};
    struct flow_table *t = flow_table_create(&s);

    ck_assert_ptr_nonnull(t);
    return t;
}

static struct flow_rec *
table_touch(struct flow_table *t, unsigned n, uint32_t hash, uint64_t now,
            bool want_created)
{
    struct flow_key k = key_n(n);
    struct flow_rec *r;
    bool created;

    r = flow_table_find(t, &k, hash, now, &created);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(created, want_created);
    r->last_ns = now;
    return r;
}

START_TEST(table_finds_what_it_made)
{
    struct ended_log log = {0};
    struct flow_table *t = table_new(8, SEC, &log);
    struct flow_rec *r1, *r2;
    struct flow_key k = key_n(1);

    r1 = table_touch(t, 1, 42, 5, true);
    ck_assert_uint_eq(r1->first_ns, 5);
    ck_assert_uint_eq(r1->in_port[0], XSW_PORT_NONE);
    r1->packets[0] = 3;
    r2 = table_touch(t, 1, 42, 6, false);
    ck_assert_ptr_eq(r1, r2);
    ck_assert_uint_eq(r2->packets[0], 3);
    ck_assert_ptr_eq(flow_table_lookup(t, &k, 42), r1);
    ck_assert_uint_eq(flow_table_count(t), 1);
    flow_table_destroy(t);
}
END_TEST

START_TEST(table_keeps_equal_hashes_apart)
{
    struct ended_log log = {0};
    struct flow_table *t = table_new(8, SEC, &log);
    struct flow_key k;
    unsigned i;

    for (i = 1; i <= 5; i++)
        table_touch(t, i, 0, i, true)->packets[0] = i;
    for (i = 1; i <= 5; i++) {
        k = key_n(i);
        ck_assert_uint_eq(flow_table_lookup(t, &k, 0)->packets[0], i);
    }
    ck_assert_uint_eq(flow_table_count(t), 5);
    flow_table_destroy(t);
}
END_TEST

START_TEST(table_evicts_least_recently_used)
{
    struct ended_log log = {0};
    struct flow_table *t = table_new(2, 100 * SEC, &log);
    struct flow_key k;

    table_touch(t, 1, 1, 1, true);
    table_touch(t, 2, 2, 2, true);
    table_touch(t, 1, 1, 3, false); /* 2 is now the least recent. */
    table_touch(t, 3, 3, 4, true);
    ck_assert_uint_eq(log.n, 1);
    ck_assert_int_eq(log.why[0], FLOW_END_EVICTED);
    k = key_n(2);
    ck_assert_int_eq(memcmp(&log.keys[0], &k, sizeof(k)), 0);
    ck_assert_ptr_null(flow_table_lookup(t, &k, 2));
    k = key_n(1);
    ck_assert_ptr_nonnull(flow_table_lookup(t, &k, 1));
    ck_assert_uint_eq(flow_table_count(t), 2);
    flow_table_destroy(t);
}
END_TEST

START_TEST(table_expires_idle_flows_only)
{
    struct ended_log log = {0};
    struct flow_table *t = table_new(4, 5 * SEC, &log);
    struct flow_key k;

    table_touch(t, 1, 1, 1 * SEC, true);
    table_touch(t, 2, 2, 3 * SEC, true);
    ck_assert_uint_eq(flow_table_expire(t, 6 * SEC - 1), 0);
    ck_assert_uint_eq(flow_table_expire(t, 6 * SEC), 1);
    ck_assert_int_eq(log.why[0], FLOW_END_EXPIRED);
    k = key_n(1);
    ck_assert_int_eq(memcmp(&log.keys[0], &k, sizeof(k)), 0);
    ck_assert_uint_eq(flow_table_expire(t, 8 * SEC - 1), 0);
    ck_assert_uint_eq(flow_table_expire(t, 8 * SEC), 1);
    ck_assert_uint_eq(flow_table_count(t), 0);
    /* Freed slots are reused: four more flows fit without eviction. */
    table_touch(t, 3, 3, 9 * SEC, true);
    table_touch(t, 4, 4, 9 * SEC, true);
    table_touch(t, 5, 5, 9 * SEC, true);
    table_touch(t, 6, 6, 9 * SEC, true);
    ck_assert_uint_eq(log.n, 2);
    ck_assert_uint_eq(flow_table_count(t), 4);
    flow_table_destroy(t);
}
END_TEST

START_TEST(table_walks_most_recent_first)
{
    struct ended_log log = {0};
    struct flow_table *t = table_new(4, SEC, &log);
    const struct flow_rec *r;
    unsigned order[] = {2, 3, 1}, i = 0;

    table_touch(t, 1, 1, 1, true);
    table_touch(t, 3, 3, 2, true);
    table_touch(t, 2, 2, 3, true);
    for (r = flow_table_next(t, NULL); r; r = flow_table_next(t, r)) {
        ck_assert_uint_lt(i, 3);
        ck_assert_uint_eq(r->key.addr[0][3], order[i++]);
    }
    ck_assert_uint_eq(i, 3);
    flow_table_destroy(t);
}
END_TEST

/* --- Host table --------------------------------------------------------- */

static struct host_key
host_n(unsigned n)
{
    struct host_key k;

    memset(&k, 0, sizeof(k));
    k.kind = FLOW_KIND_IPV4;
    k.addr[3] = (uint8_t) n;
    return k;
}

START_TEST(hosts_evict_oldest_unreferenced_only)
{
    struct host_table *t = host_table_create(2);
    struct host_key a = host_n(1), b = host_n(2), c = host_n(3);
    uint32_t ia, ib, ic;
    bool ev;

    ia = host_table_ref(t, &a, &ev);
    ck_assert(!ev);
    ib = host_table_ref(t, &b, &ev);
    ck_assert_uint_eq(host_table_ref(t, &a, &ev), ia);
    ck_assert_uint_eq(host_table_get(t, ia)->refs, 2);
    /* Every host is referenced: no room. */
    ck_assert_uint_eq(host_table_ref(t, &c, &ev), HOST_NONE);
    ck_assert(!ev);
    host_table_unref(t, ib);
    host_table_get(t, ia)->bytes = 7;
    ic = host_table_ref(t, &c, &ev);
    ck_assert(ev);
    ck_assert_uint_eq(ic, ib); /* b's slot, b gone. */
    ck_assert_uint_eq(host_table_get(t, ic)->bytes, 0);
    ck_assert_uint_eq(host_table_count(t), 2);
    /* a unreferenced first, then c: a goes first. */
    host_table_unref(t, ia);
    host_table_unref(t, ia);
    host_table_unref(t, ic);
    ck_assert_uint_eq(host_table_ref(t, &b, &ev), ia);
    ck_assert(ev);
    /* c is still there, with its totals. */
    ck_assert_uint_eq(host_table_ref(t, &c, &ev), ic);
    ck_assert(!ev);
    host_table_destroy(t);
}
END_TEST

/* --- Top-N --------------------------------------------------------------- */

static int
rank_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

    return (x > y) - (x < y);
}

static int
desc_u64(const void *a, const void *b)
{
    return rank_u64(b, a);
}

START_TEST(top_keeps_the_best_n)
{
    struct flow_top *top = flow_top_create(5, sizeof(uint64_t), rank_u64);
    uint64_t all[200], got[5], x = 88172645463325252ull;
    unsigned i;

    for (i = 0; i < 200; i++) {
        x ^= x << 13; /* xorshift64: distinct values. */
        x ^= x >> 7;
        x ^= x << 17;
        all[i] = x;
        flow_top_offer(top, &all[i]);
    }
    ck_assert_uint_eq(flow_top_sorted(top, got), 5);
    qsort(all, 200, sizeof(all[0]), desc_u64);
    for (i = 0; i < 5; i++)
        ck_assert(got[i] == all[i]);
    flow_top_destroy(top);
}
END_TEST

/* --- JSON -----------------------------------------------------------------
 */

START_TEST(json_escapes_strings)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    struct json_out j;

    json_out_init(&j, f);
    json_out_object_begin(&j, NULL);
    json_out_str(&j, "q\"b\\", "a\nb\tc\x01");
    json_out_str(&j, "utf8", "caf\xc3\xa9 \xe2\x82\xac");
    json_out_str(&j, "bad", "x\xff\xc3(\xed\xa0\x80y");
    json_out_array_begin(&j, "a");
    json_out_u64(&j, NULL, 18446744073709551615ull);
    json_out_object_begin(&j, NULL);
    json_out_object_end(&j);
    json_out_array_end(&j);
    json_out_array_begin(&j, "e");
    json_out_array_end(&j);
    json_out_object_end(&j);
    ck_assert_int_eq(json_out_finish(&j), 0);
    fclose(f);
    ck_assert_str_eq(buf, "{\n"
                          "  \"q\\\"b\\\\\": \"a\\nb\\tc\\u0001\",\n"
                          "  \"utf8\": \"caf\xc3\xa9 \xe2\x82\xac\",\n"
                          "  \"bad\": \"x\\ufffd\\ufffd(\\ufffd\\ufffd"
                          "\\ufffdy\",\n"
                          "  \"a\": [\n"
                          "    18446744073709551615,\n"
                          "    {}\n"
                          "  ],\n"
                          "  \"e\": []\n"
                          "}\n");
    free(buf);
}
END_TEST

/* Deeper than one write of indent (16 levels, 32 spaces), zero, and
 * strings whose plain runs are cut by escapes at either end. */
START_TEST(json_deep_and_runs)
{
    char *buf = NULL, want[4096], *w = want;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    struct json_out j;
    int i;

    json_out_init(&j, f);
    for (i = 0; i < 20; i++)
        json_out_array_begin(&j, NULL);
    json_out_u64(&j, NULL, 0);
    json_out_str(&j, NULL, "\"plain run\\");
    for (i = 0; i < 20; i++)
        json_out_array_end(&j);
    ck_assert_int_eq(json_out_finish(&j), 0);
    fclose(f);
    for (i = 0; i < 20; i++)
        w += sprintf(w, "%*s[\n", 2 * i, "");
    w += sprintf(w, "%*s0,\n%*s\"\\\"plain run\\\\\"\n", 40, "", 40, "");
    for (i = 19; i >= 0; i--)
        w += sprintf(w, "%*s]\n", 2 * i, "");
    ck_assert_str_eq(buf, want);
    free(buf);
}
END_TEST

/* Output past the writer's buffer: a string longer than it (written
 * around it) and many small values (the buffer filled and emptied). */
START_TEST(json_past_the_buffer)
{
    static char longs[3 * JSON_OUT_BUF + 1], want[8 * JSON_OUT_BUF];
    char *buf = NULL, *w = want;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    struct json_out j;
    unsigned i;

    memset(longs, 'x', sizeof longs - 1);
    json_out_init(&j, f);
    json_out_array_begin(&j, NULL);
    json_out_str(&j, NULL, "a");
    json_out_str(&j, NULL, longs);
    for (i = 0; i < 1000; i++)
        json_out_u64(&j, NULL, i * 1000003ull);
    json_out_array_end(&j);
    ck_assert_int_eq(json_out_finish(&j), 0);
    fclose(f);
    w += sprintf(w, "[\n  \"a\",\n  \"%s\"", longs);
    for (i = 0; i < 1000; i++)
        w += sprintf(w, ",\n  %llu", i * 1000003ull);
    sprintf(w, "\n]\n");
    ck_assert_uint_eq(size, strlen(want));
    ck_assert_str_eq(buf, want);
    free(buf);
}
END_TEST

/* --- The module through a fake host -------------------------------------- */

static struct fake_host fh;

static void
fh_setup(void)
{
    fake_host_init(&fh);
}

static void
fh_teardown(void)
{
    fake_host_fini(&fh);
}

static void *
ext_create(const struct xsw_cfg *cfg)
{
    void *state = NULL;
    int ret = EXT->create(&fh.host, fake_host_ctx(&fh), cfg, &state);

    ck_assert_msg(ret == 0, "create: %d %s", ret, fh.error);
    ck_assert_ptr_nonnull(state);
    return state;
}

/* Runs jq -e 'expr' on file 'name' of the fake host's directory. */
static void
jq_holds(const char *name, const char *expr)
{
    char cmd[2048];
    int rc;

    snprintf(cmd, sizeof(cmd), "jq -e '%s' '%s/%s' >/dev/null", expr, fh.dir,
             name);
    rc = system(cmd);
    ck_assert_msg(rc == 0, "does not hold on %s: %s", name, expr);
}

static int
control(void *state, char *out, uint32_t size, uint32_t argc, ...)
{
    const char *argv[4];
    va_list ap;
    uint32_t i;

    va_start(ap, argc);
    for (i = 0; i < argc && i < 4; i++)
        argv[i] = va_arg(ap, const char *);
    va_end(ap);
    return EXT->control(state, argc, argv, out, size);
}

static const struct xsw_cfg s_out = {.scalar = "out.json"};

/* Seven packets: a TCP handshake with data, one UDP packet, a ping and
 * its reply, an ARP request.  Expected per flow, by hand:
 *   tcp 10.0.0.1:1000 > 10.0.0.2:80  fwd 2 pkts 54+154=208 B, flags S|A
 *                                    rev 1 pkt  54 B, flags SA
 *   udp 10.0.0.3:5000 > 10.0.0.4:53  fwd 1 pkt 14+20+8+10 = 52 B
 *   icmp 10.0.0.2 > 10.0.0.1        fwd 1 pkt 42 B (p1), rev 1 pkt 42 B
 *   eth 02:..:05 > ff:..:ff 0x0806  fwd 1 pkt 42 B
 * Sources by bytes sent: .1 = 208+42 = 250 (3 pkts, 2 flows), .2 = 54+42
 * = 96, .3 = 52, MAC 02:00:00:00:00:05 = 42. */
static void
feed_mix(void *state)
{
    static struct tpkt t[7];
    struct xsw_packet *p[7];

    p[0] = mk_tcp(&t[0], "10.0.0.1", 1000, "10.0.0.2", 80, XSW_TCP_SYN, 0,
                  1 * SEC, 0);
    p[1] = mk_tcp(&t[1], "10.0.0.2", 80, "10.0.0.1", 1000,
                  XSW_TCP_SYN | XSW_TCP_ACK, 0, 1 * SEC + 100, 1);
    p[2] = mk_tcp(&t[2], "10.0.0.1", 1000, "10.0.0.2", 80, XSW_TCP_ACK, 100,
                  1 * SEC + 200, 0);
    p[3] = mk_ipv4(&t[3], FLOW_IPPROTO_UDP, "10.0.0.3", 5000, "10.0.0.4", 53,
                   10, 1 * SEC + 300, 2);
    p[4] = mk_ipv4(&t[4], FLOW_IPPROTO_ICMP, "10.0.0.2", 8, "10.0.0.1", 0, 0,
                   1 * SEC + 400, 1);
    p[5] = mk_ipv4(&t[5], FLOW_IPPROTO_ICMP, "10.0.0.1", 0, "10.0.0.2", 0, 0,
                   1 * SEC + 500, 0);
    p[6] = mk_arp(&t[6], 5, 1 * SEC + 600, 3);
    run_batch(state, p, 4);
    run_batch(state, p + 4, 3);
}

START_TEST(ext_pairs_directions_and_exports)
{
    const struct xsw_cfg cfg = {.keys = {"export"}, .vals = {&s_out}};
    void *state = ext_create(&cfg);
    char out[4096];

    feed_mix(state);
    ck_assert_uint_eq(fake_host_counter(&fh, "tcp packets"), 3);
    ck_assert_uint_eq(fake_host_counter(&fh, "udp packets"), 1);
    ck_assert_uint_eq(fake_host_counter(&fh, "icmp packets"), 2);
    ck_assert_uint_eq(fake_host_counter(&fh, "non-ip packets"), 1);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows created"), 4);
    ck_assert_uint_eq(fake_host_counter(&fh, "bytes"),
                      54 + 54 + 154 + 52 + 42 + 42 + 42);

    fh.now_ns = 2 * SEC;
    ck_assert_int_eq(control(state, out, sizeof(out), 2, "export", "x.json"),
                     0);
    ck_assert_str_eq(out + strlen(out) - strlen("/x.json\n"), "/x.json\n");
    ck_assert_ptr_nonnull(strstr(out, "exported 4 flows to "));
    jq_holds("x.json", ".clock_ns == 2000000000 and .flows_active == 4");
    jq_holds("x.json", "[.flows[] | .src] == "
                       "[\"10.0.0.1\", \"10.0.0.3\", \"10.0.0.2\", "
                       "\"02:00:00:00:00:05\"]");
    jq_holds("x.json",
             ".flows[0] == {vlan: 10, type: \"ipv4\", proto: 6, "
             "src: \"10.0.0.1\", src_port: 1000, dst: \"10.0.0.2\", "
             "dst_port: 80, state: \"active\", first_ns: 1000000000, "
             "last_ns: 1000000200, packets: 3, bytes: 262, tcp_flags: \"SA\", "
             "fwd: {packets: 2, bytes: 208, tcp_flags: \"SA\", in_port: "
             "\"p0\"}, rev: {packets: 1, bytes: 54, tcp_flags: \"SA\", "
             "in_port: \"p1\"}}");
    jq_holds("x.json", ".flows[2] | .proto == 1 and .dst == \"10.0.0.1\" "
                       "and .fwd.packets == 1 and .rev.packets == 1 and "
                       "(has(\"src_port\") | not)");
    jq_holds("x.json", ".flows[3] | .type == \"eth\" and .ethertype == 2054 "
                       "and .dst == \"ff:ff:ff:ff:ff:ff\" and .rev.packets "
                       "== 0 and (.rev | has(\"in_port\") | not)");
    jq_holds("x.json", "[.top_flows[] | .bytes] == [262, 84, 52, 42]");
    jq_holds("x.json", "[.top_sources[] | [.addr, .bytes, .packets, .flows]]"
                       " == [[\"10.0.0.1\", 250, 3, 2], [\"10.0.0.2\", 96, 2,"
                       " 2], [\"10.0.0.3\", 52, 1, 1], "
                       "[\"02:00:00:00:00:05\", 42, 1, 1]]");
    jq_holds("x.json", ".counters[\"flows created\"] == 4 and "
                       ".settings == {idle_timeout_s: 60, max_flows: 65536, "
                       "top_n: 10}");

    ck_assert_int_eq(control(state, out, sizeof(out), 1, "top"), 0);
    ck_assert_ptr_nonnull(strstr(out, "flows active 4, hosts tracked 6\n"));
    ck_assert_ptr_nonnull(strstr(out, "  1  vlan 10 tcp 10.0.0.1:1000 > "
                                      "10.0.0.2:80  bytes 262 packets 3 "
                                      "active\n"));
    ck_assert_ptr_nonnull(strstr(out, "  2  vlan 10 icmp 10.0.0.2 > 10.0.0.1"
                                      "  bytes 84 packets 2 active\n"));
    ck_assert_ptr_nonnull(strstr(out, "  4  vlan 10 eth 0x0806 "
                                      "02:00:00:00:00:05 > ff:ff:ff:ff:ff:ff"
                                      "  bytes 42 packets 1 active\n"));
    ck_assert_ptr_nonnull(strstr(out, "  1  vlan 10 10.0.0.1  bytes 250 "
                                      "packets 3 flows 2\n"));

    EXT->destroy(state);
    ck_assert_int_eq(fh.timers_cancelled, 1);
    jq_holds("out.json", ".flows_active == 4 and (.flows | length) == 4");
}
END_TEST

START_TEST(ext_top_text_is_cut_to_the_buffer)
{
    void *state = ext_create(NULL);
    char out[64];

    feed_mix(state);
    memset(out, 'x', sizeof(out));
    ck_assert_int_eq(control(state, out, sizeof(out), 1, "top"), 0);
    ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
    ck_assert_str_eq(out + sizeof(out) - 5, "...\n");
    EXT->destroy(state);
}
END_TEST

START_TEST(ext_expires_idle_flows_on_the_timer)
{
    const struct xsw_cfg idle = {.scalar = "5"};
    const struct xsw_cfg cfg = {.keys = {"idle_timeout_s", "export"},
                                .vals = {&idle, &s_out}};
    void *state = ext_create(&cfg);
    struct tpkt t;
    struct xsw_packet *p;

    ck_assert_ptr_nonnull(fh.timer_fn);
    ck_assert_uint_eq(fh.timer_interval_ns, SEC);
    p = mk_ipv4(&t, FLOW_IPPROTO_UDP, "10.0.0.1", 1, "10.0.0.2", 2, 0, 1 * SEC,
                0);
    run_batch(state, &p, 1);
    p = mk_ipv4(&t, FLOW_IPPROTO_UDP, "10.0.0.1", 3, "10.0.0.2", 4, 0, 3 * SEC,
                0);
    run_batch(state, &p, 1);
    fh.timer_fn(fh.timer_arg, 6 * SEC - 1);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows expired"), 0);
    fh.timer_fn(fh.timer_arg, 6 * SEC);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows expired"), 1);
    /* The first flow comes back: a new record. */
    p = mk_ipv4(&t, FLOW_IPPROTO_UDP, "10.0.0.2", 2, "10.0.0.1", 1, 20,
                7 * SEC, 1);
    run_batch(state, &p, 1);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows created"), 3);
    fh.now_ns = 7 * SEC;
    EXT->destroy(state);
    jq_holds("out.json", "[.flows[] | [.src, .src_port, .first_ns]] == "
                         "[[\"10.0.0.1\", 3, 3000000000], "
                         "[\"10.0.0.2\", 2, 7000000000]]");
    /* Ties on bytes and packets: the earlier flow ranks higher. */
    jq_holds("out.json", "[.top_flows[] | [.src, .state, .bytes]] == "
                         "[[\"10.0.0.2\", \"active\", 62], "
                         "[\"10.0.0.1\", \"expired\", 42], "
                         "[\"10.0.0.1\", \"active\", 42]]");
    /* Both hosts took part in all three flows. */
    jq_holds("out.json", ".top_sources | map([.addr, .bytes, .flows]) == "
                         "[[\"10.0.0.1\", 84, 3], [\"10.0.0.2\", 62, 3]]");
}
END_TEST

START_TEST(ext_evicts_the_least_recent_flow)
{
    const struct xsw_cfg max = {.scalar = "2"};
    const struct xsw_cfg cfg = {.keys = {"max_flows", "export"},
                                .vals = {&max, &s_out}};
    void *state = ext_create(&cfg);
    struct tpkt t[4];
    struct xsw_packet *p[4];

    p[0] = mk_ipv4(&t[0], FLOW_IPPROTO_UDP, "10.0.0.1", 1, "10.0.0.9", 9, 0,
                   1 * SEC, 0);
    p[1] = mk_ipv4(&t[1], FLOW_IPPROTO_UDP, "10.0.0.2", 1, "10.0.0.9", 9, 0,
                   2 * SEC, 0);
    p[2] = mk_ipv4(&t[2], FLOW_IPPROTO_UDP, "10.0.0.1", 1, "10.0.0.9", 9, 0,
                   3 * SEC, 0);
    p[3] = mk_ipv4(&t[3], FLOW_IPPROTO_UDP, "10.0.0.3", 1, "10.0.0.9", 9, 0,
                   4 * SEC, 0);
    run_batch(state, p, 4);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows created"), 3);
    ck_assert_uint_eq(fake_host_counter(&fh, "flows evicted"), 1);
    EXT->destroy(state);
    jq_holds("out.json", "[.flows[] | .src] == [\"10.0.0.1\", \"10.0.0.3\"]");
    /* 84 bytes first, then the two 42-byte flows, earlier first. */
    jq_holds("out.json", "[.top_flows[] | [.src, .state]] == "
                         "[[\"10.0.0.1\", \"active\"], "
                         "[\"10.0.0.2\", \"evicted\"], "
                         "[\"10.0.0.3\", \"active\"]]");
}
END_TEST

START_TEST(ext_mirrors_matching_packets)
{
    const struct xsw_cfg filter = {.scalar = "udp"},
                         file = {.scalar = "m.pcap"}, snap = {.scalar = "50"};
    const struct xsw_cfg mirror = {.keys = {"filter", "file", "snaplen"},
                                   .vals = {&filter, &file, &snap}};
    const struct xsw_cfg cfg = {.keys = {"mirror"}, .vals = {&mirror}};
    void *state = ext_create(&cfg);
    struct tpkt t[3];
    struct xsw_packet *p[3];
    char path[512], err[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc;

    p[0] = mk_tcp(&t[0], "10.0.0.1", 1, "10.0.0.2", 2, XSW_TCP_SYN, 0, 1 * SEC,
                  0);
    p[1] = mk_ipv4(&t[1], FLOW_IPPROTO_UDP, "10.0.0.1", 1, "10.0.0.2", 2, 100,
                   2 * SEC + 1500, 0);
    p[2] = mk_ipv4(&t[2], FLOW_IPPROTO_UDP, "10.0.0.2", 2, "10.0.0.1", 1, 0,
                   3 * SEC, 1);
    run_batch(state, p, 3);
    ck_assert_uint_eq(fake_host_counter(&fh, "mirrored packets"), 2);
    EXT->destroy(state);

    snprintf(path, sizeof(path), "%s/m.pcap", fh.dir);
    pc = pcap_open_offline(path, err);
    ck_assert_msg(pc != NULL, "%s", err);
    ck_assert_int_eq(pcap_datalink(pc), DLT_EN10MB);
    ck_assert_int_eq(pcap_next_ex(pc, &h, &data), 1);
    ck_assert_uint_eq(h->len, 142);
    ck_assert_uint_eq(h->caplen, 50);
    ck_assert_int_eq(h->ts.tv_sec, 2);
    ck_assert_int_eq(h->ts.tv_usec, 1);
    ck_assert_int_eq(memcmp(data, t[1].frame, 50), 0);
    ck_assert_int_eq(pcap_next_ex(pc, &h, &data), 1);
    ck_assert_uint_eq(h->caplen, 42);
    ck_assert_int_eq(h->ts.tv_sec, 3);
    ck_assert_int_eq(pcap_next_ex(pc, &h, &data), PCAP_ERROR_BREAK);
    pcap_close(pc);
}
END_TEST

/* Writes 'text' into file 'name' of the fake host's directory. */
static void
put_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", fh.dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* The contents of file 'name' of the fake host's directory ("" when it
 * cannot be read), and its size in '*size'. */
static const char *
get_file(const char *name, size_t *size)
{
    static char buf[256];
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", fh.dir, name);
    buf[0] = '\0';
    *size = 0;
    f = fopen(path, "rb");
    if (!f)
        return buf;
    *size = fread(buf, 1, sizeof(buf) - 1, f);
    buf[*size] = '\0';
    fclose(f);
    return buf;
}

/* xswd --check creates and destroys the instance and nothing else: the
 * files of an earlier run must stay as they were.  Once the switch runs
 * (here a timer tick, no packet) both are written. */
START_TEST(ext_writes_files_only_once_it_runs)
{
    const struct xsw_cfg filter = {.scalar = "udp"},
                         file = {.scalar = "m.pcap"};
    const struct xsw_cfg mirror = {.keys = {"filter", "file"},
                                   .vals = {&filter, &file}};
    const struct xsw_cfg cfg = {.keys = {"export", "mirror"},
                                .vals = {&s_out, &mirror}};
    void *state;
    size_t size;

    put_file("out.json", "earlier export\n");
    put_file("m.pcap", "earlier capture\n");
    state = ext_create(&cfg);
    EXT->destroy(state);
    ck_assert_str_eq(get_file("out.json", &size), "earlier export\n");
    ck_assert_str_eq(get_file("m.pcap", &size), "earlier capture\n");

    fh.n_counters = 0; /* A second instance registers them again. */
    state = ext_create(&cfg);
    fh.timer_fn(fh.timer_arg, 1 * SEC);
    fh.now_ns = 1 * SEC;
    EXT->destroy(state);
    jq_holds("out.json", ".flows_active == 0 and .clock_ns == 1000000000");
    get_file("m.pcap", &size);
    ck_assert_uint_eq(size, 24); /* A pcap file header, no packet. */
}
END_TEST

static int
create_fails(const struct xsw_cfg *cfg)
{
    void *state = NULL;
    int ret = EXT->create(&fh.host, fake_host_ctx(&fh), cfg, &state);

    ck_assert_ptr_null(state);
    ck_assert_ptr_null(fh.timer_fn);
    return ret;
}

START_TEST(ext_refuses_bad_config)
{
    const struct xsw_cfg zero = {.scalar = "0"}, empty = {.scalar = ""},
                         nodir = {.scalar = "nodir/x.json"},
                         bad = {.scalar = "tcp port"},
                         file = {.scalar = "m.pcap"};
    const struct xsw_cfg c1 = {.keys = {"max_flow"}, .vals = {&zero}};
    const struct xsw_cfg c2 = {.keys = {"max_flows"}, .vals = {&zero}};
    const struct xsw_cfg c3 = {.keys = {"export"}, .vals = {&empty}};
    const struct xsw_cfg c4 = {.keys = {"export"}, .vals = {&nodir}};
    const struct xsw_cfg m5 = {.keys = {"filter"}, .vals = {&bad}};
    const struct xsw_cfg c5 = {.keys = {"mirror"}, .vals = {&m5}};
    const struct xsw_cfg m6 = {.keys = {"filter", "file"},
                               .vals = {&bad, &file}};
    const struct xsw_cfg c6 = {.keys = {"mirror"}, .vals = {&m6}};
    const struct xsw_cfg nodir_pcap = {.scalar = "nodir/m.pcap"};
    const struct xsw_cfg m7 = {.keys = {"file"}, .vals = {&nodir_pcap}};
    const struct xsw_cfg c7 = {.keys = {"mirror"}, .vals = {&m7}};
    char want[600];

    ck_assert_int_eq(create_fails(&c1), -EINVAL);
    ck_assert_str_eq(fh.error, "unknown key 'max_flow'");
    ck_assert_int_eq(create_fails(&c2), -EINVAL);
    ck_assert_str_eq(fh.error, "max_flows: not an integer in [1, 16777216]");
    ck_assert_int_eq(create_fails(&c3), -EINVAL);
    ck_assert_str_eq(fh.error, "must not be empty");
    ck_assert_int_eq(create_fails(&c4), -ENOENT);
    snprintf(want, sizeof(want), "%s/nodir: No such file or directory",
             fh.dir);
    ck_assert_str_eq(fh.error, want);
    ck_assert_int_eq(create_fails(&c5), -EINVAL);
    ck_assert_str_eq(fh.error, "missing key 'file'");
    ck_assert_int_eq(create_fails(&c6), -EINVAL);
    ck_assert_msg(!strncmp(fh.error, "bad filter: ", 12), "%s", fh.error);
    /* The mirror file is created only when the switch runs, but whether
     * it could be is checked now.  (Counters of the instance c6 made are
     * still registered with the fake host: forget them.) */
    fh.n_counters = 0;
    ck_assert_int_eq(create_fails(&c7), -ENOENT);
    snprintf(want, sizeof(want), "%s/nodir/m.pcap: No such file or directory",
             fh.dir);
    ck_assert_str_eq(fh.error, want);
}
END_TEST

START_TEST(ext_refuses_bad_commands)
{
    void *state = ext_create(NULL);
    char out[64];

    ck_assert_int_eq(control(state, out, sizeof(out), 1, "frob"), -EINVAL);
    ck_assert_str_eq(fh.error,
                     "unknown command 'frob' (commands: export [PATH], top)");
    ck_assert_int_eq(control(state, out, sizeof(out), 1, "export"), -EINVAL);
    ck_assert_str_eq(fh.error, "export: no PATH given and no 'export' in the "
                               "config");
    ck_assert_int_eq(control(state, out, sizeof(out), 3, "export", "a", "b"),
                     -EINVAL);
    ck_assert_str_eq(fh.error, "usage: export [PATH]");
    ck_assert_int_eq(
        control(state, out, sizeof(out), 2, "export", "nodir/x.json"),
        -ENOENT);
    ck_assert_ptr_nonnull(strstr(fh.error, "/nodir/x.json: No such file"));
    EXT->destroy(state);
}
END_TEST

/* 'export PATH' comes from the control socket: it writes under the
 * config's directory and nowhere else. */
START_TEST(ext_export_stays_under_the_config_dir)
{
    void *state = ext_create(NULL);
    char out[256], want[512], link[600];
    static const char *const escapes[] = {"/tmp/x.json", "../x.json",
                                          "a/../../x.json", ".."};
    unsigned i;

    for (i = 0; i < sizeof escapes / sizeof *escapes; i++) {
        ck_assert_int_eq(
            control(state, out, sizeof(out), 2, "export", escapes[i]),
            -EACCES);
        snprintf(want, sizeof want,
                 "export: '%s': give a path relative to %s without '..' "
                 "(files written on command stay under the config's "
                 "directory)",
                 escapes[i], fh.dir);
        ck_assert_str_eq(fh.error, want);
    }
    /* A link out of the directory is followed, and refused. */
    snprintf(link, sizeof link, "%s/out", fh.dir);
    ck_assert_int_eq(symlink("/tmp", link), 0);
    ck_assert_int_eq(control(state, out, sizeof(out), 2, "export", "out/x.json"),
                     -EACCES);
    snprintf(want, sizeof want, "export: 'out/x.json' leads outside %s (to /tmp)",
             fh.dir);
    ck_assert_str_eq(fh.error, want);
    unlink(link);
    /* The file itself may not be a link either. */
    snprintf(link, sizeof link, "%s/y.json", fh.dir);
    ck_assert_int_eq(symlink("/tmp/xsw-flowmon-never-written", link), 0);
    ck_assert_int_eq(control(state, out, sizeof(out), 2, "export", "y.json"),
                     -ELOOP);
    ck_assert_ptr_nonnull(strstr(fh.error, "/y.json: is a symbolic link"));
    ck_assert_int_ne(access("/tmp/xsw-flowmon-never-written", F_OK), 0);
    unlink(link);
    EXT->destroy(state);
}
END_TEST

struct emitted {
    unsigned n;
    char names[8][32];
    uint64_t values[8];
};

static void
collect(void *arg, const char *name, uint64_t value)
{
    struct emitted *e = arg;

    ck_assert_uint_lt(e->n, 8);
    snprintf(e->names[e->n], sizeof(e->names[0]), "%s", name);
    e->values[e->n++] = value;
}

START_TEST(ext_reports_stats)
{
    void *state = ext_create(NULL);
    struct emitted e = {0};

    feed_mix(state);
    EXT->stats(state, collect, &e);
    ck_assert_uint_eq(e.n, 3);
    ck_assert_str_eq(e.names[0], "flows active");
    ck_assert_uint_eq(e.values[0], 4);
    ck_assert_str_eq(e.names[1], "flows capacity");
    ck_assert_uint_eq(e.values[1], 65536);
    ck_assert_str_eq(e.names[2], "hosts tracked");
    ck_assert_uint_eq(e.values[2], 6);
    EXT->destroy(state);
}
END_TEST

START_TEST(ext_is_an_inspect_module)
{
    ck_assert_uint_eq(EXT->role, XSW_ROLE_INSPECT);
    ck_assert_str_eq(EXT->name, "flowmon");
    ck_assert_ptr_nonnull(EXT->inspect_ingress);
    ck_assert_ptr_null(EXT->inspect_egress);
    ck_assert_uint_eq(EXT->n_drop_reasons, 0);
}
END_TEST

static Suite *
flowmon_suite(void)
{
    Suite *s = suite_create("flowmon");
    TCase *tc;

    tc = tcase_create("key");
    tcase_add_test(tc, key_pairs_both_directions);
    tcase_add_test(tc, key_same_address_orders_by_port);
    tcase_add_test(tc, key_icmp_request_and_reply_are_one_flow);
    tcase_add_test(tc, key_fragments_have_no_ports);
    tcase_add_test(tc, key_non_ip_uses_macs_and_ethertype);
    tcase_add_test(tc, key_classifies_by_parser_metadata);
    suite_add_tcase(s, tc);

    tc = tcase_create("tables");
    tcase_add_test(tc, table_finds_what_it_made);
    tcase_add_test(tc, table_keeps_equal_hashes_apart);
    tcase_add_test(tc, table_evicts_least_recently_used);
    tcase_add_test(tc, table_expires_idle_flows_only);
    tcase_add_test(tc, table_walks_most_recent_first);
    tcase_add_test(tc, hosts_evict_oldest_unreferenced_only);
    tcase_add_test(tc, top_keeps_the_best_n);
    tcase_add_test(tc, json_escapes_strings);
    tcase_add_test(tc, json_deep_and_runs);
    tcase_add_test(tc, json_past_the_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("module");
    tcase_add_checked_fixture(tc, fh_setup, fh_teardown);
    tcase_add_test(tc, ext_pairs_directions_and_exports);
    tcase_add_test(tc, ext_top_text_is_cut_to_the_buffer);
    tcase_add_test(tc, ext_expires_idle_flows_on_the_timer);
    tcase_add_test(tc, ext_evicts_the_least_recent_flow);
    tcase_add_test(tc, ext_mirrors_matching_packets);
    tcase_add_test(tc, ext_writes_files_only_once_it_runs);
    tcase_add_test(tc, ext_refuses_bad_config);
    tcase_add_test(tc, ext_refuses_bad_commands);
    tcase_add_test(tc, ext_export_stays_under_the_config_dir);
    tcase_add_test(tc, ext_reports_stats);
    tcase_add_test(tc, ext_is_an_inspect_module);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(flowmon_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
