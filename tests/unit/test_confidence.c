/* Unit tests for lib/mapping/confidence.c: the four styles, every rule of
 * DeepFace's find_confidence at a value where it bites, degenerate ranges,
 * overflow, Python's round(x, 2), the batch paths against the single
 * value, and the text path (conf_values_text, its exp vexp4) against
 * conf_values's text.  Expected values come from a Python transcript of
 * the article's loop and of DeepFace's find_confidence (v0.0.97+). */
#include "mapping/confidence.h"
#include "mapping/deepface.h"
#include "mapping/logistic.h"
#include "mapping/vexp.h"
#include "stream/num.h"
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DeepFace's parameters for one metric of a model, as confmap's mapper
 * takes them. */
static conf_params deepface_params(const char *model, int metric)
{
    const deepface_model *dm = deepface_find(model);
    conf_params c = {.threshold = dm->threshold[metric]};
    if (dm->constants)
        c.fit = dm->constants[metric];
    else
        c.constant = 1;
    return c;
}

static conf_params facenet(int metric)
{
    return deepface_params("Facenet", metric);
}

static void styles(void)
{
    UNIT_STREQ(conf_style_names[CONF_CLAMPED], "clamped", "clamped");
    UNIT_STREQ(conf_style_names[CONF_STUDY], "study", "study");
    UNIT_STREQ(conf_style_names[CONF_DEEPFACE], "deepface", "deepface");
    UNIT_STREQ(conf_style_names[CONF_RAW], "raw", "raw");
    UNIT_STREQ(conf_style_names[CONF_PROBABILITY], "probability", "probability");
    UNIT_OK(CONF_NSTYLES == 5, "five styles");
}

/* The study's own printed confidences (study-printed-pairs.tsv, rows 0 and
 * 38), to its 6 decimals. */
static void study(void)
{
    conf_params c = facenet(METRIC_COSINE);
    UNIT_NEAR(conf_value(&c, CONF_STUDY, 0.220304), 79.066154, 1e-8, "row 0 cosine");
    conf_params e = facenet(METRIC_EUCLIDEAN);
    UNIT_NEAR(conf_value(&e, CONF_STUDY, 7.776061), 64.767739, 1e-8, "row 0 euclidean");
    /* the bottom of the same band: p == denorm_min_true exactly */
    UNIT_NEAR(conf_value(&e, CONF_STUDY, 8.865397), 51.0, 1e-8, "row 2 euclidean is 51");
    /* unclamped: a training-range outsider leaves the band */
    UNIT_NEAR(conf_value(&c, CONF_STUDY, 0.01), 108.83276864829799, 1e-14, "study > 100");
    UNIT_NEAR(conf_value(&c, CONF_STUDY, 1.5), -0.657853276695057, 1e-13, "study < 0");
    UNIT_NEAR(conf_value(&c, CONF_STUDY, 0.40), 46.18264196642859, 1e-14, "study < 51, same");
    /* the article's band for different: [0, min(49, hi)] = [0, 20.618...] */
    UNIT_NEAR(conf_value(&c, CONF_STUDY, 0.41), 37.70732301793649, 1e-14, "study, 0.41");
}

static void clamped(void)
{
    conf_params c = facenet(METRIC_COSINE);
    UNIT_OK(conf_value(&c, CONF_CLAMPED, 0.01) == 100, "clamped: held at 100");
    UNIT_OK(conf_value(&c, CONF_CLAMPED, 1.5) == 0, "clamped: held at 0");
    UNIT_OK(conf_value(&c, CONF_CLAMPED, 0.40) == 51, "clamped: same held at 51");
    c.threshold = 0.2;
    UNIT_OK(conf_value(&c, CONF_CLAMPED, 0.21) == 49, "clamped: different held at 49");
    UNIT_OK(!signbit(conf_value(&c, CONF_CLAMPED, 5)), "clamped: never -0");
    /* inside the band clamped is study, bit for bit */
    c = facenet(METRIC_COSINE);
    int same = 1;
    for (double d = 0.2; d < 1.2; d += 0.001) {
        double s = conf_value(&c, CONF_STUDY, d), k = conf_value(&c, CONF_CLAMPED, d);
        int in = d <= c.threshold ? s >= 51 && s <= 100 : s >= 0 && s <= 49;
        if (in && s != k)
            same = 0;
    }
    UNIT_OK(same, "clamped == study inside the band");
}

static void raw(void)
{
    conf_params c = facenet(METRIC_COSINE);
    UNIT_OK(conf_value(&c, CONF_RAW, 0.41) == 37.04619436756653, "raw: 100 p");
    UNIT_OK(conf_value(&c, CONF_RAW, 0.41) ==
                logistic_pct(c.fit.w * logistic_feature(0.41, c.fit.normalizer) + c.fit.b),
            "raw: logistic.h's p");
    conf_params e = facenet(METRIC_EUCLIDEAN);
    UNIT_OK(conf_value(&e, CONF_RAW, 9.0) ==
                logistic_pct(e.fit.w * (9.0 / 18.735288) + e.fit.b),
            "normalizer > 1 divides");
    conf_params a = facenet(METRIC_ANGULAR);
    UNIT_OK(conf_value(&a, CONF_RAW, 0.3) == logistic_pct(a.fit.w * 0.3 + a.fit.b),
            "normalizer <= 1 does not");
}

/* DeepFace's find_confidence, rule by rule (the order of confidence.c). */
static void deepface_rules(void)
{
    conf_params c = facenet(METRIC_COSINE);
    /* no constants: 51 or 49, whatever the distance, except d <= 0 (DeepFace
     * answers that first) */
    conf_params bl = deepface_params("Buffalo_L", METRIC_COSINE);
    UNIT_OK(bl.constant && bl.threshold == 0.55, "Buffalo_L: threshold, no constants");
    UNIT_OK(conf_value(&bl, CONF_DEEPFACE, 0.55) == 51, "Buffalo_L same: 51");
    UNIT_OK(conf_value(&bl, CONF_DEEPFACE, 0.5500001) == 49, "Buffalo_L different: 49");
    UNIT_OK(conf_value(&bl, CONF_DEEPFACE, 0) == 100,
            "Buffalo_L at 0: 100 (d <= 0 comes first)");
    UNIT_OK(conf_value(&bl, CONF_CLAMPED, 0) == 51, "Buffalo_L at 0 in another style: 51");
    UNIT_OK(conf_value(&bl, CONF_CLAMPED, 3) == 49 && conf_value(&bl, CONF_RAW, 0.1) == 51,
            "Buffalo_L: 51/49 in every style");
    /* d <= 0: 100 or 0 (bites when the formula says otherwise) */
    conf_params neg = c;
    neg.threshold = -0.1;
    UNIT_OK(conf_value(&neg, CONF_CLAMPED, 0) == 49, "formula at 0 under T < 0: 49");
    UNIT_OK(conf_value(&neg, CONF_DEEPFACE, 0) == 0, "d <= 0, different: 0");
    conf_params up = c; /* a rising model: p is lowest at 0 */
    up.fit.w = 6.5;
    up.fit.b = -3;
    UNIT_OK(conf_value(&up, CONF_CLAMPED, 0) == 51, "formula at 0, rising model: 51");
    UNIT_OK(conf_value(&up, CONF_DEEPFACE, 0) == 100, "d <= 0, same: 100");
    UNIT_OK(conf_value(&up, CONF_DEEPFACE, -0.0) == 100, "d = -0: 100");
    UNIT_OK(conf_value(&up, CONF_DEEPFACE, -1e-9) == 100, "d < 0: 100");
    /* 3. thi = min(49, trunc(denorm_max_false)): 20, not 20.618 */
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 0.41) == 36.58, "trunc: 0.41 -> 36.58");
    UNIT_NEAR(conf_rescale(&c, 37.04619436756653, 0, 1) /
                  conf_rescale(&c, 37.04619436756653, 0, 0),
              20 / 20.618350202170916, 1e-15, "trunc scales the band by 20/20.618");
    conf_params dfa = deepface_params("DeepFace", METRIC_ANGULAR); /* max_false 0.676 */
    UNIT_OK(conf_value(&dfa, CONF_DEEPFACE, 0.2) == 0, "trunc to 0: an empty band gives 0");
    UNIT_OK(conf_value(&dfa, CONF_CLAMPED, 0.2) > 0, "clamped keeps the 0.676 band");
    /* 4. same raised to at least 51 */
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 0.40) == 51, "same, 46.18 -> 51");
    /* 5. different lowered to at most 49 */
    conf_params t2 = c;
    t2.threshold = 0.2;
    UNIT_OK(conf_value(&t2, CONF_DEEPFACE, 0.21) == 49, "different, 63.35 -> 49");
    /* 6. [0, 100] */
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 0.01) == 100, "108.8 -> 100");
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 1.5) == 0, "-0.66 -> 0");
    /* 7. 2 decimals */
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 0.3) == 64.53, "64.5328... -> 64.53");
    UNIT_OK(conf_value(&c, CONF_DEEPFACE, 0.5) == 26.03, "26.0343... -> 26.03");
}

static void degenerate(void)
{
    conf_params c = facenet(METRIC_COSINE);
    c.fit.denorm_min_true = c.fit.denorm_max_true = 60; /* one same-person row */
    c.fit.denorm_min_false = c.fit.denorm_max_false = 10;
    double d = (log(1.5) - c.fit.b) / c.fit.w * c.fit.normalizer; /* p(d) == 60 */
    double p = logistic_pct(c.fit.w * logistic_feature(d, c.fit.normalizer) + c.fit.b);
    UNIT_OK(conf_rescale(&c, 60, 1, 0) == (60 + 100) / 2.0,
            "p == lo == hi: middle of [60, 100]");
    UNIT_OK(conf_rescale(&c, 70, 1, 0) == 100, "p above: top");
    UNIT_OK(conf_rescale(&c, 50, 1, 0) == 60, "p below: bottom");
    UNIT_OK(conf_rescale(&c, 10, 0, 0) == 5, "different, p == lo == hi: middle of [0, 10]");
    UNIT_OK(conf_rescale(&c, 30, 0, 0) == 10 && conf_rescale(&c, 3, 0, 0) == 0,
            "different: top, bottom");
    UNIT_OK(isfinite(conf_value(&c, CONF_STUDY, d)) &&
                isfinite(conf_value(&c, CONF_DEEPFACE, d)),
            "finite at p = %.17g", p);
    c.fit.denorm_min_false = 1e-300;
    c.fit.denorm_max_false = 1e-300 + 1e-305;
    UNIT_OK(isfinite(conf_value(&c, CONF_STUDY, 3)), "a subnormal-width range is degenerate");
    conf_params z = facenet(METRIC_COSINE);
    z.fit.denorm_min_false = 0.5;
    z.fit.denorm_max_false = 0.5 + 1e-295; /* below CONF_RANGE_MIN, band [0, 0.5] */
    UNIT_OK(conf_rescale(&z, 0.5, 0, 0) == 0.25, "narrower than CONF_RANGE_MIN is degenerate");
}

static void overflow(void)
{
    conf_params c = facenet(METRIC_COSINE);
    c.fit.w = -1e6; /* z = -1e6 x: exp(-z) overflows to inf, p = 0 exactly */
    UNIT_OK(conf_value(&c, CONF_RAW, 1.0) == 0, "z = -8e5: p = 0");
    UNIT_OK(conf_value(&c, CONF_RAW, -1.0) == 100, "z = +8e5: p = 100");
    UNIT_OK(conf_value(&c, CONF_RAW, 1e300) == 0, "z = -inf: p = 0");
    c.fit.w = 1e300;
    UNIT_OK(conf_value(&c, CONF_RAW, 1e300) == 100, "z = +inf: p = 100");
    for (int s = 0; s < 4; s++)
        UNIT_OK(isfinite(conf_value(&c, (conf_style)s, 1e300)) &&
                    isfinite(conf_value(&c, (conf_style)s, -1e300)),
                "style %d finite at extreme distances", s);
}

static uint64_t rng = 0x243f6a8885a308d3u;

/* round(x, 2) == strtod("%.2f" of x): printf and CPython both round the
 * exact binary value, ties to even. */
static void round2(void)
{
    UNIT_OK(conf_round2(64.5328535) == 64.53, "64.5328535");
    UNIT_OK(conf_round2(0.125) == 0.12, "0.125 (exact tie) -> 0.12, to even");
    UNIT_OK(conf_round2(0.375) == 0.38, "0.375 (exact tie) -> 0.38, to even");
    UNIT_OK(conf_round2(2.675) == 2.67, "2.675 is below the tie in binary -> 2.67");
    UNIT_OK(conf_round2(100) == 100 && conf_round2(0) == 0, "ends");
    int bad = 0;
    for (int i = 0; i < 1000000; i++) {
        double x = (double)(unit_rand(&rng) >> 11) * 0x1p-53 * 100;
        if (i % 4 == 0) /* near ties */
            x = (double)(unit_rand(&rng) % 10000) / 100 + 0.005;
        char buf[64];
        snprintf(buf, sizeof buf, "%.2f", x);
        if (conf_round2(x) != strtod(buf, NULL))
            bad++;
    }
    UNIT_OK(bad == 0, "a million values agree with strtod(printf(\"%%.2f\"))");
}

/* The header's formula, written out plainly, per value: what conf_values
 * must give, bit for bit, for every style, a column at a time. */
static double formula(const conf_params *c, conf_style style, double d)
{
    const logistic_fit *f = &c->fit;
    int same = d <= c->threshold;
    if (style == CONF_DEEPFACE && d <= 0)
        return same ? 100 : 0;
    if (c->constant)
        return same ? 51 : 49;
    double z = f->w * (f->normalizer > 1 ? d / f->normalizer : d) + f->b;
    double p = style == CONF_DEEPFACE ? logistic_pct_deepface(z) : 100.0 / (1.0 + exp(-z));
    if (style == CONF_RAW)
        return p;
    double lo = same ? f->denorm_min_true : f->denorm_min_false;
    double hi = same ? f->denorm_max_true : f->denorm_max_false;
    double top = style == CONF_DEEPFACE ? trunc(f->denorm_max_false) : f->denorm_max_false;
    double tlo = same ? (f->denorm_min_true > 51 ? f->denorm_min_true : 51) : 0;
    double thi = same ? 100 : top < 49 ? top : 49;
    double v = ((p - lo) / (hi - lo)) * (thi - tlo) + tlo;
    if (style == CONF_STUDY)
        return v;
    if (style == CONF_CLAMPED)
        return same ? (v < 51 ? 51 : v > 100 ? 100 : v) : (v < 0 ? 0 : v > 49 ? 49 : v) + 0.0;
    v = same ? (v < 51 ? 51 : v) : (v > 49 ? 49 : v);
    return conf_round2(v < 0 ? 0 : v > 100 ? 100 : v + 0.0);
}

static void column(void)
{
    enum { N = 4000 };
    static double d[N * 3], v[N * 2];
    uint64_t seed = 11;
    int bad = 0, checked = 0;
    for (int mi = 0; mi < deepface_nmodels; mi++)
        for (int metric = 0; metric < METRIC_N; metric++) {
            conf_params c = deepface_params(deepface_models[mi].name, metric);
            for (size_t i = 0; i < N; i++) /* around the threshold, and 0 */
                d[3 * i] = i % 97 == 0
                               ? 0
                               : c.threshold * 2.5 * (double)(unit_rand(&seed) >> 11) * 0x1p-53;
            static const conf_style st[] = {CONF_CLAMPED, CONF_STUDY, CONF_DEEPFACE, CONF_RAW};
            for (size_t k = 0; k < sizeof st / sizeof *st; k++) {
                conf_values(&c, st[k], d, 3, v, 2, N);
                for (size_t i = 0; i < N; i++, checked++) {
                    double want = formula(&c, st[k], d[3 * i]);
                    if (memcmp(&v[2 * i], &want, sizeof want) != 0 ||
                        conf_value(&c, st[k], d[3 * i]) != want) {
                        if (bad++ < 5)
                            printf("# %s %s %s d=%.17g: got %.17g, want %.17g\n",
                                   deepface_models[mi].name, metric_names[metric],
                                   conf_style_names[st[k]], d[3 * i], v[2 * i], want);
                    }
                }
            }
        }
    UNIT_OK(bad == 0 && checked > 100000,
            "conf_values: the formula's doubles, bit for bit, every model, metric and style "
            "(%d of %d differ)",
            bad, checked);
}

/* A distance of any kind, by seed: one in [0, scale) mostly; 0, -0, a
 * negative one, the threshold, 1e300, infinite, NaN; with `far`, -1e300
 * and 10^4 times one (-z past vexp4's range for most fits). */
static double any_distance(uint64_t *seed, double scale, double threshold, int far)
{
    double x = (double)(unit_rand(seed) >> 11) * 0x1p-53 * scale;
    static const double special[] = {0, -0.0, 1e300, INFINITY, NAN};
    unsigned k = (unsigned)(unit_rand(seed) % 16);
    if (k < 5)
        return special[k];
    if (k == 5)
        return -x;
    if (k == 6)
        return threshold;
    if (far && k == 7)
        return -1e300;
    if (far && k == 8)
        return 1e4 * x;
    return x;
}

/* conf_values against conf_value (one value: no batch path), bit for bit,
 * on fits no model has: random slopes and bands, a normalizer above and
 * below 1, a band with no slope (then no batch path), an empty target
 * band (inf * 0); distances of every kind (0, -0, negative, huge, at the
 * threshold, infinite, NaN); every count from 1 to 13 and strides 1 to 5,
 * so that a batch ends at every place in its groups of four. */
static void column_any_fit(void)
{
    uint64_t seed = 29;
    int bad = 0, checked = 0;
    static const conf_style st[] = {CONF_CLAMPED, CONF_STUDY, CONF_DEEPFACE, CONF_RAW};
    for (int trial = 0; trial < 3000; trial++) {
        double u[10];
        for (int k = 0; k < 10; k++)
            u[k] = (double)(unit_rand(&seed) >> 11) * 0x1p-53;
        conf_params c = {.threshold = u[0] * 2,
                         .fit = {.w = (u[1] - 0.7) * 20,
                                 .b = (u[2] - 0.3) * 6,
                                 .normalizer = trial % 3 ? u[3] * 3 : 1}};
        c.fit.denorm_min_true = u[4] * 60;
        c.fit.denorm_max_true = c.fit.denorm_min_true + u[5] * 50;
        c.fit.denorm_min_false = u[6] * 30;
        c.fit.denorm_max_false = c.fit.denorm_min_false + u[7] * 40;
        if (trial % 11 == 0) /* one training row: no slope */
            c.fit.denorm_max_true = c.fit.denorm_min_true;
        if (trial % 13 == 0) /* top 0: the different band is empty */
            c.fit.denorm_max_false = c.fit.denorm_min_false = 0;
        size_t n = 1 + (size_t)trial % 13, ds = 1 + (size_t)trial % 5,
               vs = 1 + (size_t)trial % 4;
        double d[13 * 5], v[13 * 4];
        for (size_t i = 0; i < n; i++) {
            double x = any_distance(&seed, c.threshold * 3, c.threshold, 0);
            d[i * ds] = x;
        }
        for (size_t k = 0; k < sizeof st / sizeof *st; k++) {
            conf_values(&c, st[k], d, ds, v, vs, n);
            for (size_t i = 0; i < n; i++, checked++) {
                double want = conf_value(&c, st[k], d[i * ds]);
                if (memcmp(&v[i * vs], &want, sizeof want) != 0 && bad++ < 5)
                    printf("# trial %d %s d=%.17g: got %.17g, want %.17g\n", trial,
                           conf_style_names[st[k]], d[i * ds], v[i * vs], want);
            }
        }
    }
    UNIT_OK(bad == 0 && checked > 50000,
            "conf_values: conf_value's doubles, bit for bit, on any fit and any distance "
            "(%d of %d differ)",
            bad, checked);
}

/* vexp4 against glibc's exp: within VEXP_ULPS units in the last place
 * over [-VEXP_MAX, VEXP_MAX], densest where confidences live (|x| < 20),
 * and at the ends and the reduction's edges. */
#ifdef VEXP_X86
__attribute__((target("avx2,fma"))) static double vexp_ulps(const double *x, double *worst_x)
{
    double e[4], worst = 0;
    _mm256_storeu_pd(e, vexp4(_mm256_loadu_pd(x)));
    for (int k = 0; k < 4; k++) {
        double want = exp(x[k]), ulp = nextafter(want, INFINITY) - want;
        double u = fabs(e[k] - want) / ulp;
        if (!(u <= worst)) { /* (NaN too) */
            worst = u;
            *worst_x = x[k];
        }
    }
    return worst;
}
#endif

/* 1, with a SKIP line for `what`, when this CPU cannot run vexp4. */
static int no_vexp(const char *what)
{
#ifdef VEXP_X86
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return 0;
    UNIT_OK(1, "# SKIP %s: no AVX2 and FMA on this CPU", what);
#else
    UNIT_OK(1, "# SKIP %s: not x86-64", what);
#endif
    return 1;
}

static void vexp_error(void)
{
    if (no_vexp("vexp4"))
        return;
#ifdef VEXP_X86
    uint64_t seed = 41;
    double worst = 0, worst_x = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = (double)(unit_rand(&seed) >> 11) * 0x1p-53 * 2 - 1;
        double x[4] = {u * VEXP_MAX, u * 20, u * 0.35, u * 1e-6};
        double wx = 0, w = vexp_ulps(x, &wx);
        if (w > worst) {
            worst = w;
            worst_x = wx;
        }
    }
    static const double edge[][4] = {
        {VEXP_MAX, -VEXP_MAX, 0, -0.0},
        {0.34657359027997264, -0.34657359027997264, 0.34657359027997270, -0.34657359027997270},
        {708.0 * 0.5, -1e-300, 1e-300, 0x1p-1074}};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        double wx = 0, w = vexp_ulps(edge[i], &wx);
        if (w > worst) {
            worst = w;
            worst_x = wx;
        }
    }
    UNIT_OK(worst <= VEXP_ULPS,
            "vexp4: within %d ulps of glibc's exp on [-%g, %g] (at most %.2f, at x = %.17g)",
            VEXP_ULPS, VEXP_MAX, VEXP_MAX, worst, worst_x);
#endif
}

/* Whether conf_values_text's n values have conf_values's text at prec
 * decimals (num_fmt_fixed), the first differences printed. */
static size_t text_fast_bits; /* values whose doubles differ: the fast path ran */

static int text_differs(const conf_params *c, conf_style st, const double *d, size_t n,
                        int prec, const char *what)
{
    double *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
    conf_values(c, st, d, 1, want, 1, n);
    conf_values_text(c, st, d, 1, got, 1, n, prec);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char a[NUM_FMT_MAX + 1], b[NUM_FMT_MAX + 1];
        text_fast_bits += memcmp(&want[i], &got[i], sizeof want[i]) != 0;
        a[num_fmt_fixed(a, want[i], prec)] = 0;
        b[num_fmt_fixed(b, got[i], prec)] = 0;
        if (strcmp(a, b) != 0 && bad++ < 3)
            printf("# %s %s prec %d d=%.17g: text %s, want %s\n", what, conf_style_names[st],
                   prec, d[i], b, a);
    }
    free(want);
    free(got);
    return bad;
}

/* conf_values_text's text is conf_values's: every DeepFace model and
 * metric, every style, 0 to 8 decimals and 17, on distances of every
 * kind (as column_any_fit's, and huge ones: exp past vexp4's range); and
 * on random fits, whose bands' slopes (tspan / span) reach 10^6, some with
 * bands far outside [0, 100] (a model file may hold any). */
static void text_any(void)
{
    enum { N = 4099 }; /* (not a multiple of 4: a batch's tail) */
    static double d[N];
    static const conf_style st[] = {CONF_CLAMPED, CONF_STUDY, CONF_DEEPFACE, CONF_RAW};
    static const int precs[] = {0, 1, 2, 3, 4, 5, 6, 8, 17};
    uint64_t seed = 43;
    int bad = 0, checked = 0;
    for (int trial = 0; trial < 2 * deepface_nmodels * METRIC_N; trial++) {
        conf_params c;
        char what[64];
        if (trial < deepface_nmodels * METRIC_N) {
            int mi = trial / METRIC_N, metric = trial % METRIC_N;
            c = deepface_params(deepface_models[mi].name, metric);
            snprintf(what, sizeof what, "%s %s", deepface_models[mi].name,
                     metric_names[metric]);
        } else {
            double u[8];
            for (int k = 0; k < 8; k++)
                u[k] = (double)(unit_rand(&seed) >> 11) * 0x1p-53;
            c = (conf_params){.threshold = u[0] * 2,
                              .fit = {.w = (u[1] - 0.7) * 20,
                                      .b = (u[2] - 0.3) * 6,
                                      .normalizer = trial % 2 ? u[3] * 3 : 1}};
            c.fit.denorm_min_true = u[4] * 60;
            c.fit.denorm_max_true = c.fit.denorm_min_true + u[5] * 50 * pow(10, -6 * u[6]);
            c.fit.denorm_min_false = u[6] * 30;
            c.fit.denorm_max_false = c.fit.denorm_min_false + u[7] * 40;
            if (trial % 4 == 1) { /* a model file's bands far from [0, 100] */
                c.fit.denorm_min_false = -u[6] * 1e7;
                c.fit.denorm_max_false = c.fit.denorm_min_false + u[7] * 10;
                c.fit.denorm_min_true = u[4] * 1e8;
                c.fit.denorm_max_true = c.fit.denorm_min_true + u[5];
            }
            snprintf(what, sizeof what, "fit %d", trial);
        }
        for (size_t i = 0; i < N; i++) {
            double x = any_distance(&seed, (c.threshold + 1) * 3, c.threshold, 1);
            d[i] = x;
        }
        for (size_t k = 0; k < sizeof st / sizeof *st; k++)
            for (size_t q = 0; q < sizeof precs / sizeof *precs; q++, checked += N)
                bad += text_differs(&c, st[k], d, N, precs[q], what);
    }
    UNIT_OK(bad == 0 && checked > 1000000,
            "conf_values_text: conf_values's text, every model, metric, style and precision, "
            "any fit and distance (%d of %d differ)",
            bad, checked);
#ifdef VEXP_X86
    /* (else the test above proves nothing of the fast path) */
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        UNIT_OK(text_fast_bits > 10000,
                "conf_values_text: the fast path ran (%zu doubles differ from conf_values's "
                "in their last bits, their text not)",
                text_fast_bits);
#endif
}

/* The largest distance in [lo, hi] whose value lies on lo's side of b,
 * by bisection (conf_value monotone between lo and hi). */
static double cross(const conf_params *c, conf_style st, double lo, double hi, double b)
{
    int below = conf_value(c, st, lo) < b;
    for (int i = 0; i < 200; i++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if ((conf_value(c, st, mid) < b) == below)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Where the text path must fall back: the distances whose value lies
 * within a few ulps of a rounding boundary of the text (k + 0.5 units of
 * the last decimal), where an exp an ulp away from glibc's would print the
 * other digit, or around 0, where the text shows the sign (the study
 * style's values fall below 0 past the training's farthest pair).  For
 * each DeepFace metric of Facenet, ArcFace and VGG-Face, style and
 * precision 0 to 4, boundaries across both bands: the 4096 doubles around
 * the distance whose value crosses each. */
static void text_boundaries(void)
{
    enum { SPAN = 2048 };
    static double d[2 * SPAN];
    static const conf_style st[] = {CONF_CLAMPED, CONF_STUDY, CONF_RAW};
    static const char *const models[] = {"Facenet", "ArcFace", "VGG-Face"};
    int bad = 0, checked = 0, crossed = 0;
    for (size_t mi = 0; mi < sizeof models / sizeof *models; mi++)
        for (int metric = 0; metric < METRIC_N; metric++) {
            conf_params c = deepface_params(models[mi], metric);
            for (size_t k = 0; k < sizeof st / sizeof *st; k++)
                for (int prec = 0; prec <= 4; prec++) {
                    double unit = pow(10, -prec);
                    for (int t = 0; t < 20; t++) {
                        /* a distance in (0, 2 threshold), where values fall
                         * with the distance; the boundary below its value
                         * (t = 0: 0, from 2 threshold on) */
                        double dist = c.threshold * (t ? t : 20) / 10;
                        double v = conf_value(&c, st[k], dist);
                        double b = t ? (floor(v / unit - 0.5) + 0.5) * unit : 0;
                        double hi = dist, lo = dist;
                        while (conf_value(&c, st[k], hi) > b && hi < 1e6)
                            hi = hi * 1.5 + 1e-9;
                        if (!(conf_value(&c, st[k], hi) < b))
                            continue; /* (clamped: the band's floor) */
                        double x = cross(&c, st[k], lo, hi, b);
                        for (int j = 0; j < SPAN; j++)
                            x = nextafter(x, -INFINITY);
                        for (int j = 0; j < 2 * SPAN; j++) {
                            d[j] = x;
                            x = nextafter(x, INFINITY);
                        }
                        crossed++;
                        checked += 2 * SPAN;
                        bad += text_differs(&c, st[k], d, 2 * SPAN, prec, models[mi]);
                    }
                }
        }
    UNIT_OK(bad == 0 && crossed > 1000,
            "conf_values_text: conf_values's text on the distances around %d rounding "
            "boundaries (%d of %d differ)",
            crossed, bad, checked);
}

/* The sign of a study value near 0 ("-0.00" or "0.00"): fits whose
 * band's floor is the exact p of a distance where vexp4's exp gives a
 * smaller p, so that the fast value is below 0 and value()'s exactly 0;
 * the text must be value()'s, "0" and its decimals. */
#ifdef VEXP_X86
__attribute__((target("avx2,fma"))) static double fast_pct(double z)
{
    double e[4];
    _mm256_storeu_pd(e, vexp4(_mm256_set1_pd(-z)));
    return 100.0 / (1.0 + e[0]);
}
#endif

static void text_sign(void)
{
    if (no_vexp("the text path's sign"))
        return;
#ifdef VEXP_X86
    uint64_t seed = 47;
    int found = 0, bad = 0;
    for (int i = 0; i < 1000000 && found < 50; i++) {
        conf_params c = facenet(METRIC_COSINE);
        double d = c.threshold * (1 + (double)(unit_rand(&seed) >> 11) * 0x1p-53);
        double z = logistic_z(&c.fit, d), p = logistic_pct(z);
        if (!(fast_pct(z) < p))
            continue;
        found++;
        c.fit.denorm_min_false = p;
        double dd[8] = {d, d, d, d, d, d, d, d};
        for (int prec = 0; prec <= 3; prec++)
            bad += text_differs(&c, CONF_STUDY, dd, 8, prec, "Facenet cosine");
    }
    UNIT_OK(found == 50 && bad == 0,
            "conf_values_text: a study value of exactly 0 keeps its sign where vexp4's is "
            "below 0 (%d values of %d fits differ)",
            bad, found);
#endif
}

/* A fit a model file may hold, whose study values reach 10^12 (the true
 * band far below 0, a fifth wide): their text is conf_values's, the fast
 * path off or the difference caught (a fresh eye's case: with only the
 * absolute tolerance of bands near [0, 100], the values' own rounding
 * passed it). */
static void text_far_band(void)
{
    conf_params c = {.threshold = 1,
                     .fit = {.w = -9.5574926311637398,
                             .b = 4.0457289609675353,
                             .normalizer = 1,
                             .denorm_max_true = -14000486898.184,
                             .denorm_min_true = -14000486898.388754,
                             .denorm_max_false = 49,
                             .denorm_min_false = 0}};
    enum { N = 4096 };
    static double d[N];
    double x = 0.83478211053303453;
    for (int j = 0; j < N / 2; j++)
        x = nextafter(x, -INFINITY);
    for (int j = 0; j < N; j++, x = nextafter(x, INFINITY))
        d[j] = x;
    int bad = 0;
    for (int prec = 0; prec <= 5; prec++)
        bad += text_differs(&c, CONF_STUDY, d, N, prec, "far band");
    UNIT_OK(bad == 0,
            "conf_values_text: a band far from [0, 100], values near 10^12 "
            "(%d of %d differ)",
            bad, 6 * N);
}

int main(void)
{
    styles();
    study();
    clamped();
    raw();
    deepface_rules();
    degenerate();
    overflow();
    round2();
    column();
    column_any_fit();
    vexp_error();
    text_any();
    text_boundaries();
    text_sign();
    text_far_band();
    return unit_done();
}
