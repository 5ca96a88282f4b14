/* confidence: a distance to a confidence in percent (see confidence.h). */
#include "mapping/confidence.h"
#include "mapping/logistic.h"
#include "stream/num.h"

#include <math.h>
#include <string.h>

const char *const conf_style_names[CONF_NSTYLES] = {"clamped", "study", "deepface", "raw",
                                                     "probability"};

double conf_rescale(const conf_params *c, double p, int same, int truncate_band)
{
    double lo, hi, tlo, thi;
    if (same) {
        lo = c->fit.denorm_min_true;
        hi = c->fit.denorm_max_true;
        tlo = lo > 51 ? lo : 51; /* max(51, lo) */
        thi = 100;
    } else {
        lo = c->fit.denorm_min_false;
        hi = c->fit.denorm_max_false;
        tlo = 0;
        double h = truncate_band ? trunc(hi) : hi; /* Python's int(): toward zero */
        thi = h < 49 ? h : 49;                     /* min(49, h) */
    }
    double frac;
    if (hi - lo >= CONF_RANGE_MIN)
        frac = (p - lo) / (hi - lo);
    else /* degenerate: no slope to follow */
        frac = p < lo ? 0 : p > hi ? 1 : 0.5;
    double v = frac * (thi - tlo) + tlo;
    return v == v ? v : tlo; /* inf * 0 when the band is empty (thi == tlo) */
}

double conf_value(const conf_params *c, conf_style style, double d)
{
    int same = d <= c->threshold;
    /* DeepFace answers d <= 0 before it looks for constants */
    if (style == CONF_DEEPFACE && d <= 0)
        return same ? 100 : 0;
    if (c->constant)
        return same ? 51 : 49;
    double z = logistic_z(&c->fit, d);
    double p = style == CONF_DEEPFACE ? logistic_pct_deepface(z) : logistic_pct(z);
    switch (style) {
    case CONF_RAW:
    case CONF_PROBABILITY: /* not for a logistic fit: the caller refuses it */
        return p;
    case CONF_STUDY:
        return conf_rescale(c, p, same, 0);
    case CONF_CLAMPED: {
        double v = conf_rescale(c, p, same, 0);
        if (same)
            return v < 51 ? 51 : v > 100 ? 100 : v;
        return v < 0 ? 0 : v > 49 ? 49 : v + 0.0;
    }
    case CONF_DEEPFACE: {
        double v = conf_rescale(c, p, same, 1);
        if (same && v < 51)
            v = 51;
        else if (!same && v > 49)
            v = 49;
        v = v < 0 ? 0 : v > 100 ? 100 : v + 0.0; /* max(0, min(100, v)) */
        return conf_round2(v);
    }
    }
    return p;
}

double conf_round2(double x)
{
    double ax = fabs(x);
    if (ax < 1e13) {
        double y = ax * 100; /* within half an ulp of the exact product */
        double r = floor(y), frac = y - r;
        if (fabs(frac - 0.5) > y * 0x1p-51 + 0x1p-60) {
            /* Clearly not a tie: the decimal is q / 100 with q an integer,
             * and one IEEE division gives the double nearest to it. */
            double v = (r + (frac > 0.5)) / 100;
            return x < 0 ? -v : v;
        }
    }
    /* Near a tie: the C library rounds the exact binary value, as CPython. */
    char buf[NUM_FMT_MAX];
    size_t n = num_fmt_fixed(buf, x, 2);
    double v = x;
    num_parse(buf, n, &v);
    return v;
}
