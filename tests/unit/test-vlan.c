/* Port VLAN policy: classification on ingress, tagging on egress. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drops.h"
#include "vlan.h"

static uint8_t buf[2048];
static struct xsw_packet pkt;

/* A 64-byte frame, with an 802.1Q tag (pcp, vid) when 'tagged'. */
static void
make_frame(bool tagged, uint8_t pcp, uint16_t vid)
{
    static const uint8_t macs[12] = {1, 2, 3, 4, 5, 6, 0xa, 0xb, 0xc,
                                     0xd, 0xe, 0xf};
    uint8_t *p = buf + 64;

    memset(&pkt, 0, sizeof pkt);
    memset(buf, 0x55, sizeof buf);
    memcpy(p, macs, 12);
    if (tagged) {
        xsw_wr16(p + 12, 0x8100);
        xsw_wr16(p + 14, (uint16_t) (pcp << 13 | vid));
        xsw_wr16(p + 16, 0x0800);
    } else {
        xsw_wr16(p + 12, 0x0800);
    }
    pkt.data = p;
    pkt.size = 64;
}

static struct vlan_config
access(uint16_t vid)
{
    struct vlan_config v = {.mode = VLAN_ACCESS, .vid = vid};

    return v;
}

static struct vlan_config
trunk(uint16_t native, const uint16_t *allowed, int n)
{
    struct vlan_config v = {.mode = VLAN_TRUNK, .native = native};
    int i;

    for (i = 0; i < n; i++)
        v.allowed[allowed[i] >> 3] |= (uint8_t) (1u << (allowed[i] & 7));
    if (native)
        v.allowed[native >> 3] |= (uint8_t) (1u << (native & 7));
    return v;
}

static const uint16_t v10_20[] = {10, 20};

START_TEST(vlan_access_classifies_untagged)
{
    struct vlan_config v = access(10);

    make_frame(false, 0, 0);
    ck_assert_int_eq(vlan_ingress(&v, &pkt), 0);
    ck_assert_uint_eq(pkt.vlan, 10);
    ck_assert_uint_eq(pkt.pcp, 0);
}
END_TEST

START_TEST(vlan_access_accepts_priority_tag)
{
    struct vlan_config v = access(10);

    make_frame(true, 5, 0);
    ck_assert_int_eq(vlan_ingress(&v, &pkt), 0);
    ck_assert_uint_eq(pkt.vlan, 10);
    ck_assert_uint_eq(pkt.pcp, 5);
}
END_TEST

START_TEST(vlan_access_drops_tagged)
{
    struct vlan_config v = access(10);

    make_frame(true, 0, 10);
    ck_assert_int_eq(vlan_ingress(&v, &pkt), DROP_TAGGED_ON_ACCESS);
}
END_TEST

START_TEST(vlan_trunk_classifies_by_tag)
{
    struct vlan_config v = trunk(0, v10_20, 2);

    make_frame(true, 3, 20);
    ck_assert_int_eq(vlan_ingress(&v, &pkt), 0);
    ck_assert_uint_eq(pkt.vlan, 20);
    ck_assert_uint_eq(pkt.pcp, 3);
    make_frame(true, 0, 30);
    ck_assert_int_eq(vlan_ingress(&v, &pkt), DROP_VLAN_NOT_ALLOWED);
}
END_TEST

START_TEST(vlan_trunk_untagged_needs_native)
{
    struct vlan_config none = trunk(0, v10_20, 2), nat = trunk(1, v10_20, 2);

    make_frame(false, 0, 0);
    ck_assert_int_eq(vlan_ingress(&none, &pkt), DROP_UNTAGGED_NO_NATIVE);
    ck_assert_int_eq(vlan_ingress(&nat, &pkt), 0);
    ck_assert_uint_eq(pkt.vlan, 1);
    /* A frame tagged with the native VID is accepted as native. */
    make_frame(true, 0, 1);
    ck_assert_int_eq(vlan_ingress(&nat, &pkt), 0);
    ck_assert_uint_eq(pkt.vlan, 1);
}
END_TEST

START_TEST(vlan_carries)
{
    struct vlan_config a = access(10), t = trunk(1, v10_20, 2);

    ck_assert(vlan_port_carries(&a, 10));
    ck_assert(!vlan_port_carries(&a, 20));
    ck_assert(vlan_port_carries(&t, 20));
    ck_assert(vlan_port_carries(&t, 1));
    ck_assert(!vlan_port_carries(&t, 30));
}
END_TEST

START_TEST(vlan_egress_trunk_pushes_tag)
{
    struct vlan_config t = trunk(1, v10_20, 2);
    uint8_t scratch[2048], orig[64];
    const uint8_t *out;
    uint32_t size;

    make_frame(false, 0, 0);
    memcpy(orig, pkt.data, 64);
    pkt.vlan = 10;
    pkt.pcp = 6;
    ck_assert_int_eq(vlan_egress(&t, &pkt, scratch, &out, &size), 0);
    ck_assert_uint_eq(size, 68);
    ck_assert_mem_eq(out, orig, 12);
    ck_assert_uint_eq(xsw_rd16(out + 12), 0x8100);
    ck_assert_uint_eq(xsw_rd16(out + 14), 6 << 13 | 10);
    ck_assert_mem_eq(out + 16, orig + 12, 52);
    ck_assert_mem_eq(pkt.data, orig, 64);   /* The packet is untouched. */
}
END_TEST

START_TEST(vlan_egress_strips_for_access_and_native)
{
    struct vlan_config a = access(10), t = trunk(10, v10_20, 2);
    uint8_t scratch[2048], orig[64];
    const uint8_t *out;
    uint32_t size;

    make_frame(true, 2, 10);
    memcpy(orig, pkt.data, 64);
    pkt.vlan = 10;
    ck_assert_int_eq(vlan_egress(&a, &pkt, scratch, &out, &size), 0);
    ck_assert_uint_eq(size, 60);
    ck_assert_mem_eq(out, orig, 12);
    ck_assert_mem_eq(out + 12, orig + 16, 48);
    ck_assert_int_eq(vlan_egress(&t, &pkt, scratch, &out, &size), 0);
    ck_assert_uint_eq(size, 60);
}
END_TEST

START_TEST(vlan_egress_keeps_matching_tag_without_copy)
{
    struct vlan_config t = trunk(1, v10_20, 2);
    uint8_t scratch[2048];
    const uint8_t *out;
    uint32_t size;

    make_frame(true, 4, 20);
    pkt.vlan = 20;
    ck_assert_int_eq(vlan_egress(&t, &pkt, scratch, &out, &size), 0);
    ck_assert_ptr_eq(out, pkt.data);
    ck_assert_uint_eq(size, 64);
}
END_TEST

START_TEST(vlan_egress_rewrites_vid_keeps_pcp)
{
    struct vlan_config t = trunk(1, v10_20, 2);
    uint8_t scratch[2048];
    const uint8_t *out;
    uint32_t size;

    make_frame(true, 4, 10);   /* Reclassified to VLAN 20 by a filter. */
    pkt.vlan = 20;
    ck_assert_int_eq(vlan_egress(&t, &pkt, scratch, &out, &size), 0);
    ck_assert_uint_eq(xsw_rd16(out + 14), 4 << 13 | 20);
    ck_assert_uint_eq(size, 64);
}
END_TEST

START_TEST(vlan_egress_refuses_vlan_not_carried)
{
    struct vlan_config a = access(10);
    uint8_t scratch[2048];
    const uint8_t *out;
    uint32_t size;

    make_frame(false, 0, 0);
    pkt.vlan = 20;
    ck_assert_int_eq(vlan_egress(&a, &pkt, scratch, &out, &size),
                     DROP_EGRESS_VLAN);
}
END_TEST

static Suite *
vlan_suite(void)
{
    Suite *s = suite_create("vlan");
    TCase *tc = tcase_create("vlan");

    tcase_add_test(tc, vlan_access_classifies_untagged);
    tcase_add_test(tc, vlan_access_accepts_priority_tag);
    tcase_add_test(tc, vlan_access_drops_tagged);
    tcase_add_test(tc, vlan_trunk_classifies_by_tag);
    tcase_add_test(tc, vlan_trunk_untagged_needs_native);
    tcase_add_test(tc, vlan_carries);
    tcase_add_test(tc, vlan_egress_trunk_pushes_tag);
    tcase_add_test(tc, vlan_egress_strips_for_access_and_native);
    tcase_add_test(tc, vlan_egress_keeps_matching_tag_without_copy);
    tcase_add_test(tc, vlan_egress_rewrites_vid_keeps_pcp);
    tcase_add_test(tc, vlan_egress_refuses_vlan_not_carried);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(vlan_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
