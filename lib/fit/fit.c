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

void fit_column(const fit_input *in, model_metric *m, fit_outcome *res)
{
    size_t n = in->n;
    const double *d = in->d, *wgt = in->wgt;
    memset(res, 0, sizeof *res);
    /* the rows the points stand for: exact, each weight an integer below
     * 2^53 (a count of rows) */
    uint64_t rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += wgt ? (uint64_t)wgt[i] : 1;
    if (rows < 2)
        die("%s: a fit needs at least 2 rows (found %" PRIu64 ")", in->file, rows);

    /* Step 3: the normalizer (and the range fitted on, for confmap). */
    double norm = d[0], lowest = d[0];
    for (size_t i = 1; i < n; i++) {
        norm = d[i] > norm ? d[i] : norm;
        lowest = d[i] < lowest ? d[i] : lowest;
    }

    /* Step 2: the target. */
    const unsigned char *y;
    uint64_t n1 = 0;
    if (in->truth) {
        y = in->same;
    } else {
        unsigned char *yb = in->ybuf;
        double t = in->threshold;
        for (size_t i = 0; i < n; i++)
            yb[i] = d[i] <= t;
        y = yb;
    }
    for (size_t i = 0; i < n; i++)
        n1 += y[i] ? (wgt ? (uint64_t)wgt[i] : 1) : 0;
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
    size_t mid = par_split(n); /* an empty half: the identities of max, min and sum */
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
