/* calib: the calibrated methods fitted on a column's counts (the distinct
 * distances ascending, each with its rows n and same-person rows n_same:
 * stream/counts.h), so that counts give the fit of the rows they count,
 * bit for bit.  mapping/calibrated.h applies what they fit.
 *
 *   platt       Platt (1999) as Lin, Lin and Weng (2007): the labels
 *               smoothed to (N+ + 1) / (N+ + 2) and 1 / (N- + 2), no
 *               penalty, solved to the optimum by fit/logreg.h; p = 1 / (1 +
 *               exp(-(w d + b))), whatever the scale of d
 *   isotonic    pool-adjacent-violators, non-increasing in d, rows of one
 *               distance pooled (they are one point of the counts); block
 *               means as exact integer sums divided once; the knots kept as
 *               scikit-learn keeps them (the first and last distance of
 *               each block of equal p)
 *   venn-abers  the inductive Venn-Abers predictor (Vovk and Petej 2014):
 *               for each region of the line cut at the distinct distances
 *               (between two, or at one: a new pair at a distance already
 *               seen is pooled with those pairs, as isotonic regression
 *               pools ties), p0 and p1, the isotonic fit of the counts plus
 *               one pair at that distance labelled 0, then 1, evaluated
 *               there; O(k log^2 k) for k distinct distances, exact integer
 *               geometry; regions whose p0 and p1 equal their neighbours'
 *               merged away
 *
 * Any number of rows from 1 up, of one class or both: with one class the
 * fit is the constant 0 or 1 (isotonic), or what the method makes of it
 * (platt's smoothed target, venn-abers' interval), which the caller may
 * warn of. */
#ifndef CALIB_H
#define CALIB_H

#include <stddef.h>

#include "fit/logreg.h"
#include "mapping/calibrated.h"
#include "stream/counts.h"

/* e: k >= 1 entries, values strictly ascending, n >= 1, n_same <= n. */
void calib_fit_isotonic(const counts_entry *e, size_t k, calib_curve *c);
void calib_fit_venn_abers(const counts_entry *e, size_t k, calib_curve *c);
/* *w, *b: Platt's (on d itself); the result says how the optimiser did.
 * They are not finite when the slope is no double: distances all below
 * about 1e-308 (the caller refuses them: fitplan_platt). */
logreg_result calib_fit_platt(const counts_entry *e, size_t k, double *w, double *b);

#endif
