#include "acl_arp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ACL_ETH_ARP 0x0806u
#define ACL_ARP_REQUEST 1u
#define ACL_ARP_REPLY 2u

static int acl_arp_cmp(const void *a, const void *b);
static uint32_t acl_rd32(const uint8_t *p);
static void acl_wr32(uint8_t *p, uint32_t v);

void
acl_arp_sort(struct acl_arp_table *table)
{
    if (table->n > 1)
        qsort(table->entries, table->n, sizeof table->entries[0], acl_arp_cmp);
}

const struct acl_arp_entry *
acl_arp_lookup(const struct acl_arp_table *table, uint32_t ip)
{
    uint32_t lo = 0, hi = table->n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct acl_arp_entry *e = &table->entries[mid];

        if (e->ip == ip)
            return e;
        if (e->ip < ip)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool
acl_arp_is_request(const struct xsw_packet *pkt)
{
    const uint8_t *arp;

    if (pkt->ethertype != ACL_ETH_ARP || pkt->l3_ofs == XSW_OFS_NONE ||
        (uint32_t) pkt->l3_ofs + ACL_ARP_SIZE > pkt->size)
        return false;
    arp = pkt->data + pkt->l3_ofs;
    return xsw_rd16(arp) == 1 && xsw_rd16(arp + 2) == 0x0800 && arp[4] == 6 &&
           arp[5] == 4 && xsw_rd16(arp + 6) == ACL_ARP_REQUEST &&
           acl_rd32(arp + 14) != acl_rd32(arp + 24);
}

uint32_t
acl_arp_target(const struct xsw_packet *pkt)
{
    return acl_rd32(pkt->data + pkt->l3_ofs + 24);
}

uint32_t
acl_arp_reply_size(const struct xsw_packet *req)
{
    uint32_t size = (uint32_t) req->l3_ofs + ACL_ARP_SIZE;

    return size < ACL_ARP_FRAME_MIN ? ACL_ARP_FRAME_MIN : size;
}

int
acl_arp_reply_build(const struct xsw_packet *req,
                    const struct acl_arp_entry *e, uint8_t *out, uint32_t size)
{
    const uint8_t *rq = req->data + req->l3_ofs;
    uint8_t *arp = out + req->l3_ofs;

    if (size < acl_arp_reply_size(req))
        return -ENOSPC;
    memset(out, 0, size);
    /* Ethernet header and tags as in the request, addresses turned. */
    memcpy(out, req->data + 6, 6);
    memcpy(out + 6, e->mac, 6);
    memcpy(out + 12, req->data + 12, (size_t) req->l3_ofs - 12);
    xsw_wr16(arp, 1);
    xsw_wr16(arp + 2, 0x0800);
    arp[4] = 6;
    arp[5] = 4;
    xsw_wr16(arp + 6, ACL_ARP_REPLY);
    memcpy(arp + 8, e->mac, 6);
    acl_wr32(arp + 14, e->ip);
    memcpy(arp + 18, rq + 8, 10); /* Requester's SHA and SPA. */
    return 0;
}

static int
acl_arp_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct acl_arp_entry *) a)->ip;
    uint32_t y = ((const struct acl_arp_entry *) b)->ip;

    return (x > y) - (x < y);
}

static uint32_t
acl_rd32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
           (uint32_t) p[2] << 8 | p[3];
}

static void
acl_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 24);
    p[1] = (uint8_t) (v >> 16);
    p[2] = (uint8_t) (v >> 8);
    p[3] = (uint8_t) v;
}
