/* Unit tests of lib/fit/logloss.c: one pass's loss, gradient and Hessian
 * against a direct computation in long double, on one thread and on two,
 * with and without weights, and the loss left out when not wanted. */
#include "common/diag.h"
#include "common/par.h"
#include "common/rng.h"
#include "fit/logloss.h"
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static rng rg;
static double unif(void)
{
    return rng_open01(&rg);
}

/* The sums in long double, straight from their definitions. */
static void direct(const double *d, const logloss_feat *ft, const unsigned char *y,
                   const double *wt, size_t n, double w, double b, long double out[6])
{
    for (int k = 0; k < 6; k++)
        out[k] = 0;
    for (size_t i = 0; i < n; i++) {
        long double u = ((long double)d[i] * ft->scale - ft->c) * ft->inv_s;
        long double z = w * u + b, s = 1 / (1 + expl(-z)), r = s - y[i];
        long double margin = (2 * y[i] - 1) * z, k = wt ? wt[i] : 1;
        out[0] += k * (log1pl(expl(-fabsl(margin))) + (margin < 0 ? -margin : 0));
        out[1] += k * r * u;
        out[2] += k * r;
        out[3] += k * s * (1 - s) * u * u;
        out[4] += k * s * (1 - s) * u;
        out[5] += k * s * (1 - s);
    }
}

static int near(double got, long double want, double rel)
{
    return fabsl(got - want) <= rel * fmaxl(fabsl(want), 1e-300L);
}

static void check(size_t n, const char *what)
{
    double *d = xmalloc(n * sizeof *d);
    unsigned char *y = xmalloc(n);
    double *wt = xmalloc(n * sizeof *wt), *ones = xmalloc(n * sizeof *ones);
    for (size_t i = 0; i < n; i++) {
        d[i] = 2 * unif();
        y[i] = unif() < 1 / (1 + exp(4 * (d[i] - 1)));
        wt[i] = 1 + (int)(unif() * 1000); /* rows a distinct value stands for */
        ones[i] = 1;
    }
    logloss_feat ft = {.scale = 0.5, .c = 0.5, .inv_s = 2}; /* u = d - 1 in [-1, 1] */
    logloss_sums s, s0, s1, sw;
    logloss_pass(d, &ft, y, NULL, n, -4, 0.25, 1, &s);
    long double want[6];
    direct(d, &ft, y, NULL, n, -4, 0.25, want);
    UNIT_OK(near(s.f, want[0], 1e-12) && near(s.gw, want[1], 1e-10) &&
                near(s.gb, want[2], 1e-10) && near(s.hww, want[3], 1e-12) &&
                near(s.hwb, want[4], 1e-10) && near(s.hbb, want[5], 1e-12),
            "%s: the sums as computed directly", what);
    logloss_pass(d, &ft, y, NULL, n, -4, 0.25, 0, &s0);
    UNIT_OK(isnan(s0.f) && s0.gw == s.gw && s0.gb == s.gb && s0.hww == s.hww &&
                s0.hwb == s.hwb && s0.hbb == s.hbb,
            "%s: without the loss, the same gradient and Hessian", what);
    logloss_pass(d, &ft, y, ones, n, -4, 0.25, 1, &s1);
    UNIT_OK(s1.f == s.f && s1.gw == s.gw && s1.gb == s.gb && s1.hww == s.hww &&
                s1.hwb == s.hwb && s1.hbb == s.hbb,
            "%s: weights of 1 give the unweighted doubles exactly", what);
    logloss_pass(d, &ft, y, wt, n, -4, 0.25, 1, &sw);
    direct(d, &ft, y, wt, n, -4, 0.25, want);
    UNIT_OK(near(sw.f, want[0], 1e-12) && near(sw.gw, want[1], 1e-10) &&
                near(sw.gb, want[2], 1e-10) && near(sw.hww, want[3], 1e-12) &&
                near(sw.hwb, want[4], 1e-10) && near(sw.hbb, want[5], 1e-12),
            "%s: weighted sums as computed directly", what);
    free(d);
    free(y);
    free(wt);
    free(ones);
}

int main(void)
{
    rng_seed(&rg, 2);
    diag_init("test_logloss");
    check(3000, "3000 rows, one thread");
    check(PAR_MIN_ROWS + 4321, "past PAR_MIN_ROWS, two threads");
    return unit_done();
}
