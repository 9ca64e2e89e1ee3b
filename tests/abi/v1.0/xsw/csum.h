/* Internet checksum helpers
 * =========================
 * An extension that rewrites a header field updates the checksums covering
 * it incrementally (RFC 1624: HC' = ~(~HC + ~m + m')) instead of summing
 * the whole packet again.  All values are in network byte order as they sit
 * in the frame. */
#ifndef XSW_CSUM_H
#define XSW_CSUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** xsw_csum_add - one's-complement sum of 'size' bytes added to 'sum'. */
static inline uint32_t
xsw_csum_add(uint32_t sum, const uint8_t *p, size_t size)
{
    size_t i;

    for (i = 0; i + 1 < size; i += 2)
        sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    if (size & 1)
        sum += (uint32_t) p[size - 1] << 8;
    return sum;
}

/** xsw_csum_fold - fold a 32-bit sum to the 16-bit checksum value. */
static inline uint16_t
xsw_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

/**
 * xsw_csum_update16 - the checksum 'csum' after a 16-bit word of the
 *                     covered data changed from 'old' to 'new_'
 * All three are host-order values of the big-endian fields.
 */
static inline uint16_t
xsw_csum_update16(uint16_t csum, uint16_t old, uint16_t new_)
{
    uint32_t sum = (uint16_t) ~csum;

    sum += (uint16_t) ~old;
    sum += new_;
    return xsw_csum_fold(sum);
}

#ifdef __cplusplus
}
#endif
#endif
