/* metric: each of DeepFace's distances against the formula evaluated
 * independently in long double, to 1e-12 relative, on both the portable and
 * the vectorised pass; and the edges (identical, opposite, zero vectors). */
#include "mapping/deepface.h"
#include "distances/metric.h"
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* xorshift64*: a fixed sequence, no dependence on lib/rng. */
static uint64_t state = 88172645463325252ull;
static double uniform(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * 2685821657736338717ull) >> 11) * 0x1p-53;
}
static double gauss(void)
{
    double u = uniform(), v = uniform();
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* The reference: SPEC.md's formulas, in long double, from scratch. */
static long double ref(int m, const float *a, const float *b, size_t dim)
{
    long double ab = 0, aa = 0, bb = 0, dd = 0;
    for (size_t i = 0; i < dim; i++) {
        ab += (long double)a[i] * b[i];
        aa += (long double)a[i] * a[i];
        bb += (long double)b[i] * b[i];
        dd += ((long double)a[i] - b[i]) * ((long double)a[i] - b[i]);
    }
    long double s = ab / (sqrtl(aa) * sqrtl(bb));
    if (s > 1)
        s = 1;
    if (s < -1)
        s = -1;
    switch (m) {
    case METRIC_COSINE:
        return 1 - s;
    case METRIC_EUCLIDEAN:
        return sqrtl(dd);
    case METRIC_EUCLIDEAN_L2: {
        long double na = sqrtl(aa) + 1e-10L, nb = sqrtl(bb) + 1e-10L, l = 0;
        for (size_t i = 0; i < dim; i++) {
            long double d = a[i] / na - b[i] / nb;
            l += d * d;
        }
        return sqrtl(l);
    }
    default:
        return acosl(s) / 3.14159265358979323846264338327950288L;
    }
}

static void check_pair(const float *a, const float *b, size_t dim, const char *what)
{
    for (int m = 0; m < METRIC_N; m++) {
        double got = metric_distance(m, a, b, dim), want = (double)ref(m, a, b, dim);
        if (dim == 1 && m == METRIC_EUCLIDEAN_L2 && want < 1) {
            /* two parallel vectors: a ka - b kb cancels to about 1e-10 / |a|
             * in any double computation (DeepFace's too): absolute 1e-15 */
            UNIT_OK(fabs(got - want) < 1e-15, "%s: %s, dim 1, %g", what,
                    metric_names[m], want);
            continue;
        }
        UNIT_NEAR(got, want, 1e-12, "%s: %s, dim %zu", what, metric_names[m], dim);
    }
}

static void random_pairs(const char *impl)
{
    static const size_t dims[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 128, 512, 513, 4096};
    for (size_t k = 0; k < sizeof dims / sizeof *dims; k++) {
        size_t dim = dims[k];
        float *a = malloc(dim * sizeof *a), *b = malloc(dim * sizeof *b);
        float *c = malloc(dim * sizeof *c);
        for (int rep = 0; rep < 3; rep++) {
            double scale = rep == 0 ? 1 : rep == 1 ? 12.5 : 0.01;
            for (size_t i = 0; i < dim; i++) {
                a[i] = (float)(scale * gauss());
                b[i] = (float)(scale * gauss());
                /* c: a near neighbour of a (cosine about 0.01) */
                c[i] = (float)(a[i] + 0.1 * scale * gauss());
            }
            char what[64];
            snprintf(what, sizeof what, "%s random x%g", impl, scale);
            check_pair(a, b, dim, what);
            snprintf(what, sizeof what, "%s neighbours x%g", impl, scale);
            if (dim > 4)
                check_pair(a, c, dim, what);
        }
        free(a);
        free(b);
        free(c);
    }
}

static void edges(const char *impl)
{
    enum { D = 37 };
    float a[D], b[D], z[D] = {0};
    for (int i = 0; i < D; i++) {
        a[i] = (float)gauss();
        b[i] = -a[i];
    }
    /* identical: exactly 0 with no minus sign and no NaN (DeepFace's own
     * angular is NaN, or about 1e-8, when rounding takes s off 1) */
    for (int m = 0; m < METRIC_N; m++) {
        double d = metric_distance(m, a, a, D);
        UNIT_OK(d == 0 && !signbit(d), "%s: %s of a vector with itself is %g", impl,
                metric_names[m], d);
    }
    UNIT_NEAR(metric_distance(METRIC_COSINE, a, b, D), 2, 1e-15, "%s: cosine of opposites", impl);
    UNIT_NEAR(metric_distance(METRIC_ANGULAR, a, b, D), 1, 1e-7, "%s: angular of opposites", impl);
    UNIT_NEAR(metric_distance(METRIC_EUCLIDEAN_L2, a, b, D), 2, 1e-9,
              "%s: euclidean_l2 of opposites", impl);
    /* zero: cosine and angular undefined; the euclideans are defined */
    UNIT_OK(isnan(metric_distance(METRIC_COSINE, a, z, D)), "%s: cosine with a zero vector is NaN",
            impl);
    UNIT_OK(isnan(metric_distance(METRIC_ANGULAR, z, a, D)),
            "%s: angular with a zero vector is NaN", impl);
    UNIT_NEAR(metric_distance(METRIC_EUCLIDEAN, a, z, D), sqrt(metric_sqnorm(a, D)), 1e-15,
              "%s: euclidean to zero is the norm", impl);
    UNIT_NEAR(metric_distance(METRIC_EUCLIDEAN_L2, a, z, D), 1, 1e-9,
              "%s: euclidean_l2 to zero is 1 (DeepFace's epsilon)", impl);
    UNIT_OK(metric_distance(METRIC_EUCLIDEAN_L2, z, z, D) == 0, "%s: euclidean_l2 of zeros is 0",
            impl);
    /* the epsilon is added to the norm, as DeepFace's l2_normalize does */
    float t1[1] = {1e-9f}, t2[1] = {-1e-9f};
    double want = 2 * (double)1e-9f / ((double)1e-9f + 1e-10);
    UNIT_NEAR(metric_distance(METRIC_EUCLIDEAN_L2, t1, t2, 1), want, 1e-12,
              "%s: the epsilon is added to the norm (%.12f, not 2)", impl, want);
}

int main(void)
{
    random_pairs("auto");
    edges("auto");
    metric_portable_only(1);
    random_pairs("portable");
    edges("portable");
    metric_portable_only(0);
    return unit_done();
}
