/* num_scan: num_parse's path for the usual decimal, inline for the readers
 * of many numbers (confmap, logfit): [-]I.F with 1 to 7 digits I and 1 to 8
 * digits F, at least 8 bytes in all (a distance as pairdist prints it:
 * 0.584285, 10.088993).  The fraction's digits are read eight at once
 * (SWAR).  Inline, because the call was 7% of confmap's time.  The same
 * double as num_parse's other paths: Clinger's fast path on the same m and
 * exponent, one correctly rounded division. */
#ifndef NUM_SCAN_H
#define NUM_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stream/num.h"

extern const double num_pow10_exact[23]; /* 1e0 .. 1e22 */
extern const uint64_t num_pow10_u64[9];  /* 1 .. 10^8 */

/* Eight ASCII digits, the first in the lowest byte, as a number below
 * 10^8; or a number of 2^32 or more when a byte is not a digit.  (Three
 * multiplications for eight digits, after fast_float.) */
static inline uint64_t num_eight_digits(uint64_t w)
{
    /* every byte '0'..'9': each byte of d at most 9, so neither it nor it
     * plus 0x76 has its high bit set (the first byte that is not a digit
     * either borrows, and has its high bit set, or is 10 or more with no
     * carry into it) */
    uint64_t d = w - 0x3030303030303030ULL;
    if ((d | (d + 0x7676767676767676ULL)) & 0x8080808080808080ULL)
        return UINT64_MAX;
    d = d * 10 + (d >> 8); /* pairs of digits, in every other byte */
    return ((d & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
            ((d >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
           32;
}

/* p[0..n) when it is the usual decimal above: 1 with *out set, else 0
 * (num_parse decides).  Reads only p[0..n). */
static inline int num_scan_usual(const char *p, size_t n, double *res)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n < 8)
        return 0;
    size_t s = p[0] == '-', k = s;
    uint64_t ip = 0;
    /* the integer digits, up to the point (k <= 7 < n in the loop) */
    for (; k - s < 7; k++) {
        unsigned d = (unsigned)(unsigned char)p[k] - '0';
        if (d > 9)
            break;
        ip = ip * 10 + d;
    }
    /* the fraction's digits, if p[k] is the point: 1 to 8 (k == n, past
     * the field, wraps to more) */
    size_t f = n - k - 1;
    if (f - 1 > 7 || k == s || p[k] != '.')
        return 0;
    uint64_t fw;
    memcpy(&fw, p + n - 8, 8); /* within the field: n >= 8 */
    uint64_t low = ((uint64_t)1 << 8 * (8 - f)) - 1; /* the bytes before */
    uint64_t fp = num_eight_digits((fw & ~low) | (0x3030303030303030ULL & low));
    if (fp >> 32)
        return 0;
    /* below 10^7 * 10^8 + 10^8 < 2^53: exact, as is 10^f */
    double v = (double)(ip * num_pow10_u64[f] + fp) / num_pow10_exact[f];
    *res = s ? -v : v;
    return 1;
#else
    (void)p, (void)n, (void)res;
    return 0;
#endif
}

/* num_parse, inline for the usual decimal. */
static inline const char *num_parse_inline(const char *p, size_t n, double *res)
{
    return num_scan_usual(p, n, res) ? NULL : num_parse(p, n, res);
}

#endif
