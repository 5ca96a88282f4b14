/* calibrated: the calibrated methods applied to a distance (see
 * calibrated.h). */
#include "mapping/calibrated.h"

#include <math.h>
#include <stdlib.h>

const char *const method_names[METHOD_N] = {"logistic", "platt", "isotonic", "venn-abers"};

void calib_curve_free(calib_curve *c)
{
    free(c->x);
    free(c->p);
    free(c->p0);
    free(c->p1);
    c->x = c->p = c->p0 = c->p1 = NULL;
    c->n = 0;
}

/* The first fault of n probabilities that must lie in [0, 1] and not
 * increase, or NULL; its index in *at. */
static const char *check_decreasing(const double *p, size_t n, size_t *at)
{
    for (size_t i = 0; i < n; i++) {
        *at = i;
        if (!(p[i] >= 0 && p[i] <= 1))
            return "a probability outside [0, 1]";
        if (i > 0 && p[i] > p[i - 1])
            return "a probability that increases with the distance";
    }
    return NULL;
}

const char *calib_curve_check(const calib_curve *c, int venn_abers, size_t *at,
                              const char **key)
{
    const char *k = "x", *why = NULL;
    *at = 0;
    if (c->n == 0 || !c->x) {
        why = "no knots";
        goto out;
    }
    k = venn_abers ? "p0" : "p";
    if (venn_abers ? !c->p0 || !c->p1 : !c->p) {
        why = "no probabilities";
        goto out;
    }
    k = "x";
    for (size_t i = 0; i < c->n && !why; i++) {
        *at = i;
        if (!isfinite(c->x[i]))
            why = "a distance that is not a finite number";
        else if (i > 0 && !(c->x[i] > c->x[i - 1]))
            why = "distances not strictly ascending";
    }
    if (why)
        goto out;
    if (!venn_abers) {
        k = "p";
        why = check_decreasing(c->p, c->n, at);
        goto out;
    }
    k = "p0";
    why = check_decreasing(c->p0, 2 * c->n + 1, at);
    if (why)
        goto out;
    k = "p1";
    why = check_decreasing(c->p1, 2 * c->n + 1, at);
    if (why)
        goto out;
    for (size_t r = 0; r < 2 * c->n + 1 && !why; r++) {
        *at = r;
        if (c->p0[r] > c->p1[r])
            why = "p0 above p1";
    }
    k = "p0";
out:
    if (key)
        *key = k;
    return why;
}

double calib_platt_p(double w, double b, double d)
{
    return 1 / (1 + exp(-(w * d + b)));
}

/* The number of knots x[j] < d (a lower bound: x[result] >= d). */
static size_t knots_below(const calib_curve *c, double d)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->x[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double calib_isotonic_p(const calib_curve *c, double d)
{
    size_t n = c->n;
    if (d <= c->x[0])
        return c->p[0];
    if (d >= c->x[n - 1])
        return c->p[n - 1];
    /* x[0] < d < x[n-1]: j with x[j] <= d < x[j+1], as np.interp takes it */
    size_t j = knots_below(c, d);
    if (c->x[j] > d)
        j--;
    if (c->x[j] == d)
        return c->p[j];
    /* np.interp's slope (dp / dx) (d - x[j]) + p[j], as the fraction of the
     * way from x[j] to x[j+1]: a gap too wide for a double (-1e308 to
     * 1e308) is halved first, a gap too narrow (subnormal) gives no
     * infinite slope; and held between p[j+1] and p[j] */
    double lo = c->x[j], hi = c->x[j + 1];
    double t = isfinite(hi - lo) ? (d - lo) / (hi - lo) : (d / 2 - lo / 2) / (hi / 2 - lo / 2);
    double v = c->p[j] + (c->p[j + 1] - c->p[j]) * t;
    return v > c->p[j] ? c->p[j] : v < c->p[j + 1] ? c->p[j + 1] : v;
}

void calib_va_p(const calib_curve *c, double d, double *p0, double *p1)
{
    size_t j = knots_below(c, d);
    size_t r = j < c->n && c->x[j] == d ? 2 * j + 1 : 2 * j;
    *p0 = c->p0[r];
    *p1 = c->p1[r];
}

double calib_va_merge(double p0, double p1)
{
    return p1 / (1 - p0 + p1);
}
