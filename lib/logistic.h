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

/* The article's feature: d / normalizer if normalizer > 1, else d. */
static inline double logistic_feature(double d, double normalizer)
{
    return normalizer > 1 ? d / normalizer : d;
}

#endif
