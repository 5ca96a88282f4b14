/* binom: intervals for a rate k/n of binomial counts (an FMR, an FNMR, a
 * bin's share of same pairs), and the quantiles of the beta distribution
 * they need.  Pure functions, no allocation.
 *
 *   binom_interval(BINOM_WILSON, k, n, 0.95, &lo, &hi);   two-sided
 *   double ub = binom_cp_upper(k, n, 0.95);               one-sided
 *
 * The textbook formulas (Brown, Cai and DasGupta 2001):
 *   wilson            (k + z^2/2 +- z sqrt(k (n-k) / n + z^2/4)) / (n + z^2),
 *                     z the normal quantile of 1 - (1 - level)/2
 *   jeffreys          the (1-level)/2 and 1 - (1-level)/2 quantiles of
 *                     Beta(k + 1/2, n - k + 1/2); lo = 0 when k = 0, hi = 1
 *                     when k = n
 *   clopper-pearson   lo = Beta(k, n - k + 1) quantile (1-level)/2 (0 when k
 *                     = 0), hi = Beta(k + 1, n - k) quantile 1 - (1-level)/2
 *                     (1 when k = n)
 * n = 0: lo = 0, hi = 1. */
#ifndef BINOM_H
#define BINOM_H

#include <stdint.h>

typedef enum binom_method { BINOM_WILSON, BINOM_JEFFREYS, BINOM_CLOPPER_PEARSON } binom_method;
#define BINOM_N (BINOM_CLOPPER_PEARSON + 1)
/* "wilson", "jeffreys", "clopper-pearson", by binom_method */
extern const char *const binom_names[BINOM_N];

/* The two-sided interval of level `level` (0 < level < 1) for k of n. */
void binom_interval(binom_method m, uint64_t k, uint64_t n, double level, double *lo,
                    double *hi);
/* The one-sided Clopper-Pearson upper bound of level `level` for k of n:
 * the `level` quantile of Beta(k + 1, n - k), 1 when k = n (n = 0: 1). */
double binom_cp_upper(uint64_t k, uint64_t n, double level);
/* The standard normal quantile of p (0 < p < 1), to full double precision. */
double binom_normal_quantile(double p);
/* The p quantile of Beta(a, b) (a, b > 0, 0 <= p <= 1), to about 1e-14
 * relative: the inverse of the regularised incomplete beta function. */
double binom_beta_quantile(double p, double a, double b);
/* The regularised incomplete beta function I_x(a, b). */
double binom_beta_cdf(double x, double a, double b);

#endif
