/* The firewall's state blob
 * =========================
 * What the save and restore hooks exchange when the core replaces an
 * instance (a reload with a new 'config:'): every decided connection of
 * the table with its TCP state, whether a reply was seen, the port a
 * to_port rule bound it to, and how long it has been idle.  The new
 * instance's rules are not applied to them: established connections keep
 * going until they end or time out, as with Linux conntrack (see "State
 * across reload" in docs/extensions/firewall.md for the reasons).
 *
 * Format (all fields little-endian, whatever the host):
 *
 *   header, FW_STATE_HEADER_SIZE bytes
 *     0  u32 magic        FW_STATE_MAGIC (the bytes "FWCT")
 *     4  u16 version      FW_STATE_VERSION
 *     6  u16 header_size  FW_STATE_HEADER_SIZE
 *     8  u32 record_size  FW_STATE_RECORD_SIZE
 *    12  u32 count        records that follow
 *    16  u64 saved_ns     switch clock at the save (informational)
 *    24  u32 left_out     pending connections the save left out
 *    28  u32 reserved     zero
 *   'count' records, FW_STATE_RECORD_SIZE bytes each, oldest use first
 *     0  u8[16] src, 16 u8[16] dst   the originator's addresses
 *    32  u16 sport, 34 u16 dport     as in fw-tuple.h
 *    36  u16 vlan, 38 u8 proto, 39 u8 family, 40 u8 icmp_req
 *    41  u8 class                    enum ct_class
 *    42  u8 replied                  0 or 1
 *    43  u8 tcp_state, 44 u8 fin_sent, 45 u8 fin_acked (TCP; else 0)
 *    46  u16 out_port                XSW_PORT_NONE: not bound to a port
 *    48  u64 idle_ns                 switch clock since its last packet
 *    56  u32 syn_end, 60 u32 fin_end[orig], 64 u32 fin_end[reply]
 *    68  u32 reserved                zero
 *
 * Times are idle durations, not clock readings, so a blob means the same
 * to an instance whatever its clock.  Records run from the longest idle
 * to the most recently used: restoring them in that order keeps every
 * timeout class's list in order of last use, which expiry relies on
 * (conntrack.h).
 *
 * Pure logic on the table; the firewall reports errors through its host. */
#ifndef FW_STATE_H
#define FW_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "conntrack.h"

#define FW_STATE_MAGIC 0x54435746u /* "FWCT" read little-endian. */
#define FW_STATE_VERSION 1u
#define FW_STATE_HEADER_SIZE 32u
#define FW_STATE_RECORD_SIZE 72u

/* What a save or a restore did with the connections. */
struct fw_state_report {
    uint32_t saved;    /* Save: records written. */
    uint32_t pending;  /* Save: undecided connections left out. */
    uint32_t restored; /* Restore: entries now in the table. */
    uint32_t expired;  /* Restore: idle past the new timeout of their
                        * class, left out. */
    uint32_t no_room;  /* Restore: left out because the table is smaller;
                        * the longest idle go first. */
};

/**
 * fw_state_save - serialise every decided connection of 'ct'
 * @param now_ns  the switch clock, for the idle times
 * @param blob    set to a malloc()ed buffer of '*size' bytes
 * @return 0, or -ENOMEM.
 */
int fw_state_save(const struct conntrack *ct, uint64_t now_ns, uint8_t **blob,
                  uint64_t *size, struct fw_state_report *rep);

/**
 * fw_state_restore - fill the empty table 'ct' from a blob of
 *                    fw_state_save()
 * @param now_ns  the switch clock: an entry idle for d is given last use
 *                now_ns - d
 * @param why     on failure, the reason (for host->error())
 * @return 0, or a negative errno with 'why' set, the table left empty:
 *         -EINVAL (a malformed blob or record), -ENOTSUP (another format
 *         version), -EBUSY (the table is not empty).  Nothing in the blob is
 *         trusted: every size, count and field is checked before use.
 */
int fw_state_restore(struct conntrack *ct, const uint8_t *blob, uint64_t size,
                     uint64_t now_ns, struct fw_state_report *rep, char *why,
                     size_t why_size);

#endif
