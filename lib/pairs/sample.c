#include "pairs/sample.h"

#include <math.h>

/* Method D switches to Method A once n / N exceeds 1/13 (Vitter's alpha). */
enum { ALPHA_INV = 13 };

void sampler_init(sampler *s, rng *r, uint64_t N, uint64_t n)
{
    s->r = r;
    s->N = N;
    s->n = n > N ? N : n;
    s->vprime = s->n > 0 ? exp(log(rng_open01(r)) / (double)s->n) : 0;
}

/* Method A: sequential search, O(skip) time. */
static uint64_t skip_a(sampler *s)
{
    double top = (double)(s->N - s->n), Nreal = (double)s->N;
    double v = rng_open01(s->r), quot = top / Nreal;
    uint64_t S = 0;
    while (quot > v) {
        S++;
        top -= 1.0;
        Nreal -= 1.0;
        quot *= top / Nreal;
    }
    return S;
}

/* Method D: a rejection method over the skip's distribution; O(1) expected
 * time per selected record. */
static uint64_t skip_d(sampler *s)
{
    double nreal = (double)s->n, Nreal = (double)s->N;
    double ninv = 1.0 / nreal, nmin1inv = 1.0 / (nreal - 1.0);
    double qu1real = Nreal - nreal + 1.0;
    uint64_t qu1 = s->N - s->n + 1;
    double X, S;
    for (;;) {
        for (;;) {
            X = Nreal * (1.0 - s->vprime);
            S = floor(X);
            if (S < qu1real)
                break;
            s->vprime = exp(log(rng_open01(s->r)) * ninv);
        }
        double U = rng_open01(s->r);
        double y1 = exp(log(U * Nreal / qu1real) * nmin1inv);
        s->vprime = y1 * (1.0 - X / Nreal) * (qu1real / (qu1real - S));
        if (s->vprime <= 1.0)
            break; /* accepted by the cheap squeeze test */
        double y2 = 1.0, top = Nreal - 1.0, bottom;
        uint64_t limit, Si = (uint64_t)S;
        if (s->n - 1 > Si) {
            bottom = Nreal - nreal;
            limit = s->N - Si;
        } else {
            bottom = Nreal - S - 1.0;
            limit = qu1;
        }
        for (uint64_t t = s->N - 1; t >= limit; t--) {
            y2 = y2 * top / bottom;
            top -= 1.0;
            bottom -= 1.0;
        }
        if (Nreal / (Nreal - X) >= y1 * exp(log(y2) * nmin1inv)) {
            s->vprime = exp(log(rng_open01(s->r)) * nmin1inv);
            break; /* accepted by the exact test */
        }
        s->vprime = exp(log(rng_open01(s->r)) * ninv);
    }
    return (uint64_t)S;
}

uint64_t sampler_skip(sampler *s)
{
    uint64_t S;
    if (s->n == 1)
        S = rng_below(s->r, s->N);
    else if ((double)s->n * ALPHA_INV < (double)s->N)
        S = skip_d(s);
    else {
        S = skip_a(s);
        if (s->n > 2)
            s->vprime = exp(log(rng_open01(s->r)) / (double)(s->n - 1));
    }
    s->N -= S + 1;
    s->n--;
    return S;
}
