/* plot_eval: confplot's figures of confeval's tables, read back from its
 * output: the DET curves of `confeval --roc` (confplot --det) and the
 * reliability diagram of `confeval --reliability` (confplot
 * --reliability), each drawn as SVG (plot_eval_svg.c) or in a terminal
 * (plot_eval_term.c).
 *
 *   det *d = det_read(r, names, nnames);     the table's rows, by column
 *   det_svg(d, o);  or  det_term(d, o, width, height);  then det_table(d, o, prec);
 *   det_free(d);
 *
 * A DET curve (Martin et al., 1997) draws FNMR against FMR, each on a
 * normal-deviate scale: a rate p at probit(p), the standard normal
 * quantile, so that two normal score distributions give a straight line.
 * A rate of 0 or 1 is at minus or plus infinity: such a point is left out. */
#ifndef PLOT_EVAL_H
#define PLOT_EVAL_H

#include "stream/out.h"
#include "stream/tsv.h"

#include <stddef.h>
#include <stdint.h>

/* The standard normal quantile of p: -inf at 0, inf at 1, NaN outside
 * [0, 1].  Acklam's rational approximation, then a step of Halley's method
 * on erfc: to about 1e-15 relative. */
double plot_probit(double p);

/* One point of a curve: its rates (NaN: NA, no pair of that class). */
typedef struct det_point {
    double fmr, fnmr;
} det_point;

typedef struct det_curve {
    char *column;
    det_point *pt; /* in the table's order: accepting more and more pairs */
    size_t n, cap;
    char **threshold; /* each point's threshold as the table wrote it */
    size_t placed;    /* points with both rates strictly between 0 and 1 */
    size_t eer;       /* the point where |FMR - FNMR| is least (the first of
                         equal ones); n when no point has both rates */
} det_curve;

typedef struct det {
    det_curve *c;
    size_t n;
} det;

/* The rows of confeval --roc's table (the header must have its columns:
 * column, threshold, fmr, fnmr, fm, n_diff, fnm, n_same; else an error
 * naming the header's file and line), grouped by their `column`, in the
 * order they first appear; with nnames > 0, only the curves names[0..n),
 * in that order (one the table lacks is an error).  Rates are numbers from
 * 0 to 1 or NA; within a curve FMR never falls and FNMR never rises (else
 * an error at that row: two tables in one stream?).  No row is an error. */
det *det_read(tsv_reader *r, const char *const *names, size_t nnames);
void det_free(det *d);
/* FMR = FNMR, as confeval's eer: the mean of the two rates at the point
 * det_curve.eer; NaN when there is none. */
double det_eer(const det_curve *c);
/* TSV: column, points, drawn (the points placed), eer, and the EER
 * point's fmr, fnmr and threshold; rates with prec decimals. */
void det_table(const det *d, out *o, int prec);
/* All the curves in one square chart, with a legend and the EER points. */
void det_svg(const det *d, out *o);
void det_term(const det *d, out *o, int width, int height);

/* One bin of a reliability table that holds pairs (n > 0). */
typedef struct rel_bin {
    double bin, predicted, observed, lo, hi;
    uint64_t n;
} rel_bin;

typedef struct rel_panel {
    char *column;
    rel_bin *b;
    size_t n, cap;
    uint64_t rows; /* the pairs over all of its bins */
    double last;   /* the last bin number read, for the order check */
    int any;       /* a row was read (an empty bin too) */
} rel_panel;

typedef struct rel {
    rel_panel *p;
    size_t n;
} rel;

/* The rows of confeval --reliability's table (its columns: column, bin,
 * lo, hi, n, predicted, observed, observed_k, observed_lo, observed_hi),
 * as det_read; a bin with no pairs is left out, the others must have
 * their shares from 0 to 1, and a column's bins must come in increasing
 * order. */
rel *rel_read(tsv_reader *r, const char *const *names, size_t nnames);
void rel_free(rel *l);
/* One panel per column: observed against predicted, the diagonal, each
 * bin's interval as a vertical bar. */
void rel_svg(const rel *l, out *o);
void rel_term(const rel *l, out *o, int width, int height);

/* The axes of a DET chart: the ticks (rates) within [lo, hi] of the
 * normal-deviate axis both rates share, lo and hi themselves ticks that
 * hold every placed point (0.1% to 40% when none is placed).  Returns the
 * number of ticks (at most PLOT_DET_TICKS). */
#define PLOT_DET_TICKS 48
int det_axis(const det *d, double *ticks, double *lo, double *hi);
/* A rate as its tick label: "0.01%", "5%", "99.9%". */
void det_label(char *buf, size_t cap, double p);

#endif
