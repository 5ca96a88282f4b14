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
    if (errno == ERANGE)
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
