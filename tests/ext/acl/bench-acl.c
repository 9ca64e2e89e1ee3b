/* bench-acl: nanoseconds per packet of the acl's ingress callback, in
 * memory, for rule sets of growing size that a packet walks to the end
 * (the worst case: no rule matches, the default decides).  Prints one line
 * per case; a program that prints figures, not a timed test.
 *
 *   bench-acl [PACKETS]      default 4000000 per case
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xsw/xsw.h>

#include "fake_host.h"

extern const struct xsw_extension XSW_EXTENSION_SYMBOL_ID;

static const char *const ports[] = {"p1", "p2", "p3", "p4"};

struct frame {
    struct xsw_packet pkt;
    uint8_t buf[FAKE_HEADROOM + 64];
};

/* A UDP/IPv4 frame from 10.0.0.1:1000 to 10.0.0.2:2000. */
static void
frame_udp(struct frame *f)
{
    static const uint8_t bytes[42] = {
        0x02, 0, 0,  0,  0, 0x02, 0x02, 0,    0,    0,    0, 0x01, 0x08, 0x00,
        0x45, 0, 0,  28, 0, 0,    0,    0,    64,   17,   0, 0,    10,   0,
        0,    1, 10, 0,  0, 2,    0x03, 0xe8, 0x07, 0xd0, 0, 8,    0,    0};

    memset(f, 0, sizeof *f);
    f->pkt.data = f->buf + FAKE_HEADROOM;
    f->pkt.headroom = FAKE_HEADROOM;
    f->pkt.size = sizeof bytes;
    memcpy(f->pkt.data, bytes, sizeof bytes);
    f->pkt.vlan = 1;
    fake_parse(&f->pkt);
}

/* 'n' rules of the shape operators write (a protocol, a source prefix, a
 * destination port range), none matching the UDP frame, so every packet
 * walks them all.  With 'proto' "tcp" a rule fails on its packed small
 * fields; with "udp" it gets past them and fails on the prefix, the slower
 * path.  'with_bpf' appends a rule that runs a BPF program (and fails). */
static char *
rules_yaml(uint32_t n, const char *proto, int with_bpf)
{
    size_t size = 128 + (size_t) n * 128;
    char *yaml = malloc(size), *p = yaml;
    uint32_t i;

    if (!yaml)
        abort();
    p += sprintf(p, "rules:\n");
    for (i = 0; i < n; i++)
        p += sprintf(p,
                     "  - { match: { ip_proto: %s, src_ip: 11.%u.0.0/16, "
                     "dst_port: %u-%u }, action: drop }\n",
                     proto, i % 250, 1000 + i, 3000 + i);
    if (with_bpf)
        p += sprintf(p, "  - { match: { bpf: 'udp dst port 9' }, "
                        "action: drop }\n");
    return yaml;
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
run_case(const char *what, const char *yaml, uint64_t packets)
{
    const struct xsw_extension *ext = &XSW_EXTENSION_SYMBOL_ID;
    struct xsw_ctx *ctx = fake_new(ports, 4);
    static struct frame frames[XSW_BATCH_MAX];
    struct xsw_batch batch = {.count = XSW_BATCH_MAX, .port = XSW_PORT_NONE};
    void *state;
    uint64_t done;
    double t0, t1;
    uint32_t i;

    if (ext->create(fake_host(ctx), ctx, fake_load(ctx, yaml), &state)) {
        fprintf(stderr, "create: %s\n", fake_error(ctx));
        exit(1);
    }
    for (i = 0; i < XSW_BATCH_MAX; i++) {
        frame_udp(&frames[i]);
        batch.pkts[i] = &frames[i].pkt;
    }
    t0 = now_s();
    for (done = 0; done < packets; done += XSW_BATCH_MAX)
        ext->ingress(state, &batch);
    t1 = now_s();
    printf("%-34s %8.1f ns/packet %8.2f Mpps\n", what,
           (t1 - t0) * 1e9 / (double) done, (double) done / (t1 - t0) / 1e6);
    ext->destroy(state);
    fake_free(ctx);
}

int
main(int argc, char **argv)
{
    uint64_t packets = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
    static const uint32_t sizes[] = {0, 1, 10, 100, 1000};
    static const char *const protos[] = {"tcp", "udp"};
    char what[64];
    uint32_t i, j;

    for (j = 0; j < 2; j++) {
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            char *yaml;

            if (sizes[i] == 0 && j > 0)
                continue;
            yaml = rules_yaml(sizes[i], protos[j], 0);
            snprintf(what, sizeof what, "%u %s rules, none matching", sizes[i],
                     protos[j]);
            run_case(what, sizes[i] ? yaml : "default: pass\n", packets);
            free(yaml);
        }
    }
    {
        char *yaml = rules_yaml(0, "tcp", 1);

        run_case("1 bpf rule, not matching", yaml, packets);
        free(yaml);
    }
    return 0;
}
