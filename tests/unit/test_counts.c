/* Unit tests for lib/fit/counts.c: distinct values counted exactly, in any
 * order and any split into shards; -0 is 0; overflow refused. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stream/counts.h"
#include "unit.h"

/* n rows of values drawn from `distinct` values, same on about a third. */
static void fill(counts *c, uint64_t *seed, size_t n, unsigned distinct)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = unit_rand(seed);
        double v = (double)(r % distinct) / 1e6 - 0.25;
        counts_add(c, v, 1, (r >> 40) % 3 == 0);
    }
}

int main(void)
{
    counts c;
    counts_init(&c);
    size_t k;
    counts_sorted(&c, &k);
    UNIT_OK(k == 0 && c.rows == 0, "empty: no values");
    counts_free(&c);

    counts_init(&c);
    counts_add(&c, 0.5, 1, 1);
    counts_add(&c, 0.25, 2, 0);
    counts_add(&c, 0.5, 3, 1);
    counts_add(&c, -0.0, 1, 0);
    counts_add(&c, 0.0, 1, 1);
    counts_add(&c, 0.75, 0, 0); /* nothing */
    const counts_entry *e = counts_sorted(&c, &k);
    UNIT_OK(k == 3, "three distinct values (got %zu)", k);
    UNIT_OK(e[0].value == 0 && !signbit(e[0].value) && e[0].n == 2 && e[0].n_same == 1,
            "-0 and 0 are one value, 0");
    UNIT_OK(e[1].value == 0.25 && e[1].n == 2 && e[1].n_same == 0, "0.25: 2 rows");
    UNIT_OK(e[2].value == 0.5 && e[2].n == 4 && e[2].n_same == 2, "0.5: 4 rows, 2 same");
    UNIT_OK(c.rows == 8 && c.rows_same == 3, "totals 8 and 3");
    counts_free(&c);

    /* one stream against the same rows in three shards merged in any order */
    uint64_t s = 42;
    counts whole;
    counts_init(&whole);
    fill(&whole, &s, 300000, 50000);
    counts shard[3];
    s = 42;
    for (int i = 0; i < 3; i++) {
        counts_init(&shard[i]);
        fill(&shard[i], &s, 100000, 50000);
    }
    counts merged;
    counts_init(&merged);
    size_t ks;
    counts_sorted(&shard[1], &ks); /* a sorted shard merges too */
    UNIT_OK(counts_merge(&merged, &shard[2]) == 0 && counts_merge(&merged, &shard[0]) == 0 &&
                counts_merge(&merged, &shard[1]) == 0,
            "merge three shards");
    size_t kw, km;
    const counts_entry *ew = counts_sorted(&whole, &kw), *em = counts_sorted(&merged, &km);
    UNIT_OK(kw == km && kw > 40000, "as many distinct values (%zu, %zu)", kw, km);
    UNIT_OK(kw == km && memcmp(ew, em, kw * sizeof *ew) == 0, "the same table, entry for entry");
    int ascending = 1;
    uint64_t rows = 0;
    for (size_t i = 0; i < kw; i++) {
        ascending &= i == 0 || ew[i - 1].value < ew[i].value;
        rows += ew[i].n;
    }
    UNIT_OK(ascending && rows == 300000 && whole.rows == 300000, "ascending, every row counted");
    for (int i = 0; i < 3; i++)
        counts_free(&shard[i]);
    counts_free(&whole);
    counts_free(&merged);

    /* 64-bit sums: the add that would overflow is refused, the rest kept */
    counts_init(&c);
    UNIT_OK(counts_add(&c, 1.0, UINT64_MAX - 1, 0) == 0, "2^64 - 2 rows of one value");
    UNIT_OK(counts_add(&c, 1.0, 1, 1) == 0, "one more: 2^64 - 1");
    UNIT_OK(counts_add(&c, 2.0, 1, 0) == -1, "past 2^64 - 1 rows: refused");
    e = counts_sorted(&c, &k);
    UNIT_OK(k == 1 && e[0].n == UINT64_MAX && e[0].n_same == 1 && c.rows == UINT64_MAX,
            "the refused add left nothing");
    counts_free(&c);
    return unit_done();
}
