/* Connection tuples
 * =================
 * A connection is named by the tuple of its first packet: addresses, ports,
 * protocol and VLAN.  The reply direction is the same tuple with both ends
 * swapped, so one table entry serves both directions and the hash is
 * symmetric: fw_tuple_hash(t) == fw_tuple_hash(reverse(t)).
 *
 * What 'sport' and 'dport' hold depends on the protocol:
 *   TCP, UDP       the L4 ports;
 *   ICMP queries   the identifier at both ends, and 'icmp_req' names the
 *                  request type (ICMP echo 8, timestamp 13..., ICMPv6 echo
 *                  128), so that a reply (type 0) finds its request;
 *   anything else  zero: ESP, AH, GRE... are tracked by address pair.
 *
 * An ICMP query's ends are told apart by what they send, not by ports:
 * 'icmp_reply' is 0 for a request and 1 for a reply, and reversing the
 * tuple flips it (as Linux conntrack does).  So A's echo request to B and
 * B's echo request to A with the same identifier (Windows always uses 1)
 * are two connections, and neither is the other's reply direction.  The
 * flag is left out of the hash: both directions still hash alike.
 *
 * The VLAN is part of the key, as a conntrack zone: two VLANs may reuse the
 * same addresses.  The struct has no implicit padding, so tuples compare
 * with memcmp() (build them zeroed). */
#ifndef FW_TUPLE_H
#define FW_TUPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fw_tuple {
    uint8_t src[16];    /* Source address; IPv4 in the first 4 bytes. */
    uint8_t dst[16];    /* Destination address. */
    uint16_t sport;     /* See above. */
    uint16_t dport;     /* See above. */
    uint16_t vlan;      /* Classified VLAN. */
    uint8_t proto;      /* IP protocol number. */
    uint8_t family;     /* 4 or 6. */
    uint8_t icmp_req;   /* ICMP query: the request's type; else 0. */
    uint8_t icmp_reply; /* ICMP query: 1 in the reply direction; else 0. */
    uint8_t pad[2];     /* Zero. */
};

_Static_assert(sizeof(struct fw_tuple) == 44, "fw_tuple has no padding");
_Static_assert(offsetof(struct fw_tuple, vlan) == 36,
               "the fields after the ends are the last 8 bytes");

/** fw_tuple_reverse - 'out' is 'in' seen from the other end ('out' may
 *                     be 'in'). */
void fw_tuple_reverse(struct fw_tuple *out, const struct fw_tuple *in);

/** fw_tuple_hash - symmetric hash of 't' salted with 'seed'. */
uint32_t fw_tuple_hash(const struct fw_tuple *t, uint32_t seed);

/* Tuples compare as machine words (the lookup's inner loop; memcmp() is
 * a call for this size). */
static inline uint64_t
fw_tuple_ld64_(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

/** fw_tuple_equal - do 'a' and 'b' name the same direction of a flow? */
static inline bool
fw_tuple_equal(const struct fw_tuple *a, const struct fw_tuple *b)
{
    const uint8_t *x = (const uint8_t *) a, *y = (const uint8_t *) b;
    uint32_t tail_a, tail_b;
    uint64_t d = 0;
    int i;

    for (i = 0; i < 40; i += 8)
        d |= fw_tuple_ld64_(x + i) ^ fw_tuple_ld64_(y + i);
    memcpy(&tail_a, x + 40, 4);
    memcpy(&tail_b, y + 40, 4);
    return (d | (tail_a ^ tail_b)) == 0;
}

/* The bits of the last 8 bytes that differ between a tuple and its
 * reverse: icmp_reply's lowest, for an ICMP query. */
static inline uint64_t
fw_tuple_reply_flip_(const struct fw_tuple *t)
{
    struct fw_tuple flip;

    memset(&flip, 0, sizeof flip);
    flip.icmp_reply = t->icmp_req != 0;
    return fw_tuple_ld64_(&flip.vlan);
}

/** fw_tuple_is_reverse - is 'a' the reverse of 'b' (the other direction of
 *                        the same flow)? */
static inline bool
fw_tuple_is_reverse(const struct fw_tuple *a, const struct fw_tuple *b)
{
    uint64_t d = 0;

    d |= fw_tuple_ld64_(a->src) ^ fw_tuple_ld64_(b->dst);
    d |= fw_tuple_ld64_(a->src + 8) ^ fw_tuple_ld64_(b->dst + 8);
    d |= fw_tuple_ld64_(a->dst) ^ fw_tuple_ld64_(b->src);
    d |= fw_tuple_ld64_(a->dst + 8) ^ fw_tuple_ld64_(b->src + 8);
    d |= (uint64_t) (a->sport ^ b->dport) | (uint64_t) (a->dport ^ b->sport);
    /* vlan, proto, family, icmp_req and pad: the same both ways;
     * icmp_reply flipped for a query. */
    d |= fw_tuple_ld64_(&a->vlan) ^ fw_tuple_ld64_(&b->vlan) ^
         fw_tuple_reply_flip_(a);
    return d == 0;
}

/**
 * fw_tuple_format - "tcp 10.0.0.1:1000 > 10.0.0.2:80" into 'buf'
 * @return 'buf'.  For logs; FW_TUPLE_FMT_SIZE bytes always suffice.
 */
#define FW_TUPLE_FMT_SIZE 160
char *fw_tuple_format(const struct fw_tuple *t, char *buf, size_t size);

#endif
