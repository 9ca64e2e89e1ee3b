/* Unit tests of the firewall's TCP state machine (tcp-state.h). */
#include <check.h>
#include <stdlib.h>

#include <xsw/packet.h>

#include "tcp-state.h"

#define S XSW_TCP_SYN
#define A XSW_TCP_ACK
#define F XSW_TCP_FIN
#define R XSW_TCP_RST
#define P XSW_TCP_PSH

#define ORIG TCP_DIR_ORIG
#define REPLY TCP_DIR_REPLY

/* Client ISN 1000, server ISN 5000. */
#define C_ISN 1000u
#define S_ISN 5000u

static enum tcp_verdict
seg(struct tcp_conn *tc, int dir, uint8_t flags, uint32_t seq, uint32_t ack,
    uint32_t len)
{
    struct tcp_seg s = {flags, seq, ack, len};

    return tcp_state_update(tc, dir, &s);
}

/* A connection through the three-way handshake. */
static void
established(struct tcp_conn *tc)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};

    ck_assert(tcp_seg_may_open(&syn));
    tcp_state_open(tc, &syn);
    ck_assert_int_eq(tc->state, TCP_ST_SYN_SENT);
    ck_assert_int_eq(seg(tc, REPLY, S | A, S_ISN, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(tc->state, TCP_ST_SYN_RECV);
    ck_assert_int_eq(seg(tc, ORIG, A, C_ISN + 1, S_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(tc->state, TCP_ST_ESTABLISHED);
}

START_TEST(handshake_reaches_established)
{
    struct tcp_conn tc;

    established(&tc);
    /* Data both ways keeps it there. */
    ck_assert_int_eq(seg(&tc, ORIG, A | P, C_ISN + 1, S_ISN + 1, 100),
                     TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, REPLY, A | P, S_ISN + 1, C_ISN + 101, 500),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_ESTABLISHED);
}
END_TEST

START_TEST(only_a_bare_syn_opens)
{
    static const uint8_t not_openers[] = {A,     S | A, R, R | A, F | A,
                                          S | F, S | R, 0, F};
    struct tcp_seg s = {S, 1, 0, 0};
    size_t i;

    ck_assert(tcp_seg_may_open(&s));
    s.flags = S | XSW_TCP_ECE | XSW_TCP_CWR; /* ECN setup SYN. */
    ck_assert(tcp_seg_may_open(&s));
    for (i = 0; i < sizeof not_openers; i++) {
        s.flags = not_openers[i];
        ck_assert_msg(!tcp_seg_may_open(&s), "flags 0x%02x opened",
                      not_openers[i]);
    }
}
END_TEST

START_TEST(impossible_flags_are_invalid)
{
    struct tcp_conn tc;

    ck_assert(!tcp_seg_flags_valid(0));
    ck_assert(!tcp_seg_flags_valid(S | F));
    ck_assert(!tcp_seg_flags_valid(S | R));
    ck_assert(!tcp_seg_flags_valid(F));
    ck_assert(!tcp_seg_flags_valid(F | R | A));
    ck_assert(tcp_seg_flags_valid(A | P));
    ck_assert(tcp_seg_flags_valid(F | A | P));
    established(&tc);
    ck_assert_int_eq(seg(&tc, ORIG, S | F, C_ISN + 1, 0, 0), TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, ORIG, 0, C_ISN + 1, 0, 0), TCP_V_INVALID);
    ck_assert_int_eq(tc.state, TCP_ST_ESTABLISHED);
}
END_TEST

START_TEST(synack_must_ack_the_syn)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 7, 0),
                     TCP_V_INVALID);
    /* ...and come from the responder. */
    ck_assert_int_eq(seg(&tc, ORIG, S | A, S_ISN, C_ISN + 1, 0),
                     TCP_V_INVALID);
    ck_assert_int_eq(tc.state, TCP_ST_SYN_SENT);
}
END_TEST

START_TEST(syn_sent_refuses_data_and_simultaneous_open)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    ck_assert_int_eq(seg(&tc, ORIG, A, C_ISN + 1, 0, 10), TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN, C_ISN + 1, 0), TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, S, S_ISN, 0, 0), TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, F | A, S_ISN, C_ISN + 1, 0),
                     TCP_V_INVALID);
    /* A retransmitted SYN passes, and a new ISN replaces the old one. */
    ck_assert_int_eq(seg(&tc, ORIG, S, C_ISN + 50, 0, 0), TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 1, 0),
                     TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 51, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_SYN_RECV);
}
END_TEST

START_TEST(rst_answering_syn_must_ack_it)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    ck_assert_int_eq(seg(&tc, REPLY, R, 0, 0, 0), TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, R | A, 0, C_ISN + 2, 0), TCP_V_INVALID);
    ck_assert_int_eq(tc.state, TCP_ST_SYN_SENT);
    ck_assert_int_eq(seg(&tc, REPLY, R | A, 0, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE);
}
END_TEST

START_TEST(syn_recv_passes_retransmits)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, ORIG, S, C_ISN, 0, 0), TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 1, 0), TCP_V_PASS);
    /* The responder's own ACKs do not complete the handshake. */
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_SYN_RECV);
    ck_assert_int_eq(seg(&tc, REPLY, S, S_ISN, 0, 0), TCP_V_INVALID);
}
END_TEST

START_TEST(established_passes_late_synack_refuses_syn)
{
    struct tcp_conn tc;

    established(&tc);
    ck_assert_int_eq(seg(&tc, REPLY, S | A, S_ISN, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, ORIG, S, C_ISN, 0, 0), TCP_V_INVALID);
    ck_assert_int_eq(tc.state, TCP_ST_ESTABLISHED);
}
END_TEST

START_TEST(fin_teardown_walks_every_closing_state)
{
    struct tcp_conn tc;

    established(&tc);
    /* Client closes after 100 bytes of data. */
    ck_assert_int_eq(seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 100),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
    /* An ACK short of the FIN (it acks only part of the data) leaves it. */
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, C_ISN + 101, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
    /* Acknowledging the FIN (data 100 + FIN 1). */
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, C_ISN + 102, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE_WAIT);
    /* The server may still send. */
    ck_assert_int_eq(seg(&tc, REPLY, A | P, S_ISN + 1, C_ISN + 102, 20),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE_WAIT);
    ck_assert_int_eq(seg(&tc, REPLY, F | A, S_ISN + 21, C_ISN + 102, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_LAST_ACK);
    ck_assert_int_eq(seg(&tc, ORIG, A, C_ISN + 102, S_ISN + 22, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_TIME_WAIT);
    /* Retransmitted FIN and ACK pass; data does not. */
    ck_assert_int_eq(seg(&tc, REPLY, F | A, S_ISN + 21, C_ISN + 102, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, ORIG, A, C_ISN + 102, S_ISN + 22, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, ORIG, A | P, C_ISN + 102, S_ISN + 22, 5),
                     TCP_V_INVALID);
    ck_assert_int_eq(tc.state, TCP_ST_TIME_WAIT);
}
END_TEST

START_TEST(server_closes_first)
{
    struct tcp_conn tc;

    established(&tc);
    ck_assert_int_eq(seg(&tc, REPLY, F | A, S_ISN + 1, C_ISN + 1, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
    /* The server's own ACK cannot acknowledge its FIN. */
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 2, C_ISN + 1, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
    /* The client's FIN+ACK acks it and closes its side in one segment. */
    ck_assert_int_eq(seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 2, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_LAST_ACK);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 2, C_ISN + 2, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_TIME_WAIT);
}
END_TEST

START_TEST(simultaneous_close)
{
    struct tcp_conn tc;

    established(&tc);
    ck_assert_int_eq(seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, REPLY, F | A, S_ISN + 1, C_ISN + 1, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_LAST_ACK);
    ck_assert_int_eq(seg(&tc, ORIG, A, C_ISN + 2, S_ISN + 2, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_LAST_ACK);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 2, C_ISN + 2, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_TIME_WAIT);
}
END_TEST

START_TEST(fin_on_the_handshake_ack)
{
    struct tcp_seg syn = {S, C_ISN, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    seg(&tc, REPLY, S | A, S_ISN, C_ISN + 1, 0);
    ck_assert_int_eq(seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
}
END_TEST

START_TEST(fin_ack_across_sequence_wrap)
{
    struct tcp_seg syn = {S, 0xfffffff0u, 0, 0};
    struct tcp_conn tc;

    tcp_state_open(&tc, &syn);
    seg(&tc, REPLY, S | A, S_ISN, 0xfffffff1u, 0);
    seg(&tc, ORIG, A, 0xfffffff1u, S_ISN + 1, 0);
    /* 20 bytes and a FIN from 0xfffffff1: the FIN ends at 6. */
    ck_assert_int_eq(seg(&tc, ORIG, F | A, 0xfffffff1u, S_ISN + 1, 20),
                     TCP_V_PASS);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, 5, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_FIN_WAIT);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, 6, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE_WAIT);
}
END_TEST

START_TEST(rst_closes_and_nothing_but_rst_follows)
{
    struct tcp_conn tc;

    established(&tc);
    ck_assert_int_eq(seg(&tc, REPLY, R | A, S_ISN + 1, C_ISN + 1, 0),
                     TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE);
    ck_assert_int_eq(seg(&tc, ORIG, A, C_ISN + 1, S_ISN + 1, 10),
                     TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, A, S_ISN + 1, C_ISN + 1, 0),
                     TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0),
                     TCP_V_INVALID);
    ck_assert_int_eq(seg(&tc, REPLY, R, S_ISN + 1, 0, 0), TCP_V_PASS);
    ck_assert_int_eq(tc.state, TCP_ST_CLOSE);
}
END_TEST

START_TEST(rst_closes_from_any_state)
{
    static const int from[] = {1, 2, 3, 4, 5};
    size_t i;

    for (i = 0; i < sizeof from / sizeof *from; i++) {
        struct tcp_conn tc;

        established(&tc);
        if (from[i] >= 2)
            seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0);
        if (from[i] >= 3)
            seg(&tc, REPLY, A, S_ISN + 1, C_ISN + 2, 0);
        if (from[i] >= 4)
            seg(&tc, REPLY, F | A, S_ISN + 1, C_ISN + 2, 0);
        if (from[i] >= 5)
            seg(&tc, ORIG, A, C_ISN + 2, S_ISN + 2, 0);
        ck_assert_int_eq(tc.state, TCP_ST_ESTABLISHED + from[i] - 1);
        ck_assert_int_eq(seg(&tc, ORIG, R, C_ISN + 2, 0, 0), TCP_V_PASS);
        ck_assert_int_eq(tc.state, TCP_ST_CLOSE);
    }
}
END_TEST

START_TEST(new_syn_reopens_finished_connections)
{
    struct tcp_conn tc;

    established(&tc);
    seg(&tc, ORIG, R, C_ISN + 1, 0, 0);
    ck_assert_int_eq(seg(&tc, ORIG, S, 9000, 0, 0), TCP_V_REOPEN);
    ck_assert_int_eq(seg(&tc, REPLY, S, 9000, 0, 0), TCP_V_REOPEN);

    established(&tc);
    seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0);
    seg(&tc, REPLY, F | A, S_ISN + 1, C_ISN + 2, 0);
    seg(&tc, ORIG, A, C_ISN + 2, S_ISN + 2, 0);
    ck_assert_int_eq(tc.state, TCP_ST_TIME_WAIT);
    ck_assert_int_eq(seg(&tc, ORIG, S, 9000, 0, 0), TCP_V_REOPEN);
    /* Not while the connection is still closing. */
    established(&tc);
    seg(&tc, ORIG, F | A, C_ISN + 1, S_ISN + 1, 0);
    ck_assert_int_eq(seg(&tc, ORIG, S, 9000, 0, 0), TCP_V_INVALID);
}
END_TEST

START_TEST(state_names)
{
    ck_assert_str_eq(tcp_state_name(TCP_ST_ESTABLISHED), "established");
    ck_assert_str_eq(tcp_state_name(TCP_ST_TIME_WAIT), "time_wait");
    ck_assert_str_eq(tcp_state_name(TCP_ST_COUNT), "?");
}
END_TEST

static Suite *
tcp_state_suite(void)
{
    Suite *s = suite_create("tcp-state");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, handshake_reaches_established);
    tcase_add_test(tc, only_a_bare_syn_opens);
    tcase_add_test(tc, impossible_flags_are_invalid);
    tcase_add_test(tc, synack_must_ack_the_syn);
    tcase_add_test(tc, syn_sent_refuses_data_and_simultaneous_open);
    tcase_add_test(tc, rst_answering_syn_must_ack_it);
    tcase_add_test(tc, syn_recv_passes_retransmits);
    tcase_add_test(tc, established_passes_late_synack_refuses_syn);
    tcase_add_test(tc, fin_teardown_walks_every_closing_state);
    tcase_add_test(tc, server_closes_first);
    tcase_add_test(tc, simultaneous_close);
    tcase_add_test(tc, fin_on_the_handshake_ack);
    tcase_add_test(tc, fin_ack_across_sequence_wrap);
    tcase_add_test(tc, rst_closes_and_nothing_but_rst_follows);
    tcase_add_test(tc, rst_closes_from_any_state);
    tcase_add_test(tc, new_syn_reopens_finished_connections);
    tcase_add_test(tc, state_names);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(tcp_state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
