/* confidence: a distance to a confidence in percent (see confidence.h). */
#include "mapping/confidence.h"
#include "mapping/logistic.h"
#include "stream/num.h"
#include "stream/num_fixed.h"

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
static inline __attribute__((always_inline)) double
value(const conf_params *c, const conf_bands *bd, conf_style style, double d)
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

#include "mapping/vexp.h"

/* The constants on four lanes each: the fit's, and each band's numbers
 * as pairs, [different, same] in each half, for lanes_pick (isp: 1 / span,
 * for the text path). */
typedef struct lanes {
    __m256d thr, w, b, nz, lo, sp, isp, ts, tl, clo, chi;
    int divide; /* the normalizer exceeds 1 */
} lanes;

__attribute__((target("avx2"))) static void lanes_init(lanes *k, const conf_params *c,
                                                       const conf_bands *bd)
{
    *k = (lanes){.thr = _mm256_set1_pd(c->threshold),
                 .w = _mm256_set1_pd(c->fit.w),
                 .b = _mm256_set1_pd(c->fit.b),
                 .nz = _mm256_set1_pd(c->fit.normalizer),
                 .divide = c->fit.normalizer > 1};
#define PAIR(x0, x1) _mm256_setr_pd((x0), (x1), (x0), (x1))
    k->lo = PAIR(bd->lo[0], bd->lo[1]);
    k->sp = PAIR(bd->span[0], bd->span[1]);
    k->isp = PAIR(1 / bd->span[0], 1 / bd->span[1]);
    k->ts = PAIR(bd->tspan[0], bd->tspan[1]);
    k->tl = PAIR(bd->tlo[0], bd->tlo[1]);
    k->clo = PAIR(clamp_lo[0], clamp_lo[1]);
    k->chi = PAIR(clamp_hi[0], clamp_hi[1]);
#undef PAIR
}

/* Of pair (lanes), the number each lane's band picks: `pick` holds 2 in a
 * lane whose distance is same-person, else 0 (vpermilpd's index: one
 * instruction, where a blend is three). */
__attribute__((target("avx2"))) static inline __m256d lanes_pick(__m256d pair, __m256i pick)
{
    return _mm256_permutevar_pd(pair, pick);
}

/* Four distances d[0], d[ds], d[2 ds], d[3 ds]. */
__attribute__((target("avx2"))) static inline __m256d lanes_load(const double *d, size_t ds)
{
    return _mm256_set_pd(d[3 * ds], d[2 * ds], d[ds], d[0]);
}

__attribute__((target("avx2"))) static inline void lanes_store(double *v, size_t vs, __m256d r)
{
    double rl[4];
    _mm256_storeu_pd(rl, r);
    v[0] = rl[0];
    v[vs] = rl[1];
    v[2 * vs] = rl[2];
    v[3 * vs] = rl[3];
}

/* z = w x + b of distances dv, as logistic_z. */
__attribute__((target("avx2"))) static inline __m256d lanes_z(const lanes *k, __m256d dv)
{
    __m256d x = k->divide ? _mm256_div_pd(dv, k->nz) : dv;
    return _mm256_add_pd(_mm256_mul_pd(k->w, x), k->b);
}

/* The values of distances dv whose exp(-z) is e: value()'s operations in
 * value()'s order on four lanes, or (fast) with a multiplication by
 * 1 / span for the division by span (an ulp more error). */
__attribute__((target("avx2"))) static inline __m256d
lanes_value(const lanes *k, conf_style style, __m256d dv, __m256d e, int fast)
{
    const __m256d hundred = _mm256_set1_pd(100.0), one = _mm256_set1_pd(1.0);
    __m256d pct = _mm256_div_pd(hundred, _mm256_add_pd(one, e));
    if (style == CONF_RAW)
        return pct;
    __m256i pick = _mm256_and_si256(_mm256_castpd_si256(_mm256_cmp_pd(dv, k->thr, _CMP_LE_OQ)),
                                    _mm256_set1_epi64x(2));
    __m256d lo = lanes_pick(k->lo, pick), ts = lanes_pick(k->ts, pick),
            tl = lanes_pick(k->tl, pick);
    __m256d frac = fast ? _mm256_mul_pd(_mm256_sub_pd(pct, lo), lanes_pick(k->isp, pick))
                        : _mm256_div_pd(_mm256_sub_pd(pct, lo), lanes_pick(k->sp, pick));
    __m256d r = _mm256_add_pd(_mm256_mul_pd(frac, ts), tl);
    r = _mm256_blendv_pd(tl, r, _mm256_cmp_pd(r, r, _CMP_ORD_Q)); /* v == v ? v : tlo */
    if (style == CONF_CLAMPED) {
        /* value()'s v < lo ? lo : v, then v > hi ? hi : v: vmaxpd and
         * vminpd with the bound first are exactly that (an equal or NaN
         * second operand is their result) */
        r = _mm256_max_pd(lanes_pick(k->clo, pick), r);
        r = _mm256_min_pd(lanes_pick(k->chi, pick), r);
        r = _mm256_add_pd(r, _mm256_setzero_pd());
    }
    return r;
}

/* value() of four distances, bit for bit: its operations on four lanes,
 * each the same IEEE operation (no FMA: the Makefile's -ffp-contract=off
 * keeps value()'s a * b + c two roundings), with glibc's exp one lane at a
 * time. */
__attribute__((target("avx2"))) static inline __m256d lanes_exact(const lanes *k,
                                                                  conf_style style, __m256d dv)
{
    double zl[4];
    _mm256_storeu_pd(zl, lanes_z(k, dv));
    __m256d e = _mm256_set_pd(exp(-zl[3]), exp(-zl[2]), exp(-zl[1]), exp(-zl[0]));
    return lanes_value(k, style, dv, e, 0);
}

/* The clamped, study and raw values of d[i * ds] into v[i * vs], four at a
 * time with AVX2, the first n - n % 4, as value() gives them (lanes_exact):
 * a batch spends a quarter of the divisions' turns on the one divider.
 * Returns how many it did (the caller does the rest). */
__attribute__((target("avx2"))) static size_t values_avx2(const lanes *k, conf_style style,
                                                          const double *d, size_t ds, double *v,
                                                          size_t vs, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        lanes_store(v + i * vs, vs, lanes_exact(k, style, lanes_load(d + i * ds, ds)));
    return i;
}

/* The lanes of r whose text at `prec` decimals (scale: 10^prec) could
 * change by an error of at most tol + 2^-40 |r|: those within that of a
 * rounding boundary (a half of the last decimal; tolq = tol 10^prec, and
 * y = |r| 10^prec, whose own rounding is 2^-53 y: every y from 2^41 on,
 * and NaN, is flagged), or within `signtol` of 0 (whose sign the text
 * shows). */
__attribute__((target("avx2,fma"))) static inline __m256d
lanes_uncertain(__m256d r, __m256d scale, __m256d tolq, __m256d signtol)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d a = _mm256_andnot_pd(sign, r);
    __m256d y = _mm256_mul_pd(a, scale);
    __m256d off = _mm256_sub_pd(_mm256_sub_pd(y, _mm256_floor_pd(y)), _mm256_set1_pd(0.5));
    off = _mm256_andnot_pd(sign, off);
    __m256d near = _mm256_fmadd_pd(y, _mm256_set1_pd(0x1p-40), tolq);
    return _mm256_or_pd(_mm256_cmp_pd(off, near, _CMP_NGT_UQ),
                        _mm256_cmp_pd(a, signtol, _CMP_NGT_UQ));
}

/* values_avx2 where only the values' text at `prec` decimals matters: exp
 * is vexp4's (within VEXP_ULPS of glibc's) and the division by span a
 * multiplication, so that a value v may differ from value()'s by up to
 * tol + 2^-40 |v| (text_tolerance works it out).  A group of four with a
 * lane outside vexp4's range, or whose text such an error could change
 * (lanes_uncertain), is done again by lanes_exact.  In chunks: first every
 * group of the chunk, without a branch (the long chains of many groups
 * overlap), then the few to do again. */
__attribute__((target("avx2,fma"))) static size_t
values_text_avx2(const lanes *k, conf_style style, const double *d, size_t ds, double *v,
                 size_t vs, size_t n, double tol, int prec)
{
    enum { CHUNK = 256 }; /* groups */
    const __m256d sign = _mm256_set1_pd(-0.0), xmax = _mm256_set1_pd(VEXP_MAX),
                  scale = _mm256_set1_pd(num_pow10_exact[prec]),
                  tolq = _mm256_set1_pd(tol * num_pow10_exact[prec]),
                  /* a clamped value is never below 0, nor -0 */
        signtol = _mm256_set1_pd(style == CONF_CLAMPED ? -1 : tol);
    size_t i = 0;
    while (i + 4 <= n) {
        size_t groups = (n - i) / 4 < CHUNK ? (n - i) / 4 : CHUNK, redo[CHUNK], nredo = 0;
        __m256d e[CHUNK];
        int far[CHUNK];
        /* in passes (exp, the values, their checks and stores): shorter
         * chains of dependent operations, so more groups at once in the
         * out-of-order window (2.45 ns a value, 2.95 in one pass) */
        for (size_t g = 0; g < groups; g++) {
            __m256d dv = lanes_load(d + (i + 4 * g) * ds, ds);
            __m256d x = _mm256_xor_pd(lanes_z(k, dv), sign); /* -z */
            e[g] = vexp4(x);
            far[g] = _mm256_movemask_pd(
                _mm256_cmp_pd(_mm256_andnot_pd(sign, x), xmax, _CMP_NLE_UQ));
        }
        for (size_t g = 0; g < groups; g++)
            e[g] = lanes_value(k, style, lanes_load(d + (i + 4 * g) * ds, ds), e[g], 1);
        for (size_t g = 0; g < groups; g++, i += 4) {
            __m256d r = e[g];
            int bad = _mm256_movemask_pd(lanes_uncertain(r, scale, tolq, signtol)) | far[g];
            lanes_store(v + i * vs, vs, r);
            redo[nredo] = i;
            nredo += bad != 0;
        }
        for (size_t t = 0; t < nredo; t++)
            lanes_store(v + redo[t] * vs, vs,
                        lanes_exact(k, style, lanes_load(d + redo[t] * ds, ds)));
    }
    return i;
}

#endif

#ifdef CONF_X86
/* Whether values_avx2 serves: a fit with constants, a style it computes,
 * both bands with a slope, and the CPU (values_text_avx2 wants FMA too). */
static int avx2_serves(const conf_params *c, const conf_bands *bd, conf_style style)
{
    return !c->constant &&
           (style == CONF_CLAMPED || style == CONF_STUDY || style == CONF_RAW) &&
           (style == CONF_RAW || (bd->slope[0] && bd->slope[1])) &&
           __builtin_cpu_supports("avx2");
}

/* How far a value of values_text_avx2 may lie from value()'s, apart from
 * a part proportional to the value itself (lanes_uncertain allows 2^-40
 * of it), a thousand times over.  p = 100 / (1 + e) with e within
 * VEXP_ULPS (2^-50 relative) of glibc's and two roundings: within
 * 100 * 2^-48.  In a band: p - lo rounded (an ulp of at most 100 + |lo|),
 * times 1 / span (the bound grows by tspan / span), times tspan, plus
 * tlo: a few ulps of |frac tspan| <= |v| + |tlo|.  A model file may hold
 * any band, so the band's own numbers are in the bound.  0 when the fast
 * exp is of no use: a boundary of the text within the tolerance of more
 * than one value in a thousand (the glibc path then does them all). */
static double text_tolerance(const conf_bands *bd, conf_style style, int prec)
{
    if (prec < 0 || prec > 15)
        return 0;
    const double ep = 100 * 0x1p-48;
    double bound = ep;
    if (style != CONF_RAW)
        for (int s = 0; s < 2; s++) {
            double gain = fabs(bd->tspan[s] / bd->span[s]);
            double b =
                (ep + 0x1p-51 * (100 + fabs(bd->lo[s]))) * gain + 0x1p-49 * fabs(bd->tlo[s]);
            bound = b > bound ? b : bound;
        }
    double tol = 1000 * bound;
    return tol * num_pow10_exact[prec] < 5e-4 ? tol : 0; /* (NaN or inf: 0) */
}
#endif

static void values(const conf_params *c, conf_style style, const double *d, size_t dstride,
                   double *v, size_t vstride, size_t n, int prec)
{
    conf_bands bd;
    bands_init(&bd, &c->fit, style == CONF_DEEPFACE);
    /* a copy the stores into v cannot alias: its numbers stay in registers */
    const conf_params cl = *c;
#ifdef CONF_X86
    if (n >= 4 && avx2_serves(c, &bd, style)) {
        lanes k;
        lanes_init(&k, &cl, &bd);
        double tol = __builtin_cpu_supports("fma") ? text_tolerance(&bd, style, prec) : 0;
        size_t done = tol > 0
                          ? values_text_avx2(&k, style, d, dstride, v, vstride, n, tol, prec)
                          : values_avx2(&k, style, d, dstride, v, vstride, n);
        d += done * dstride;
        v += done * vstride;
        n -= done;
    }
#else
    (void)prec;
#endif
#define CONF_LOOP(st)                                                                          \
    for (size_t i = 0; i < n; i++)                                                             \
        v[i * vstride] = value(&cl, &bd, st, d[i * dstride]);                                  \
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

void conf_values(const conf_params *c, conf_style style, const double *d, size_t dstride,
                 double *v, size_t vstride, size_t n)
{
    values(c, style, d, dstride, v, vstride, n, -1);
}

void conf_values_text(const conf_params *c, conf_style style, const double *d, size_t dstride,
                      double *v, size_t vstride, size_t n, int prec)
{
    values(c, style, d, dstride, v, vstride, n, prec);
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
