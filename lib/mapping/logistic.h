/* logistic: the article's score p = 100 / (1 + exp(-(w x + b))), where x is
 * the distance divided by the normalizer when the normalizer exceeds 1
 * (SPEC.md, "The fit", steps 3 and 5).  Shared by logfit and confmap so that
 * both compute the very same doubles. */
#ifndef LOGISTIC_H
#define LOGISTIC_H

#include <math.h>

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

#endif
