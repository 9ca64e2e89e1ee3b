/* Unit tests of the firewall's state across a reload (fw-state.h): the
 * whole module, driven through its descriptor and the acl tests' fake host
 * as the core's reload will drive it: an instance carries traffic, saves,
 * a second instance with other rules restores, and the connections the
 * first allowed carry on there while new ones meet the new rules.  Then
 * blobs that are not what a save wrote, each refused with its reason and
 * the instance left empty and usable. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/xsw.h>

#include "fake_host.h"
#include "fw-state.h"
#include "fwt.h"

#define SEC 1000000000ull
#define LAN 0
#define WAN 1

/* The module's descriptor, compiled into this test from firewall.c. */
extern const struct xsw_extension XSW_EXTENSION_SYMBOL_ID;
#define EXT (&XSW_EXTENSION_SYMBOL_ID)

static const char *const port_names[] = {"lan", "wan"};

/* Web and DNS out are allowed; everything else is denied. */
static const char *const old_rules =
    "ports: { inside: [lan], outside: [wan] }\n"
    "rules:\n"
    "  - { name: web, direction: out, proto: tcp, dst_port: 80, action: allow "
    "}\n"
    "  - { name: dns, direction: out, proto: udp, dst_port: 53, action: allow "
    "}\n";

/* After the reload only SSH out is allowed: no new web or DNS. */
static const char *const new_rules =
    "ports: { inside: [lan], outside: [wan] }\n"
    "default: deny\n"
    "rules:\n"
    "  - { name: ssh, direction: out, proto: tcp, dst_port: 22, action: allow "
    "}\n";

struct inst {
    struct xsw_ctx *ctx;
    void *st;
};

static struct inst old_fw, new_fw;
static uint8_t *blob;
static uint64_t blob_size;

static void
inst_new(struct inst *in, const char *yaml, uint64_t now)
{
    in->ctx = fake_new(port_names, 2);
    fake_set_now(in->ctx, now);
    ck_assert_int_eq(EXT->create(fake_host(in->ctx), in->ctx,
                                 fake_load(in->ctx, yaml), &in->st),
                     0);
}

static void
inst_free(struct inst *in)
{
    if (in->ctx) {
        EXT->destroy(in->st);
        fake_free(in->ctx);
    }
    memset(in, 0, sizeof *in);
}

static void
setup(void)
{
    memset(&old_fw, 0, sizeof old_fw);
    memset(&new_fw, 0, sizeof new_fw);
    blob = NULL;
    blob_size = 0;
}

static void
teardown(void)
{
    inst_free(&old_fw);
    inst_free(&new_fw);
    free(blob);
}

/* Runs one packet through ingress at 'ts'; does it pass? */
static bool
pass(struct inst *in, struct fwt_spec s, uint16_t in_port, uint64_t ts)
{
    struct fwt_pkt p;
    struct xsw_batch b = {.count = 1, .port = in_port};

    fwt_build(&p, &s);
    p.pkt.in_port = in_port;
    p.pkt.ts_ns = ts;
    b.pkts[0] = &p.pkt;
    EXT->ingress(in->st, &b);
    return p.pkt.verdict == XSW_PASS;
}

static struct fwt_spec
tcp(const char *src, uint16_t sp, const char *dst, uint16_t dp, uint8_t flags,
    uint32_t seq, uint32_t ack)
{
    struct fwt_spec s = FWT_IP(4, src, dst, 6, sp, dp);

    s.tcp_flags = flags;
    s.seq = seq;
    s.ack = ack;
    return s;
}

#define CLIENT "10.0.0.10"
#define SERVER "192.0.2.20"
#define SYN XSW_TCP_SYN
#define ACK XSW_TCP_ACK
#define SYNACK (XSW_TCP_SYN | XSW_TCP_ACK)
#define FINACK (XSW_TCP_FIN | XSW_TCP_ACK)

/* Client port 'cp' opens a web connection at 'ts' and completes the
 * handshake (client ISN 1000, server ISN 5000). */
static void
web_handshake(struct inst *in, uint16_t cp, uint64_t ts)
{
    ck_assert(pass(in, tcp(CLIENT, cp, SERVER, 80, SYN, 1000, 0), LAN, ts));
    ck_assert(
        pass(in, tcp(SERVER, 80, CLIENT, cp, SYNACK, 5000, 1001), WAN, ts));
    ck_assert(pass(in, tcp(CLIENT, cp, SERVER, 80, ACK, 1001, 5001), LAN, ts));
}

static struct fwt_spec
udp(const char *src, uint16_t sp, const char *dst, uint16_t dp)
{
    return FWT_IP(4, src, dst, 17, sp, dp);
}

/* --- Stats through the descriptor's hook. ----------------------------- */

struct find {
    const char *name;
    uint64_t value;
    int found;
};

static void
emit_find(void *arg, const char *name, uint64_t value)
{
    struct find *f = arg;

    if (strcmp(name, f->name) == 0) {
        f->value = value;
        f->found = 1;
    }
}

static uint64_t
stat_of(struct inst *in, const char *name)
{
    struct find f = {.name = name};

    EXT->stats(in->st, emit_find, &f);
    ck_assert_msg(f.found, "no stat '%s'", name);
    return f.value;
}

static void
save(struct inst *in)
{
    free(blob);
    blob = NULL;
    ck_assert_int_eq(EXT->save(in->st, &blob, &blob_size), 0);
    ck_assert_ptr_nonnull(blob);
}

/* What the core's reload does: old_fw saves, new_fw is created with
 * 'yaml' on a clock at 'now', and restores. */
static void
reload(const char *yaml, uint64_t now)
{
    save(&old_fw);
    inst_new(&new_fw, yaml, now);
    ck_assert_int_eq(EXT->restore(new_fw.st, blob, blob_size), 0);
}

static uint32_t
le32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
           (uint32_t) p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
    return le32(p) | (uint64_t) le32(p + 4) << 32;
}

/* --- Surviving a change of rules. ------------------------------------- */

START_TEST(established_survives_new_rules)
{
    inst_new(&old_fw, old_rules, 0);
    web_handshake(&old_fw, 40000, 10 * SEC);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 11 * SEC));
    ck_assert(pass(&old_fw, udp(SERVER, 53, CLIENT, 33000), WAN, 11 * SEC));
    fake_set_now(old_fw.ctx, 12 * SEC);
    reload(new_rules, 12 * SEC);
    ck_assert_str_eq(fake_last_log(old_fw.ctx),
                     "saved 2 connections (0 undecided left out)");
    ck_assert_str_eq(fake_last_log(new_fw.ctx),
                     "restored 2 connections; left out 0 that did not fit in "
                     "max_connections 65536, 0 idle past their new timeout");
    inst_free(&old_fw);

    /* The states came along... */
    ck_assert_uint_eq(stat_of(&new_fw, "active tcp_established"), 1);
    ck_assert_uint_eq(stat_of(&new_fw, "active udp_replied"), 1);
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 2);
    /* ...and the connections pass both ways, though no rule would let
     * them in now. */
    ck_assert(pass(&new_fw, tcp(CLIENT, 40000, SERVER, 80, ACK, 1001, 5001),
                   LAN, 13 * SEC));
    ck_assert(pass(&new_fw, tcp(SERVER, 80, CLIENT, 40000, ACK, 5001, 1001),
                   WAN, 13 * SEC));
    ck_assert(pass(&new_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 13 * SEC));
    ck_assert(pass(&new_fw, udp(SERVER, 53, CLIENT, 33000), WAN, 13 * SEC));
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "invalid"), 0);
    /* Counters are the new instance's own: nothing was created here. */
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "conn created"), 0);

    /* New connections meet the new rules. */
    ck_assert(!pass(&new_fw, tcp(CLIENT, 40001, SERVER, 80, SYN, 7, 0), LAN,
                    14 * SEC));
    ck_assert(!pass(&new_fw, udp(CLIENT, 33001, SERVER, 53), LAN, 14 * SEC));
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "default deny"), 2);
    ck_assert(pass(&new_fw, tcp(CLIENT, 40002, SERVER, 22, SYN, 7, 0), LAN,
                   14 * SEC));
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "rule ssh"), 1);
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "conn created"), 1);

    /* The TCP state machine goes on where it was: the close is tracked
     * to TIME_WAIT, after which data is out of state. */
    ck_assert(pass(&new_fw, tcp(CLIENT, 40000, SERVER, 80, FINACK, 1001, 5001),
                   LAN, 15 * SEC));
    ck_assert(pass(&new_fw, tcp(SERVER, 80, CLIENT, 40000, FINACK, 5001, 1002),
                   WAN, 15 * SEC));
    ck_assert(pass(&new_fw, tcp(CLIENT, 40000, SERVER, 80, ACK, 1002, 5002),
                   LAN, 15 * SEC));
    ck_assert_uint_eq(stat_of(&new_fw, "active tcp_time_wait"), 1);
}
END_TEST

/* The handshake's sequence check survives: a SYN+ACK must still
 * acknowledge the SYN sent before the reload. */
START_TEST(half_open_keeps_its_isn)
{
    inst_new(&old_fw, old_rules, 0);
    ck_assert(
        pass(&old_fw, tcp(CLIENT, 40000, SERVER, 80, SYN, 1000, 0), LAN, SEC));
    reload(new_rules, SEC);
    ck_assert_uint_eq(stat_of(&new_fw, "active tcp_syn_sent"), 1);
    ck_assert(!pass(&new_fw, tcp(SERVER, 80, CLIENT, 40000, SYNACK, 5000, 77),
                    WAN, 2 * SEC));
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "invalid"), 1);
    ck_assert(pass(&new_fw, tcp(SERVER, 80, CLIENT, 40000, SYNACK, 5000, 1001),
                   WAN, 2 * SEC));
    ck_assert(pass(&new_fw, tcp(CLIENT, 40000, SERVER, 80, ACK, 1001, 5001),
                   LAN, 2 * SEC));
    ck_assert_uint_eq(stat_of(&new_fw, "active tcp_established"), 1);
}
END_TEST

/* Idle time carries over: a UDP flow idle 20 s of its 30 at the save has
 * 10 s left after the restore, whatever the new instance's clock. */
START_TEST(idle_time_carries_over)
{
    inst_new(&old_fw, old_rules, 0);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 80 * SEC));
    ck_assert(pass(&old_fw, udp(CLIENT, 33001, SERVER, 53), LAN, 80 * SEC));
    fake_set_now(old_fw.ctx, 100 * SEC);
    reload(new_rules, 100 * SEC);
    ck_assert_uint_eq(stat_of(&new_fw, "active udp"), 2);
    ck_assert(pass(&new_fw, udp(SERVER, 53, CLIENT, 33000), WAN,
                   109 * SEC + SEC / 2));
    ck_assert(!pass(&new_fw, udp(SERVER, 53, CLIENT, 33001), WAN, 110 * SEC));
}
END_TEST

/* A connection used again within a second of its first packet stays
 * queued ahead of one opened after it (conntrack.h): the save still
 * writes the records in order of last use, which the restore checks. */
START_TEST(save_orders_by_last_use)
{
    const uint8_t *r;

    inst_new(&old_fw, old_rules, 0);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 80 * SEC));
    ck_assert(pass(&old_fw, udp(CLIENT, 33001, SERVER, 53), LAN,
                   80 * SEC + SEC / 10));
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN,
                   80 * SEC + SEC / 2));
    fake_set_now(old_fw.ctx, 81 * SEC);
    reload(new_rules, 100 * SEC);
    ck_assert_uint_eq(blob_size, 32 + 2 * 72);
    r = blob + 32;
    ck_assert_uint_eq(r[32] | r[33] << 8, 33001);
    ck_assert_uint_eq(le64(r + 48), SEC - SEC / 10);
    ck_assert_uint_eq(r[72 + 32] | r[72 + 33] << 8, 33000);
    ck_assert_uint_eq(le64(r + 72 + 48), SEC / 2);
    ck_assert_uint_eq(stat_of(&new_fw, "active udp"), 2);
}
END_TEST

/* Connections idle past the new config's timeout of their class are
 * left out, and said so. */
START_TEST(new_timeouts_apply)
{
    inst_new(&old_fw, old_rules, 0);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 80 * SEC));
    web_handshake(&old_fw, 40000, 95 * SEC);
    fake_set_now(old_fw.ctx, 100 * SEC);
    reload("ports: { inside: [lan], outside: [wan] }\n"
           "timeouts: { udp: 10 }\n",
           100 * SEC);
    ck_assert_str_eq(fake_last_log(new_fw.ctx),
                     "restored 1 connections; left out 0 that did not fit in "
                     "max_connections 65536, 1 idle past their new timeout");
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 1);
    ck_assert_uint_eq(stat_of(&new_fw, "active tcp_established"), 1);
}
END_TEST

/* A smaller table keeps the most recently used connections. */
START_TEST(smaller_table_keeps_newest)
{
    inst_new(&old_fw, old_rules, 0);
    web_handshake(&old_fw, 40001, 1 * SEC);
    web_handshake(&old_fw, 40002, 2 * SEC);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 3 * SEC));
    /* Used last, though opened first. */
    ck_assert(pass(&old_fw, tcp(CLIENT, 40001, SERVER, 80, ACK, 1001, 5001),
                   LAN, 4 * SEC));
    reload("ports: { inside: [lan], outside: [wan] }\n"
           "max_connections: 2\n",
           4 * SEC);
    ck_assert_uint_eq(le32(blob + 12), 3);
    ck_assert_str_eq(fake_last_log(new_fw.ctx),
                     "restored 2 connections; left out 1 that did not fit in "
                     "max_connections 2, 0 idle past their new timeout");
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 2);
    ck_assert(pass(&new_fw, tcp(SERVER, 80, CLIENT, 40001, ACK, 5001, 1001),
                   WAN, 5 * SEC));
    ck_assert(pass(&new_fw, udp(SERVER, 53, CLIENT, 33000), WAN, 5 * SEC));
    ck_assert(!pass(&new_fw, tcp(SERVER, 80, CLIENT, 40002, ACK, 5001, 1001),
                    WAN, 5 * SEC));
    ck_assert_uint_eq(fake_counter(new_fw.ctx, "invalid"), 1);
}
END_TEST

START_TEST(empty_round_trip)
{
    inst_new(&old_fw, old_rules, 0);
    reload(new_rules, 0);
    ck_assert_uint_eq(blob_size, FW_STATE_HEADER_SIZE);
    ck_assert_uint_eq(le32(blob + 12), 0);
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 0);
    free(blob);
    blob = NULL;
    save(&new_fw);
    ck_assert_uint_eq(blob_size, FW_STATE_HEADER_SIZE);
}
END_TEST

/* The byte layout docs/extensions/firewall.md gives, on any host. */
START_TEST(layout_is_little_endian)
{
    static const uint8_t client[4] = {10, 0, 0, 10};
    const uint8_t *r;

    inst_new(&old_fw, old_rules, 0);
    web_handshake(&old_fw, 40000, 7 * SEC);
    fake_set_now(old_fw.ctx, 9 * SEC);
    save(&old_fw);
    ck_assert_uint_eq(blob_size, FW_STATE_HEADER_SIZE + FW_STATE_RECORD_SIZE);
    ck_assert_mem_eq(blob, "FWCT", 4);
    ck_assert_uint_eq(blob[4] | blob[5] << 8, 1);  /* version */
    ck_assert_uint_eq(blob[6] | blob[7] << 8, 32); /* header size */
    ck_assert_uint_eq(le32(blob + 8), 72);         /* record size */
    ck_assert_uint_eq(le32(blob + 12), 1);         /* count */
    ck_assert_uint_eq(le64(blob + 16), 9 * SEC);   /* saved_ns */
    r = blob + FW_STATE_HEADER_SIZE;
    ck_assert_mem_eq(r, client, 4);
    ck_assert_uint_eq(r[32] | r[33] << 8, 40000);         /* sport */
    ck_assert_uint_eq(r[34] | r[35] << 8, 80);            /* dport */
    ck_assert_uint_eq(r[38], 6);                          /* proto */
    ck_assert_uint_eq(r[39], 4);                          /* family */
    ck_assert_uint_eq(r[41], CT_TCP_ESTABLISHED);         /* class */
    ck_assert_uint_eq(r[42], 1);                          /* replied */
    ck_assert_uint_eq(r[43], TCP_ST_ESTABLISHED);         /* TCP state */
    ck_assert_uint_eq(r[46] | r[47] << 8, XSW_PORT_NONE); /* out_port */
    ck_assert_uint_eq(le64(r + 48), 2 * SEC);             /* idle */
    ck_assert_uint_eq(le32(r + 56), 1001);                /* syn_end */
}
END_TEST

/* --- Blobs that are not what a save wrote. ---------------------------- */

/* A saved blob of one TCP and one UDP connection, in 'blob'. */
static void
good_blob(void)
{
    inst_new(&old_fw, old_rules, 0);
    web_handshake(&old_fw, 40000, SEC);
    ck_assert(pass(&old_fw, udp(CLIENT, 33000, SERVER, 53), LAN, 2 * SEC));
    save(&old_fw);
    ck_assert_uint_eq(blob_size,
                      FW_STATE_HEADER_SIZE + 2 * FW_STATE_RECORD_SIZE);
    inst_new(&new_fw, new_rules, 2 * SEC);
}

/* Restoring 'b' fails with 'code' and 'msg'; the instance is left empty,
 * and the good blob still restores into it afterwards. */
static void
refused(const uint8_t *b, uint64_t size, int code, const char *msg)
{
    ck_assert_int_eq(EXT->restore(new_fw.st, b, size), code);
    ck_assert_str_eq(fake_error(new_fw.ctx), msg);
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 0);
    ck_assert_int_eq(EXT->restore(new_fw.st, blob, blob_size), 0);
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 2);
    ck_assert(pass(&new_fw, udp(SERVER, 53, CLIENT, 33000), WAN, 3 * SEC));
    /* Back to an empty instance for the next case. */
    inst_free(&new_fw);
    inst_new(&new_fw, new_rules, 2 * SEC);
}

/* A copy of the good blob, with a zeroed record's room after it. */
static uint8_t *
copy_of_blob(void)
{
    uint8_t *b = malloc(blob_size + FW_STATE_RECORD_SIZE);

    ck_assert_ptr_nonnull(b);
    memcpy(b, blob, blob_size);
    memset(b + blob_size, 0, FW_STATE_RECORD_SIZE);
    return b;
}

/* A copy of the good blob with byte 'at' set to 'v'. */
static uint8_t *
patched(uint64_t at, uint8_t v)
{
    uint8_t *b = copy_of_blob();

    ck_assert_uint_lt(at, blob_size);
    b[at] = v;
    return b;
}

START_TEST(bad_header_refused)
{
    uint8_t *b;

    good_blob();
    refused(blob, 10, -EINVAL,
            "cannot restore connections: blob of 10 bytes is shorter than "
            "its 32-byte header");
    refused(NULL, 0, -EINVAL,
            "cannot restore connections: blob of 0 bytes is shorter than "
            "its 32-byte header");
    b = patched(0, 'X');
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: not a firewall state blob (magic "
            "0x54435758, want 0x54435746)");
    free(b);
    b = patched(4, 2);
    refused(b, blob_size, -ENOTSUP,
            "cannot restore connections: state format version 2, this "
            "module reads version 1");
    free(b);
    b = patched(8, 64);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: header of 32 bytes and records of "
            "64 bytes, want 32 and 72");
    free(b);
    b = patched(28, 1);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: reserved header field is not zero");
    free(b);
}
END_TEST

START_TEST(bad_sizes_refused)
{
    uint8_t *b;

    good_blob();
    /* A count no allocation may follow: the blob's size is checked
     * first. */
    b = copy_of_blob();
    memset(b + 12, 0xff, 4);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: header claims 4294967295 records, "
            "the blob holds 2");
    free(b);
    refused(blob, blob_size - 1, -EINVAL,
            "cannot restore connections: header claims 2 records, the blob "
            "holds 1");
    b = copy_of_blob();
    refused(b, blob_size + 5, -EINVAL,
            "cannot restore connections: 181 bytes for 2 records, want 176");
    refused(b, blob_size + FW_STATE_RECORD_SIZE, -EINVAL,
            "cannot restore connections: 248 bytes for 2 records, want 176");
    free(b);
}
END_TEST

START_TEST(bad_records_refused)
{
    const uint64_t r1 = FW_STATE_HEADER_SIZE + FW_STATE_RECORD_SIZE;
    uint8_t *b;

    good_blob();
    b = patched(r1 + 41, 99);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: unknown timeout class");
    free(b);
    b = patched(r1 + 39, 5);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: address family is neither "
            "4 nor 6");
    free(b);
    b = patched(FW_STATE_HEADER_SIZE + 43, TCP_ST_COUNT);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 0: TCP state out of range");
    free(b);
    b = patched(r1 + 43, TCP_ST_ESTABLISHED);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: TCP state on a connection "
            "that is not TCP");
    free(b);
    b = patched(r1 + 42, 1);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: class does not fit a UDP "
            "connection");
    free(b);
    b = patched(r1 + 71, 1);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: reserved field is not "
            "zero");
    free(b);
    /* The second record idle longer than the first. */
    b = patched(r1 + 55, 0x10);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: idle 1152921504606846976 "
            "ns after a record idle 1000000000 ns (records run from the "
            "longest idle)");
    free(b);
}
END_TEST

/* A connection twice (the second time as its reverse): the table is
 * emptied again rather than left half restored. */
START_TEST(duplicate_refused)
{
    const uint64_t r0 = FW_STATE_HEADER_SIZE, r1 = r0 + FW_STATE_RECORD_SIZE;
    uint8_t *b;

    good_blob();
    b = copy_of_blob();
    memcpy(b + r1, b + r0, FW_STATE_RECORD_SIZE);
    /* Swap the ends of the copy. */
    memcpy(b + r1, blob + r0 + 16, 16);
    memcpy(b + r1 + 16, blob + r0, 16);
    memcpy(b + r1 + 32, blob + r0 + 34, 2);
    memcpy(b + r1 + 34, blob + r0 + 32, 2);
    /* Idle no longer than the first. */
    memcpy(b + r1 + 48, blob + r1 + 48, 8);
    refused(b, blob_size, -EINVAL,
            "cannot restore connections: record 1: the connection is already "
            "in an earlier record");
    free(b);
}
END_TEST

START_TEST(busy_table_refused)
{
    good_blob();
    ck_assert(pass(&new_fw, tcp(CLIENT, 40002, SERVER, 22, SYN, 7, 0), LAN,
                   3 * SEC));
    ck_assert_int_eq(EXT->restore(new_fw.st, blob, blob_size), -EBUSY);
    ck_assert_str_eq(fake_error(new_fw.ctx),
                     "cannot restore connections: the table already holds 1 "
                     "connections");
    ck_assert_uint_eq(stat_of(&new_fw, "active total"), 1);
}
END_TEST

static Suite *
fw_state_suite(void)
{
    Suite *s = suite_create("fw-state");
    TCase *tc = tcase_create("reload");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, established_survives_new_rules);
    tcase_add_test(tc, half_open_keeps_its_isn);
    tcase_add_test(tc, idle_time_carries_over);
    tcase_add_test(tc, save_orders_by_last_use);
    tcase_add_test(tc, new_timeouts_apply);
    tcase_add_test(tc, smaller_table_keeps_newest);
    tcase_add_test(tc, empty_round_trip);
    tcase_add_test(tc, layout_is_little_endian);
    tcase_add_test(tc, bad_header_refused);
    tcase_add_test(tc, bad_sizes_refused);
    tcase_add_test(tc, bad_records_refused);
    tcase_add_test(tc, duplicate_refused);
    tcase_add_test(tc, busy_table_refused);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(fw_state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
