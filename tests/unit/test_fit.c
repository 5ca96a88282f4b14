/* Unit tests of lib/fit/logreg.c, lib/fit/fit.c and lib/mapping/model_write.c:
 * the optimiser against an independent computation (nested bisection in
 * long double on the convex profile, and a long-double Newton), SPEC's
 * mean-of-p check, the measures of a column, and the model file's round
 * trip. */
#include "common/diag.h"
#include "fit/calib.h"
#include "common/par.h"
#include "fit/fit.h"
#include "fit/logloss.h"
#include "fit/logreg.h"
#include "fit/measure.h"
#include "mapping/logistic.h"
#include "mapping/model.h"
#include "stream/counts.h"
#include "stream/out.h"
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- an independent solver ---------------------------------------------- */

/* sigma(z) - y with full relative precision, in long double */
static long double resid(long double z, int y)
{
    return y ? -1.0L / (1.0L + expl(z)) : 1.0L / (1.0L + expl(-z));
}

/* For fixed w, the optimal b solves sum (sigma(w x + b) - y) = 0, which
 * increases with b: bisection. */
static long double best_b(const double *x, const unsigned char *y, size_t n, long double w)
{
    long double lo = -1, hi = 1;
    for (;;) {
        long double s = 0;
        for (size_t i = 0; i < n; i++)
            s += resid(w * x[i] + lo, y[i]);
        if (s < 0)
            break;
        lo *= 2;
    }
    for (;;) {
        long double s = 0;
        for (size_t i = 0; i < n; i++)
            s += resid(w * x[i] + hi, y[i]);
        if (s > 0)
            break;
        hi *= 2;
    }
    for (int k = 0; k < 200 && lo < hi; k++) {
        long double mid = (lo + hi) / 2, s = 0;
        if (mid <= lo || mid >= hi)
            break;
        for (size_t i = 0; i < n; i++)
            s += resid(w * x[i] + mid, y[i]);
        if (s < 0)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* The profile F(w) = min_b f(w, b) is convex and F'(w) = sum (sigma - y) x
 * + w / C at b = best_b(w) (the envelope theorem): bisection on w. */
static long double dprofile(const double *x, const unsigned char *y, size_t n, double C,
                            long double w)
{
    long double b = best_b(x, y, n, w), s = 0;
    for (size_t i = 0; i < n; i++)
        s += resid(w * x[i] + b, y[i]) * x[i];
    return s + w / C;
}

static void bisect_optimum(const double *x, const unsigned char *y, size_t n, double C,
                           long double *w_out, long double *b_out)
{
    long double lo = -1, hi = 1;
    while (dprofile(x, y, n, C, lo) > 0)
        lo *= 2;
    while (dprofile(x, y, n, C, hi) < 0)
        hi *= 2;
    for (int k = 0; k < 200; k++) {
        long double mid = (lo + hi) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (dprofile(x, y, n, C, mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    *w_out = (lo + hi) / 2;
    *b_out = best_b(x, y, n, *w_out);
}

/* Plain Newton in long double, no line search (fine from a close start). */
static void ld_newton(const double *x, const unsigned char *y, size_t n, double C,
                      long double *w, long double *b)
{
    for (int it = 0; it < 60; it++) {
        long double gw = *w / C, gb = 0, hww = 1.0L / C, hwb = 0, hbb = 0;
        for (size_t i = 0; i < n; i++) {
            long double z = *w * x[i] + *b, r = resid(z, y[i]);
            long double p = 1.0L / (1.0L + expl(-z)), h = p * (1 - p);
            gw += r * x[i];
            gb += r;
            hww += h * x[i] * x[i];
            hwb += h * x[i];
            hbb += h;
        }
        long double det = hww * hbb - hwb * hwb;
        long double dw = (-hbb * gw + hwb * gb) / det, db = (hwb * gw - hww * gb) / det;
        *w += dw;
        *b += db;
        if (fabsl(dw) < 1e-18L * (1 + fabsl(*w)) && fabsl(db) < 1e-18L * (1 + fabsl(*b)))
            break;
    }
}

/* ---- data --------------------------------------------------------------- */

static uint64_t rng = 88172645463325252u;
static double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1p-53;
}

/* n rows: x uniform in [0, 1], y drawn from a logistic with slope -8 at 0.4
 * (noisy, overlapping classes). */
static void noisy(double *x, unsigned char *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = unif();
        double p = 1 / (1 + exp(8 * (x[i] - 0.4)));
        y[i] = unif() < p;
    }
}

static void check_against_bisection(const char *what, const double *x, const unsigned char *y,
                                    size_t n, double C)
{
    long double w0, b0;
    bisect_optimum(x, y, n, C, &w0, &b0);
    logreg_result r = logreg_fit(x, 1, y, NULL, n, C, 1);
    UNIT_OK(r.converged, "%s: converged (%d steps)", what, r.iterations);
    UNIT_NEAR(r.w, (double)w0, 1e-12, "%s: w = %.17Lg to 1e-12", what, w0);
    UNIT_NEAR(r.b, (double)b0, 1e-12, "%s: b = %.17Lg to 1e-12", what, b0);
    UNIT_OK(r.grad_norm < 1e-10 * (double)n, "%s: gradient norm %g", what, r.grad_norm);
}

/* ---- tests -------------------------------------------------------------- */

static void test_optimum(void)
{
    enum { N = 300 };
    double x[N];
    unsigned char y[N];
    noisy(x, y, N);
    check_against_bisection("noisy classes, C = 1", x, y, N, 1);
    check_against_bisection("noisy classes, C = 0.01", x, y, N, 0.01);
    check_against_bisection("noisy classes, C = 1e6", x, y, N, 1e6);

    /* Perfectly separable (the article's decision target): only the
     * penalty keeps w finite. */
    for (size_t i = 0; i < N; i++)
        y[i] = x[i] <= 0.4;
    check_against_bisection("separable, C = 1", x, y, N, 1);
    check_against_bisection("separable, C = 1000", x, y, N, 1000);

    /* n = 2: x = 0 (y = 1), x = 1 (y = 0).  By symmetry b = -w / 2, and
     * w = -sigma(w / 2) with C = 1. */
    double x2[2] = {0, 1};
    unsigned char y2[2] = {1, 0};
    long double lo = -1, hi = 0;
    for (int k = 0; k < 100; k++) {
        long double mid = (lo + hi) / 2;
        if (mid + 1.0L / (1.0L + expl(-mid / 2)) < 0)
            lo = mid;
        else
            hi = mid;
    }
    logreg_result r = logreg_fit(x2, 1, y2, NULL, 2, 1, 0);
    UNIT_NEAR(r.w, (double)lo, 1e-13, "n = 2: w = -sigma(w/2) = %.17Lg", lo);
    UNIT_NEAR(r.b, (double)(-lo / 2), 1e-13, "n = 2: b = -w/2");

    /* Distances 1e-9 and 1e6 in one column, normalised as the article
     * does (x = d / max d). */
    double d3[6] = {1e-9, 2e-9, 3e5, 1e6, 5e-9, 7e5};
    unsigned char y3[6] = {1, 1, 0, 0, 1, 0};
    double x3[6];
    for (int i = 0; i < 6; i++)
        x3[i] = d3[i] / 1e6;
    long double wb, bb;
    bisect_optimum(x3, y3, 6, 1, &wb, &bb);
    r = logreg_fit(d3, 1 / 1e6, y3, NULL, 6, 1, 1);
    UNIT_NEAR(r.w, (double)wb, 1e-12, "distances 1e-9 to 1e6: w");
    UNIT_NEAR(r.b, (double)bb, 1e-12, "distances 1e-9 to 1e6: b");

    /* Tiny distances, not normalised (max <= 1): x ~ 1e-9. */
    double d4[4] = {1e-9, 2e-9, 3e-9, 4e-9};
    unsigned char y4[4] = {1, 1, 0, 0};
    bisect_optimum(d4, y4, 4, 1, &wb, &bb);
    r = logreg_fit(d4, 1, y4, NULL, 4, 1, 1);
    UNIT_OK(isfinite(r.w) && isfinite(r.b), "x ~ 1e-9: finite w %g, b %g", r.w, r.b);
    /* Here z = w x + b is about 1e-18, below what exp() resolves next to
     * 1: w is exact to 1e-12 relative, b (about 5e-18) to 1e-19 absolute. */
    UNIT_NEAR(r.w, (double)wb, 1e-12, "x ~ 1e-9: w");
    UNIT_OK(fabs(r.b - (double)bb) < 1e-19, "x ~ 1e-9: b %.17g vs %.17Lg", r.b, bb);

    /* One far outlier on the right side, whose curvature swamps the other
     * rows at the start (Newton's method gives up; the profile fallback
     * does not): the answer is the fit without it, where it saturates. */
    double d6[5] = {0.1, 2, 0.2, 1.5, -1e12};
    unsigned char y6[5] = {1, 0, 1, 0, 1};
    logreg_result r4 = logreg_fit(d6, 0.5, y6, NULL, 4, 1, 1);
    r = logreg_fit(d6, 0.5, y6, NULL, 5, 1, 1);
    UNIT_OK(r.converged && r4.converged, "an outlier at -1e12: converged (%d passes)",
            r.passes);
    UNIT_NEAR(r.w, r4.w, 1e-12, "an outlier at -1e12: w as without it");
    UNIT_NEAR(r.b, r4.b, 1e-12, "an outlier at -1e12: b as without it");

    /* A thousand identical distances, y one third ones: w = 0 and b is
     * the log-odds. */
    enum { K = 1000 };
    static double d5[K];
    static unsigned char y5[K];
    for (int i = 0; i < K; i++) {
        d5[i] = 0.5;
        y5[i] = i % 3 == 0;
    }
    r = logreg_fit(d5, 1, y5, NULL, K, 1, 1);
    double logodds = log(334.0 / 666.0);
    UNIT_OK(fabs(r.w) < 1e-12, "identical distances: w = %g", r.w);
    UNIT_NEAR(r.b, logodds, 1e-12, "identical distances: b = log-odds");
}

/* Random problems of every scale, offset and penalty, separable or not,
 * against the bisection solved on the centred feature (x - c is exact, so
 * the long-double reference is not swamped by the offset): 1e-9 relative,
 * or 1e-13 of the scale of z for a coefficient that hardly matters. */
static void test_random(void)
{
    int bad = 0, runs = 0;
    for (int t = 0; t < 150; t++) {
        size_t n = 2 + (size_t)(unif() * (unif() < 0.5 ? 10 : 50));
        double x[64], u[64];
        unsigned char y[64];
        double sc = pow(10, -12 + 24 * unif());
        double off = unif() < 0.3 ? pow(10, -6 + 12 * unif()) * (unif() < 0.5 ? -1 : 1) : 0;
        double C = pow(10, -3 + 7 * unif()), thr = unif();
        int sep = unif() < 0.5, n1 = 0;
        for (size_t i = 0; i < n; i++) {
            double v = unif();
            x[i] = off + sc * v;
            y[i] = sep ? v <= thr : unif() < 1 / (1 + exp(6 * (v - 0.5)));
            n1 += y[i];
        }
        if (n1 == 0 || n1 == (int)n)
            continue;
        double mn = x[0], mx = x[0];
        for (size_t i = 1; i < n; i++) {
            mn = x[i] < mn ? x[i] : mn;
            mx = x[i] > mx ? x[i] : mx;
        }
        double scale = mx > 1 ? 1 / mx : 1, c = mn * scale / 2 + mx * scale / 2;
        for (size_t i = 0; i < n; i++)
            u[i] = x[i] * scale - c;
        long double w0, b0;
        bisect_optimum(u, y, n, C, &w0, &b0);
        b0 -= w0 * c;
        logreg_result r = logreg_fit(x, scale, y, NULL, n, C, 0);
        double zs = fmax(1, fabs((double)w0) * fmax(fabs(mn * scale), fabs(mx * scale)) +
                                fabs((double)b0));
        double ew = fabs(r.w - (double)w0), eb = fabs(r.b - (double)b0);
        int ok = r.converged &&
                 (ew <= 1e-9 * fabs((double)w0) ||
                  ew * fmax(fabs(mn * scale), fabs(mx * scale)) <= 1e-13 * zs) &&
                 (eb <= 1e-9 * fabs((double)b0) || eb <= 1e-13 * zs);
        if (!ok && bad++ < 5)
            printf("# n %zu, x in %g + %g [0, 1], C %g: w %.17g vs %.17Lg, b %.17g vs %.17Lg\n",
                   n, off, sc, C, r.w, w0, r.b, b0);
        runs++;
    }
    UNIT_OK(bad == 0,
            "%d random problems (x from 1e-12 to 1e12 wide, offsets to 1e6, C from "
            "1e-3 to 1e4): %d off",
            runs, bad);
}

/* Large enough for the warm start on a subsample, against a long-double
 * Newton started at the answer's neighbourhood. */
static void test_large(void)
{
    enum { N = 200000 };
    double *x = xmalloc(N * sizeof *x);
    unsigned char *y = xmalloc(N);
    noisy(x, y, N);
    logreg_result r = logreg_fit(x, 1, y, NULL, N, 1, 1);
    long double w = 0, b = 0;
    ld_newton(x, y, N, 1, &w, &b);
    UNIT_NEAR(r.w, (double)w, 1e-12, "200000 noisy rows: w %.17Lg (%d steps, %d passes)", w,
              r.iterations, r.passes);
    UNIT_NEAR(r.b, (double)b, 1e-12, "200000 noisy rows: b %.17Lg", b);
    UNIT_OK(r.passes <= 8, "200000 noisy rows: %d passes over the data", r.passes);

    for (size_t i = 0; i < N; i++)
        y[i] = x[i] <= 0.4;
    r = logreg_fit(x, 1, y, NULL, N, 1, 1);
    w = r.w * (1 + 1e-6);
    b = r.b * (1 + 1e-6);
    ld_newton(x, y, N, 1, &w, &b);
    UNIT_NEAR(r.w, (double)w, 1e-11, "200000 separable rows: w %.17Lg (%d passes)", w,
              r.passes);
    UNIT_NEAR(r.b, (double)b, 1e-11, "200000 separable rows: b %.17Lg", b);
    free(x);
    free(y);
}

/* Weighted points fit as the rows they stand for: 10^6 noisy rows rounded
 * to 3 decimals (about 1000 distinct values), fitted as rows and as one
 * point per value and class weighted by its rows; the warm start runs on
 * the rows, not on the 2000 points, so the two paths differ in all but the
 * optimum.  And weights of 1 are the unweighted fit, bit for bit. */
static void test_weighted(void)
{
    enum { N = 1000000, V = 1001 };
    double *x = xmalloc(N * sizeof *x);
    unsigned char *y = xmalloc(N);
    noisy(x, y, N);
    double *px = xmalloc(2 * V * sizeof *px), *pw = xmalloc(2 * V * sizeof *pw);
    unsigned char *py = xmalloc(2 * V);
    for (size_t k = 0; k < 2 * V; k++) {
        px[k] = (double)(k / 2) / 1000;
        py[k] = k % 2;
        pw[k] = 0;
    }
    for (size_t i = 0; i < N; i++) {
        size_t v = (size_t)llround(x[i] * 1000);
        x[i] = (double)v / 1000;
        pw[2 * v + y[i]] += 1;
    }
    size_t m = 0; /* the points with rows */
    for (size_t k = 0; k < 2 * V; k++)
        if (pw[k] > 0) {
            px[m] = px[k];
            py[m] = py[k];
            pw[m++] = pw[k];
        }
    logreg_result rows = logreg_fit(x, 1, y, NULL, N, 1, 1);
    logreg_result pts = logreg_fit(px, 1, py, pw, m, 1, 1);
    UNIT_NEAR(pts.w, rows.w, 1e-10, "%zu weighted points: w as the 10^6 rows' (%.17g)", m,
              rows.w);
    UNIT_NEAR(pts.b, rows.b, 1e-10, "%zu weighted points: b as the 10^6 rows' (%.17g)", m,
              rows.b);
    UNIT_OK(pts.converged && pts.grad_norm < 1e-6, "weighted points: converged, gradient %.3g",
            pts.grad_norm);
    double *ones = xmalloc(N * sizeof *ones);
    for (size_t i = 0; i < N; i++)
        ones[i] = 1;
    logreg_result one = logreg_fit(x, 1, y, ones, N, 1, 1);
    UNIT_OK(one.w == rows.w && one.b == rows.b && one.passes == rows.passes,
            "weights of 1: the unweighted fit, bit for bit");

    /* the whole column (steps 2 to 6), target truth: the same model */
    for (size_t i = 0; i < N; i++)
        x[i] *= 3; /* normalizer > 1 */
    for (size_t k = 0; k < m; k++)
        px[k] *= 3;
    unsigned char *yb = xmalloc(N);
    fit_input in = {.file = "t",
                    .name = "cosine",
                    .d = x,
                    .n = N,
                    .same = y,
                    .threshold = 1.2,
                    .truth = 1,
                    .C = 1,
                    .ybuf = yb};
    model_metric mr, mp;
    fit_outcome rr, rp;
    fit_column(&in, &mr, &rr);
    in = (fit_input){.file = "t",
                     .name = "cosine",
                     .d = px,
                     .wgt = pw,
                     .n = m,
                     .same = py,
                     .threshold = 1.2,
                     .truth = 1,
                     .C = 1,
                     .ybuf = yb};
    fit_column(&in, &mp, &rp);
    UNIT_OK(mp.n == N && mp.n_true == mr.n_true && rp.n == N,
            "points: n and n_true count rows");
    UNIT_OK(mp.fit.normalizer == mr.fit.normalizer && mp.range_min == mr.range_min,
            "points: the same normalizer and range");
    UNIT_NEAR(mp.fit.w, mr.fit.w, 1e-10, "points: the column's w");
    UNIT_NEAR(mp.fit.denorm_max_true, mr.fit.denorm_max_true, 1e-10, "points: denorm_max_true");
    UNIT_NEAR(mp.fit.denorm_min_false, mr.fit.denorm_min_false, 1e-10,
              "points: denorm_min_false");
    UNIT_NEAR(rp.mean_p, rr.mean_p, 1e-10, "points: mean p over the rows");
    free(mr.name);
    free(mp.name);
    free(yb);
    free(x);
    free(y);
    free(px);
    free(pw);
    free(py);
    free(ones);
}

static void test_column(void)
{
    enum { N = 500 };
    double d[N];
    unsigned char same[N], ybuf[N];
    noisy(d, same, N);
    for (int i = 0; i < N; i++)
        d[i] *= 3; /* normalizer > 1 */
    fit_input in = {.file = "t",
                    .name = "cosine",
                    .d = d,
                    .n = N,
                    .same = same,
                    .threshold = 1.2,
                    .C = 1,
                    .report = 1,
                    .ybuf = ybuf};
    model_metric m;
    fit_outcome res;
    measure_report rep;
    fit_column(&in, &m, &res);
    counts cn;
    counts_init(&cn);
    for (int i = 0; i < N; i++)
        counts_add(&cn, d[i], 1, same[i]);
    size_t k;
    const counts_entry *e = counts_sorted(&cn, &k);
    measure_column(&in, &m, &res, e, k, &rep);
    counts_free(&cn);
    /* SPEC step 7: the intercept is free, so mean p = 100 n_true / n. */
    UNIT_NEAR(res.mean_p, 100.0 * (double)res.n_true / N, 1e-12, "mean of p = 100 n_true / n");
    UNIT_OK(m.fit.denorm_min_true <= m.fit.denorm_max_true &&
                m.fit.denorm_min_false <= m.fit.denorm_max_false,
            "denorm ranges ordered");
    UNIT_OK(m.fit.denorm_min_true >= m.fit.denorm_max_false, "p decreases with distance");
    double maxd = 0;
    for (int i = 0; i < N; i++)
        maxd = d[i] > maxd ? d[i] : maxd;
    UNIT_OK(m.fit.normalizer == maxd, "normalizer = max d");
    double pmax = -1;
    for (int i = 0; i < N; i++)
        if (d[i] <= 1.2) {
            double p =
                logistic_pct(m.fit.w * logistic_feature(d[i], m.fit.normalizer) + m.fit.b);
            pmax = p > pmax ? p : pmax;
        }
    UNIT_OK(pmax == m.fit.denorm_max_true, "denorm_max_true is bit-identical to confmap's p");
    UNIT_OK(rep.auc > 0.8 && rep.auc <= 1, "ROC AUC %g", rep.auc);
    UNIT_OK(rep.brier_raw > 0 && rep.brier_raw < 0.25, "Brier %g", rep.brier_raw);
    UNIT_OK(rep.ece_raw >= 0 && rep.ece_raw < 1, "ECE %g", rep.ece_raw);
    free(m.name);

    in.truth = 1;
    fit_column(&in, &m, &res);
    UNIT_NEAR(res.mean_p, 100.0 * (double)res.n_true / N, 1e-12, "truth: mean of p");
    UNIT_STREQ(m.target, "truth", "truth: target recorded");
    free(m.name);
}

static void test_sigmoid(void)
{
    UNIT_OK(logistic_pct(1000) == 100 && logistic_pct(-1000) == 0,
            "p(1000) = 100, p(-1000) = 0, no overflow");
    double x[2] = {0, 1};
    unsigned char y[2] = {1, 0};
    /* a start far out: the step guard keeps every exp() finite */
    logreg_result r = logreg_fit(x, 1, y, NULL, 2, 1e12, 0);
    UNIT_OK(isfinite(r.w) && isfinite(r.b) && r.converged, "C = 1e12: w %g, b %g", r.w, r.b);
}

static void test_model_roundtrip(void)
{
    char path[] = "/tmp/test_fit_modelXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    model_metric m[2];
    memset(m, 0, sizeof m);
    m[0] = (model_metric){.name = "cosine",
                          .has_threshold = 1,
                          .threshold = 0.4,
                          .fit.w = -6.502269165856082,
                          .fit.b = 1.679048923097668,
                          .fit.normalizer = 1.206694,
                          .fit.denorm_max_true = 77.17253153662926,
                          .fit.denorm_min_true = 1e-300,
                          .fit.denorm_max_false = 0.1 + 0.2,
                          .fit.denorm_min_false = 2.2250738585072014e-308,
                          .has_info = 1,
                          .n = 300,
                          .n_true = 38,
                          .C = 1};
    strcpy(m[0].target, "decision");
    strcpy(m[0].threshold_from, "Facenet");
    m[1] = (model_metric){.name = "1e5",
                          .has_threshold = 1,
                          .threshold = 1e22,
                          .fit.w = -1e-9,
                          .fit.b = 123456789012345678.0,
                          .fit.normalizer = 1,
                          .fit.denorm_max_true = 100,
                          .fit.denorm_min_true = 51,
                          .fit.denorm_max_false = 49,
                          .fit.denorm_min_false = 0,
                          .has_info = 1,
                          .n = 2,
                          .n_true = 1,
                          .C = 0.5,
                          .has_accuracy = 1,
                          .accuracy = 2.0 / 3};
    strcpy(m[1].target, "truth");
    strcpy(m[1].threshold_from, "tuned");
    model md = {.n = 2, .m = m};
    out *o = out_open(path);
    model_write(&md, o);
    out_close(o);
    model *back = model_read(path);
    UNIT_OK(back->n == 2, "model read back: 2 metrics");
    for (size_t i = 0; i < 2 && back->n == 2; i++) {
        const model_metric *a = &m[i], *b = &back->m[i];
        int same = strcmp(a->name, b->name) == 0 && a->threshold == b->threshold &&
                   a->fit.w == b->fit.w && a->fit.b == b->fit.b &&
                   a->fit.normalizer == b->fit.normalizer &&
                   a->fit.denorm_max_true == b->fit.denorm_max_true &&
                   a->fit.denorm_min_true == b->fit.denorm_min_true &&
                   a->fit.denorm_max_false == b->fit.denorm_max_false &&
                   a->fit.denorm_min_false == b->fit.denorm_min_false && a->n == b->n &&
                   a->n_true == b->n_true && a->C == b->C &&
                   strcmp(a->target, b->target) == 0 &&
                   strcmp(a->threshold_from, b->threshold_from) == 0 &&
                   a->has_accuracy == b->has_accuracy && a->accuracy == b->accuracy;
        UNIT_OK(same, "metric '%s' reads back bit-identical", a->name);
    }
    model_free(back);
    unlink(path);
}

/* Doubles equal bit for bit (a NaN never is). */
static int same_doubles(const double *a, const double *b, size_t n)
{
    return n == 0 || (a && b && memcmp(a, b, n * sizeof *a) == 0);
}

/* Each calibrated method's model, fitted on awkward distances, reads back
 * bit-identical, and writes the same file again. */
static void test_calibrated_roundtrip(void)
{
    uint64_t st = 42;
    enum { K = 400 };
    counts_entry e[K];
    double v = 1e-300;
    for (size_t t = 0; t < K; t++) {
        v = t == 0   ? 1e-300
            : t == 1 ? 0.1 + 0.2
                     : v + (double)(unit_rand(&st) % 1000 + 1) / 7e3;
        e[t].value = v;
        e[t].n = unit_rand(&st) % 5 + 1;
        e[t].n_same = unit_rand(&st) % (e[t].n + 1);
    }
    model_metric m[3];
    memset(m, 0, sizeof m);
    const char *names[3] = {"cosine", "yes", "d\xc3\xa9"};
    for (int i = 0; i < 3; i++) {
        m[i].name = (char *)names[i];
        m[i].has_info = 1;
        m[i].n = 1000;
        m[i].n_true = 400;
        m[i].has_range = 1;
        m[i].range_min = e[0].value;
        m[i].range_max = e[K - 1].value;
    }
    m[0].method = METHOD_PLATT;
    calib_fit_platt(e, K, &m[0].fit.w, &m[0].fit.b);
    m[1].method = METHOD_ISOTONIC;
    calib_fit_isotonic(e, K, &m[1].curve);
    m[2].method = METHOD_VENN_ABERS;
    m[2].has_threshold = 1;
    m[2].threshold = 0.4;
    calib_fit_venn_abers(e, K, &m[2].curve);
    model md = {.n = 3, .m = m};
    char *path = unit_path("calibrated.yaml"), *again = unit_path("again.yaml");
    out *o = out_open(path);
    model_write(&md, o);
    out_close(o);
    model *back = model_read(path);
    UNIT_OK(back->n == 3, "calibrated model read back: 3 metrics");
    for (size_t i = 0; i < 3 && back->n == 3; i++) {
        const model_metric *a = &m[i], *b = &back->m[i];
        const calib_curve *ca = &a->curve, *cb = &b->curve;
        size_t nr = a->method == METHOD_VENN_ABERS ? 2 * ca->n + 1 : 0;
        int same = strcmp(a->name, b->name) == 0 && a->method == b->method &&
                   a->fit.w == b->fit.w && a->fit.b == b->fit.b && ca->n == cb->n &&
                   same_doubles(ca->x, cb->x, ca->n) &&
                   same_doubles(ca->p, cb->p, a->method == METHOD_ISOTONIC ? ca->n : 0) &&
                   same_doubles(ca->p0, cb->p0, nr) && same_doubles(ca->p1, cb->p1, nr) &&
                   a->n == b->n && a->n_true == b->n_true && a->range_min == b->range_min &&
                   a->range_max == b->range_max && a->has_threshold == b->has_threshold &&
                   a->threshold == b->threshold;
        UNIT_OK(same, "%s metric '%s' reads back bit-identical", method_names[a->method],
                a->name);
    }
    o = out_open(again);
    model_write(back, o);
    out_close(o);
    size_t n1, n2;
    char *t1 = strdup(unit_slurp(path, &n1)); /* unit_slurp's buffer is reused */
    const char *t2 = unit_slurp(again, &n2);
    UNIT_OK(n1 == n2 && memcmp(t1, t2, n1) == 0, "written again: the same %zu bytes", n1);
    UNIT_OK(strncmp(t1, "version: 2\n", 11) == 0, "a calibrated model is version 2");
    free(t1);
    model_free(back);
    for (int i = 0; i < 3; i++)
        calib_curve_free(&m[i].curve);
}

/* A model holding a value that is not finite (NaN, an infinity) is never
 * written: no reader takes it back.  In a child each, as the error ends
 * the program: status 1, its one line, the old file kept whole, no
 * temporary file beside it. */
static void test_model_not_finite(void)
{
    static const struct {
        double w;
        const char *what;
    } cases[] = {{NAN, "NaN"}, {-INFINITY, "infinite"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = strdup(unit_write("keep.yaml", "old model\n"));
        char *err = strdup(unit_path("stderr"));
        model_metric m = {.name = "cosine", .fit.w = cases[i].w, .fit.normalizer = 1};
        strcpy(m.target, "decision");
        model md = {.n = 1, .m = &m};
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            if (!freopen(err, "w", stderr))
                _exit(99);
            out *o = out_open(path);
            model_write(&md, o);
            out_close(o);
            _exit(0);
        }
        int st = -1;
        waitpid(pid, &st, 0);
        UNIT_OK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "w %s: status 1 (%d)", cases[i].what,
                WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        char want[512];
        snprintf(want, sizeof want, "test_fit: %s: cannot write the model: a value is %s\n",
                 path, cases[i].what);
        UNIT_STREQ(unit_slurp(err, NULL), want, "w %s: the message", cases[i].what);
        UNIT_STREQ(unit_slurp(path, NULL), "old model\n", "w %s: the old file kept",
                   cases[i].what);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "ls -A '%.500s' | grep -q '^\\.distconf-'", unit_dir);
        UNIT_OK(system(cmd) != 0, "w %s: no temporary file left", cases[i].what);
        free(path);
        free(err);
    }
}

/* fit_column on two threads is fit_column on one, bit for bit: its pass
 * over the points before the fit (rows, range, target) and logreg's are
 * split in halves; -0 first and 0 last, so that a tie of the halves' least
 * values shows which one is kept (the first, as one pass keeps it). */
static void test_halves(void)
{
    size_t n = 3 * (size_t)PAR_MIN_ROWS + 77;
    double *d = malloc(n * sizeof *d), *w = malloc(n * sizeof *w);
    unsigned char *same = malloc(n), *ybuf = malloc(n);
    noisy(d, same, n);
    for (size_t i = 0; i < n; i++) {
        d[i] = d[i] * 3 + 1e-3; /* normalizer > 1; every value above 0 */
        w[i] = (double)(1 + i % 7);
    }
    d[0] = -0.0;
    d[n - 1] = 0.0;
    d[n / 3] = d[2 * n / 3] = 3.5; /* the largest, once in each half */
    for (int truth = 0; truth < 2; truth++) {
        model_metric m[2];
        fit_outcome res[2];
        for (int two = 0; two < 2; two++) {
            fit_input in = {.file = "t", .name = "cosine", .d = d, .wgt = w, .n = n,
                            .same = same, .threshold = 1.2, .truth = truth, .C = 1,
                            .ybuf = ybuf};
            logloss_set_threads(two);
            fit_column(&in, &m[two], &res[two]);
        }
        logloss_set_threads(1);
        UNIT_OK(memcmp(&m[0].fit, &m[1].fit, sizeof m[0].fit) == 0 && m[0].n == m[1].n &&
                    m[0].n_true == m[1].n_true && res[0].opt.w == res[1].opt.w &&
                    res[0].opt.b == res[1].opt.b && res[0].mean_p == res[1].mean_p &&
                    res[0].opt.passes == res[1].opt.passes,
                "target %s: one thread or two, the same fit", truth ? "truth" : "decision");
        UNIT_OK(m[1].range_max == 3.5 && m[1].range_min == 0 && signbit(m[1].range_min) &&
                    signbit(m[0].range_min),
                "target %s: the range's least value the first of -0 and 0 on either",
                truth ? "truth" : "decision");
        free(m[0].name);
        free(m[1].name);
    }
    free(d);
    free(w);
    free(same);
    free(ybuf);
}

int main(void)
{
    diag_init("test_fit");
    test_optimum();
    test_random();
    test_large();
    test_weighted();
    test_column();
    test_sigmoid();
    test_model_roundtrip();
    test_calibrated_roundtrip();
    test_model_not_finite();
    test_halves();
    return unit_done();
}
