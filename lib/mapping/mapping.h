/* mapping: confmap's engine (SPEC.md, "confmap").  The metrics to map (the
 * model's that are columns of the stream, or -m's), each with its fitted
 * parameters and its threshold (-t, else the model file's, else --model's),
 * then the stream copied with METRIC_confidence (and METRIC_verified)
 * appended to every row.  A calibrated metric (method platt, isotonic or
 * venn-abers) appends METRIC_probability instead (venn-abers also
 * METRIC_probability_lo and _hi), and decides verified at a probability of
 * 50 % or more unless -t gives a threshold.
 *
 *   mapper *m = map_new(&opts, &pb);       model read, -t checked
 *   tsv_reader *r = tsv_open(paths, n);
 *   map_bind(m, r, &pb);                   metrics chosen, thresholds set
 *   out *o = out_open(path);
 *   map_write(m, r, o);                    header and rows
 *   out_close(o);
 *   map_finish(m);                         the count of distances outside
 *                                          the range fitted on, if any
 *
 * What the options name that the model lacks is returned (map_problem),
 * for confmap to word; a problem with the model file or the stream ends
 * the program with a data error (status 1). */
#ifndef MAPPING_H
#define MAPPING_H

#include <stdint.h>

#include "mapping/confidence.h"
#include "mapping/deepface.h"
#include "stream/out.h"
#include "cli/thrarg.h"
#include "stream/tsv.h"

typedef struct map_opts {
    const char *model_path;   /* -M: a model file ("-" is stdin), or NULL */
    const deepface_model *dm; /* --model: DeepFace's constants (used when there
                                 is no file) and thresholds (a file's fallback) */
    const thrarg *th;         /* -t, or NULL */
    const char *const *metrics; /* -m: the metrics (distinct names), in order, or */
    size_t nmetrics;            /* none: the model's that are columns, in the
                                   stream's order */
    conf_style style;
    int style_given; /* 0: deepface with --model alone, probability for a
                        calibrated metric, else clamped */
    int verified;    /* also append METRIC_verified (d <= threshold) */
    int prec;        /* decimals of the confidence */
    int quiet;       /* no warnings: the #model= mismatch, the range count */
    int jobs;        /* -j: threads mapping rows (ordered.h); 0 or 1: none */
} map_opts;

typedef struct mapper mapper;

/* What keeps the options and the model from mapping, for the caller to
 * word (it knows the options): the first found. */
enum {
    MAP_OK,
    MAP_THRESHOLD_UNKNOWN, /* o->th gives a threshold for a metric the model
                              does not have (usage) */
    MAP_METRIC_UNKNOWN,    /* o->metrics chooses one (usage) */
    MAP_CALIBRATED,        /* --style gives a confidence style, and every metric
                              mapped is calibrated (`name`, method `list`): they
                              have a probability only (usage) */
    MAP_NOT_CALIBRATED,    /* --style probability, and every metric mapped is the
                              article's logistic fit (`name`) (usage) */
    MAP_NO_THRESHOLD,      /* a metric mapped has no threshold from anywhere,
                              and the style or verified needs one (data) */
};
typedef struct map_problem {
    int status;
    const char *name; /* as the options give it */
    const char *list; /* the model's metrics, for the message (the usage
                         problems) */
} map_problem;

/* Read the model (o->model_path, else DeepFace's o->dm as a list of its
 * metrics) and check that -t names only metrics it has (else *pb says
 * which).  `o` is copied; the strings and thrarg it points to must outlive
 * the mapper. */
mapper *map_new(const map_opts *o, map_problem *pb);
/* Choose the metrics of r's header to map and settle their parameters and
 * thresholds.  Call right after tsv_open() (messages name r's first file).
 *
 * The threshold: -t, else the file's, else --model's.  In style deepface,
 * -t decides METRIC_verified only, and the confidence keeps the band of the
 * model's own threshold (the file's, else --model's), as DeepFace's
 * verify(threshold=T) does; without an own threshold -t is both.
 *
 * Unless quiet, notes when the stream's "#model=NAME" preamble line names
 * another embedding model (case aside) than the model's embedding_model
 * (or o->dm's name when there is no file): see map_model_mismatch.  A
 * problem stops it with *pb set: the mapper is then for map_free only. */
void map_bind(mapper *m, const tsv_reader *r, map_problem *pb);

/* What map_bind noted: the stream's embedding model is not the model's.
 * For the caller to warn about (it knows where the model came from). */
typedef struct map_mismatch {
    const char *got;  /* the stream's #model= (the reader's: while it is open) */
    const char *want; /* the model's embedding_model, or o->dm's name */
    const char *file; /* where the #model= line is (tsv_preamble_at) */
    uint64_t line;
    int from_dm;      /* want is o->dm's (no model file) */
} map_mismatch;
/* NULL when there is none (or quiet). */
const map_mismatch *map_model_mismatch(const mapper *m);
/* Write r's preamble, its header with the new columns, then every row with
 * its confidences; returns the rows written.  Counts, per metric, the
 * distances outside the range the model was fitted on (range_min and
 * range_max; DeepFace's constants have none). */
uint64_t map_write(mapper *m, tsv_reader *r, out *o);
/* Unless quiet, one line on stderr for all metrics that had distances
 * outside their range:
 *   confmap: 12 of 300 cosine distances were outside the range the model
 *   was fitted on [0.08, 1.21]; 3 of 300 angular ... */
void map_finish(const mapper *m);
void map_free(mapper *m);

#endif
