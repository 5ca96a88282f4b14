/* Unit tests of lib/fit/calib.c and lib/mapping/calibrated.c: cases worked
 * by hand, isotonic against a plain PAV, Venn-Abers against the test point
 * literally added and a plain PAV run per region, scikit-learn's
 * IsotonicRegression (tests/fixtures/sklearn-isotonic.tsv), Platt against
 * scipy's optimum, the look-ups, and a scale run.
 * Run from the top of the tree, or set FIXTURES to the fixtures folder. */
#include "fit/calib.h"
#include "mapping/calibrated.h"
#include "stream/counts.h"
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

__extension__ typedef unsigned __int128 u128;

static char fixtures[4096] = "tests/fixtures";

/* The counts of rows d[i], same[i]; sorted, *k of them; counts_free(c). */
static const counts_entry *counts_of(counts *c, const double *d, const unsigned char *same,
                                     size_t n, size_t *k)
{
    counts_init(c);
    for (size_t i = 0; i < n; i++)
        counts_add(c, d[i], 1, same[i]);
    return counts_sorted(c, k);
}

/* A plain PAV, non-increasing, of m points (rows n, positives s): merge the
 * first adjacent violating pair of blocks until there is none; y[i] the
 * value of point i's block, one division of its exact sums. */
static void plain_pav(const uint64_t *n, const uint64_t *s, size_t m, double *y)
{
    uint64_t *bn = malloc(m * sizeof *bn), *bs = malloc(m * sizeof *bs);
    size_t *first = malloc(m * sizeof *first), nb = m;
    for (size_t i = 0; i < m; i++) {
        bn[i] = n[i];
        bs[i] = s[i];
        first[i] = i;
    }
    for (;;) {
        size_t b = 0;
        while (b + 1 < nb && !((u128)bs[b] * bn[b + 1] < (u128)bs[b + 1] * bn[b]))
            b++;
        if (b + 1 >= nb)
            break;
        bn[b] += bn[b + 1];
        bs[b] += bs[b + 1];
        for (size_t t = b + 1; t + 1 < nb; t++) {
            bn[t] = bn[t + 1];
            bs[t] = bs[t + 1];
            first[t] = first[t + 1];
        }
        nb--;
    }
    for (size_t b = 0; b < nb; b++)
        for (size_t i = first[b]; i < (b + 1 < nb ? first[b + 1] : m); i++)
            y[i] = (double)bs[b] / (double)bn[b];
    free(bn);
    free(bs);
    free(first);
}

/* Venn-Abers by brute force for region r (see calibrated.h) and label
 * lab: the test point added (pooled with the rows of a knot), a plain PAV,
 * the test point's value. */
static double brute_va(const counts_entry *e, size_t k, size_t r, int lab)
{
    uint64_t *n = malloc((k + 1) * sizeof *n), *s = malloc((k + 1) * sizeof *s);
    double *y = malloc((k + 1) * sizeof *y);
    size_t m = 0, at = 0;
    for (size_t j = 0; j <= k; j++) {
        if (r == 2 * j) { /* the gap before knot j (or after the last) */
            at = m;
            n[m] = 1;
            s[m++] = (uint64_t)lab;
        }
        if (j == k)
            break;
        n[m] = e[j].n + (r == 2 * j + 1);
        s[m] = e[j].n_same + (r == 2 * j + 1 ? (uint64_t)lab : 0);
        if (r == 2 * j + 1)
            at = m;
        m++;
    }
    plain_pav(n, s, m, y);
    double v = y[at];
    free(n);
    free(s);
    free(y);
    return v;
}

/* A distance inside region r of distinct values e (integers: the middle of
 * two is exact). */
static double in_region(const counts_entry *e, size_t k, size_t r)
{
    if (r % 2)
        return e[r / 2].value;
    if (r == 0)
        return e[0].value - 1;
    if (r == 2 * k)
        return e[k - 1].value + 1;
    return (e[r / 2 - 1].value + e[r / 2].value) / 2;
}

/* Random tie-heavy counts: k distinct integers, few rows each. */
static counts_entry *random_counts(uint64_t *st, size_t k, int one_class)
{
    counts_entry *e = malloc(k * sizeof *e);
    double v = (double)(unit_rand(st) % 5);
    int tilt = (int)(unit_rand(st) % 3);
    for (size_t i = 0; i < k; i++) {
        v += 1 + (double)(unit_rand(st) % 3);
        e[i].value = v;
        e[i].n = 1 + unit_rand(st) % (unit_rand(st) % 2 ? 1 : 6);
        e[i].n_same = 0;
        for (uint64_t t = 0; t < e[i].n; t++) /* nearer: more often same */
            e[i].n_same += unit_rand(st) % (k + tilt * k) >= i + (tilt ? k / 2 : 0);
        if (one_class)
            e[i].n_same = one_class > 0 ? e[i].n : 0;
    }
    return e;
}

static void check_isotonic_random(void)
{
    uint64_t st = 42;
    int bad = 0, bad_check = 0;
    for (int seed = 0; seed < 300; seed++) {
        size_t k = 1 + unit_rand(&st) % (seed < 200 ? 12 : 300);
        counts_entry *e = random_counts(&st, k, seed % 50 == 7 ? 1 : seed % 50 == 8 ? -1 : 0);
        uint64_t *n = malloc(k * sizeof *n), *s = malloc(k * sizeof *s);
        double *y = malloc(k * sizeof *y);
        for (size_t i = 0; i < k; i++) {
            n[i] = e[i].n;
            s[i] = e[i].n_same;
        }
        plain_pav(n, s, k, y);
        calib_curve c;
        calib_fit_isotonic(e, k, &c);
        size_t at;
        bad_check += calib_curve_check(&c, 0, &at, NULL) != NULL;
        for (size_t i = 0; i < k; i++)
            if (calib_isotonic_p(&c, e[i].value) != y[i] && bad++ < 3)
                printf("# seed %d k %zu: at %g isotonic %.17g, PAV %.17g\n", seed, k,
                       e[i].value, calib_isotonic_p(&c, e[i].value), y[i]);
        calib_curve_free(&c);
        free(n);
        free(s);
        free(y);
        free(e);
    }
    UNIT_OK(bad == 0, "isotonic = a plain PAV at every distance, 300 random sets");
    UNIT_OK(bad_check == 0, "isotonic curves pass calib_curve_check");
}

static void check_va_random(void)
{
    uint64_t st = 7;
    int bad = 0, bad_check = 0, bad_compact = 0;
    for (int seed = 0; seed < 400; seed++) {
        size_t k = 1 + unit_rand(&st) % (seed < 300 ? 10 : 250);
        counts_entry *e = random_counts(&st, k, seed % 40 == 3 ? 1 : seed % 40 == 4 ? -1 : 0);
        calib_curve c;
        calib_fit_venn_abers(e, k, &c);
        size_t at;
        bad_check += calib_curve_check(&c, 1, &at, NULL) != NULL;
        for (size_t r = 0; r <= 2 * k; r++) {
            double p0, p1, d = in_region(e, k, r);
            calib_va_p(&c, d, &p0, &p1);
            double b0 = brute_va(e, k, r, 0), b1 = brute_va(e, k, r, 1);
            if ((p0 != b0 || p1 != b1) && bad++ < 3)
                printf("# seed %d k %zu region %zu: p0 %.17g p1 %.17g, brute %.17g %.17g\n",
                       seed, k, r, p0, p1, b0, b1);
        }
        /* compacted: no knot kept whose three regions agree (unless alone) */
        for (size_t j = 0; c.n > 1 && j < c.n; j++)
            bad_compact += c.p0[2 * j] == c.p0[2 * j + 1] &&
                           c.p0[2 * j + 1] == c.p0[2 * j + 2] &&
                           c.p1[2 * j] == c.p1[2 * j + 1] && c.p1[2 * j + 1] == c.p1[2 * j + 2];
        calib_curve_free(&c);
        free(e);
    }
    UNIT_OK(bad == 0,
            "venn-abers = the test point added and a plain PAV, every region, 400 sets");
    UNIT_OK(bad_check == 0,
            "venn-abers curves pass calib_curve_check (p0 <= p1, non-increasing)");
    UNIT_OK(bad_compact == 0, "venn-abers keeps no knot whose regions all agree");
}

/* Fit both on rows d, same; check the fit against the expected arrays. */
static void check_by_hand(const char *what, const double *d, const unsigned char *same,
                          size_t rows, const double *want_p, size_t want_n,
                          const double *want_p0, const double *want_p1, size_t want_va_n)
{
    counts cnt;
    size_t k;
    const counts_entry *e = counts_of(&cnt, d, same, rows, &k);
    calib_curve c;
    calib_fit_isotonic(e, k, &c);
    int ok = c.n == want_n && !c.p0 && !c.p1;
    for (size_t i = 0; ok && i < want_n; i++)
        ok = c.p[i] == want_p[i];
    UNIT_OK(ok, "%s: isotonic", what);
    calib_curve_free(&c);
    calib_fit_venn_abers(e, k, &c);
    ok = c.n == want_va_n && !c.p;
    for (size_t r = 0; ok && r < 2 * want_va_n + 1; r++)
        ok = c.p0[r] == want_p0[r] && c.p1[r] == want_p1[r];
    UNIT_OK(ok, "%s: venn-abers", what);
    if (!ok)
        for (size_t r = 0; r < 2 * c.n + 1; r++)
            printf("#   region %zu: p0 %.17g p1 %.17g\n", r, c.p0[r], c.p1[r]);
    calib_curve_free(&c);
    counts_free(&cnt);
}

static void check_hand(void)
{
    double d1[] = {0.5};
    unsigned char s1[] = {1};
    check_by_hand("one pair", d1, s1, 1, (double[]){1}, 1, (double[]){0.5, 0.5, 0},
                  (double[]){1, 1, 1}, 1);
    double d2[] = {1, 2, 2, 3};
    unsigned char s2[] = {0, 0, 0, 0};
    check_by_hand("one class (different)", d2, s2, 4, (double[]){0, 0}, 2,
                  (double[]){0, 0, 0, 0, 0, 0, 0},
                  (double[]){1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2}, 3);
    double d3[] = {4, 3, 2, 1};
    unsigned char s3[] = {0, 0, 1, 1};
    check_by_hand("separated", d3, s3, 4, (double[]){1, 1, 0, 0}, 4,
                  (double[]){2. / 3, 2. / 3, 0.5, 0.5, 0, 0, 0, 0, 0},
                  (double[]){1, 1, 1, 1, 1, 0.5, 0.5, 1. / 3, 1. / 3}, 4);
    double d4[] = {7, 7, 7, 7};
    unsigned char s4[] = {0, 1, 0, 0};
    check_by_hand("all at one distance", d4, s4, 4, (double[]){0.25}, 1,
                  (double[]){0.2, 0.2, 0}, (double[]){1, 0.4, 0.4}, 1);
    double d5[] = {1, 1, 2};
    unsigned char s5[] = {1, 0, 1};
    check_by_hand("ties", d5, s5, 3, (double[]){2. / 3, 2. / 3}, 2,
                  (double[]){0.5, 0.5, 0.5, 0.5, 0}, (double[]){1, 0.75, 0.75, 0.75, 0.75}, 2);
    /* separated: the line between the knots */
    counts cnt;
    size_t k;
    const counts_entry *e = counts_of(&cnt, d3, s3, 4, &k);
    calib_curve c;
    calib_fit_isotonic(e, k, &c);
    UNIT_OK(calib_isotonic_p(&c, 2.5) == 0.5 && calib_isotonic_p(&c, 2.25) == 0.75,
            "separated: isotonic between the classes is the straight line");
    calib_curve_free(&c);
    counts_free(&cnt);
}

static void check_lookups(void)
{
    calib_curve c = {.n = 3, .x = (double[]){0, 1, 3}, .p = (double[]){1, 0.5, 0.1}};
    UNIT_OK(calib_isotonic_p(&c, -1) == 1 && calib_isotonic_p(&c, -INFINITY) == 1 &&
                calib_isotonic_p(&c, 0) == 1,
            "isotonic: at and below the first knot, its p");
    UNIT_OK(calib_isotonic_p(&c, 0.5) == 0.75 && calib_isotonic_p(&c, 1) == 0.5,
            "isotonic: between and at knots");
    UNIT_NEAR(calib_isotonic_p(&c, 2), 0.3, 1e-15, "isotonic: the line from 1 to 3");
    UNIT_OK(calib_isotonic_p(&c, 3) == 0.1 && calib_isotonic_p(&c, 1e300) == 0.1 &&
                calib_isotonic_p(&c, INFINITY) == 0.1,
            "isotonic: at and above the last knot, its p");
    calib_curve one = {.n = 1, .x = (double[]){2}, .p = (double[]){0.3}};
    UNIT_OK(calib_isotonic_p(&one, 1) == 0.3 && calib_isotonic_p(&one, 2) == 0.3 &&
                calib_isotonic_p(&one, 5) == 0.3,
            "isotonic: one knot, a constant");

    double p0s[7] = {0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0},
           p1s[7] = {1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    calib_curve v = {.n = 3, .x = (double[]){1, 2, 3}, .p0 = p0s, .p1 = p1s};
    double at[] = {-INFINITY, 0.5, 1, 1.5, 2, 2.999, 3, 3.5, INFINITY};
    size_t want[] = {0, 0, 1, 2, 3, 4, 5, 6, 6};
    int ok = 1;
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        double p0, p1;
        calib_va_p(&v, at[i], &p0, &p1);
        ok &= p0 == p0s[want[i]] && p1 == p1s[want[i]];
    }
    UNIT_OK(ok, "venn-abers: the region below, at a knot, between, above");
    UNIT_NEAR(calib_va_merge(0.2, 0.6), 0.6 / 1.4, 1e-15, "venn-abers: p1 / (1 - p0 + p1)");
    UNIT_OK(calib_va_merge(0, 0) == 0 && calib_va_merge(1, 1) == 1,
            "venn-abers: merged at the ends");
    UNIT_STREQ(method_names[METHOD_VENN_ABERS], "venn-abers", "method names");
    UNIT_STREQ(method_names[METHOD_LOGISTIC], "logistic", "method names: logistic first");
}

static void check_curve_errors(void)
{
    size_t at = 99;
    calib_curve c = {.n = 3, .x = (double[]){0, 1, 3}, .p = (double[]){1, 0.5, 0.1}};
    UNIT_OK(calib_curve_check(&c, 0, &at, NULL) == NULL, "check: a good isotonic curve");
    c.x = (double[]){0, 1, 1};
    const char *why = calib_curve_check(&c, 0, &at, NULL);
    UNIT_OK(why && strstr(why, "ascending") && at == 2, "check: x not strictly ascending at 2");
    c.x = (double[]){0, NAN, 3};
    why = calib_curve_check(&c, 0, &at, NULL);
    UNIT_OK(why && at == 1, "check: NaN distance at 1");
    c.x = (double[]){0, 1, 3};
    c.p = (double[]){1, 0.5, 0.6};
    why = calib_curve_check(&c, 0, &at, NULL);
    UNIT_OK(why && strstr(why, "increases") && at == 2, "check: p increasing at 2");
    c.p = (double[]){1.5, 0.5, 0.1};
    why = calib_curve_check(&c, 0, &at, NULL);
    UNIT_OK(why && strstr(why, "[0, 1]") && at == 0, "check: p above 1 at 0");
    c.p = (double[]){1, 0.5, -0.1};
    UNIT_OK(calib_curve_check(&c, 0, &at, NULL) && at == 2, "check: p below 0 at 2");
    calib_curve v = {.n = 1,
                     .x = (double[]){2},
                     .p0 = (double[]){0.5, 0.4, 0.3},
                     .p1 = (double[]){0.9, 0.8, 0.7}};
    UNIT_OK(calib_curve_check(&v, 1, &at, NULL) == NULL, "check: a good venn-abers curve");
    UNIT_OK(calib_curve_check(&v, 0, &at, NULL) != NULL, "check: venn-abers read as isotonic");
    v.p1 = (double[]){0.9, 0.3, 0.2};
    why = calib_curve_check(&v, 1, &at, NULL);
    UNIT_OK(why && strstr(why, "p0 above p1") && at == 1, "check: p0 above p1 at region 1");
    v.p1 = (double[]){0.9, 0.95, 0.7};
    why = calib_curve_check(&v, 1, &at, NULL);
    UNIT_OK(why && strstr(why, "increases") && at == 1, "check: p1 increasing at region 1");
    calib_curve empty = {0};
    UNIT_OK(calib_curve_check(&empty, 0, &at, NULL) != NULL, "check: no knots");
}

static void check_platt(void)
{
    double d[] = {0.1, 0.2, 0.3, 0.25, 0.4, 0.35, 0.5, 0.15, 0.2, 0.45};
    unsigned char s[] = {1, 1, 0, 1, 0, 0, 0, 0, 1, 1};
    counts cnt;
    size_t k;
    const counts_entry *e = counts_of(&cnt, d, s, 10, &k);
    double w, b;
    logreg_result r = calib_fit_platt(e, k, &w, &b);
    /* scipy: Newton on the soft-target log loss to a gradient of 1e-15 */
    UNIT_OK(r.converged, "platt: converged");
    UNIT_NEAR(w, -4.7282451892295985, 1e-8, "platt: w as scipy's optimum");
    UNIT_NEAR(b, 1.3679878998828567, 1e-8, "platt: b as scipy's optimum");
    counts_entry big[16];
    for (size_t i = 0; i < k; i++) {
        big[i] = e[i];
        big[i].value *= 1000;
    }
    double w2, b2;
    calib_fit_platt(big, k, &w2, &b2);
    UNIT_NEAR(w2, w / 1000, 1e-9, "platt: distances x 1000, w / 1000");
    UNIT_NEAR(b2, b, 1e-9, "platt: distances x 1000, the same b");
    double worst = 0;
    for (size_t i = 0; i < k; i++)
        worst = fmax(
            worst, fabs(calib_platt_p(w2, b2, big[i].value) - calib_platt_p(w, b, e[i].value)));
    UNIT_OK(worst <= 1e-9, "platt: distances x 1000, the same p (%.3g)", worst);
    UNIT_OK(w < 0, "platt: p decreases with the distance");
    counts_free(&cnt);

    /* all at one distance: p there is the mean smoothed target */
    double d1[] = {3, 3, 3, 3};
    unsigned char s1[] = {1, 0, 0, 0};
    e = counts_of(&cnt, d1, s1, 4, &k);
    r = calib_fit_platt(e, k, &w, &b);
    UNIT_NEAR(calib_platt_p(w, b, 3), (2. / 3 + 3. / 5) / 4, 1e-9,
              "platt: one distance, the mean of the smoothed targets");
    counts_free(&cnt);

    /* separated classes: the smoothed targets keep w finite */
    double d2[] = {1, 2, 3, 4};
    unsigned char s2[] = {1, 1, 0, 0};
    e = counts_of(&cnt, d2, s2, 4, &k);
    r = calib_fit_platt(e, k, &w, &b);
    UNIT_OK(r.converged && isfinite(w) && w < 0 && isfinite(b),
            "platt: separated classes, finite w < 0 (%g, %g)", w, b);
    counts_free(&cnt);
}

/* tests/fixtures/sklearn-isotonic.tsv: its rows fitted, its predictions. */
static void check_sklearn(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/sklearn-isotonic.tsv", fixtures);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("Bail out! cannot open %s (run from the top of the tree or set FIXTURES)\n",
               path);
        exit(1);
    }
    counts cnt;
    counts_init(&cnt);
    double at[512], want[512];
    size_t n_at = 0, rows = 0;
    char line[256], kind[8];
    double a, v;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%7s %lf %lf", kind, &a, &v) != 3)
            continue;
        if (!strcmp(kind, "row")) {
            counts_add(&cnt, a, 1, v == 1);
            rows++;
        } else if (n_at < 512) {
            at[n_at] = a;
            want[n_at++] = v;
        }
    }
    fclose(f);
    size_t k;
    const counts_entry *e = counts_sorted(&cnt, &k);
    calib_curve c;
    calib_fit_isotonic(e, k, &c);
    double worst = 0;
    for (size_t i = 0; i < n_at; i++)
        worst = fmax(worst, fabs(calib_isotonic_p(&c, at[i]) - want[i]));
    UNIT_OK(rows == 300 && n_at > 100 && worst <= 1e-12,
            "scikit-learn's IsotonicRegression: %zu rows, %zu predictions, worst %.3g", rows,
            n_at, worst);
    calib_curve_free(&c);
    counts_free(&cnt);
}

/* 200000 distinct values: a quadratic Venn-Abers would show here. */
static void check_scale(void)
{
    uint64_t st = 99;
    size_t k = 200000;
    counts_entry *e = random_counts(&st, k, 0);
    calib_curve c;
    calib_fit_venn_abers(e, k, &c);
    size_t at;
    UNIT_OK(calib_curve_check(&c, 1, &at, NULL) == NULL && c.n >= 1,
            "venn-abers on %zu distinct distances: %zu knots kept", k, c.n);
    calib_curve_free(&c);
    free(e);
}

/* Extreme distances: a gap too wide for a double, a subnormal gap, Platt
 * on distances of every magnitude. */
static void check_extremes(void)
{
    double x[2] = {-1e308, 1e308}, p[2] = {1, 0};
    calib_curve c = {.n = 2, .x = x, .p = p};
    UNIT_OK(calib_isotonic_p(&c, 0) == 0.5, "isotonic, a gap of 2e308: 0 is half way");
    UNIT_NEAR(calib_isotonic_p(&c, 9e307), 0.05, 1e-12, "isotonic, a gap of 2e308: 9e307");
    double xs[2] = {2.2250738585072014e-308, 2.225073858507203e-308}, ps[2] = {1, 0.5};
    calib_curve cs = {.n = 2, .x = xs, .p = ps};
    double v = calib_isotonic_p(&cs, 2.225073858507202e-308);
    UNIT_OK(v > 0.5 && v < 1, "isotonic, a subnormal gap: between its knots (%g)", v);
    /* monotone to the last ulp, however the rounding goes */
    double xm[3] = {0.1, 0.3, 0.7}, pm[3] = {0.9, 0.7, 0.1};
    calib_curve cm = {.n = 3, .x = xm, .p = pm};
    int up = 0;
    double prev = 1;
    for (double d = 0.1; d < 0.7; d = nextafter(d, 1) + 1e-7) {
        double q = calib_isotonic_p(&cm, d);
        up += q > prev;
        prev = q;
    }
    UNIT_OK(up == 0, "isotonic: never increases with the distance (%d increases)", up);
    counts_entry e[4] = {{0.2, 3, 3}, {0.3, 2, 1}, {0.5, 3, 0}, {0.6, 2, 1}};
    double w1, b1;
    calib_fit_platt(e, 4, &w1, &b1);
    for (int k = -300; k <= 300; k += 60) {
        counts_entry es[4];
        double sc = pow(10, k), w, b;
        for (int i = 0; i < 4; i++) {
            es[i] = e[i];
            es[i].value = e[i].value * sc;
        }
        calib_fit_platt(es, 4, &w, &b);
        UNIT_NEAR(w * sc, w1, 1e-9, "platt, distances times 1e%d: w scales", k);
        UNIT_NEAR(b, b1, 1e-9, "platt, distances times 1e%d: b stays", k);
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    unit_fixtures(fixtures, sizeof fixtures, argv, "sklearn-isotonic.tsv");
    check_hand();
    check_lookups();
    check_curve_errors();
    check_isotonic_random();
    check_va_random();
    check_platt();
    check_sklearn();
    check_scale();
    check_extremes();
    return unit_done();
}
