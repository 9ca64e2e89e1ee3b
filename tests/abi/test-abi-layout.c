/* ABI layout: what a v1.0 module compiled into itself still holds.
 *
 * A module built against the v1.0 headers has every offset of
 * struct xsw_packet, xsw_batch, xsw_extension and xsw_host, and every ABI
 * constant, compiled into its code.  abi_layout_v1_0 is those numbers,
 * computed by the compiler from the frozen snapshot (tests/abi/v1.0);
 * abi_layout_current is the same list computed from sdk/include.  Every
 * v1.0 field must keep its offset and size; struct xsw_packet and
 * xsw_batch (which the core allocates and a module indexes) keep their
 * size; the descriptor and the host table may only grow (appended
 * fields).  The v1.0 numbers are also written out below, as a check on
 * the snapshot itself. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "abi-layout.h"

static const struct abi_size *
size_of(const struct abi_layout *l, const char *strct)
{
    uint32_t i;

    for (i = 0; i < l->n_sizes; i++)
        if (!strcmp(l->sizes[i].strct, strct))
            return &l->sizes[i];
    ck_abort_msg("%s: no size for struct %s", l->headers, strct);
    return NULL;
}

static int
by_offset(const void *a, const void *b)
{
    const struct abi_field *x = *(const struct abi_field *const *) a;
    const struct abi_field *y = *(const struct abi_field *const *) b;

    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The v1.0 fields of each struct cover it byte for byte, with members of
 * a union sharing their offset: so the list misses no field, and v1.0 had
 * no hidden padding. */
START_TEST(abi_v1_0_list_covers_every_byte)
{
    const struct abi_layout *v1 = &abi_layout_v1_0;
    const struct abi_field *f[128];
    uint32_t s, i, n, end;

    for (s = 0; s < v1->n_sizes; s++) {
        n = 0;
        for (i = 0; i < v1->n_fields; i++)
            if (!strcmp(v1->fields[i].strct, v1->sizes[s].strct))
                f[n++] = &v1->fields[i];
        ck_assert_uint_gt(n, 0);
        qsort(f, n, sizeof f[0], by_offset);
        end = 0;
        for (i = 0; i < n; i++) {
            if (i && f[i]->offset == f[i - 1]->offset) {
                ck_assert_msg(f[i]->size == f[i - 1]->size,
                              "%s: union members %s and %s differ in size",
                              f[i]->strct, f[i - 1]->member, f[i]->member);
                continue;
            }
            ck_assert_msg(f[i]->offset == end,
                          "%s: bytes %u..%u before %s are in no listed "
                          "field",
                          f[i]->strct, end, f[i]->offset, f[i]->member);
            end = f[i]->offset + f[i]->size;
        }
        ck_assert_msg(end == v1->sizes[s].size,
                      "%s: listed fields end at %u, the struct at %u",
                      v1->sizes[s].strct, end, v1->sizes[s].size);
    }
}
END_TEST

/* The numbers the snapshot produced when it was taken (x86-64 and every
 * LP64 target: pointers 8 bytes).  If these fail, the snapshot was edited.
 */
START_TEST(abi_v1_0_snapshot_is_untouched)
{
    const struct abi_layout *v1 = &abi_layout_v1_0;

    ck_assert_uint_eq(sizeof(void *), 8);
    ck_assert_uint_eq(size_of(v1, "xsw_packet")->size, 160);
    ck_assert_uint_eq(size_of(v1, "xsw_batch")->size, 8 + 64 * 8);
    ck_assert_uint_eq(size_of(v1, "xsw_extension")->size, 128);
    ck_assert_uint_eq(size_of(v1, "xsw_host")->size, 8 + 26 * 8);
    ck_assert_uint_eq(v1->n_fields, 33 + 3 + 22 + 29);
    ck_assert_uint_eq(v1->abi_minor, 0);
    ck_assert_str_eq(v1->symbol, "xsw_extension_v1");
}
END_TEST

START_TEST(abi_field_never_moves)
{
    const struct abi_field *old = &abi_layout_v1_0.fields[_i];
    const struct abi_field *now = &abi_layout_current.fields[_i];

    ck_assert_str_eq(old->strct, now->strct);
    ck_assert_str_eq(old->member, now->member);
    ck_assert_msg(old->offset == now->offset && old->size == now->size,
                  "struct %s.%s: v1.0 has offset %u size %u, the current "
                  "SDK offset %u size %u",
                  old->strct, old->member, old->offset, old->size, now->offset,
                  now->size);
}
END_TEST

/* Modules index packets and batches the core allocates: their size is
 * fixed for the major (new packet fields take 'reserved' space). */
START_TEST(abi_fixed_structs_keep_their_size)
{
    static const char *const fixed[] = {"xsw_packet", "xsw_batch"};
    uint32_t i;

    for (i = 0; i < 2; i++)
        ck_assert_msg(size_of(&abi_layout_v1_0, fixed[i])->size ==
                          size_of(&abi_layout_current, fixed[i])->size,
                      "struct %s changed size: %u in v1.0, %u now", fixed[i],
                      size_of(&abi_layout_v1_0, fixed[i])->size,
                      size_of(&abi_layout_current, fixed[i])->size);
}
END_TEST

/* The descriptor and the host table carry their own size, so they may
 * grow by appending; never shrink. */
START_TEST(abi_growing_structs_only_grow)
{
    static const char *const growing[] = {"xsw_extension", "xsw_host"};
    uint32_t i;

    for (i = 0; i < 2; i++)
        ck_assert_msg(size_of(&abi_layout_current, growing[i])->size >=
                          size_of(&abi_layout_v1_0, growing[i])->size,
                      "struct %s shrank: %u in v1.0, %u now", growing[i],
                      size_of(&abi_layout_v1_0, growing[i])->size,
                      size_of(&abi_layout_current, growing[i])->size);
}
END_TEST

START_TEST(abi_constant_never_changes)
{
    const struct abi_const *old = &abi_layout_v1_0.consts[_i];
    const struct abi_const *now = &abi_layout_current.consts[_i];

    ck_assert_str_eq(old->name, now->name);
    ck_assert_msg(old->value == now->value,
                  "%s is 0x%llx in v1.0 and 0x%llx now", old->name,
                  (unsigned long long) old->value,
                  (unsigned long long) now->value);
}
END_TEST

START_TEST(abi_minor_only_grows_and_symbol_stays)
{
    ck_assert_uint_ge(abi_layout_current.abi_minor, abi_layout_v1_0.abi_minor);
    ck_assert_str_eq(abi_layout_current.symbol, abi_layout_v1_0.symbol);
}
END_TEST

static Suite *
abi_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("layout");

    /* Both tables come from the same lists, so they have equal lengths;
     * if not, comparing entry by entry would be meaningless. */
    if (abi_layout_v1_0.n_fields != abi_layout_current.n_fields ||
        abi_layout_v1_0.n_consts != abi_layout_current.n_consts)
        abort();
    tcase_add_test(tc, abi_v1_0_list_covers_every_byte);
    tcase_add_test(tc, abi_v1_0_snapshot_is_untouched);
    tcase_add_loop_test(tc, abi_field_never_moves, 0,
                        (int) abi_layout_v1_0.n_fields);
    tcase_add_test(tc, abi_fixed_structs_keep_their_size);
    tcase_add_test(tc, abi_growing_structs_only_grow);
    tcase_add_loop_test(tc, abi_constant_never_changes, 0,
                        (int) abi_layout_v1_0.n_consts);
    tcase_add_test(tc, abi_minor_only_grows_and_symbol_stays);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(abi_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
