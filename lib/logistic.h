/* logistic: the article's score p = 100 / (1 + exp(-(w x + b))), where x is
 * the distance divided by the normalizer when the normalizer exceeds 1
 * (SPEC.md, "The fit", steps 3 and 5).  Shared by logfit and confmap so that
 * both compute the very same doubles. */
#ifndef LOGISTIC_H
#define LOGISTIC_H

#include <math.h>

/* 100 / (1 + exp(-z)) without overflow for any z: exp is only ever taken
 * of a non-positive number. */
static inline double logistic_pct(double z)
{
    if (z >= 0)
        return 100.0 / (1.0 + exp(-z));
    double e = exp(z);
    return 100.0 * e / (1.0 + e);
}

/* The article's feature: d / normalizer if normalizer > 1, else d. */
static inline double logistic_feature(double d, double normalizer)
{
    return normalizer > 1 ? d / normalizer : d;
}

#endif
