/* fit: the article's fit on one distance column (SPEC.md, "The fit").
 *
 *   1. threshold T (given, DeepFace's, or tuned here on `same`)
 *   2. target y: the decision d <= T, or the `same` column (--target truth)
 *   3. normalizer = max d; x = d / normalizer when it exceeds 1
 *   4. w, b minimising  sum log(1 + exp(-(2y-1)(w x + b))) + w^2 / (2C),
 *      solved to the exact optimum by Newton's method
 *   5. p = logistic_pct(w x + b)
 *   6. denorm values: max and min of p over each class of y
 *
 * and the measures that `logfit -v` reports: accuracy, ROC AUC, Brier score
 * and expected calibration error against `same`. */
#ifndef FIT_H
#define FIT_H

#include <stddef.h>
#include <stdint.h>

#include "mapping/model.h"

/* What the optimiser found. */
typedef struct fit_result {
    double w, b;
    int iterations;        /* Newton steps on the whole data (the warm start apart) */
    int passes;            /* passes over the data that evaluated exp() */
    double grad_norm;      /* |gradient of the objective| at (w, b) if asked, else at
                              the last point evaluated */
    double grad_w, grad_b; /* its components */
    int converged;
    int fallback; /* Newton gave up: found by bisection on the profile */
} fit_result;

/* Minimise  sum_i log(1 + exp(-(2 y_i - 1)(w x_i + b))) + w^2 / (2C)  with
 * x_i = d[i] * scale and y[i] in {0, 1}, from any data: both classes are
 * needed for a finite b (the caller checks); C > 0 keeps w finite.
 * Newton's method on (w, b), with x mapped onto [-1, 1]: a warm start on
 * strided subsamples when n is large, then full steps whenever a bound on
 * the third derivative of the logistic loss guarantees their descent,
 * backtracking on the objective otherwise.  It stops when the step is below
 * 1e-10 relative, or when the same bound puts the error left below 1e-14,
 * or at the floor of rounding noise.  Should Newton give up (100 steps, or
 * a Hessian too ill-conditioned to descend: one far outlier, say), the
 * optimum is found by bisection on the convex profile min_b f(w, b).
 * final_gradient: spend one more pass to report the gradient at the
 * returned point. */
fit_result fit_logistic(const double *d, double scale, const unsigned char *y, size_t n,
                        double C, int final_gradient);

/* Sort n doubles (no NaN) in place, ascending; no extra memory. */
void fit_sort(double *a, size_t n);

/* The threshold that maximises the accuracy of "same when d <= T" against
 * same[] (0/1), in the middle of the widest gap of equally accurate ones.
 * With v1 < v2 < ... < vk the distinct distances, the accuracy is constant
 * for T in [vi, vi+1); T is taken in [v1, vk] (below v1 nothing is same,
 * from vk on everything is).  The T of best accuracy form intervals: a run
 * of best [vi, vi+1) ... [vj, vj+1) is the interval [vi, vj+1), and a run
 * reaching vk is [vi, vk].  The widest interval wins (of equal widths, the
 * smallest), and T is its midpoint vi + (end - vi) / 2 (vi itself when the
 * midpoint rounds to the end, or the interval is the single point vk).
 * scratch holds n doubles.  *correct gets the number of rows classified
 * correctly. */
double fit_tune_threshold(const double *d, const unsigned char *same, size_t n, double *scratch,
                          uint64_t *correct);

/* ROC AUC of score against same (ties count one half), from the scores of
 * the npos positives in pos[] and of the nneg negatives in neg[]; both
 * arrays are sorted in place.  NaN when a class is empty. */
double fit_auc(double *pos, size_t npos, double *neg, size_t nneg);

/* One column, steps 3 to 6, and the report. */
typedef struct fit_input {
    const char *file; /* for messages */
    const char *name; /* the column */
    const double *d;  /* n distances */
    size_t n;
    const unsigned char *same; /* 0/1 per row, or NULL (no `same` column) */
    double threshold;
    int truth; /* target: 0 the decision d <= T, 1 `same` */
    double C;
    int report;          /* compute the -v measures */
    unsigned char *ybuf; /* n bytes of room */
    double *scratch;     /* n doubles of room, when report and same */
} fit_input;

typedef struct fit_report {
    uint64_t n, n_true; /* rows; rows with y = 1 */
    fit_result opt;
    double mean_p;                   /* mean of p; SPEC step 7: 100 n_true / n */
    int has_same;                    /* the rest is against `same` */
    uint64_t n_same;                 /* rows with same = 1 */
    double accuracy;                 /* of d <= T */
    double auc;                      /* ROC AUC of p */
    double brier_raw, ece_raw;       /* of p / 100 */
    double brier_scaled, ece_scaled; /* of the re-scaled score / 100 (confmap's clamped) */
    int bins_raw, bins_scaled;       /* equal-width bins occupied */
    double ecem_raw, ecem_scaled;    /* equal-mass ECE (fit_ece_mass); NaN without scratch */
    int binsm_raw, binsm_scaled;     /* equal-mass bins occupied */
    /* Whether the penalty, not the data, set the scale (with report, with or
     * without `same`): see FIT_PENALTY_SPAN and fit_column. */
    double p_min, p_max; /* p over all rows */
    double w_weak;       /* w fitted with C * FIT_PENALTY_WEAKER */
    int penalty_dominates;
} fit_report;

/* The penalty dominates the fit when both hold: the fitted p spans less than
 * FIT_PENALTY_SPAN points (of 100) over the rows, and the same fit with a
 * penalty FIT_PENALTY_WEAKER times weaker (C times as much) has |w| more
 * than twice as large.  The first says the scores are squeezed; the second
 * that the data would spread them if the penalty let it (an uninformative
 * column has a narrow p whatever C: not the penalty's doing). */
#define FIT_PENALTY_SPAN 50.0
#define FIT_PENALTY_WEAKER 1e6 /* "10^6" in the -v report */

/* Fill m (name, threshold, w, b, normalizer, denorm values, n, n_true,
 * the range of d, target, C; threshold_from and accuracy are the
 * caller's) and rep.
 * Fewer than 2 rows, or all rows in one class, is an error. */
void fit_column(const fit_input *in, model_metric *m, fit_report *rep);

/* Expected calibration error over 10 equal-width bins of [0, 1]: the
 * row-weighted mean over bins of |mean score - mean outcome|.  Accumulate
 * with fit_ece_add, finish with fit_ece_value. */
typedef struct fit_ece {
    double sum_q[10], sum_y[10];
    uint64_t count[10], n;
} fit_ece;
void fit_ece_add(fit_ece *e, double q, int y);
double fit_ece_value(const fit_ece *e);
/* The bins with at least one row. */
int fit_ece_bins(const fit_ece *e);

/* Equal-mass ECE: the scores of the rows with outcome 1 in pos[], of those
 * with 0 in neg[] (both sorted in place), n = npos + nneg rows ranked by
 * score; bin k (0..9) holds ranks [k n / 10, (k + 1) n / 10) (integer
 * division), except that equal scores are never split: a run of them goes
 * whole to the bin of its first rank, so a bin may hold more rows, or none.
 * The row-weighted mean over bins of |mean score - mean outcome|, i.e.
 * sum over bins |sum q - sum y| / n; *occupied gets the bins with rows.
 * NaN when n is 0. */
double fit_ece_mass(double *pos, size_t npos, double *neg, size_t nneg, int *occupied);

/* The -v report of one column on stderr. */
void fit_report_print(const model_metric *m, const fit_report *rep);

#endif
