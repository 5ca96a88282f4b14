/* confidence: a distance to a confidence in percent (see confidence.h). */
#include "mapping/confidence.h"
#include "mapping/logistic.h"
#include "stream/num.h"

#include <math.h>
#include <string.h>

const char *const conf_style_names[CONF_NSTYLES] = {"clamped", "study", "deepface", "raw",
                                                     "probability"};

/* The two bands, indexed by `same` rather than branched on: whether a
 * distance is under the threshold is the data's coin toss, which a branch
 * would mispredict half the time.  Every number is the one the branches
 * computed. */
double conf_rescale(const conf_params *c, double p, int same, int truncate_band)
{
    const logistic_fit *f = &c->fit;
    double h = truncate_band ? trunc(f->denorm_max_false) : f->denorm_max_false;
    const double lo_[2] = {f->denorm_min_false, f->denorm_min_true};
    const double hi_[2] = {f->denorm_max_false, f->denorm_max_true};
    /* same: [max(51, lo), 100]; different: [0, min(49, h)], h the band's top
     * (deepface: Python's int(), toward zero) */
    const double tlo_[2] = {0, f->denorm_min_true > 51 ? f->denorm_min_true : 51};
    const double thi_[2] = {h < 49 ? h : 49, 100};
    int s = same != 0;
    double lo = lo_[s], hi = hi_[s], tlo = tlo_[s], thi = thi_[s];
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
        /* held in [51, 100] (same) or [0, 49]; + 0.0: no -0 (v >= 51 when
         * same, so the same there) */
        static const double clo[2] = {0, 51}, chi[2] = {49, 100};
        double v = conf_rescale(c, p, same, 0);
        double lo = clo[same], hi = chi[same];
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        return v + 0.0;
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
