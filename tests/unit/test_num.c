/* Unit tests for lib/stream/num.c: strict parsing, exact fixed and shortest
 * printing (checked against the C library on many values). */
#include "stream/num.h"
#include "stream/num_fixed.h"
#include "stream/num_scan.h"
#include "unit.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int parses(const char *s, double want)
{
    double v = -12345;
    return num_parse(s, strlen(s), &v) == NULL && v == want && signbit(v) == signbit(want);
}

static const char *why(const char *s)
{
    double v;
    const char *w = num_parse(s, strlen(s), &v);
    return w ? w : "(accepted)";
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* s is a decimal as num_parse takes it: [+-]D*[.D*][(e|E)[+-]D+], a digit
 * at least before the exponent. */
static int plain_decimal(const char *s, size_t n)
{
    size_t i = n && (s[0] == '-' || s[0] == '+'), digits = 0, points = 0;
    for (; i < n && s[i] != 'e' && s[i] != 'E'; i++)
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && !points)
            points++;
        else
            return 0;
    if (i < n) { /* the exponent */
        i += i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '+');
        if (++i == n)
            return 0;
        for (; i < n; i++)
            if (s[i] < '0' || s[i] > '9')
                return 0;
    }
    return digits > 0;
}

/* s is the usual decimal of num_scan.h: [-]I.F, 1 to 7 digits I, 1 to 8
 * digits F, 8 bytes or more. */
static int usual_shape(const char *s, size_t n)
{
    size_t i = n && s[0] == '-', k = i;
    while (k < n && s[k] >= '0' && s[k] <= '9')
        k++;
    if (n < 8 || k == i || k - i > 7 || k == n || s[k] != '.' || n - k - 1 < 1 || n - k - 1 > 8)
        return 0;
    for (size_t j = k + 1; j < n; j++)
        if (s[j] < '0' || s[j] > '9')
            return 0;
    return 1;
}

/* The inline scan of the usual decimal (num_scan.h), on every shape near
 * the one it takes: signs, 0 to 9 integer digits, 0 to 10 decimals, with
 * or without the point, each byte in turn made a wrong one; each field at
 * the very end of a page with no page after it, so that a byte read past
 * the field faults.  Returns the fields it took (the usual ones). */
static long scan_shapes(int *bad)
{
    long page = sysconf(_SC_PAGESIZE), took = 0;
    char *mem = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (mem == MAP_FAILED || mprotect(mem + page, (size_t)page, PROT_NONE) != 0) {
        (*bad)++;
        return 0;
    }
    static const char *const signs[] = {"", "-", "+"};
    static const char wrong[] = {'x', '.', '/', ':', ' ', '-', 'e'};
    uint64_t seed = 7;
    for (int sg = 0; sg < 3; sg++)
        for (int ni = 0; ni <= 9; ni++)
            for (int nf = 0; nf <= 10; nf++)
                for (int point = 0; point < 2; point++) {
                    char t[32];
                    size_t n = (size_t)sprintf(t, "%s", signs[sg]);
                    for (int k = 0; k < ni; k++)
                        t[n++] = (char)('0' + unit_rand(&seed) % 10);
                    if (point)
                        t[n++] = '.';
                    for (int k = 0; k < nf; k++)
                        t[n++] = (char)('0' + unit_rand(&seed) % 10);
                    for (size_t at = 0; at <= n; at++)
                        for (size_t w = 0; w < (at < n ? sizeof wrong : 1); w++) {
                            char u[32];
                            memcpy(u, t, n);
                            if (at < n)
                                u[at] = wrong[w];
                            char *p = mem + page - n;
                            memcpy(p, u, n);
                            u[n] = '\0';
                            errno = 0;
                            double got = -1, fast = -1, want = strtod(u, NULL);
                            /* (out of range: num_parse says so) */
                            int plain = plain_decimal(u, n) && errno != ERANGE;
                            const char *why = num_parse_inline(p, n, &got);
                            int usual = num_scan_usual(p, n, &fast);
                            int shape = usual_shape(u, n);
                            took += usual;
                            if ((why == NULL) != plain || (plain && memcmp(&got, &want, 8)) ||
                                usual != shape || (usual && memcmp(&fast, &want, 8))) {
                                if ((*bad)++ < 5)
                                    printf("# '%s': num_parse_inline %s %a, num_scan_usual %d "
                                           "%a, strtod %a\n",
                                           u, why ? why : "ok", got, usual, fast, want);
                            }
                        }
                }
    munmap(mem, 2 * (size_t)page);
    return took;
}

/* num_fmt_shortest as it was written first (printf and strtod): the fast
 * positional path must print exactly these digits. */
static void shortest_ref(char *dst, double x)
{
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(dst, NUM_FMT_MAX, "%.*g", prec, x);
        if (strtod(dst, NULL) == x || !isfinite(x))
            break;
    }
    const char *e = strchr(dst, 'e');
    if (e && prec <= 17) {
        int exp10 = atoi(e + 1);
        if (exp10 >= -4 && exp10 < 16) {
            int dec = prec - 1 - exp10;
            snprintf(dst, NUM_FMT_MAX, "%.*f", dec < 0 ? 0 : dec, x);
        }
    }
}

/* The shortest printing equals the reference on x; prints the first few
 * that do not. */
static int shortest_differs(double x, int *shown)
{
    char a[NUM_FMT_MAX], b[NUM_FMT_MAX];
    num_fmt_shortest(a, x);
    shortest_ref(b, x);
    if (strcmp(a, b) == 0)
        return 0;
    if ((*shown)++ < 5)
        printf("# %a: %s, printf's search %s\n", x, a, b);
    return 1;
}

/* A number to print at prec decimals, of every kind: confidences, near
 * ties, sign and -0, lengths of 1 to 10 integer digits, past 2^30 scaled,
 * digits q of 10^k - 1 and 10^k (where a length changes), of 10^7 and 10^8
 * (where num_fixed_texts' texts end), 100, huge, NaN and infinities. */
static double printed_value(uint64_t *seed, int prec)
{
    uint64_t r = unit_rand(seed);
    double v = (double)(r >> 11) * 0x1p-53, p10 = pow(10, prec < 0 ? 0 : prec);
    switch (r % 14) {
    case 0: return (double)(r % 100000) / 1000 + 0.0005; /* near ties */
    case 1: return -v * 100;
    case 2: return -0.0;
    case 3: return 0;
    case 4: return v * pow(10, (double)(r >> 5 & 15));
    case 5: return 1e300;
    case 6: return NAN;
    case 7: return -INFINITY;
    case 8: return 0x1p30 / pow(10, (double)(r >> 7 & 7)) * (1 - 0x1p-40);
    case 9: return (pow(10, (double)((r >> 5) % 11)) - (double)(r >> 9 & 1)) / p10;
    case 10: return (pow(10, (double)(7 + (r >> 5 & 1))) - (double)(r >> 9 & 1)) / p10;
    case 11: return 100;
    default: return v * 100;
    }
}

/* num_fixed_lens against num_fixed_len, value by value: every precision,
 * counts 1 to 13 and strides 1 to 4 (a group of four ends at every
 * place), values of every kind (printed_value), half the trials at 2
 * decimals.  Returns how many differ. */
static int fixed_lens_differ(void)
{
    uint64_t seed = 43;
    int bad = 0;
    double x[13 * 4];
    uint64_t q[13 * 4], wq = 0;
    uint8_t len[13 * 4];
    for (int trial = 0; trial < 200000; trial++) {
        size_t n = 1 + (size_t)trial % 13, s = 1 + (size_t)(trial / 13) % 4;
        int prec = trial < 100000 ? (int)(unit_rand(&seed) % 19) - 1 : 2;
        for (size_t i = 0; i < n; i++)
            x[i * s] = printed_value(&seed, prec);
        memset(len, 0xAA, sizeof len);
        num_fixed_lens(x, s, prec, q, len, n);
        for (size_t i = 0; i < n; i++) {
            size_t want = num_fixed_len(x[i * s], prec, &wq);
            if (len[i * s] != want || (want && q[i * s] != wq)) {
                if (bad++ < 5)
                    printf("# %.17g -p %d: length %u digits %llu, want %zu %llu\n", x[i * s],
                           prec, len[i * s], (unsigned long long)q[i * s], want,
                           (unsigned long long)wq);
            }
        }
    }
    return bad;
}

/* A confidence-like number at prec decimals (0 to 2): in [0, 100], or
 * digits q at the end of num_fixed_texts' table (16383 and 16384), so
 * that whole groups of four take the table or just miss it. */
static double table_value(uint64_t *seed, int prec)
{
    uint64_t r = unit_rand(seed);
    double p10 = pow(10, prec);
    switch (r % 5) {
    case 0: return (double)(16383 + (r >> 9 & 1)) / p10;
    case 1: return (double)(r >> 9 & 16383) / p10;
    case 2: return 100;
    default: return (double)(r >> 11) * 0x1p-53 * 100;
    }
}

/* num_fixed_texts against num_fmt_fixed, value by value: values of every
 * kind (printed_value), counts 1 to 13, every precision (half the trials
 * at 2 decimals), then confidences at 0 to 2 (table_value); a
 * value with NUM_FIXED_TEXT has num_fmt_fixed's text in the first bytes
 * of q, any other num_fixed_len's length and digits.  *texts counts the
 * values given as texts.  Returns how many differ. */
static int fixed_texts_differ(long *texts)
{
    uint64_t seed = 47;
    int bad = 0;
    double x[13];
    uint64_t q[13], wq = 0;
    uint8_t len[13];
    *texts = 0;
    for (int trial = 0; trial < 400000; trial++) {
        size_t n = 1 + (size_t)trial % 13;
        int prec = trial < 150000 ? (int)(unit_rand(&seed) % 19) - 1
                   : trial < 300000 ? 2
                                    : trial % 3;
        for (size_t i = 0; i < n; i++)
            x[i] = trial < 300000 ? printed_value(&seed, prec) : table_value(&seed, prec);
        memset(len, 0xAA, sizeof len);
        num_fixed_texts(x, prec, q, len, n);
        for (size_t i = 0; i < n; i++) {
            char want[NUM_FMT_MAX], got[9] = {0};
            size_t wn = num_fmt_fixed(want, x[i], prec), gn = len[i] & ~NUM_FIXED_TEXT;
            int ok;
            if (len[i] & NUM_FIXED_TEXT) {
                memcpy(got, &q[i], 8);
                ok = gn == wn && gn <= 8 && memcmp(got, want, wn) == 0;
                ++*texts;
            } else {
                size_t wl = num_fixed_len(x[i], prec, &wq);
                ok = len[i] == wl && (wl == 0 || q[i] == wq);
            }
            if (!ok && bad++ < 5)
                printf("# %.17g -p %d: length %u '%.8s', want '%.*s'\n", x[i], prec, len[i],
                       got, (int)wn, want);
        }
    }
    return bad;
}

int main(void)
{
    static const struct {
        const char *s;
        double want;
        const char *what;
    } numbers[] = {
        {"0", 0.0, "0"},
        {"-0", -0.0, "-0 keeps its sign"},
        {"1.5", 1.5, "1.5"},
        {"+2", 2.0, "leading plus"},
        {".5", 0.5, ".5"},
        {"5.", 5.0, "5."},
        {"1e3", 1000.0, "1e3"},
        {"1E-3", 1e-3, "1E-3"},
        {"0.220304", 0.220304, "a DeepFace distance"},
        {"-6.502269165856082", -6.502269165856082, "the article's w"},
        {"0.6404417753219604", 0.6404417753219604, "an embedding component"},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        UNIT_OK(parses(numbers[i].s, numbers[i].want), "%s", numbers[i].what);
    UNIT_OK(parses("123456789012345678901234567890", 123456789012345678901234567890.0),
            "30 digits go through strtod");
    UNIT_OK(parses("4.9406564584124654e-324", 4.9406564584124654e-324),
            "the smallest subnormal");
    UNIT_OK(parses("2.2250738585072009e-308", 2.2250738585072009e-308), "the largest subnormal");
    UNIT_OK(parses("1e-310", 1e-310), "a subnormal, as strtod reads it");
    UNIT_OK(parses("-1e-310", -1e-310), "a negative subnormal");
    UNIT_OK(parses("1e-400", 0.0), "an underflow to zero reads as 0");
    UNIT_OK(parses("-1e-400", -0.0), "and -1e-400 as -0");
    UNIT_OK(parses("0.000000000000000000000000001", 1e-27), "many leading zeros");
    static const struct {
        const char *s, *why, *what;
    } refused[] = {
        {"", "is empty", "empty is rejected"},
        {"abc", "is not a number", "letters"},
        {" 1", "is not a number", "leading blank"},
        {"1 ", "is not a number", "trailing blank"},
        {"nan", "is not a number", "nan"},
        {"inf", "is not a number", "inf"},
        {"-Infinity", "is not a number", "-Infinity"},
        {"0x1p3", "is not a number", "hex floats are not decimal"},
        {"1e400", "is out of range", "overflow"},
        {"1e", "is not a number", "exponent without digits"},
        {"-", "is not a number", "a lone sign"},
        {".", "is not a number", "a lone point"},
        {"1,5", "is not a number", "a decimal comma"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        UNIT_STREQ(why(refused[i].s), refused[i].why, "%s", refused[i].what);

    /* The fast path must agree with strtod bit for bit. */
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        char s[64];
        uint64_t r = unit_rand(&rng_state);
        int digits = 1 + (int)(r % 17), point = (int)((r >> 8) % 20);
        uint64_t m = unit_rand(&rng_state) % 100000000000000000u;
        snprintf(s, sizeof s, "%.*f", point, (double)m / 1e9);
        if (i % 3 == 0)
            snprintf(s, sizeof s, "%.*e", digits,
                     (double)(int64_t)unit_rand(&rng_state) / 1e10);
        double v, w = strtod(s, NULL);
        if (num_parse(s, strlen(s), &v) != NULL || v != w) {
            if (bad++ < 5)
                printf("# mismatch on '%s'\n", s);
        }
    }
    UNIT_OK(bad == 0, "200000 random decimals parse as strtod does");

    /* Fixed printing: the same digits as printf. */
    bad = 0;
    for (int i = 0; i < 300000; i++) {
        double x;
        uint64_t r = unit_rand(&rng_state);
        switch (i % 4) {
        case 0:
            x = (double)(r >> 11) / 9007199254740992.0;
            break; /* [0,1) */
        case 1:
            x = ((double)(r >> 11) / 9007199254740992.0 - 0.5) * 200;
            break;
        case 2:
            x = (double)(r % 2000000) / 2000000.0 + (double)(r % 7);
            break; /* ties-ish */
        default:
            memcpy(&x, &r, sizeof x);
            if (!isfinite(x))
                x = 1.0;
            break;
        }
        int prec = (int)(unit_rand(&rng_state) % 18);
        char a[NUM_FMT_MAX], b[NUM_FMT_MAX];
        size_t n = num_fmt_fixed(a, x, prec);
        a[n] = '\0';
        snprintf(b, sizeof b, "%.*f", prec, x);
        if (strcmp(a, b) != 0 && bad++ < 5)
            printf("# %.17g -p %d: got %s, want %s\n", x, prec, a, b);
    }
    UNIT_OK(bad == 0, "300000 random values print as printf %%.*f does");
    char a[NUM_FMT_MAX];
    a[num_fmt_fixed(a, 0.125, 2)] = '\0';
    UNIT_STREQ(a, "0.12", "a true tie rounds to even as printf does");
    a[num_fmt_fixed(a, -0.0001, 2)] = '\0';
    UNIT_STREQ(a, "-0.00", "a negative that rounds to zero keeps its sign, as printf");
    a[num_fmt_fixed(a, 2.5, 0)] = '\0';
    UNIT_STREQ(a, "2", "2.5 to 0 decimals is 2");

    /* Shortest round-trip. */
    bad = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t r = unit_rand(&rng_state);
        double x, y;
        memcpy(&x, &r, sizeof x);
        if (!isfinite(x))
            continue;
        num_fmt_shortest(a, x);
        if (num_parse(a, strlen(a), &y) != NULL || memcmp(&y, &x, sizeof x) != 0) {
            if (bad++ < 5)
                printf("# %a printed as %s\n", x, a);
        }
    }
    UNIT_OK(bad == 0, "shortest printing reads back bit-identical");
    /* the fast path prints printf's digits: distances of 0 to 6 decimals,
     * doubles of every exponent, powers of ten and their neighbours */
    int differ = 0, shown = 0;
    for (int i = 0; i < 300000; i++) {
        uint64_t r = unit_rand(&rng_state);
        double x = (double)(r % 40000000) / pow(10, (double)((r >> 60) % 7));
        double y;
        memcpy(&y, &r, sizeof y);
        differ += shortest_differs(x, &shown) + shortest_differs(-x, &shown);
        if (isfinite(y))
            differ += shortest_differs(y, &shown);
        differ += shortest_differs(ldexp((double)(r >> 11), (int)(r % 100) - 100), &shown);
    }
    for (int k = -20; k <= 20; k++) {
        double t = pow(10, k);
        differ += shortest_differs(t, &shown) + shortest_differs(nextafter(t, 0), &shown) +
                  shortest_differs(nextafter(t, INFINITY), &shown) +
                  shortest_differs(t * 0.5, &shown) + shortest_differs(t * 9.999999, &shown);
    }
    UNIT_OK(differ == 0, "shortest printing: the digits of printf's search (%d differ)",
            differ);
    /* num_round: the value of the digits num_fmt_fixed prints, bit for bit
     * (-0 too), whatever path each takes */
    int round_bad = 0;
    for (int i = 0; i < 400000; i++) {
        uint64_t r = unit_rand(&rng_state);
        double x =
            i % 2
                ? ((double)(r >> 11) / 9007199254740992.0 - 0.3) * pow(10, (double)(r % 9) - 2)
                : (double)(r % 2000001) / 1e6 + (i % 4 == 0 ? 5e-7 : 0); /* ties at 6 */
        int prec = (int)((r >> 4) % 18);
        char t[NUM_FMT_MAX];
        double want;
        size_t n = num_fmt_fixed(t, x, prec);
        double got = num_round(x, prec);
        if (num_parse(t, n, &want) != NULL || memcmp(&want, &got, sizeof got) != 0)
            if (round_bad++ < 5)
                printf("# num_round(%a, %d) = %a, the digits '%.*s' read %a\n", x, prec, got,
                       (int)n, t, want);
    }
    UNIT_OK(round_bad == 0, "num_round is the value of num_fmt_fixed's digits (%d differ)",
            round_bad);
    num_fmt_shortest(a, 0.4);
    UNIT_STREQ(a, "0.4", "0.4 is printed as 0.4");
    static const uint64_t uints[] = {0, 9, 10, 4294967296ULL, UINT64_MAX};
    for (size_t i = 0; i < sizeof uints / sizeof *uints; i++) {
        char want[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)uints[i]);
        a[num_fmt_uint(a, uints[i])] = '\0';
        UNIT_STREQ(a, want, "num_fmt_uint(%s)", want);
    }
    num_fmt_shortest(a, -6.502269165856082);
    UNIT_STREQ(a, "-6.502269165856082", "the article's w keeps all 16 digits");
    num_fmt_shortest(a, 1e-9);
    UNIT_STREQ(a, "1e-09", "1e-9");

    /* The fast paths against the C library, on numbers as programs print
     * them (every digit count, signs, zeros, points at either end) and on
     * doubles of every size: num_parse as strtod, num_fmt_fixed as %.*f. */
    uint64_t seed = 20261202;
    int parse_bad = 0, fmt_bad = 0;
    for (int i = 0; i < 400000; i++) {
        uint64_t r = unit_rand(&seed);
        char t[64];
        size_t n = 0;
        if (r & 1)
            t[n++] = '-';
        int nint = (int)(r >> 1 & 7), nfrac = (int)(r >> 4 & 31);
        for (int k = 0; k < nint; k++)
            t[n++] = (char)('0' + unit_rand(&seed) % (k == 0 && r >> 9 & 1 ? 1 : 10));
        int ndigits = nint;
        if (r >> 10 & 1 || nint == 0) {
            t[n++] = '.';
            for (int k = 0; k < nfrac; k++, ndigits++)
                t[n++] = (char)('0' + unit_rand(&seed) % 10);
        }
        t[n] = '\0';
        double got = 0;
        const char *why = num_parse(t, n, &got);
        char *end;
        double want = strtod(t, &end);
        int ok = ndigits ? !why && end == t + n && memcmp(&got, &want, sizeof got) == 0 : !!why;
        if (!ok && parse_bad++ < 5)
            printf("# num_parse('%s') = %s %a, strtod %a\n", t, why ? why : "ok", got, want);

        double x = (double)(unit_rand(&seed) >> 11) / 9007199254740992.0 *
                   pow(10, (double)(r >> 16 & 31) - 8) * (r >> 22 & 1 ? -1 : 1);
        int prec = (int)(r >> 24 & 15);
        char f[NUM_FMT_MAX], g[NUM_FMT_MAX];
        size_t fn = num_fmt_fixed(f, x, prec);
        int gn = snprintf(g, sizeof g, "%.*f", prec, x);
        if ((fn != (size_t)gn || memcmp(f, g, fn) != 0) && fmt_bad++ < 5)
            printf("# num_fmt_fixed(%a, %d) = '%.*s', printf '%s'\n", x, prec, (int)fn, f, g);
    }
    UNIT_OK(parse_bad == 0, "num_parse reads 400000 random plain numbers as strtod (%d differ)",
            parse_bad);
    UNIT_OK(fmt_bad == 0, "num_fmt_fixed prints 400000 random doubles as %%.*f (%d differ)",
            fmt_bad);

    /* num_eight_digits: every byte value at every place among digits (and
     * among other bytes that are not digits), against the digits read one
     * by one */
    int eight_bad = 0;
    uint64_t eseed = 11;
    for (int place = 0; place < 8; place++)
        for (int byte = 0; byte < 256; byte++)
            for (int round = 0; round < 40; round++) {
                unsigned char c[8];
                for (int k = 0; k < 8; k++)
                    c[k] = (unsigned char)('0' + unit_rand(&eseed) % 10);
                c[place] = (unsigned char)byte;
                if (round % 4 == 3) /* another byte wrong too */
                    c[unit_rand(&eseed) % 8] = (unsigned char)(unit_rand(&eseed) % 256);
                uint64_t w = 0, want = 0;
                for (int k = 7; k >= 0; k--)
                    w = w << 8 | c[k];
                for (int k = 0; k < 8 && want != UINT64_MAX; k++)
                    want = c[k] >= '0' && c[k] <= '9' ? want * 10 + (uint64_t)(c[k] - '0')
                                                      : UINT64_MAX;
                uint64_t got = num_eight_digits(w);
                eight_bad += want == UINT64_MAX ? got >> 32 == 0 : got != want;
            }
    UNIT_OK(eight_bad == 0, "num_eight_digits: every byte at every place (%d differ)", eight_bad);

    int scan_bad = 0;
    long took = scan_shapes(&scan_bad);
    UNIT_OK(scan_bad == 0 && took > 100,
            "the usual decimal's inline scan: %ld fields taken, every other shape as num_parse "
            "and strtod (%d differ)",
            took, scan_bad);
    int lens_bad = fixed_lens_differ();
    UNIT_OK(lens_bad == 0, "num_fixed_lens: num_fixed_len's lengths and digits, every precision, "
                           "count and stride (%d differ)", lens_bad);
    long texts;
    int tx = fixed_texts_differ(&texts), simd = 0; /* (texts only where the CPU has AVX2) */
#if defined(__GNUC__) && defined(__x86_64__)
    simd = __builtin_cpu_supports("avx2");
#endif
    UNIT_OK(tx == 0 && (texts > 100000 || !simd),
            "num_fixed_texts: num_fmt_fixed's text where it gives one (%ld values), "
            "num_fixed_len's length and digits elsewhere, every precision (%d differ)",
            texts, tx);
    return unit_done();
}
