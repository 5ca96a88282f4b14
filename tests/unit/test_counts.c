/* Unit tests for lib/stream/counts.c: distinct values counted exactly, in any
 * order and any split into shards; -0 is 0; overflow refused. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream/counts.h"
#include "unit.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* n rows of values drawn from `distinct` values, same on about a third. */
static void fill(counts *c, uint64_t *seed, size_t n, unsigned distinct)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = unit_rand(seed);
        double v = (double)(r % distinct) / 1e6 - 0.25;
        counts_add(c, v, 1, (r >> 40) % 3 == 0);
    }
}

/* e[0..k) and f[0..l) the same entries, values bit for bit (-0 is not 0). */
static int same_entries(const counts_entry *e, size_t k, const counts_entry *f, size_t l,
                        uint64_t times)
{
    if (k != l)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (memcmp(&e[i].value, &f[i].value, sizeof e[i].value) != 0 ||
            e[i].n != times * f[i].n || e[i].n_same != times * f[i].n_same)
            return 0;
    return 1;
}

/* c given rows v[0..n), same-person when same[i] (same NULL: none), in
 * blocks of 1 to 40000 rows; the first of 1000, so that the grid is
 * planned later, with values already in the table. */
static void add_blocks(counts *c, const double *v, const unsigned char *same, size_t n,
                       uint64_t *seed)
{
    size_t at = 0, m = 1000;
    while (at < n) {
        if (m > n - at)
            m = n - at;
        counts_add_rows(c, v + at, same ? same + at : NULL, m);
        at += m;
        m = 1 + unit_rand(seed) % 40000;
    }
}

/* The grid: the decimals of a narrow range counted in a dense array once
 * 131072 rows are in.  Whatever lies beside it (a neighbour of one of its
 * values by one ulp, a value out of its range or of more places, -0) goes
 * to the table, and the entries are those the table alone gives
 * (counts_add never plans a grid). */
static void test_grid(void)
{
    enum { N = 400000 };
    static double v[N];
    static unsigned char same[N];
    uint64_t seed = 5;
    counts ref, c;
    counts_init(&ref);
    counts_init(&c);
    for (size_t i = 0; i < N; i++) {
        uint64_t r = unit_rand(&seed);
        unsigned kind = (unsigned)(r % 1000);
        double x = (double)((int64_t)(r >> 12 & 0xFFFFF) % 2000001 - 500000) / 1e6;
        if (kind < 5) /* off by one ulp, either way: 1% */
            x = nextafter(x, INFINITY);
        else if (kind < 10)
            x = nextafter(x, -INFINITY);
        else if (kind < 12)
            x = -0.0;
        else if (kind < 14 && i > 200000) /* out of the range, once planned */
            x = 1000 + x;
        else if (kind < 16 && i > 200000) /* 7 places */
            x += 3e-7;
        v[i] = x;
        same[i] = (r >> 60) % 3 == 0;
        counts_add(&ref, x, 1, same[i]);
    }
    add_blocks(&c, v, same, N, &seed);
    UNIT_OK(c.gstate == 1 && c.g != NULL && c.gscale == 1e6 && c.gused > 100000 &&
                c.used > c.gused,
            "the grid planned at 6 places (%zu of %zu values in it)", c.gused, c.used);
    counts merged, both;
    counts_init(&merged);
    counts_init(&both);
    add_blocks(&both, v, NULL, N, &seed); /* a grid, then the table's and the grid's added */
    UNIT_OK(counts_merge(&merged, &c) == 0 && counts_merge(&both, &c) == 0 && both.g != NULL,
            "a gridded table merged into an empty one and into a gridded one");
    size_t kr, kc, km, kb;
    const counts_entry *er = counts_sorted(&ref, &kr), *ec = counts_sorted(&c, &kc),
                       *em = counts_sorted(&merged, &km);
    UNIT_OK(same_entries(ec, kc, er, kr, 1) && c.rows == N && c.rows_same == ref.rows_same,
            "%zu values: the same entries as the table alone, bit for bit", kr);
    UNIT_OK(same_entries(em, km, er, kr, 1), "and merged, the same");
    const counts_entry *eb = counts_sorted(&both, &kb);
    int twice = kb == kr;
    for (size_t i = 0; twice && i < kr; i++)
        twice = eb[i].value == er[i].value && eb[i].n == 2 * er[i].n &&
                eb[i].n_same == er[i].n_same;
    UNIT_OK(twice, "merged into a grid of the same rows: twice the rows");
    counts_free(&ref);
    counts_free(&c);
    counts_free(&merged);
    counts_free(&both);

    /* a wide column (0 to 100 at 6 places: 10^8 values) with a peak (four
     * rows in five in [10, 11]): the grid takes 4 Mi values around the
     * peak, the tails stay in the table */
    counts_init(&ref);
    counts_init(&c);
    for (size_t i = 0; i < N; i++) {
        uint64_t r = unit_rand(&seed);
        v[i] = r % 5 == 0 ? (double)((r >> 8) % 100000001) / 1e6
                          : (double)(10000000 + (r >> 8) % 1000001) / 1e6;
        counts_add(&ref, v[i], 1, r >> 63);
        same[i] = (unsigned char)(r >> 63);
    }
    add_blocks(&c, v, same, N, &seed);
    UNIT_OK(c.g != NULL && c.gcells <= 1u << 22 && c.gk0 <= 10e6 && c.gk0 + c.gcells > 11e6 &&
                c.used - c.gused > 50000,
            "a peak in a wide range: a grid of %zu cells from %.0f, %zu values in the table",
            c.gcells, c.gk0, c.used - c.gused);
    er = counts_sorted(&ref, &kr);
    ec = counts_sorted(&c, &kc);
    UNIT_OK(same_entries(ec, kc, er, kr, 1) && c.rows_same == ref.rows_same,
            "%zu values: the same entries as the table alone", kr);
    counts_free(&ref);
    counts_free(&c);

    /* the places: the most among the rows (tenths and thousandths: 3);
     * a cell's rows past 32 bits move to 64, as a slot's do */
    enum { R = 140000 }; /* past the 131072 rows a grid is planned at */
    counts_init(&c);
    for (size_t i = 0; i < R; i++)
        v[i] = i % 2 ? (double)(i % 1000) / 1e3 : (double)(i % 10) / 10;
    counts_add_rows(&c, v, NULL, R);
    UNIT_OK(c.g != NULL && c.gscale == 1e3, "tenths and thousandths: a grid of 3 places");
    double half[3] = {0.5, 0.5, -0.0};
    unsigned char ones[3] = {1, 1, 1};
    UNIT_OK(counts_add(&c, 0.5, UINT32_MAX - 2, 7) == 0 &&
                counts_add_rows(&c, half, ones, 3) == 0 && counts_add(&c, 0.5, 5, 1) == 0,
            "2^32 + 4 more rows of 0.5, in a cell");
    size_t k;
    const counts_entry *e = counts_sorted(&c, &k);
    size_t h = 0;
    while (h < k && e[h].value != 0.5)
        h++;
    UNIT_OK(k == 506 && h < k && e[h].n == (uint64_t)UINT32_MAX + 5 && e[h].n_same == 10 &&
                e[0].value == 0 && !signbit(e[0].value) && e[0].n == R / 10 + 1 &&
                e[0].n_same == 1 && c.rows == R + (uint64_t)UINT32_MAX + 6,
            "0.5: 2^32 + 4 rows, 10 same; 0 (and -0): %d rows", R / 10 + 1);
    counts_free(&c);

    /* no grid: a short stream, a wide range, values of no few places, few
     * values far apart */
    counts_init(&c);
    counts_add_rows(&c, v, NULL, 131071);
    UNIT_OK(c.gstate == 0 && c.g == NULL, "131071 rows: not planned yet");
    counts_free(&c);
    for (size_t i = 0; i < R; i++)
        v[i] = (double)(unit_rand(&seed) % 100000000);
    counts_init(&c);
    counts_add_rows(&c, v, NULL, R);
    UNIT_OK(c.gstate == -1 && c.g == NULL, "integers up to 10^8: too wide, no grid");
    counts_free(&c);
    for (size_t i = 0; i < R; i++)
        v[i] = (double)(unit_rand(&seed) >> 11) * 0x1p-53;
    counts_init(&c);
    counts_add_rows(&c, v, NULL, R);
    UNIT_OK(c.gstate == -1 && c.g == NULL, "doubles of 53 bits: no grid");
    counts_free(&c);
    for (size_t i = 0; i < R; i++) /* 16 values 262144 steps of 9 places apart */
        v[i] = (double)(i % 16 * 262144) / 1e9;
    counts_init(&c);
    counts_add_rows(&c, v, NULL, R);
    e = counts_sorted(&c, &k);
    UNIT_OK(c.gstate == -1 && k == 16 && e[15].n == R / 16,
            "16 values 4 Mi steps of their places apart: no grid, every row counted");
    counts_free(&c);
    counts_init(&c); /* counts read from a file, say: no rows to plan from */
    for (size_t i = 0; i < R; i++)
        counts_add(&c, (double)i / 1e3, 2, 1);
    for (size_t i = 0; i < R; i++)
        v[i] = (double)(i % 1000) / 1e3;
    counts_add_rows(&c, v, NULL, R);
    e = counts_sorted(&c, &k);
    UNIT_OK(c.gstate == -1 && k == R && e[999].n == 2 + R / 1000 && e[1000].n == 2,
            "%d values added one by one, then rows: no grid, every row counted", R);
    counts_free(&c);
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
    UNIT_OK(kw == km && memcmp(ew, em, kw * sizeof *ew) == 0,
            "the same table, entry for entry");
    int ascending = 1;
    uint64_t rows = 0;
    for (size_t i = 0; i < kw; i++) {
        ascending &= i == 0 || ew[i - 1].value < ew[i].value;
        rows += ew[i].n;
    }
    UNIT_OK(ascending && rows == 300000 && whole.rows == 300000,
            "ascending, every row counted");
    for (int i = 0; i < 3; i++)
        counts_free(&shard[i]);
    counts_free(&whole);
    counts_free(&merged);

    /* an unsorted table merged into an empty one and into a smaller one
     * (into grows to from's size first: its slots come in hash order) */
    counts big, empty_into, small_into;
    counts_init(&big);
    counts_init(&empty_into);
    counts_init(&small_into);
    s = 7;
    fill(&big, &s, 400000, 300000);
    counts_add(&small_into, 0.125, 3, 1);
    counts_add(&small_into, 1e9, 1, 0);
    UNIT_OK(counts_merge(&empty_into, &big) == 0 && counts_merge(&small_into, &big) == 0 &&
                empty_into.mask >= big.mask,
            "merged into an empty and a small table");
    size_t kb, ke, kq;
    const counts_entry *eb = counts_sorted(&big, &kb), *ee = counts_sorted(&empty_into, &ke),
                       *eq = counts_sorted(&small_into, &kq);
    int merged_same = kb == ke && memcmp(eb, ee, kb * sizeof *eb) == 0 && kq >= kb + 1;
    uint64_t qrows = 0;
    for (size_t i = 0; i < kq; i++)
        qrows += eq[i].n;
    UNIT_OK(merged_same && qrows == 400000 + 4 && small_into.rows_same == big.rows_same + 1,
            "%zu values: the same entries, and the small table's added", kb);
    counts_free(&big);
    counts_free(&empty_into);
    counts_free(&small_into);

    /* 64-bit sums: the add that would overflow is refused, the rest kept */
    counts_init(&c);
    UNIT_OK(counts_add(&c, 1.0, UINT64_MAX - 1, 0) == 0, "2^64 - 2 rows of one value");
    UNIT_OK(counts_add(&c, 1.0, 1, 1) == 0, "one more: 2^64 - 1");
    UNIT_OK(counts_add(&c, 2.0, 1, 0) == -1, "past 2^64 - 1 rows: refused");
    e = counts_sorted(&c, &k);
    UNIT_OK(k == 1 && e[0].n == UINT64_MAX && e[0].n_same == 1 && c.rows == UINT64_MAX,
            "the refused add left nothing");
    counts_free(&c);

    /* a block of rows at once (slots fetched ahead, the table growing
     * under it) is the same as one by one; 3 million rows pass the 2 MiB
     * of a huge-page table */
    enum { ROWS = 3000000 };
    static double v[ROWS];
    static unsigned char same[ROWS];
    uint64_t seed = 99;
    counts one, block, none;
    counts_init(&one);
    counts_init(&block);
    counts_init(&none);
    for (size_t i = 0; i < ROWS; i++) {
        uint64_t r = unit_rand(&seed);
        v[i] = (double)(r % 1500000) / 1e6 - (i % 7 == 0 ? 0.0 : 0.5);
        same[i] = (r >> 50) % 4 == 0;
        counts_add(&one, v[i], 1, same[i]);
    }
    UNIT_OK(counts_add_rows(&block, v, same, 1000) == 0 &&
                counts_add_rows(&block, v + 1000, same + 1000, ROWS - 1000) == 0,
            "blocks of rows added");
    UNIT_OK(counts_add_rows(&none, v, NULL, ROWS) == 0, "rows without same added");
    size_t k1, k2, k3;
    const counts_entry *e1 = counts_sorted(&one, &k1), *e2 = counts_sorted(&block, &k2),
                       *e3 = counts_sorted(&none, &k3);
    int same_entries = k1 == k2 && k1 == k3 && k1 > 1000000;
    for (size_t i = 0; same_entries && i < k1; i++)
        same_entries = e1[i].value == e2[i].value && e1[i].n == e2[i].n &&
                       e1[i].n_same == e2[i].n_same && e3[i].value == e1[i].value &&
                       e3[i].n == e1[i].n && e3[i].n_same == 0 &&
                       (i == 0 || e1[i - 1].value < e1[i].value);
    UNIT_OK(same_entries && block.rows == ROWS && block.rows_same == one.rows_same,
            "%zu distinct values: a block at a time as one by one, ascending", k1);
    counts_free(&one);
    counts_free(&block);
    counts_free(&none);

    /* a value's rows past the 32 bits of a slot (2^32 - 2): its sums move
     * to 64 bits, one by one, a block at a time and merged */
    counts_init(&c);
    UNIT_OK(counts_add(&c, 0.5, UINT32_MAX - 2, 7) == 0 && counts_add(&c, 0.25, 1, 0) == 0,
            "2^32 - 3 rows of 0.5");
    double half[3] = {0.5, 0.5, -0.0};
    unsigned char ones[3] = {1, 1, 1};
    UNIT_OK(counts_add_rows(&c, half, ones, 3) == 0, "three more rows, a block");
    UNIT_OK(counts_add(&c, 0.5, 5, 1) == 0, "five more");
    counts wide;
    counts_init(&wide);
    UNIT_OK(counts_merge(&wide, &c) == 0 && counts_merge(&wide, &c) == 0, "merged twice");
    e = counts_sorted(&c, &k);
    UNIT_OK(k == 3 && e[0].value == 0 && e[0].n == 1 && e[1].value == 0.25 &&
                e[2].value == 0.5 && e[2].n == (uint64_t)UINT32_MAX + 5 && e[2].n_same == 10 &&
                c.rows == (uint64_t)UINT32_MAX + 7 && c.rows_same == 11,
            "0.5: 2^32 + 4 rows, 10 same, exactly");
    e = counts_sorted(&wide, &k);
    UNIT_OK(k == 3 && e[2].n == 2 * ((uint64_t)UINT32_MAX + 5) && e[2].n_same == 20 &&
                e[1].n == 2 && wide.rows == 2 * c.rows,
            "merged twice: twice the sums");
    counts_free(&c);
    counts_free(&wide);

    test_grid();

    /* the sort: any doubles, of any sign and size (the radix sort on the
     * bits, against qsort) */
    enum { ANY = 200000 };
    static double any[ANY];
    counts_init(&c);
    size_t nany = 0;
    for (size_t i = 0; i < ANY; i++) {
        uint64_t r = unit_rand(&seed);
        double x;
        if (i % 3 == 0) {
            memcpy(&x, &r, sizeof x); /* any bits: every exponent */
            if (!isfinite(x))
                continue;
        } else {
            x = (double)(r % 100000) * (i % 2 ? 1e-3 : -1e-7);
        }
        counts_add(&c, x, 1, 0);
        any[nany++] = x + 0.0;
    }
    qsort(any, nany, sizeof *any, cmp_double);
    size_t ndist = 0;
    for (size_t i = 0; i < nany; i++)
        if (i == 0 || any[i] != any[ndist - 1])
            any[ndist++] = any[i];
    e = counts_sorted(&c, &k);
    int sorted_same = k == ndist;
    for (size_t i = 0; sorted_same && i < k; i++)
        sorted_same = memcmp(&e[i].value, &any[i], sizeof any[i]) == 0;
    UNIT_OK(sorted_same, "%zu doubles of every sign and size: qsort's order", k);
    counts_free(&c);

    /* A table grown in place through several doublings past the mapped
     * size is one mapping of its size (the kernels before 6.17 move no
     * range that spans two: the next growth would fail). */
    counts_init(&c);
    for (size_t i = 0; i < 800000; i++)
        counts_add(&c, (double)i, 1, i % 2);
    UNIT_OK(c.mapped > 0, "%zu values: the table is mapped (%zu bytes)", c.used, c.mapped);
    unsigned long lo = 0, hi = 0, at = (unsigned long)(uintptr_t)c.t;
    int found = 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    while (maps && !found && fgets(line, sizeof line, maps))
        found = sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= at && at < hi;
    if (maps)
        fclose(maps);
    if (!maps)
        UNIT_OK(1, "# SKIP no /proc/self/maps");
    else
        UNIT_OK(found && hi >= at + c.mapped, /* (a neighbour with the same flags may merge) */
                "the table is one mapping of its %zu bytes (the mapping at it: %lu on)",
                c.mapped, found ? hi - at : 0);
    e = counts_sorted(&c, &k);
    int grown_same = k == 800000;
    for (size_t i = 0; grown_same && i < k; i++)
        grown_same = e[i].value == (double)i && e[i].n == 1 && e[i].n_same == i % 2;
    UNIT_OK(grown_same, "and its %zu values counted", k);
    counts_free(&c);
    return unit_done();
}
