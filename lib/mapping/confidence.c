/* confidence: a distance to a confidence in percent (see confidence.h). */
#include "mapping/confidence.h"
#include "mapping/logistic.h"
#include "stream/num.h"

#include <math.h>
#include <string.h>

const char *const conf_style_names[CONF_NSTYLES] = {"clamped", "study", "deepface", "raw",
                                                     "probability"};

/* The re-scaling's constants, worked out once for many values: each band
 * (index `same`) with its source range [lo, hi] and target [tlo, thi], and
 * the differences the formula divides and multiplies by (the same doubles
 * as when computed at each value).  Indexed by `same` rather than branched
 * on: whether a distance is under the threshold is the data's coin toss,
 * which a branch would mispredict half the time. */
typedef struct conf_bands {
    double lo[2], hi[2], span[2], tlo[2], tspan[2];
    int slope[2]; /* hi - lo >= CONF_RANGE_MIN */
} conf_bands;

static void bands_init(conf_bands *bd, const logistic_fit *f, int truncate_band)
{
    /* same: [max(51, lo), 100]; different: [0, min(49, h)], h the band's top
     * (deepface: Python's int(), toward zero) */
    double h = truncate_band ? trunc(f->denorm_max_false) : f->denorm_max_false;
    *bd = (conf_bands){.lo = {f->denorm_min_false, f->denorm_min_true},
                       .hi = {f->denorm_max_false, f->denorm_max_true},
                       .tlo = {0, f->denorm_min_true > 51 ? f->denorm_min_true : 51},
                       .tspan = {0, 0}};
    double thi[2] = {h < 49 ? h : 49, 100};
    for (int s = 0; s < 2; s++) {
        bd->span[s] = bd->hi[s] - bd->lo[s];
        bd->slope[s] = bd->span[s] >= CONF_RANGE_MIN;
        bd->tspan[s] = thi[s] - bd->tlo[s];
    }
}

static inline double rescale(const conf_bands *bd, double p, int same)
{
    int s = same != 0;
    double lo = bd->lo[s], hi = bd->hi[s], frac;
    if (bd->slope[s])
        frac = (p - lo) / bd->span[s];
    else /* degenerate: no slope to follow */
        frac = p < lo ? 0 : p > hi ? 1 : 0.5;
    double v = frac * bd->tspan[s] + bd->tlo[s];
    return v == v ? v : bd->tlo[s]; /* inf * 0 when the band is empty (thi == tlo) */
}

double conf_rescale(const conf_params *c, double p, int same, int truncate_band)
{
    conf_bands bd;
    bands_init(&bd, &c->fit, truncate_band);
    return rescale(&bd, p, same);
}

/* The clamped style's bands, by `same`: [0, 49] and [51, 100]. */
static const double clamp_lo[2] = {0, 51}, clamp_hi[2] = {49, 100};

/* One value; inline, so that conf_values has a loop for each style. */
static inline __attribute__((always_inline)) double value(const conf_params *c,
                                                          const conf_bands *bd,
                                                          conf_style style, double d)
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
        return rescale(bd, p, same);
    case CONF_CLAMPED: {
        /* held in [51, 100] (same) or [0, 49]; + 0.0: no -0 (v >= 51 when
         * same, so the same there) */
        double v = rescale(bd, p, same);
        double lo = clamp_lo[same], hi = clamp_hi[same];
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        return v + 0.0;
    }
    case CONF_DEEPFACE: {
        double v = rescale(bd, p, same);
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

#if defined(__GNUC__) && defined(__x86_64__)
#define CONF_X86 1
#include <immintrin.h>

/* The clamped, study and raw values of d[i * ds] into v[i * vs], four at a
 * time with AVX2, the first n - n % 4: value()'s operations in value()'s
 * order, each the same IEEE operation on four lanes (no FMA: the Makefile's
 * -ffp-contract=off keeps value()'s a * b + c two roundings, and this
 * target has none), exp still glibc's, one lane at a time.  So the doubles
 * are value()'s, bit for bit, and a batch spends a quarter of the
 * divisions' turns on the one divider.  Returns how many it did (the
 * caller does the rest). */
__attribute__((target("avx2"))) static size_t values_avx2(const conf_params *c,
                                                          const conf_bands *bd,
                                                          conf_style style, const double *d,
                                                          size_t ds, double *v, size_t vs,
                                                          size_t n)
{
    const __m256d thr = _mm256_set1_pd(c->threshold), w = _mm256_set1_pd(c->fit.w),
                  b = _mm256_set1_pd(c->fit.b), nz = _mm256_set1_pd(c->fit.normalizer),
                  hundred = _mm256_set1_pd(100.0), one = _mm256_set1_pd(1.0),
                  zero = _mm256_setzero_pd();
    /* each band's numbers, lane by lane as `same` chooses them */
    const __m256d lo0 = _mm256_set1_pd(bd->lo[0]), lo1 = _mm256_set1_pd(bd->lo[1]),
                  sp0 = _mm256_set1_pd(bd->span[0]), sp1 = _mm256_set1_pd(bd->span[1]),
                  ts0 = _mm256_set1_pd(bd->tspan[0]), ts1 = _mm256_set1_pd(bd->tspan[1]),
                  tl0 = _mm256_set1_pd(bd->tlo[0]), tl1 = _mm256_set1_pd(bd->tlo[1]),
                  clo0 = _mm256_set1_pd(clamp_lo[0]), clo1 = _mm256_set1_pd(clamp_lo[1]),
                  chi0 = _mm256_set1_pd(clamp_hi[0]), chi1 = _mm256_set1_pd(clamp_hi[1]);
    int divide = c->fit.normalizer > 1;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const double *p = d + i * ds;
        __m256d dv = _mm256_set_pd(p[3 * ds], p[2 * ds], p[ds], p[0]);
        __m256d x = divide ? _mm256_div_pd(dv, nz) : dv;
        __m256d z = _mm256_add_pd(_mm256_mul_pd(w, x), b);
        double zl[4];
        _mm256_storeu_pd(zl, z);
        __m256d e = _mm256_set_pd(exp(-zl[3]), exp(-zl[2]), exp(-zl[1]), exp(-zl[0]));
        __m256d pct = _mm256_div_pd(hundred, _mm256_add_pd(one, e));
        __m256d r = pct;
        if (style != CONF_RAW) {
            __m256d same = _mm256_cmp_pd(dv, thr, _CMP_LE_OQ);
            __m256d lo = _mm256_blendv_pd(lo0, lo1, same), sp = _mm256_blendv_pd(sp0, sp1, same),
                    ts = _mm256_blendv_pd(ts0, ts1, same), tl = _mm256_blendv_pd(tl0, tl1, same);
            __m256d frac = _mm256_div_pd(_mm256_sub_pd(pct, lo), sp);
            r = _mm256_add_pd(_mm256_mul_pd(frac, ts), tl);
            r = _mm256_blendv_pd(tl, r, _mm256_cmp_pd(r, r, _CMP_ORD_Q)); /* v == v ? v : tlo */
            if (style == CONF_CLAMPED) {
                __m256d clo = _mm256_blendv_pd(clo0, clo1, same),
                        chi = _mm256_blendv_pd(chi0, chi1, same);
                r = _mm256_blendv_pd(r, clo, _mm256_cmp_pd(r, clo, _CMP_LT_OQ));
                r = _mm256_blendv_pd(r, chi, _mm256_cmp_pd(r, chi, _CMP_GT_OQ));
                r = _mm256_add_pd(r, zero);
            }
        }
        double rl[4];
        _mm256_storeu_pd(rl, r);
        double *o = v + i * vs;
        o[0] = rl[0];
        o[vs] = rl[1];
        o[2 * vs] = rl[2];
        o[3 * vs] = rl[3];
    }
    return i;
}
#endif

/* Whether values_avx2 serves: a fit with constants, a style it computes,
 * both bands with a slope, and the CPU. */
static int avx2_serves(const conf_params *c, const conf_bands *bd, conf_style style)
{
#ifdef CONF_X86
    return !c->constant &&
           (style == CONF_CLAMPED || style == CONF_STUDY || style == CONF_RAW) &&
           (style == CONF_RAW || (bd->slope[0] && bd->slope[1])) &&
           __builtin_cpu_supports("avx2");
#else
    (void)c, (void)bd, (void)style;
    return 0;
#endif
}

void conf_values(const conf_params *c, conf_style style, const double *d, size_t dstride,
                 double *v, size_t vstride, size_t n)
{
    conf_bands bd;
    bands_init(&bd, &c->fit, style == CONF_DEEPFACE);
    /* a copy the stores into v cannot alias: its numbers stay in registers */
    const conf_params cl = *c;
#ifdef CONF_X86
    if (n >= 4 && avx2_serves(c, &bd, style)) {
        size_t k = values_avx2(&cl, &bd, style, d, dstride, v, vstride, n);
        d += k * dstride;
        v += k * vstride;
        n -= k;
    }
#endif
#define CONF_LOOP(st)                                                                          \
    for (size_t i = 0; i < n; i++)                                                             \
        v[i * vstride] = value(&cl, &bd, st, d[i * dstride]);                                 \
    break;
    switch (style) {
    case CONF_CLAMPED:
        CONF_LOOP(CONF_CLAMPED)
    case CONF_STUDY:
        CONF_LOOP(CONF_STUDY)
    case CONF_DEEPFACE:
        CONF_LOOP(CONF_DEEPFACE)
    default:
        CONF_LOOP(style)
    }
#undef CONF_LOOP
}

double conf_value(const conf_params *c, conf_style style, double d)
{
    double v;
    conf_values(c, style, &d, 1, &v, 1, 1);
    return v;
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
