/* sort: doubles in ascending order, in place.  The fit's measures (the
 * threshold tuned, ROC AUC, equal-mass ECE) and confplot's density sort
 * with it.
 *
 *   sort_doubles(a, n);
 *
 * NaN must not occur (the readers refuse it). */
#ifndef SORT_H
#define SORT_H

#include <stddef.h>

/* Sort n doubles (no NaN) in place, ascending; no extra memory, O(n log n)
 * in the worst case. */
void sort_doubles(double *a, size_t n);

#endif
