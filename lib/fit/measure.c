/* measure: the fit's measures against `same` (see measure.h). */
#include "fit/measure.h"
#include "common/diag.h"
#include "common/rng.h"
#include "fit/logreg.h"
#include "mapping/calibrated.h"
#include "mapping/confidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

double measure_tune_threshold(const counts_entry *e, size_t k, uint64_t *correct)
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

double measure_auc(const counts_entry *e, size_t k)
{
    /* u: the positive-negative pairs ranked right, ties one half */
    double u = 0, npos = 0, nneg = 0;
    for (size_t t = 0; t < k;) {
        double pos = 0, neg = 0, v = e[t].value;
        for (; t < k && e[t].value == v; t++) {
            pos += (double)e[t].n_same;
            neg += (double)(e[t].n - e[t].n_same);
        }
        u += pos * (nneg + 0.5 * neg);
        npos += pos;
        nneg += neg;
    }
    return npos == 0 || nneg == 0 ? NAN : u / (npos * nneg);
}

void measure_ece_add(measure_ece *e, double q, uint64_t pos, uint64_t neg)
{
    int k = (int)(q * 10);
    k = k < 0 ? 0 : k > 9 ? 9 : k;
    e->sum_q[k] += q * (double)(pos + neg);
    e->sum_y[k] += (double)pos;
    e->count[k] += pos + neg;
    e->n += pos + neg;
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

double measure_ece_mass(const counts_entry *e, size_t k, int *occupied)
{
    uint64_t n = 0;
    for (size_t t = 0; t < k; t++)
        n += e[t].n;
    *occupied = 0;
    if (n == 0)
        return NAN;
    double sum_q[10] = {0}, sum_y[10] = {0};
    uint64_t count[10] = {0}, rank = 0;
    for (size_t t = 0; t < k;) {
        double v = e[t].value;
        __extension__ typedef unsigned __int128 u128; /* 10 rank can pass 2^64 */
        size_t bin = (size_t)((u128)rank * 10 / n);
        uint64_t rows = 0, pos = 0;
        do { /* (at least one: a NaN equals nothing, and must not stall) */
            rows += e[t].n;
            pos += e[t].n_same;
            t++;
        } while (t < k && e[t].value == v);
        sum_q[bin] += v * (double)rows;
        sum_y[bin] += (double)pos;
        count[bin] += rows;
        rank += rows;
    }
    double s = 0;
    for (int b = 0; b < 10; b++) {
        s += fabs(sum_q[b] - sum_y[b]);
        *occupied += count[b] > 0;
    }
    return s / (double)n;
}

/* The column's counts with each value replaced by its score in [0, 1] (the
 * confidence of that style / 100), sorted by score, into sc. */
static void scores(const counts_entry *e, size_t k, const conf_params *cp, conf_style style,
                   counts_entry *sc)
{
    for (size_t t = 0; t < k; t++) {
        sc[t] = e[t];
        sc[t].value = conf_value(cp, style, e[t].value) / 100;
    }
    counts_sort_entries(sc, k);
}

void measure_column(const fit_input *in, const model_metric *m, const fit_outcome *res,
                    const counts_entry *e, size_t k, measure_report *r)
{
    memset(r, 0, sizeof *r);

    /* Did the penalty set the scale?  (see MEASURE_PENALTY_SPAN) */
    r->p_min = fmin(m->fit.denorm_min_true, m->fit.denorm_min_false);
    r->p_max = fmax(m->fit.denorm_max_true, m->fit.denorm_max_false);
    logreg_result weak = logreg_fit(in->d, fit_scale(m->fit.normalizer), res->y, in->wgt, in->n,
                                    in->C * MEASURE_PENALTY_WEAKER, 0);
    r->w_weak = weak.w;
    r->penalty_dominates =
        r->p_max - r->p_min < MEASURE_PENALTY_SPAN && fabs(m->fit.w) < fabs(weak.w) / 2;
    if (!e)
        return;

    /* Against `same`: p / 100 as fitted (raw: confmap's style raw), and
     * confmap's clamped confidence / 100 (re-scaled). */
    conf_params cp = {.threshold = m->threshold, .fit = m->fit};
    measure_ece er = {0}, es = {0};
    double br = 0, bs = 0;
    uint64_t correct = 0, ns = 0, n = 0;
    for (size_t t = 0; t < k; t++) {
        double d = e[t].value;
        double q = conf_value(&cp, CONF_RAW, d) / 100;
        double c = conf_value(&cp, CONF_CLAMPED, d) / 100;
        uint64_t pos = e[t].n_same, neg = e[t].n - pos;
        br += (double)pos * (q - 1) * (q - 1) + (double)neg * q * q;
        bs += (double)pos * (c - 1) * (c - 1) + (double)neg * c * c;
        measure_ece_add(&er, q, pos, neg);
        measure_ece_add(&es, c, pos, neg);
        correct += d <= m->threshold ? pos : neg;
        ns += pos;
        n += pos + neg;
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
    counts_entry *sc = xreallocarray(NULL, k ? k : 1, sizeof *sc);
    scores(e, k, &cp, CONF_RAW, sc);
    r->auc = measure_auc(sc, k);
    r->ecem_raw = measure_ece_mass(sc, k, &r->binsm_raw);
    scores(e, k, &cp, CONF_CLAMPED, sc);
    r->ecem_scaled = measure_ece_mass(sc, k, &r->binsm_scaled);
    free(sc);
}

double measure_probability(const model_metric *m, double d, double *lo, double *hi)
{
    double p;
    switch (m->method) {
    case METHOD_PLATT:
        p = calib_platt_p(m->fit.w, m->fit.b, d);
        break;
    case METHOD_ISOTONIC:
        p = calib_isotonic_p(&m->curve, d);
        break;
    case METHOD_VENN_ABERS:
        calib_va_p(&m->curve, d, lo, hi);
        return calib_va_merge(*lo, *hi);
    default: {
        conf_params cp = {.threshold = m->threshold, .fit = m->fit};
        p = conf_value(&cp, CONF_CLAMPED, d) / 100;
        break;
    }
    }
    *lo = *hi = p;
    return p;
}

double measure_deepface_probability(const deepface_model *dm, int mi, double d)
{
    conf_params cp = {.threshold = dm->threshold[mi]};
    if (dm->constants)
        cp.fit = dm->constants[mi];
    else
        cp.constant = 1;
    return conf_value(&cp, CONF_DEEPFACE, d) / 100;
}

void measure_scores_add(measure_scores *s, double q, double width, uint64_t pos, uint64_t neg)
{
    if (pos + neg == 0)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->e = xreallocarray(s->e, s->cap, sizeof *s->e);
    }
    s->e[s->n++] = (counts_entry){.value = q, .n = pos + neg, .n_same = pos};
    s->width += width * (double)(pos + neg);
}

/* A Poisson draw of mean lambda: by products of uniforms while small, by
 * the normal approximation (rounded, at least 0) beyond. */
static uint64_t poisson(rng *g, double lambda)
{
    if (lambda <= 0)
        return 0;
    if (lambda > 30) {
        double u1 = rng_open01(g), u2 = rng_open01(g);
        double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        double v = floor(lambda + sqrt(lambda) * z + 0.5);
        return v > 0 ? (uint64_t)v : 0;
    }
    double limit = exp(-lambda), prod = rng_open01(g);
    uint64_t k = 0;
    while (prod > limit) {
        k++;
        prod *= rng_open01(g);
    }
    return k;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void measure_scores_finish(measure_scores *s, uint64_t seed, int boot, measure_calib *r)
{
    memset(r, 0, sizeof *r);
    measure_ece ew = {0};
    double brier = 0, ll = 0;
    for (size_t t = 0; t < s->n; t++) {
        const counts_entry *e = &s->e[t];
        double q = e->value, pos = (double)e->n_same, neg = (double)(e->n - e->n_same);
        double qc = q < 1e-15 ? 1e-15 : q > 1 - 1e-15 ? 1 - 1e-15 : q;
        brier += pos * (q - 1) * (q - 1) + neg * q * q;
        ll -= pos * log(qc) + neg * log1p(-qc);
        measure_ece_add(&ew, q, e->n_same, e->n - e->n_same);
        r->n += e->n;
        r->n_same += e->n_same;
    }
    r->ece = measure_ece_value(&ew);
    r->ece_bins = measure_ece_bins(&ew);
    r->brier = r->n ? brier / (double)r->n : NAN;
    r->log_loss = r->n ? ll / (double)r->n : NAN;
    r->width = r->n ? s->width / (double)r->n : NAN;
    /* the bootstrap before the sort below: the draws follow the order added */
    double *eces = boot > 0 ? xreallocarray(NULL, (size_t)boot, sizeof *eces) : NULL;
    rng g;
    rng_seed(&g, seed);
    int nb = 0;
    for (int b = 0; b < boot && s->n > 0; b++) {
        measure_ece eb = {0};
        for (size_t t = 0; t < s->n; t++) {
            const counts_entry *e = &s->e[t];
            measure_ece_add(&eb, e->value, poisson(&g, (double)e->n_same),
                            poisson(&g, (double)(e->n - e->n_same)));
        }
        if (eb.n > 0)
            eces[nb++] = measure_ece_value(&eb);
    }
    if (nb > 0) {
        qsort(eces, (size_t)nb, sizeof *eces, cmp_double);
        r->ece_lo = eces[(size_t)(0.025 * (nb - 1) + 0.5)];
        r->ece_hi = eces[(size_t)(0.975 * (nb - 1) + 0.5)];
    } else {
        r->ece_lo = r->ece_hi = NAN;
    }
    free(eces);
    counts_sort_entries(s->e, s->n);
    r->ece_mass = measure_ece_mass(s->e, s->n, &r->ece_mass_bins);
    r->auc = measure_auc(s->e, s->n);
    free(s->e);
    *s = (measure_scores){0};
}
