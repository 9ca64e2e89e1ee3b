/* Flow keys
 * =========
 * A flow is the traffic between two endpoints of one VLAN, in both
 * directions.  For IP the endpoints are (address, port) and the key adds
 * the IP version and protocol; for every other frame they are the two MAC
 * addresses and the key adds the ethertype.
 *
 * Canonical order.  Both directions must find the same record, so the key
 * stores its two endpoints in a fixed order (the smaller address first,
 * then the smaller port) and flow_key_from_packet() says which of the two
 * sent the packet.  Keys are compared with memcmp(): every byte, padding
 * included, is written.
 *
 * Hash.  The table's bucket hash is the parser's pkt->flow_hash, so there
 * is no hashing per packet here.  It is symmetric and covers a subset of
 * this key (core/parse.h: addresses, ports and protocol; MACs and
 * ethertype), which is all a hash needs to be; for that the key leaves out
 * what the parser's hash leaves out:
 *  - ICMP and ICMPv6 have no ports in the key: the parser puts type and code
 *    where ports go, yet an echo request (type 8) and its reply (type 0)
 *    are one conversation.  All ICMP between two hosts is one flow.
 *  - Fragments have no ports either (a later fragment carries none), so
 *    the fragments of a datagram are one flow, apart from the unfragmented
 *    packets of the same 5-tuple.
 * The parser's hash is not keyed: crafted traffic can make long chains.
 *
 * Which frames are IP is also the parser's word: an IP header it refused
 * (bad version, IHL or length, cut short) leaves ip_version 0, and such a
 * frame is keyed like any non-IP frame, by its MACs. */
#ifndef FLOWMON_FLOW_KEY_H
#define FLOWMON_FLOW_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include <xsw/packet.h>

/* What a packet counts as, for the per-protocol counters. */
enum flow_class {
    FLOW_CLASS_TCP,
    FLOW_CLASS_UDP,
    FLOW_CLASS_ICMP,     /* ICMP and ICMPv6. */
    FLOW_CLASS_OTHER_IP, /* Any other IP protocol. */
    FLOW_CLASS_NON_IP,   /* ARP, LLDP, ... and refused IP headers. */
    FLOW_CLASS_RUNT,     /* Shorter than an Ethernet header: no record. */
    FLOW_CLASS_N
};

/* flow_key.kind */
#define FLOW_KIND_ETH 0u  /* Non-IP: addr holds MACs in bytes 0..5. */
#define FLOW_KIND_IPV4 4u /* addr holds IPv4 in bytes 0..3. */
#define FLOW_KIND_IPV6 6u

#define FLOW_IPPROTO_ICMP 1u
#define FLOW_IPPROTO_TCP 6u
#define FLOW_IPPROTO_UDP 17u
#define FLOW_IPPROTO_ICMPV6 58u

struct flow_key {
    uint16_t vlan;       /* Classified VLAN. */
    uint16_t ethertype;  /* Ethertype after the tags. */
    uint8_t kind;        /* FLOW_KIND_*. */
    uint8_t proto;       /* IP protocol; 0 for non-IP. */
    uint16_t reserved;   /* Zero. */
    uint16_t port[2];    /* Per endpoint; 0 when the protocol has none. */
    uint8_t addr[2][16]; /* Per endpoint, network byte order, zero-padded.*/
};

_Static_assert(sizeof(struct flow_key) == 44, "flow_key has no padding");

enum flow_class flow_key_classify(const struct xsw_packet *pkt);

/**
 * flow_key_from_packet - the canonical key of 'pkt''s flow
 * @param class  flow_key_classify(pkt), not FLOW_CLASS_RUNT
 * @param hash   set to the bucket hash of 'key' (pkt->flow_hash)
 * @return the endpoint (0 or 1) of 'key' that sent 'pkt'.
 */
unsigned flow_key_from_packet(const struct xsw_packet *pkt,
                              enum flow_class class, struct flow_key *key,
                              uint32_t *hash);

/** flow_key_has_ports - do the key's ports mean anything (TCP, UDP)? */
bool flow_key_has_ports(const struct flow_key *key);

/** flow_key_cmp - a total order on keys (VLAN first), for stable output. */
int flow_key_cmp(const struct flow_key *a, const struct flow_key *b);

/**
 * flow_addr_format - write endpoint address 'addr' of a 'kind' key
 * @return 'buf' ("10.0.0.1", "2001:db8::1", "00:11:22:33:44:55").
 * 'size' of at least FLOW_ADDR_STRLEN always fits.
 */
#define FLOW_ADDR_STRLEN 46
const char *flow_addr_format(uint8_t kind, const uint8_t addr[16], char *buf,
                             unsigned size);

#endif
