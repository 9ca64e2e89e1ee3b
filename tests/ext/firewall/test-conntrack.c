/* Unit tests of the firewall's connection table (conntrack.h) and tuples
 * (fw-tuple.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/packet.h>

#include "conntrack.h"
#include "fw-tuple.h"

#define S_ 1000000000ull

static struct conntrack_settings
settings(uint32_t max_conns)
{
    struct conntrack_settings s;
    uint8_t cls;

    memset(&s, 0, sizeof s);
    s.max_conns = max_conns;
    s.seed = 12345;
    for (cls = 0; cls < CT_N_CLASSES; cls++)
        s.timeout_ns[cls] = conntrack_class_default_s(cls) * S_;
    return s;
}

/* UDP 10.0.0.<host>:<sport> > 192.0.2.1:53 on VLAN 1. */
static struct fw_tuple
udp_tuple(uint8_t host, uint16_t sport)
{
    struct fw_tuple t;

    memset(&t, 0, sizeof t);
    t.family = 4;
    t.proto = 17;
    t.src[0] = 10;
    t.src[3] = host;
    t.dst[0] = 192;
    t.dst[2] = 2;
    t.dst[3] = 1;
    t.sport = sport;
    t.dport = 53;
    t.vlan = 1;
    return t;
}

START_TEST(hash_is_symmetric)
{
    struct fw_tuple t = udp_tuple(1, 4000), r, other = udp_tuple(2, 4000);

    fw_tuple_reverse(&r, &t);
    ck_assert(!fw_tuple_equal(&t, &r));
    ck_assert(fw_tuple_is_reverse(&t, &r));
    ck_assert(fw_tuple_is_reverse(&r, &t));
    ck_assert(!fw_tuple_is_reverse(&t, &t));
    ck_assert(!fw_tuple_is_reverse(&other, &r));
    r.vlan = 2; /* The direction-free fields must match too. */
    ck_assert(!fw_tuple_is_reverse(&t, &r));
    r.vlan = t.vlan;
    r.icmp_req = 8;
    ck_assert(!fw_tuple_is_reverse(&t, &r));
    r.icmp_req = 0;
    ck_assert_uint_eq(fw_tuple_hash(&t, 99), fw_tuple_hash(&r, 99));
    ck_assert_uint_ne(fw_tuple_hash(&t, 99), fw_tuple_hash(&other, 99));
    ck_assert_uint_ne(fw_tuple_hash(&t, 99), fw_tuple_hash(&t, 100));
    ck_assert_uint_eq(r.dport, 4000);
    ck_assert_uint_eq(r.sport, 53);
    ck_assert_uint_eq(r.src[0], 192);
}
END_TEST

START_TEST(lookup_finds_both_directions)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple t = udp_tuple(1, 4000), r, other = udp_tuple(1, 4001);
    struct conn *c;
    bool is_reply = true;

    ck_assert_ptr_nonnull(ct);
    c = conntrack_insert(ct, &t, CT_UDP, 0);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_eq(conntrack_lookup(ct, &t, 1, &is_reply), c);
    ck_assert(!is_reply);
    fw_tuple_reverse(&r, &t);
    ck_assert_ptr_eq(conntrack_lookup(ct, &r, 1, &is_reply), c);
    ck_assert(is_reply);
    ck_assert_ptr_null(conntrack_lookup(ct, &other, 1, &is_reply));
    /* The batch path: hash first (both ways alike), prefetch, look up. */
    ck_assert_uint_eq(conntrack_hash(ct, &t), conntrack_hash(ct, &r));
    conntrack_prefetch(ct, conntrack_hash(ct, &r), 0, false);
    conntrack_prefetch(ct, conntrack_hash(ct, &r), 1, true);
    ck_assert_ptr_eq(
        conntrack_lookup_hashed(ct, &r, conntrack_hash(ct, &r), 1, &is_reply),
        c);
    ck_assert(is_reply);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 1);
    ck_assert_uint_eq(conntrack_count(ct, CT_N_CLASSES), 1);
    conntrack_destroy(ct);
}
END_TEST

START_TEST(vlan_and_icmp_type_are_part_of_the_key)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple t = udp_tuple(1, 4000), u;
    bool is_reply;

    ck_assert_ptr_nonnull(conntrack_insert(ct, &t, CT_UDP, 0));
    u = t;
    u.vlan = 2;
    ck_assert_ptr_null(conntrack_lookup(ct, &u, 1, &is_reply));
    u = t;
    u.icmp_req = 8;
    ck_assert_ptr_null(conntrack_lookup(ct, &u, 1, &is_reply));
    conntrack_destroy(ct);
}
END_TEST

/* ICMP echo 10.0.0.<host> > 192.0.2.1, identifier 'id', on VLAN 1. */
static struct fw_tuple
echo_request(uint8_t host, uint16_t id)
{
    struct fw_tuple t = udp_tuple(host, id);

    t.proto = 1;
    t.dport = id;
    t.icmp_req = 8;
    return t;
}

START_TEST(icmp_queries_tell_requests_from_replies)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple a_to_b = echo_request(1, 1), reply, b_to_a;
    struct conn *c;
    bool is_reply;

    fw_tuple_reverse(&reply, &a_to_b);
    ck_assert_uint_eq(reply.icmp_reply, 1);
    ck_assert(fw_tuple_is_reverse(&reply, &a_to_b));
    ck_assert_uint_eq(fw_tuple_hash(&reply, 7), fw_tuple_hash(&a_to_b, 7));
    /* B's own request to A with the same identifier: same addresses and
     * "ports" as the reply, but a request. */
    b_to_a = reply;
    b_to_a.icmp_reply = 0;
    ck_assert(!fw_tuple_is_reverse(&b_to_a, &a_to_b));
    ck_assert(!fw_tuple_equal(&b_to_a, &a_to_b));
    fw_tuple_reverse(&reply, &reply);
    ck_assert(fw_tuple_equal(&reply, &a_to_b));

    c = conntrack_insert(ct, &a_to_b, CT_ICMP, 0);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(conntrack_lookup(ct, &b_to_a, 1, &is_reply));
    ck_assert_ptr_nonnull(conntrack_insert(ct, &b_to_a, CT_ICMP, 0));
    fw_tuple_reverse(&reply, &a_to_b);
    ck_assert_ptr_eq(conntrack_lookup(ct, &reply, 1, &is_reply), c);
    ck_assert(is_reply);
    /* Not for other protocols: reversing UDP leaves the flag alone. */
    a_to_b = udp_tuple(1, 1);
    fw_tuple_reverse(&reply, &a_to_b);
    ck_assert_uint_eq(reply.icmp_reply, 0);
    conntrack_destroy(ct);
}
END_TEST

START_TEST(lookup_expires_exactly_at_the_timeout)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple t = udp_tuple(1, 4000);
    bool is_reply;

    conntrack_insert(ct, &t, CT_UDP, 10 * S_);
    ck_assert_ptr_nonnull(conntrack_lookup(ct, &t, 40 * S_ - 1, &is_reply));
    ck_assert_ptr_null(conntrack_lookup(ct, &t, 40 * S_, &is_reply));
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 0);
    ck_assert_uint_eq(conntrack_expired(ct), 1);
    conntrack_destroy(ct);
}
END_TEST

START_TEST(touch_refreshes_and_moves_class)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple t = udp_tuple(1, 4000);
    struct conn *c;
    bool is_reply;

    c = conntrack_insert(ct, &t, CT_UDP, 0);
    conntrack_touch(ct, c, CT_UDP_REPLIED, 20 * S_);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 0);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP_REPLIED), 1);
    /* 180 s from the touch, not 30 s from the insert. */
    ck_assert_ptr_eq(conntrack_lookup(ct, &t, 199 * S_, &is_reply), c);
    ck_assert_uint_eq(conntrack_expire(ct, 199 * S_), 0);
    ck_assert_uint_eq(conntrack_expire(ct, 200 * S_), 1);
    ck_assert_ptr_null(conntrack_lookup(ct, &t, 200 * S_, &is_reply));
    conntrack_destroy(ct);
}
END_TEST

START_TEST(expire_sweeps_each_class_by_its_timeout)
{
    struct conntrack_settings s = settings(64);
    struct conntrack *ct;
    struct fw_tuple t;
    uint16_t i;

    s.timeout_ns[CT_UDP] = 5 * S_;
    s.timeout_ns[CT_ICMP] = 10 * S_;
    ct = conntrack_create(&s);
    for (i = 0; i < 10; i++) {
        t = udp_tuple(1, (uint16_t) (1000 + i));
        conntrack_insert(ct, &t, CT_UDP, i * S_);
        t = udp_tuple(2, (uint16_t) (1000 + i));
        conntrack_insert(ct, &t, CT_ICMP, i * S_);
    }
    ck_assert_uint_eq(conntrack_count(ct, CT_N_CLASSES), 20);
    /* At 7 s: UDP inserted at 0, 1, 2 are due; no ICMP yet. */
    ck_assert_uint_eq(conntrack_expire(ct, 7 * S_), 3);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 7);
    ck_assert_uint_eq(conntrack_count(ct, CT_ICMP), 10);
    ck_assert_uint_eq(conntrack_expire(ct, 12 * S_), 5 + 3);
    ck_assert_uint_eq(conntrack_expire(ct, 100 * S_), 2 + 7);
    ck_assert_uint_eq(conntrack_count(ct, CT_N_CLASSES), 0);
    ck_assert_uint_eq(conntrack_expired(ct), 20);
    conntrack_destroy(ct);
}
END_TEST

/* A use within a second of being queued leaves an entry where it is on
 * its class list (conntrack.h), ahead of entries queued after it but due
 * before it: the sweep steps over it and still removes them. */
START_TEST(expire_steps_over_entries_used_since_queued)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct;
    struct fw_tuple a = udp_tuple(1, 1), b = udp_tuple(1, 2),
                    c = udp_tuple(1, 3);
    struct conn *ca;
    bool is_reply;

    s.timeout_ns[CT_UDP] = 5 * S_;
    ct = conntrack_create(&s);
    ca = conntrack_insert(ct, &a, CT_UDP, 0);
    conntrack_insert(ct, &b, CT_UDP, S_ / 2);
    conntrack_insert(ct, &c, CT_UDP, S_ / 2 + 1);
    conntrack_touch(ct, ca, CT_UDP, S_ - 1);
    ck_assert_ptr_eq(conntrack_oldest(ct, CT_UDP), ca);
    ck_assert_uint_eq(conntrack_expire(ct, 5 * S_ + S_ / 2), 1);
    ck_assert_ptr_null(conntrack_lookup(ct, &b, 5 * S_ + S_ / 2, &is_reply));
    ck_assert_ptr_eq(conntrack_lookup(ct, &a, 5 * S_ + S_ / 2, &is_reply),
                     ca);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 2);
    ck_assert_uint_eq(conntrack_expire(ct, 6 * S_ - 2), 1);
    ck_assert_uint_eq(conntrack_expire(ct, 6 * S_ - 1), 1);
    ck_assert_uint_eq(conntrack_count(ct, CT_UDP), 0);
    conntrack_destroy(ct);
}
END_TEST

/* A use a second or more after being queued queues the entry again, at
 * the tail. */
START_TEST(touch_a_second_later_requeues)
{
    struct conntrack_settings s = settings(16);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple a = udp_tuple(1, 1), b = udp_tuple(1, 2);
    struct conn *ca, *cb;

    ca = conntrack_insert(ct, &a, CT_UDP, 0);
    cb = conntrack_insert(ct, &b, CT_UDP, 1);
    conntrack_touch(ct, ca, CT_UDP, S_ - 1);
    ck_assert_ptr_eq(conntrack_oldest(ct, CT_UDP), ca);
    conntrack_touch(ct, ca, CT_UDP, S_);
    ck_assert_ptr_eq(conntrack_oldest(ct, CT_UDP), cb);
    ck_assert_ptr_eq(conntrack_newer(ct, cb), ca);
    ck_assert_ptr_null(conntrack_newer(ct, ca));
    conntrack_destroy(ct);
}
END_TEST

/* A full table finds room behind entries it must step over. */
START_TEST(full_table_steps_over_entries_used_since_queued)
{
    struct conntrack_settings s = settings(3);
    struct conntrack *ct;
    struct fw_tuple a = udp_tuple(1, 1), b = udp_tuple(1, 2),
                    c = udp_tuple(1, 3), d = udp_tuple(1, 4);
    bool is_reply;

    s.timeout_ns[CT_UDP] = 5 * S_;
    ct = conntrack_create(&s);
    conntrack_touch(ct, conntrack_insert(ct, &a, CT_UDP, 0), CT_UDP, S_ - 1);
    conntrack_touch(ct, conntrack_insert(ct, &b, CT_UDP, 1), CT_UDP, S_ - 1);
    conntrack_insert(ct, &c, CT_UDP, 2);
    ck_assert_ptr_nonnull(conntrack_insert(ct, &d, CT_UDP, 5 * S_ + 2));
    ck_assert_ptr_null(conntrack_lookup(ct, &c, 5 * S_ + 2, &is_reply));
    ck_assert_ptr_nonnull(conntrack_lookup(ct, &a, 5 * S_ + 2, &is_reply));
    ck_assert_ptr_nonnull(conntrack_lookup(ct, &b, 5 * S_ + 2, &is_reply));
    conntrack_destroy(ct);
}
END_TEST

START_TEST(full_table_refuses_until_something_expires)
{
    struct conntrack_settings s = settings(2);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple a = udp_tuple(1, 1), b = udp_tuple(1, 2),
                    c = udp_tuple(1, 3);
    bool is_reply;

    ck_assert_ptr_nonnull(conntrack_insert(ct, &a, CT_UDP, 0));
    ck_assert_ptr_nonnull(conntrack_insert(ct, &b, CT_UDP, 10 * S_));
    ck_assert_ptr_null(conntrack_insert(ct, &c, CT_UDP, 29 * S_));
    /* Nothing live was pushed out. */
    ck_assert_ptr_nonnull(conntrack_lookup(ct, &a, 29 * S_, &is_reply));
    ck_assert_ptr_nonnull(conntrack_lookup(ct, &b, 29 * S_, &is_reply));
    /* At 30 s 'a' is due, and its slot goes to 'c'. */
    ck_assert_ptr_nonnull(conntrack_insert(ct, &c, CT_UDP, 30 * S_));
    ck_assert_ptr_null(conntrack_lookup(ct, &a, 30 * S_, &is_reply));
    ck_assert_uint_eq(conntrack_count(ct, CT_N_CLASSES), 2);
    conntrack_destroy(ct);
}
END_TEST

/* Each entry starts a cache line, so that its first line holds all a
 * packet of a known connection reads (conntrack.h). */
START_TEST(entries_start_cache_lines)
{
    struct conntrack_settings s = settings(5);
    struct conntrack *ct = conntrack_create(&s);
    uint16_t i;

    for (i = 0; i < 5; i++) {
        struct fw_tuple t = udp_tuple(1, i);
        struct conn *c = conntrack_insert(ct, &t, CT_UDP, 0);

        ck_assert_ptr_nonnull(c);
        ck_assert_uint_eq((uintptr_t) c % CT_LINE, 0);
    }
    conntrack_destroy(ct);
}
END_TEST

/* Chains stay short in a full table of any size: a table just under a
 * power of two is not twice as loaded as one just over. */
START_TEST(at_least_two_buckets_an_entry)
{
    static const uint32_t sizes[] = {1, 3, 8, 1000, 1024, 1025, 5000};
    uint32_t i;

    for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        struct conntrack_settings s = settings(sizes[i]);
        struct conntrack *ct = conntrack_create(&s);
        uint32_t n = conntrack_n_buckets(ct);

        ck_assert_uint_ge(n, 2 * sizes[i]);
        ck_assert_uint_eq(n & (n - 1), 0);
        conntrack_destroy(ct);
    }
}
END_TEST

START_TEST(insert_zeroes_the_entry)
{
    struct conntrack_settings s = settings(1);
    struct conntrack *ct = conntrack_create(&s);
    struct fw_tuple a = udp_tuple(1, 1), b = udp_tuple(1, 2);
    struct conn *c;

    c = conntrack_insert(ct, &a, CT_TCP_ESTABLISHED, 0);
    c->replied = 1;
    c->tcp.state = 5;
    c->rule = 9;
    conntrack_remove(ct, c);
    ck_assert(!conntrack_in_table(c));
    c = conntrack_insert(ct, &b, CT_UDP, 0);
    ck_assert_ptr_nonnull(c);
    ck_assert(conntrack_in_table(c));
    ck_assert_uint_eq(c->replied, 0);
    ck_assert_uint_eq(c->tcp.state, 0);
    ck_assert_uint_eq(c->rule, 0);
    ck_assert(fw_tuple_equal(&c->key, &b));
    conntrack_destroy(ct);
}
END_TEST

/* Random inserts, touches, removals and expiries, checked against a plain
 * array that knows which tuples are live. */
START_TEST(matches_a_reference_model)
{
    enum { N = 64, STEPS = 20000 };
    struct conntrack_settings s = settings(48);
    struct conntrack *ct;
    uint64_t last[N], now = 0;
    bool live[N];
    unsigned seed = 7;
    int step, i;

    s.timeout_ns[CT_UDP] = 3 * S_;
    ct = conntrack_create(&s);
    memset(live, 0, sizeof live);
    for (step = 0; step < STEPS; step++) {
        int k = rand_r(&seed) % N, n_live = 0;
        struct fw_tuple t = udp_tuple((uint8_t) (k % 7), (uint16_t) k);
        bool is_reply, expect;
        struct conn *c;

        now += (uint64_t) (rand_r(&seed) % 200) * (S_ / 1000);
        for (i = 0; i < N; i++) {
            if (live[i] && now - last[i] >= 3 * S_)
                live[i] = false;
            n_live += live[i];
        }
        if (rand_r(&seed) % 2)
            fw_tuple_reverse(&t, &t);
        c = conntrack_lookup(ct, &t, now, &is_reply);
        ck_assert_int_eq(c != NULL, live[k]);
        if (c && rand_r(&seed) % 4 == 0) {
            conntrack_remove(ct, c);
            live[k] = false;
        } else if (c) {
            conntrack_touch(ct, c, CT_UDP, now);
            last[k] = now;
        } else {
            c = conntrack_insert(ct, &t, CT_UDP, now);
            expect = n_live < 48;
            ck_assert_int_eq(c != NULL, expect);
            if (c) {
                live[k] = true;
                last[k] = now;
            }
        }
        n_live = 0;
        for (i = 0; i < N; i++)
            n_live += live[i] && now - last[i] < 3 * S_;
        /* The sweep removes every entry due, and nothing else. */
        if (step % 100 == 0) {
            conntrack_expire(ct, now);
            ck_assert_uint_eq(conntrack_count(ct, CT_UDP), (uint32_t) n_live);
        } else
            ck_assert_uint_ge(conntrack_count(ct, CT_UDP), (uint32_t) n_live);
    }
    conntrack_destroy(ct);
}
END_TEST

START_TEST(bad_settings_are_refused)
{
    struct conntrack_settings s = settings(0);

    ck_assert_ptr_null(conntrack_create(&s));
    s = settings(CT_MAX_CONNS_MAX + 1);
    ck_assert_ptr_null(conntrack_create(&s));
    s = settings(4);
    s.timeout_ns[CT_OTHER] = 0;
    ck_assert_ptr_null(conntrack_create(&s));
    conntrack_destroy(NULL);
}
END_TEST

START_TEST(classes_have_linux_defaults)
{
    ck_assert_str_eq(conntrack_class_name(CT_TCP_ESTABLISHED),
                     "tcp_established");
    ck_assert_uint_eq(conntrack_class_default_s(CT_TCP_ESTABLISHED), 432000);
    ck_assert_uint_eq(conntrack_class_default_s(CT_TCP_SYN_SENT), 120);
    ck_assert_uint_eq(conntrack_class_default_s(CT_TCP_FIN_WAIT), 120);
    ck_assert_uint_eq(conntrack_class_default_s(CT_TCP_TIME_WAIT), 120);
    ck_assert_uint_eq(conntrack_class_default_s(CT_TCP_CLOSE), 10);
    ck_assert_uint_eq(conntrack_class_default_s(CT_UDP), 30);
    ck_assert_uint_eq(conntrack_class_default_s(CT_UDP_REPLIED), 180);
    ck_assert_uint_eq(conntrack_class_default_s(CT_ICMP), 30);
    ck_assert_uint_eq(conntrack_class_default_s(CT_OTHER), 600);
    ck_assert_uint_eq(ct_class_of_tcp(TCP_ST_TIME_WAIT), CT_TCP_TIME_WAIT);
    ck_assert_uint_le(sizeof(struct conn), 256);
}
END_TEST

START_TEST(tuple_format)
{
    struct fw_tuple t = udp_tuple(1, 4000);
    char buf[FW_TUPLE_FMT_SIZE];

    ck_assert_str_eq(fw_tuple_format(&t, buf, sizeof buf),
                     "udp 10.0.0.1:4000 > 192.0.2.1:53");
    memset(&t, 0, sizeof t);
    t.family = 6;
    t.proto = 58;
    t.icmp_req = 128;
    t.sport = t.dport = 77;
    t.src[0] = 0x20;
    t.src[1] = 0x01;
    t.src[15] = 1;
    t.dst[0] = 0xfe;
    t.dst[1] = 0x80;
    t.dst[15] = 2;
    ck_assert_str_eq(fw_tuple_format(&t, buf, sizeof buf),
                     "icmpv6 2001::1 > fe80::2 type 128 id 77");
    t.proto = 6;
    t.icmp_req = 0;
    ck_assert_str_eq(fw_tuple_format(&t, buf, sizeof buf),
                     "tcp [2001::1]:77 > [fe80::2]:77");
}
END_TEST

static Suite *
conntrack_suite(void)
{
    Suite *s = suite_create("conntrack");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, hash_is_symmetric);
    tcase_add_test(tc, lookup_finds_both_directions);
    tcase_add_test(tc, vlan_and_icmp_type_are_part_of_the_key);
    tcase_add_test(tc, icmp_queries_tell_requests_from_replies);
    tcase_add_test(tc, lookup_expires_exactly_at_the_timeout);
    tcase_add_test(tc, touch_refreshes_and_moves_class);
    tcase_add_test(tc, expire_sweeps_each_class_by_its_timeout);
    tcase_add_test(tc, expire_steps_over_entries_used_since_queued);
    tcase_add_test(tc, touch_a_second_later_requeues);
    tcase_add_test(tc, full_table_steps_over_entries_used_since_queued);
    tcase_add_test(tc, full_table_refuses_until_something_expires);
    tcase_add_test(tc, entries_start_cache_lines);
    tcase_add_test(tc, at_least_two_buckets_an_entry);
    tcase_add_test(tc, insert_zeroes_the_entry);
    tcase_add_test(tc, matches_a_reference_model);
    tcase_add_test(tc, bad_settings_are_refused);
    tcase_add_test(tc, classes_have_linux_defaults);
    tcase_add_test(tc, tuple_format);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(conntrack_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
