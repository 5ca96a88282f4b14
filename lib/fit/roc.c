/* roc: operating points of a score column from its counts (see roc.h). */
#include "fit/roc.h"

#include <math.h>

/* The i-th value in accepting order. */
static const counts_entry *nth(const roc *r, size_t i)
{
    return &r->e[r->dir == ROC_LOWER ? i : r->k - 1 - i];
}

static double nothing(const roc *r)
{
    return r->dir == ROC_LOWER ? -INFINITY : INFINITY;
}

void roc_init(roc *r, const counts_entry *e, size_t k, roc_dir dir)
{
    *r = (roc){.e = e, .k = k, .dir = dir};
    for (size_t t = 0; t < k; t++) {
        r->n_same += e[t].n_same;
        r->n_diff += e[t].n - e[t].n_same;
    }
}

double roc_auc(const roc *r)
{
    if (r->n_same == 0 || r->n_diff == 0)
        return NAN;
    /* 2 u = sum over values of same(v) (2 different pairs scored worse +
     * different(v)), exact in 128 bits; one rounding at the end */
    __extension__ typedef unsigned __int128 u128;
    u128 u2 = 0;
    uint64_t worse = r->n_diff; /* different pairs after the current value */
    for (size_t i = 0; i < r->k; i++) {
        const counts_entry *e = nth(r, i);
        uint64_t neg = e->n - e->n_same;
        worse -= neg;
        u2 += (u128)e->n_same * (2 * (u128)worse + neg);
    }
    long double den = 2.0L * (long double)r->n_same * (long double)r->n_diff;
    return (double)((long double)u2 / den);
}

void roc_at(const roc *r, double t, uint64_t *fm, uint64_t *fnm)
{
    uint64_t acc_same = 0, acc_diff = 0;
    for (size_t i = 0; i < r->k; i++) {
        const counts_entry *e = &r->e[i];
        if (r->dir == ROC_LOWER ? e->value <= t : e->value >= t) {
            acc_same += e->n_same;
            acc_diff += e->n - e->n_same;
        }
    }
    *fm = acc_diff;
    *fnm = r->n_same - acc_same;
}

static double rate(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : NAN;
}

void roc_eer(const roc *r, roc_eer_result *out)
{
    roc_point p = {nothing(r), 0, r->n_same};
    /* |FMR - FNMR| n_diff n_same = |fm n_same - fnm n_diff|, compared in
     * integers: equal differences are equal, whatever the rounding */
    __extension__ typedef unsigned __int128 u128;
    u128 best = 0;
    int have = 0;
    *out = (roc_eer_result){.at = p, .eer = NAN, .lo = NAN, .hi = NAN};
    if (r->n_same == 0 || r->n_diff == 0)
        return;
    for (size_t i = 0;; i++) {
        double a = rate(p.fm, r->n_diff), b = rate(p.fnm, r->n_same);
        u128 x = (u128)p.fm * r->n_same, y = (u128)p.fnm * r->n_diff;
        u128 gap = x > y ? x - y : y - x;
        if (!have || gap < best) {
            have = 1;
            best = gap;
            out->at = p;
            out->eer = (a + b) / 2;
            out->lo = fmin(a, b);
            out->hi = fmax(a, b);
        }
        if (i == r->k)
            break;
        const counts_entry *e = nth(r, i);
        p.threshold = e->value;
        p.fm += e->n - e->n_same;
        p.fnm -= e->n_same;
    }
}

int roc_at_fmr(const roc *r, double x, roc_point *out)
{
    roc_point p = {nothing(r), 0, r->n_same};
    *out = p;
    for (size_t i = 0; i < r->k; i++) {
        const counts_entry *e = nth(r, i);
        p.threshold = e->value;
        p.fm += e->n - e->n_same;
        p.fnm -= e->n_same;
        /* the rate as it is printed, against x: 29 of 100 is at most 0.29 */
        if (!((double)p.fm / (double)r->n_diff <= x))
            break;
        *out = p;
    }
    return (double)r->n_diff * x >= 1;
}

double roc_d_prime(const roc *r)
{
    if (r->n_same == 0 || r->n_diff == 0)
        return NAN;
    /* the means as the first value plus the mean offset from it: values
     * all equal give means exactly equal (and d' 0 / 0, NaN) */
    double v0 = r->e[0].value, ss = 0, sd = 0;
    for (size_t t = 0; t < r->k; t++) {
        ss += (r->e[t].value - v0) * (double)r->e[t].n_same;
        sd += (r->e[t].value - v0) * (double)(r->e[t].n - r->e[t].n_same);
    }
    double ms = v0 + ss / (double)r->n_same, md = v0 + sd / (double)r->n_diff, vs = 0, vd = 0;
    for (size_t t = 0; t < r->k; t++) {
        double a = r->e[t].value - ms, b = r->e[t].value - md;
        vs += a * a * (double)r->e[t].n_same;
        vd += b * b * (double)(r->e[t].n - r->e[t].n_same);
    }
    vs /= (double)r->n_same;
    vd /= (double)r->n_diff;
    return fabs(ms - md) / sqrt((vs + vd) / 2);
}

size_t roc_curve(const roc *r, void (*emit)(void *arg, const roc_point *p), void *arg)
{
    roc_point p = {nothing(r), 0, r->n_same};
    emit(arg, &p);
    size_t n = 1;
    /* point i is kept when it is the first, the last, or where the false
     * matches or the true matches change their step (a corner): with
     * cumulative counts c, c[i-1] - 2 c[i] + c[i+1] != 0 */
    uint64_t prev_fm = 0, prev_tm = 0;
    for (size_t i = 0; i < r->k; i++) {
        const counts_entry *e = nth(r, i);
        uint64_t fm = p.fm + (e->n - e->n_same), tm = (r->n_same - p.fnm) + e->n_same;
        int keep = i == 0 || i == r->k - 1;
        if (!keep) {
            const counts_entry *f = nth(r, i + 1);
            uint64_t next_fm = fm + (f->n - f->n_same), next_tm = tm + f->n_same;
            keep = prev_fm + next_fm != 2 * fm || prev_tm + next_tm != 2 * tm;
        }
        prev_fm = fm;
        prev_tm = tm;
        p.threshold = e->value;
        p.fm = fm;
        p.fnm = r->n_same - tm;
        if (keep) {
            emit(arg, &p);
            n++;
        }
    }
    return n;
}
