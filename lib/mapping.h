/* mapping: confmap's engine (SPEC.md, "confmap").  The metrics to map (the
 * model's that are columns of the stream, or -m's), each with its fitted
 * parameters and its threshold (-t, else the model file's, else --model's),
 * then the stream copied with METRIC_confidence (and METRIC_verified)
 * appended to every row.
 *
 *   mapper *m = map_new(&opts);            model read, -t checked
 *   tsv_reader *r = tsv_open(paths, n);
 *   map_bind(m, r);                        metrics chosen, thresholds set
 *   out *o = out_open(path);
 *   map_write(m, r, o);                    header and rows
 *
 * Every problem ends the program with confmap's messages: usage errors
 * (status 2) for what the options name, data errors (status 1) for the
 * stream. */
#ifndef MAPPING_H
#define MAPPING_H

#include <stdint.h>

#include "confidence.h"
#include "deepface.h"
#include "out.h"
#include "thrarg.h"
#include "tsv.h"

typedef struct map_opts {
    const char *model_path;   /* -M: a model file ("-" is stdin), or NULL */
    const deepface_model *dm; /* --model: DeepFace's constants (used when there
                                 is no file) and thresholds (a file's fallback) */
    const thrarg *th;         /* -t, or NULL */
    const char *metrics;      /* -m: "cosine,euclidean", or NULL: the model's
                                 metrics that are columns, in the stream's order */
    conf_style style;
    int verified; /* also append METRIC_verified (d <= threshold) */
    int prec;     /* decimals of the confidence */
} map_opts;

typedef struct mapper mapper;

/* Read the model (o->model_path, else DeepFace's o->dm as a list of its
 * metrics) and check that -t names only metrics it has.  `o` is copied; the
 * strings and thrarg it points to must outlive the mapper. */
mapper *map_new(const map_opts *o);
/* Choose the metrics of r's header to map and settle their parameters and
 * thresholds.  Call right after tsv_open() (messages name r's first file). */
void map_bind(mapper *m, const tsv_reader *r);
/* Write r's preamble, its header with the new columns, then every row with
 * its confidences; returns the rows written. */
uint64_t map_write(const mapper *m, tsv_reader *r, out *o);
void map_free(mapper *m);

#endif
