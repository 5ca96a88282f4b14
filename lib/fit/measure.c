/* measure: the fit's measures against `same` (see measure.h). */
#include "fit/measure.h"
#include "common/sort.h"
#include "fit/logreg.h"
#include "mapping/confidence.h"

#include <math.h>
#include <string.h>

void measure_classes_sort(measure_classes *c)
{
    sort_doubles(c->pos, c->npos);
    sort_doubles(c->neg, c->nneg);
}

/* The n rows into scratch by class, sorted: same = 1 first, then 0.  The
 * value of a row is its distance d[i] when cp is NULL, else its score in
 * [0, 1]: the confidence of that style divided by 100. */
static measure_classes split(const double *d, const unsigned char *same, size_t n,
                             const conf_params *cp, conf_style style, double *scratch)
{
    size_t k = 0, np = 0;
    for (int cls = 1; cls >= 0; cls--) {
        for (size_t i = 0; i < n; i++)
            if ((same[i] != 0) == cls)
                scratch[k++] = cp ? conf_value(cp, style, d[i]) / 100 : d[i];
        if (cls)
            np = k;
    }
    measure_classes c = {scratch, np, scratch + np, n - np};
    measure_classes_sort(&c);
    return c;
}

/* The middle of [a, b], a < b, never b itself (when a and b are adjacent
 * doubles, a): inside [a, b) whether b belongs to the interval or not.
 * (a + b) / 2 is the double nearest the true middle of the two doubles
 * (a + (b - a) / 2 can be one ulp off); a / 2 + b / 2 only on overflow. */
static double midpoint(double a, double b)
{
    double s = a + b;
    double m = isfinite(s) ? s / 2 : a / 2 + b / 2;
    return m < b ? (m > a ? m : a) : a;
}

double measure_tune_threshold(const double *d, const unsigned char *same, size_t n,
                              double *scratch, uint64_t *correct)
{
    measure_classes cls = split(d, same, n, NULL, CONF_RAW, scratch);
    const double *pos = cls.pos, *neg = cls.neg;
    size_t np = cls.npos;
    size_t nn = cls.nneg;
    /* Walk the distinct distances upwards: with T in [v, next v), the
     * positives up to v and the negatives above v are right.  A run of
     * distinct values at the best count is one interval of best thresholds,
     * [its first v, the v where the count drops), or up to the last
     * distance when it never drops. */
    size_t i = 0, j = 0;
    uint64_t best = 0;
    int have = 0, open = 0;
    double run_lo = 0, last = 0;
    double best_lo = 0, best_hi = 0, best_w = 0;
    int have_gap = 0;
    while (i < np || j < nn) {
        double v = j >= nn || (i < np && pos[i] <= neg[j]) ? pos[i] : neg[j];
        while (i < np && pos[i] <= v)
            i++;
        while (j < nn && neg[j] <= v)
            j++;
        uint64_t c = (uint64_t)i + (uint64_t)(nn - j);
        if (!have || c > best) { /* a better count: the intervals so far are moot */
            best = c;
            have = 1;
            have_gap = 0;
            open = 1;
            run_lo = v;
        } else if (c == best && !open) {
            open = 1;
            run_lo = v;
        } else if (c < best && open) {
            open = 0;
            double w = v - run_lo; /* strictly wider: ties keep the smaller */
            if (!have_gap || w > best_w) {
                best_w = w;
                best_lo = run_lo;
                best_hi = v;
                have_gap = 1;
            }
        }
        last = v;
    }
    if (open && (!have_gap || last - run_lo > best_w)) {
        best_lo = run_lo;
        best_hi = last; /* closed at the last distance: T = last is right too */
    }
    *correct = best;
    return best_hi > best_lo ? midpoint(best_lo, best_hi) : best_lo;
}

double measure_tune_threshold_counts(const counts_entry *e, size_t k, uint64_t *correct)
{
    uint64_t nn = 0; /* the different-person rows in all */
    for (size_t t = 0; t < k; t++)
        nn += e[t].n - e[t].n_same;
    /* Walk the distinct distances upwards: with T in [v, next v), the
     * positives up to v and the negatives above v are right.  A run of
     * distinct values at the best count is one interval of best thresholds,
     * [its first v, the v where the count drops), or up to the last
     * distance when it never drops. */
    uint64_t i = 0, j = 0, best = 0;
    int have = 0, open = 0, have_gap = 0;
    double run_lo = 0, last = 0, best_lo = 0, best_hi = 0, best_w = 0;
    for (size_t t = 0; t < k; t++) {
        double v = e[t].value;
        i += e[t].n_same;
        j += e[t].n - e[t].n_same;
        uint64_t c = i + (nn - j);
        if (!have || c > best) {
            best = c;
            have = 1;
            have_gap = 0;
            open = 1;
            run_lo = v;
        } else if (c == best && !open) {
            open = 1;
            run_lo = v;
        } else if (c < best && open) {
            open = 0;
            double w = v - run_lo; /* strictly wider: ties keep the smaller */
            if (!have_gap || w > best_w) {
                best_w = w;
                best_lo = run_lo;
                best_hi = v;
                have_gap = 1;
            }
        }
        last = v;
    }
    if (open && (!have_gap || last - run_lo > best_w)) {
        best_lo = run_lo;
        best_hi = last; /* closed at the last distance: T = last is right too */
    }
    *correct = best;
    return best_hi > best_lo ? midpoint(best_lo, best_hi) : best_lo;
}

double measure_auc(const measure_classes *c)
{
    const double *pos = c->pos, *neg = c->neg;
    size_t npos = c->npos, nneg = c->nneg;
    if (npos == 0 || nneg == 0)
        return NAN;
    double u = 0;
    size_t j = 0;
    for (size_t i = 0; i < npos;) {
        double v = pos[i];
        size_t i2 = i;
        while (i2 < npos && pos[i2] == v)
            i2++;
        while (j < nneg && neg[j] < v)
            j++;
        size_t k = j;
        while (k < nneg && neg[k] == v)
            k++;
        u += (double)(i2 - i) * ((double)j + 0.5 * (double)(k - j));
        i = i2;
    }
    return u / ((double)npos * (double)nneg);
}

void measure_ece_add(measure_ece *e, double q, int y)
{
    int k = (int)(q * 10);
    k = k < 0 ? 0 : k > 9 ? 9 : k;
    e->sum_q[k] += q;
    e->sum_y[k] += y;
    e->count[k]++;
    e->n++;
}

double measure_ece_value(const measure_ece *e)
{
    if (e->n == 0)
        return NAN;
    double s = 0;
    for (int k = 0; k < 10; k++)
        s += fabs(e->sum_q[k] - e->sum_y[k]);
    return s / (double)e->n;
}

int measure_ece_bins(const measure_ece *e)
{
    int b = 0;
    for (int k = 0; k < 10; k++)
        b += e->count[k] > 0;
    return b;
}

double measure_ece_mass(const measure_classes *c, int *occupied)
{
    const double *pos = c->pos, *neg = c->neg;
    size_t npos = c->npos, nneg = c->nneg, n = npos + nneg;
    *occupied = 0;
    if (n == 0)
        return NAN;
    double sum_q[10] = {0}, sum_y[10] = {0};
    uint64_t count[10] = {0};
    size_t i = 0, j = 0;
    while (i < npos || j < nneg) {
        double v = j >= nneg || (i < npos && pos[i] <= neg[j]) ? pos[i] : neg[j];
        size_t rank = i + j, i0 = i, j0 = j;
        while (i < npos && pos[i] == v)
            i++;
        while (j < nneg && neg[j] == v)
            j++;
        size_t k = (size_t)((uint64_t)rank * 10 / n); /* rank < n < 2^60 rows in memory */
        sum_q[k] += v * (double)(i - i0 + j - j0);
        sum_y[k] += (double)(i - i0);
        count[k] += i - i0 + j - j0;
    }
    double s = 0;
    for (int k = 0; k < 10; k++) {
        s += fabs(sum_q[k] - sum_y[k]);
        *occupied += count[k] > 0;
    }
    return s / (double)n;
}

void measure_column(const fit_input *in, const model_metric *m, const fit_outcome *res,
                    double *scratch, measure_report *r)
{
    size_t n = in->n;
    const double *d = in->d;
    memset(r, 0, sizeof *r);

    /* Did the penalty set the scale?  (see MEASURE_PENALTY_SPAN) */
    r->p_min = fmin(m->fit.denorm_min_true, m->fit.denorm_min_false);
    r->p_max = fmax(m->fit.denorm_max_true, m->fit.denorm_max_false);
    logreg_result weak =
        logreg_fit(d, fit_scale(m->fit.normalizer), res->y, NULL, n, in->C * MEASURE_PENALTY_WEAKER, 0);
    r->w_weak = weak.w;
    r->penalty_dominates =
        r->p_max - r->p_min < MEASURE_PENALTY_SPAN && fabs(m->fit.w) < fabs(weak.w) / 2;
    if (!in->same)
        return;

    /* Against `same`: p / 100 as fitted (raw: confmap's style raw), and
     * confmap's clamped confidence / 100 (re-scaled). */
    const unsigned char *same = in->same;
    conf_params cp = {.threshold = m->threshold, .fit = m->fit};
    measure_ece er = {0}, es = {0};
    double br = 0, bs = 0;
    uint64_t correct = 0, ns = 0;
    for (size_t i = 0; i < n; i++) {
        double q = conf_value(&cp, CONF_RAW, d[i]) / 100;
        double c = conf_value(&cp, CONF_CLAMPED, d[i]) / 100;
        int s = same[i];
        br += (q - s) * (q - s);
        bs += (c - s) * (c - s);
        measure_ece_add(&er, q, s);
        measure_ece_add(&es, c, s);
        correct += (d[i] <= m->threshold) == s;
        ns += (uint64_t)s;
    }
    r->has_same = 1;
    r->n_same = ns;
    r->accuracy = (double)correct / (double)n;
    r->brier_raw = br / (double)n;
    r->brier_scaled = bs / (double)n;
    r->ece_raw = measure_ece_value(&er);
    r->ece_scaled = measure_ece_value(&es);
    r->bins_raw = measure_ece_bins(&er);
    r->bins_scaled = measure_ece_bins(&es);
    r->auc = r->ecem_raw = r->ecem_scaled = NAN;
    if (!scratch)
        return;
    measure_classes raw = split(d, same, n, &cp, CONF_RAW, scratch);
    r->auc = measure_auc(&raw);
    r->ecem_raw = measure_ece_mass(&raw, &r->binsm_raw);
    measure_classes scaled = split(d, same, n, &cp, CONF_CLAMPED, scratch);
    r->ecem_scaled = measure_ece_mass(&scaled, &r->binsm_scaled);
}
