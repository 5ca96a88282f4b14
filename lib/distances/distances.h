/* distances: DeepFace's distances between the embeddings of the two items
 * of each pair of a stream, appended as one column per metric (pairdist's
 * engine; SPEC.md, "Embeddings").
 *
 * The store is loaded whole (emb.h); each row's items are looked up by
 * name, their vectors prefetched, and the row written a few rows later, so
 * that memory fetches overlap the arithmetic (metric.h: one pass a pair for
 * every metric asked). */
#ifndef DISTANCES_H
#define DISTANCES_H

#include <stddef.h>
#include <stdint.h>

#include "distances/metric.h"

typedef struct dist_opts {
    int metrics[METRIC_N];     /* metric.h's METRIC_*, in the order of the columns */
    size_t nmetrics;           /* 1 to METRIC_N (see metric_choose) */
    const char *col_a, *col_b; /* the columns of the two items */
    const char *store;         /* the embedding store; NULL: the stream's #embeddings= */
    const char *output;        /* NULL or "-": standard output */
    int precision;             /* decimals printed, 0 to NUM_PREC_MAX */
    int skip_missing;          /* an item with no embedding drops its row (else error) */
    int jobs;                  /* threads: 1 or more (the output does not depend on it) */
    int counts;                /* write the counts (stream/counts_io.h) of the distance
                                  columns, as `logfit --counts` would of the stream,
                                  not the stream */
    /* No store given, and the stream's file names none (line 0: it has no
     * #embeddings= line) or an empty one (on that line): the caller words
     * it, knowing its options, and ends the program (jq's error callback).
     * NULL: a plain error. */
    void (*no_store)(const char *file, uint64_t line);
} dist_opts;

/* pairdist's defaults: cosine, columns a and b, 6 decimals, missing = error. */
#define DIST_OPTS_INIT                                                                         \
    {                                                                                          \
        .metrics = {METRIC_COSINE}, .nmetrics = 1, .col_a = "a", .col_b = "b", .precision = 6,     \
        .jobs = 1                                                                              \
    }

/* The whole job: read the stream from paths (npaths 0: standard input),
 * check its columns, load the store, write the stream with its new columns
 * (or their counts) to o->output, and when rows were skipped say how many on stderr.  Any
 * problem is an error that ends the program (diag.h).  Returns the rows
 * skipped. */
uint64_t dist_run(const dist_opts *o, char *const *paths, size_t npaths);

#endif
