/* logreg: the optimiser of the article's step 4, alone: the regularised
 * logistic regression of y on x, solved to its exact optimum.  Pure: it
 * prints nothing and ends nothing; what went wrong is in the result
 * (converged, fallback), for the caller to word.
 *
 *   logreg_result r = logreg_fit(d, scale, y, NULL, n, C, 0);
 *   if (!r.converged) ... the caller's warning ...
 */
#ifndef LOGREG_H
#define LOGREG_H

#include <stddef.h>

/* What the optimiser found. */
typedef struct logreg_result {
    double w, b;
    int iterations;        /* Newton steps on the whole data (the warm start apart) */
    int passes;            /* passes over the data that evaluated exp() */
    double grad_norm;      /* |gradient of the objective| at (w, b) if asked, else at
                              the last point evaluated */
    double grad_w, grad_b; /* its components */
    int converged;
    int fallback; /* Newton gave up: found by bisection on the profile */
} logreg_result;

/* Minimise  sum_i log(1 + exp(-(2 y_i - 1)(w x_i + b))) + w^2 / (2C)  with
 * x_i = d[i] * scale and y[i] in {0, 1}, from any data: both classes are
 * needed for a finite b (the caller checks); C > 0 keeps w finite.
 * Newton's method on (w, b), with x mapped onto [-1, 1]: a warm start on
 * strided subsamples when n is large, then full steps whenever a bound on
 * the third derivative of the logistic loss guarantees their descent,
 * backtracking on the objective otherwise.  It stops when the step is below
 * 1e-10 relative, or when the same bound puts the error left below 1e-14,
 * or at the floor of rounding noise.  Should Newton give up (100 steps, or
 * a Hessian too ill-conditioned to descend: one far outlier, say), the
 * optimum is found by bisection on the convex profile min_b f(w, b).
 * final_gradient: spend one more pass to report the gradient at the
 * returned point.  wgt: each point's weight, the rows it stands for (a
 * distinct value of counts), or NULL for one row each (the same doubles as
 * weights of 1). */
logreg_result logreg_fit(const double *d, double scale, const unsigned char *y,
                         const double *wgt, size_t n, double C, int final_gradient);

#endif
