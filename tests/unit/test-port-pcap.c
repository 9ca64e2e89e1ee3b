/* The pcap port's input against libpcap's: every file here is read both
 * by the port (its own reader for plain pcap files, libpcap's for the
 * records it leaves to it and for other formats) and by pcap_next_ex()
 * directly; time stamps, frames, drops and the way the input ends must be
 * the same, record by record. */
#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "drops.h"
#include "pkt.h"
#include "port.h"

static char dir[64], yaml[128], cap[128];

/* ck_assert() records its location through a pipe at every call: in the
 * loops over tens of thousands of records, only a failure calls Check. */
#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond))                                                         \
            ck_abort_msg(__VA_ARGS__);                                       \
    } while (0)

static void
setup(void)
{
    strcpy(dir, "/tmp/xsw-test-port-pcap-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(yaml, sizeof yaml, "%s/t.yaml", dir);
    snprintf(cap, sizeof cap, "%s/in.pcap", dir);
}

static void
teardown(void)
{
    unlink(yaml);
    unlink(cap);
    rmdir(dir);
}

/* --- Writing test files, byte by byte -------------------------------- */

struct file {
    FILE *f;
    bool swap; /* Big-endian words (this host is little-endian). */
};

static void
put32(struct file *w, uint32_t v)
{
    if (w->swap)
        v = __builtin_bswap32(v);
    CHECK(fwrite(&v, 4, 1, w->f) == 1, "write");
}

static void
put16(struct file *w, uint16_t v)
{
    if (w->swap)
        v = __builtin_bswap16(v);
    CHECK(fwrite(&v, 2, 1, w->f) == 1, "write");
}

static struct file
file_start(uint32_t magic, uint16_t minor, uint32_t snaplen, bool swap)
{
    struct file w = {fopen(cap, "wb"), swap};

    ck_assert_ptr_nonnull(w.f);
    put32(&w, magic);
    put16(&w, 2);
    put16(&w, minor);
    put32(&w, 0);
    put32(&w, 0);
    put32(&w, snaplen);
    put32(&w, DLT_EN10MB);
    return w;
}

/* A record of 'caplen' bytes (a pattern from 'seed'), 'len' on the wire. */
static void
record(struct file *w, uint32_t sec, uint32_t frac, uint32_t caplen,
       uint32_t len, uint32_t seed)
{
    uint32_t i;

    put32(w, sec);
    put32(w, frac);
    put32(w, caplen);
    put32(w, len);
    for (i = 0; i < caplen; i++)
        CHECK(fputc((int) ((seed * 31 + i * 7) & 0xff), w->f) != EOF,
              "write");
}

/* --- Reading both ways -------------------------------------------------- */

/* Reads 'cap' through a pcap port and through libpcap; returns the
 * records compared and sets '*damaged' when both saw a damaged file. */
static uint32_t
compare(bool *damaged)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct xsw_config *cfg = NULL;
    struct xsw_err err = {0};
    struct port port;
    struct pcap_pkthdr *h;
    const u_char *data;
    static struct pkt pkt;
    uint64_t ts, done, total;
    uint32_t n = 0;
    pcap_t *ref;
    FILE *f = fopen(yaml, "w");
    int r, want;

    ck_assert_ptr_nonnull(f);
    fprintf(f, "ports:\n  - { name: p, type: pcap, rx: %s }\n", cap);
    fclose(f);
    ck_assert_msg(config_load(yaml, &cfg, &err) == 0, "%s", err.msg);
    memset(&port, 0, sizeof port);
    ck_assert_msg(port_open(&port, 0, &cfg->ports[0], &err) == 0, "%s",
                  err.msg);
    ref = pcap_open_offline_with_tstamp_precision(
        cap, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    ck_assert_msg(ref != NULL, "%s", errbuf);
    *damaged = false;
    for (;;) {
        r = pcap_next_ex(ref, &h, &data);
        if (r != 1) {
            want = r == -1 ? -EBADMSG : -ENOENT;
            ck_assert_int_eq(port.ops->rx_peek(&port, &ts), want);
            *damaged = r == -1;
            break;
        }
        CHECK(port.ops->rx_peek(&port, &ts) == 0, "record %u: no peek", n);
        CHECK(ts == (uint64_t) h->ts.tv_sec * 1000000000ull +
                        (uint64_t) h->ts.tv_usec,
              "record %u: time %llu, libpcap's %lld s %lld", n,
              (unsigned long long) ts, (long long) h->ts.tv_sec,
              (long long) h->ts.tv_usec);
        pkt_init(&pkt, 0);
        want = h->caplen < h->len        ? DROP_TRUNCATED
               : h->caplen > PKT_FRAME_MAX ? DROP_OVERSIZE
                                           : 0;
        r = port.ops->rx(&port, &pkt);
        CHECK(r == want, "record %u: rx %d, not %d", n, r, want);
        CHECK(pkt.p.ts_ns == ts, "record %u: frame's time", n);
        CHECK(want || (pkt.p.size == h->caplen &&
                       !memcmp(pkt.p.data, data, h->caplen)),
              "record %u: frame of %u bytes, libpcap's %u", n, pkt.p.size,
              h->caplen);
        n++;
    }
    if (!*damaged) {
        port.ops->rx_position(&port, &done, &total);
        ck_assert_uint_eq(done, total);
    }
    pcap_close(ref);
    port_close(&port);
    config_free(cfg);
    return n;
}

/* Time stamps at the edges of libpcap's conversions (signed 32-bit
 * seconds, microseconds scaled in 32 bits), frames cut by the snapshot
 * length, shorter than on the wire, jumbo and over the switch's maximum,
 * and enough records of odd sizes to cross the port's buffer many
 * times. */
static void
edge_records(struct file *w, uint32_t snaplen)
{
    static const uint32_t secs[] = {0, 1, 0x7fffffff, 0x80000000u,
                                    0xffffffffu};
    static const uint32_t fracs[] = {0, 999999, 1000005, 4294968,
                                     999999999, 0xffffffffu};
    uint32_t i, j, size;

    for (i = 0; i < sizeof secs / sizeof *secs; i++)
        for (j = 0; j < sizeof fracs / sizeof *fracs; j++)
            record(w, secs[i], fracs[j], 60, 60, i * 8 + j);
    record(w, 5, 0, 0, 0, 1);          /* Empty. */
    record(w, 5, 1, 60, 1514, 2);      /* Cut short. */
    record(w, 5, 2, 9000, 9000, 3);    /* Jumbo. */
    record(w, 5, 3, 9300, 9300, 4);    /* Over PKT_FRAME_MAX. */
    /* Over the snapshot length (which libpcap cuts to it), unless that
     * is libpcap's maximum, 262144 (it calls those files damaged). */
    size = snaplen < 262144 ? snaplen + 10 : snaplen;
    record(w, 5, 4, size, size, 5);
    for (i = 0; i < 12000; i++) {
        size = 14 + (i * 7919) % 1500;
        record(w, 6 + i / 1000, i, size, size, i);
        if (i % 3000 == 1500)          /* Larger than the port's buffer. */
            record(w, 6 + i / 1000, i, snaplen, snaplen, i);
    }
}

/* Writes the edge records into a file of that header and compares. */
static void
check_edge_file(uint32_t magic, uint16_t minor, uint32_t snaplen, bool swap)
{
    struct file w = file_start(magic, minor, snaplen, swap);
    bool damaged;

    edge_records(&w, snaplen);
    fclose(w.f);
    ck_assert_uint_eq(compare(&damaged), 30 + 5 + 12000 + 4);
    ck_assert(!damaged);
}

START_TEST(plain_files_read_as_libpcap_reads_them)
{
    /* micro and nano, little- and big-endian; snaplen 262144 lets a
     * record exceed the port's 256 KiB buffer. */
    check_edge_file(0xa1b2c3d4u, 4, 262144, false);
    check_edge_file(0xa1b2c3d4u, 4, 262144, true);
    check_edge_file(0xa1b23c4du, 4, 262144, false);
    check_edge_file(0xa1b23c4du, 4, 262144, true);
}
END_TEST

START_TEST(small_snaplen_and_old_version)
{
    check_edge_file(0xa1b2c3d4u, 4, 128, false); /* Most exceed it. */
    check_edge_file(0xa1b2c3d4u, 3, 65535, false); /* libpcap's reader. */
}
END_TEST

/* A file cut inside the last record's data, inside its header, and
 * inside the data of the one before: the records before the cut, then
 * the same damage. */
START_TEST(cut_files_end_alike)
{
    static const long cut[] = {40, 110, 120};
    static const uint32_t left[] = {4999, 4999, 4998};
    uint32_t i, n;
    bool damaged;
    struct file w;
    long end;

    for (i = 0; i < 3; i++) {
        w = file_start(0xa1b2c3d4u, 4, 65535, false);
        for (n = 0; n < 5000; n++)
            record(&w, 1, n, 100, 100, n);
        end = ftell(w.f);
        fclose(w.f);
        ck_assert_int_eq(truncate(cap, end - cut[i]), 0);
        n = compare(&damaged);
        ck_assert(damaged);
        ck_assert_uint_eq(n, left[i]);
    }
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("port-pcap");
    TCase *tc = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, plain_files_read_as_libpcap_reads_them);
    tcase_add_test(tc, small_snaplen_and_old_version);
    tcase_add_test(tc, cut_files_end_alike);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
