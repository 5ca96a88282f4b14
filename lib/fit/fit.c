/* fit: the article's regularised logistic fit on one distance column, solved
 * to its exact optimum, and the measures of logfit -v.  See fit.h. */
#include "fit/fit.h"
#include "mapping/confidence.h"
#include "common/diag.h"
#include "common/name.h"
#include "mapping/logistic.h"
#include "stream/num.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define FIT_INLINE inline __attribute__((always_inline))
#else
#define FIT_INLINE inline
#endif

/* ---- sorting ------------------------------------------------------------ */

static void insertion_sort(double *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void sift_down(double *a, size_t i, size_t n)
{
    double v = a[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (!(a[c] > v))
            break;
        a[i] = a[c];
        i = c;
    }
    a[i] = v;
}

static void heap_sort(double *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t k = n; k-- > 1;) {
        double t = a[0];
        a[0] = a[k];
        a[k] = t;
        sift_down(a, 0, k);
    }
}

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Introsort: quicksort (median of three, Hoare partition), heapsort past a
 * depth limit, insertion sort for short runs.  In place, O(n log n). */
static void intro_sort(double *a, size_t n, int depth)
{
    while (n > 24) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        size_t mid = n / 2;
        if (a[mid] < a[0])
            swap_d(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap_d(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap_d(&a[n - 1], &a[mid]);
        double pivot = a[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (pivot < a[j])
                j--;
            if (i >= j)
                break;
            swap_d(&a[i], &a[j]);
            i++;
            j--;
        }
        /* a[0..j] <= pivot <= a[j+1..n) */
        size_t left = j + 1, right = n - left;
        if (left < right) {
            intro_sort(a, left, depth);
            a += left;
            n = right;
        } else {
            intro_sort(a + left, right, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

void fit_sort(double *a, size_t n)
{
    int depth = 0;
    for (size_t k = n; k > 1; k >>= 1)
        depth += 2;
    intro_sort(a, n, depth);
}

/* ---- threshold and ROC AUC ---------------------------------------------- */

/* The middle of [a, b], a < b, never b itself (when a and b are adjacent
 * doubles, a): inside [a, b) whether b belongs to the interval or not.
 * (a + b) / 2 is the double nearest the true middle of the two doubles
 * (a + (b - a) / 2 can be one ulp off); a / 2 + b / 2 only on overflow. */
static double fit_midpoint(double a, double b)
{
    double s = a + b;
    double m = isfinite(s) ? s / 2 : a / 2 + b / 2;
    return m < b ? (m > a ? m : a) : a;
}

double fit_tune_threshold(const double *d, const unsigned char *same, size_t n, double *scratch,
                          uint64_t *correct)
{
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (same[i])
            scratch[np++] = d[i];
    size_t k = np;
    for (size_t i = 0; i < n; i++)
        if (!same[i])
            scratch[k++] = d[i];
    double *pos = scratch, *neg = scratch + np;
    size_t nn = n - np;
    fit_sort(pos, np);
    fit_sort(neg, nn);
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
    return best_hi > best_lo ? fit_midpoint(best_lo, best_hi) : best_lo;
}

double fit_auc(double *pos, size_t npos, double *neg, size_t nneg)
{
    if (npos == 0 || nneg == 0)
        return NAN;
    fit_sort(pos, npos);
    fit_sort(neg, nneg);
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

/* ---- the optimiser ------------------------------------------------------ */

/* The data part of the objective, its gradient and Hessian at (w, b). */
typedef struct sums {
    double f, gw, gb, hww, hwb, hbb;
} sums;

/* The optimiser's feature u = (d scale - c) / s, which maps the column's
 * x = d scale onto [-1, 1]: Newton's steps are then well conditioned
 * whatever the range and offset of the distances. */
typedef struct feat {
    double scale, c, inv_s;
} feat;

static inline double feat_u(const feat *ft, double d)
{
    return (d * ft->scale - ft->c) * ft->inv_s;
}

/* Rows per block of partial sums: the rounding error of a sum over n rows
 * grows like BLOCK + n / BLOCK, not n. */
enum { BLOCK = 1024 };

/* One row costs one exp() (and one log1p() when f is wanted), computed in
 * a first loop per block that holds nothing else, so that the second loop
 * keeps its sums in registers across no call.  With e = exp(-|z|) and
 * q = 1 / (1 + e): sigma(z) and sigma(-z) are q and e q in one order or
 * the other, each with full relative precision, so that the residual of a
 * row far on its right side is tiny, not 0 or 1e-16 noise;
 * sigma(z) sigma(-z) = e q^2; the loss is log1p(e) + max(0, -margin). */
static FIT_INLINE void block_sums(const double *d, const feat *ft, const unsigned char *y,
                                  size_t i0, size_t i1, double w, double b, const int want_f,
                                  sums *acc)
{
    double e[BLOCK];
    size_t m = i1 - i0;
    d += i0;
    y += i0;
    for (size_t i = 0; i < m; i++)
        e[i] = exp(-fabs(w * feat_u(ft, d[i]) + b));
    double f = 0;
    if (want_f)
        for (size_t i = 0; i < m; i++)
            f += log1p(e[i]);
    double gw = 0, gb = 0, hww = 0, hwb = 0, hbb = 0;
    for (size_t i = 0; i < m; i++) {
        double x = feat_u(ft, d[i]);
        double z = w * x + b;
        double sgn = (double)(2 * (int)y[i] - 1); /* 2y - 1 */
        double margin = sgn * z;
        double ei = e[i];
        double q = 1 / (1 + ei);
        /* sigma(-margin): e q on the right side, q on the wrong one */
        double wrong = (margin >= 0 ? ei : 1) * q;
        double r = -sgn * wrong; /* sigma(z) - y */
        double h = ei * q * q;
        gb += r;
        gw += r * x;
        hbb += h;
        double hx = h * x;
        hwb += hx;
        hww += hx * x;
        if (want_f)
            f += margin < 0 ? -margin : 0;
    }
    acc->f += f;
    acc->gw += gw;
    acc->gb += gb;
    acc->hww += hww;
    acc->hwb += hwb;
    acc->hbb += hbb;
}

/* One half of a pass: rows [lo, hi). */
typedef struct half_pass {
    const double *d;
    const feat *ft;
    const unsigned char *y;
    size_t lo, hi;
    double w, b;
    int want_f;
    sums s;
} half_pass;

static void *run_half(void *arg)
{
    half_pass *h = arg;
    memset(&h->s, 0, sizeof h->s);
    for (size_t i0 = h->lo; i0 < h->hi; i0 += BLOCK) {
        size_t i1 = h->hi - i0 < BLOCK ? h->hi : i0 + BLOCK;
        if (h->want_f)
            block_sums(h->d, h->ft, h->y, i0, i1, h->w, h->b, 1, &h->s);
        else
            block_sums(h->d, h->ft, h->y, i0, i1, h->w, h->b, 0, &h->s);
    }
    return NULL;
}

/* Rows from which a pass is split in two halves, the second on a thread of
 * its own.  The halves' sums are added in a fixed order, so the answer is
 * the same however the threads are scheduled (and if no thread can be
 * made). */
enum { SPLIT_ROWS = 1 << 17 };

static void pass(const double *d, const feat *ft, const unsigned char *y, size_t n, double w,
                 double b, int want_f, sums *s)
{
    half_pass h[2] = {
        {.d = d, .ft = ft, .y = y, .lo = 0, .hi = n, .w = w, .b = b, .want_f = want_f},
        {.d = d, .ft = ft, .y = y, .lo = n, .hi = n, .w = w, .b = b, .want_f = want_f},
    };
    if (n < SPLIT_ROWS) {
        run_half(&h[0]);
        *s = h[0].s;
    } else {
        size_t mid = n / 2 / BLOCK * BLOCK;
        h[0].hi = h[1].lo = mid;
        pthread_t t;
        int threaded = pthread_create(&t, NULL, run_half, &h[1]) == 0;
        run_half(&h[0]);
        if (threaded)
            pthread_join(t, NULL);
        else
            run_half(&h[1]);
        s->f = h[0].s.f + h[1].s.f;
        s->gw = h[0].s.gw + h[1].s.gw;
        s->gb = h[0].s.gb + h[1].s.gb;
        s->hww = h[0].s.hww + h[1].s.hww;
        s->hwb = h[0].s.hwb + h[1].s.hwb;
        s->hbb = h[0].s.hbb + h[1].s.hbb;
    }
    if (!want_f)
        s->f = NAN;
}

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
static fit_result newton(const double *d, const feat *ft, const unsigned char *y, size_t n,
                         double pen, double w, double b, double umin, double umax, double hs,
                         double hc, double tol, int warm, int final_gradient)
{
    fit_result res = {.w = w, .b = b};
    sums s, s_new;
    /* The objective itself (a log1p a row) is needed only for steps too
     * long to be safe, which a warm start rarely takes. */
    pass(d, ft, y, n, w, b, !warm, &s);
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
            pass(d, ft, y, n, wt, bt, 0, &s_new);
            res.passes++;
        } else {
            if (isnan(s.f)) {
                pass(d, ft, y, n, w, b, 1, &s);
                res.passes++;
            }
            double f0 = s.f + pen * w * w / 2;
            for (;;) {
                wt = w + t * dw;
                bt = b + t * db;
                pass(d, ft, y, n, wt, bt, 1, &s_new);
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
        pass(d, ft, y, n, w, b, 0, &s);
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
static double profile_b(const double *d, const feat *ft, const unsigned char *y, size_t n,
                        double w, double b, int *passes, sums *s)
{
    pass(d, ft, y, n, w, b, 0, s);
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
        pass(d, ft, y, n, w, b, 0, s);
        ++*passes;
    }
    return b;
}

/* The fallback for data that defeat Newton's method on (w, b) (one far
 * outlier whose curvature swamps the others, say): the profile F(w) =
 * min_b f(w, b) is convex with F'(w) = sum (sigma - y) x + w / C at
 * b = profile_b(w), so bisection on F' finds the optimum, slowly but
 * surely. */
static fit_result profile_fit(const double *d, double scale, const unsigned char *y, size_t n,
                              double C, double b0)
{
    feat fx = {.scale = scale, .c = 0, .inv_s = 1};
    fit_result r = {0};
    sums s;
    double w = 0, b = profile_b(d, &fx, y, n, w, b0, &r.passes, &s);
    double g0 = s.gw + w / C;
    double lo = 0, hi = 0, blo = b, bhi = b;
    if (g0 != 0) {
        /* Bracket the root of F': step away from 0, doubling. */
        double dir = g0 > 0 ? -1 : 1;
        for (int k = 0; k < 1100; k++) {
            double wt = dir * ldexp(1, k);
            double bt = profile_b(d, &fx, y, n, wt, b, &r.passes, &s);
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
            double bm = profile_b(d, &fx, y, n, mid, blo / 2 + bhi / 2, &r.passes, &s);
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
        b = profile_b(d, &fx, y, n, w, blo / 2 + bhi / 2, &r.passes, &s);
    }
    r.w = w;
    r.b = b;
    r.grad_w = s.gw + w / C;
    r.grad_b = s.gb;
    r.grad_norm = hypot(r.grad_w, r.grad_b);
    r.converged = isfinite(w) && isfinite(b);
    return r;
}

fit_result fit_logistic(const double *d, double scale, const unsigned char *y, size_t n,
                        double C, int final_gradient)
{
    double xmin = INFINITY, xmax = -INFINITY;
    uint64_t n1 = 0;
    for (size_t i = 0; i < n; i++) {
        double x = d[i] * scale;
        xmin = x < xmin ? x : xmin;
        xmax = x > xmax ? x : xmax;
        n1 += y[i];
    }
    /* Work on u = (x - c) / s in [-1, 1]: w x + b = w' u + b' with
     * w' = w s, b' = b + w c, and the penalty w^2 / 2C = w'^2 / (2 C s^2). */
    double c = xmin / 2 + xmax / 2, half = xmax / 2 - xmin / 2;
    if (!(half > 1e-100 * fmax(1, fabs(c))))
        half = 1; /* (nearly) constant x: nothing to condition */
    feat ft = {.scale = scale, .c = c, .inv_s = 1 / half};
    double pen = 1 / (C * half * half);
    double umin = fmin((xmin - c) * ft.inv_s, -1), umax = fmax((xmax - c) * ft.inv_s, 1);
    /* At w = 0 the best intercept is the log-odds of the classes. */
    double b0 = n1 > 0 && n1 < n ? log((double)n1 / (double)(n - n1)) : 0;
    double w = 0, b = b0;
    int warm = 0;
    /* Warm start: the same problem on every k-th row, with the penalty
     * scaled so that its objective estimates the whole one, on 65536 rows,
     * then on 16 times as many while that is at most an eighth of the rows,
     * each from the answer of the one before; Newton on the whole data
     * then starts within its fast, full-step regime. */
    for (size_t m = SUB_ROWS; m <= n / 8; m *= 16) {
        size_t stride = n / m;
        double *su = xmalloc(m * sizeof *su);
        unsigned char *sy = xmalloc(m);
        uint64_t s1 = 0;
        for (size_t k = 0; k < m; k++) {
            su[k] = feat_u(&ft, d[k * stride]);
            sy[k] = y[k * stride];
            s1 += sy[k];
        }
        if (s1 > 0 && s1 < m) {
            static const feat identity = {.scale = 1, .c = 0, .inv_s = 1};
            double sb = warm ? b : log((double)s1 / (double)(m - s1));
            fit_result sub = newton(su, &identity, sy, m, pen * (double)m / (double)n,
                                    warm ? w : 0, sb, umin, umax, half, c, 1e-6, warm, 0);
            if (isfinite(sub.w) && isfinite(sub.b)) {
                w = sub.w;
                b = sub.b;
                warm = 1;
            }
        }
        free(su);
        free(sy);
    }
    fit_result r =
        newton(d, &ft, y, n, pen, w, b, umin, umax, half, c, 1e-10, warm, final_gradient);
    /* Back to x: w = w' / s, b = b' - w c; the gradient by the chain rule. */
    double gw = r.grad_w, gb = r.grad_b;
    r.w = r.w / half;
    r.b = r.b - r.w * c;
    r.grad_w = half * gw + c * gb;
    r.grad_norm = hypot(r.grad_w, gb);
    if (!r.converged) {
        fit_result p = profile_fit(d, scale, y, n, C, b0);
        p.passes += r.passes;
        p.iterations += r.iterations;
        p.fallback = 1;
        r = p;
    }
    return r;
}

/* ---- calibration -------------------------------------------------------- */

void fit_ece_add(fit_ece *e, double q, int y)
{
    int k = (int)(q * 10);
    k = k < 0 ? 0 : k > 9 ? 9 : k;
    e->sum_q[k] += q;
    e->sum_y[k] += y;
    e->count[k]++;
    e->n++;
}

double fit_ece_value(const fit_ece *e)
{
    if (e->n == 0)
        return NAN;
    double s = 0;
    for (int k = 0; k < 10; k++)
        s += fabs(e->sum_q[k] - e->sum_y[k]);
    return s / (double)e->n;
}

int fit_ece_bins(const fit_ece *e)
{
    int b = 0;
    for (int k = 0; k < 10; k++)
        b += e->count[k] > 0;
    return b;
}

double fit_ece_mass(double *pos, size_t npos, double *neg, size_t nneg, int *occupied)
{
    size_t n = npos + nneg;
    *occupied = 0;
    if (n == 0)
        return NAN;
    fit_sort(pos, npos);
    fit_sort(neg, nneg);
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

/* ---- one column --------------------------------------------------------- */

static const char *fmt_short(char *buf, double x)
{
    num_fmt_shortest(buf, x);
    return buf;
}

/* p over rows [lo, hi): its range in each class and its sum. */
typedef struct denorm_half {
    const double *d;
    const unsigned char *y;
    size_t lo, hi;
    double w, b, norm;
    double max_t, min_t, max_f, min_f, sum;
} denorm_half;

static void *run_denorm(void *arg)
{
    denorm_half *h = arg;
    double max_t = -INFINITY, min_t = INFINITY, max_f = -INFINITY, min_f = INFINITY;
    double sum = 0;
    for (size_t i0 = h->lo; i0 < h->hi; i0 += BLOCK) {
        size_t i1 = h->hi - i0 < BLOCK ? h->hi : i0 + BLOCK;
        double part = 0;
        for (size_t i = i0; i < i1; i++) {
            double p = logistic_pct(h->w * logistic_feature(h->d[i], h->norm) + h->b);
            part += p;
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
    return NULL;
}

void fit_column(const fit_input *in, model_metric *m, fit_report *rep)
{
    size_t n = in->n;
    const double *d = in->d;
    memset(rep, 0, sizeof *rep);
    if (n < 2)
        die("%s: a fit needs at least 2 rows (found %zu)", in->file, n);

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
        for (size_t i = 0; i < n; i++)
            n1 += y[i];
    } else {
        unsigned char *yb = in->ybuf;
        double t = in->threshold;
        for (size_t i = 0; i < n; i++) {
            yb[i] = d[i] <= t;
            n1 += yb[i];
        }
        y = yb;
    }
    if (n1 == 0 || n1 == n) {
        char tb[NUM_FMT_MAX];
        if (in->truth)
            die("%s: column '%s': all %zu rows have same = %d: logistic regression needs both "
                "classes",
                in->file, name_q(in->name), n, n1 ? 1 : 0);
        die("%s: column '%s': all %zu rows are '%s' at threshold %s: logistic regression "
            "needs both classes",
            in->file, name_q(in->name), n, n1 ? "same" : "different", fmt_short(tb, in->threshold));
    }

    /* Step 4: the fit, on x = d / normalizer (as d times its reciprocal:
     * within an ulp, which moves the optimum by about 1e-16). */
    double scale = norm > 1 ? 1 / norm : 1;
    fit_result opt = fit_logistic(d, scale, y, n, in->C, in->report);
    if (!opt.converged)
        warnx_("%s: column '%s': the fit stopped short of the optimum after %d steps (gradient "
               "norm %g)",
               in->file, name_q(in->name), opt.iterations, opt.grad_norm);

    /* Steps 5 and 6: p exactly as confmap computes it, and its range per
     * class; in two halves when there are many rows, as the passes. */
    double w = opt.w, b = opt.b;
    denorm_half h[2] = {{.d = d, .y = y, .lo = 0, .hi = n, .w = w, .b = b, .norm = norm},
                        {.d = d, .y = y, .lo = n, .hi = n, .w = w, .b = b, .norm = norm}};
    if (n < SPLIT_ROWS) {
        run_denorm(&h[0]);
        run_denorm(&h[1]); /* empty: the identities of max, min and sum */
    } else {
        h[0].hi = h[1].lo = n / 2 / BLOCK * BLOCK;
        pthread_t th;
        int threaded = pthread_create(&th, NULL, run_denorm, &h[1]) == 0;
        run_denorm(&h[0]);
        if (threaded)
            pthread_join(th, NULL);
        else
            run_denorm(&h[1]);
    }
    double max_t = fmax(h[0].max_t, h[1].max_t), min_t = fmin(h[0].min_t, h[1].min_t);
    double max_f = fmax(h[0].max_f, h[1].max_f), min_f = fmin(h[0].min_f, h[1].min_f);
    double sum_p = h[0].sum + h[1].sum;

    memset(m, 0, sizeof *m);
    m->name = xstrdup(in->name);
    m->has_threshold = 1;
    m->threshold = in->threshold;
    m->w = w;
    m->b = b;
    m->normalizer = norm;
    m->denorm_max_true = max_t;
    m->denorm_min_true = min_t;
    m->denorm_max_false = max_f;
    m->denorm_min_false = min_f;
    m->has_info = 1;
    m->n = n;
    m->n_true = n1;
    m->has_range = 1;
    m->range_min = lowest;
    m->range_max = norm;
    snprintf(m->target, sizeof m->target, "%s", in->truth ? "truth" : "decision");
    m->C = in->C;

    rep->n = n;
    rep->n_true = n1;
    rep->opt = opt;
    rep->mean_p = sum_p / (double)n;
    if (!in->report)
        return;

    /* Did the penalty set the scale?  (see FIT_PENALTY_SPAN in fit.h) */
    rep->p_min = fmin(min_t, min_f);
    rep->p_max = fmax(max_t, max_f);
    fit_result weak = fit_logistic(d, scale, y, n, in->C * FIT_PENALTY_WEAKER, 0);
    rep->w_weak = weak.w;
    rep->penalty_dominates =
        rep->p_max - rep->p_min < FIT_PENALTY_SPAN && fabs(w) < fabs(weak.w) / 2;
    if (!in->same)
        return;

    /* The -v measures against `same`. */
    const unsigned char *same = in->same;
    conf_params cp;
    conf_from_model(&cp, m);
    fit_ece er = {0}, es = {0};
    double br = 0, bs = 0;
    uint64_t correct = 0, ns = 0;
    for (size_t i = 0; i < n; i++) {
        double q = logistic_pct(w * logistic_feature(d[i], norm) + b) / 100;
        double c = conf_value(&cp, CONF_CLAMPED, d[i]) / 100;
        int s = same[i];
        br += (q - s) * (q - s);
        bs += (c - s) * (c - s);
        fit_ece_add(&er, q, s);
        fit_ece_add(&es, c, s);
        correct += (d[i] <= in->threshold) == s;
        ns += (uint64_t)s;
    }
    rep->has_same = 1;
    rep->n_same = ns;
    rep->accuracy = (double)correct / (double)n;
    rep->brier_raw = br / (double)n;
    rep->brier_scaled = bs / (double)n;
    rep->ece_raw = fit_ece_value(&er);
    rep->ece_scaled = fit_ece_value(&es);
    rep->bins_raw = fit_ece_bins(&er);
    rep->bins_scaled = fit_ece_bins(&es);
    rep->auc = rep->ecem_raw = rep->ecem_scaled = NAN;
    if (in->scratch) {
        double *sc = in->scratch;
        size_t np = 0, k = ns;
        for (size_t i = 0; i < n; i++) {
            double q = logistic_pct(w * logistic_feature(d[i], norm) + b) / 100;
            if (same[i])
                sc[np++] = q;
            else
                sc[k++] = q;
        }
        rep->auc = fit_auc(sc, ns, sc + ns, n - ns);
        rep->ecem_raw = fit_ece_mass(sc, ns, sc + ns, n - ns, &rep->binsm_raw);
        np = 0;
        k = ns;
        for (size_t i = 0; i < n; i++) {
            double c = conf_value(&cp, CONF_CLAMPED, d[i]) / 100;
            if (same[i])
                sc[np++] = c;
            else
                sc[k++] = c;
        }
        rep->ecem_scaled = fit_ece_mass(sc, ns, sc + ns, n - ns, &rep->binsm_scaled);
    }
}

void fit_report_print(const model_metric *m, const fit_report *r)
{
    char t[NUM_FMT_MAX];
    fflush(stdout);
    const char *from = m->threshold_from;
    fprintf(stderr,
            "%s: %llu rows, %llu with y = 1 and %llu with y = 0; y = %s; threshold %s%s%s\n",
            m->name, (unsigned long long)r->n, (unsigned long long)r->n_true,
            (unsigned long long)(r->n - r->n_true),
            strcmp(m->target, "truth") == 0 ? "same" : "(d <= threshold)",
            fmt_short(t, m->threshold),
            strcmp(from, "given") == 0   ? " (given)"
            : strcmp(from, "tuned") == 0 ? " (tuned on same)"
                                         : ", DeepFace's for ",
            strcmp(from, "given") == 0 || strcmp(from, "tuned") == 0 ? "" : from);
    fprintf(stderr, "  fit: w %.10g, b %.10g after %d %s (%d passes), gradient norm %.2g%s\n",
            m->w, m->b, r->opt.iterations,
            r->opt.fallback ? "steps (Newton's, then bisection on the profile)"
                            : "Newton steps",
            r->opt.passes, r->opt.grad_norm, r->opt.converged ? "" : " (not converged)");
    fprintf(stderr, "  mean p %.6f (100 n_true / n = %.6f)\n", r->mean_p,
            100.0 * (double)r->n_true / (double)r->n);
    char cb[NUM_FMT_MAX];
    if (r->penalty_dominates)
        fprintf(stderr,
                "  the penalty dominates the fit: p spans only %.2f points [%.2f, %.2f], and "
                "with a penalty 10^6 times weaker |w| would be %.4g, not %.4g (scale the distances, or "
                "raise -C from %s)\n",
                r->p_max - r->p_min, r->p_min, r->p_max, fabs(r->w_weak),
                fabs(m->w), fmt_short(cb, m->C));
    if (!r->has_same) {
        fprintf(stderr, "  no column 'same': no accuracy, ROC AUC or calibration\n");
        return;
    }
    fprintf(stderr, "  against same (%llu of %llu): accuracy %.4f, ROC AUC %.4f\n",
            (unsigned long long)r->n_same, (unsigned long long)r->n, r->accuracy, r->auc);
    fprintf(stderr, "  calibration    Brier     ECE, equal-width bins    ECE, equal-mass bins\n");
    fprintf(stderr, "    raw p        %.4f    %.4f (%2d of 10 used)     %.4f (%2d of 10 used)\n",
            r->brier_raw, r->ece_raw, r->bins_raw, r->ecem_raw, r->binsm_raw);
    fprintf(stderr, "    re-scaled    %.4f    %.4f (%2d of 10 used)     %.4f (%2d of 10 used)\n",
            r->brier_scaled, r->ece_scaled, r->bins_scaled, r->ecem_scaled, r->binsm_scaled);
}
