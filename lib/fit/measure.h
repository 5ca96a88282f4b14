/* measure: how good a fitted column is, against the column `same`: the
 * threshold tuned for accuracy, ROC AUC, the Brier score, the expected
 * calibration error (equal-width and equal-mass bins) and whether the
 * penalty, not the data, set the scale.  The one module of lib/fit that
 * knows how confidences are computed (mapping/confidence.h): the re-scaled
 * scores are measured as confmap computes them.
 *
 *   e = counts_sorted(&column, &k);
 *   T = measure_tune_threshold(e, k, &correct);            step 1
 *   ... fit_column(&in, &m, &res) ...
 *   measure_column(&in, &m, &res, e, k, &mr);              logfit -v
 *
 * Every measure reads a column's counts (fit/counts.h): the distinct
 * values ascending, each with its rows and same-person rows, so that
 * memory does not grow with the rows.  Measures over ranks (ROC AUC,
 * equal-mass ECE, the tuned threshold) walk counts sorted by the score; a
 * new one (a ROC curve, FMR and FNMR at a threshold) takes them too. */
#ifndef MEASURE_H
#define MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "stream/counts.h"
#include "fit/fit.h"
#include "mapping/deepface.h"
#include "mapping/model.h"

/* The threshold that maximises the accuracy of "same when d <= T" against
 * same[] (0/1), in the middle of the widest gap of equally accurate ones.
 * With v1 < v2 < ... < vk the distinct distances, the accuracy is constant
 * for T in [vi, vi+1); T is taken in [v1, vk] (below v1 nothing is same,
 * from vk on everything is).  The T of best accuracy form intervals: a run
 * of best [vi, vi+1) ... [vj, vj+1) is the interval [vi, vj+1), and a run
 * reaching vk is [vi, vk].  The widest interval wins (of equal widths, the
 * smallest), and T is its midpoint vi + (end - vi) / 2 (vi itself when the
 * midpoint rounds to the end, or the interval is the single point vk).
 * From the column's counts (e ascending by value, k of them); *correct
 * gets the number of rows classified correctly. */
double measure_tune_threshold(const counts_entry *e, size_t k, uint64_t *correct);

/* ROC AUC of the score against the class (ties count one half): e[t].value
 * a score, ascending, e[t].n_same its positives, e[t].n - e[t].n_same its
 * negatives (equal scores may repeat).  NaN when a class is empty. */
double measure_auc(const counts_entry *e, size_t k);

/* Expected calibration error over 10 equal-width bins of [0, 1]: the
 * row-weighted mean over bins of |mean score - mean outcome|.  Accumulate
 * with measure_ece_add, finish with measure_ece_value. */
typedef struct measure_ece {
    double sum_q[10], sum_y[10];
    uint64_t count[10], n;
} measure_ece;
void measure_ece_add(measure_ece *e, double q, uint64_t pos, uint64_t neg); /* rows of score q */
double measure_ece_value(const measure_ece *e);
/* The bins with at least one row. */
int measure_ece_bins(const measure_ece *e);

/* Equal-mass ECE from scores as measure_auc's, n rows ranked by score:
 * bin k (0..9) holds ranks [k n / 10, (k + 1) n / 10) (integer division),
 * except that equal scores are never split: a run of them goes whole to
 * the bin of its first rank, so a bin may hold more rows, or none.  The
 * row-weighted mean over bins of |mean score - mean outcome|, i.e. sum over
 * bins |sum q - sum y| / n; *occupied gets the bins with rows.  NaN when n
 * is 0. */
double measure_ece_mass(const counts_entry *e, size_t k, int *occupied);

/* The penalty dominates the fit when both hold: the fitted p spans less than
 * MEASURE_PENALTY_SPAN points (of 100) over the rows, and the same fit with
 * a penalty MEASURE_PENALTY_WEAKER times weaker (C times as much) has |w|
 * more than twice as large.  The first says the scores are squeezed; the
 * second that the data would spread them if the penalty let it (an
 * uninformative column has a narrow p whatever C: not the penalty's
 * doing). */
#define MEASURE_PENALTY_SPAN 50.0
#define MEASURE_PENALTY_WEAKER 1e6 /* "10^6" in the -v report */

/* What logfit -v reports of one column beyond the fit itself. */
typedef struct measure_report {
    double p_min, p_max; /* p over all rows */
    double w_weak;       /* w fitted with C * MEASURE_PENALTY_WEAKER */
    int penalty_dominates;
    int has_same;                    /* the rest is against `same` */
    uint64_t n_same;                 /* rows with same = 1 */
    double accuracy;                 /* of d <= T */
    double auc;                      /* ROC AUC of p */
    double brier_raw, ece_raw;       /* of p / 100 */
    double brier_scaled, ece_scaled; /* of the re-scaled score / 100 (confmap's clamped) */
    int bins_raw, bins_scaled;       /* equal-width bins occupied */
    double ecem_raw, ecem_scaled;    /* equal-mass ECE */
    int binsm_raw, binsm_scaled;     /* equal-mass bins occupied */
} measure_report;

/* The measures of the column fitted from in into m and res by fit_column:
 * the penalty check always (on in's points), the rest against `same` when
 * e is not NULL (the column's counts, ascending, k of them). */
void measure_column(const fit_input *in, const model_metric *m, const fit_outcome *res,
                    const counts_entry *e, size_t k, measure_report *r);

/* The probability metric m of a model gives distance d, in [0, 1]: a
 * calibrated method's (venn-abers: merged, with *lo and *hi its p0 and p1;
 * the others: both p), or, for the article's logistic fit, its clamped
 * confidence / 100: the percentage its users read. */
double measure_probability(const model_metric *m, double d, double *lo, double *hi);
/* DeepFace's own confidence / 100 (style deepface) for metric column `mi`
 * (metric_find) of dm, at distance d. */
double measure_deepface_probability(const deepface_model *dm, int mi, double d);

/* Probabilities against the labels (held-out or not): add the rows of each
 * probability q, then finish.  The calibration errors as measure_ece and
 * measure_ece_mass define them, the Brier score, the log loss (q clipped
 * to [1e-15, 1 - 1e-15], as scikit-learn's log_loss clips), ROC AUC, the
 * mean width of the Venn-Abers interval, and a 95 % interval for the
 * equal-width ECE: the 2.5 % and 97.5 % points of `boot` Poisson bootstrap
 * resamples of the rows (each probability's positives and negatives
 * redrawn as Poisson counts), seeded. */
typedef struct measure_scores {
    counts_entry *e; /* value: q; n, n_same: its rows, positives */
    size_t n, cap;
    double width; /* sum over rows of hi - lo */
} measure_scores;
typedef struct measure_calib {
    uint64_t n, n_same;
    double ece, ece_lo, ece_hi, ece_mass, brier, log_loss, auc, width;
    int ece_bins, ece_mass_bins;
} measure_calib;
void measure_scores_add(measure_scores *s, double q, double width, uint64_t pos, uint64_t neg);
/* Fill r and free what s holds. */
void measure_scores_finish(measure_scores *s, uint64_t seed, int boot, measure_calib *r);

#endif
