/* counts: the exact summary of one distance column: for each distinct value,
 * how many rows had it and how many of those were same-person pairs.
 * Everything logfit computes (the fit with either target, the tuned
 * threshold, the normaliser, the denorm values, AUC, Brier, ECE) depends on
 * the rows only through it, and two summaries add up to the summary of both
 * streams: the unit of work a run split over machines merges.
 *
 *   counts c;
 *   counts_init(&c);
 *   counts_add(&c, d, 1, same);          a row (or n rows of one value)
 *   counts_merge(&c, &other);            another shard's
 *   size_t k;
 *   const counts_entry *e = counts_sorted(&c, &k);   ascending values
 *   counts_free(&c);
 *
 * Memory grows with the distinct values (16 bytes each in the table, within
 * a factor 4/3 to 8/3; 24 once sorted), never with the rows; besides, a
 * column whose first rows are decimals of at most 9 places in a narrow range
 * counts the values of that range in a grid, 8 bytes a possible value, at
 * most 32 MiB, fixed by those rows (see counts_add_rows).  A value is a
 * double: -0 counts as 0
 * (they compare equal, and every measure treats them as one).  The sums are
 * exact 64-bit integers; an add that would overflow them is refused. */
#ifndef COUNTS_H
#define COUNTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct counts_entry {
    double value;
    uint64_t n;      /* rows with this value (never 0 in a table) */
    uint64_t n_same; /* of which same-person pairs */
} counts_entry;

/* A slot of the table: a value's rows while they fit in 32 bits (n == 0:
 * empty; n == COUNTS_WIDE: the value's sums are in the wide table). */
typedef struct counts_slot {
    double value;
    uint32_t n, n_same;
} counts_slot;

/* A cell of the grid: the sums of one value k / scale, as a slot's. */
typedef struct counts_cell {
    uint32_t n, n_same;
} counts_cell;

typedef struct counts {
    counts_slot *t;  /* open addressing on the value */
    size_t mask;     /* slots - 1, or 0 before the first add */
    size_t mapped;   /* the table's bytes when mapped (large), else 0 */
    counts_entry *w; /* the wide table: the values past 2^32 - 2 rows */
    size_t wmask, wused;
    counts_cell *g; /* the grid: the values k / gscale, k in [gk0, gk0 + gcells) */
    size_t gcells, gmapped, gused; /* gused: distinct values in the grid */
    double gk0, gscale;
    int gstate;      /* 0: not planned yet, 1: planned (g), -1: no grid */
    counts_entry *e; /* once sorted: e[0..used) ascending */
    size_t used;     /* distinct values (in the table and the grid) */
    uint64_t rows, rows_same;
    int sorted; /* counts_sorted has made e: no more adds */
} counts;

void counts_init(counts *c);
void counts_free(counts *c);

/* Add n rows of value v (finite), n_same of them same-person (n_same <= n,
 * n >= 1).  Returns 0, or -1 when a sum would pass 2^64 - 1 (nothing is
 * added then).  Not after counts_sorted. */
int counts_add(counts *c, double v, uint64_t n, uint64_t n_same);

/* Add n rows, of values v[i], same-person when same[i] (same NULL: none);
 * faster than one by one (the table's misses overlap).  -1 on overflow,
 * after adding the rows before it.  The call that brings the rows to
 * 131072 plans the grid from the values so far (the table's and the
 * call's first 131072): when nearly all are decimals k / 10^d (d <= 9)
 * whose range is at most 4 Mi values (or, of a wider range, 4 Mi values
 * hold at least half of them: the peak), with at least one distinct value
 * in 64 of them, the values of that range (widened by up to half, within
 * 4 Mi) are counted there from then on, in place of the table: no hash,
 * no probe, no sort, and near values near each other.  The sums are the
 * same either way; which rows plan it (with threads, whichever block comes
 * first) changes only the speed. */
int counts_add_rows(counts *c, const double *v, const unsigned char *same, size_t n);

/* Add every value of `from` to `into`; -1 on overflow (into is then
 * partly merged: the caller stops).  `from` may be sorted or not. */
int counts_merge(counts *into, const counts *from);

/* The distinct values in ascending order, *k of them; the table is
 * replaced by them (no more adds). */
const counts_entry *counts_sorted(counts *c, size_t *k);

/* counts_sorted's entries, handed over: the caller may overwrite them and
 * frees them (free); the counts keep rows and rows_same, no value. */
counts_entry *counts_consume(counts *c, size_t *k);

/* Sort k entries by value, ascending (the measures sort scores with it). */
void counts_sort_entries(counts_entry *e, size_t k);

#endif
