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
 * Beyond that, the sample is first binned linearly onto KDE_BINS points
 * (the standard "binned KDE"): the cost no longer grows with n, and the
 * density moves by less than 1e-5 of its peak. */
#ifndef KDE_H
#define KDE_H

#include <stddef.h>

enum { KDE_EXACT_MAX = 20000, KDE_BINS = 16384, KDE_GRID = 1000 };

typedef struct kde {
    size_t n;
    double min, max, mean, sd, h;
    /* exact: the sorted sample; binned: the bin weights on an even grid */
    const double *x;
    double *w;
    size_t nw;
    double w_lo, w_step;
} kde;

enum kde_status { KDE_OK, KDE_TOO_FEW, KDE_NO_SPREAD, KDE_TOO_WIDE };

/* Fit the estimate to x[0..n) (sorted in place when n <= KDE_EXACT_MAX;
 * kept, not copied, so it must outlive k).  Fewer than 2 values, or all values equal (the
 * bandwidth would be 0: scipy raises "singular data covariance matrix"),
 * returns KDE_TOO_FEW or KDE_NO_SPREAD and leaves k unusable; so does
 * KDE_TOO_WIDE, values so far apart (1e308 and -1e308) that their range or
 * variance overflows a double.  The
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
