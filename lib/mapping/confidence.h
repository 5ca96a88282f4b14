/* confidence: a distance to a confidence in percent (SPEC.md, "The
 * mapping").  With p = logistic_pct(w x + b) and T the threshold:
 *
 *   same (d <= T): lo, hi = denorm_min_true, denorm_max_true;
 *                  target [tlo, thi] = [max(51, lo), 100]
 *   different:     lo, hi = denorm_min_false, denorm_max_false;
 *                  target [tlo, thi] = [0, min(49, hi)]
 *   c = ((p - lo) / (hi - lo)) * (thi - tlo) + tlo
 *
 * evaluated in exactly that order (the article's and DeepFace's), so that
 * the doubles agree with theirs bit for bit.
 *
 * A degenerate range (hi - lo < CONF_RANGE_MIN, in practice hi == lo: one
 * training row in the class) has no slope; there the fraction
 * (p - lo) / (hi - lo) is defined as 0 when p < lo, 1 when p > hi and 1/2
 * when p == lo, so c is the bottom, the top or the middle of the target
 * band.  Never a division by zero, never NaN. */
#ifndef CONFIDENCE_H
#define CONFIDENCE_H

#include <stddef.h>

#include "mapping/logistic.h"

typedef enum conf_style {
    CONF_CLAMPED,  /* c held in its band: same [51, 100], different [0, 49] */
    CONF_STUDY,    /* c as the article's notebook computes it */
    CONF_DEEPFACE, /* DeepFace's find_confidence (v0.0.97+), to 2 decimals */
    CONF_RAW,      /* p itself */
    CONF_PROBABILITY, /* a calibrated method's probability (mapping/calibrated.h),
                         not a logistic fit's: conf_value does not take it */
} conf_style;
#define CONF_NSTYLES (CONF_PROBABILITY + 1)

/* The styles' names, by conf_style: "clamped", "study", "deepface", "raw",
 * "probability". */
extern const char *const conf_style_names[CONF_NSTYLES];

/* What a confidence is computed from: the fit (a model file's metric's, or
 * DeepFace's constants for one metric, assigned whole) and the threshold
 * that chooses the band. */
typedef struct conf_params {
    double threshold;
    logistic_fit fit;
    int constant; /* no fitted constants (Buffalo_L): 51 if same, else 49 */
} conf_params;

/* Ranges narrower than this are degenerate (see above): 100 / CONF_RANGE_MIN
 * times a band of at most 100 stays finite. */
#define CONF_RANGE_MIN 1e-290

/* The confidence in percent of a finite distance d.  For CONF_DEEPFACE the
 * result is already rounded to 2 decimals (as Python's round(x, 2)). */
double conf_value(const conf_params *c, conf_style style, double d);
/* conf_value of n distances d[i * dstride] into v[i * vstride]: the same
 * numbers, the constants worked out once (confmap's batches).  d and v do
 * not overlap (a few distances are read before their values are
 * written). */
void conf_values(const conf_params *c, conf_style style, const double *d, size_t dstride,
                 double *v, size_t vstride, size_t n);

/* conf_values where only the values' text at prec decimals matters
 * (num_fmt_fixed's: digits and sign): that text is conf_values's, the
 * doubles may differ from them in the last bits.  Faster: exp four lanes
 * at a time, a group recomputed with glibc's exp wherever the difference
 * could reach the text.  prec < 0: conf_values. */
void conf_values_text(const conf_params *c, conf_style style, const double *d,
                      size_t dstride, double *v, size_t vstride, size_t n, int prec);

/* The article's re-scaling alone (no clamp): c above for probability p,
 * class `same`, with the study's band (thi = min(49, hi)) or DeepFace's
 * (thi = min(49, trunc(hi))). */
double conf_rescale(const conf_params *c, double p, int same, int truncate_band);

/* Python's round(x, 2): the double nearest to x rounded to 2 decimals
 * (ties to even on the exact binary value, as CPython's dtoa). */
double conf_round2(double x);

#endif
