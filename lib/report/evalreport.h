/* evalreport: confeval's tables (TSV), one score column at a time, from
 * the column's counts (fit/roc.h for the operating points, fit/binom.h for
 * the intervals, fit/measure.h for a probability's calibration):
 *
 *   evalreport_head(o, &opts);                  the header of the summary
 *   evalreport_row(o, &opts, &col);             a column's summary row
 *   evalreport_roc_head(o); evalreport_roc(o, &col);               --roc
 *   evalreport_rel_head(o); evalreport_reliability(o, &opts, &col); --reliability
 *
 * Numbers: the shortest decimal that reads back as the double computed
 * (a threshold: the value itself; -inf or inf: accept nothing); NA where a number does not
 * apply (no threshold; not a probability), n/a where the pairs are too few
 * to reach it (TAR at an FMR below 1 / n_diff). */
#ifndef EVALREPORT_H
#define EVALREPORT_H

#include <stddef.h>

#include "fit/binom.h"
#include "fit/roc.h"
#include "stream/counts.h"
#include "stream/out.h"

typedef struct evalreport_opts {
    binom_method interval; /* of FMR and FNMR (and the reliability bins) */
    double fmr_target;     /* --fmr X, or 0: none */
} evalreport_opts;

/* One column to report. */
typedef struct evalreport_col {
    const char *name;
    const counts_entry *e; /* ascending, k of them */
    size_t k;
    roc_dir dir;
    int has_threshold; /* FMR and FNMR at `threshold` */
    double threshold;
    int probability; /* values are probabilities in percent: Brier, log loss, ECE */
} evalreport_col;

void evalreport_head(out *o, const evalreport_opts *opts);
void evalreport_row(out *o, const evalreport_opts *opts, const evalreport_col *c);
void evalreport_roc_head(out *o);
void evalreport_roc(out *o, const evalreport_col *c);
void evalreport_rel_head(out *o);
/* 10 equal-width bins of the value / 100: each bin's rows, mean predicted,
 * observed share of same pairs and its interval. */
void evalreport_reliability(out *o, const evalreport_opts *opts, const evalreport_col *c);

#endif
