/* The v1.0 ABI, written down field by field
 * =========================================
 * abi-layout.c is compiled twice: against the frozen v1.0 headers
 * (tests/abi/v1.0/) into the table abi_layout_v1_0, and against the
 * current SDK (sdk/include/) into abi_layout_current.  Both come from the
 * lists below, so the two tables line up entry by entry and
 * test-abi-layout compares them: every offset and size of the four ABI
 * structs and every ABI constant must be what v1.0 made it.  Each field's
 * v1.0 type is written here too, and both builds assert at compile time
 * that the headers still declare that type (a retyped field, or a host
 * call whose signature changed, does not compile).
 *
 * The lists name every field of v1.0: test-abi-layout checks that the
 * v1.0 entries tile each struct exactly, so a field missing here fails.
 * Fields appended by later minors are not listed and need not be: they lie
 * past the v1.0 size, which is what "append only" means.
 *
 * When a later minor takes space from a 'reserved' field (packet.h) or
 * retires a field as reserved_N of the same width (STYLE.md), the current
 * build no longer finds the v1.0 name: keep the entry and check by hand that
 * the new fields lie exactly inside the old reserved bytes, then map the
 * name for the current build only.  Never change an entry's type. */
#ifndef ABI_LAYOUT_H
#define ABI_LAYOUT_H

#include <stdint.h>

/* Types of v1.0 that contain commas or parentheses, by name. */
#define ABI_TYPEDEFS                                                          \
    typedef void (*abi_batch_fn)(void *, struct xsw_batch *);                 \
    typedef void (*abi_inspect_fn)(void *, const struct xsw_batch *);         \
    typedef void (*abi_emit_fn)(void *, const char *, uint64_t);              \
    typedef void (*abi_timer_fn)(void *, uint64_t);                           \
    typedef int (*abi_create_fn)(const struct xsw_host *, struct xsw_ctx *,   \
                                 const struct xsw_cfg *, void **);            \
    typedef void (*abi_destroy_fn)(void *);                                   \
    typedef void (*abi_port_event_fn)(void *, uint32_t, uint32_t);            \
    typedef int (*abi_save_fn)(void *, uint8_t **, uint64_t *);               \
    typedef int (*abi_restore_fn)(void *, const uint8_t *, uint64_t);         \
    typedef int (*abi_control_fn)(void *, uint32_t, const char *const *,      \
                                  char *, uint32_t);                          \
    typedef void (*abi_stats_fn)(void *, abi_emit_fn, void *);                \
    typedef void (*abi_log_fn)(struct xsw_ctx *, uint32_t, const char *,      \
                               ...);                                          \
    typedef int (*abi_error_fn)(struct xsw_ctx *, int, const char *, ...);    \
    typedef uint64_t (*abi_now_fn)(struct xsw_ctx *);                         \
    typedef uint32_t (*abi_port_count_fn)(struct xsw_ctx *);                  \
    typedef int32_t (*abi_port_lookup_fn)(struct xsw_ctx *, const char *);    \
    typedef const char *(*abi_port_name_fn)(struct xsw_ctx *, uint32_t);      \
    typedef struct xsw_packet *(*abi_pkt_alloc_fn)(struct xsw_ctx *,          \
                                                   uint32_t);                 \
    typedef void (*abi_pkt_free_fn)(struct xsw_ctx *, struct xsw_packet *);   \
    typedef int (*abi_pkt_inject_fn)(struct xsw_ctx *, struct xsw_packet *,   \
                                     uint32_t, uint32_t);                     \
    typedef int (*abi_pkt_reparse_fn)(struct xsw_ctx *, struct xsw_packet *); \
    typedef uint64_t *(*abi_counter_new_fn)(struct xsw_ctx *, const char *);  \
    typedef void (*abi_trace_fn)(struct xsw_ctx *, const struct xsw_packet *, \
                                 const char *, ...);                          \
    typedef int (*abi_timer_add_fn)(struct xsw_ctx *, uint64_t, abi_timer_fn, \
                                    void *);                                  \
    typedef int (*abi_timer_cancel_fn)(struct xsw_ctx *, int);                \
    typedef uint32_t (*abi_cfg_type_fn)(struct xsw_ctx *,                     \
                                        const struct xsw_cfg *);              \
    typedef const struct xsw_cfg *(*abi_cfg_get_fn)(                          \
        struct xsw_ctx *, const struct xsw_cfg *, const char *);              \
    typedef uint32_t (*abi_cfg_len_fn)(struct xsw_ctx *,                      \
                                       const struct xsw_cfg *);               \
    typedef const struct xsw_cfg *(*abi_cfg_at_fn)(                           \
        struct xsw_ctx *, const struct xsw_cfg *, uint32_t);                  \
    typedef const char *(*abi_cfg_key_at_fn)(                                 \
        struct xsw_ctx *, const struct xsw_cfg *, uint32_t);                  \
    typedef const char *(*abi_cfg_str_fn)(struct xsw_ctx *,                   \
                                          const struct xsw_cfg *);            \
    typedef int (*abi_cfg_keys_fn)(struct xsw_ctx *, const struct xsw_cfg *,  \
                                   const char *const *);                      \
    typedef int (*abi_cfg_u64_fn)(struct xsw_ctx *, const struct xsw_cfg *,   \
                                  const char *, uint64_t, uint64_t, uint64_t, \
                                  uint64_t *);                                \
    typedef int (*abi_cfg_bool_fn)(struct xsw_ctx *, const struct xsw_cfg *,  \
                                   const char *, int, int *);                 \
    typedef int (*abi_cfg_string_fn)(struct xsw_ctx *,                        \
                                     const struct xsw_cfg *, const char *,    \
                                     const char *, const char **);            \
    typedef int (*abi_cfg_error_fn)(struct xsw_ctx *, const struct xsw_cfg *, \
                                    int, const char *, ...);                  \
    typedef const char *(*abi_cfg_dir_fn)(struct xsw_ctx *);

/* _(struct, member, v1.0 type), in declaration order. */
#define ABI_FIELDS(_)                                                         \
    _(xsw_packet, data, uint8_t *)                                            \
    _(xsw_packet, size, uint32_t)                                             \
    _(xsw_packet, headroom, uint16_t)                                         \
    _(xsw_packet, tailroom, uint16_t)                                         \
    _(xsw_packet, ts_ns, uint64_t)                                            \
    _(xsw_packet, in_port, uint16_t)                                          \
    _(xsw_packet, vlan, uint16_t)                                             \
    _(xsw_packet, pcp, uint8_t)                                               \
    _(xsw_packet, n_tags, uint8_t)                                            \
    _(xsw_packet, ethertype, uint16_t)                                        \
    _(xsw_packet, l3_ofs, uint16_t)                                           \
    _(xsw_packet, l4_ofs, uint16_t)                                           \
    _(xsw_packet, payload_ofs, uint16_t)                                      \
    _(xsw_packet, ip_version, uint8_t)                                        \
    _(xsw_packet, ip_proto, uint8_t)                                          \
    _(xsw_packet, src_ip, uint8_t[16])                                        \
    _(xsw_packet, dst_ip, uint8_t[16])                                        \
    _(xsw_packet, src_port, uint16_t)                                         \
    _(xsw_packet, dst_port, uint16_t)                                         \
    _(xsw_packet, tcp_flags, uint8_t)                                         \
    _(xsw_packet, ip_tos, uint8_t)                                            \
    _(xsw_packet, ip_ttl, uint8_t)                                            \
    _(xsw_packet, reserved0, uint8_t)                                         \
    _(xsw_packet, flow_hash, uint32_t)                                        \
    _(xsw_packet, flags, uint32_t)                                            \
    _(xsw_packet, verdict, uint8_t)                                           \
    _(xsw_packet, fwd, uint8_t)                                               \
    _(xsw_packet, n_out, uint8_t)                                             \
    _(xsw_packet, reserved1, uint8_t)                                         \
    _(xsw_packet, drop_reason, uint16_t)                                      \
    _(xsw_packet, out_ports, uint16_t[8])                                     \
    _(xsw_packet, reserved2, uint16_t)                                        \
    _(xsw_packet, reserved, uint64_t[6])                                      \
    _(xsw_batch, count, uint32_t)                                             \
    _(xsw_batch, port, uint32_t)                                              \
    _(xsw_batch, pkts, struct xsw_packet *[64])                               \
    _(xsw_extension, abi_major, uint16_t)                                     \
    _(xsw_extension, abi_minor, uint16_t)                                     \
    _(xsw_extension, size, uint32_t)                                          \
    _(xsw_extension, name, const char *)                                      \
    _(xsw_extension, version, const char *)                                   \
    _(xsw_extension, description, const char *)                               \
    _(xsw_extension, role, uint32_t)                                          \
    _(xsw_extension, flags, uint32_t)                                         \
    _(xsw_extension, create, abi_create_fn)                                   \
    _(xsw_extension, destroy, abi_destroy_fn)                                 \
    _(xsw_extension, ingress, abi_batch_fn)                                   \
    _(xsw_extension, inspect_ingress, abi_inspect_fn)                         \
    _(xsw_extension, egress, abi_batch_fn)                                    \
    _(xsw_extension, inspect_egress, abi_inspect_fn)                          \
    _(xsw_extension, port_event, abi_port_event_fn)                           \
    _(xsw_extension, save, abi_save_fn)                                       \
    _(xsw_extension, restore, abi_restore_fn)                                 \
    _(xsw_extension, control, abi_control_fn)                                 \
    _(xsw_extension, stats, abi_stats_fn)                                     \
    _(xsw_extension, drop_reasons, const char *const *)                       \
    _(xsw_extension, n_drop_reasons, uint32_t)                                \
    _(xsw_extension, reserved0, uint32_t)                                     \
    _(xsw_host, abi_major, uint16_t)                                          \
    _(xsw_host, abi_minor, uint16_t)                                          \
    _(xsw_host, size, uint32_t)                                               \
    _(xsw_host, log, abi_log_fn)                                              \
    _(xsw_host, error, abi_error_fn)                                          \
    _(xsw_host, now_ns, abi_now_fn)                                           \
    _(xsw_host, port_count, abi_port_count_fn)                                \
    _(xsw_host, port_lookup, abi_port_lookup_fn)                              \
    _(xsw_host, port_name, abi_port_name_fn)                                  \
    _(xsw_host, pkt_alloc, abi_pkt_alloc_fn)                                  \
    _(xsw_host, pkt_free, abi_pkt_free_fn)                                    \
    _(xsw_host, pkt_inject, abi_pkt_inject_fn)                                \
    _(xsw_host, pkt_reparse, abi_pkt_reparse_fn)                              \
    _(xsw_host, counter_new, abi_counter_new_fn)                              \
    _(xsw_host, trace, abi_trace_fn)                                          \
    _(xsw_host, timer_add, abi_timer_add_fn)                                  \
    _(xsw_host, timer_cancel, abi_timer_cancel_fn)                            \
    _(xsw_host, cfg_type, abi_cfg_type_fn)                                    \
    _(xsw_host, cfg_get, abi_cfg_get_fn)                                      \
    _(xsw_host, cfg_len, abi_cfg_len_fn)                                      \
    _(xsw_host, cfg_at, abi_cfg_at_fn)                                        \
    _(xsw_host, cfg_key_at, abi_cfg_key_at_fn)                                \
    _(xsw_host, cfg_str, abi_cfg_str_fn)                                      \
    _(xsw_host, cfg_keys, abi_cfg_keys_fn)                                    \
    _(xsw_host, cfg_u64, abi_cfg_u64_fn)                                      \
    _(xsw_host, cfg_bool, abi_cfg_bool_fn)                                    \
    _(xsw_host, cfg_string, abi_cfg_string_fn)                                \
    _(xsw_host, cfg_error, abi_cfg_error_fn)                                  \
    _(xsw_host, cfg_dir, abi_cfg_dir_fn)

#define ABI_STRUCTS(_) _(xsw_packet) _(xsw_batch) _(xsw_extension) _(xsw_host)

/* Values compiled into every module: none may change within major 1.
 * (XSW_ABI_MINOR is compared apart: it may only grow.) */
#define ABI_CONSTANTS(_)                                                      \
    _(XSW_ABI_MAJOR)                                                          \
    _(XSW_BATCH_MAX)                                                          \
    _(XSW_OUT_PORTS_MAX)                                                      \
    _(XSW_OFS_NONE)                                                           \
    _(XSW_PORT_NONE)                                                          \
    _(XSW_PKT_F_L2_TRUNC)                                                     \
    _(XSW_PKT_F_TAGS_DEEP)                                                    \
    _(XSW_PKT_F_L3_TRUNC)                                                     \
    _(XSW_PKT_F_L3_BAD)                                                       \
    _(XSW_PKT_F_L4_TRUNC)                                                     \
    _(XSW_PKT_F_IP_FRAG)                                                      \
    _(XSW_PKT_F_IP_LATER)                                                     \
    _(XSW_PKT_F_EXT_DEEP)                                                     \
    _(XSW_PKT_F_PARSE_MASK)                                                   \
    _(XSW_PKT_F_TRACED)                                                       \
    _(XSW_PKT_F_INJECTED)                                                     \
    _(XSW_PKT_F_TAGGED)                                                       \
    _(XSW_TAGS_MAX)                                                           \
    _(XSW_TCP_FIN)                                                            \
    _(XSW_TCP_SYN)                                                            \
    _(XSW_TCP_RST)                                                            \
    _(XSW_TCP_PSH)                                                            \
    _(XSW_TCP_ACK)                                                            \
    _(XSW_TCP_URG)                                                            \
    _(XSW_TCP_ECE)                                                            \
    _(XSW_TCP_CWR)                                                            \
    _(XSW_PASS)                                                               \
    _(XSW_DROP)                                                               \
    _(XSW_FWD_NORMAL)                                                         \
    _(XSW_FWD_PORTS)                                                          \
    _(XSW_FWD_FLOOD)                                                          \
    _(XSW_ROLE_INSPECT)                                                       \
    _(XSW_ROLE_FILTER)                                                        \
    _(XSW_ROLE_FORWARD)                                                       \
    _(XSW_ROLE_FIREWALL)                                                      \
    _(XSW_EXT_F_THREAD_SAFE)                                                  \
    _(XSW_PORT_EV_ADDED)                                                      \
    _(XSW_PORT_EV_REMOVED)                                                    \
    _(XSW_PORT_EV_UP)                                                         \
    _(XSW_PORT_EV_DOWN)                                                       \
    _(XSW_LOG_ERR)                                                            \
    _(XSW_LOG_WARN)                                                           \
    _(XSW_LOG_INFO)                                                           \
    _(XSW_LOG_DEBUG)                                                          \
    _(XSW_INJECT_TX)                                                          \
    _(XSW_INJECT_RX)                                                          \
    _(XSW_CFG_NONE)                                                           \
    _(XSW_CFG_SCALAR)                                                         \
    _(XSW_CFG_SEQ)                                                            \
    _(XSW_CFG_MAP)

struct abi_field {
    const char *strct;  /* "xsw_packet" */
    const char *member; /* "data" */
    uint32_t offset;    /* offsetof() in this build's headers. */
    uint32_t size;      /* sizeof the member. */
};

struct abi_size {
    const char *strct;
    uint32_t size;
};

struct abi_const {
    const char *name;
    uint64_t value;
};

struct abi_layout {
    const char *headers; /* Which headers this table was built from. */
    const struct abi_field *fields;
    uint32_t n_fields;
    const struct abi_size *sizes;
    uint32_t n_sizes;
    const struct abi_const *consts;
    uint32_t n_consts;
    uint32_t abi_minor;
    const char *symbol; /* XSW_EXTENSION_SYMBOL */
};

extern const struct abi_layout abi_layout_v1_0;    /* tests/abi/v1.0 */
extern const struct abi_layout abi_layout_current; /* sdk/include */

#endif
