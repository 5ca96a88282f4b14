/* vexp: exp of four doubles at once with AVX2 and FMA, for the writers
 * that print a confidence to a few decimals (confidence.c's text path):
 * within VEXP_ULPS units in the last place of glibc's exp for |x| up to
 * VEXP_MAX, where glibc's costs one call a lane.  Not glibc's bits: a
 * caller that needs them (a value kept, or printed near a rounding
 * boundary) calls exp.
 *
 *   __m256d e = vexp4(x);   (x in [-VEXP_MAX, VEXP_MAX]; else anything)
 *
 * x = k ln 2 + r with |r| <= ln 2 / 2 (Cody and Waite's two-part ln 2, by
 * FMA), exp(r) by its Taylor series to r^13 in Estrin's order (the first
 * term left out, 0.347^14 / 14!, is under 2^-57: a fortieth of an ulp),
 * times 2^k built in the exponent bits. */
#ifndef VEXP_H
#define VEXP_H

#if defined(__GNUC__) && defined(__x86_64__)
#define VEXP_X86 1
#include <immintrin.h>

/* The inputs vexp4 serves (2^k stays a normal double), and its error
 * against glibc's exp there, with room (test_confidence's vexp_error
 * measures at most 2). */
#define VEXP_MAX 700.0
#define VEXP_ULPS 4

__attribute__((target("avx2,fma"))) static inline __m256d vexp4(__m256d x)
{
    const __m256d log2e = _mm256_set1_pd(0x1.71547652b82fep0),
                  ln2_hi = _mm256_set1_pd(0x1.62e42fefa3800p-1), /* 43 bits: k ln2_hi exact */
        ln2_lo = _mm256_set1_pd(0x1.ef35793c76730p-45),
                  shifter = _mm256_set1_pd(0x1.8p52); /* k + shifter: k in the low bits */
    __m256d kd = _mm256_fmadd_pd(x, log2e, shifter);
    __m256d k = _mm256_sub_pd(kd, shifter); /* round(x / ln 2) */
    __m256d r = _mm256_fnmadd_pd(k, ln2_hi, x);
    r = _mm256_fnmadd_pd(k, ln2_lo, r);
    /* sum r^i / i!, i = 0 .. 13, by Estrin's scheme: pairs, then fours,
     * then eights (a chain of 5 operations, where Horner's is 13) */
#define VEXP_C(i) _mm256_set1_pd(1.0 / (i))
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d r2 = _mm256_mul_pd(r, r), r4 = _mm256_mul_pd(r2, r2), r8 = _mm256_mul_pd(r4, r4);
    __m256d p01 = _mm256_add_pd(r, one), p23 = _mm256_fmadd_pd(r, VEXP_C(6.0), VEXP_C(2.0)),
            p45 = _mm256_fmadd_pd(r, VEXP_C(120.0), VEXP_C(24.0)),
            p67 = _mm256_fmadd_pd(r, VEXP_C(5040.0), VEXP_C(720.0)),
            p89 = _mm256_fmadd_pd(r, VEXP_C(362880.0), VEXP_C(40320.0)),
            p1011 = _mm256_fmadd_pd(r, VEXP_C(39916800.0), VEXP_C(3628800.0)),
            p1213 = _mm256_fmadd_pd(r, VEXP_C(6227020800.0), VEXP_C(479001600.0));
#undef VEXP_C
    __m256d q0 = _mm256_fmadd_pd(p23, r2, p01), q1 = _mm256_fmadd_pd(p67, r2, p45),
            q2 = _mm256_fmadd_pd(p1011, r2, p89);
    __m256d s0 = _mm256_fmadd_pd(q1, r4, q0), s1 = _mm256_fmadd_pd(p1213, r4, q2);
    __m256d p = _mm256_fmadd_pd(s1, r8, s0);
    /* 2^k: k + 1023 in the exponent field (the shifter's bits above k
     * shifted out) */
    __m256i e = _mm256_slli_epi64(
        _mm256_add_epi64(_mm256_castpd_si256(kd), _mm256_set1_epi64x(1023)), 52);
    return _mm256_mul_pd(p, _mm256_castsi256_pd(e));
}

#endif
#endif
