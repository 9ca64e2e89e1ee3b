/* bench-ft-cls: build and lookup cost of the flowtable classifier
 *
 *   bench-ft-cls [RULES [SHAPES [LOOKUPS]]]
 *
 * Builds RULES exact-match rules (dst_ip, ip_proto udp, dst_port) spread
 * over SHAPES distinct masks (shape s > 0 matches the port under a /(16-s)
 * mask instead of exactly), all of one priority so that no subtable can be
 * skipped, then times LOOKUPS lookups of keys drawn from all the rules.
 * Prints figures; it is not a test and asserts only that every lookup hits.
 * The classifier alone: no xswd, no parsing, no packet I/O. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_cls.h"

#define N_KEYS 65536u

static double
seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

/* The port range of rule 'i' under shape 's': exact for shape 0, else the
 * block of 2^s ports holding i's low 16 bits. */
static void
rule_ports(uint32_t i, uint32_t s, uint16_t *lo, uint16_t *hi)
{
    uint16_t base = (uint16_t) i;

    if (!s) {
        *lo = *hi = 1000;
        return;
    }
    *lo = (uint16_t) (base & (uint16_t) (0xffffu << s));
    *hi = (uint16_t) (*lo | ((1u << s) - 1));
}

static void
rule_match(struct ft_match *m, uint32_t i, uint32_t shapes)
{
    uint8_t addr[16] = {0}, mask[16] = {0xff, 0xff, 0xff, 0xff};
    uint32_t be = htonl(0x0a000000u + i);
    uint16_t lo, hi;
    const char *why;

    memcpy(addr, &be, 4);
    ft_match_init(m);
    ft_match_set_ip(m, FT_DST, 4, addr, mask, &why);
    ft_match_set_ip_proto(m, 17);
    rule_ports(i, i % shapes, &lo, &hi);
    ft_match_set_port_range(m, FT_DST, lo, hi);
    ft_match_finish(m, &why);
}

static void
rule_key(struct ft_key *key, uint32_t i, uint32_t shapes)
{
    struct xsw_packet p;
    uint8_t frame[64] = {0};
    uint32_t be = htonl(0x0a000000u + i);
    uint16_t lo, hi;

    memset(&p, 0, sizeof p);
    p.data = frame;
    p.size = sizeof frame;
    p.ethertype = 0x0800;
    p.l3_ofs = 14;
    p.l4_ofs = 34;
    p.payload_ofs = 42;
    p.ip_version = 4;
    p.ip_proto = 17;
    memcpy(p.dst_ip, &be, 4);
    rule_ports(i, i % shapes, &lo, &hi);
    p.dst_port = hi;
    ft_key_from_packet(key, &p);
}

int
main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t) strtoul(argv[1], NULL, 10) : 100000;
    uint32_t shapes = argc > 2 ? (uint32_t) strtoul(argv[2], NULL, 10) : 1;
    uint64_t lookups = argc > 3 ? strtoull(argv[3], NULL, 10) : 10000000ull;
    struct ft_key *keys = malloc(N_KEYS * sizeof *keys);
    struct ft_cls *cls = ft_cls_create();
    uint64_t hits = 0;
    double t0, t1, t2;

    if (!n || !shapes || shapes > 16 || !keys || !cls) {
        fprintf(stderr, "usage: bench-ft-cls [RULES>0 [SHAPES 1..16 "
                        "[LOOKUPS]]]\n");
        return 2;
    }
    t0 = seconds();
    for (uint32_t i = 0; i < n; i++) {
        struct ft_match m;

        rule_match(&m, i, shapes);
        if (ft_cls_insert(cls, &m, 100, i))
            return 1;
    }
    if (ft_cls_build(cls))
        return 1;
    t1 = seconds();
    srand(1);
    for (uint32_t k = 0; k < N_KEYS; k++)
        rule_key(&keys[k], (uint32_t) rand() % n, shapes);
    t2 = seconds();
    for (uint64_t j = 0; j < lookups; j++)
        hits += ft_cls_lookup(cls, &keys[j % N_KEYS]) != FT_CLS_MISS;
    t2 = seconds() - t2;
    printf("%u rules, %u subtables: build %.3f s, lookup %.1f ns "
           "(%.1f M/s), hits %llu of %llu\n",
           n, ft_cls_n_subtables(cls), t1 - t0, t2 / (double) lookups * 1e9,
           (double) lookups / t2 / 1e6, (unsigned long long) hits,
           (unsigned long long) lookups);
    ft_cls_destroy(cls);
    free(keys);
    return hits == lookups ? 0 : 1;
}
