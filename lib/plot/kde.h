/* kde: the Gaussian kernel density estimate that pandas' Series.plot.kde
 * draws (scipy.stats.gaussian_kde with its defaults), in one dimension.
 *
 * Scott's rule: the kernel's standard deviation is h = s * n^(-1/5), where
 * s is the sample standard deviation (ddof = 1), and
 *
 *     f(t) = 1 / (n h sqrt(2 pi)) * sum_i exp(-((t - x_i) / h)^2 / 2).
 *
 * pandas evaluates f on 1000 evenly spaced points from min - range/2 to
 * max + range/2 (kde_grid).
 *
 * Exact up to KDE_EXACT_MAX values: every term scipy adds is added (terms
 * further than 38.6 h away are skipped: exp() of them is 0 in double).
 * Beyond that, the sample is first binned linearly onto an even grid (the
 * standard "binned KDE") of at least KDE_BINS points, spaced at most
 * h / KDE_BINS_PER_H apart: the cost no longer grows with n, and the
 * density moves by less than 1e-5 of its peak, for any data.  When that
 * grid would need more than KDE_BINS_MAX points (h tiny beside the range:
 * a tight cluster and far outliers), the sum is exact again, and cheap,
 * since each value then reaches only a few of pandas' grid points.
 *
 * The mean and the variance are computed in units of the range, so that
 * data of any scale (1e-300 and 2e-300, values near DBL_MAX, 10^6 equal
 * values and one outlier) has its true spread, never a variance that
 * underflows to "all values are equal" or overflows to "too wide". */
#ifndef KDE_H
#define KDE_H

#include <stddef.h>

enum {
    KDE_EXACT_MAX = 20000,
    KDE_BINS = 16384,
    KDE_BINS_PER_H = 256,
    KDE_BINS_MAX = 1 << 21,
    KDE_GRID = 1000
};

typedef struct kde {
    size_t n;
    double min, max, mean, sd, h;
    /* exact (w NULL): the sorted sample; binned: the bin weights on an
     * even grid */
    const double *x;
    double *w;
    size_t nw;
    double w_lo, w_step;
} kde;

enum kde_status { KDE_OK, KDE_TOO_FEW, KDE_NO_SPREAD, KDE_TOO_WIDE, KDE_TOO_NARROW };

/* Fit the estimate to x[0..n) (sorted in place when the sum is exact;
 * kept, not copied, so it must outlive k).  Fewer than 2 values, or all
 * values equal (the bandwidth would be 0: scipy raises "singular data
 * covariance matrix"), returns KDE_TOO_FEW or KDE_NO_SPREAD and leaves k
 * unusable; so does KDE_TOO_WIDE, values so far apart (1e308 and -1e308)
 * that their range or pandas' grid overflows a double, and
 * KDE_TOO_NARROW, values so close together (subnormal: 1e-320 and
 * 2e-320) that the density's peak would overflow a double.  The
 * statistics n, min, max, mean are set in every case where n > 0. */
enum kde_status kde_fit(kde *k, double *x, size_t n);
void kde_free(kde *k);

/* Scott's factor n^(-1/5) (scipy's scotts_factor in one dimension). */
double kde_scott_factor(size_t n);

/* The density at t. */
double kde_eval(const kde *k, double t);

/* pandas' grid: m evenly spaced points from min - range/2 to max + range/2
 * (numpy.linspace), and the density at each. */
void kde_grid(const kde *k, size_t m, double *gx, double *gy);

#endif
