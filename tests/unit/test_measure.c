/* Unit tests of lib/fit/measure.c: the threshold tie-break against brute
 * force, ROC AUC, ECE over equal-width and equal-mass bins, and the check
 * that the penalty dominates the fit. */
#include "common/diag.h"
#include "fit/fit.h"
#include "fit/measure.h"
#include "stream/counts.h"
#include "unit.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

/* The counts of rows: value d[i], same-person when same[i] (same NULL:
 * none); sorted, *k of them; counts_free(c) after. */
static const counts_entry *counts_of(counts *c, const double *d, const unsigned char *same,
                                     size_t n, size_t *k)
{
    counts_init(c);
    for (size_t i = 0; i < n; i++)
        counts_add(c, d[i], 1, same ? same[i] : 0);
    return counts_sorted(c, k);
}

/* ROC AUC and equal-mass ECE of unsorted classes, through their counts. */
static const counts_entry *classes(counts *c, const double *pos, size_t npos, const double *neg,
                                   size_t nneg, size_t *k)
{
    counts_init(c);
    for (size_t i = 0; i < npos; i++)
        counts_add(c, pos[i], 1, 1);
    for (size_t i = 0; i < nneg; i++)
        counts_add(c, neg[i], 1, 0);
    return counts_sorted(c, k);
}

static double auc(double *pos, size_t npos, double *neg, size_t nneg)
{
    counts c;
    size_t k;
    const counts_entry *e = classes(&c, pos, npos, neg, nneg, &k);
    double a = measure_auc(e, k);
    counts_free(&c);
    return a;
}

static double ece_mass(double *pos, size_t npos, double *neg, size_t nneg, int *occupied)
{
    counts c;
    size_t k;
    const counts_entry *e = classes(&c, pos, npos, neg, nneg, &k);
    double v = measure_ece_mass(e, k, occupied);
    counts_free(&c);
    return v;
}

/* The tuned threshold of rows, through their counts. */
static double tune(const double *d, const unsigned char *same, size_t n, uint64_t *correct)
{
    counts c;
    size_t k;
    const counts_entry *e = counts_of(&c, d, same, n, &k);
    double t = measure_tune_threshold(e, k, correct);
    counts_free(&c);
    return t;
}

/* Rows right with "same when d <= t", counted directly. */
static uint64_t right_at(const double *d, const unsigned char *s, size_t n, double t)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (d[i] <= t) == s[i];
    return c;
}

/* The tuned threshold by brute force: the accuracy at every distinct
 * distance, the runs of the best, the widest (first on ties), its middle. */
static double brute_threshold(const double *d, const unsigned char *s, size_t n, uint64_t *best)
{
    double *v = malloc(n * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && v[j] != d[i])
            j++;
        if (j == k)
            v[k++] = d[i];
    }
    for (size_t i = 1; i < k; i++) /* insertion sort */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    uint64_t *acc = malloc(k * sizeof *acc), mx = 0;
    for (size_t i = 0; i < k; i++) {
        acc[i] = right_at(d, s, n, v[i]);
        mx = acc[i] > mx ? acc[i] : mx;
    }
    double lo = 0, hi = 0, width = -1;
    for (size_t i = 0; i < k; i++) {
        if (acc[i] != mx || (i > 0 && acc[i - 1] == mx))
            continue;
        size_t j = i;
        while (j + 1 < k && acc[j + 1] == mx)
            j++;
        double end = j + 1 < k ? v[j + 1] : v[k - 1];
        if (end - v[i] > width) {
            width = end - v[i];
            lo = v[i];
            hi = end;
        }
    }
    free(v);
    free(acc);
    *best = mx;
    if (hi == lo)
        return lo;
    double t = (lo + hi) / 2; /* the documented midpoint */
    return t < hi ? (t > lo ? t : lo) : lo;
}

static void test_threshold(void)
{
    double d[5] = {0.3, 0.1, 0.5, 0.2, 0.3};
    unsigned char s[5] = {1, 1, 0, 0, 0};
    uint64_t correct;
    /* T in [0.1, 0.2): 1 + 3 right; [0.2, 0.3): 1 + 2; [0.3, 0.5): 2 + 1;
     * 0.5: 2.  The best interval is [0.1, 0.2): its middle */
    double t = tune(d, s, 5, &correct);
    UNIT_OK(t == (0.1 + 0.2) / 2 && correct == 4, "tuned threshold %.17g, %llu right", t,
            (unsigned long long)correct);
    double d2[4] = {0.1, 0.2, 0.3, 0.7};
    unsigned char s2[4] = {1, 0, 1, 0};
    /* [0.1, 0.2) and [0.3, 0.7) both get 3 right: the wider wins */
    t = tune(d2, s2, 4, &correct);
    UNIT_OK(t == (0.3 + 0.7) / 2 && correct == 3, "the widest gap (%.17g)", t);
    double d2b[4] = {0.1, 0.2, 0.3, 0.4};
    /* [0.1, 0.2) and [0.3, 0.4) equally wide (as doubles: 0.1 each, but
     * compare what the code compares): the smaller on a tie */
    t = tune(d2b, s2, 4, &correct);
    UNIT_OK(correct == 3 &&
                (0.2 - 0.1 >= 0.4 - 0.3 ? t == (0.1 + 0.2) / 2 : t == (0.3 + 0.4) / 2),
            "tie of widths: the smaller (%.17g)", t);
    double d2c[4] = {1, 2, 3, 4};
    t = tune(d2c, s2, 4, &correct);
    UNIT_OK(t == 1.5 && correct == 3, "exact tie of widths: the smaller interval (%g)", t);
    double d3[3] = {0.7, 0.7, 0.7};
    unsigned char s3[3] = {1, 0, 1};
    t = tune(d3, s3, 3, &correct);
    UNIT_OK(t == 0.7 && correct == 2, "one distance: it is the threshold");
    /* separable: every T in [0.3, 0.8) is right; the middle, not the edge */
    double d4[4] = {0.1, 0.3, 0.8, 0.9};
    unsigned char s4[4] = {1, 1, 0, 0};
    t = tune(d4, s4, 4, &correct);
    UNIT_OK(t == 0.55 && correct == 4, "separable: the middle of the gap (%.17g)", t);
    /* a best run up to the last distance is closed there: [0.2, 0.9] */
    double d5[4] = {0.9, 0.2, 0.1, 0.9};
    unsigned char s5[4] = {1, 1, 0, 0};
    t = tune(d5, s5, 4, &correct);
    UNIT_OK(t == 0.2 + (0.9 - 0.2) / 2 && correct == 2, "a run to the last distance (%.17g)",
            t);
    /* the best only at the last distance (0.1, different, is wrong at any
     * T from 0.1 on): T is it */
    double d6[3] = {0.1, 0.2, 0.3};
    unsigned char s6[3] = {0, 1, 1};
    t = tune(d6, s6, 3, &correct);
    UNIT_OK(t == 0.3 && correct == 2, "the best at the last distance alone (%.17g)", t);
    /* a run across a distance where one same and one different pair meet */
    double d7[6] = {0.1, 0.2, 0.2, 0.3, 0.5, 0.4};
    unsigned char s7[6] = {1, 1, 0, 0, 1, 0};
    t = tune(d7, s7, 6, &correct);
    UNIT_OK(correct == right_at(d7, s7, 6, t), "accuracy at T is the best (%.17g)", t);
    /* adjacent doubles: the middle rounds to the end, so T is the start */
    double a = 0.5, b = nextafter(0.5, 1);
    double d8[2] = {a, b};
    unsigned char s8[2] = {1, 0};
    t = tune(d8, s8, 2, &correct);
    UNIT_OK(t == a && correct == 2, "adjacent doubles: T = %.17g", t);
    /* the extremes of the doubles: no overflow */
    double d9[2] = {-DBL_MAX, DBL_MAX};
    t = tune(d9, s8, 2, &correct);
    UNIT_OK(t == 0 && correct == 2, "from -DBL_MAX to DBL_MAX: T = %g", t);

    /* against brute force: distances from a few values (many ties) */
    int bad = 0, trials = 20000;
    uint64_t st = 12345;
    for (int trial = 0; trial < trials && !bad; trial++) {
        size_t n = 1 + (size_t)(trial % 40);
        double dd[64];
        unsigned char ss[64];
        int levels = 2 + trial % 9;
        for (size_t i = 0; i < n; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            int lv = (int)((st >> 33) % (uint64_t)levels);
            dd[i] = trial % 3 ? lv * 0.125 : lv * lv * 0.1 - 0.3; /* even and uneven gaps */
            ss[i] = (st >> 20) & 1;
        }
        uint64_t want_c, got_c;
        double want = brute_threshold(dd, ss, n, &want_c);
        double got = tune(dd, ss, n, &got_c);
        if (got != want || got_c != want_c || right_at(dd, ss, n, got) != want_c) {
            bad = 1;
            fprintf(stderr, "trial %d: got %.17g (%llu), want %.17g (%llu)\n", trial, got,
                    (unsigned long long)got_c, want, (unsigned long long)want_c);
        }
    }
    UNIT_OK(!bad, "the tuned threshold equals brute force on %d random problems", trials);
}

static void fit_and_measure(const fit_input *in, model_metric *m, measure_report *rep)
{
    fit_outcome res;
    fit_column(in, m, &res);
    counts c;
    size_t k;
    const counts_entry *e = counts_of(&c, in->d, in->same, in->n, &k);
    measure_column(in, m, &res, in->same ? e : NULL, k, rep);
    counts_free(&c);
}

/* The range recorded, and the rule "the penalty dominates": a squeezed
 * truth fit on distances below 1 is flagged, the same labels on distances
 * spread over [0, 1] by the normalizer are not, nor a column that says
 * nothing about the labels. */
static void test_penalty(void)
{
    enum { N = 200 };
    double d[N], wide[N], flat[N];
    unsigned char same[N], ybuf[N];
    for (int i = 0; i < N; i++) {
        double v = fabs(sin(i * 12.9898) * 43758.5453);
        v -= floor(v);
        same[i] = i % 4 == 0;
        d[i] = same[i] ? 0.10 + 0.15 * v : 0.20 + 0.15 * v;
        wide[i] = d[i] * 100; /* normalised back to x = d / max d */
        flat[i] = v;          /* independent of same */
    }
    fit_input in = {.file = "t",
                    .name = "cosine",
                    .d = d,
                    .n = N,
                    .same = same,
                    .threshold = 0.25,
                    .truth = 1,
                    .C = 1,
                    .report = 1,
                    .ybuf = ybuf};
    model_metric m;
    measure_report rep;
    fit_and_measure(&in, &m, &rep);
    double lo = d[0], hi = d[0];
    for (int i = 1; i < N; i++) {
        lo = d[i] < lo ? d[i] : lo;
        hi = d[i] > hi ? d[i] : hi;
    }
    UNIT_OK(m.has_range && m.range_min == lo && m.range_max == hi,
            "the range fitted on: [%g, %g]", m.range_min, m.range_max);
    UNIT_OK(rep.penalty_dominates && rep.p_max - rep.p_min < MEASURE_PENALTY_SPAN &&
                fabs(rep.w_weak) > 2 * fabs(m.fit.w),
            "squeezed: p in [%g, %g], w %g against %g", rep.p_min, rep.p_max, m.fit.w,
            rep.w_weak);
    UNIT_OK(isfinite(rep.ecem_raw) && rep.binsm_raw == 10, "equal-mass ECE %g in %d bins",
            rep.ecem_raw, rep.binsm_raw);
    free(m.name);
    in.d = wide;
    in.threshold = 25;
    fit_and_measure(&in, &m, &rep);
    UNIT_OK(!rep.penalty_dominates, "normalised: p in [%g, %g], not flagged", rep.p_min,
            rep.p_max);
    free(m.name);
    in.d = flat;
    in.threshold = 0.5;
    fit_and_measure(&in, &m, &rep);
    UNIT_OK(!rep.penalty_dominates, "uninformative: w %g against %g, not flagged", m.fit.w,
            rep.w_weak);
    free(m.name);
    in.same = NULL;
    in.truth = 0;
    fit_and_measure(&in, &m, &rep);
    UNIT_OK(!rep.has_same && isfinite(rep.w_weak), "without same: the penalty check alone");
    free(m.name);
}

static void test_auc_ece(void)
{
    double pos[2] = {2, 1}, neg[2] = {2, 0};
    UNIT_NEAR(auc(pos, 2, neg, 2), 0.625, 1e-15, "ROC AUC with a tie");
    double p3[3] = {5, 6, 7}, n3[2] = {1, 2};
    UNIT_NEAR(auc(p3, 3, n3, 2), 1, 0, "ROC AUC 1");
    measure_ece e = {0};
    measure_ece_add(&e, 0.05, 0, 1);
    measure_ece_add(&e, 0.95, 1, 0);
    measure_ece_add(&e, 1.0, 1, 0);
    measure_ece_add(&e, 0.55, 0, 1);
    /* bins: 0: |0.05 - 0|; 5: |0.55 - 0|; 9: |1.95 - 2| */
    UNIT_NEAR(measure_ece_value(&e), (0.05 + 0.55 + 0.05) / 4, 1e-15, "ECE over 10 bins");

    UNIT_OK(measure_ece_bins(&e) == 3, "3 equal-width bins occupied");
    measure_ece w = {0}; /* the same rows, two of them as one weighted add */
    measure_ece_add(&w, 0.05, 0, 1);
    measure_ece_add(&w, 0.95, 1, 0);
    measure_ece_add(&w, 0.55, 0, 1);
    measure_ece_add(&w, 0.05, 0, 0);
    measure_ece_add(&w, 1.0, 1, 0);
    UNIT_OK(measure_ece_value(&w) == measure_ece_value(&e) && measure_ece_bins(&w) == 3 &&
                w.n == 4,
            "weighted adds: rows of a score at once, nothing added by none");

    /* equal mass: 4 distinct scores, ranks 0..3 go to bins 0, 2, 5, 7 */
    int occ;
    double mp[2] = {0.9, 0.6}, mn[2] = {0.2, 0.1};
    UNIT_NEAR(ece_mass(mp, 2, mn, 2, &occ), (0.1 + 0.2 + 0.4 + 0.1) / 4, 1e-15,
              "equal-mass ECE, one row a bin");
    UNIT_OK(occ == 4, "4 bins occupied (%d)", occ);
    /* one score for all: one bin, |n q - n_true| / n */
    double fp[3] = {0.3, 0.3, 0.3}, fn[7] = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
    UNIT_NEAR(ece_mass(fp, 3, fn, 7, &occ), 0, 1e-15, "equal scores: calibrated on average");
    UNIT_OK(occ == 1, "ties are never split: 1 bin occupied (%d)", occ);
    UNIT_OK(isnan(ece_mass(fp, 0, fn, 0, &occ)) && occ == 0, "no rows: NaN");
    /* against brute force, with many ties */
    {
        int bad = 0;
        uint64_t st = 99;
        for (int trial = 0; trial < 3000 && !bad; trial++) {
            size_t n = 1 + (size_t)(trial % 57), np = 0, nn = 0;
            double q[64], y[64], bp[64], bn[64];
            int levels = 1 + trial % 13;
            for (size_t i = 0; i < n; i++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                q[i] = (double)((st >> 33) % (uint64_t)levels) / levels;
                y[i] = (st >> 17) & 1;
                if (y[i])
                    bp[np++] = q[i];
                else
                    bn[nn++] = q[i];
            }
            /* a row's bin: that of the first rank of its score */
            double sq[10] = {0}, sy[10] = {0};
            int used[10] = {0};
            for (size_t i = 0; i < n; i++) {
                size_t below = 0;
                for (size_t j = 0; j < n; j++)
                    below += q[j] < q[i];
                size_t k = below * 10 / n;
                sq[k] += q[i];
                sy[k] += y[i];
                used[k] = 1;
            }
            double want = 0;
            int wocc = 0;
            for (int k = 0; k < 10; k++) {
                want += fabs(sq[k] - sy[k]);
                wocc += used[k];
            }
            want /= (double)n;
            double got = ece_mass(bp, np, bn, nn, &occ);
            if (fabs(got - want) > 1e-12 || occ != wocc) {
                bad = 1;
                fprintf(stderr, "trial %d: got %.17g (%d bins), want %.17g (%d)\n", trial, got,
                        occ, want, wocc);
            }
        }
        UNIT_OK(!bad, "equal-mass ECE equals brute force on 3000 random problems");
    }
}

int main(void)
{
    diag_init("test_measure");
    test_threshold();
    test_auc_ece();
    test_penalty();
    return unit_done();
}
