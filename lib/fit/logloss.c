/* logloss: the objective's sums in one pass (see logloss.h). */
#include "fit/logloss.h"
#include "common/par.h"

#include <math.h>
#include <string.h>

#if defined(__GNUC__)
#define LOGLOSS_INLINE inline __attribute__((always_inline))
#else
#define LOGLOSS_INLINE inline
#endif

enum { BLOCK = PAR_BLOCK };

/* One row costs one exp() (and one log1p() when f is wanted), computed in
 * a first loop per block that holds nothing else, so that the second loop
 * keeps its sums in registers across no call.  With e = exp(-|z|) and
 * q = 1 / (1 + e): sigma(z) and sigma(-z) are q and e q in one order or
 * the other, each with full relative precision, so that the residual of a
 * row far on its right side is tiny, not 0 or 1e-16 noise;
 * sigma(z) sigma(-z) = e q^2; the loss is log1p(e) + max(0, -margin). */
static LOGLOSS_INLINE void block_sums(const double *d, const logloss_feat *ft,
                                      const unsigned char *y, const double *wt, size_t i0,
                                      size_t i1, double w, double b, const int want_f,
                                      logloss_sums *acc)
{
    double e[BLOCK];
    size_t m = i1 - i0;
    d += i0;
    y += i0;
    if (wt)
        wt += i0;
    for (size_t i = 0; i < m; i++)
        e[i] = exp(-fabs(w * logloss_u(ft, d[i]) + b));
    double f = 0;
    if (want_f)
        for (size_t i = 0; i < m; i++)
            f += (wt ? wt[i] : 1) * log1p(e[i]);
    double gw = 0, gb = 0, hww = 0, hwb = 0, hbb = 0;
    for (size_t i = 0; i < m; i++) {
        double x = logloss_u(ft, d[i]);
        double z = w * x + b;
        double sgn = (double)(2 * (int)y[i] - 1); /* 2y - 1 */
        double margin = sgn * z;
        double ei = e[i];
        double q = 1 / (1 + ei);
        /* sigma(-margin): e q on the right side, q on the wrong one */
        double wrong = (margin >= 0 ? ei : 1) * q;
        double wi = wt ? wt[i] : 1; /* times 1 is exact: unweighted rows sum as before */
        double r = -sgn * wrong * wi; /* (sigma(z) - y) times the weight */
        double h = ei * q * q * wi;
        gb += r;
        gw += r * x;
        hbb += h;
        double hx = h * x;
        hwb += hx;
        hww += hx * x;
        if (want_f)
            f += margin < 0 ? -margin * wi : 0;
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
    const logloss_feat *ft;
    const unsigned char *y;
    const double *wt;
    size_t lo, hi;
    double w, b;
    int want_f;
    logloss_sums s;
} half_pass;

static int threads = 1;

void logloss_set_threads(int two)
{
    threads = two;
}

int logloss_threads(void)
{
    return threads;
}

static void run_half(void *arg)
{
    half_pass *h = arg;
    memset(&h->s, 0, sizeof h->s);
    for (size_t i0 = h->lo; i0 < h->hi; i0 += BLOCK) {
        size_t i1 = h->hi - i0 < BLOCK ? h->hi : i0 + BLOCK;
        if (h->want_f)
            block_sums(h->d, h->ft, h->y, h->wt, i0, i1, h->w, h->b, 1, &h->s);
        else
            block_sums(h->d, h->ft, h->y, h->wt, i0, i1, h->w, h->b, 0, &h->s);
    }
}

void logloss_pass(const double *d, const logloss_feat *ft, const unsigned char *y,
                  const double *wt, size_t n, double w, double b, int want_f, logloss_sums *s)
{
    /* (an empty second half adds +0 to each sum: the first's, unchanged) */
    size_t mid = par_split(n);
    half_pass h[2] = {
        {.d = d, .ft = ft, .y = y, .wt = wt, .lo = 0, .hi = mid, .w = w, .b = b, .want_f = want_f},
        {.d = d, .ft = ft, .y = y, .wt = wt, .lo = mid, .hi = n, .w = w, .b = b, .want_f = want_f},
    };
    par_run(run_half, &h[0], &h[1], mid < n && threads);
    s->f = h[0].s.f + h[1].s.f;
    s->gw = h[0].s.gw + h[1].s.gw;
    s->gb = h[0].s.gb + h[1].s.gb;
    s->hww = h[0].s.hww + h[1].s.hww;
    s->hwb = h[0].s.hwb + h[1].s.hwb;
    s->hbb = h[0].s.hbb + h[1].s.hbb;
    if (!want_f)
        s->f = NAN;
}
