/* logreg: Newton's method on (w, b), and bisection on the profile when it
 * gives up (see logreg.h).  The passes over the data are logloss.c's. */
#include "fit/logreg.h"
#include "fit/logloss.h"
#include "common/par.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Along the Newton direction, phi(t) = objective at theta + t delta has
 * phi'(0) = -delta' H delta = -phi''(0), and |l'''| <= l'' for the logistic
 * loss l gives phi''(t) <= phi''(0) exp(t M) with M = max_i |delta_w x_i +
 * delta_b|.  Hence phi(t) - phi(0) <= t phi'(0) (1 - t k(tM)), k(u) = (e^u -
 * 1 - u) / u^2, and for tM <= 1.5 (k <= 0.881) every t <= 1 descends by at
 * least 0.119 t |phi'(0)|: such steps need no evaluation of the objective. */
#define M_SAFE 1.5
#define ARMIJO 1e-4
enum { MAX_ITER = 100 };

/* |step| / |value|: 0 for no step, infinite for a step from 0. */
static double rel_to(double step, double value)
{
    return step == 0 ? 0 : fabs(step) / fabs(value);
}

/* Minimise the objective in u: sum of losses + pen w^2 / 2; hs and hc map
 * u back to x (x = hs u + hc) for the relative size of the steps. */
static logreg_result newton(const double *d, const logloss_feat *ft, const unsigned char *y,
                            const double *wgt, size_t n, double pen, double w, double b, double umin, double umax,
                            double hs, double hc, double tol, int warm, int final_gradient)
{
    logreg_result res = {.w = w, .b = b};
    logloss_sums s, s_new;
    /* The objective itself (a log1p a row) is needed only for steps too
     * long to be safe, which a warm start rarely takes. */
    logloss_pass(d, ft, y, wgt, n, w, b, !warm, &s);
    res.passes = 1;
    double prev_rel = INFINITY;
    for (int it = 0; it < MAX_ITER; it++) {
        double gw = s.gw + pen * w, gb = s.gb;
        res.grad_norm = hypot(gw, gb);
        res.grad_w = gw;
        res.grad_b = gb;
        if (gw == 0 && gb == 0) {
            res.converged = 1;
            break;
        }
        /* Solve (H + mu I) delta = -g; mu > 0 only if H is numerically
         * singular (every row saturated). */
        double hww = s.hww + pen, hwb = s.hwb, hbb = s.hbb;
        double mu = 0, dw = 0, db = 0;
        for (int k = 0; k < 400; k++) {
            double a = hww + mu, c = hbb + mu;
            double det = a * c - hwb * hwb;
            if (det > 1e-14 * a * c && isfinite(det)) {
                dw = (-c * gw + hwb * gb) / det;
                db = (hwb * gw - a * gb) / det;
                if (isfinite(dw) && isfinite(db))
                    break;
            }
            mu = mu > 0 ? mu * 16 : 1e-12 * (a + c) + DBL_MIN;
        }
        double slope = gw * dw + gb * db; /* phi'(0) */
        /* The step's size relative to w and b in the caller's coordinates
         * (x = s u + c: w_x = w / s, b_x = b - w_x c), where the promise of
         * 1e-9 relative is made; and M, the most it changes any z. */
        double wx = w / hs, dwx = dw / hs;
        double rel = fmax(rel_to(dwx, wx), rel_to(db - dwx * hc, b - wx * hc));
        double big_m = fmax(fabs(dw * umin + db), fabs(dw * umax + db));
        int noise = big_m <= 1e-6 && rel > 0.5 * prev_rel;
        if (!(slope < 0)) {
            /* No descent left at this precision: the optimum if the step
             * is tiny or at the noise floor, else a Hessian too
             * ill-conditioned to trust. */
            res.converged = rel <= 1e-8 || noise || big_m <= 1e-12;
            break;
        }
        /* Take the step and stop when it is below the tolerance; when the
         * error it leaves, about M rel (a full step that changes no z by
         * more than M leaves a gradient of about M / 2 of the step's, by
         * the third-derivative bound above), is far below the tolerance,
         * which saves the pass that would check it; or when the steps no
         * longer shrink while hardly changing any z: the floor of rounding
         * noise. */
        if (rel <= tol || big_m * rel <= tol * 1e-4 || noise) {
            w += dw;
            b += db;
            res.iterations++;
            res.converged = 1;
            break;
        }
        double t = 1, wt = w + dw, bt = b + db;
        if (big_m <= M_SAFE) {
            logloss_pass(d, ft, y, wgt, n, wt, bt, 0, &s_new);
            res.passes++;
        } else {
            if (isnan(s.f)) {
                logloss_pass(d, ft, y, wgt, n, w, b, 1, &s);
                res.passes++;
            }
            double f0 = s.f + pen * w * w / 2;
            for (;;) {
                wt = w + t * dw;
                bt = b + t * db;
                logloss_pass(d, ft, y, wgt, n, wt, bt, 1, &s_new);
                res.passes++;
                if (t * big_m <= M_SAFE)
                    break; /* descent guaranteed */
                double fnew = s_new.f + pen * wt * wt / 2;
                if (fnew <= f0 + ARMIJO * t * slope)
                    break;
                t = fmax(t * 0.5, M_SAFE / big_m);
            }
        }
        w = wt;
        b = bt;
        s = s_new;
        res.iterations++;
        prev_rel = t == 1 ? rel : INFINITY;
    }
    if (final_gradient) {
        logloss_pass(d, ft, y, wgt, n, w, b, 0, &s);
        res.passes++;
        res.grad_w = s.gw + pen * w;
        res.grad_b = s.gb;
        res.grad_norm = hypot(res.grad_w, res.grad_b);
    }
    res.w = w;
    res.b = b;
    return res;
}

/* Rows of the warm start's subsample. */
enum { SUB_ROWS = 65536 };

/* The b that minimises the objective for a fixed w: the root of
 * G(b) = sum (sigma(w x + b) - y), which increases with b; a bracket, then
 * Newton's steps kept inside it (bisection when they leave it).  *s gets the
 * sums at the answer. */
static double profile_b(const double *d, const logloss_feat *ft, const unsigned char *y,
                        const double *wgt, size_t n, double w, double b, int *passes, logloss_sums *s)
{
    logloss_pass(d, ft, y, wgt, n, w, b, 0, s);
    ++*passes;
    double lo = -INFINITY, hi = INFINITY;
    for (int k = 0; k < 300 && s->gb != 0; k++) {
        if (s->gb < 0)
            lo = b;
        else
            hi = b;
        double nb = b - s->gb / s->hbb;
        if (!(nb > lo && nb < hi)) { /* outside the bracket, or no slope */
            if (isinf(lo))
                nb = hi - fmax(1, fabs(hi)) * 2;
            else if (isinf(hi))
                nb = lo + fmax(1, fabs(lo)) * 2;
            else
                nb = lo / 2 + hi / 2;
        }
        if (nb == b || (nb <= lo || nb >= hi) || fabs(nb - b) <= 1e-15 * fabs(b))
            break;
        b = nb;
        logloss_pass(d, ft, y, wgt, n, w, b, 0, s);
        ++*passes;
    }
    return b;
}

/* The fallback for data that defeat Newton's method on (w, b) (one far
 * outlier whose curvature swamps the others, say): the profile F(w) =
 * min_b f(w, b) is convex with F'(w) = sum (sigma - y) x + w / C at
 * b = profile_b(w), so bisection on F' finds the optimum, slowly but
 * surely. */
static logreg_result profile_fit(const double *d, double scale, const unsigned char *y,
                                 const double *wgt, size_t n, double C, double b0)
{
    logloss_feat fx = {.scale = scale, .c = 0, .inv_s = 1};
    logreg_result r = {0};
    logloss_sums s;
    double w = 0, b = profile_b(d, &fx, y, wgt, n, w, b0, &r.passes, &s);
    double g0 = s.gw + w / C;
    double lo = 0, hi = 0, blo = b, bhi = b;
    if (g0 != 0) {
        /* Bracket the root of F': step away from 0, doubling. */
        double dir = g0 > 0 ? -1 : 1;
        for (int k = 0; k < 1100; k++) {
            double wt = dir * ldexp(1, k);
            double bt = profile_b(d, &fx, y, wgt, n, wt, b, &r.passes, &s);
            int past = (s.gw + wt / C > 0) != (g0 > 0);
            if (dir < 0 ? past : !past) {
                lo = wt;
                blo = bt;
            } else {
                hi = wt;
                bhi = bt;
            }
            b = bt;
            if (past)
                break;
        }
        for (int k = 0; k < 2200 && lo < hi; k++) {
            double mid = lo / 2 + hi / 2;
            if (mid <= lo || mid >= hi)
                break;
            double bm = profile_b(d, &fx, y, wgt, n, mid, blo / 2 + bhi / 2, &r.passes, &s);
            r.iterations++;
            if (s.gw + mid / C < 0) {
                lo = mid;
                blo = bm;
            } else {
                hi = mid;
                bhi = bm;
            }
            if (hi - lo <= 1e-15 * fmax(fabs(lo), fabs(hi)))
                break;
        }
        w = lo / 2 + hi / 2;
        b = profile_b(d, &fx, y, wgt, n, w, blo / 2 + bhi / 2, &r.passes, &s);
    }
    r.w = w;
    r.b = b;
    r.grad_w = s.gw + w / C;
    r.grad_b = s.gb;
    r.grad_norm = hypot(r.grad_w, r.grad_b);
    r.converged = isfinite(w) && isfinite(b);
    return r;
}

/* Rows [lo, hi): the range of x = d scale and the weight of class 1 and
 * in all (integers below 2^53: exact in any order, as max and min are). */
typedef struct range_half {
    const double *d, *wgt;
    const unsigned char *y;
    double scale;
    size_t lo, hi;
    double xmin, xmax, n1, total;
} range_half;

static void run_range(void *arg)
{
    range_half *h = arg;
    double xmin = INFINITY, xmax = -INFINITY, n1 = 0, total = 0;
    for (size_t i = h->lo; i < h->hi; i++) {
        double x = h->d[i] * h->scale, k = h->wgt ? h->wgt[i] : 1;
        xmin = x < xmin ? x : xmin;
        xmax = x > xmax ? x : xmax;
        n1 += h->y[i] ? k : 0;
        total += k;
    }
    h->xmin = xmin;
    h->xmax = xmax;
    h->n1 = n1;
    h->total = total;
}

logreg_result logreg_fit(const double *d, double scale, const unsigned char *y,
                         const double *wgt, size_t n, double C, int final_gradient)
{
    size_t mid = par_split(n);
    range_half rh[2] = {{.d = d, .wgt = wgt, .y = y, .scale = scale, .lo = 0, .hi = mid},
                        {.d = d, .wgt = wgt, .y = y, .scale = scale, .lo = mid, .hi = n}};
    par_run(run_range, &rh[0], &rh[1], mid < n && logloss_threads());
    /* (the first half's on a tie, as one pass keeps the first) */
    double xmin = rh[1].xmin < rh[0].xmin ? rh[1].xmin : rh[0].xmin;
    double xmax = rh[1].xmax > rh[0].xmax ? rh[1].xmax : rh[0].xmax;
    double n1 = rh[0].n1 + rh[1].n1, total = rh[0].total + rh[1].total;
    /* Work on u = (x - c) / s in [-1, 1]: w x + b = w' u + b' with
     * w' = w s, b' = b + w c, and the penalty w^2 / 2C = w'^2 / (2 C s^2). */
    double c = xmin / 2 + xmax / 2, half = xmax / 2 - xmin / 2;
    if (!(half > 1e-100 * fmax(1, fabs(c))))
        half = 1; /* (nearly) constant x: nothing to condition */
    logloss_feat ft = {.scale = scale, .c = c, .inv_s = 1 / half};
    double pen = 1 / (C * half * half);
    double umin = fmin((xmin - c) * ft.inv_s, -1), umax = fmax((xmax - c) * ft.inv_s, 1);
    /* At w = 0 the best intercept is the log-odds of the classes. */
    double b0 = n1 > 0 && n1 < total ? log(n1 / (total - n1)) : 0;
    double w = 0, b = b0;
    int warm = 0;
    /* Warm start: the same problem on every k-th row, with the penalty
     * scaled so that its objective estimates the whole one, on 65536 rows,
     * then on 16 times as many while that is at most an eighth of the rows,
     * each from the answer of the one before; Newton on the whole data
     * then starts within its fast, full-step regime.  (Without the memory
     * for a subsample, Newton starts from where it is: slower, as exact.) */
    for (size_t m = SUB_ROWS; m <= n / 8; m *= 16) {
        size_t stride = n / m;
        double *su = malloc(m * sizeof *su);
        unsigned char *sy = malloc(m);
        double *sw = wgt ? malloc(m * sizeof *sw) : NULL;
        if (!su || !sy || (wgt && !sw)) {
            free(su);
            free(sy);
            free(sw);
            break;
        }
        double s1 = 0, sm = 0; /* the subsample's weight of class 1, and in all */
        for (size_t k = 0; k < m; k++) {
            su[k] = logloss_u(&ft, d[k * stride]);
            sy[k] = y[k * stride];
            double kw = wgt ? (sw[k] = wgt[k * stride]) : 1;
            s1 += sy[k] ? kw : 0;
            sm += kw;
        }
        if (s1 > 0 && s1 < sm) {
            static const logloss_feat identity = {.scale = 1, .c = 0, .inv_s = 1};
            double sb = warm ? b : log(s1 / (sm - s1));
            logreg_result sub = newton(su, &identity, sy, sw, m, pen * sm / total, warm ? w : 0,
                                       sb, umin, umax, half, c, 1e-6, warm, 0);
            if (isfinite(sub.w) && isfinite(sub.b)) {
                w = sub.w;
                b = sub.b;
                warm = 1;
            }
        }
        free(su);
        free(sy);
        free(sw);
    }
    logreg_result r =
        newton(d, &ft, y, wgt, n, pen, w, b, umin, umax, half, c, 1e-10, warm, final_gradient);
    /* Back to x: w = w' / s, b = b' - w c; the gradient by the chain rule. */
    double gw = r.grad_w, gb = r.grad_b;
    r.w = r.w / half;
    r.b = r.b - r.w * c;
    r.grad_w = half * gw + c * gb;
    r.grad_norm = hypot(r.grad_w, gb);
    if (!r.converged) {
        logreg_result p = profile_fit(d, scale, y, wgt, n, C, b0);
        p.passes += r.passes;
        p.iterations += r.iterations;
        p.fallback = 1;
        r = p;
    }
    return r;
}
