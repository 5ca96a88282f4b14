/* counts_io: the counts format read and written (distconf(7), "Counts"):
 *
 *   #distconf-counts=1
 *   #model=Facenet                 the stream's other preamble lines
 *   column<TAB>value<TAB>n<TAB>n_same
 *   cosine<TAB>0.012345<TAB>3<TAB>3
 *
 * one row per column and distinct value: the rows of the stream with that
 * value, and of them the same-person rows (the column n_same only when the
 * stream had a column `same`).  Columns in the stream's order, values
 * ascending, each written as the shortest decimal that reads back as the
 * same double (the key is the value as parsed).  Files of counts add up:
 * concatenated, or given together, they are the counts of all their rows.
 *
 *   if (counts_is_stream(r)) {            the preamble says counts
 *       counts_reader cr;
 *       counts_reader_open(&cr, r);       the header checked
 *       while (tsv_next(r))
 *           counts_reader_row(&cr, &name, &len, &v, &n, &n_same);
 *   }
 *   counts_write_head(o, r, with_same);
 *   counts_write_column(o, "cosine", e, k, with_same); */
#ifndef COUNTS_IO_H
#define COUNTS_IO_H

#include <stddef.h>
#include <stdint.h>

#include "stream/counts.h"
#include "stream/out.h"
#include "stream/tsv.h"

#define COUNTS_KEY "distconf-counts" /* the preamble line "#distconf-counts=1" */
#define COUNTS_VERSION "1"

/* Does the stream's preamble say counts?  A version other than
 * COUNTS_VERSION is an error naming it. */
int counts_is_stream(const tsv_reader *r);

typedef struct counts_reader {
    const tsv_reader *r;
    size_t col, value, n, n_same; /* the fields' places */
    int has_same;                 /* the header has n_same */
} counts_reader;

/* Check the header of a counts stream: column, value, n and, optionally,
 * n_same, in that order and nothing else; an error names the header. */
void counts_reader_open(counts_reader *cr, const tsv_reader *r);
/* The current row (after tsv_next): the column's name (not NUL-terminated;
 * a valid column name), the value (finite), n >= 1 and n_same <= n (0 when
 * the header has no n_same).  A bad field is an error naming the file,
 * line and field. */
void counts_reader_row(const counts_reader *cr, const char **name, size_t *len, double *v,
                       uint64_t *n, uint64_t *n_same);

/* The counts' head: the version line, the preamble lines of r (when not
 * NULL) but its #embeddings= line (counts need no store) and its own
 * version line, and the header (n_same when with_same). */
void counts_write_head(out *o, const tsv_reader *r, int with_same);
/* One column's rows: its k entries, ascending (counts_sorted). */
void counts_write_column(out *o, const char *name, const counts_entry *e, size_t k,
                         int with_same);

#endif
