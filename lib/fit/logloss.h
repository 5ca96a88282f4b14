/* logloss: one pass over the rows of the fit's objective: the logistic
 * loss, its gradient and its Hessian in (w, b), summed over the rows on the
 * optimiser's conditioned feature.  The inner loop of lib/fit/logreg.c,
 * apart so that the optimiser reads as the method it is.
 *
 *   logloss_feat ft = {.scale = s, .c = c, .inv_s = 1 / half};
 *   logloss_sums sm;
 *   logloss_pass(d, &ft, y, n, w, b, want_f, &sm);
 *
 * Rows are summed in blocks of PAR_BLOCK, over two threads from
 * PAR_MIN_ROWS rows (common/par.h): the same doubles whatever the
 * scheduling, and with logloss_set_threads(0) on this thread alone. */
#ifndef LOGLOSS_H
#define LOGLOSS_H

#include <stddef.h>

/* The data part of the objective, its gradient and Hessian at (w, b). */
typedef struct logloss_sums {
    double f, gw, gb, hww, hwb, hbb;
} logloss_sums;

/* The optimiser's feature u = (d scale - c) / s, which maps the column's
 * x = d scale onto [-1, 1]: Newton's steps are then well conditioned
 * whatever the range and offset of the distances. */
typedef struct logloss_feat {
    double scale, c, inv_s;
} logloss_feat;

static inline double logloss_u(const logloss_feat *ft, double d)
{
    return (d * ft->scale - ft->c) * ft->inv_s;
}

/* The sums over the n rows d[i] (feature u = logloss_u(ft, d[i])), y[i] in
 * {0, 1}, each weighted by wt[i] (wt NULL: every weight 1, the same doubles
 * as without weights), at (w, b); s->f (the loss, a log1p a row) only when
 * want_f, else NaN.  A weight is the number of rows a point stands for
 * (counts: one point per distinct value and class). */
void logloss_pass(const double *d, const logloss_feat *ft, const unsigned char *y,
                  const double *wt, size_t n, double w, double b, int want_f, logloss_sums *s);

/* May the passes (and the fit's other passes over the rows, fit.c's) run
 * their second half on a thread of their own?  1 (the default), or 0: the
 * halves one after the other on the caller's thread (-j 1), the same sums. */
void logloss_set_threads(int two);
int logloss_threads(void);

#endif
