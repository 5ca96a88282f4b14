/* plot: confplot's figure.  The density of each value column (a confidence,
 * usually) for the two classes of a 0/1 column (same-person pairs and
 * different-person pairs, usually), as the article draws it with pandas'
 * plot.kde; drawn as SVG (plot_svg.c) or with Unicode blocks in a terminal
 * (plot_term.c), with a table of n, min, mean, max per class. */
#ifndef PLOT_H
#define PLOT_H

#include "plot/kde.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <stddef.h>

/* One class of one value column: its values, their KDE, and the KDE on
 * pandas' grid of KDE_GRID points. */
typedef struct plot_class {
    double *v;
    size_t n, cap;
    kde k;
    double gx[KDE_GRID], gy[KDE_GRID];
} plot_class;

/* One value column: one panel.  cls[0] is class 1 (same), cls[1] class 0. */
typedef struct plot_panel {
    const char *column;
    size_t col;
    plot_class cls[2];
    double xlo, xhi, ymax; /* the union of both grids; the highest density */
} plot_panel;

typedef struct plot {
    const char *class_col;
    const char *label[2]; /* "same", "different"; or "COL=1", "COL=0" */
    plot_panel *panels;
    size_t npanels;
    int band; /* draw the 49/51 boundary in each *_confidence panel */
} plot;

/* The value columns: names[0..nnames) (distinct), or with nnames 0 every
 * column whose name ends in "_confidence" (none: NULL is returned, for the
 * caller to word).  Reads every row;
 * the class column must hold 0 or 1, the values numbers.  Then fits the
 * KDEs: a class with fewer than 2 rows, or whose values are all equal,
 * is an error (naming the input when there is one, tsv_stream_name). */
plot *plot_read(tsv_reader *r, const char *const *names, size_t nnames, const char *class_col);
void plot_free(plot *p);

/* The table, TSV: column, CLASS_COL (1 then 0), n, min, mean, max,
 * bandwidth; numbers with prec decimals; the names as name_show() shows
 * them (control characters and invalid UTF-8 as '?'). */
void plot_table(const plot *p, out *o, int prec);

/* The curves themselves, TSV: column, CLASS_COL, x, density; KDE_GRID
 * rows per class on pandas' grid, numbers in shortest round-trip form. */
void plot_curves(const plot *p, out *o);

/* A self-contained SVG: one panel per value column, four to a row. */
void plot_svg(const plot *p, out *o);

/* Each panel drawn within width x height character cells. */
void plot_term(const plot *p, out *o, int width, int height);
/* The terminal's size (stdout, else stderr), else 80 x 20. */
void plot_term_size(int *width, int *height);

/* Shared by both drawings: "nice" tick marks (1, 2, 2.5 or 5 times a power
 * of ten) covering [lo, hi], about `want` of them; returns their count
 * (at most 32) and the decimals their labels need. */
int plot_ticks(double lo, double hi, int want, double *ticks, int *decimals);
/* The x axis' ticks: for a confidence column over a wide range, every 25;
 * else as plot_ticks. */
int plot_xticks(const char *column, double lo, double hi, int want, double *ticks,
                int *decimals);
/* 1 if the panel is a percentage confidence (column name ends in
 * PLOT_CONF_SUFFIX). */
#define PLOT_CONF_SUFFIX "_confidence"
int plot_is_confidence(const char *column);

#endif
