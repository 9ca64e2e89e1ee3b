#include "fw-state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/host.h>

/* A record decoded, before it is trusted. */
struct record {
    struct fw_tuple key;
    uint64_t idle_ns;
    uint8_t cls;
    uint8_t replied;
    uint16_t out_port;
    struct tcp_conn tcp;
    uint32_t reserved;
};

/* --- Little-endian fields: the blob's byte order on every host. ------- */

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t) v);
    put16(p + 2, (uint16_t) (v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t) v);
    put32(p + 4, (uint32_t) (v >> 32));
}

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t) (p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
    return get16(p) | (uint32_t) get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
    return get32(p) | (uint64_t) get32(p + 4) << 32;
}

/* --- Save --------------------------------------------------------------- */

static void
write_record(uint8_t *p, const struct conn *c, uint64_t now_ns)
{
    memset(p, 0, FW_STATE_RECORD_SIZE);
    memcpy(p, c->key.src, 16);
    memcpy(p + 16, c->key.dst, 16);
    put16(p + 32, c->key.sport);
    put16(p + 34, c->key.dport);
    put16(p + 36, c->key.vlan);
    p[38] = c->key.proto;
    p[39] = c->key.family;
    p[40] = c->key.icmp_req;
    p[41] = c->cls;
    p[42] = c->replied;
    p[43] = c->tcp.state;
    p[44] = c->tcp.fin_sent;
    p[45] = c->tcp.fin_acked;
    put16(p + 46, c->out_port);
    put64(p + 48, now_ns >= c->last_ns ? now_ns - c->last_ns : 0);
    put32(p + 56, c->tcp.syn_end);
    put32(p + 60, c->tcp.fin_end[TCP_DIR_ORIG]);
    put32(p + 64, c->tcp.fin_end[TCP_DIR_REPLY]);
}

/* qsort() order of records: the longest idle first. */
static int
cmp_idle_desc(const void *a, const void *b)
{
    uint64_t x = get64((const uint8_t *) a + 48),
             y = get64((const uint8_t *) b + 48);

    return (x < y) - (x > y);
}

int
fw_state_save(const struct conntrack *ct, uint64_t now_ns, uint8_t **blob,
              uint64_t *size, struct fw_state_report *rep)
{
    uint32_t n = conntrack_count(ct, CT_N_CLASSES);
    const struct conn *c;
    uint8_t *buf, *p;
    uint8_t cls;

    memset(rep, 0, sizeof *rep);
    buf = malloc(FW_STATE_HEADER_SIZE + (size_t) n * FW_STATE_RECORD_SIZE);
    if (!buf)
        return -ENOMEM;
    p = buf + FW_STATE_HEADER_SIZE;
    for (cls = 0; cls < CT_N_CLASSES; cls++) {
        for (c = conntrack_oldest(ct, cls); c; c = conntrack_newer(ct, c)) {
            /* Undecided: its first packet's batch is still being judged,
             * and the decision needs this instance's rules; the next
             * packet will meet the new rules as a new connection. */
            if (c->pending) {
                rep->pending++;
                continue;
            }
            write_record(p, c, now_ns);
            p += FW_STATE_RECORD_SIZE;
            rep->saved++;
        }
    }
    /* The class lists are in order of last use only to within a second
     * (conntrack.h); the records must be in that order exactly. */
    qsort(buf + FW_STATE_HEADER_SIZE, rep->saved, FW_STATE_RECORD_SIZE,
          cmp_idle_desc);
    memset(buf, 0, FW_STATE_HEADER_SIZE);
    put32(buf, FW_STATE_MAGIC);
    put16(buf + 4, FW_STATE_VERSION);
    put16(buf + 6, FW_STATE_HEADER_SIZE);
    put32(buf + 8, FW_STATE_RECORD_SIZE);
    put32(buf + 12, rep->saved);
    put64(buf + 16, now_ns);
    put32(buf + 24, rep->pending);
    *blob = buf;
    *size = (uint64_t) (p - buf);
    return 0;
}

/* --- Restore ------------------------------------------------------------ */

static int XSW_PRINTF(4, 5)
    fail(char *why, size_t why_size, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
    return code;
}

static void
read_record(const uint8_t *p, struct record *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->key.src, p, 16);
    memcpy(r->key.dst, p + 16, 16);
    r->key.sport = get16(p + 32);
    r->key.dport = get16(p + 34);
    r->key.vlan = get16(p + 36);
    r->key.proto = p[38];
    r->key.family = p[39];
    r->key.icmp_req = p[40];
    r->cls = p[41];
    r->replied = p[42];
    r->tcp.state = p[43];
    r->tcp.fin_sent = p[44];
    r->tcp.fin_acked = p[45];
    r->out_port = get16(p + 46);
    r->idle_ns = get64(p + 48);
    r->tcp.syn_end = get32(p + 56);
    r->tcp.fin_end[TCP_DIR_ORIG] = get32(p + 60);
    r->tcp.fin_end[TCP_DIR_REPLY] = get32(p + 64);
    r->reserved = get32(p + 68);
}

static bool
is_zero(const uint8_t *p, size_t n)
{
    while (n--)
        if (*p++)
            return false;
    return true;
}

/* Is 'k' a tuple the firewall could have made (fw-tuple.h)?  Only such
 * keys can ever match a packet. */
static const char *
key_problem(const struct fw_tuple *k)
{
    bool icmp_query = k->icmp_req != 0;

    if (k->family != 4 && k->family != 6)
        return "address family is neither 4 nor 6";
    if (k->family == 4 &&
        (!is_zero(k->src + 4, 12) || !is_zero(k->dst + 4, 12)))
        return "IPv4 address longer than 4 bytes";
    if (icmp_query && k->proto != (k->family == 4 ? 1 : 58))
        return "ICMP query type on a protocol that is not ICMP";
    if (!icmp_query && k->proto != 6 && k->proto != 17 &&
        (k->sport || k->dport))
        return "ports on a protocol without ports";
    return NULL;
}

/* The class a connection of this key may be in, and whether the fields
 * that belong to the other kinds are zero. */
static const char *
state_problem(const struct record *r)
{
    const struct tcp_conn *tc = &r->tcp;

    if (r->cls >= CT_N_CLASSES)
        return "unknown timeout class";
    if (r->replied > 1)
        return "'replied' is neither 0 nor 1";
    if (r->reserved)
        return "reserved field is not zero";
    if (r->key.proto != 6) {
        if (tc->state || tc->fin_sent || tc->fin_acked || tc->syn_end ||
            tc->fin_end[0] || tc->fin_end[1])
            return "TCP state on a connection that is not TCP";
        if (r->key.proto == 17)
            return r->cls == (r->replied ? CT_UDP_REPLIED : CT_UDP)
                       ? NULL
                       : "class does not fit a UDP connection";
        if (r->key.icmp_req)
            return r->cls == CT_ICMP ? NULL
                                     : "class does not fit an ICMP query";
        return r->cls == CT_OTHER ? NULL : "class does not fit its protocol";
    }
    if (tc->state < TCP_ST_SYN_SENT || tc->state >= TCP_ST_COUNT)
        return "TCP state out of range";
    if (r->cls != ct_class_of_tcp(tc->state))
        return "class does not fit its TCP state";
    if (tc->fin_sent > 3 || (tc->fin_acked & ~tc->fin_sent))
        return "FIN flags out of range";
    return NULL;
}

/* Checks the header; sets '*count' to the records that follow. */
static int
check_header(const uint8_t *blob, uint64_t size, uint32_t *count, char *why,
             size_t why_size)
{
    uint64_t room;

    if (!blob || size < FW_STATE_HEADER_SIZE)
        return fail(why, why_size, -EINVAL,
                    "blob of %" PRIu64 " bytes is shorter than its %u-byte "
                    "header",
                    size, FW_STATE_HEADER_SIZE);
    if (get32(blob) != FW_STATE_MAGIC)
        return fail(why, why_size, -EINVAL,
                    "not a firewall state blob (magic 0x%08" PRIx32
                    ", want 0x%08x)",
                    get32(blob), FW_STATE_MAGIC);
    if (get16(blob + 4) != FW_STATE_VERSION)
        return fail(why, why_size, -ENOTSUP,
                    "state format version %u, this module reads version %u",
                    get16(blob + 4), FW_STATE_VERSION);
    if (get16(blob + 6) != FW_STATE_HEADER_SIZE ||
        get32(blob + 8) != FW_STATE_RECORD_SIZE)
        return fail(why, why_size, -EINVAL,
                    "header of %u bytes and records of %" PRIu32
                    " bytes, want %u and %u",
                    get16(blob + 6), get32(blob + 8), FW_STATE_HEADER_SIZE,
                    FW_STATE_RECORD_SIZE);
    if (get32(blob + 28))
        return fail(why, why_size, -EINVAL,
                    "reserved header field is not zero");
    *count = get32(blob + 12);
    room = (size - FW_STATE_HEADER_SIZE) / FW_STATE_RECORD_SIZE;
    if (*count > room)
        return fail(why, why_size, -EINVAL,
                    "header claims %" PRIu32
                    " records, the blob holds %" PRIu64,
                    *count, room);
    if (size !=
        FW_STATE_HEADER_SIZE + (uint64_t) *count * FW_STATE_RECORD_SIZE)
        return fail(why, why_size, -EINVAL,
                    "%" PRIu64 " bytes for %" PRIu32 " records, want %" PRIu64,
                    size, *count,
                    FW_STATE_HEADER_SIZE +
                        (uint64_t) *count * FW_STATE_RECORD_SIZE);
    return 0;
}

/* Checks every record without touching the table; counts those still
 * alive under the table's timeouts. */
static int
check_records(const struct conntrack *ct, const uint8_t *recs, uint32_t count,
              uint32_t *alive, char *why, size_t why_size)
{
    uint64_t prev_idle = UINT64_MAX;
    struct record r;
    const char *problem;
    uint32_t i;

    *alive = 0;
    for (i = 0; i < count; i++) {
        read_record(recs + (size_t) i * FW_STATE_RECORD_SIZE, &r);
        if ((problem = key_problem(&r.key)) || (problem = state_problem(&r)))
            return fail(why, why_size, -EINVAL, "record %" PRIu32 ": %s", i,
                        problem);
        if (r.idle_ns > prev_idle)
            return fail(why, why_size, -EINVAL,
                        "record %" PRIu32 ": idle %" PRIu64
                        " ns after a record idle %" PRIu64
                        " ns (records run from the longest idle)",
                        i, r.idle_ns, prev_idle);
        prev_idle = r.idle_ns;
        if (r.idle_ns < conntrack_timeout_ns(ct, r.cls))
            (*alive)++;
    }
    return 0;
}

int
fw_state_restore(struct conntrack *ct, const uint8_t *blob, uint64_t size,
                 uint64_t now_ns, struct fw_state_report *rep, char *why,
                 size_t why_size)
{
    uint32_t count = 0, alive, skip, i;
    const uint8_t *recs;
    struct record r;
    int ret;

    memset(rep, 0, sizeof *rep);
    if ((ret = check_header(blob, size, &count, why, why_size)))
        return ret;
    recs = blob + FW_STATE_HEADER_SIZE;
    if (conntrack_count(ct, CT_N_CLASSES))
        return fail(why, why_size, -EBUSY,
                    "the table already holds %" PRIu32 " connections",
                    conntrack_count(ct, CT_N_CLASSES));
    if ((ret = check_records(ct, recs, count, &alive, why, why_size)))
        return ret;
    /* A smaller table keeps the most recently used. */
    skip = alive > conntrack_capacity(ct) ? alive - conntrack_capacity(ct) : 0;
    for (i = 0; i < count; i++) {
        struct conn *c;
        bool is_reply;

        read_record(recs + (size_t) i * FW_STATE_RECORD_SIZE, &r);
        if (r.idle_ns >= conntrack_timeout_ns(ct, r.cls)) {
            rep->expired++;
            continue;
        }
        if (skip) {
            skip--;
            rep->no_room++;
            continue;
        }
        /* A save never repeats a connection, in either direction; only a
         * forged blob does, and half of it would then be unreachable. */
        if (conntrack_lookup(ct, &r.key, now_ns, &is_reply)) {
            conntrack_clear(ct);
            memset(rep, 0, sizeof *rep);
            return fail(why, why_size, -EINVAL,
                        "record %" PRIu32 ": the connection is already in "
                        "an earlier record",
                        i);
        }
        c = conntrack_insert(ct, &r.key, r.cls,
                             now_ns > r.idle_ns ? now_ns - r.idle_ns : 0);
        c->replied = r.replied;
        c->out_port = r.out_port;
        c->rule = CONN_RULE_RESTORED;
        c->slot = CONN_SLOT_NONE;
        c->tcp = r.tcp;
        rep->restored++;
    }
    return 0;
}
