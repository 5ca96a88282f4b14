/* num_fields: a column of fields parsed at once.  See num_fields.h. */
#include "stream/num_fields.h"
#include "stream/num.h"
#include "stream/num_scan.h"

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define FIELDS_X86 1

/* vpshufb's control for a field with its point at byte k (1..7) and f
 * digits after it (1..8), over the field's bytes less '0': bytes 0..7 the
 * integer digits I, right-aligned, bytes 8..15 the fraction's F,
 * left-aligned, the rest 0 (a control byte with its high bit set).  Read
 * as two numbers of eight digits, the field is (I 10^8 + F 10^(8-f)) /
 * 10^8: the same rational as (I 10^f + F) / 10^f, so one correctly
 * rounded division gives num_parse's double (Clinger's fast path on the
 * other numerator and power: both exact, below 10^15 < 2^53). */
#define SRC(k, f, j)                                                                           \
    ((j) < 8 ? ((k) - 8 + (j) >= 0 ? (k) - 8 + (j) : -128)                                     \
             : ((j) - 8 < (f) ? (k) + (j) - 7 : -128))
#define CTL(k, f)                                                                              \
    {SRC(k, f, 0),  SRC(k, f, 1),  SRC(k, f, 2),  SRC(k, f, 3),                                \
     SRC(k, f, 4),  SRC(k, f, 5),  SRC(k, f, 6),  SRC(k, f, 7),                                \
     SRC(k, f, 8),  SRC(k, f, 9),  SRC(k, f, 10), SRC(k, f, 11),                               \
     SRC(k, f, 12), SRC(k, f, 13), SRC(k, f, 14), SRC(k, f, 15)}
#define CTLS(k)                                                                                \
    {CTL(k, 0), CTL(k, 1), CTL(k, 2), CTL(k, 3), CTL(k, 4),                                    \
     CTL(k, 5), CTL(k, 6), CTL(k, 7), CTL(k, 8)}
static const int8_t shuffle[8][9][16] = {CTLS(0), CTLS(1), CTLS(2), CTLS(3),
                                         CTLS(4), CTLS(5), CTLS(6), CTLS(7)};
#undef CTLS
#undef CTL
#undef SRC

/* The usual decimal's point k and fraction digits f of a field of n bytes
 * whose bytes' masks (bit i: byte i) of points and digits are dot and
 * digit: 1, or 0 for a field num_parse must read. */
static inline int usual(unsigned dot, unsigned digit, size_t n, unsigned *k, unsigned *f)
{
    unsigned all = (1u << n) - 1; /* n <= 16 */
    dot &= all; /* (past the field: the next one's text) */
    *k = (unsigned)__builtin_ctz(dot | 0x10000);
    *f = (unsigned)n - *k - 1;
    return (dot & (dot - 1)) == 0 && *k - 1 < 7 && *f - 1 < 8 && ((dot | digit) & all) == all;
}

/* Two fields, 16 bytes from each one's start in x's halves, with their
 * controls: I 10^8 + F in 64-bit lanes 0 and 2. */
__attribute__((target("avx2"))) static inline __m256i two_fields(__m256i x, __m256i ctl)
{
    __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8('0'));
    d = _mm256_shuffle_epi8(d, ctl);
    __m256i t = _mm256_maddubs_epi16(d, _mm256_set1_epi16(0x010A));
    t = _mm256_madd_epi16(t, _mm256_set1_epi32(0x00010064));
    t = _mm256_packus_epi32(t, t);
    t = _mm256_madd_epi16(t, _mm256_set1_epi32(0x00012710)); /* [I, F, I, F] */
    return _mm256_add_epi64(_mm256_mul_epu32(t, _mm256_set1_epi64x(100000000)),
                            _mm256_srli_epi64(t, 32));
}

/* The first fields, four at a time, up to the first group with a field
 * it does not take (too short or long, too near end, not the usual
 * decimal): returns how many it did, a multiple of 4. */
__attribute__((target("avx2"))) static size_t fields_avx2(const tsv_field *f, size_t n,
                                                          const char *end, double *v)
{
    const __m256i point = _mm256_set1_epi8('.'), zero = _mm256_set1_epi8('0'),
                  nine = _mm256_set1_epi8(9);
    const __m256d magic = _mm256_set1_pd(0x1p52), e8 = _mm256_set1_pd(1e8);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const tsv_field *g = f + i;
        if ((g[0].n - 3 > 13) | (g[1].n - 3 > 13) | (g[2].n - 3 > 13) | (g[3].n - 3 > 13) ||
            end - g[0].p < 16 || end - g[1].p < 16 || end - g[2].p < 16 || end - g[3].p < 16)
            break;
        __m256i x01 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)g[0].p)),
            _mm_loadu_si128((const __m128i *)g[1].p), 1);
        __m256i x23 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)g[2].p)),
            _mm_loadu_si128((const __m128i *)g[3].p), 1);
        uint32_t dot01 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x01, point)),
                 dot23 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x23, point));
        __m256i d01 = _mm256_sub_epi8(x01, zero), d23 = _mm256_sub_epi8(x23, zero);
        uint32_t dig01 = (uint32_t)_mm256_movemask_epi8(
                     _mm256_cmpeq_epi8(_mm256_min_epu8(d01, nine), d01)),
                 dig23 = (uint32_t)_mm256_movemask_epi8(
                     _mm256_cmpeq_epi8(_mm256_min_epu8(d23, nine), d23));
        unsigned k0, f0, k1, f1, k2, f2, k3, f3;
        int ok = usual(dot01 & 0xFFFF, dig01 & 0xFFFF, g[0].n, &k0, &f0) &
                 usual(dot01 >> 16, dig01 >> 16, g[1].n, &k1, &f1) &
                 usual(dot23 & 0xFFFF, dig23 & 0xFFFF, g[2].n, &k2, &f2) &
                 usual(dot23 >> 16, dig23 >> 16, g[3].n, &k3, &f3);
        if (!ok)
            break;
        __m256i c01 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)shuffle[k0][f0])),
            _mm_loadu_si128((const __m128i *)shuffle[k1][f1]), 1);
        __m256i c23 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)shuffle[k2][f2])),
            _mm_loadu_si128((const __m128i *)shuffle[k3][f3]), 1);
        __m256i m01 = two_fields(x01, c01), m23 = two_fields(x23, c23);
        /* [m0, m2, m1, m3] -> [m0, m1, m2, m3]; below 10^15 < 2^52: as a
         * double by the exponent of 2^52 (exact), then over 10^8 */
        __m256i m = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(m01, m23), 0xD8);
        __m256d x = _mm256_sub_pd(
            _mm256_castsi256_pd(_mm256_or_si256(m, _mm256_castpd_si256(magic))), magic);
        _mm256_storeu_pd(v + i, _mm256_div_pd(x, e8));
    }
    return i;
}
#endif

size_t num_parse_fields(const tsv_field *f, size_t n, const char *end, double *v,
                        const char **why)
{
    size_t i = 0;
#ifdef FIELDS_X86
    int avx2 = __builtin_cpu_supports("avx2");
#else
    int avx2 = 0;
#endif
    while (i < n) {
#ifdef FIELDS_X86
        if (avx2)
            i += fields_avx2(f + i, n - i, end, v + i);
#endif
        /* a group it did not take (or all of them): field by field */
        size_t stop = avx2 && n - i > 4 ? i + 4 : n;
        for (; i < stop; i++)
            if ((*why = num_parse_inline(f[i].p, f[i].n, &v[i])) != NULL)
                return i;
    }
    return n;
}
