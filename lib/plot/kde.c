/* kde: Gaussian kernel density estimate, Scott's bandwidth (see kde.h). */
#include "plot/kde.h"

#include "common/diag.h"
#include "common/sort.h"

#include <math.h>
#include <stdlib.h>

/* exp(-u*u/2) is exactly 0 in double beyond this |u| (exp(-745.2) = 0). */
#define KDE_CUT 38.61
/* Binned, the terms beyond |u| = 8.5 (exp(-36.1) = 2e-16) weigh at most
 * 2e-16 R/h of the peak, far below the binning's own error. */
#define KDE_CUT_BINNED 8.5

double kde_scott_factor(size_t n)
{
    return pow((double)n, -0.2);
}

/* Compensated sum of (x[i] - c) / scale, or of its squares. */
static double sum_scaled(const double *x, size_t n, double c, double scale, int square)
{
    double s = 0, comp = 0;
    for (size_t i = 0; i < n; i++) {
        double v = (x[i] - c) / scale;
        if (square)
            v *= v;
        double t = s + v;
        if (fabs(s) >= fabs(v))
            comp += (s - t) + v;
        else
            comp += (v - t) + s;
        s = t;
    }
    return s + comp;
}

enum kde_status kde_fit(kde *k, double *x, size_t n)
{
    *k = (kde){.n = n};
    if (n == 0)
        return KDE_TOO_FEW;
    k->x = x;
    if (n <= KDE_EXACT_MAX) { /* summed exactly: sorted, to find each window */
        /* The extremes as a stable sort leaves them at x[0] and x[n - 1]:
         * the first of the values equal to the least, the last of those
         * equal to the greatest.  sort_doubles is not stable, and -0 and 0
         * are equal but print apart ("-0.0000", "0.0000"). */
        k->min = k->max = x[0];
        for (size_t i = 1; i < n; i++) {
            k->min = x[i] < k->min ? x[i] : k->min;
            k->max = x[i] >= k->max ? x[i] : k->max;
        }
        sort_doubles(x, n);
    } else { /* binned: only the extremes matter */
        k->min = k->max = x[0];
        for (size_t i = 1; i < n; i++) {
            k->min = x[i] < k->min ? x[i] : k->min;
            k->max = x[i] > k->max ? x[i] : k->max;
        }
    }
    double range = k->max - k->min;
    /* The mean and the deviations in units of the range: every scaled
     * value is in [0, 1] and the largest deviation at least 1/2, so
     * neither the sum nor the squares overflow or underflow, whatever the
     * scale of the data (1e-300 and 2e-300, or near DBL_MAX). */
    if (range == 0)
        k->mean = k->min;
    else if (isfinite(range))
        k->mean = k->min + range * (sum_scaled(x, n, k->min, range, 0) / (double)n);
    else
        k->mean = sum_scaled(x, n, 0, 1, 0) / (double)n;
    if (n < 2)
        return KDE_TOO_FEW;
    if (k->min == k->max)
        return KDE_NO_SPREAD;
    if (!isfinite(range) || !isfinite(k->min - 0.5 * range) || !isfinite(k->max + 0.5 * range))
        return KDE_TOO_WIDE; /* pandas' grid would not be finite */
    k->sd = range * sqrt(sum_scaled(x, n, k->mean, range, 1) / (double)(n - 1));
    k->h = k->sd * kde_scott_factor(n);
    if (!isfinite(k->h) || !isfinite(k->mean))
        return KDE_TOO_WIDE;
    if (!(k->h > 0) || !isfinite(1 / (k->h * sqrt(2 * M_PI))))
        return KDE_TOO_NARROW; /* the density's peak exceeds a double */
    if (n > KDE_EXACT_MAX) {
        /* Enough bins that the spacing is at most h / KDE_BINS_PER_H (the
         * binning's error is then below 1e-5 of the peak); when that is
         * more than KDE_BINS_MAX, h is so small beside the range that the
         * exact sum is cheap: each value reaches only a few grid points. */
        double want = ceil(range / k->h * KDE_BINS_PER_H) + 1;
        if (!(want <= KDE_BINS_MAX)) {
            sort_doubles(x, n);
            return KDE_OK;
        }
        k->nw = want > KDE_BINS ? (size_t)want : KDE_BINS;
        /* Linear binning: each value splits its unit weight between the two
         * nearest grid points, in proportion to its closeness. */
        k->w = xcalloc(k->nw, sizeof *k->w);
        k->w_lo = k->min;
        k->w_step = (k->max - k->min) / (double)(k->nw - 1);
        for (size_t i = 0; i < n; i++) {
            double pos = (x[i] - k->w_lo) / k->w_step;
            size_t j = (size_t)pos;
            if (j > k->nw - 2)
                j = k->nw - 2;
            double frac = pos - (double)j;
            if (frac > 1)
                frac = 1;
            k->w[j] += 1 - frac;
            k->w[j + 1] += frac;
        }
    }
    return KDE_OK;
}

void kde_free(kde *k)
{
    free(k->w);
    k->w = NULL;
}

/* The first index i in sorted x[0..n) with x[i] >= v. */
static size_t lower_bound(const double *x, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double kde_eval(const kde *k, double t)
{
    const double inv_h = 1 / k->h, cut = (k->w ? KDE_CUT_BINNED : KDE_CUT) * k->h;
    double s = 0;
    if (!k->w) {
        size_t i = lower_bound(k->x, k->n, t - cut);
        for (; i < k->n && k->x[i] <= t + cut; i++) {
            double u = (t - k->x[i]) * inv_h;
            s += exp(-0.5 * u * u);
        }
    } else {
        double a = ceil((t - cut - k->w_lo) / k->w_step);
        double b = floor((t + cut - k->w_lo) / k->w_step);
        if (a < 0)
            a = 0;
        if (b > (double)(k->nw - 1))
            b = (double)(k->nw - 1);
        for (double jd = a; jd <= b; jd++) {
            size_t j = (size_t)jd;
            double u = (t - (k->w_lo + jd * k->w_step)) * inv_h;
            s += k->w[j] * exp(-0.5 * u * u);
        }
    }
    return s / (double)k->n / k->h / sqrt(2 * M_PI); /* (n h overflows near DBL_MAX) */
}

void kde_grid(const kde *k, size_t m, double *gx, double *gy)
{
    double range = k->max - k->min;
    double start = k->min - 0.5 * range, stop = k->max + 0.5 * range;
    double step = m > 1 ? (stop - start) / (double)(m - 1) : 0;
    for (size_t i = 0; i < m; i++) {
        gx[i] = i + 1 == m && m > 1 ? stop : (double)i * step + start;
        gy[i] = kde_eval(k, gx[i]);
    }
}
