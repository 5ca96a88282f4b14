/* metric: the one pass over a pair of vectors (AVX2 where the machine has
 * it, a portable loop otherwise) and the distances from its sums.  See
 * metric.h. */
#include "distances/metric.h"
#include "common/name.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#define METRIC_X86 1
#include <immintrin.h>
#endif

const char *const metric_names[METRIC_N] = {"cosine", "euclidean", "euclidean_l2", "angular"};

int metric_find(const char *name)
{
    for (int i = 0; i < METRIC_N; i++)
        if (strcmp(name, metric_names[i]) == 0)
            return i;
    return -1;
}

const char *metric_list(void)
{
    static char buf[METRIC_N * 16];
    if (!buf[0])
        for (int i = 0; i < METRIC_N; i++)
            name_list_add(buf, sizeof buf, metric_names[i]);
    return buf;
}

/* DeepFace's l2_normalize: x / (norm + epsilon). */
static const double L2_EPSILON = 1e-10;

/* The portable pass: four independent sums of each kind, so that the
 * additions overlap. */
static inline void pass_generic(const float *a, const float *b, size_t dim, double ka,
                                double kb, int l2, metric_sums *out)
{
    double dot[4] = {0, 0, 0, 0}, dd[4] = {0, 0, 0, 0}, ll[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= dim; i += 4) {
        for (int j = 0; j < 4; j++) {
            double x = a[i + j], y = b[i + j], d = x - y;
            dot[j] += x * y;
            dd[j] += d * d;
            if (l2) {
                double l = x * ka - y * kb;
                ll[j] += l * l;
            }
        }
    }
    for (; i < dim; i++) {
        double x = a[i], y = b[i], d = x - y;
        dot[0] += x * y;
        dd[0] += d * d;
        if (l2) {
            double l = x * ka - y * kb;
            ll[0] += l * l;
        }
    }
    out->dot = (dot[0] + dot[1]) + (dot[2] + dot[3]);
    out->sqdiff = (dd[0] + dd[1]) + (dd[2] + dd[3]);
    out->sqdiff_l2 = l2 ? (ll[0] + ll[1]) + (ll[2] + ll[3]) : 0;
}

static void pass_portable(const float *a, const float *b, size_t dim, double ka, double kb,
                          int l2, metric_sums *out)
{
    if (l2)
        pass_generic(a, b, dim, ka, kb, 1, out);
    else
        pass_generic(a, b, dim, ka, kb, 0, out);
}

#ifdef METRIC_X86
__attribute__((target("avx2,fma"))) static inline double hsum256(__m256d v)
{
    __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
    lo = _mm_add_pd(lo, hi);
    return _mm_cvtsd_f64(_mm_add_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

/* Eight lanes a step (two vectors of four doubles per sum), fused
 * multiply-adds; the tail goes through the portable loop. */
__attribute__((target("avx2,fma"))) static inline void
pass_avx2_body(const float *a, const float *b, size_t dim, double ka, double kb, int l2,
               metric_sums *out)
{
    __m256d dot0 = _mm256_setzero_pd(), dot1 = dot0, dd0 = dot0, dd1 = dot0, ll0 = dot0,
            ll1 = dot0;
    __m256d vka = _mm256_set1_pd(ka), vkb = _mm256_set1_pd(kb);
    size_t i = 0;
    for (; i + 8 <= dim; i += 8) {
        __m256d x0 = _mm256_cvtps_pd(_mm_loadu_ps(a + i));
        __m256d x1 = _mm256_cvtps_pd(_mm_loadu_ps(a + i + 4));
        __m256d y0 = _mm256_cvtps_pd(_mm_loadu_ps(b + i));
        __m256d y1 = _mm256_cvtps_pd(_mm_loadu_ps(b + i + 4));
        dot0 = _mm256_fmadd_pd(x0, y0, dot0);
        dot1 = _mm256_fmadd_pd(x1, y1, dot1);
        __m256d d0 = _mm256_sub_pd(x0, y0), d1 = _mm256_sub_pd(x1, y1);
        dd0 = _mm256_fmadd_pd(d0, d0, dd0);
        dd1 = _mm256_fmadd_pd(d1, d1, dd1);
        if (l2) {
            /* not fused: for b = a the difference must be exactly 0 */
            __m256d l0 = _mm256_sub_pd(_mm256_mul_pd(x0, vka), _mm256_mul_pd(y0, vkb));
            __m256d l1 = _mm256_sub_pd(_mm256_mul_pd(x1, vka), _mm256_mul_pd(y1, vkb));
            ll0 = _mm256_fmadd_pd(l0, l0, ll0);
            ll1 = _mm256_fmadd_pd(l1, l1, ll1);
        }
    }
    metric_sums tail = {0, 0, 0};
    if (i < dim)
        pass_portable(a + i, b + i, dim - i, ka, kb, l2, &tail);
    out->dot = hsum256(_mm256_add_pd(dot0, dot1)) + tail.dot;
    out->sqdiff = hsum256(_mm256_add_pd(dd0, dd1)) + tail.sqdiff;
    out->sqdiff_l2 = l2 ? hsum256(_mm256_add_pd(ll0, ll1)) + tail.sqdiff_l2 : 0;
}

__attribute__((target("avx2,fma"))) static void pass_avx2(const float *a, const float *b,
                                                          size_t dim, double ka, double kb,
                                                          int l2, metric_sums *out)
{
    if (l2)
        pass_avx2_body(a, b, dim, ka, kb, 1, out);
    else
        pass_avx2_body(a, b, dim, ka, kb, 0, out);
}
#endif

typedef void pass_fn(const float *, const float *, size_t, double, double, int, metric_sums *);

static pass_fn *choose_pass(void)
{
#ifdef METRIC_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return pass_avx2;
#endif
    return pass_portable;
}

static pass_fn *pass;

void metric_portable_only(int on)
{
    pass = on ? pass_portable : choose_pass();
}

void metric_pass(const float *a, const float *b, size_t dim, double aa, double bb, int l2,
                 metric_sums *s)
{
    if (!pass)
        pass = choose_pass();
    double ka = l2 ? 1 / (sqrt(aa) + L2_EPSILON) : 0;
    double kb = l2 ? 1 / (sqrt(bb) + L2_EPSILON) : 0;
    pass(a, b, dim, ka, kb, l2, s);
}

/* The same pass as for a pair, so that a.a here and a.b for b = a agree to
 * the last bit: an item with itself is then exactly 0 by every metric. */
double metric_sqnorm(const float *a, size_t dim)
{
    metric_sums s;
    metric_pass(a, a, dim, 0, 0, 0, &s);
    return s.dot;
}

int metric_needs_norm(int m)
{
    return m == METRIC_COSINE || m == METRIC_ANGULAR;
}

/* s = a.b / (|a| |b|), clipped to [-1, 1].  DeepFace divides by
 * sqrt(aa) * sqrt(bb); sqrt(aa * bb) differs by an ulp at most, and for
 * b = a it is exactly aa (the square root of a rounded square is exact), so
 * that s = 1 and the angular distance is 0, not about 5e-9 (arccos near 1
 * magnifies an ulp of s to 1e-8). */
static double similarity(const metric_sums *s, double aa, double bb)
{
    double p = aa * bb;
    double c = s->dot / (p >= DBL_MIN && p <= DBL_MAX ? sqrt(p) : sqrt(aa) * sqrt(bb));
    return c > 1 ? 1 : c < -1 ? -1 : c;
}

double metric_value(int m, const metric_sums *s, double aa, double bb)
{
    switch (m) {
    case METRIC_COSINE:
        return aa > 0 && bb > 0 ? 1 - similarity(s, aa, bb) : NAN;
    case METRIC_EUCLIDEAN:
        return sqrt(s->sqdiff);
    case METRIC_EUCLIDEAN_L2:
        return sqrt(s->sqdiff_l2);
    case METRIC_ANGULAR:
        return aa > 0 && bb > 0 ? acos(similarity(s, aa, bb)) / M_PI : NAN;
    default:
        return NAN;
    }
}

double metric_distance(int m, const float *a, const float *b, size_t dim)
{
    double aa = metric_sqnorm(a, dim), bb = metric_sqnorm(b, dim);
    metric_sums s;
    metric_pass(a, b, dim, aa, bb, m == METRIC_EUCLIDEAN_L2, &s);
    return metric_value(m, &s, aa, bb);
}

int metric_choose(const char *const *names, size_t n, int ms[METRIC_N], size_t *count,
                  const char **bad)
{
    int seen[METRIC_N] = {0};
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        int all = strcmp(names[i], METRIC_ALL) == 0;
        for (int k = 0; k < METRIC_N; k++) {
            int m = all ? k : metric_find(names[i]);
            if (m < 0) {
                *bad = names[i];
                return METRIC_LIST_UNKNOWN;
            }
            if (seen[m]) {
                *bad = metric_names[m];
                return METRIC_LIST_TWICE;
            }
            seen[m] = 1;
            ms[(*count)++] = m;
            if (!all)
                break;
        }
    }
    return METRIC_LIST_OK;
}
