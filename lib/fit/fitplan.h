/* fitplan: the fit of a whole stream (SPEC.md, "The fit"), around
 * fit/fit.h's fit of one column:
 *
 *   1. the columns: those named (in that order), or every column named
 *      like a metric (cosine, euclidean, euclidean_l2, angular) in the
 *      stream's order
 *   2. each one's threshold: given (-t COL=T, else -t T), else DeepFace's
 *      for the model named, else tuned on the column `same`
 *   3. every row counted (stream/counts.h): per column, each distinct
 *      value with its rows and same-person rows, in memory that grows with
 *      the distinct values, not the rows.  The input may be such counts
 *      already (stream/counts_io.h: the preamble says so), from any number
 *      of files: they are added.  The fit depends on the rows only through
 *      the counts, in the order of the sorted values: the model of counts
 *      is the model of the rows they summarise, bit for bit, however they
 *      were split and in whatever order they come.
 *   4. fit_column() on each column in turn (sorted ahead of it on the
 *      other threads o.jobs allows), on its distinct values weighted
 *      by their rows (and measure_column() for the report, if any), its
 *      memory freed after it;
 *      the stream's "#model=NAME" preamble line, if any, recorded as the
 *      model's embedding_model
 *
 * Opening checks everything that needs no row; fitting reads the rows, so
 * that the caller can open its output in between. */
#ifndef FITPLAN_H
#define FITPLAN_H

#include <stddef.h>

#include "fit/calib.h"
#include "fit/fit.h"
#include "fit/measure.h"
#include "mapping/deepface.h"
#include "mapping/model.h"
#include "cli/thrarg.h"
#include "stream/out.h"

typedef struct fitplan_opts {
    char *const *paths;       /* the inputs ("-" is stdin) */
    size_t npaths;            /* 0: stdin */
    const char *const *distances; /* the columns, in order (distinct names), or NULL: */
    size_t ndistances;            /* every column named like a metric */
    const thrarg *th;         /* the thresholds given, or NULL */
    const deepface_model *dm; /* DeepFace's thresholds where none is given, or NULL */
    model_method method;      /* logistic (the article's), or a calibrated method
                                 (fit/calib.h): fitted on `same`, no threshold */
    int truth;                /* target: 0 the decision d <= T, 1 the column `same` */
    double C;                 /* inverse strength of the L2 penalty (> 0) */
    /* NULL, or called after each column's fit with the model's block, the
     * fit's outcome and the measures (logfit -v: report/fitreport.h) */
    void (*report)(const model_metric *m, const fit_outcome *res, const measure_report *r);
    /* NULL, or called after a calibrated method's fit of each column with its
     * block and its counts (logfit -v) */
    void (*report_calibrated)(const model_metric *m, const counts_entry *e, size_t k);
    int counts_only; /* the plan writes counts (fitplan_write_counts), no model:
                        no thresholds are resolved */
    const struct fitplan_cv_opts *cv; /* the plan cross-fits (fitplan_cv), or NULL */
    const char *class_col; /* the class column of a stream (NULL: same) */
    int scores; /* no column named: also those named like confmap's scores
                   (NAME_confidence, NAME_probability) */
    int jobs; /* the threads reading and sorting the columns may use (cli_jobs):
                 0 or 1, none but the caller's; the result is the same for any */
} fitplan_opts;

/* logfit --cv: K-fold cross-fitting.  The rows go to K folds: each group
 * of rows (the pairs of one identity pair, unordered, when the stream has
 * id_a and id_b; else each row) to one fold, the groups in order of first
 * appearance dealt out K at a time in a seeded random order (folds as
 * equal as the groups allow, the same for the same stream and seed).
 * Each method is fitted on the counts of K - 1 folds and gives the
 * probabilities of the rows of the fold left out (measure_probability);
 * the held-out probabilities of all folds are measured against `same`
 * (measure_scores_finish).  DeepFace's own mapping (o->dm), fitted on no
 * fold, on every row. */
typedef struct fitplan_cv_opts {
    size_t folds; /* K >= 2 */
    uint64_t seed;
    int boot; /* bootstrap resamples for the interval of the ECE */
    const model_method *methods;
    size_t nmethods;
    int deepface; /* a row for DeepFace's mapping too (needs o->dm) */
} fitplan_cv_opts;

typedef struct fitplan fitplan;
/* The stream being read (its header and preamble), for the caller's checks. */
struct tsv_reader;
const struct tsv_reader *fitplan_reader(const fitplan *p);
/* Is the input counts (read whole by fitplan_open)? */
int fitplan_is_counts(const fitplan *p);
/* The columns the counts hold, for a message ("" when none). */
const char *fitplan_found_list(const fitplan *p);

/* What keeps the options and the stream from making a plan, for the caller
 * to word (it knows the options): the first found.  The first two are the
 * options' fault (usage), the others the stream's (data: word them with
 * tsv_die_header on fitplan_reader). */
enum {
    FITPLAN_OK,
    FITPLAN_THRESHOLD_NOT_COLUMN, /* a threshold named for `name`, which is not
                                     one of the columns fitted (`list`) */
    FITPLAN_MODEL_NO_THRESHOLD,   /* o->dm has no threshold for column `name`
                                     (not a metric) and none was given */
    FITPLAN_NO_COLUMN,            /* no distances named, and no column is named
                                     like a metric (of the counts: no column) */
    FITPLAN_NO_THRESHOLD,         /* column `name` has no threshold given, o->dm
                                     has none, and no column same to tune one */
    FITPLAN_TRUTH_NO_SAME,        /* o->truth, or a calibrated o->method, and no
                                     column same */
    FITPLAN_CV_NO_SAME,           /* o->cv, and no column same */
    FITPLAN_CV_COUNTS,            /* o->cv, and the input is counts (no rows to
                                     split into folds) */
};
typedef struct fitplan_problem {
    int status;
    const char *name; /* valid while the plan is */
    const char *list; /* the columns chosen, for the message */
} fitplan_problem;

/* Open the inputs, read the header (counts: all of them), choose the
 * columns and resolve their thresholds.  A problem above is returned in *pb (the plan is then only
 * for fitplan_reader and fitplan_free); a column named that the stream
 * lacks, or a bad header, ends the program with a data error (status 1).
 * o (and o->th) must outlive the plan. */
fitplan *fitplan_open(const fitplan_opts *o, fitplan_problem *pb);
/* Read every row and fit each column, in the order chosen; with report,
 * each column's measures are taken and reported after its fit.  Fewer than 2 rows or a
 * bad value ends the program.  Call once; the model is the plan's. */
const model *fitplan_fit(fitplan *p);
/* Read every row (or the counts) and write the counts of the columns
 * chosen to o (stream/counts_io.h), instead of fitting.  Call once. */
void fitplan_write_counts(fitplan *p, out *o);
/* Read every row (or the counts) into the columns' counts, for
 * fitplan_column: the columns chosen, in order, each one's distinct values
 * ascending (k of them) with their rows and class-1 rows.  Call once. */
void fitplan_read(fitplan *p);
size_t fitplan_ncolumns(const fitplan *p);
const char *fitplan_column_name(const fitplan *p, size_t j);
/* Has the input a class: a column same (o.class_col), or counts' n_same? */
int fitplan_has_class(const fitplan *p);
const counts_entry *fitplan_column(fitplan *p, size_t j, const char **name, size_t *k);
/* Read every row into o->cv's folds, cross-fit each column with each
 * method, and write the table of held-out measures to o (TSV, a header,
 * then a row a column and method):
 *   column method folds n n_same ece ece_lo ece_hi ece_bins ece_mass
 *   ece_mass_bins brier log_loss auc width
 * width: the mean width of the Venn-Abers interval, NA for the others.
 * Call once. */
void fitplan_cv(fitplan *p, out *o);
void fitplan_free(fitplan *p);

#endif
