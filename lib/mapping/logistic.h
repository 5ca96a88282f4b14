/* logistic: the article's score p = 100 / (1 + exp(-(w x + b))), where x is
 * the distance divided by the normalizer when the normalizer exceeds 1
 * (SPEC.md, "The fit", steps 3 and 5), and the seven numbers a fit leaves
 * (logistic_fit).  Shared by logfit and confmap so that both compute the
 * very same doubles.
 *
 *   p = logistic_pct(logistic_z(&fit, d));
 */
#ifndef LOGISTIC_H
#define LOGISTIC_H

#include <math.h>

/* The seven fitted numbers, spelled as the model file's keys: one struct
 * wherever they live (a model file's metric, DeepFace's compiled
 * constants, the mapper's parameters). */
typedef struct logistic_fit {
    double w, b, normalizer;
    /* the range of p over each class of the target: max and min with
     * y = 1 (true), with y = 0 (false) */
    double denorm_max_true, denorm_min_true, denorm_max_false, denorm_min_false;
} logistic_fit;

/* 100 / (1 + exp(-z)), the very expression of the article and DeepFace, so
 * the doubles agree bit for bit.  It is safe for any finite z in IEEE
 * arithmetic: for z < -709.78 exp(-z) is +inf and the result is exactly 0;
 * for large z exp(-z) is 0 and the result exactly 100. */
static inline double logistic_pct(double z) { return 100.0 / (1.0 + exp(-z)); }

/* DeepFace's own 100 * __sigmoid(z) (deepface/modules/verification.py,
 * v0.0.97 and later), split on the sign of z: it can differ from
 * logistic_pct() in the last bit, so the deepface style uses this one. */
static inline double logistic_pct_deepface(double z)
{
    double s;
    if (z >= 0) {
        s = 1 / (1 + exp(-z));
    } else {
        double ez = exp(z);
        s = ez / (1 + ez);
    }
    return 100 * s;
}

/* The article's feature: d / normalizer if normalizer > 1, else d. */
static inline double logistic_feature(double d, double normalizer)
{
    return normalizer > 1 ? d / normalizer : d;
}

/* z = w x + b of distance d under fit f. */
static inline double logistic_z(const logistic_fit *f, double d)
{
    return f->w * logistic_feature(d, f->normalizer) + f->b;
}

#endif
