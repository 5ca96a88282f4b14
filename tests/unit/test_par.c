/* Unit tests of lib/common/par.c: where the halves split, and that both
 * halves run whether or not on two threads. */
#include "common/par.h"
#include "unit.h"

#include <stddef.h>

typedef struct half {
    int runs;
    size_t lo, hi;
    double sum;
} half;

static void work(void *arg)
{
    half *h = arg;
    for (size_t i = h->lo; i < h->hi; i++)
        h->sum += (double)i;
    h->runs++;
}

int main(void)
{
    UNIT_OK(par_split(0) == 0 && par_split(PAR_MIN_ROWS - 1) == PAR_MIN_ROWS - 1,
            "below PAR_MIN_ROWS: no second half");
    size_t n = 3 * PAR_MIN_ROWS + 77, mid = par_split(n);
    UNIT_OK(mid % PAR_BLOCK == 0 && mid <= n / 2 && n / 2 - mid < PAR_BLOCK,
            "from PAR_MIN_ROWS: the middle in whole blocks (%zu of %zu)", mid, n);
    for (int two = 0; two <= 1; two++) {
        half h[2] = {{.lo = 0, .hi = mid}, {.lo = mid, .hi = n}};
        par_run(work, &h[0], &h[1], two);
        double want = (double)n * (double)(n - 1) / 2;
        UNIT_OK(h[0].runs == 1 && h[1].runs == 1 && h[0].sum + h[1].sum == want,
                "%s: each half once, all rows", two ? "two threads" : "one thread");
    }
    return unit_done();
}
