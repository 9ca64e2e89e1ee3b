/* Unit tests for core/fdb: one test per claim in fdb.h's essay. */
#include "fdb.h"

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"

#define SEC 1000000000ULL

/* 02:00:nn:nn:nn:nn, a locally administered unicast address. */
static void
mac_of(uint32_t n, uint8_t mac[6])
{
    mac[0] = 0x02;
    mac[1] = 0x00;
    mac[2] = (uint8_t) (n >> 24);
    mac[3] = (uint8_t) (n >> 16);
    mac[4] = (uint8_t) (n >> 8);
    mac[5] = (uint8_t) n;
}

static struct fdb *
new_fdb(uint32_t max_entries, uint64_t aging_ns)
{
    struct fdb_settings s = {.max_entries = max_entries, .aging_ns = aging_ns};
    struct xsw_err err = {0};
    struct fdb *fdb = fdb_create(&s, &err);

    ck_assert_msg(fdb != NULL, "fdb_create: %s", err.msg);
    return fdb;
}

static enum fdb_learn_result
learn_n(struct fdb *fdb, uint32_t n, uint16_t vlan, uint16_t port,
        uint64_t now)
{
    uint8_t mac[6];

    mac_of(n, mac);
    return fdb_learn(fdb, mac, vlan, port, now);
}

static int
lookup_n(const struct fdb *fdb, uint32_t n, uint16_t vlan, uint64_t now)
{
    uint8_t mac[6];

    mac_of(n, mac);
    return fdb_lookup(fdb, mac, vlan, now);
}

static void
assert_stats(const struct fdb *fdb, uint64_t learned, uint64_t moved,
             uint64_t aged, uint64_t evicted, uint64_t flushed,
             uint64_t ignored)
{
    struct fdb_stats st;

    fdb_get_stats(fdb, &st);
    ck_assert_uint_eq(st.learned, learned);
    ck_assert_uint_eq(st.moved, moved);
    ck_assert_uint_eq(st.aged, aged);
    ck_assert_uint_eq(st.evicted, evicted);
    ck_assert_uint_eq(st.flushed, flushed);
    ck_assert_uint_eq(st.ignored, ignored);
    /* The identity fdb.h documents for 'struct fdb_stats'. */
    ck_assert_uint_eq(st.learned - st.aged - st.evicted - st.flushed,
                      fdb_count(fdb));
}

/* fdb_prefetch() then fdb_learn_probe()/fdb_lookup_probe() in order do
 * what fdb_learn()/fdb_lookup() do, on a table big enough to prefetch:
 * learns, refreshes, moves, evictions, group sources, misses, and keys
 * that an earlier learn of the same batch changed. */
START_TEST(fdb_prefetched_batch_matches_plain_calls)
{
    enum { MAX = 20000, BATCH = 64, ROUNDS = 2000 };
    struct fdb *plain = new_fdb(MAX, 0), *batched = new_fdb(MAX, 0);
    uint8_t macs[2 * BATCH][6];
    struct fdb_probe probes[2 * BATCH];
    uint32_t seed = 12345, r, i;

    for (r = 0; r < ROUNDS; r++) {
        for (i = 0; i < 2 * BATCH; i++) {
            seed = seed * 1103515245u + 12345u;
            mac_of((seed >> 8) % (MAX + MAX / 4), macs[i]);
            if ((seed >> 4) % 97 == 0)
                macs[i][0] |= 1;   /* A group address now and then. */
            probes[i] = (struct fdb_probe){.mac = macs[i],
                                           .vlan = (uint16_t) (1 + i % 3)};
        }
        fdb_prefetch(batched, probes, 2 * BATCH);
        for (i = 0; i < 2 * BATCH; i += 2) {
            uint16_t port = (uint16_t) ((seed >> (i % 16)) % 5);
            uint64_t now = (uint64_t) r * 1000 + i;

            ck_assert_int_eq(fdb_learn_probe(batched, &probes[i], port, now),
                             fdb_learn(plain, macs[i], probes[i].vlan, port,
                                       now));
            ck_assert_int_eq(fdb_lookup_probe(batched, &probes[i + 1], now),
                             fdb_lookup(plain, macs[i + 1],
                                        probes[i + 1].vlan, now));
        }
    }
    ck_assert_int_eq(fdb_count(batched), fdb_count(plain));
    fdb_destroy(plain);
    fdb_destroy(batched);
}
END_TEST

START_TEST(fdb_learns_and_looks_up)
{
    struct fdb *fdb = new_fdb(0, 0);

    ck_assert_int_eq(fdb_count(fdb), 0);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 0), -ENOENT);
    ck_assert_int_eq(learn_n(fdb, 1, 0, 3, 10), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 2, 0, 65535, 11), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 12), 3);
    ck_assert_int_eq(lookup_n(fdb, 2, 0, 12), 65535);
    ck_assert_int_eq(lookup_n(fdb, 3, 0, 12), -ENOENT);
    ck_assert_int_eq(learn_n(fdb, 1, 0, 3, 13), FDB_REFRESHED);
    ck_assert_int_eq(fdb_count(fdb), 2);
    assert_stats(fdb, 2, 0, 0, 0, 0, 0);
    fdb_destroy(fdb);
    fdb_destroy(NULL);
}
END_TEST

START_TEST(fdb_ignores_group_and_zero_sources)
{
    static const uint8_t sources[][6] = {
        {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, /* Broadcast. */
        {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}, /* IPv4 multicast. */
        {0x33, 0x33, 0x00, 0x00, 0x00, 0x01}, /* IPv6 multicast. */
        {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}, /* STP. */
        {0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* Zero. */
    };
    static const uint8_t local[6] = {0x02, 0, 0, 0, 0, 0};
    struct fdb *fdb = new_fdb(0, 0);

    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        ck_assert_int_eq(fdb_learn(fdb, sources[i], 1, 1, 5), FDB_IGNORED);
        ck_assert_int_eq(fdb_lookup(fdb, sources[i], 1, 5), -ENOENT);
    }
    ck_assert_int_eq(fdb_count(fdb), 0);
    assert_stats(fdb, 0, 0, 0, 0, 0, 5);

    /* The U/L bit is not the I/G bit: local unicast is a station. */
    ck_assert_int_eq(fdb_learn(fdb, local, 1, 1, 5), FDB_LEARNED);
    ck_assert_int_eq(fdb_lookup(fdb, local, 1, 5), 1);
    assert_stats(fdb, 1, 0, 0, 0, 0, 5);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_separates_vlans)
{
    struct fdb *fdb = new_fdb(0, 0);

    ck_assert_int_eq(learn_n(fdb, 7, 10, 1, 1), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 7, 20, 2, 2), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 7, 4095, 3, 3), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 7, 10, 4), 1);
    ck_assert_int_eq(lookup_n(fdb, 7, 20, 4), 2);
    ck_assert_int_eq(lookup_n(fdb, 7, 4095, 4), 3);
    ck_assert_int_eq(lookup_n(fdb, 7, 30, 4), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 7, 0, 4), -ENOENT);
    ck_assert_int_eq(fdb_count(fdb), 3);

    /* Same MAC, other VLAN, other port: a new entry, not a move. */
    ck_assert_int_eq(learn_n(fdb, 7, 10, 1, 5), FDB_REFRESHED);
    ck_assert_int_eq(fdb_flush(fdb, -1, 10), 1);
    ck_assert_int_eq(lookup_n(fdb, 7, 10, 6), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 7, 20, 6), 2);
    assert_stats(fdb, 3, 0, 0, 0, 1, 0);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_station_move)
{
    struct fdb *fdb = new_fdb(0, 0);

    ck_assert_int_eq(learn_n(fdb, 1, 5, 1, 1), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 2, 5, 1, 2), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 1, 5, 2, 3), FDB_MOVED);
    ck_assert_int_eq(lookup_n(fdb, 1, 5, 4), 2);
    ck_assert_int_eq(fdb_count(fdb), 2);
    assert_stats(fdb, 2, 1, 0, 0, 0, 0);

    /* Seen again where it now is: a refresh, not another move. */
    ck_assert_int_eq(learn_n(fdb, 1, 5, 2, 5), FDB_REFRESHED);
    ck_assert_int_eq(learn_n(fdb, 1, 5, 1, 6), FDB_MOVED);
    ck_assert_int_eq(lookup_n(fdb, 1, 5, 7), 1);
    assert_stats(fdb, 2, 2, 0, 0, 0, 0);

    /* The entry belongs to its new port only. */
    ck_assert_int_eq(fdb_flush(fdb, 2, -1), 0);
    ck_assert_int_eq(fdb_flush(fdb, 1, -1), 2);
    assert_stats(fdb, 2, 2, 0, 0, 2, 0);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_refresh_keeps_entry_alive)
{
    struct fdb *fdb = new_fdb(0, 10 * SEC);

    ck_assert_int_eq(learn_n(fdb, 1, 0, 1, 0), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 2, 0, 1, 0), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 1, 0, 1, 8 * SEC), FDB_REFRESHED);
    ck_assert_int_eq(fdb_age(fdb, 15 * SEC), 1);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 15 * SEC), 1);
    ck_assert_int_eq(lookup_n(fdb, 2, 0, 15 * SEC), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 18 * SEC), 1);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 18 * SEC + 1), -ENOENT);
    ck_assert_int_eq(fdb_age(fdb, 18 * SEC + 1), 1);
    ck_assert_int_eq(fdb_count(fdb), 0);
    assert_stats(fdb, 2, 0, 2, 0, 0, 0);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_ages_by_switch_clock)
{
    struct fdb *fdb = new_fdb(0, 300 * SEC);
    struct fdb *forever = new_fdb(0, 0);

    ck_assert_int_eq(learn_n(fdb, 1, 0, 1, 0), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 2, 0, 2, 100 * SEC), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 3, 0, 1, 100 * SEC), FDB_LEARNED);
    /* Idle for exactly 'aging_ns' is not yet longer than it. */
    ck_assert_int_eq(fdb_age(fdb, 300 * SEC), 0);
    ck_assert_int_eq(fdb_age(fdb, 300 * SEC + 1), 1);
    ck_assert_int_eq(fdb_count(fdb), 2);
    ck_assert_int_eq(fdb_age(fdb, 400 * SEC), 0);
    ck_assert_int_eq(fdb_age(fdb, 400 * SEC + 1), 2);
    ck_assert_int_eq(fdb_count(fdb), 0);
    ck_assert_int_eq(fdb_age(fdb, 400 * SEC + 2), 0);
    assert_stats(fdb, 3, 0, 3, 0, 0, 0);

    /* A clock that steps back stands still: entry 5 is stamped 1000s, not
     * 500s, so it outlives 4's expiry window only by where it was seen. */
    ck_assert_int_eq(learn_n(fdb, 4, 0, 1, 1000 * SEC), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 5, 0, 1, 500 * SEC), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 5, 0, 1200 * SEC), 1);
    ck_assert_int_eq(fdb_age(fdb, 1300 * SEC), 0);
    ck_assert_int_eq(fdb_age(fdb, 1300 * SEC + 1), 2);
    assert_stats(fdb, 5, 0, 5, 0, 0, 0);

    /* aging_ns == 0: nothing ever expires. */
    ck_assert_int_eq(learn_n(forever, 1, 0, 1, 0), FDB_LEARNED);
    ck_assert_int_eq(fdb_age(forever, UINT64_MAX), 0);
    ck_assert_int_eq(lookup_n(forever, 1, 0, UINT64_MAX), 1);
    assert_stats(forever, 1, 0, 0, 0, 0, 0);
    fdb_destroy(forever);
    fdb_destroy(fdb);
}
END_TEST

static void
count_cb(void *arg, const struct fdb_entry_info *info)
{
    (void) info;
    ++*(int *) arg;
}

START_TEST(fdb_lookup_treats_expired_as_absent)
{
    struct fdb *fdb = new_fdb(0, 10);
    int n = 0;

    ck_assert_int_eq(learn_n(fdb, 1, 0, 1, 100), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 110), 1);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 111), -ENOENT);
    /* Still stored until fdb_age() runs, yet absent everywhere else. */
    ck_assert_int_eq(fdb_count(fdb), 1);
    fdb_foreach(fdb, 111, count_cb, &n);
    ck_assert_int_eq(n, 0);
    /* Back after expiry on another port: learned afresh, not moved. */
    ck_assert_int_eq(learn_n(fdb, 1, 0, 2, 112), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 1, 0, 112), 2);
    ck_assert_int_eq(fdb_count(fdb), 1);
    assert_stats(fdb, 2, 0, 1, 0, 0, 0);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_evicts_lru_of_busiest_port)
{
    struct fdb *fdb = new_fdb(6, 0);

    /* 'D' (10) is the oldest entry overall, but its port is not the
     * busiest: port 1 (3 entries) loses its least recently seen, 'B'. */
    ck_assert_int_eq(learn_n(fdb, 10, 1, 2, 1), FDB_LEARNED); /* D */
    ck_assert_int_eq(learn_n(fdb, 1, 1, 1, 2), FDB_LEARNED);  /* A */
    ck_assert_int_eq(learn_n(fdb, 2, 1, 1, 3), FDB_LEARNED);  /* B */
    ck_assert_int_eq(learn_n(fdb, 3, 1, 1, 4), FDB_LEARNED);  /* C */
    ck_assert_int_eq(learn_n(fdb, 11, 1, 2, 5), FDB_LEARNED); /* E */
    ck_assert_int_eq(learn_n(fdb, 20, 1, 3, 6), FDB_LEARNED); /* F */
    ck_assert_int_eq(learn_n(fdb, 1, 1, 1, 7), FDB_REFRESHED);
    ck_assert_int_eq(fdb_count(fdb), 6);
    assert_stats(fdb, 6, 0, 0, 0, 0, 0);

    ck_assert_int_eq(learn_n(fdb, 21, 1, 3, 8), FDB_LEARNED); /* G */
    ck_assert_int_eq(lookup_n(fdb, 2, 1, 9), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 1, 1, 9), 1);
    ck_assert_int_eq(lookup_n(fdb, 3, 1, 9), 1);
    ck_assert_int_eq(lookup_n(fdb, 10, 1, 9), 2);
    ck_assert_int_eq(lookup_n(fdb, 11, 1, 9), 2);
    ck_assert_int_eq(lookup_n(fdb, 20, 1, 9), 3);
    ck_assert_int_eq(lookup_n(fdb, 21, 1, 9), 3);
    ck_assert_int_eq(fdb_count(fdb), 6);
    assert_stats(fdb, 7, 0, 0, 1, 0, 0);

    /* Counts change with flushes and moves too: now port 2 is busiest
     * (D, E, J, K against port 1's C, A), so 'D' goes. */
    ck_assert_int_eq(fdb_flush(fdb, 3, -1), 2);
    ck_assert_int_eq(learn_n(fdb, 12, 1, 2, 10), FDB_LEARNED); /* J */
    ck_assert_int_eq(learn_n(fdb, 13, 1, 2, 11), FDB_LEARNED); /* K */
    ck_assert_int_eq(learn_n(fdb, 4, 1, 1, 12), FDB_LEARNED);  /* L */
    ck_assert_int_eq(lookup_n(fdb, 10, 1, 13), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 11, 1, 13), 2);
    ck_assert_int_eq(lookup_n(fdb, 4, 1, 13), 1);
    assert_stats(fdb, 10, 0, 0, 2, 2, 0);

    /* Moving C and A to port 2 makes it 5 entries against port 1's one
     * (L): the next eviction takes port 2's least recently seen, 'E'. */
    ck_assert_int_eq(learn_n(fdb, 3, 1, 2, 14), FDB_MOVED);
    ck_assert_int_eq(learn_n(fdb, 1, 1, 2, 15), FDB_MOVED);
    ck_assert_int_eq(learn_n(fdb, 30, 1, 1, 16), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 11, 1, 17), -ENOENT);
    ck_assert_int_eq(lookup_n(fdb, 12, 1, 17), 2);
    ck_assert_int_eq(lookup_n(fdb, 30, 1, 17), 1);
    assert_stats(fdb, 11, 2, 0, 3, 2, 0);
    fdb_destroy(fdb);
}
END_TEST

static uint64_t
xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

START_TEST(fdb_flooding_port_cannot_starve_others)
{
    enum { N_FLOOD = 100000, N_EACH = 50 };
    struct fdb *fdb = new_fdb(1000, 0);
    uint64_t rng = 0x9e3779b97f4a7c15ULL, now = 0, n_learned = 0;
    struct fdb_stats st;

    for (uint16_t port = 1; port <= 3; port++) {
        for (uint32_t i = 0; i < N_EACH; i++) {
            ck_assert_int_eq(learn_n(fdb, port * 1000 + i, 1, port, ++now),
                             FDB_LEARNED);
        }
    }
    /* The flooding port's sources are all newer than the others' entries:
     * evicting the global LRU entry would remove those first. */
    for (uint32_t i = 0; i < N_FLOOD; i++) {
        uint64_t r = xorshift64(&rng);
        uint8_t mac[6];
        enum fdb_learn_result res;

        for (int b = 0; b < 6; b++) {
            mac[b] = (uint8_t) (r >> (8 * b));
        }
        mac[0] = (uint8_t) ((mac[0] & 0xfe) | 0x02); /* Unicast, nonzero. */
        res = fdb_learn(fdb, mac, 1, 0, ++now);
        ck_assert(res == FDB_LEARNED || res == FDB_REFRESHED);
        n_learned += res == FDB_LEARNED;
        ck_assert_int_le(fdb_count(fdb), 1000);
    }
    for (uint16_t port = 1; port <= 3; port++) {
        for (uint32_t i = 0; i < N_EACH; i++) {
            ck_assert_int_eq(lookup_n(fdb, port * 1000 + i, 1, now), port);
        }
    }
    ck_assert_int_eq(fdb_count(fdb), 1000);
    fdb_get_stats(fdb, &st);
    ck_assert_uint_eq(st.learned, 3 * N_EACH + n_learned);
    ck_assert_uint_ge(n_learned, N_FLOOD - 10);
    assert_stats(fdb, 3 * N_EACH + n_learned, 0, 0,
                 3 * N_EACH + n_learned - 1000, 0, 0);
    ck_assert_int_eq(fdb_flush(fdb, 0, -1), 1000 - 3 * N_EACH);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_flush_by_port_and_vlan)
{
    struct fdb *fdb = new_fdb(0, 0);

    for (int round = 0; round < 2; round++) {
        /* 3 MACs x ports 1, 2 x VLANs 10, 20. */
        for (uint16_t port = 1; port <= 2; port++) {
            for (uint16_t vlan = 10; vlan <= 20; vlan += 10) {
                for (uint32_t m = 0; m < 3; m++) {
                    ck_assert_int_eq(
                        learn_n(fdb, port * 100 + m, vlan, port, 1),
                        FDB_LEARNED);
                }
            }
        }
        ck_assert_int_eq(fdb_count(fdb), 12);
        ck_assert_int_eq(fdb_flush(fdb, 9, -1), 0);
        ck_assert_int_eq(fdb_flush(fdb, 70000, -1), 0);
        ck_assert_int_eq(fdb_flush(fdb, -2, -1), 0);
        ck_assert_int_eq(fdb_flush(fdb, -1, 65536), 0);
        ck_assert_int_eq(fdb_flush(fdb, -1, 30), 0);
        if (round == 0) {
            ck_assert_int_eq(fdb_flush(fdb, 1, 10), 3);
            ck_assert_int_eq(lookup_n(fdb, 100, 10, 1), -ENOENT);
            ck_assert_int_eq(lookup_n(fdb, 100, 20, 1), 1);
            ck_assert_int_eq(fdb_flush(fdb, -1, 20), 6);
            ck_assert_int_eq(lookup_n(fdb, 200, 20, 1), -ENOENT);
            ck_assert_int_eq(lookup_n(fdb, 200, 10, 1), 2);
            ck_assert_int_eq(fdb_flush(fdb, 2, -1), 3);
        } else {
            ck_assert_int_eq(fdb_flush(fdb, -1, -1), 12);
        }
        ck_assert_int_eq(fdb_count(fdb), 0);
        ck_assert_int_eq(lookup_n(fdb, 200, 10, 1), -ENOENT);
    }
    assert_stats(fdb, 24, 0, 0, 0, 24, 0);
    fdb_destroy(fdb);
}
END_TEST

struct seen {
    int n;
    struct fdb_entry_info info[8];
};

static void
record_cb(void *arg, const struct fdb_entry_info *info)
{
    struct seen *seen = arg;

    ck_assert_int_lt(seen->n, 8);
    seen->info[seen->n++] = *info;
}

static void
assert_info(const struct fdb_entry_info *info, uint32_t n, uint16_t vlan,
            uint16_t port, uint64_t idle_ns)
{
    uint8_t mac[6];

    mac_of(n, mac);
    ck_assert_mem_eq(info->mac, mac, 6);
    ck_assert_uint_eq(info->vlan, vlan);
    ck_assert_uint_eq(info->port, port);
    ck_assert_uint_eq(info->idle_ns, idle_ns);
}

START_TEST(fdb_foreach_reports_idle)
{
    struct fdb *fdb = new_fdb(0, 1000);
    struct seen seen = {0};

    ck_assert_int_eq(learn_n(fdb, 0xa0b0c0d0, 1, 2, 100), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 0xb, 4095, 1, 300), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 0xc, 7, 1, 400), FDB_LEARNED);
    ck_assert_int_eq(learn_n(fdb, 0xb, 4095, 1, 500), FDB_REFRESHED);

    /* By port, then least recently seen first. */
    fdb_foreach(fdb, 1000, record_cb, &seen);
    ck_assert_int_eq(seen.n, 3);
    assert_info(&seen.info[0], 0xc, 7, 1, 600);
    assert_info(&seen.info[1], 0xb, 4095, 1, 500);
    assert_info(&seen.info[2], 0xa0b0c0d0, 1, 2, 900);

    /* Expired entries are not reported. */
    seen.n = 0;
    fdb_foreach(fdb, 1101, record_cb, &seen);
    ck_assert_int_eq(seen.n, 2);
    assert_info(&seen.info[0], 0xc, 7, 1, 701);
    assert_info(&seen.info[1], 0xb, 4095, 1, 601);

    /* A clock behind an entry's last sighting reports it idle 0. */
    seen.n = 0;
    fdb_foreach(fdb, 450, record_cb, &seen);
    ck_assert_int_eq(seen.n, 3);
    assert_info(&seen.info[0], 0xc, 7, 1, 50);
    assert_info(&seen.info[1], 0xb, 4095, 1, 0);
    assert_stats(fdb, 3, 0, 0, 0, 0, 0);
    fdb_destroy(fdb);
}
END_TEST

START_TEST(fdb_create_rejects_bad_settings)
{
    struct fdb_settings s = {.max_entries = FDB_MAX_ENTRIES + 1};
    struct xsw_err err = {0};
    struct fdb *fdb;

    ck_assert_ptr_null(fdb_create(&s, &err));
    ck_assert_int_eq(err.code, -EINVAL);
    ck_assert_str_eq(err.msg, "fdb: max_entries 16777217 is above the maximum "
                              "16777216");

    s.max_entries = UINT32_MAX;
    ck_assert_ptr_null(fdb_create(&s, &err));
    ck_assert_str_eq(err.msg,
                     "fdb: max_entries 4294967295 is above the maximum "
                     "16777216");
    ck_assert_ptr_null(fdb_create(&s, NULL));

    /* The limit itself is accepted; its pages stay untouched. */
    s.max_entries = FDB_MAX_ENTRIES;
    fdb = fdb_create(&s, &err);
    ck_assert_ptr_nonnull(fdb);
    ck_assert_int_eq(learn_n(fdb, 1, 1, 1, 1), FDB_LEARNED);
    ck_assert_int_eq(lookup_n(fdb, 1, 1, 1), 1);
    fdb_destroy(fdb);

    /* NULL settings mean all defaults. */
    fdb = fdb_create(NULL, &err);
    ck_assert_ptr_nonnull(fdb);
    fdb_destroy(fdb);
}
END_TEST

/* ASan reserves terabytes of address space, so an address-space limit
 * cannot simulate a short memory there. */
#ifndef __SANITIZE_ADDRESS__
START_TEST(fdb_create_reports_no_memory)
{
    int fds[2], status;
    char msg[XSW_ERR_MAX] = "";
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit rl = {256 << 20, 256 << 20};
        struct fdb_settings s = {.max_entries = FDB_MAX_ENTRIES};
        struct xsw_err err = {0};
        struct fdb *fdb;

        close(fds[0]);
        if (setrlimit(RLIMIT_AS, &rl)) {
            _exit(2);
        }
        fdb = fdb_create(&s, &err);
        if (write(fds[1], err.msg, strlen(err.msg)) < 0) {
            _exit(3);
        }
        _exit(fdb == NULL && err.code == -ENOMEM ? 0 : 1);
    }
    close(fds[1]);
    n = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_int_gt(n, 0);
    ck_assert_str_eq(msg, "fdb: no memory for 16777216 entries");
}
END_TEST
#endif

START_TEST(fdb_fills_to_max_exactly)
{
    static const uint32_t sizes[] = {1, 3, 1000, 1024, 786433, 0};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint32_t max = sizes[k] ? sizes[k] : FDB_DEFAULT_MAX_ENTRIES;
        struct fdb *fdb = new_fdb(sizes[k], 0);

        for (uint32_t i = 0; i < max; i++) {
            ck_assert_int_eq(learn_n(fdb, i, 1, (uint16_t) (i % 5), i),
                             FDB_LEARNED);
        }
        ck_assert_uint_eq(fdb_count(fdb), max);
        assert_stats(fdb, max, 0, 0, 0, 0, 0);
        for (uint32_t i = 0; i < max; i++) {
            ck_assert_int_eq(lookup_n(fdb, i, 1, max), (int) (i % 5));
        }
        ck_assert_int_eq(learn_n(fdb, max, 1, 0, max), FDB_LEARNED);
        ck_assert_uint_eq(fdb_count(fdb), max);
        assert_stats(fdb, max + 1, 0, 0, 1, 0, 0);
        fdb_destroy(fdb);
    }
}
END_TEST

START_TEST(fdb_memory_per_entry_is_at_most_64_bytes)
{
    static const uint32_t sizes[] = {1000, 1024, 4096, 786433, 1 << 20};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct fdb *fdb = new_fdb(sizes[k], 0);
        size_t size;

        /* Port records count too, once ports have been seen. */
        ck_assert_int_eq(learn_n(fdb, 1, 1, 100, 1), FDB_LEARNED);
        size = fdb_memory_size(fdb);
        printf("fdb: max_entries %u: %zu bytes, %.2f per entry\n", sizes[k],
               size, (double) size / sizes[k]);
        ck_assert_uint_le(size, 64 * (size_t) sizes[k]);
        /* fdb.h: 24 bytes an entry and 8 a slot, 2 slots an entry for a
         * power of two, at most 2 2/3 otherwise. */
        if ((sizes[k] & (sizes[k] - 1)) == 0) {
            ck_assert_uint_le(size, 40 * (size_t) sizes[k] + 4096);
        } else {
            ck_assert_uint_le(size, 46 * (size_t) sizes[k] + 4096);
        }
        fdb_destroy(fdb);
    }
}
END_TEST

/* A plain array with linear search stands in for the table: every result
 * and lookup must agree, through aging, moves, flushes and heavy deletion
 * (a 64-entry table over 60 keys keeps the hash clusters churning). */
struct model_entry {
    uint32_t mac;
    uint16_t vlan;
    uint16_t port;
    uint64_t last_seen;
    bool used;
};

static int
model_find(const struct model_entry *m, int n, uint32_t mac, uint16_t vlan)
{
    for (int i = 0; i < n; i++) {
        if (m[i].used && m[i].mac == mac && m[i].vlan == vlan) {
            return i;
        }
    }
    return -1;
}

START_TEST(fdb_matches_reference_model)
{
    enum { N_KEYS = 60, AGING = 500, N_OPS = 200000 };
    struct model_entry m[N_KEYS] = {{0}};
    struct fdb *fdb = new_fdb(64, AGING);
    uint64_t rng = 12345, now = 0;
    uint32_t count = 0;

    for (int op = 0; op < N_OPS; op++) {
        uint64_t r = xorshift64(&rng);
        uint32_t mac = (uint32_t) (r % 30) + 1;
        uint16_t vlan = (uint16_t) ((r >> 8) % 2);
        uint16_t port = (uint16_t) ((r >> 16) % 4);
        int what = (int) ((r >> 24) % 100);
        int i = model_find(m, N_KEYS, mac, vlan);
        bool live;

        now += (r >> 32) % 8;
        live = i >= 0 && now - m[i].last_seen <= AGING;
        if (what < 60) {
            enum fdb_learn_result want, got;

            if (!live) {
                want = FDB_LEARNED;
                if (i < 0) {
                    /* 60 keys in 60 places: one is always free. */
                    for (i = 0; m[i].used; i++) {
                        continue;
                    }
                    count++;
                }
            } else {
                want = m[i].port == port ? FDB_REFRESHED : FDB_MOVED;
            }
            m[i] = (struct model_entry){mac, vlan, port, now, true};
            got = learn_n(fdb, mac, vlan, port, now);
            ck_assert_int_eq(got, want);
        } else if (what < 95) {
            ck_assert_int_eq(lookup_n(fdb, mac, vlan, now),
                             live ? m[i].port : -ENOENT);
        } else if (what < 98) {
            uint32_t want = 0;

            for (int j = 0; j < N_KEYS; j++) {
                if (m[j].used && now - m[j].last_seen > AGING) {
                    m[j].used = false;
                    want++;
                }
            }
            count -= want;
            ck_assert_uint_eq(fdb_age(fdb, now), want);
        } else {
            int32_t fport = (r >> 40) % 2 ? port : -1;
            int32_t fvlan = (r >> 41) % 2 ? vlan : -1;
            uint32_t want = 0;

            for (int j = 0; j < N_KEYS; j++) {
                if (m[j].used && (fport < 0 || m[j].port == fport) &&
                    (fvlan < 0 || m[j].vlan == fvlan)) {
                    m[j].used = false;
                    want++;
                }
            }
            count -= want;
            ck_assert_uint_eq(fdb_flush(fdb, fport, fvlan), want);
        }
        ck_assert_uint_eq(fdb_count(fdb), count);
    }
    fdb_destroy(fdb);
}
END_TEST

static Suite *
fdb_suite(void)
{
    Suite *s = suite_create("fdb");
    TCase *tc = tcase_create("fdb");

    /* The large-table tests take seconds under ASan. */
    tcase_set_timeout(tc, 60);

    tcase_add_test(tc, fdb_learns_and_looks_up);
    tcase_add_test(tc, fdb_ignores_group_and_zero_sources);
    tcase_add_test(tc, fdb_separates_vlans);
    tcase_add_test(tc, fdb_station_move);
    tcase_add_test(tc, fdb_refresh_keeps_entry_alive);
    tcase_add_test(tc, fdb_ages_by_switch_clock);
    tcase_add_test(tc, fdb_lookup_treats_expired_as_absent);
    tcase_add_test(tc, fdb_evicts_lru_of_busiest_port);
    tcase_add_test(tc, fdb_flooding_port_cannot_starve_others);
    tcase_add_test(tc, fdb_flush_by_port_and_vlan);
    tcase_add_test(tc, fdb_foreach_reports_idle);
    tcase_add_test(tc, fdb_create_rejects_bad_settings);
#ifndef __SANITIZE_ADDRESS__
    tcase_add_test(tc, fdb_create_reports_no_memory);
#endif
    tcase_add_test(tc, fdb_fills_to_max_exactly);
    tcase_add_test(tc, fdb_memory_per_entry_is_at_most_64_bytes);
    tcase_add_test(tc, fdb_matches_reference_model);
    tcase_add_test(tc, fdb_prefetched_batch_matches_plain_calls);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(fdb_suite());
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
