/* num_fields: a column of fields parsed at once.  See num_fields.h. */
#include "stream/num_fields.h"
#include "stream/num.h"
#include "stream/num_scan.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define FIELDS_X86 1

/* vpshufb's control for a field with its point at byte k (1..7), over the
 * field's bytes less '0' (0 past its end): bytes 0..7 the integer digits
 * I, right-aligned, bytes 8..15 the eight bytes after the point: the
 * fraction's f digits F, left-aligned, then zeros.  Read as two numbers of
 * eight digits, the field is (I 10^8 + F 10^(8-f)) / 10^8: the same
 * rational as (I 10^f + F) / 10^f, so one correctly rounded division gives
 * num_parse's double (Clinger's fast path on the other numerator and
 * power: both exact, below 10^15 < 2^53). */
#define SRC(k, j) ((j) < 8 ? ((k) - 8 + (j) >= 0 ? (k) - 8 + (j) : -128) : (k) + (j) - 7)
#define CTL(k)                                                                                 \
    {SRC(k, 0),  SRC(k, 1),  SRC(k, 2),  SRC(k, 3),  SRC(k, 4),  SRC(k, 5),                    \
     SRC(k, 6),  SRC(k, 7),  SRC(k, 8),  SRC(k, 9),  SRC(k, 10), SRC(k, 11),                   \
     SRC(k, 12), SRC(k, 13), SRC(k, 14), SRC(k, 15)}
static const int8_t shuffle[8][16] = {CTL(0), CTL(1), CTL(2), CTL(3),
                                      CTL(4), CTL(5), CTL(6), CTL(7)};
#undef CTL
#undef SRC

/* Two fields, x holding 16 bytes from each one's start in its half, nb
 * each's length (at most 16) in every byte of its half: their bytes less
 * '0', 0 past the field's end; *points the byte masks of their points (bit
 * i of half h: byte i of field h), *wrong those of bytes that are neither
 * a digit nor a point where the usual decimal may have one: bytes 1..7,
 * with 1 to 8 after it. */
__attribute__((target("avx2"))) static inline __m256i two_digits(__m256i x, __m256i nb,
                                                                 uint32_t *points,
                                                                 uint32_t *wrong)
{
    /* (inner: bytes 1..7 of each half) */
    const __m256i iota = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                          0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                  inner = _mm256_setr_epi64x(0xFFFFFFFFFFFFFF00, 0, 0xFFFFFFFFFFFFFF00, 0);
    __m256i in = _mm256_cmpgt_epi8(nb, iota);
    __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8('0'));
    __m256i digit = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
    __m256i point = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('.')), in);
    __m256i may = _mm256_and_si256(
        inner, _mm256_and_si256(
                   _mm256_cmpgt_epi8(iota, _mm256_sub_epi8(nb, _mm256_set1_epi8(10))),
                   _mm256_cmpgt_epi8(_mm256_sub_epi8(nb, _mm256_set1_epi8(1)), iota)));
    *points = (uint32_t)_mm256_movemask_epi8(point);
    *wrong = (uint32_t)_mm256_movemask_epi8(
        _mm256_andnot_si256(_mm256_or_si256(digit, _mm256_and_si256(point, may)), in));
    return _mm256_and_si256(d, in);
}

/* Two fields' digits d (two_digits) with their controls: I 10^8 + F in
 * 64-bit lanes 0 and 2. */
__attribute__((target("avx2"))) static inline __m256i two_fields(__m256i d, __m256i ctl)
{
    d = _mm256_shuffle_epi8(d, ctl);
    __m256i t = _mm256_maddubs_epi16(d, _mm256_set1_epi16(0x010A));
    t = _mm256_madd_epi16(t, _mm256_set1_epi32(0x00010064));
    t = _mm256_packus_epi32(t, t);
    t = _mm256_madd_epi16(t, _mm256_set1_epi32(0x00012710)); /* [I, F, I, F] */
    return _mm256_add_epi64(_mm256_mul_epu32(t, _mm256_set1_epi64x(100000000)),
                            _mm256_srli_epi64(t, 32));
}

/* Whether the point masks of two fields (two_digits' *points) hold one
 * point each. */
__attribute__((target("popcnt"))) static inline int one_point_each(uint32_t points)
{
    return __builtin_popcount(points) == 2 && (points & 0xFFFF) && (points >> 16);
}

/* Fields g[0], g[1] (their 32 bytes: p, n, p, n) too short or long, or too
 * near end: a mask not 0. */
_Static_assert(sizeof(tsv_field) == 16 && offsetof(tsv_field, n) == 8 &&
                   sizeof(size_t) == 8 && sizeof(const char *) == 8,
               "two_out reads a tsv_field as a pointer then a length, 8 bytes each");
__attribute__((target("avx2"))) static inline int two_out(const tsv_field *g, __m256i hi,
                                                          __m256i lo, __m256i *nb)
{
    __m256i pn = _mm256_loadu_si256((const __m256i *)(const void *)g);
    *nb = _mm256_shuffle_epi8(pn, _mm256_set1_epi8(8)); /* n's low byte, in its half */
    return _mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpgt_epi64(pn, hi), _mm256_cmpgt_epi64(lo, pn)));
}

/* The first fields, four at a time, up to the first group with a field
 * it does not take (too short or long, too near end, not the usual
 * decimal): returns how many it did, a multiple of 4. */
__attribute__((target("avx2,popcnt"))) static size_t fields_avx2(const tsv_field *f, size_t n,
                                                                 const char *end, double *v)
{
    /* p at most end - 16, 3 <= n <= 16 (pointers and lengths below 2^63;
     * end - 16 as a number: it may lie before the text) */
    const int64_t last = (int64_t)(intptr_t)end - 16;
    const __m256i hi = _mm256_setr_epi64x(last, 16, last, 16),
                  lo = _mm256_setr_epi64x(INT64_MIN, 3, INT64_MIN, 3);
    const __m256d magic = _mm256_set1_pd(0x1p52), e8 = _mm256_set1_pd(1e8);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const tsv_field *g = f + i;
        __m256i nb01, nb23;
        if (two_out(g, hi, lo, &nb01) | two_out(g + 2, hi, lo, &nb23))
            break;
        __m256i x01 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)g[0].p)),
            _mm_loadu_si128((const __m128i *)(const void *)g[1].p), 1);
        __m256i x23 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)g[2].p)),
            _mm_loadu_si128((const __m128i *)(const void *)g[3].p), 1);
        uint32_t p01, w01, p23, w23;
        __m256i d01 = two_digits(x01, nb01, &p01, &w01),
                d23 = two_digits(x23, nb23, &p23, &w23);
        if ((w01 | w23) || !one_point_each(p01) || !one_point_each(p23))
            break;
        __m256i c01 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(
                _mm_loadu_si128((const __m128i *)(const void *)shuffle[__builtin_ctz(p01)])),
            _mm_loadu_si128((const __m128i *)(const void *)shuffle[__builtin_ctz(p01 >> 16)]),
            1);
        __m256i c23 = _mm256_inserti128_si256(
            _mm256_castsi128_si256(
                _mm_loadu_si128((const __m128i *)(const void *)shuffle[__builtin_ctz(p23)])),
            _mm_loadu_si128((const __m128i *)(const void *)shuffle[__builtin_ctz(p23 >> 16)]),
            1);
        __m256i m01 = two_fields(d01, c01), m23 = two_fields(d23, c23);
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
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
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
