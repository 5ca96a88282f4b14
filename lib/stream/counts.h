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
 * Memory grows with the distinct values (24 bytes each, within a factor
 * 4/3 to 8/3 for the table), never with the rows.  A value is a double: -0 counts as 0
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

typedef struct counts {
    counts_entry *e; /* open addressing on the value (n == 0: empty), then,
                        once sorted, e[0..used) ascending */
    size_t mask;     /* slots - 1, or 0 before the first add */
    size_t used;     /* distinct values */
    uint64_t rows, rows_same;
    int sorted;      /* counts_sorted has compacted the table: no more adds */
} counts;

void counts_init(counts *c);
void counts_free(counts *c);

/* Add n rows of value v (finite), n_same of them same-person (n_same <= n,
 * n >= 1).  Returns 0, or -1 when a sum would pass 2^64 - 1 (nothing is
 * added then).  Not after counts_sorted. */
int counts_add(counts *c, double v, uint64_t n, uint64_t n_same);

/* Add every value of `from` to `into`; -1 on overflow (into is then
 * partly merged: the caller stops).  `from` may be sorted or not. */
int counts_merge(counts *into, const counts *from);

/* The distinct values in ascending order, *k of them; the table is
 * compacted in place (no more adds). */
const counts_entry *counts_sorted(counts *c, size_t *k);

/* Sort k entries by value, ascending (the measures sort scores with it). */
void counts_sort_entries(counts_entry *e, size_t k);

#endif
