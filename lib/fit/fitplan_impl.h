/* fitplan_impl: what fitplan.c and fitplan_cv.c share (private). */
#ifndef FITPLAN_IMPL_H
#define FITPLAN_IMPL_H

#include "fit/fitplan.h"
#include "fit/logreg.h"
#include "stream/counts.h"
#include "stream/tsv.h"

enum { FROM_NONE, FROM_GIVEN, FROM_MODEL, FROM_TUNED };

/* One distance column: where it is, its counts, its threshold. */
typedef struct column {
    const char *name;
    size_t idx;       /* its field in a distance stream */
    const char *file; /* counts: where it first came (for messages) */
    uint64_t line;
    uint64_t part; /* counts: the last part of the input it came in, + 1 */
    counts c;
    int from;
    double threshold;
} column;

struct fitplan {
    fitplan_opts o;
    tsv_reader *r;
    int is_counts; /* the input is counts, read whole at open */
    column *found; /* counts: every column they hold, in order of appearance */
    size_t nfound;
    char *found_list; /* their names, for messages */
    column *cols;     /* the columns chosen */
    size_t ncols;
    int has_same;  /* a column same (counts: n_same) */
    long same_col; /* its field in a distance stream, or -1 */
    int tune;      /* some threshold is tuned */
    model md;
};

/* The points a column is fitted on: each distinct value once, weighted by
 * its rows (target decision), or once per class present with the rows of
 * that class (target truth: y). */
typedef struct points {
    double *d, *w;
    unsigned char *y;
    size_t n;
    int in_place; /* d and w share the entries' memory, d at its start */
} points;
/* A column's sums would pass 2^64 - 1 rows: the error, at file:line. */
noreturn void fitplan_overflow(const char *file, uint64_t line, const char *name);

/* fitplan_rows.c: every row of a distance stream into the columns' counts,
 * on o.jobs threads. */
void fitplan_read_rows(fitplan *p);

void fitplan_make_points(points *pt, const counts_entry *e, size_t k, int truth);
/* The points of the target decision made over the k entries themselves
 * (24 bytes each hold d, 8, and w, 8), which they take over
 * (counts_consume's; NULL when k is 0): no new memory.  The same points as
 * fitplan_make_points(e, k, 0). */
void fitplan_points_in_place(points *pt, counts_entry *e, size_t k);

/* Platt's fit of counts e[0..k) of column `name` (calib_fit_platt); one
 * whose slope is no double (distances below about 1e-308) is an error. */
logreg_result fitplan_platt(const char *file, const char *name, const counts_entry *e, size_t k,
                            double *w, double *b);
void fitplan_free_points(points *pt);

#endif
