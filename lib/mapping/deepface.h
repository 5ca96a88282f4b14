/* deepface: DeepFace's own tables, compiled in exactly as DeepFace writes
 * them (deepface/config/threshold.py and confidence.py at v0.0.100; the
 * same numbers as tests/fixtures/thresholds.tsv and
 * confidence-constants.tsv). */
#ifndef DEEPFACE_H
#define DEEPFACE_H

#include "mapping/logistic.h"

enum { DF_COSINE, DF_EUCLIDEAN, DF_EUCLIDEAN_L2, DF_ANGULAR, DF_NMETRICS };

/* "cosine", "euclidean", "euclidean_l2", "angular" */
extern const char *const deepface_metric_names[DF_NMETRICS];
/* The metric's index, or -1. */
int deepface_metric(const char *name);
/* "cosine, euclidean, euclidean_l2, angular" */
const char *deepface_metric_list(void);

typedef struct deepface_model {
    const char *name;                           /* as DeepFace spells it */
    double threshold[DF_NMETRICS];
    const char *threshold_text[DF_NMETRICS];   /* as DeepFace writes it: "0.40" */
    const logistic_fit *constants;              /* [DF_NMETRICS], or NULL (Buffalo_L) */
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

#endif
