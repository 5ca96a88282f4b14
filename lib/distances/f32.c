/* f32: the store's values read as float32.  See f32.h. */
#include "distances/f32.h"
#include "stream/num.h"
#include "stream/num_scan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_word(const char *p, size_t n, const char *w)
{
    if (n > 0 && (*p == '-' || *p == '+')) {
        p++;
        n--;
    }
    return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

int f32_is_nonfinite(const char *p, size_t n)
{
    return is_word(p, n, "nan") || is_word(p, n, "inf") || is_word(p, n, "infinity");
}

static int is_digit(char c)
{
    return (unsigned)(c - '0') < 10;
}

/* Eight ASCII digits at p as a number, or -1 (always, where the first
 * byte is not the lowest). */
static int64_t eight_digits(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, p, sizeof x);
    x = num_eight_digits(x);
    return x >> 32 ? -1 : (int64_t)x;
#else
    (void)p;
    return -1;
#endif
}

/* m * 10^e (|e| <= 22) rounded to float32 when the double that is
 * m * 10^e rounded is not within 8 ulps of halfway between two floats
 * (see f32.h); else NULL. */
static inline const char *finish(const char *p, uint64_t m, long e, int neg, float *res)
{
    double v = e < 0 ? (double)m / num_pow10_exact[-e] : (double)m * num_pow10_exact[e];
    if (v != 0) {
        if (!(v > 1e-37 && v < 3e38))
            return NULL; /* near the ends of float32's range */
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        /* the 29 bits that double has and float has not: halfway is 2^28 */
        int64_t off = (int64_t)(bits & ((1u << 29) - 1)) - (1 << 28);
        if (off >= -8 && off <= 8)
            return NULL;
    }
    *res = neg ? -(float)v : (float)v;
    return p;
}

/* Every number f32_scan_digits does not take. */
static const char *scan_general(const char *p, const char *end, float *res)
{
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    const char *d0 = p;
    uint64_t m = 0;
    int sig = 0;
    long e = 0;
    while (p < end && *p == '0')
        p++;
    for (; p < end && is_digit(*p); p++, sig++)
        m = m * 10 + (uint64_t)(*p - '0');
    int digits = p > d0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        if (m == 0)
            while (p < end && *p == '0')
                p++;
        int64_t x;
        while (end - p >= 8 && sig <= 11 && (x = eight_digits(p)) >= 0) {
            m = m * 100000000u + (uint64_t)x;
            sig += 8;
            p += 8;
        }
        for (; p < end && is_digit(*p); p++, sig++)
            m = m * 10 + (uint64_t)(*p - '0');
        e -= p - f0;
        digits |= p > f0;
    }
    if (!digits || sig > 19)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        if (++p < end && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        const char *x0 = p;
        long x = 0;
        for (; p < end && is_digit(*p) && x < 1000; p++)
            x = x * 10 + (*p - '0');
        if (p == x0 || (p < end && is_digit(*p)))
            return NULL;
        e += eneg ? -x : x;
    }
    if (e < -22 || e > 22)
        return NULL;
    return finish(p, m, e, neg, res);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
/* The digits that begin the eight bytes at p: how many (0 to 8), and in *v
 * their value.  Bytes past the first non-digit are ignored. */
static inline int lead_digits(const char *p, uint64_t *v)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    uint64_t nd = ((x & 0xF0F0F0F0F0F0F0F0u) ^ 0x3030303030303030u) |
                  (((x + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) ^ 0x3030303030303030u);
    int k = nd ? __builtin_ctzll(nd) >> 3 : 8;
    if (k == 0) {
        *v = 0;
        return 0;
    }
    /* the k digits in the top bytes, zeros (leading zeros) below them */
    x = (x - 0x3030303030303030u) << (8 * (8 - k));
    x = x * 10 + (x >> 8);
    x = ((x & 0x000000FF000000FFu) * (100 + (1000000ull << 32)) +
         ((x >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32))) >>
        32;
    *v = x;
    return k;
}

static const uint64_t pow10_u64[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                     100000000};

/* The plain decimals a store holds, [-]DIGITS[.DIGITS] with at most 19
 * digits in all, eight digits at a time, with no byte past end read: the
 * same m and e as scan_general's, so the same float. */
const char *f32_scan(const char *p, const char *end, float *res)
{
    if (end - p < 40)
        return scan_general(p, end, res);
    const char *s = p;
    int neg = *p == '-';
    p += neg;
    uint64_t m, v;
    int k = lead_digits(p, &m), n = k;
    if (k == 8)
        return scan_general(s, end, res);
    p += k;
    long e = 0;
    if (*p == '.') {
        p++;
        int f = 0;
        do {
            k = lead_digits(p + f, &v);
            m = m * pow10_u64[k] + v;
            f += k;
        } while (k == 8 && f < 24);
        if (k == 8)
            return scan_general(s, end, res);
        p += f;
        n += f;
        e = -f;
    }
    if (n == 0 || n > 19 || *p == 'e' || *p == 'E')
        return scan_general(s, end, res);
    return finish(p, m, e, neg, res);
}
#else
const char *f32_scan(const char *p, const char *end, float *res)
{
    return scan_general(p, end, res);
}
#endif

const char *f32_parse(const char *p, size_t n, float *res)
{
    double d;
    const char *why = num_parse(p, n, &d);
    if (!why) {
        /* num_parse checked the syntax; strtof rounds to float32 directly */
        float f = strtof(p, NULL);
        if (isfinite(f)) { /* a value too small for float32 becomes 0 */
            *res = f;
            return NULL;
        }
        return "is out of float32 range";
    }
    if (n > 0 && is_word(p, n, "nan"))
        return "is NaN";
    if (n > 0 && (is_word(p, n, "inf") || is_word(p, n, "infinity")))
        return "is infinite";
    if (strcmp(why, "is out of range") == 0)
        return "is out of float32 range";
    return why;
}
