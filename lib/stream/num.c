/* num: number parsing and printing.  See num.h. */
#include "stream/num.h"
#include "stream/num_fixed.h"
#include "stream/num_scan.h"
#include "common/diag.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double num_pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

const uint64_t num_pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Any other plain number, [-]DIGITS[.DIGITS] with at most 19 digits in all
 * and no exponent (the usual distance went num_scan_usual's way), into
 * *out as the full path would give it (Clinger's fast path on the same m
 * and exponent: leading zeros add nothing to m); 0 for anything else, left
 * to the full path. */
static int parse_plain(const char *p, size_t n, double *out)
{
    size_t i = p[0] == '-', start = i, point = n;
    uint64_t m = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)p[i] - '0';
        if (d > 9) {
            if (p[i] != '.' || point != n)
                return 0;
            point = i;
            continue;
        }
        m = m * 10 + d;
    }
    size_t ndigits = n - start - (point != n);
    if (ndigits == 0 || ndigits > 19 || m >= (uint64_t)1 << 53)
        return 0;
    size_t frac = point == n ? 0 : n - point - 1;
    if (frac > 22)
        return 0;
    double v = (double)m / num_pow10_exact[frac];
    *out = p[0] == '-' ? -v : v;
    return 1;
}

const char *num_parse(const char *p, size_t n, double *out)
{
    if (n == 0)
        return "is empty";
    if (num_scan_usual(p, n, out) || parse_plain(p, n, out))
        return NULL;
    /* Check the syntax ourselves: strtod would also take blanks, hex, "inf"
     * and "nan".  On the way, collect up to 19 significant digits. */
    size_t i = 0;
    int neg = 0;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i++;
    }
    uint64_t m = 0;
    int sig = 0, exact = 1, ndigits = 0;
    long exp10 = 0;
    for (; i < n && is_digit(p[i]); i++, ndigits++) {
        if (m == 0 && p[i] == '0')
            continue;
        if (sig < 19) {
            m = m * 10 + (uint64_t)(p[i] - '0');
            sig++;
        } else {
            exact = 0;
        }
    }
    if (i < n && p[i] == '.') {
        for (i++; i < n && is_digit(p[i]); i++, ndigits++) {
            if (m == 0 && p[i] == '0') {
                exp10--;
                continue;
            }
            if (sig < 19) {
                m = m * 10 + (uint64_t)(p[i] - '0');
                sig++;
                exp10--;
            } else {
                exact = 0;
            }
        }
    }
    if (ndigits == 0)
        return "is not a number";
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (p[i] == '-' || p[i] == '+'))
            eneg = p[i++] == '-';
        if (i == n || !is_digit(p[i]))
            return "is not a number";
        long e = 0;
        for (; i < n && is_digit(p[i]); i++)
            if (e < 100000)
                e = e * 10 + (p[i] - '0');
        exp10 += eneg ? -e : e;
    }
    if (i != n)
        return "is not a number";

    /* Clinger's fast path: m and 10^|e| are exact doubles, so one IEEE
     * operation rounds correctly. */
    if (exact && m < ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
        double v = (double)m;
        v = exp10 < 0 ? v / num_pow10_exact[-exp10] : v * num_pow10_exact[exp10];
        *out = neg ? -v : v;
        return NULL;
    }
    char buf[512], *end;
    if (n >= sizeof buf)
        return "is too long for a number";
    memcpy(buf, p, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, &end);
    /* ERANGE: an overflow (refused) or an underflow, which strtod reads as
     * the subnormal or zero nearest (kept: as Python's float() and the
     * spec's "as strtod reads them") */
    if (errno == ERANGE && fabs(v) > 1)
        return "is out of range";
    if (end != buf + n || !isfinite(v))
        return "is not a number";
    *out = v;
    return NULL;
}

const char *num_parse_truth(const char *p, size_t n, int *out)
{
    static const char *const words[2][3] = {{"false", "False", "FALSE"},
                                            {"true", "True", "TRUE"}};
    if (n == 1 && (p[0] == '0' || p[0] == '1')) {
        *out = p[0] - '0';
        return NULL;
    }
    for (int v = 0; v < 2; v++)
        for (int k = 0; k < 3; k++)
            if (n == strlen(words[v][k]) && memcmp(p, words[v][k], n) == 0) {
                *out = v;
                return NULL;
            }
    double d;
    if (num_parse(p, n, &d) == NULL && (d == 0 || d == 1)) {
        *out = d == 1;
        return NULL;
    }
    return n == 0 ? "is empty" : "is not 0 or 1 (nor true or false)";
}

const char num_digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

size_t num_fmt_fixed(char *dst, double x, int prec)
{
    uint64_t q;
    size_t n = num_fixed_len(x, prec, &q);
    if (n) {
        num_fixed_put(dst, n, q, prec, signbit(x) != 0);
        return n;
    }
    int len = snprintf(dst, NUM_FMT_MAX, "%.*f", num_clamp_prec(prec), x);
    return len < 0 ? 0 : (size_t)len;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#include <pthread.h>

/* The texts of the digits q below TEXT_TABLE_N at precisions 0 to
 * TEXT_TABLE_PREC (num_fixed_put's), each with its length and
 * NUM_FIXED_TEXT in its last byte: a confidence's text (0 to 100 at 2
 * decimals) is one load, not the digits counted and made.  Made once, on
 * the first call that wants them (pthread_once: writers on many threads;
 * the three take about a millisecond). */
enum { TEXT_TABLE_N = 1 << 14, TEXT_TABLE_PREC = 2 };
static uint64_t text_table[TEXT_TABLE_PREC + 1][TEXT_TABLE_N];
static pthread_once_t text_table_once = PTHREAD_ONCE_INIT;

static void text_table_make(void)
{
    _Static_assert(TEXT_TABLE_N <= 100000, "a text of the table fits 7 bytes");
    for (int prec = 0; prec <= TEXT_TABLE_PREC; prec++)
        for (uint64_t q = 0; q < TEXT_TABLE_N; q++) {
            char t[8] = {0};
            size_t len = num_fixed_text_len(q, prec, 0);
            num_fixed_put(t, len, q, prec, 0);
            t[7] = (char)(len | NUM_FIXED_TEXT);
            memcpy(&text_table[prec][q], t, 8);
        }
}

/* The table of precision prec, made; NULL past TEXT_TABLE_PREC. */
static const uint64_t *text_table_of(int prec)
{
    if (prec > TEXT_TABLE_PREC)
        return NULL;
    pthread_once(&text_table_once, text_table_make);
    return text_table[prec];
}

/* The texts of four numbers q (64-bit lanes, below 10^8; below 10^7 when
 * prec > 0) of lengths l, no sign: each's l characters from its lane's
 * lowest byte.  Eight digits by multiplications (q / 10^4, then / 100,
 * then / 10, each by a multiply and shift, exact below these bounds), the
 * point put in by vpshufb (ctl: the first digit, a 0, dropped to make
 * room), the integer part's leading zeros shifted out. */
__attribute__((target("avx2"))) static inline __m256i fixed_texts(__m256i q, __m256i l,
                                                                  __m256i ctl, __m256i point)
{
    __m256i hi = _mm256_srli_epi64(_mm256_mul_epu32(q, _mm256_set1_epi64x(3518437209)), 45);
    __m256i lo = _mm256_sub_epi64(q, _mm256_mul_epu32(hi, _mm256_set1_epi64x(10000)));
    /* 32 bits each: q / 10^4, q % 10^4; then 16: / 100, % 100; then 8 */
    __m256i t = _mm256_or_si256(hi, _mm256_slli_epi64(lo, 32));
    __m256i h = _mm256_srli_epi16(_mm256_mulhi_epu16(t, _mm256_set1_epi16(5243)), 3);
    __m256i r = _mm256_sub_epi16(t, _mm256_mullo_epi16(h, _mm256_set1_epi16(100)));
    t = _mm256_or_si256(h, _mm256_slli_epi32(r, 16));
    h = _mm256_srli_epi16(_mm256_mullo_epi16(t, _mm256_set1_epi16(103)), 10);
    r = _mm256_sub_epi16(t, _mm256_mullo_epi16(h, _mm256_set1_epi16(10)));
    t = _mm256_or_si256(h, _mm256_slli_epi16(r, 8));
    __m256i text = _mm256_or_si256(
        _mm256_shuffle_epi8(_mm256_add_epi8(t, _mm256_set1_epi8('0')), ctl), point);
    /* 8 - l characters before the first shown */
    return _mm256_srlv_epi64(
        text, _mm256_slli_epi64(_mm256_sub_epi64(_mm256_set1_epi64x(8), l), 3));
}

/* num_fixed_len's steps, four lanes at a time: the same IEEE operations
 * (the truncation to 32 bits: y < 2^30), the digits counted by comparison.
 * A group of four with a lane out of range, or near a tie, goes through
 * num_fixed_len itself.  texts (s 1, prec <= 6): num_fixed_texts' texts
 * too, from the table where a group's four digits are in it, else made.
 * Returns how many it did. */
__attribute__((target("avx2"))) static size_t fixed_lens_avx2(const double *x, size_t s,
                                                              int prec, uint64_t *q,
                                                              uint8_t *len, size_t n,
                                                              int texts)
{
    const __m256d p10 = _mm256_set1_pd(num_pow10_exact[prec]),
                  top = _mm256_set1_pd(0x1p30), half = _mm256_set1_pd(0.5),
                  one = _mm256_set1_pd(1), e51 = _mm256_set1_pd(0x1p-51),
                  e60 = _mm256_set1_pd(0x1p-60),
                  absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    static const int32_t below[10] = {0,      9,       99,       999,       9999,
                                      99999,  999999,  9999999,  99999999,  999999999};
    const __m128i vprec = _mm_set1_epi32(prec), vone = _mm_set1_epi32(1),
                  vfixed = _mm_set1_epi32((prec > 0) + prec);
    const __m256i odd = _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7); /* the high halves */
    /* texts: the digits d7..d0 to d6..d(prec) '.' d(prec-1)..d0 (prec 0:
     * as they are), in each 64-bit half */
    int8_t c[32];
    for (int j = 0; j < 32; j++) {
        int b = j % 8, at = 7 - prec;
        c[j] = (int8_t)(prec == 0 ? j : b < at ? j + 1 : b == at ? -128 : j);
    }
    const __m256i ctl = _mm256_loadu_si256((const __m256i *)c),
                  point = texts && prec ? _mm256_set1_epi64x((int64_t)'.' << 8 * (7 - prec))
                                        : _mm256_setzero_si256(), /* (texts: prec <= 6) */
                  limit = _mm256_set1_epi64x(prec ? 10000000 : 100000000),
                  flag = _mm256_set1_epi64x(NUM_FIXED_TEXT);
    const uint64_t *table = texts ? text_table_of(prec) : NULL;
    const __m128i table_n = _mm_set1_epi32(TEXT_TABLE_N);
    size_t i = 0;
    while (i + 4 <= n) {
        /* a chunk at a time: the groups whose texts are to be made, in
         * a pass of their own (a second long chain of dependent
         * operations, out of the first's way) */
        enum { CHUNK = 256 }; /* groups */
        size_t pending[CHUNK], npending = 0, end = n - i < 4 * CHUNK ? n - n % 4 : i + 4 * CHUNK;
        for (; i < end; i += 4) {
            const double *p = x + i * s;
            /* (numbers one after another: one load, and a store each below) */
            __m256d v =
                s == 1 ? _mm256_loadu_pd(p) : _mm256_set_pd(p[3 * s], p[2 * s], p[s], p[0]);
            __m256d y = _mm256_mul_pd(_mm256_and_pd(v, absmask), p10);
            __m256d r = _mm256_cvtepi32_pd(_mm256_cvttpd_epi32(y));
            __m256d frac = _mm256_sub_pd(y, r);
            __m256d clear = _mm256_cmp_pd(_mm256_and_pd(_mm256_sub_pd(frac, half), absmask),
                                          _mm256_add_pd(_mm256_mul_pd(y, e51), e60), _CMP_GT_OQ);
            __m256d ok = _mm256_and_pd(_mm256_cmp_pd(y, top, _CMP_LT_OQ), clear);
            if (_mm256_movemask_pd(ok) != 0xF) {
                for (size_t k = i; k < i + 4; k++)
                    len[k * s] = (uint8_t)num_fixed_len(x[k * s], prec, &q[k * s]);
                continue;
            }
            __m256d up = _mm256_and_pd(_mm256_cmp_pd(frac, half, _CMP_GT_OQ), one);
            __m128i qi = _mm256_cvttpd_epi32(_mm256_add_pd(r, up));
            if (table && !_mm256_movemask_pd(v) && /* (no sign bit: -0 has one) */
                _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(table_n, qi))) == 0xF) {
                uint32_t qs[4];
                _mm_storeu_si128((__m128i *)(void *)qs, qi);
                for (int k = 0; k < 4; k++) {
                    uint64_t t = table[qs[k]];
                    q[i + k] = t;
                    len[i + k] = (uint8_t)(t >> 56);
                }
                continue;
            }
            /* the integer digits, at least one: max(1, nd - prec), nd - 1 the
             * powers 10^k, 1 <= k <= 9, that q reaches */
            __m128i nd = _mm_set1_epi32(1);
#pragma GCC unroll 9
            for (int k = 1; k <= 9; k++)
                nd = _mm_sub_epi32(nd, _mm_cmpgt_epi32(qi, _mm_set1_epi32(below[k])));
            __m128i ni = _mm_max_epi32(_mm_sub_epi32(nd, vprec), vone);
            /* the length: the sign, ni, the point and the decimals */
            __m128i sign = _mm_srli_epi32(
                _mm256_castsi256_si128(
                    _mm256_permutevar8x32_epi32(_mm256_castpd_si256(v), odd)),
                31);
            __m128i l = _mm_add_epi32(_mm_add_epi32(ni, sign), vfixed);
            size_t t = i * s;
            if (s == 1) {
                __m256i q64 = _mm256_cvtepu32_epi64(qi);
                if (texts) { /* marked where the text fits 8 bytes: no sign, few digits */
                    __m256i fits = _mm256_andnot_si256( /* (the sign bit: -0 too) */
                        _mm256_cmpgt_epi64(_mm256_setzero_si256(), _mm256_castpd_si256(v)),
                        _mm256_cmpgt_epi64(limit, q64));
                    l = _mm_or_si128(l, _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
                                            _mm256_and_si256(fits, flag),
                                            _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6))));
                }
                _mm256_storeu_si256((__m256i *)(q + t), q64);
                __m128i l8 = _mm_packus_epi16(_mm_packus_epi32(l, l), l); /* (each below 256) */
                uint32_t l4 = (uint32_t)_mm_cvtsi128_si32(l8);
                memcpy(len + t, &l4, 4);
                pending[npending] = t;
                npending += (l4 & 0x80808080u) != 0;
                continue;
            }
            q[t] = (uint32_t)_mm_cvtsi128_si32(qi);
            q[t + s] = (uint32_t)_mm_extract_epi32(qi, 1);
            q[t + 2 * s] = (uint32_t)_mm_extract_epi32(qi, 2);
            q[t + 3 * s] = (uint32_t)_mm_extract_epi32(qi, 3);
            len[t] = (uint8_t)_mm_cvtsi128_si32(l);
            len[t + s] = (uint8_t)_mm_extract_epi32(l, 1);
            len[t + 2 * s] = (uint8_t)_mm_extract_epi32(l, 2);
            len[t + 3 * s] = (uint8_t)_mm_extract_epi32(l, 3);
        }
        /* then the texts of the groups marked */
        for (size_t g = 0; g < npending; g++) {
            size_t t = pending[g];
            uint32_t l4;
            memcpy(&l4, len + t, 4);
            __m256i l64 = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128((int)l4)),
                    fits = _mm256_cmpgt_epi64(l64, _mm256_set1_epi64x(NUM_FIXED_TEXT - 1)),
                    q64 = _mm256_loadu_si256((const __m256i *)(q + t));
            q64 = _mm256_blendv_epi8(
                q64, fixed_texts(q64, _mm256_andnot_si256(flag, l64), ctl, point), fits);
            _mm256_storeu_si256((__m256i *)(q + t), q64);
        }
    }
    return i;
}
#endif

void num_fixed_lens(const double *x, size_t s, int prec, uint64_t *q, uint8_t *len, size_t n)
{
    size_t i = 0;
    prec = num_clamp_prec(prec);
#if defined(__GNUC__) && defined(__x86_64__)
    if (prec <= 9 && __builtin_cpu_supports("avx2"))
        i = fixed_lens_avx2(x, s, prec, q, len, n, 0);
#endif
    for (; i < n; i++)
        len[i * s] = (uint8_t)num_fixed_len(x[i * s], prec, &q[i * s]);
}

void num_fixed_texts(const double *x, int prec, uint64_t *q, uint8_t *len, size_t n)
{
    size_t i = 0;
    prec = num_clamp_prec(prec);
#if defined(__GNUC__) && defined(__x86_64__)
    if (prec <= 6 && __builtin_cpu_supports("avx2"))
        i = fixed_lens_avx2(x, 1, prec, q, len, n, 1);
#endif
    for (; i < n; i++)
        len[i] = (uint8_t)num_fixed_len(x[i], prec, &q[i]);
}

double num_round(double x, int prec)
{
    prec = num_clamp_prec(prec);
    uint64_t q;
    if (num_fixed_fast(x, prec, &q)) {
        /* num_parse's exact path on those digits: q < 2^52, 10^-prec */
        double v = (double)q / num_pow10_exact[prec];
        return signbit(x) ? -v : v;
    }
    char buf[NUM_FMT_MAX];
    double v;
    size_t n = num_fmt_fixed(buf, x, prec);
    if (num_parse(buf, n, &v) != NULL)
        return x; /* not reached: printf's digits are a number */
    return v;
}

size_t num_fmt_uint(char *dst, uint64_t v)
{
    char tmp[20];
    size_t t = 0, o = 0;
    do {
        tmp[t++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (t > 0)
        dst[o++] = tmp[--t];
    return o;
}

size_t num_fmt_shortest(char *dst, double x)
{
    double ax = fabs(x);
    if (ax >= 1e-4 && ax < 1e15) {
        /* Written positionally (below): the fewest decimals that read back
         * as x are the digits the %.*g search finds, by a few fast tries
         * instead of printf's and strtod's (counts write millions). */
        for (int p = 0; p <= NUM_PREC_MAX; p++) {
            size_t n = num_fmt_fixed(dst, x, p);
            double y;
            if (num_parse(dst, n, &y) == NULL && y == x) {
                dst[n] = '\0';
                return n;
            }
        }
    }
    int len = 0, prec = 1;
    for (; prec <= 17; prec++) {
        len = snprintf(dst, NUM_FMT_MAX, "%.*g", prec, x);
        if (strtod(dst, NULL) == x || !isfinite(x))
            break;
    }
    /* %g writes 50 as "5e+01" when one digit suffices (and YAML 1.1 reads
     * "5e+01" as a string): like Python's repr, write exponents from -4 to
     * 15 positionally, with the same digits. */
    const char *e = strchr(dst, 'e');
    if (e && prec <= 17) {
        int exp10 = atoi(e + 1);
        if (exp10 >= -4 && exp10 < 16) {
            int dec = prec - 1 - exp10;
            len = snprintf(dst, NUM_FMT_MAX, "%.*f", dec < 0 ? 0 : dec, x);
        }
    }
    return len < 0 ? 0 : (size_t)len;
}

double num_arg(const char *opt, const char *arg)
{
    double v;
    const char *why = num_parse(arg, strlen(arg), &v);
    if (why)
        die_usage("invalid number for %s: '%s' %s", opt, arg, why);
    return v;
}

long long num_arg_int(const char *opt, const char *arg, long long lo, long long hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (end == arg || *end != '\0' || arg[0] == ' ' || errno == ERANGE || v < lo || v > hi)
        die_usage("invalid value for %s: '%s' (expected an integer from %lld to %lld)", opt,
                  arg, lo, hi);
    return v;
}
