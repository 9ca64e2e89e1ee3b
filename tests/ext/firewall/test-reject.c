/* Unit tests of the answers to rejected packets (reject.h): every byte
 * that matters, and checksums summed independently (fwt_csum_ok). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "fwt.h"
#include "reject.h"

static struct fwt_pkt p;
static uint8_t out[FWT_FRAME_MAX];

static uint32_t
rd16(const uint8_t *b)
{
    return (uint32_t) b[0] << 8 | b[1];
}

static uint32_t
rd32(const uint8_t *b)
{
    return rd16(b) << 16 | rd16(b + 2);
}

static uint32_t
answer(enum reject_kind kind)
{
    uint32_t size = reject_size(&p.pkt, kind);

    ck_assert_uint_le(size, sizeof out);
    memset(out, 0x5a, sizeof out);
    if (size)
        reject_write(&p.pkt, kind, out);
    return size;
}

/* The L2 header comes back with the MAC addresses swapped. */
static void
assert_l2_swapped(uint32_t l2)
{
    ck_assert_mem_eq(out, p.pkt.data + 6, 6);
    ck_assert_mem_eq(out + 6, p.pkt.data, 6);
    ck_assert_mem_eq(out + 12, p.pkt.data + 12, l2 - 12);
}

START_TEST(kind_follows_protocol)
{
    ck_assert_int_eq(reject_kind_for(6), REJECT_TCP_RST);
    ck_assert_int_eq(reject_kind_for(17), REJECT_PORT_UNR);
    ck_assert_int_eq(reject_kind_for(1), REJECT_ADMIN_PROH);
    ck_assert_int_eq(reject_kind_for(50), REJECT_ADMIN_PROH);
}
END_TEST

START_TEST(rst_answers_syn)
{
    const uint8_t *ip = out + 14, *tcp = out + 34;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 6,
                                     .sport = 40000,
                                     .dport = 23,
                                     .tcp_flags = XSW_TCP_SYN,
                                     .seq = 0xfffffffe,
                                     .pad_to = 60});
    ck_assert_uint_eq(answer(REJECT_TCP_RST), 54);
    assert_l2_swapped(14);
    ck_assert_uint_eq(ip[0], 0x45);
    ck_assert_uint_eq(rd16(ip + 2), 40);
    ck_assert_uint_eq(ip[8], 64);
    ck_assert_uint_eq(ip[9], 6);
    ck_assert_mem_eq(ip + 12, p.pkt.dst_ip, 4);
    ck_assert_mem_eq(ip + 16, p.pkt.src_ip, 4);
    ck_assert_uint_eq(rd16(tcp), 23);
    ck_assert_uint_eq(rd16(tcp + 2), 40000);
    ck_assert_uint_eq(rd32(tcp + 4), 0);
    /* ACK = SEG.SEQ + SEG.LEN, the SYN counting one, across the wrap. */
    ck_assert_uint_eq(rd32(tcp + 8), 0xffffffff);
    ck_assert_uint_eq(tcp[12], 0x50);
    ck_assert_uint_eq(tcp[13], XSW_TCP_RST | XSW_TCP_ACK);
    ck_assert(fwt_csum_ok(out, 54));
}
END_TEST

START_TEST(rst_answers_ack_with_its_ack_number)
{
    const uint8_t *tcp = out + 14 + 40;

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 6,
                                     .sport = 1,
                                     .dport = 2,
                                     .tcp_flags = XSW_TCP_ACK | XSW_TCP_PSH,
                                     .seq = 10,
                                     .ack = 123456,
                                     .payload = 100});
    ck_assert_uint_eq(answer(REJECT_TCP_RST), 14 + 40 + 20);
    ck_assert_uint_eq(out[14] >> 4, 6);
    ck_assert_uint_eq(rd16(out + 14 + 4), 20);
    ck_assert_uint_eq(out[14 + 6], 6);
    ck_assert_uint_eq(out[14 + 7], 64);
    ck_assert_mem_eq(out + 14 + 8, p.pkt.dst_ip, 16);
    ck_assert_mem_eq(out + 14 + 24, p.pkt.src_ip, 16);
    ck_assert_uint_eq(rd32(tcp + 4), 123456);
    ck_assert_uint_eq(rd32(tcp + 8), 0);
    ck_assert_uint_eq(tcp[13], XSW_TCP_RST);
    ck_assert(fwt_csum_ok(out, 14 + 40 + 20));
}
END_TEST

START_TEST(rst_counts_data_and_fin)
{
    const uint8_t *tcp = out + 14 + 20;

    /* A FIN without ACK never passes the state machine, but the formula
     * holds: SYN + 10 bytes + FIN. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_SYN | XSW_TCP_FIN,
                                     .seq = 100,
                                     .payload = 10});
    answer(REJECT_TCP_RST);
    ck_assert_uint_eq(rd32(tcp + 8), 112);
}
END_TEST

START_TEST(rst_to_a_first_fragment_acks_the_syn_alone)
{
    const uint8_t *tcp = out + 14 + 20;

    /* The first fragment of a SYN carrying data: how much data the whole
     * segment has is not known, so the RST acknowledges the SYN only. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_SYN,
                                     .seq = 100,
                                     .payload = 24});
    answer(REJECT_TCP_RST);
    ck_assert_uint_eq(rd32(tcp + 8), 125);
    p.pkt.data[14 + 6] |= 0x20; /* More fragments. */
    fwt_parse(&p.pkt);
    ck_assert(p.pkt.flags & XSW_PKT_F_IP_FRAG);
    answer(REJECT_TCP_RST);
    ck_assert_uint_eq(rd32(tcp + 8), 101);
    ck_assert(fwt_csum_ok(out, 54));
}
END_TEST

START_TEST(ipv6_payload_length_zero_quotes_no_padding)
{
    const uint8_t *icmp = out + 54;
    uint32_t size;

    /* A bare IPv6 header (no next header), padded on the wire. */
    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 59,
                                     .pad_to = 80});
    ck_assert_uint_eq(rd16(p.pkt.data + 18), 0);
    size = answer(REJECT_ADMIN_PROH);
    ck_assert_uint_eq(size, 14 + 40 + 8 + 40);
    ck_assert_mem_eq(icmp + 8, p.pkt.data + 14, 40);
    ck_assert(fwt_csum_ok(out, size));
}
END_TEST

START_TEST(vlan_tag_is_kept)
{
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_SYN,
                                     .vlan = 0x6000 | 42});
    ck_assert_uint_eq(answer(REJECT_TCP_RST), 58);
    assert_l2_swapped(18);
    ck_assert_uint_eq(rd16(out + 12), 0x8100);
    ck_assert_uint_eq(rd16(out + 14), 0x6000 | 42); /* PCP 3 too. */
    ck_assert(fwt_csum_ok(out, 58));
}
END_TEST

START_TEST(udp_gets_port_unreachable_quoting_rfc792)
{
    const uint8_t *icmp = out + 34;

    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 17,
                                     .sport = 5000,
                                     .dport = 161,
                                     .payload = 100});
    /* IP header 20 + ICMP 8 + quoted IP header 20 + 8 bytes of UDP. */
    ck_assert_uint_eq(answer(REJECT_PORT_UNR), 14 + 20 + 8 + 28);
    assert_l2_swapped(14);
    ck_assert_uint_eq(rd16(out + 16), 20 + 8 + 28);
    ck_assert_uint_eq(out[23], 1);
    ck_assert_uint_eq(icmp[0], 3);
    ck_assert_uint_eq(icmp[1], 3);
    ck_assert_uint_eq(rd32(icmp + 4), 0);
    ck_assert_mem_eq(icmp + 8, p.pkt.data + 14, 28);
    ck_assert(fwt_csum_ok(out, 14 + 20 + 8 + 28));
}
END_TEST

START_TEST(other_protocols_get_admin_prohibited)
{
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 1,
                                     .icmp_type = 8,
                                     .icmp_id = 5,
                                     .payload = 56});
    ck_assert_uint_eq(answer(REJECT_ADMIN_PROH), 14 + 20 + 8 + 28);
    ck_assert_uint_eq(out[34], 3);
    ck_assert_uint_eq(out[35], 13);
    ck_assert(fwt_csum_ok(out, 14 + 20 + 8 + 28));

    /* A datagram shorter than header + 8 is quoted whole, not padding. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "192.0.2.9",
                                     .proto = 50,
                                     .payload = 4,
                                     .pad_to = 60});
    ck_assert_uint_eq(answer(REJECT_ADMIN_PROH), 14 + 20 + 8 + 24);
    ck_assert(fwt_csum_ok(out, 14 + 20 + 8 + 24));
}
END_TEST

START_TEST(ipv6_unreachable_quotes_up_to_the_minimum_mtu)
{
    const uint8_t *icmp = out + 54;
    uint32_t size;

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 17,
                                     .sport = 5000,
                                     .dport = 161,
                                     .payload = 100,
                                     .pad_to = 300});
    size = answer(REJECT_PORT_UNR);
    ck_assert_uint_eq(size, 14 + 40 + 8 + 148);
    ck_assert_uint_eq(rd16(out + 18), 8 + 148);
    ck_assert_uint_eq(out[20], 58);
    ck_assert_uint_eq(icmp[0], 1);
    ck_assert_uint_eq(icmp[1], 4);
    ck_assert_mem_eq(icmp + 8, p.pkt.data + 14, 148);
    ck_assert(fwt_csum_ok(out, size));

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 17,
                                     .sport = 5000,
                                     .dport = 161,
                                     .payload = 1400});
    size = answer(REJECT_PORT_UNR);
    ck_assert_uint_eq(size - 14, 1280);
    ck_assert_mem_eq(icmp + 8, p.pkt.data + 14, 1232);
    ck_assert(fwt_csum_ok(out, size));

    fwt_build(&p, &(struct fwt_spec){.family = 6,
                                     .src = "2001:db8::1",
                                     .dst = "2001:db8::2",
                                     .proto = 50,
                                     .payload = 16});
    size = answer(REJECT_ADMIN_PROH);
    ck_assert_uint_eq(icmp[0], 1);
    ck_assert_uint_eq(icmp[1], 1);
    ck_assert(fwt_csum_ok(out, size));
}
END_TEST

START_TEST(no_answer_to_rst_or_multicast)
{
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 6,
                                     .tcp_flags = XSW_TCP_RST});
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_TCP_RST), 0);
    fwt_build(&p, &FWT_IP(4, "10.0.0.1", "224.0.0.251", 17, 5353, 5353));
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    fwt_build(&p, &FWT_IP(4, "10.0.0.1", "255.255.255.255", 17, 68, 67));
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    fwt_build(&p, &FWT_IP(4, "0.0.0.0", "10.0.0.2", 17, 68, 67));
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    fwt_build(&p, &FWT_IP(6, "2001:db8::1", "ff02::fb", 17, 1, 2));
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    fwt_build(&p, &FWT_IP(6, "::", "2001:db8::1", 17, 1, 2));
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    /* A unicast IP in a broadcast frame. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 17,
                                     .dst_mac0 = 0xff});
    ck_assert_uint_eq(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
    /* ...and the same in a unicast frame is answered. */
    fwt_build(&p, &(struct fwt_spec){.family = 4,
                                     .src = "10.0.0.1",
                                     .dst = "10.0.0.2",
                                     .proto = 17});
    ck_assert_uint_ne(reject_size(&p.pkt, REJECT_PORT_UNR), 0);
}
END_TEST

static Suite *
reject_suite(void)
{
    Suite *s = suite_create("reject");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, kind_follows_protocol);
    tcase_add_test(tc, rst_answers_syn);
    tcase_add_test(tc, rst_answers_ack_with_its_ack_number);
    tcase_add_test(tc, rst_counts_data_and_fin);
    tcase_add_test(tc, rst_to_a_first_fragment_acks_the_syn_alone);
    tcase_add_test(tc, ipv6_payload_length_zero_quotes_no_padding);
    tcase_add_test(tc, vlan_tag_is_kept);
    tcase_add_test(tc, udp_gets_port_unreachable_quoting_rfc792);
    tcase_add_test(tc, other_protocols_get_admin_prohibited);
    tcase_add_test(tc, ipv6_unreachable_quotes_up_to_the_minimum_mtu);
    tcase_add_test(tc, no_answer_to_rst_or_multicast);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(reject_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
