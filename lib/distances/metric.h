/* metric: the one definition of each distance metric, as DeepFace computes
 * it (find_distance in deepface/modules/verification.py): its number, its
 * name and its formula.  Every list of metric names (messages, tables,
 * DeepFace's thresholds per metric) comes from here.  On float32 vectors,
 * accumulated in double.  With s = a.b / (|a| |b|):
 *
 *   cosine        1 - s
 *   euclidean     |a - b|
 *   euclidean_l2  |a / (|a| + 1e-10) - b / (|b| + 1e-10)|
 *   angular       arccos(s) / pi
 *
 * s is clipped to [-1, 1] (DeepFace's angular returns NaN for identical
 * vectors, when rounding takes s past 1; its cosine can come out as -2e-16).
 *
 * Used by pairdist's engine (distances.c), which needs every metric asked
 * of a pair in one pass over the two vectors:
 *   double aa = metric_sqnorm(a, dim), bb = metric_sqnorm(b, dim);
 *   metric_sums s;
 *   metric_pass(a, b, dim, aa, bb, l2, &s);       l2: euclidean_l2 asked
 *   double d = metric_value(METRIC_COSINE, &s, aa, bb);
 * and metric_distance(m, a, b, dim) for one distance alone.
 *
 * A new metric: a number before METRIC_N, its name in metric_names, its
 * formula in metric_value (and whether it needs a norm); DeepFace's tables
 * (mapping/deepface.c) then need its thresholds and constants. */
#ifndef METRIC_H
#define METRIC_H

#include <stddef.h>

/* In DeepFace's order: the order of "all" and of --list-models' columns. */
enum { METRIC_COSINE, METRIC_EUCLIDEAN, METRIC_EUCLIDEAN_L2, METRIC_ANGULAR, METRIC_N };

/* "cosine", "euclidean", "euclidean_l2", "angular" */
extern const char *const metric_names[METRIC_N];
/* The metric of that name (exactly), or -1. */
int metric_find(const char *name);
/* "cosine, euclidean, euclidean_l2, angular", for messages. */
const char *metric_list(void);

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

/* -m's list: names[0..n), each a metric name or METRIC_ALL (every metric,
 * in the order above), into ms[] in the order given, *count of them.  Returns
 * METRIC_LIST_OK, or the first problem with *bad the name it is about:
 * METRIC_LIST_UNKNOWN (the item as given) or METRIC_LIST_TWICE (the metric
 * chosen a second time, by name or through "all").  The caller words the
 * message (it knows the option). */
#define METRIC_ALL "all"
enum { METRIC_LIST_OK, METRIC_LIST_UNKNOWN, METRIC_LIST_TWICE };
int metric_choose(const char *const *names, size_t n, int ms[METRIC_N], size_t *count,
                  const char **bad);

/* All in one: the distance of a and b by metric m (NaN if undefined). */
double metric_distance(int m, const float *a, const float *b, size_t dim);

#endif
