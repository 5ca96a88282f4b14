/* fitreport: the report that logfit -v prints on standard error after each
 * column's fit: rows and classes, the threshold and where it came from,
 * the optimiser's steps and gradient, the mean p, a warning when the
 * penalty dominates, and the measures against `same`.
 *
 *   fitplan_opts fo = {..., .report = fitreport_print};
 *
 * (fitplan calls it with each column's fit and measures.) */
#ifndef FITREPORT_H
#define FITREPORT_H

#include <stdio.h>

#include "fit/fit.h"
#include "fit/measure.h"
#include "mapping/model.h"

/* The report of one column on f. */
void fitreport_write(FILE *f, const model_metric *m, const fit_outcome *o,
                     const measure_report *r);
/* The same on stderr, stdout flushed first (so that the two interleave in
 * order on a terminal). */
void fitreport_print(const model_metric *m, const fit_outcome *o, const measure_report *r);

/* The report of a calibrated method's fit of one column on stderr: rows
 * and classes, the curve's knots, and its in-sample measures against
 * `same` (the held-out ones: logfit --cv). */
void fitreport_calibrated(const model_metric *m, const counts_entry *e, size_t k);

#endif
