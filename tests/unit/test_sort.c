/* Unit tests of lib/common/sort.c: ties, reversed input, and the short and
 * adversarial inputs of each of the introsort's regimes, against qsort. */
#include "common/diag.h"
#include "common/rng.h"
#include "common/sort.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

static rng rg;
static double unif(void)
{
    return rng_open01(&rg);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sort_doubles and qsort agree on a copy of a[0..n) */
static int same_as_qsort(const double *a, size_t n)
{
    double *x = xmalloc((n ? n : 1) * sizeof *x), *y = xmalloc((n ? n : 1) * sizeof *y);
    for (size_t i = 0; i < n; i++)
        x[i] = y[i] = a[i];
    sort_doubles(x, n);
    qsort(y, n, sizeof *y, cmp);
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= x[i] == y[i];
    free(x);
    free(y);
    return ok;
}

int main(void)
{
    rng_seed(&rg, 1);
    diag_init("test_sort");
    enum { N = 100000 };
    double *a = xmalloc(N * sizeof *a);
    for (int i = 0; i < N; i++)
        a[i] = i % 7 == 0 ? 0.5 : unif() - 0.5; /* many equal keys */
    UNIT_OK(same_as_qsort(a, N), "100000 doubles with many ties, as qsort");
    sort_doubles(a, N);
    int sorted = 1;
    for (int i = 1; i < N; i++)
        sorted &= a[i - 1] <= a[i];
    UNIT_OK(sorted, "ascending");
    for (int i = 0; i < N; i++)
        a[i] = N - i;
    sort_doubles(a, N);
    UNIT_OK(a[0] == 1 && a[N - 1] == N, "reversed input");
    for (int i = 0; i < N; i++)
        a[i] = 3;
    UNIT_OK(same_as_qsort(a, N), "all equal");
    for (int i = 0; i < N; i++) /* organ pipe: a classic bad case for median of three */
        a[i] = i < N / 2 ? i : N - i;
    UNIT_OK(same_as_qsort(a, N), "organ pipe");
    int small = 1;
    for (size_t n = 0; n <= 60; n++) {
        for (size_t i = 0; i < n; i++)
            a[i] = (double)(int)(unif() * 5) - 2;
        small &= same_as_qsort(a, n);
    }
    UNIT_OK(small, "every length from 0 to 60 (insertion sort and the first partitions)");
    free(a);
    return unit_done();
}
