/* model: the fitted model file (SPEC.md, "The model file"): written by
 * logfit, read by confmap.  Also the article's own printed dictionary (a
 * YAML flow mapping metric -> {w, b, normalizer, denorm_*}) on reading.
 *
 * Writing:  model_write()      in model_write.c (libyaml emitter,
 *                              doubles shortest round-trip, SPEC.md key order)
 * Reading:  model_read()       in model_read.c */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "mapping/calibrated.h"
#include "mapping/logistic.h"
#include "stream/out.h"
#include "common/strmap.h"

typedef struct model_metric {
    char *name; /* the distance column, e.g. "cosine" */
    model_method method; /* logistic: threshold, fit; platt: fit.w and fit.b
                            only (p = 1 / (1 + exp(-(w d + b)))); isotonic,
                            venn-abers: curve */
    calib_curve curve;
    int has_threshold;
    double threshold;
    logistic_fit fit; /* w, b, normalizer, denorm values */
    /* Informative; has_info is 0 when read from the article's dictionary. */
    int has_info;
    uint64_t n, n_true;
    char target[16];         /* "decision" or "truth" */
    double C;
    char threshold_from[32]; /* a DeepFace model name, "given" or "tuned" */
    int has_accuracy;        /* tuned thresholds record their accuracy */
    double accuracy;
    int has_range;           /* the distances fitted on lay in [range_min, range_max] */
    double range_min, range_max;
} model_metric;

typedef struct model {
    size_t n;
    model_metric *m;
    char *embedding_model; /* the embeddings' model (the stream's #model=), or NULL */
    strmap index;   /* private: name -> position, for model_find */
    size_t indexed; /* private: m[0..indexed) are in the index */
} model;

/* Write `version`, `embedding_model` when known, and the metrics block,
 * in SPEC.md's key order (range_min and range_max after n_true).  The
 * version is 1 when every metric is logistic (the file 0.1.0 reads), 2 when
 * one has another method (the key `method` and the curves as flow
 * sequences).  Files without the keys a version added (embedding_model,
 * range_min, range_max) still read. */
void model_write(const model *m, out *o);
/* Read a model file ("-" is stdin); any problem ends the program with
 * "FILE:LINE:COL: what".  Thresholds absent in the file have
 * has_threshold == 0 (the caller supplies them from -t or --model). */
model *model_read(const char *path);
void model_free(model *m);
/* Free what m holds, not m itself (a model inside another struct). */
void model_clear(model *m);
/* The metric block of that name (the first, if two have it), or NULL: a
 * hash look-up, O(1) expected whatever the number of metrics (the index is
 * made on the first call and follows metrics added since). */
model_metric *model_find(model *m, const char *name);

#endif
