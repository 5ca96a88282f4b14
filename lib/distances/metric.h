/* metric: DeepFace's four distances (find_distance in
 * deepface/modules/verification.py), on float32 vectors, accumulated in
 * double.  With s = a.b / (|a| |b|):
 *
 *   cosine        1 - s
 *   euclidean     |a - b|
 *   euclidean_l2  |a / (|a| + 1e-10) - b / (|b| + 1e-10)|
 *   angular       arccos(s) / pi
 *
 * s is clipped to [-1, 1] (DeepFace's angular returns NaN for identical
 * vectors, when rounding takes s past 1; its cosine can come out as -2e-16).
 * The metric numbers are deepface.h's DF_COSINE ... DF_ANGULAR.
 *
 * Used by pairdist's engine (distances.c), which needs every metric asked
 * of a pair in one pass over the two vectors:
 *   double aa = metric_sqnorm(a, dim), bb = metric_sqnorm(b, dim);
 *   metric_sums s;
 *   metric_pass(a, b, dim, aa, bb, l2, &s);       l2: euclidean_l2 asked
 *   double d = metric_value(DF_COSINE, &s, aa, bb);
 * and metric_distance(m, a, b, dim) for one distance alone. */
#ifndef METRIC_H
#define METRIC_H

#include <stddef.h>

#include "mapping/deepface.h"

/* The sum of squares of a[0..dim). */
double metric_sqnorm(const float *a, size_t dim);

/* What the metrics need of a pair, gathered in one pass over a and b. */
typedef struct metric_sums {
    double dot;       /* a.b */
    double sqdiff;    /* |a - b|^2 */
    double sqdiff_l2; /* |a ka - b kb|^2, ka = 1 / (|a| + 1e-10) */
} metric_sums;

/* One pass over a and b; sqdiff_l2 only when l2 is set (it needs the
 * squared norms aa and bb, known beforehand: see metric_sqnorm). */
void metric_pass(const float *a, const float *b, size_t dim, double aa, double bb, int l2,
                 metric_sums *s);

/* The distance by metric m from the sums and the squared norms.  Cosine and
 * angular are undefined (NaN) when a vector is zero: check aa, bb first. */
double metric_value(int m, const metric_sums *s, double aa, double bb);

/* Is metric m undefined for a zero vector? */
int metric_needs_norm(int m);

/* Tests: 1 makes metric_pass use the portable loop even where a faster
 * one exists (AVX2 on x86-64), 0 restores the choice. */
void metric_portable_only(int on);

/* The -m option: a comma-separated list of metric names ("cosine,angular")
 * or "all" (the four, in deepface.h's order) into ms[], in the order given;
 * returns the count (1 to DF_NMETRICS).  An unknown, repeated or empty
 * metric is a usage error (exit 2) quoting arg. */
size_t metric_parse_list(const char *arg, int ms[DF_NMETRICS]);

/* All in one: the distance of a and b by metric m (NaN if undefined). */
double metric_distance(int m, const float *a, const float *b, size_t dim);

#endif
