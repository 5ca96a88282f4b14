/* roc: how well a score column tells same pairs from different ones, from
 * its counts (stream/counts.h: the distinct values ascending, each with its
 * rows n and same-person rows n_same), in the terms of ISO/IEC 19795-1:
 *
 *   a pair is accepted (declared same) at threshold t when its value is
 *   <= t (ROC_LOWER: distances) or >= t (ROC_HIGHER: confidences,
 *   probabilities);
 *   FMR(t)  = different pairs accepted / different pairs  (false match rate)
 *   FNMR(t) = same pairs rejected / same pairs        (false non-match rate)
 *
 *   roc r;
 *   roc_init(&r, e, k, ROC_LOWER);
 *   double auc = roc_auc(&r);
 *   roc_eer(&r, &eer);  roc_at(&r, t, &fm, &fnm);  roc_at_fmr(&r, 1e-3, &op);
 *
 * Everything walks the k distinct values once (O(k)), so it costs the same
 * from counts as from the rows they count, and gives the same numbers. */
#ifndef ROC_H
#define ROC_H

#include <stddef.h>
#include <stdint.h>

#include "stream/counts.h"

typedef enum roc_dir { ROC_LOWER, ROC_HIGHER } roc_dir;

typedef struct roc {
    const counts_entry *e; /* ascending by value */
    size_t k;
    roc_dir dir;
    uint64_t n_same, n_diff;
} roc;

void roc_init(roc *r, const counts_entry *e, size_t k, roc_dir dir);

/* ROC AUC: the probability that a same pair scores better than a
 * different one, ties one half (scikit-learn's roc_auc_score of the score,
 * negated for ROC_LOWER).  NaN when a class is empty. */
double roc_auc(const roc *r);

/* The false matches and false non-matches at threshold t. */
void roc_at(const roc *r, double t, uint64_t *fm, uint64_t *fnm);

/* An operating point: a threshold and its counts. */
typedef struct roc_point {
    double threshold; /* -inf (ROC_LOWER) or inf (ROC_HIGHER): accept nothing */
    uint64_t fm, fnm;
} roc_point;

/* The equal error rate.  Over the thresholds at the distinct values (and
 * "accept nothing"), the one where |FMR - FNMR| is least (compared
 * exactly, in integers; of equal ones, the first in accepting order); eer is the mean of the
 * two rates there, lo and hi the smaller and the larger (equal when they cross exactly). */
typedef struct roc_eer_result {
    roc_point at;
    double eer, lo, hi;
} roc_eer_result;
void roc_eer(const roc *r, roc_eer_result *out);

/* The operating point that accepts the most pairs with FMR <= x: the
 * threshold at a distinct value (or "accept nothing" when none has FMR <=
 * x).  Returns 0 when the different pairs are too few to measure an FMR of
 * x at all (n_diff * x < 1: the point is then only "no false match"),
 * else 1. */
int roc_at_fmr(const roc *r, double x, roc_point *out);

/* d' = |mean same - mean different| / sqrt((var same + var different) / 2)
 * (population variances, as bob.measure's d_prime); NaN when a class is
 * empty. */
double roc_d_prime(const roc *r);

/* The ROC (and DET) curve as scikit-learn's roc_curve(drop_intermediate=
 * True) gives it: the thresholds at the distinct values in accepting order,
 * a point kept when it is the first or the last or a corner (its false
 * matches or true matches change slope there), then "accept nothing"
 * prepended.  Calls emit for each point in order; returns the points. */
size_t roc_curve(const roc *r, void (*emit)(void *arg, const roc_point *p), void *arg);

#endif
