/* num_fixed: the fixed-decimal printer of num_fmt_fixed (num.h), inline
 * for the writers of many numbers (confmap, pairdist): where the precision
 * is a constant the compiler specialises it.
 *
 * In two steps: the length of x's text and its digits as an integer q (0:
 * printf must write it, num_fmt_fixed then); then the text of q, n bytes,
 * from dst (which holds NUM_FMT_MAX bytes: those past n are scratch).
 * Apart, the lengths of many numbers are found at once, instead of each
 * waiting for the one before it. */
#ifndef NUM_FIXED_H
#define NUM_FIXED_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stream/num.h"

extern const double num_pow10_exact[23]; /* 1e0 .. 1e22 */
extern const char num_digit_pairs[201];  /* "00" to "99" */

/* |x| rounded to prec decimals, as an integer q (|x| ~ q / 10^prec), when
 * one double operation decides it exactly: 1 with *q set, else 0 (printf's
 * job). */
static inline int num_fixed_fast(double x, int prec, uint64_t *q)
{
    double ax = fabs(x);
    if (prec > 15 || !(ax < 1e15))
        return 0;
    double y = ax * num_pow10_exact[prec];
    if (!(y < 4503599627370496.0)) /* 2^52: y - floor(y) is exact */
        return 0;
    /* floor(y), for 0 <= y < 2^52: the truncation is exact (and two
     * instructions, where floor() without SSE4.1 is twenty) */
    int64_t t = (int64_t)y;
    double r = (double)t, frac = y - r;
    /* y carries at most half an ulp of error; near .5 the rounding
     * direction is uncertain, so leave it to printf. */
    if (!(fabs(frac - 0.5) > y * 0x1p-51 + 0x1p-60))
        return 0;
    *q = (uint64_t)t + (frac > 0.5);
    return 1;
}

/* The decimal digits of q (0 for 0). */
static inline size_t num_decimal_digits(uint64_t q)
{
    static const uint64_t pow10[20] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL,
                                       10000000000000000000ULL};
    /* bits * log10(2), then one comparison */
    unsigned t = (unsigned)(64 - __builtin_clzll(q | 1)) * 1233 >> 12;
    return t + (q >= pow10[t]);
}

static inline int num_clamp_prec(int prec)
{
    return prec < 0 ? 0 : prec > NUM_PREC_MAX ? NUM_PREC_MAX : prec;
}

/* The length of digits q's text at prec decimals (0 to NUM_PREC_MAX),
 * with a '-' if neg: at least one integer digit. */
static inline size_t num_fixed_text_len(uint64_t q, int prec, int neg)
{
    size_t nd = num_decimal_digits(q), ni = nd > (size_t)prec ? nd - (size_t)prec : 1;
    return (size_t)(neg != 0) + ni + (prec > 0) + (size_t)prec;
}

static inline size_t num_fixed_len(double x, int prec, uint64_t *q)
{
    prec = num_clamp_prec(prec);
    if (!num_fixed_fast(x, prec, q))
        return 0;
    return num_fixed_text_len(*q, prec, signbit(x) != 0);
}

/* num_fixed_len of n numbers x[i * s], into len[i * s] and q[i * s]: the
 * same lengths and digits, four at a time with AVX2 where the CPU has it
 * and the precision is at most 9 (a writer's column of numbers). */
void num_fixed_lens(const double *x, size_t s, int prec, uint64_t *q, uint8_t *len, size_t n);

/* num_fixed_lens of n numbers one after another, and more: where a
 * number's text fits 8 bytes (no sign, at most 7 digits; prec <= 6), q[i]
 * holds the text itself, its first len[i] & ~NUM_FIXED_TEXT bytes (those
 * after it scratch), and len[i] has NUM_FIXED_TEXT set: a writer copies 8
 * bytes (confmap's columns). */
#define NUM_FIXED_TEXT 0x80
void num_fixed_texts(const double *x, int prec, uint64_t *q, uint8_t *len, size_t n);

/* q / 10^prec, and the remainder: by constants, which the compiler turns
 * into multiplications (a division by a variable is ten times slower). */
static inline uint64_t num_div_pow10(uint64_t q, int prec, uint64_t *rem)
{
    uint64_t d;
    switch (prec) {
#define DIV_CASE(k, p10)                                                                       \
    case k:                                                                                    \
        d = q / (p10);                                                                         \
        *rem = q - d * (p10);                                                                  \
        return d;
        DIV_CASE(1, 10U)
        DIV_CASE(2, 100U)
        DIV_CASE(3, 1000U)
        DIV_CASE(4, 10000U)
        DIV_CASE(5, 100000U)
        DIV_CASE(6, 1000000U)
        DIV_CASE(7, 10000000U)
        DIV_CASE(8, 100000000U)
#undef DIV_CASE
    case 0:
        *rem = 0;
        return q;
    default:
        d = q / (uint64_t)num_pow10_exact[prec];
        *rem = q - d * (uint64_t)num_pow10_exact[prec];
        return d;
    }
}

static inline void num_fixed_put(char *dst, size_t n, uint64_t q, int prec, int neg)
{
    prec = num_clamp_prec(prec);
    uint64_t frac, ip = num_div_pow10(q, prec, &frac);
    size_t s = neg != 0, ni = n - s - (prec > 0) - (size_t)prec;
    if (s)
        dst[0] = '-';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (ip < 100) {
        /* The integer part as two digits, a leading zero shifted out,
         * stored at once: no branch on its length, which the data picks
         * (the byte past it is scratch, written over below). */
        uint16_t w;
        memcpy(&w, num_digit_pairs + 2 * ip, 2);
        w = (uint16_t)(w >> 8 * (2 - ni));
        memcpy(dst + s, &w, 2);
    } else if (ip < 10000) { /* the same with four */
        char t[4];
        uint32_t w;
        memcpy(t, num_digit_pairs + 2 * (ip / 100), 2);
        memcpy(t + 2, num_digit_pairs + 2 * (ip % 100), 2);
        memcpy(&w, t, 4);
        w >>= 8 * (4 - ni);
        memcpy(dst + s, &w, 4);
    } else
#endif
    {
        char *e = dst + s + ni;
        for (; ni >= 2; ni -= 2) {
            e -= 2;
            memcpy(e, num_digit_pairs + 2 * (ip % 100), 2);
            ip /= 100;
        }
        if (ni)
            *--e = (char)('0' + ip % 10);
    }
    /* the decimals, right to left, two a step */
    char *e = dst + n;
    int k = prec;
    for (; k >= 2; k -= 2) {
        e -= 2;
        memcpy(e, num_digit_pairs + 2 * (frac % 100), 2);
        frac /= 100;
    }
    if (k)
        *--e = (char)('0' + frac);
    if (prec > 0)
        *--e = '.';
}


/* num_fmt_fixed, inline where the fast path serves (the precision a
 * constant of the caller's loop). */
static inline size_t num_fixed_fmt(char *dst, double x, int prec)
{
    uint64_t q;
    size_t n = num_fixed_len(x, prec, &q);
    if (!n)
        return num_fmt_fixed(dst, x, prec);
    num_fixed_put(dst, n, q, prec, signbit(x) != 0);
    return n;
}

#endif
