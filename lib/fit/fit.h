/* fit: the article's fit on one distance column (SPEC.md, "The fit").
 *
 *   1. threshold T (given, DeepFace's, or tuned: fit/measure.h)
 *   2. target y: the decision d <= T, or the `same` column (--target truth)
 *   3. normalizer = max d; x = d / normalizer when it exceeds 1
 *   4. w, b minimising  sum log(1 + exp(-(2y-1)(w x + b))) + w^2 / (2C),
 *      solved to the exact optimum by fit/logreg.h
 *   5. p = logistic_pct(w x + b)
 *   6. denorm values: max and min of p over each class of y
 *
 * Steps 2 to 6 here; the measures of logfit -v in fit/measure.h, the
 * whole stream in fit/fitplan.h. */
#ifndef FIT_H
#define FIT_H

#include <stddef.h>
#include <stdint.h>

#include "fit/logreg.h"
#include "mapping/model.h"

/* One column. */
typedef struct fit_input {
    const char *file; /* for messages */
    const char *name; /* the column */
    const double *d;  /* n distances */
    const double *wgt; /* the rows each stands for (counts' distinct values,
                          each point > 0), or NULL: one row each */
    size_t n;
    const unsigned char *same; /* 0/1 per row, or NULL (no `same` column) */
    double threshold;
    int truth; /* target: 0 the decision d <= T, 1 `same` */
    double C;
    int report;          /* spend a pass on the gradient at the optimum (logfit -v) */
    unsigned char *ybuf; /* n bytes of room */
} fit_input;

/* What the fit found beyond the model's numbers. */
typedef struct fit_outcome {
    uint64_t n, n_true; /* rows; rows with y = 1 */
    logreg_result opt;
    double mean_p;          /* mean of p; SPEC step 7: 100 n_true / n */
    const unsigned char *y; /* the target fitted: in->same or in->ybuf */
} fit_outcome;

/* Step 4 fits on x = d * fit_scale(normalizer): d / normalizer as d times
 * its reciprocal (within an ulp, which moves the optimum by about 1e-16). */
static inline double fit_scale(double normalizer)
{
    return normalizer > 1 ? 1 / normalizer : 1;
}

/* Fill m (name, threshold, w, b, normalizer, denorm values, n, n_true,
 * the range of d, target, C; threshold_from and accuracy are the
 * caller's) and res.  Fewer than 2 rows, or all rows in one class, is an
 * error; a fit short of the optimum is warned of.  With weights, n, n_true
 * and the mean of p count rows, not points: the fit of the points is the
 * fit of the rows they stand for. */
void fit_column(const fit_input *in, model_metric *m, fit_outcome *res);

#endif
