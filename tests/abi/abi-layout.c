/* One table of the ABI as the headers on the include path declare it (see
 * abi-layout.h).  Built twice: with -I tests/abi/v1.0 and
 * -DABI_LAYOUT=abi_layout_v1_0, and with -I sdk/include and
 * -DABI_LAYOUT=abi_layout_current. */
#include "abi-layout.h"

#include <stddef.h>

#include <xsw/xsw.h>

#ifndef ABI_LAYOUT
#error "define ABI_LAYOUT to the table's name"
#endif

ABI_TYPEDEFS

/* Every field still has its v1.0 type (checked when this compiles). */
#define ABI_TYPE_CHECK(s, m, type)                                            \
    _Static_assert(                                                           \
        __builtin_types_compatible_p(__typeof__(((struct s *) 0)->m), type),  \
        "struct " #s "." #m " is no longer " #type);
ABI_FIELDS(ABI_TYPE_CHECK)

/* The three fields a loader reads before it trusts anything else. */
_Static_assert(offsetof(struct xsw_extension, abi_major) == 0 &&
                   offsetof(struct xsw_extension, abi_minor) == 2 &&
                   offsetof(struct xsw_extension, size) == 4,
               "the descriptor header moved");
_Static_assert(offsetof(struct xsw_host, abi_major) == 0 &&
                   offsetof(struct xsw_host, abi_minor) == 2 &&
                   offsetof(struct xsw_host, size) == 4,
               "the host table header moved");

#define ABI_FIELD_ROW(s, m, type)                                             \
    {#s, #m, (uint32_t) offsetof(struct s, m),                                \
     (uint32_t) sizeof(((struct s *) 0)->m)},
static const struct abi_field fields[] = {ABI_FIELDS(ABI_FIELD_ROW)};

#define ABI_SIZE_ROW(s) {#s, (uint32_t) sizeof(struct s)},
static const struct abi_size sizes[] = {ABI_STRUCTS(ABI_SIZE_ROW)};

#define ABI_CONST_ROW(c) {#c, (uint64_t) (c)},
static const struct abi_const consts[] = {ABI_CONSTANTS(ABI_CONST_ROW)};

#define ABI_N(a) ((uint32_t) (sizeof(a) / sizeof((a)[0])))
#define ABI_STR_(x) #x
#define ABI_STR(x) ABI_STR_(x)

const struct abi_layout ABI_LAYOUT = {
    .headers = ABI_STR(ABI_LAYOUT),
    .fields = fields,
    .n_fields = ABI_N(fields),
    .sizes = sizes,
    .n_sizes = ABI_N(sizes),
    .consts = consts,
    .n_consts = ABI_N(consts),
    .abi_minor = XSW_ABI_MINOR,
    .symbol = XSW_EXTENSION_SYMBOL,
};
