/* Unit tests for lib/mapping/confidence.c: the four styles, every rule of DeepFace's
 * find_confidence at a value where it bites, degenerate ranges, overflow,
 * and Python's round(x, 2).  Expected values come from a Python transcript
 * of the article's loop and of DeepFace's find_confidence (v0.0.97+). */
#include "mapping/confidence.h"
#include "mapping/deepface.h"
#include "mapping/logistic.h"
#include "stream/num.h"
#include "unit.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>

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
    UNIT_OK(conf_value(&e, CONF_RAW, 9.0) == logistic_pct(e.fit.w * (9.0 / 18.735288) + e.fit.b),
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
    UNIT_OK(conf_value(&bl, CONF_DEEPFACE, 0) == 100, "Buffalo_L at 0: 100 (d <= 0 comes first)");
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
                d[3 * i] = i % 97 == 0 ? 0 : c.threshold * 2.5 * (double)(unit_rand(&seed) >> 11) * 0x1p-53;
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
            "(%d of %d differ)", bad, checked);
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
                         .fit = {.w = (u[1] - 0.7) * 20, .b = (u[2] - 0.3) * 6,
                                 .normalizer = trial % 3 ? u[3] * 3 : 1}};
        c.fit.denorm_min_true = u[4] * 60;
        c.fit.denorm_max_true = c.fit.denorm_min_true + u[5] * 50;
        c.fit.denorm_min_false = u[6] * 30;
        c.fit.denorm_max_false = c.fit.denorm_min_false + u[7] * 40;
        if (trial % 11 == 0) /* one training row: no slope */
            c.fit.denorm_max_true = c.fit.denorm_min_true;
        if (trial % 13 == 0) /* top 0: the different band is empty */
            c.fit.denorm_max_false = c.fit.denorm_min_false = 0;
        size_t n = 1 + (size_t)trial % 13, ds = 1 + (size_t)trial % 5, vs = 1 + (size_t)trial % 4;
        double d[13 * 5], v[13 * 4];
        for (size_t i = 0; i < n; i++) {
            double x = (double)(unit_rand(&seed) >> 11) * 0x1p-53 * c.threshold * 3;
            switch (unit_rand(&seed) % 16) {
            case 0: x = 0; break;
            case 1: x = -0.0; break;
            case 2: x = -x; break;
            case 3: x = c.threshold; break;
            case 4: x = 1e300; break;
            case 5: x = INFINITY; break;
            case 6: x = NAN; break;
            default: break;
            }
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
            "(%d of %d differ)", bad, checked);
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
    return unit_done();
}
