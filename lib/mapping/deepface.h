/* deepface: DeepFace's own tables, compiled in exactly as DeepFace writes
 * them (deepface/config/threshold.py and confidence.py at v0.0.100; the
 * same numbers as tests/fixtures/thresholds.tsv and
 * confidence-constants.tsv). */
#ifndef DEEPFACE_H
#define DEEPFACE_H

#include "distances/metric.h"
#include "mapping/logistic.h"

/* The metrics are distances/metric.h's: each table below has one entry a
 * metric, indexed by METRIC_COSINE ... METRIC_ANGULAR. */

typedef struct deepface_model {
    const char *name;                           /* as DeepFace spells it */
    double threshold[METRIC_N];
    const char *threshold_text[METRIC_N];   /* as DeepFace writes it: "0.40" */
    const logistic_fit *constants;          /* [METRIC_N], or NULL (Buffalo_L) */
} deepface_model;

extern const deepface_model deepface_models[];
extern const int deepface_nmodels;

/* The model of that name, matched case-insensitively, or NULL. */
const deepface_model *deepface_find(const char *name);
/* "VGG-Face, Facenet, ..., Buffalo_L" for messages. */
const char *deepface_model_list(void);

struct out;
/* DeepFace's threshold table as TSV (what --list-models prints): the header
 * "model<TAB>cosine<TAB>euclidean<TAB>euclidean_l2<TAB>angular", then one
 * row per model in DeepFace's order, each threshold as DeepFace writes it. */
void deepface_write_thresholds(struct out *o);
/* The same on standard output, closed (--list-models). */
void deepface_print_thresholds(void);

#endif
