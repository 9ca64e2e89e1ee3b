/* xsw-bench-pipeline: the datapath's speed in memory, without I/O
 * ===============================================================
 * Builds a real switch (config_load() and dp_create(), as the fuzz
 * targets do, with their environment: tests/fuzz/fuzz_env.h) and pushes
 * synthetic frames through the whole pipeline with dp_receive_frames():
 * parse, VLAN ingress, the extension chain, forwarding, egress, VLAN
 * egress.  The ports are pcap ports without files, so nothing is read and
 * what is sent is discarded: the figures are the pipeline's alone.
 *
 * Traffic.  Two trunk ports (VLAN 10 native, 20 tagged) face each other.
 * MAC k sits behind port k % 2; the stations pair up (2q, 2q + 1), so
 * every frame is known unicast to the other port once the warm-up pass
 * has taught the FDB every station.  Flow f is UDP 10.0.0.0+f+1:sport ->
 * 10.128.0.0+f:5001; port 1 sends the exact reverse of port 0's frames,
 * so the firewall sees every flow both ways (a replied UDP connection).
 * '--vlan-mix P' tags the stations of P% of the pairs with VLAN 20.
 * Batches alternate between the ports, each XSW_BATCH_MAX frames.
 *
 * Method.  A warm-up pass over every frame fills the tables (FDB,
 * connections, flows), then each run times '--packets' frames with
 * CLOCK_MONOTONIC; the figure is the median of '--runs' runs.  The table
 * of every chain, and the scaling tables, run in rounds (run_chains()).
 * The switch clock advances 1 us a batch: a run of 4M packets is 62 ms of
 * switch time, so no entry's timeout (seconds) expires during the runs.
 *
 * Modes:
 *   (default)          every chain of the issue, one line each, then the
 *                      cost of one no-op extension
 *   --chain NAME       one chain
 *   --scale WHAT       fdb | conns | rules: throughput and memory per
 *                      entry for each size of '--sizes'
 *   --guard            a fixed small workload for the callgrind guard
 *                      (tests/perf): only guard_loop() is to be counted
 * Memory is the heap in use (mallinfo2(): arena + mmapped) and the RSS
 * after warm-up, minus the same after config_load() and before
 * dp_create() (so the YAML tree of a big rule set does not count); per
 * entry it is the growth between the smallest and each larger size,
 * divided by the entries added, so the fixed costs (the packet pool)
 * cancel out. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xsw/packet.h>

#include "config.h"
#include "dp.h"
#include "fdb.h"
#include "fuzz_env.h"

#define BATCH XSW_BATCH_MAX
#define MAX_RUNS 99

struct opts {
    uint32_t size; /* Frame bytes, without FCS. */
    uint32_t macs; /* Stations (a multiple of 2). */
    uint32_t flows;
    uint32_t vlan_mix; /* Percent of station pairs on tagged VLAN 20. */
    uint64_t packets;  /* Timed per run. */
    uint32_t runs;
    uint32_t rules;   /* flowtable rules (the "rules" scale). */
    uint32_t fdb_max; /* switch.fdb.max_entries; 0 = from 'macs'. */
};

struct traffic {
    uint32_t n; /* Frames per port. */
    uint32_t size;
    uint8_t *buf[2]; /* n frames of 'size' bytes, per port. */
};

/* --- Frames ------------------------------------------------------------ */

static uint32_t
mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static void
put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

static void
put_mac(uint8_t *p, uint32_t k)
{
    p[0] = 0x02;
    p[1] = 0xbe;
    put32(p + 2, k);
}

/* Frame 'j' of port 'port' (see the header), 'size' bytes at 'f'. */
static void
frame_build(uint8_t *f, const struct opts *o, uint32_t port, uint32_t j)
{
    uint32_t pairs = o->macs / 2, q = j % pairs, flow = j % o->flows;
    uint32_t src_ip = 0x0a000000u + flow + 1, dst_ip = 0x0a800000u + flow;
    uint32_t sport = 1024 + flow % 64000, dport = 5001, i, sum = 0;
    bool tagged = mix32(q) % 100 < o->vlan_mix;
    uint8_t *ip;

    memset(f, 0, o->size);
    put_mac(f, 2 * q + (port ^ 1));
    put_mac(f + 6, 2 * q + port);
    ip = f + 12;
    if (tagged) {
        put16(ip, 0x8100);
        put16(ip + 2, 20);
        ip += 4;
    }
    put16(ip, 0x0800);
    ip += 2;
    if (port) { /* The reply: the same flow the other way round. */
        uint32_t t = src_ip;

        src_ip = dst_ip;
        dst_ip = t;
        t = sport;
        sport = dport;
        dport = t;
    }
    ip[0] = 0x45;
    put16(ip + 2, (uint32_t) (f + o->size - ip));
    ip[8] = 64;
    ip[9] = 17;
    put32(ip + 12, src_ip);
    put32(ip + 16, dst_ip);
    for (i = 0; i < 20; i += 2)
        sum += (uint32_t) ip[i] << 8 | ip[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(ip + 10, ~sum & 0xffff);
    put16(ip + 20, sport);
    put16(ip + 22, dport);
    put16(ip + 24, (uint32_t) (f + o->size - ip - 20));
    /* UDP checksum 0: none, as IPv4 allows. */
}

static int
traffic_make(struct traffic *t, const struct opts *o)
{
    uint32_t n = o->macs / 2 > o->flows ? o->macs / 2 : o->flows, p, j;

    if (n < 4096)
        n = 4096;
    n = (n + BATCH - 1) / BATCH * BATCH;
    if ((uint64_t) n * o->size * 2 > (1ull << 31)) {
        fprintf(stderr,
                "xsw-bench-pipeline: %" PRIu32 " frames of %" PRIu32
                " bytes a port is too much memory\n",
                n, o->size);
        return -ENOMEM;
    }
    t->n = n;
    t->size = o->size;
    for (p = 0; p < 2; p++) {
        t->buf[p] = malloc((size_t) n * o->size);
        if (!t->buf[p])
            return -ENOMEM;
        for (j = 0; j < n; j++)
            frame_build(t->buf[p] + (size_t) j * o->size, o, p, j);
    }
    return 0;
}

static void
traffic_free(struct traffic *t)
{
    free(t->buf[0]);
    free(t->buf[1]);
}

/* --- Switches ---------------------------------------------------------- */

/* A growing string for the generated YAML. */
struct text {
    char *s;
    size_t len, cap;
};

static void text_add(struct text *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t) n < t->cap - t->len)
            break;
        t->cap = t->cap * 2 + (size_t) n + 4096;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "xsw-bench-pipeline: out of memory\n");
            exit(1);
        }
    }
    t->len += (size_t) n;
}

/* The reference extensions' configs: the demo's (examples/demo.yaml),
 * sized for the traffic. */
static void
chain_flowmon(struct text *y, const struct opts *o)
{
    text_add(y,
             "  - module: flowmon\n    config: { idle_timeout_s: 120, "
             "max_flows: %" PRIu32 " }\n",
             o->flows * 2 + 1024);
}

static void
chain_acl(struct text *y)
{
    text_add(y, "  - module: acl\n    config:\n      default: pass\n"
                "      rules:\n"
                "        - { name: no-telnet, match: { ip_proto: tcp, "
                "dst_port: 23 }, action: drop }\n"
                "        - { name: voice, match: { ip_proto: udp, dst_port: "
                "5060 }, action: pass, modify: [ { set_dscp: 46 } ] }\n"
                "      arp_responder:\n"
                "        - { ip: 10.0.20.100, mac: \"02:00:00:00:20:64\" }\n");
}

static void
chain_flowtable(struct text *y, const struct opts *o)
{
    uint32_t i;

    text_add(y, "  - module: flowtable\n    config:\n      default: normal\n"
                "      groups:\n        - { name: web, ports: [p0, p1] }\n"
                "      rules:\n"
                "        - { name: web-vip, priority: 100, match: { dst_ip: "
                "10.0.20.100, ip_proto: tcp, dst_port: 80 }, action: { group: "
                "web } }\n");
    /* The "rules" scale: a rule per flow's destination but flow 0's (the
     * web-vip rule above counts as the first, so that 100,000 rules stay
     * within the module's limit), so the frames of port 0 match one; the
     * replies, from 10.128/16, none. */
    for (i = 1; i < o->rules; i++)
        text_add(y,
                 "        - { match: { dst_ip: %u.%u.%u.%u, ip_proto: udp, "
                 "dst_port: 5001 }, action: normal }\n",
                 10u, 128u + (i >> 16), (i >> 8) & 255, i & 255);
}

static void
chain_firewall(struct text *y, const struct opts *o)
{
    text_add(y,
             "  - module: firewall\n    config:\n      default: deny\n"
             "      max_connections: %" PRIu32 "\n"
             "      ports: { inside: [p0], outside: [p1] }\n"
             "      rules:\n"
             "        - { name: office-out, direction: out, action: allow }\n"
             "        - { name: web-in, direction: in, proto: tcp, dst: "
             "10.0.20.100, dst_port: 80, action: allow }\n"
             "        - { name: no-ssh-in, direction: in, proto: tcp, "
             "dst_port: 22, action: reject }\n",
             o->flows + 1024);
}

/* Writes the config of 'chain' for 'o' into the scratch directory;
 * false for an unknown chain. */
static bool
config_write(const char *chain, const struct opts *o, const char *path)
{
    struct text y = {0};
    uint32_t fdb_max = o->fdb_max ? o->fdb_max : o->macs + 64;
    int n_noop = 0, i;
    bool all = !strcmp(chain, "all");

    text_add(&y,
             "switch: { name: bench, fdb: { max_entries: %" PRIu32
             ", aging_s: 3600 } }\nports:\n",
             fdb_max);
    for (i = 0; i < 2; i++)
        text_add(&y,
                 "  - { name: p%d, type: pcap, vlan: { mode: trunk, "
                 "allowed: [10, 20], native: 10 } }\n",
                 i);
    text_add(&y, "extensions:\n");
    if (!strcmp(chain, "none"))
        text_add(&y, "  []\n");
    else if (sscanf(chain, "noop%d", &n_noop) == 1 && n_noop > 0 &&
             n_noop <= CONFIG_EXTS_MAX)
        for (i = 0; i < n_noop; i++)
            text_add(&y, "  - { module: noop, name: noop%d }\n", i);
    else if (!all && strcmp(chain, "flowmon") && strcmp(chain, "acl") &&
             strcmp(chain, "flowtable") && strcmp(chain, "firewall")) {
        free(y.s);
        return false;
    }
    if (all || !strcmp(chain, "flowmon"))
        chain_flowmon(&y, o);
    if (all || !strcmp(chain, "acl"))
        chain_acl(&y);
    if (all || !strcmp(chain, "flowtable"))
        chain_flowtable(&y, o);
    if (all || !strcmp(chain, "firewall"))
        chain_firewall(&y, o);
    if (fuzz_write_file(path, (const uint8_t *) y.s, y.len)) {
        fprintf(stderr, "xsw-bench-pipeline: cannot write %s\n", path);
        exit(1);
    }
    free(y.s);
    return true;
}

/* --- Memory ------------------------------------------------------------ */

struct mem {
    double heap, rss; /* Bytes. */
};

struct bench {
    struct xsw_config *cfg;
    struct dp *dp;
    const struct traffic *t;
    uint64_t now_ns;
    uint32_t next[2]; /* Next frame index per port. */
    uint32_t port;    /* Port of the next batch. */
};

static struct mem mem_now(void);

/* Builds the switch; '*before' (may be NULL) gets the memory in use after
 * the config was read and before the switch was built, so that the YAML
 * tree of a large rule set does not count as the tables' memory. */
static void
bench_open(struct bench *b, const char *chain, const struct opts *o,
           const struct traffic *t, struct mem *before)
{
    const char *path = fuzz_scratch_path("bench.yaml");
    struct dp_options dopts = {.log_level = XSW_LOG_WARN};
    struct xsw_err err = {0};

    memset(b, 0, sizeof *b);
    if (!config_write(chain, o, path)) {
        fprintf(stderr, "xsw-bench-pipeline: unknown chain %s\n", chain);
        exit(2);
    }
    if (config_load(path, &b->cfg, &err) == 0 && before)
        *before = mem_now();
    if (!b->cfg || dp_create(b->cfg, &dopts, &b->dp, &err)) {
        fprintf(stderr, "xsw-bench-pipeline: %s: %s\n", chain, err.msg);
        exit(1);
    }
    b->t = t;
    b->now_ns = 1000000000ull;
}

static void
bench_close(struct bench *b)
{
    fuzz_check_accounting(b->dp, "xsw-bench-pipeline");
    dp_destroy(b->dp);
    config_free(b->cfg);
}

/* Runs 'n_batches' batches, alternating the ports. */
static void
bench_batches(struct bench *b, uint64_t n_batches)
{
    const uint8_t *frames[BATCH];
    uint32_t sizes[BATCH], i;

    for (i = 0; i < BATCH; i++)
        sizes[i] = b->t->size;
    while (n_batches--) {
        uint32_t p = b->port, j = b->next[p];

        for (i = 0; i < BATCH; i++)
            frames[i] = b->t->buf[p] + (size_t) (j + i) * b->t->size;
        dp_receive_frames(b->dp, (uint16_t) p, frames, sizes, BATCH,
                          b->now_ns);
        b->next[p] = j + BATCH < b->t->n ? j + BATCH : 0;
        b->port = p ^ 1;
        b->now_ns += 1000;
    }
}

/* One pass over every frame of both ports. */
static void
bench_warm_up(struct bench *b)
{
    bench_batches(b, 2ull * b->t->n / BATCH);
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

/* One timed run of 'o->packets' packets; returns ns per packet. */
static double
bench_run(struct bench *b, const struct opts *o)
{
    uint64_t n_batches = (o->packets + BATCH - 1) / BATCH;
    double t0 = now_s();

    bench_batches(b, n_batches);
    return (now_s() - t0) * 1e9 / (double) (n_batches * BATCH);
}

/* Sorts 'v[0..n-1]' and returns its median. */
static double
median(double *v, uint32_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median of 'o->runs' timed runs, in ns per packet. */
static double
bench_time(struct bench *b, const struct opts *o, double *lo, double *hi)
{
    double ns[MAX_RUNS], m;
    uint32_t r;

    for (r = 0; r < o->runs; r++)
        ns[r] = bench_run(b, o);
    m = median(ns, o->runs);
    *lo = ns[0];
    *hi = ns[o->runs - 1];
    return m;
}

static struct mem
mem_now(void)
{
    struct mallinfo2 mi = mallinfo2();
    struct mem m = {(double) (mi.uordblks + mi.hblkhd), 0};
    unsigned long size, resident;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) == 2)
            m.rss = (double) resident * (double) sysconf(_SC_PAGESIZE);
        fclose(f);
    }
    return m;
}

/* --- Modes ------------------------------------------------------------- */

static int
run_one_chain(const char *chain, const struct opts *o, const struct traffic *t)
{
    struct bench b;
    double ns, lo, hi;

    bench_open(&b, chain, o, t, NULL);
    bench_warm_up(&b);
    ns = bench_time(&b, o, &lo, &hi);
    bench_close(&b);
    printf("%-10s %12.0f %9.2f %9.2f %9.2f\n", chain, 1e9 / ns, ns, lo, hi);
    return 0;
}

/* Every chain, in rounds: each round times one run of each chain, so a
 * slow minute on a shared machine hits every chain alike.  The switches
 * all exist at once (their packet pools are only touched where used, so
 * nine cost little memory).  The cost of a no-op extension is the median
 * over rounds of that round's (noop16 - none) / 16, and the least-squares
 * slope over 0, 1, 4 and 16 no-ops of the chains' medians. */
static int
run_chains(const char *only, const struct opts *o)
{
    enum { NONE, NOOP1 = 6, NOOP4, NOOP16, N_CHAINS };
    static const char *const chains[N_CHAINS] = {
        "none", "flowmon", "acl",   "flowtable", "firewall",
        "all",  "noop1",   "noop4", "noop16",
    };
    static struct bench b[N_CHAINS];
    double ns[N_CHAINS][MAX_RUNS], med[N_CHAINS], noop[MAX_RUNS];
    struct traffic t;
    uint32_t i, r;

    if (traffic_make(&t, o))
        return 1;
    printf("# %" PRIu32 " B frames, %" PRIu32 " MACs, %" PRIu32
           " flows, %" PRIu32 "%% on VLAN 20; median of %" PRIu32
           " runs of %" PRIu64 " packets\n",
           o->size, o->macs, o->flows, o->vlan_mix, o->runs, o->packets);
    printf("%-10s %12s %9s %9s %9s\n", "# chain", "pps", "ns/pkt", "min",
           "max");
    if (only) {
        run_one_chain(only, o, &t);
        traffic_free(&t);
        return 0;
    }
    for (i = 0; i < N_CHAINS; i++) {
        bench_open(&b[i], chains[i], o, &t, NULL);
        bench_warm_up(&b[i]);
    }
    for (r = 0; r < o->runs; r++) {
        for (i = 0; i < N_CHAINS; i++)
            ns[i][r] = bench_run(&b[i], o);
        noop[r] = (ns[NOOP16][r] - ns[NONE][r]) / 16;
    }
    for (i = 0; i < N_CHAINS; i++) {
        med[i] = median(ns[i], o->runs);
        printf("%-10s %12.0f %9.2f %9.2f %9.2f\n", chains[i], 1e9 / med[i],
               med[i], ns[i][0], ns[i][o->runs - 1]);
        bench_close(&b[i]);
    }
    /* Least squares over 0, 1, 4 and 16 no-ops ('none' is 0). */
    {
        const double x[] = {0, 1, 4, 16};
        const double y[] = {med[NONE], med[NOOP1], med[NOOP4], med[NOOP16]};
        double sx = 0, sy = 0, sxx = 0, sxy = 0;

        for (i = 0; i < 4; i++) {
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        printf("# one no-op extension: %.2f ns/pkt (median over rounds of "
               "(noop16 - none) / 16), %.2f ns/pkt (slope over 0/1/4/16)\n",
               median(noop, o->runs),
               (4 * sxy - sx * sy) / (4 * sxx - sx * sx));
    }
    traffic_free(&t);
    return 0;
}

#define SCALE_MAX 16 /* Sizes in one --sizes list. */

/* Every size of 'sizes', built one after the other (memory is measured
 * around each build, so the switches already built do not count), then
 * timed in rounds like the chains (run_chains()).  "vs 1st" is the median
 * over rounds of each round's throughput against the first size's. */
static int
run_scale(const char *what, const char *sizes, const struct opts *base)
{
    static struct bench b[SCALE_MAX];
    static struct traffic t[SCALE_MAX];
    char *list = strdup(sizes), *tok, *save = NULL;
    double ns[SCALE_MAX][MAX_RUNS], rel[SCALE_MAX][MAX_RUNS];
    double heap[SCALE_MAX], rss[SCALE_MAX], fdb_size[SCALE_MAX];
    uint32_t n[SCALE_MAX], n_sizes = 0, i, r;
    const char *chain;

    if (!strcmp(what, "fdb"))
        chain = "none";
    else if (!strcmp(what, "conns"))
        chain = "firewall";
    else if (!strcmp(what, "rules"))
        chain = "flowtable";
    else {
        fprintf(stderr, "xsw-bench-pipeline: --scale fdb|conns|rules\n");
        return 2;
    }
    for (tok = strtok_r(list, ",", &save); tok && n_sizes < SCALE_MAX;
         tok = strtok_r(NULL, ",", &save)) {
        struct opts o = *base;
        struct mem m0, m1;

        i = n_sizes++;
        n[i] = (uint32_t) strtoul(tok, NULL, 10);
        if (!strcmp(what, "fdb")) {
            o.macs = n[i] < 2 ? 2 : n[i] & ~1u;
            o.fdb_max = n[i];
        } else if (!strcmp(what, "conns")) {
            o.flows = n[i];
        } else {
            o.rules = n[i];
            o.flows = n[i];
        }
        if (traffic_make(&t[i], &o))
            return 1;
        bench_open(&b[i], chain, &o, &t[i], &m0);
        bench_warm_up(&b[i]);
        m1 = mem_now();
        heap[i] = m1.heap - m0.heap;
        rss[i] = m1.rss - m0.rss;
        fdb_size[i] = (double) fdb_memory_size(dp_fdb(b[i].dp));
    }
    free(list);
    printf("# scale %s (chain %s), %" PRIu32 " B frames; median of %" PRIu32
           " rounds of %" PRIu64 " packets a size\n",
           what, chain, base->size, base->runs, base->packets);
    printf("%-9s %11s %8s %7s %12s %12s %10s %10s%s\n", "# entries", "pps",
           "ns/pkt", "vs 1st", "heap MB", "rss MB", "B/entry", "B/e rss",
           !strcmp(what, "fdb") ? "  fdb B/entry" : "");
    for (r = 0; r < base->runs; r++)
        for (i = 0; i < n_sizes; i++) {
            ns[i][r] = bench_run(&b[i], base);
            rel[i][r] = ns[0][r] / ns[i][r];
        }
    for (i = 0; i < n_sizes; i++) {
        double med = median(ns[i], base->runs);
        char extra[32] = "";

        if (!strcmp(what, "fdb"))
            snprintf(extra, sizeof extra, "  %12.1f", fdb_size[i] / n[i]);
        printf("%-9" PRIu32 " %11.0f %8.2f %7.2f %12.1f %12.1f %10.1f "
               "%10.1f%s\n",
               n[i], 1e9 / med, med, median(rel[i], base->runs), heap[i] / 1e6,
               rss[i] / 1e6, i ? (heap[i] - heap[0]) / (n[i] - n[0]) : 0.0,
               i ? (rss[i] - rss[0]) / (n[i] - n[0]) : 0.0, extra);
        bench_close(&b[i]);
        traffic_free(&t[i]);
    }
    return 0;
}

/* The loop the callgrind guard counts (--toggle-collect=guard_loop):
 * never inlined, and not a tail call either (the empty asm after the
 * call), so that it is a function of its own that callgrind sees entered
 * and left around exactly the timed batches. */
__attribute__((noinline)) static void
guard_loop(struct bench *b, uint64_t n_batches)
{
    bench_batches(b, n_batches);
    __asm__ volatile("" ::: "memory");
}

static int
run_guard(const char *chain, const struct opts *o)
{
    uint64_t n_batches = (o->packets + BATCH - 1) / BATCH;
    struct traffic t;
    struct bench b;

    if (traffic_make(&t, o))
        return 1;
    bench_open(&b, chain, o, &t, NULL);
    bench_warm_up(&b);
    guard_loop(&b, n_batches);
    bench_close(&b);
    traffic_free(&t);
    printf("%s packets %" PRIu64 "\n", chain, n_batches * BATCH);
    return 0;
}

static _Noreturn void
usage(int status)
{
    fprintf(status ? stderr : stdout,
            "usage: xsw-bench-pipeline [--chain NAME] [--size B] [--macs N] "
            "[--flows N]\n"
            "         [--vlan-mix PCT] [--packets N] [--runs N]\n"
            "       (--size: 60..1500 bytes without FCS, default 60; "
            "defaults 1000 MACs,\n"
            "        1000 flows, 0%% on VLAN 20, 2000000 packets, 5 runs)\n"
            "       xsw-bench-pipeline --scale fdb|conns|rules --sizes "
            "N,N,... [options]\n"
            "       xsw-bench-pipeline --guard --chain NAME [options]\n"
            "chains: none flowmon acl flowtable firewall all noopN\n");
    exit(status);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"chain", required_argument, NULL, 'c'},
        {"size", required_argument, NULL, 's'},
        {"macs", required_argument, NULL, 'm'},
        {"flows", required_argument, NULL, 'f'},
        {"vlan-mix", required_argument, NULL, 'v'},
        {"packets", required_argument, NULL, 'n'},
        {"runs", required_argument, NULL, 'r'},
        {"scale", required_argument, NULL, 'S'},
        {"sizes", required_argument, NULL, 'z'},
        {"guard", no_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct opts o = {.size = 60,
                     .macs = 1000,
                     .flows = 1000,
                     .packets = 2000000,
                     .runs = 5};
    const char *chain = NULL, *scale = NULL;
    const char *sizes = "1000,10000,100000,1000000";
    bool guard = false;
    int c;

    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        unsigned long long v = optarg ? strtoull(optarg, NULL, 0) : 0;

        switch (c) {
        case 'c':
            chain = optarg;
            break;
        case 's':
            o.size = (uint32_t) v;
            break;
        case 'm':
            o.macs = (uint32_t) v;
            break;
        case 'f':
            o.flows = (uint32_t) v;
            break;
        case 'v':
            o.vlan_mix = (uint32_t) v;
            break;
        case 'n':
            o.packets = v;
            break;
        case 'r':
            o.runs = (uint32_t) v;
            break;
        case 'S':
            scale = optarg;
            break;
        case 'z':
            sizes = optarg;
            break;
        case 'g':
            guard = true;
            break;
        case 'h':
            usage(0);
        default:
            usage(2);
        }
    }
    if (optind != argc || o.size < 60 || o.size > 1500 || o.macs < 2 ||
        o.macs > 2000000 || o.flows < 1 || o.flows > 2000000 ||
        o.vlan_mix > 100 || o.runs < 1 || o.runs > MAX_RUNS || !o.packets)
        usage(2);
    o.macs &= ~1u;
    fuzz_env_init();
    if (guard)
        return run_guard(chain ? chain : "all", &o);
    if (scale)
        return run_scale(scale, sizes, &o);
    return run_chains(chain, &o);
}
