/* calibrated: a distance to the probability that the pair is the same
 * person, by a calibrated method's fitted numbers (fit/calib.h fits them;
 * the model file holds them; confmap applies them here, logfit's measures
 * too, so that both compute the very same doubles).
 *
 *   platt       p = 1 / (1 + exp(-(w d + b)))    (w, b: the model's)
 *   isotonic    p at the knots x[0] < ... < x[n-1] is p[j]; between two
 *               knots, the straight line between them; below x[0] p[0],
 *               above x[n-1] p[n-1] (scikit-learn's IsotonicRegression
 *               predict with out_of_bounds="clip": np.interp)
 *   venn-abers  a step function: the line cut at the knots into 2n + 1
 *               regions, (-inf, x[0]), {x[0]}, (x[0], x[1]), {x[1]}, ...,
 *               {x[n-1]}, (x[n-1], inf), region r holding p0[r] and p1[r];
 *               the probability is p1 / (1 - p0 + p1)
 *
 *   double p = calib_isotonic_p(&curve, d);
 *   calib_va_p(&curve, d, &p0, &p1);  p = calib_va_merge(p0, p1);
 *
 * Each look-up is a binary search over the knots: O(log n). */
#ifndef CALIBRATED_H
#define CALIBRATED_H

#include <stddef.h>

/* A metric's method, as the model file's key `method` spells it. */
typedef enum model_method {
    METHOD_LOGISTIC, /* the article's (mapping/logistic.h, confidence.h) */
    METHOD_PLATT,
    METHOD_ISOTONIC,
    METHOD_VENN_ABERS,
} model_method;
#define METHOD_N (METHOD_VENN_ABERS + 1)

/* "logistic", "platt", "isotonic", "venn-abers", by model_method. */
extern const char *const method_names[METHOD_N];

/* The knots of an isotonic or Venn-Abers fit (see above); NULL pointers
 * where the method has none (p for venn-abers, p0 and p1 for isotonic).
 * Owned by whoever filled it: calib_curve_free. */
typedef struct calib_curve {
    size_t n;  /* knots, at least 1 */
    double *x; /* n distances, strictly ascending */
    double *p; /* isotonic: n probabilities, non-increasing, in [0, 1] */
    double *p0, *p1; /* venn-abers: 2n + 1 each, non-increasing, in [0, 1],
                        p0[r] <= p1[r] */
} calib_curve;

void calib_curve_free(calib_curve *c);

/* What is wrong with a curve read from a file (not strictly ascending x,
 * a p outside [0, 1] or increasing with the distance, p0 above p1), as a
 * phrase for a message with *at the offending position and *key (if not
 * NULL) the list it is in ("x", "p", "p0" or "p1"); NULL if none. */
const char *calib_curve_check(const calib_curve *c, int venn_abers, size_t *at,
                              const char **key);

/* Platt's probability at distance d. */
double calib_platt_p(double w, double b, double d);

/* The isotonic probability at distance d (any double but NaN): np.interp's
 * value to within rounding (the fraction of the way between two knots,
 * never an infinite slope), never outside its two knots' p. */
double calib_isotonic_p(const calib_curve *c, double d);

/* Venn-Abers' p0 and p1 at distance d (any double but NaN). */
void calib_va_p(const calib_curve *c, double d, double *p0, double *p1);

/* Vovk and Petej's merged probability p1 / (1 - p0 + p1). */
double calib_va_merge(double p0, double p1);

#endif
