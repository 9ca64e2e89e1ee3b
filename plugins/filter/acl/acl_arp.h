/* ARP responder
 * =============
 * Answers ARP requests for configured IPv4 addresses on the switch's
 * behalf, as a hypervisor switch does for its VMs' gateways: the request
 * never floods the VLAN, and the answer comes from the port it was asked
 * on.  A request qualifies when it is Ethernet/IPv4 (htype 1, ptype
 * 0x0800, hlen 6, plen 4), opcode 1, whole in the frame, not gratuitous
 * (sender and target address differ; an RFC 5227 probe, sender 0.0.0.0,
 * is answered so the prober sees the conflict), and its target address is
 * in the table.
 *
 * The reply copies the request's Ethernet header and VLAN tags (so a
 * tagged request gets a reply tagged the same), is addressed to the
 * requester's source MAC from the configured MAC, and is zero-padded to
 * the 60-byte Ethernet minimum, as a physical switch would send it.
 *
 * The table is sorted by address once in create(); a lookup is a binary
 * search, done only for packets that already are ARP requests. */
#ifndef ACL_ARP_H
#define ACL_ARP_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

#define ACL_ARP_MAX 1024u     /* Entries in one table. */
#define ACL_ARP_FRAME_MIN 60u /* Ethernet minimum without FCS. */
#define ACL_ARP_SIZE 28u      /* An Ethernet/IPv4 ARP message. */

struct acl_arp_entry {
    uint32_t ip;    /* Host byte order. */
    uint8_t mac[6]; /* The answer. */
};

struct acl_arp_table {
    struct acl_arp_entry *entries; /* Owned; sorted by 'ip'. */
    uint32_t n;
};

/** acl_arp_sort - sort the table for acl_arp_lookup() (create() only). */
void acl_arp_sort(struct acl_arp_table *table);

/** acl_arp_lookup - the entry for 'ip' (host order), or NULL. */
const struct acl_arp_entry *acl_arp_lookup(const struct acl_arp_table *table,
                                           uint32_t ip);

/** acl_arp_is_request - is 'pkt' a request the responder may answer? */
bool acl_arp_is_request(const struct xsw_packet *pkt);

/** acl_arp_target - the target protocol address of a request
 *                   (acl_arp_is_request() true), host order. */
uint32_t acl_arp_target(const struct xsw_packet *pkt);

/** acl_arp_reply_size - bytes of the reply to request 'req'. */
uint32_t acl_arp_reply_size(const struct xsw_packet *req);

/**
 * acl_arp_reply_build - write the reply to 'req' from entry 'e'
 * @param out   acl_arp_reply_size(req) bytes; the caller keeps it
 * @return 0, or -ENOSPC when 'size' is too small.
 */
int acl_arp_reply_build(const struct xsw_packet *req,
                        const struct acl_arp_entry *e, uint8_t *out,
                        uint32_t size);

#endif
