/* fit: the article's steps 2 to 6 on one distance column (see fit.h). */
#include "fit/fit.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/par.h"
#include "fit/logloss.h"
#include "mapping/logistic.h"
#include "stream/num.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { BLOCK = PAR_BLOCK };

/* p over rows [lo, hi): its range in each class and its sum. */
typedef struct denorm_half {
    const double *d;
    const unsigned char *y;
    const double *wgt; /* NULL: one row a point */
    size_t lo, hi;
    logistic_fit fit; /* w, b, normalizer */
    double max_t, min_t, max_f, min_f, sum;
} denorm_half;

static void run_denorm(void *arg)
{
    denorm_half *h = arg;
    double max_t = -INFINITY, min_t = INFINITY, max_f = -INFINITY, min_f = INFINITY;
    double sum = 0;
    for (size_t i0 = h->lo; i0 < h->hi; i0 += BLOCK) {
        size_t i1 = h->hi - i0 < BLOCK ? h->hi : i0 + BLOCK;
        double part = 0;
        for (size_t i = i0; i < i1; i++) {
            double p = logistic_pct(logistic_z(&h->fit, h->d[i]));
            part += h->wgt ? p * h->wgt[i] : p;
            if (h->y[i]) {
                max_t = p > max_t ? p : max_t;
                min_t = p < min_t ? p : min_t;
            } else {
                max_f = p > max_f ? p : max_f;
                min_f = p < min_f ? p : min_f;
            }
        }
        sum += part;
    }
    h->max_t = max_t;
    h->min_t = min_t;
    h->max_f = max_f;
    h->min_f = min_f;
    h->sum = sum;
}

/* Rows [lo, hi) before the fit, in one pass: the rows they stand for,
 * the range of d, the target (into ybuf, for the decision) and its rows
 * of class 1.  The sums are of integers and max and min exact: two halves
 * give the same numbers as one pass. */
typedef struct prep_half {
    const fit_input *in;
    size_t lo, hi;
    uint64_t rows, n1;
    double max, min;
} prep_half;

static void run_prep(void *arg)
{
    prep_half *h = arg;
    const fit_input *in = h->in;
    const double *d = in->d, *wgt = in->wgt;
    double t = in->threshold, max = -INFINITY, min = INFINITY;
    uint64_t rows = 0, n1 = 0;
    for (size_t i = h->lo; i < h->hi; i++) {
        uint64_t k = wgt ? (uint64_t)wgt[i] : 1;
        int y = in->truth ? in->same[i] : (in->ybuf[i] = d[i] <= t);
        rows += k;
        n1 += y ? k : 0;
        max = d[i] > max ? d[i] : max;
        min = d[i] < min ? d[i] : min;
    }
    h->rows = rows;
    h->n1 = n1;
    h->max = max;
    h->min = min;
}

void fit_column(const fit_input *in, model_metric *m, fit_outcome *res)
{
    size_t n = in->n;
    const double *d = in->d, *wgt = in->wgt;
    memset(res, 0, sizeof *res);
    /* the rows the points stand for (exact, each weight an integer below
     * 2^53, a count of rows), step 3's normalizer and the range fitted on
     * (for confmap), and step 2's target with its rows of class 1; the
     * first half's max and min kept on a tie, as one pass keeps the first */
    size_t mid = par_split(n);
    prep_half ph[2] = {{.in = in, .lo = 0, .hi = mid}, {.in = in, .lo = mid, .hi = n}};
    par_run(run_prep, &ph[0], &ph[1], mid < n && logloss_threads());
    uint64_t rows = ph[0].rows + ph[1].rows, n1 = ph[0].n1 + ph[1].n1;
    if (rows < 2)
        die("%s: a fit needs at least 2 rows (found %" PRIu64 ")", in->file, rows);
    double norm = ph[1].max > ph[0].max ? ph[1].max : ph[0].max;
    double lowest = ph[1].min < ph[0].min ? ph[1].min : ph[0].min;
    const unsigned char *y = in->truth ? in->same : in->ybuf;
    if (n1 == 0 || n1 == rows) {
        char tb[NUM_FMT_MAX];
        num_fmt_shortest(tb, in->threshold);
        if (in->truth)
            die("%s: column '%s': all %" PRIu64
                " rows have same = %d: logistic regression needs both "
                "classes",
                in->file, name_q(in->name), rows, n1 ? 1 : 0);
        die("%s: column '%s': all %" PRIu64
            " rows are '%s' at threshold %s: logistic regression "
            "needs both classes",
            in->file, name_q(in->name), rows, n1 ? "same" : "different", tb);
    }

    /* Step 4: the fit, on x = d / normalizer (see fit_scale). */
    logreg_result opt = logreg_fit(d, fit_scale(norm), y, wgt, n, in->C, in->report);
    if (!opt.converged)
        warnx_("%s: column '%s': the fit stopped short of the optimum after %d steps (gradient "
               "norm %g)",
               in->file, name_q(in->name), opt.iterations, opt.grad_norm);

    /* Steps 5 and 6: p exactly as confmap computes it, and its range per
     * class; in two halves when there are many rows, as the passes. */
    logistic_fit fit = {.w = opt.w, .b = opt.b, .normalizer = norm};
    /* (an empty half: the identities of max, min and sum) */
    denorm_half h[2] = {{.d = d, .y = y, .wgt = wgt, .lo = 0, .hi = mid, .fit = fit},
                        {.d = d, .y = y, .wgt = wgt, .lo = mid, .hi = n, .fit = fit}};
    par_run(run_denorm, &h[0], &h[1], mid < n && logloss_threads());
    fit.denorm_max_true = fmax(h[0].max_t, h[1].max_t);
    fit.denorm_min_true = fmin(h[0].min_t, h[1].min_t);
    fit.denorm_max_false = fmax(h[0].max_f, h[1].max_f);
    fit.denorm_min_false = fmin(h[0].min_f, h[1].min_f);
    double sum_p = h[0].sum + h[1].sum;

    memset(m, 0, sizeof *m);
    m->name = xstrdup(in->name);
    m->has_threshold = 1;
    m->threshold = in->threshold;
    m->fit = fit;
    m->has_info = 1;
    m->n = rows;
    m->n_true = n1;
    m->has_range = 1;
    m->range_min = lowest;
    m->range_max = norm;
    snprintf(m->target, sizeof m->target, "%s", in->truth ? "truth" : "decision");
    m->C = in->C;

    res->n = rows;
    res->n_true = n1;
    res->opt = opt;
    res->mean_p = sum_p / (double)rows;
    res->y = y;
}
