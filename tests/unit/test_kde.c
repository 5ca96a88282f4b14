/* The Gaussian KDE against a closed form and against scipy. */
#include "plot/kde.h"
#include "unit.h"

#include <stdlib.h>

static double phi(double u)
{
    return exp(-0.5 * u * u) / sqrt(2 * M_PI);
}

/* Two points: the density is known in closed form. */
static void two_points(double x1, double x2)
{
    double x[2] = {x1, x2};
    kde k;
    enum kde_status st = kde_fit(&k, x, 2); /* UNIT_OK evaluates its test twice */
    UNIT_OK(st == KDE_OK, "two points %g, %g: fitted", x1, x2);
    double sd = fabs(x2 - x1) / sqrt(2);
    double h = sd * pow(2, -0.2);
    UNIT_NEAR(k.sd, sd, 1e-15, "two points: sd = |x2 - x1| / sqrt(2)");
    UNIT_NEAR(k.h, h, 1e-15, "two points: h = sd * 2^(-1/5)");
    UNIT_NEAR(k.mean, (x1 + x2) / 2, 1e-15, "two points: mean");
    double lo = fmin(x1, x2), hi = fmax(x1, x2), r = hi - lo;
    int ok = 1;
    double worst = 0;
    for (int i = -40; i <= 40; i++) {
        double t = (lo + hi) / 2 + i * r / 20;
        double want = (phi((t - x1) / h) + phi((t - x2) / h)) / (2 * h);
        double got = kde_eval(&k, t);
        double rel = fabs(got - want) / want;
        if (rel > worst)
            worst = rel;
        if (rel > 1e-13)
            ok = 0;
    }
    UNIT_OK(ok,
            "two points: density = (phi((t-x1)/h) + phi((t-x2)/h)) / 2h at 81 points "
            "(worst relative error %.1e)",
            worst);
    kde_free(&k);
}

/* 50 values (rounded to 3 decimals) and scipy.stats.gaussian_kde's
 * answers (scipy 1.10.1, numpy 1.24):
 *   x = np.round([50 + 30*np.sin(i*1.7) + (i%7)*2.5 for i in range(50)], 3)
 *   k = gaussian_kde(x); k.evaluate(t) */
static const double sample[50] = {
    50.0,   82.25,  47.334, 29.726, 74.823, 86.455, 44.004, 31.456, 78.275, 66.902,
    28.658, 55.53,  92.494, 61.741, 20.846, 63.272, 81.378, 39.931, 38.149, 85.7,
    80.872, 22.71,  43.66,  84.568, 58.721, 30.117, 68.98,  93.213, 36.25,  27.83,
    75.107, 76.988, 34.871, 49.487, 93.482, 55.673, 22.556, 57.043, 86.918, 50.377,
    35.562, 81.565, 72.669, 30.093, 38.105, 84.26,  69.999, 33.163, 62.56,  79.966};

static const double scipy_at[][2] = {
    {-20.0, 6.408137350333344e-07}, {0.0, 0.00032800819192610003},
    {31.5, 0.012447478471803223},   {50.0, 0.011756884722113392},
    {77.25, 0.013853379783669397},  {120.0, 9.532375166753694e-05},
};

/* pandas' grid: np.linspace(min - range/2, max + range/2, 1000). */
static const double scipy_grid[][3] = {
    {0, -15.471999999999998, 3.5653064885629286e-06},
    {1, -15.32658258258258, 3.7559791791833594e-06},
    {500, 57.23670870870872, 0.011422904895808644},
    {999, 129.8, 4.522420124248129e-06},
};

static void against_scipy(void)
{
    double x[50];
    memcpy(x, sample, sizeof x);
    kde k;
    enum kde_status st = kde_fit(&k, x, 50);
    UNIT_OK(st == KDE_OK, "scipy sample: fitted");
    UNIT_NEAR(kde_scott_factor(50), 0.45730505192732634, 1e-15, "Scott's factor 50^(-1/5)");
    UNIT_NEAR(k.sd, 22.5164741932095, 1e-13, "sample sd, ddof = 1");
    UNIT_NEAR(k.h, 10.296897400145973, 1e-13, "bandwidth = sqrt(kde.covariance)");
    for (size_t i = 0; i < sizeof scipy_at / sizeof *scipy_at; i++)
        UNIT_NEAR(kde_eval(&k, scipy_at[i][0]), scipy_at[i][1], 1e-12, "scipy: density at %g",
                  scipy_at[i][0]);
    double gx[KDE_GRID], gy[KDE_GRID];
    kde_grid(&k, KDE_GRID, gx, gy);
    for (size_t i = 0; i < sizeof scipy_grid / sizeof *scipy_grid; i++) {
        size_t j = (size_t)scipy_grid[i][0];
        UNIT_NEAR(gx[j], scipy_grid[i][1], 1e-15, "pandas grid: point %zu", j);
        UNIT_NEAR(gy[j], scipy_grid[i][2], 1e-12, "pandas grid: density at point %zu", j);
    }
    UNIT_OK(gx[999] == 129.8, "pandas grid ends at max + range/2 exactly");
    /* Integrates to 1 (trapezoid over the grid, which holds nearly all of it). */
    double area = 0;
    for (size_t i = 1; i < KDE_GRID; i++)
        area += (gx[i] - gx[i - 1]) * (gy[i] + gy[i - 1]) / 2;
    UNIT_NEAR(area, 1, 1e-3, "the density integrates to about 1 (%.6f)", area);
    kde_free(&k);
}

static void refusals(void)
{
    kde k;
    double one[1] = {3};
    enum kde_status st = kde_fit(&k, one, 1);
    UNIT_OK(st == KDE_TOO_FEW, "one value: too few");
    st = kde_fit(&k, one, 0);
    UNIT_OK(st == KDE_TOO_FEW, "no value: too few");
    double same[3] = {51, 51, 51};
    st = kde_fit(&k, same, 3);
    UNIT_OK(st == KDE_NO_SPREAD, "equal values: no spread");
    UNIT_OK(k.n == 3 && k.min == 51 && k.max == 51 && k.mean == 51,
            "equal values: n, min, max, mean still set");
    double wide[2] = {-1e308, 1e308};
    st = kde_fit(&k, wide, 2);
    UNIT_OK(st == KDE_TOO_WIDE, "-1e308 and 1e308: too wide (the range overflows)");
    double wide2[3] = {-1.5e308, 0, 0};
    st = kde_fit(&k, wide2, 3);
    UNIT_OK(st == KDE_TOO_WIDE, "-1.5e308 and 0: too wide (pandas' grid overflows)");
    double tiny[2] = {1, 1 + 0x1p-52};
    st = kde_fit(&k, tiny, 2);
    UNIT_OK(st == KDE_OK && k.h > 0 && kde_eval(&k, 1) > 0, "1 and the next double: a density");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Beyond KDE_EXACT_MAX values the sample is binned: close to exact. */
static void binned(void)
{
    size_t n = KDE_EXACT_MAX + 5001;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    /* A deterministic two-humped sample. */
    unsigned long long s = 88172645463325252ULL;
    for (size_t i = 0; i < n; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u1 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u2 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        x[i] = (i % 3 ? 20 : 75) + 8 * z;
    }
    memcpy(y, x, n * sizeof *x);
    kde kb, ke;
    enum kde_status sb = kde_fit(&kb, x, n), se = kde_fit(&ke, y, KDE_EXACT_MAX);
    UNIT_OK(sb == KDE_OK && kb.w, "large sample: binned");
    UNIT_OK(se == KDE_OK && !ke.w, "at the limit: exact");
    /* Compare the binned estimate with the exact sum over the same sample
     * (which the exact sum wants sorted; binning left it as it was). */
    qsort(x, n, sizeof *x, cmp_double);
    ke.n = n;
    ke.x = x;
    ke.h = kb.h;
    double peak = 0, worst = 0;
    for (int i = 0; i <= 200; i++) {
        double t = -20 + i * 0.6;
        double e = kde_eval(&ke, t);
        if (e > peak)
            peak = e;
    }
    for (int i = 0; i <= 200; i++) {
        double t = -20 + i * 0.6;
        double d = fabs(kde_eval(&kb, t) - kde_eval(&ke, t)) / peak;
        if (d > worst)
            worst = d;
    }
    UNIT_OK(worst < 1e-5, "binned within 1e-5 of the peak of the exact sum (%.1e)", worst);
    kde_free(&kb);
    kde_free(&ke);
    free(x);
    free(y);
}

/* The exact sum on pandas' grid, the plain O(n * grid) way: distinct
 * values v[i], each count[i] times, with the bandwidth h. */
static double worst_vs_exact(const kde *k, const double *v, const double *count, size_t nv,
                             double h, double *peak_out)
{
    double gx[KDE_GRID], gy[KDE_GRID], peak = 0, worst = 0;
    kde_grid(k, KDE_GRID, gx, gy);
    static double ref[KDE_GRID];
    for (size_t j = 0; j < KDE_GRID; j++) {
        long double sum = 0;
        for (size_t i = 0; i < nv; i++) {
            double u = (gx[j] - v[i]) / h;
            if (fabs(u) < 40) /* exp() of the others is 0 */
                sum += count[i] * exp(-0.5 * u * u);
        }
        ref[j] = (double)(sum / ((long double)k->n * h * sqrtl(2 * M_PI)));
        peak = fmax(peak, ref[j]);
    }
    for (size_t j = 0; j < KDE_GRID; j++)
        worst = fmax(worst, fabs(gy[j] - ref[j]));
    *peak_out = peak;
    return worst / peak;
}

/* Sample sd by the textbook in long double on values scaled by s. */
static double sd_scaled(const double *v, const double *count, size_t nv, double s)
{
    long double n = 0, sum = 0, ss = 0;
    for (size_t i = 0; i < nv; i++) {
        n += count[i];
        sum += count[i] * ((long double)v[i] / s);
    }
    long double mean = sum / n;
    for (size_t i = 0; i < nv; i++) {
        long double d = (long double)v[i] / s - mean;
        ss += count[i] * d * d;
    }
    return (double)(sqrtl(ss / (n - 1)) * s);
}

/* Data made to break the binned estimate and the variance: the density
 * stays within 1e-5 of the peak of the exact sum, and the spread is the
 * true one. */
static void adversarial(void)
{
    enum { N = 30000 };
    static double x[1000001], v[N + 1], c[N + 1];
    kde k;
    double peak, worst;

    /* one far outlier: h is far below the default bin spacing */
    for (size_t i = 0; i < N - 1; i++)
        x[i] = v[i] = (double)i * 1e-7;
    x[N - 1] = v[N - 1] = 1000;
    for (size_t i = 0; i < N; i++)
        c[i] = 1;
    UNIT_OK(kde_fit(&k, x, N) == KDE_OK, "a cluster and one far outlier: fitted");
    UNIT_OK((k.max - k.min) / k.h > KDE_BINS / 16,
            "  its bandwidth spans fewer than 16 of the default bins (range/h %.0f)",
            (k.max - k.min) / k.h);
    worst = worst_vs_exact(&k, v, c, N, k.h, &peak);
    UNIT_OK(worst < 1e-5, "  within 1e-5 of the exact sum's peak (%.1e)", worst);
    kde_free(&k);

    /* two clusters far apart, each of tiny spread */
    for (size_t i = 0; i < N; i++)
        x[i] = v[i] = (i % 2 ? 1e9 : -1e9) + (double)(i / 2) * 1e-6;
    UNIT_OK(kde_fit(&k, x, N) == KDE_OK, "two far clusters of tiny spread: fitted");
    worst = worst_vs_exact(&k, v, c, N, k.h, &peak);
    UNIT_OK(worst < 1e-5, "  within 1e-5 of the exact sum's peak (%.1e)", worst);
    kde_free(&k);

    /* 10^6 equal values and one outlier: the exact sum, by fallback */
    for (size_t i = 0; i < 1000000; i++)
        x[i] = 5;
    x[1000000] = 6;
    v[0] = 5, c[0] = 1000000, v[1] = 6, c[1] = 1;
    UNIT_OK(kde_fit(&k, x, 1000001) == KDE_OK, "10^6 equal values and one outlier: fitted");
    UNIT_NEAR(k.sd, sd_scaled(v, c, 2, 1), 1e-9, "  sd");
    worst = worst_vs_exact(&k, v, c, 2, k.h, &peak);
    UNIT_OK(worst < 1e-5, "  within 1e-5 of the exact sum's peak (%.1e)", worst);
    kde_free(&k);

    /* a variance that underflows: 1e-300 and 2e-300, and 30000 values
     * 1e-290 apart by 1e-296 (squares of 1e-592) */
    x[0] = v[0] = 1e-300, x[1] = v[1] = 2e-300, c[0] = c[1] = 1;
    UNIT_OK(kde_fit(&k, x, 2) == KDE_OK, "1e-300 and 2e-300: a density, not 'all equal'");
    UNIT_NEAR(k.sd, 1e-300 / sqrt(2), 1e-14, "  sd = 1e-300 / sqrt(2)");
    worst = worst_vs_exact(&k, v, c, 2, k.h, &peak);
    UNIT_OK(worst < 1e-12, "  the exact density (%.1e)", worst);
    for (size_t i = 0; i < N; i++) {
        x[i] = v[i] = 1e-290 + (double)(i % 1000) * 1e-296;
        c[i] = 1;
    }
    UNIT_OK(kde_fit(&k, x, N) == KDE_OK, "30000 values near 1e-290, 1e-296 apart: a density");
    UNIT_NEAR(k.sd, sd_scaled(v, c, N, 1e-296), 1e-9, "  sd");
    worst = worst_vs_exact(&k, v, c, N, k.h, &peak);
    UNIT_OK(worst < 1e-5, "  within 1e-5 of the exact sum's peak (%.1e)", worst);
    kde_free(&k);

    /* subnormal spread: the density's peak would exceed a double */
    x[0] = 1e-320, x[1] = 2e-320;
    UNIT_OK(kde_fit(&k, x, 2) == KDE_TOO_NARROW, "1e-320 and 2e-320: too narrow, not 'all equal'");

    /* near DBL_MAX: neither the mean nor the variance overflows */
    x[0] = v[0] = 1.7e308, x[1] = v[1] = 1.75e308, x[2] = v[2] = 1.72e308;
    UNIT_OK(kde_fit(&k, x, 3) == KDE_OK, "1.7e308, 1.72e308, 1.75e308: a density, not 'too wide'");
    UNIT_NEAR(k.mean, 1.7233333333333333e308, 1e-15, "  mean");
    UNIT_NEAR(k.sd, sd_scaled(v, c, 3, 1e300), 1e-14, "  sd");
    worst = worst_vs_exact(&k, v, c, 3, k.h, &peak);
    UNIT_OK(worst < 1e-12, "  the exact density (%.1e)", worst);
    for (size_t i = 0; i < N; i++)
        x[i] = v[i] = 1.6e308 + (double)(i % 997) * 1e304;
    UNIT_OK(kde_fit(&k, x, N) == KDE_OK, "30000 values near 1.6e308: binned");
    UNIT_NEAR(k.sd, sd_scaled(v, c, N, 1e300), 1e-9, "  sd");
    worst = worst_vs_exact(&k, v, c, N, k.h, &peak);
    UNIT_OK(worst < 1e-5, "  within 1e-5 of the exact sum's peak (%.1e)", worst);
    kde_free(&k);
}

int main(void)
{
    two_points(1, 4);
    two_points(-3.5, 120.25);
    two_points(49, 51);
    against_scipy();
    refusals();
    binned();
    adversarial();
    return unit_done();
}
