/* measure: how good a fitted column is, against the column `same`: the
 * threshold tuned for accuracy, ROC AUC, the Brier score, the expected
 * calibration error (equal-width and equal-mass bins) and whether the
 * penalty, not the data, set the scale.  The one module of lib/fit that
 * knows how confidences are computed (mapping/confidence.h): the re-scaled
 * scores are measured as confmap computes them.
 *
 *   T = measure_tune_threshold(d, same, n, scratch, &correct);   step 1
 *   ... fit_column(&in, &m, &res) ...
 *   measure_column(&in, &m, &res, scratch, &mr);                 logfit -v
 *
 * Measures over ranks (ROC AUC, equal-mass ECE, the tuned threshold) walk
 * the scores of the two classes sorted apart, a measure_classes; a new one
 * (a ROC curve, FMR and FNMR at a threshold) takes one too. */
#ifndef MEASURE_H
#define MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "fit/counts.h"
#include "fit/fit.h"
#include "mapping/model.h"

/* The scores of the rows with outcome 1 (pos) and 0 (neg). */
typedef struct measure_classes {
    double *pos;
    size_t npos;
    double *neg;
    size_t nneg;
} measure_classes;

/* Sort both classes ascending, in place: what the measures below expect. */
void measure_classes_sort(measure_classes *c);

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
double measure_tune_threshold(const double *d, const unsigned char *same, size_t n,
                              double *scratch, uint64_t *correct);

/* The same threshold and count from a column's counts (counts_sorted: the
 * distinct values ascending, with their rows and same-person rows), in
 * memory that does not grow with the rows.  (The rows' walk above computes
 * the same and stays while the rows path keeps rows: counting all-distinct
 * rows first is slower today.) */
double measure_tune_threshold_counts(const counts_entry *e, size_t k, uint64_t *correct);

/* ROC AUC of the score against the class (ties count one half), from
 * sorted classes.  NaN when a class is empty. */
double measure_auc(const measure_classes *c);

/* Expected calibration error over 10 equal-width bins of [0, 1]: the
 * row-weighted mean over bins of |mean score - mean outcome|.  Accumulate
 * with measure_ece_add, finish with measure_ece_value. */
typedef struct measure_ece {
    double sum_q[10], sum_y[10];
    uint64_t count[10], n;
} measure_ece;
void measure_ece_add(measure_ece *e, double q, int y);
double measure_ece_value(const measure_ece *e);
/* The bins with at least one row. */
int measure_ece_bins(const measure_ece *e);

/* Equal-mass ECE from sorted classes, n = npos + nneg rows ranked by score:
 * bin k (0..9) holds ranks [k n / 10, (k + 1) n / 10) (integer division),
 * except that equal scores are never split: a run of them goes whole to
 * the bin of its first rank, so a bin may hold more rows, or none.  The
 * row-weighted mean over bins of |mean score - mean outcome|, i.e. sum over
 * bins |sum q - sum y| / n; *occupied gets the bins with rows.  NaN when n
 * is 0. */
double measure_ece_mass(const measure_classes *c, int *occupied);

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
    double auc;                      /* ROC AUC of p; NaN without scratch */
    double brier_raw, ece_raw;       /* of p / 100 */
    double brier_scaled, ece_scaled; /* of the re-scaled score / 100 (confmap's clamped) */
    int bins_raw, bins_scaled;       /* equal-width bins occupied */
    double ecem_raw, ecem_scaled;    /* equal-mass ECE; NaN without scratch */
    int binsm_raw, binsm_scaled;     /* equal-mass bins occupied */
} measure_report;

/* The measures of the column in (its d, n, same, C) as fitted into m and
 * res by fit_column: the penalty check always, the rest when in->same is
 * not NULL; ROC AUC and equal-mass ECE need scratch (n doubles, or NULL). */
void measure_column(const fit_input *in, const model_metric *m, const fit_outcome *res,
                    double *scratch, measure_report *r);

#endif
