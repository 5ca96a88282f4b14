/* term: what confplot's terminal figures share (plot_term, plot_eval_term):
 * the box-drawing characters, padding, UTF-8 text cut to a width, and an x
 * axis with ticks and labels under a chart.
 *
 *   term_x_axis(o, lab, w, n, col, labels);   └──┬───┬──   then the labels */
#ifndef TERM_H
#define TERM_H

#include <stddef.h>

#include "stream/out.h"

#define TERM_VBAR "\xe2\x94\x82"   /* │ */
#define TERM_YTICK "\xe2\x94\xa4"  /* ┤ */
#define TERM_CORNER "\xe2\x94\x94" /* └ */
#define TERM_HBAR "\xe2\x94\x80"   /* ─ */
#define TERM_XTICK "\xe2\x94\xac"  /* ┬ */

/* n spaces. */
void term_spaces(out *o, int n);
/* The characters (not bytes) of UTF-8 text s. */
int term_utf8_len(const char *s);
/* The UTF-8 text s, cut to at most `cols` characters; returns those written. */
int term_put_cut(out *o, const char *s, int cols);
/* The x axis under a chart of w columns after `lab` columns of y labels and
 * the y axis: a tick at chart column col[i] for each of the n labels[i],
 * centred under it (held inside the line); a label that would touch the one
 * before, or whose column is off the chart, is left out with its tick. */
void term_x_axis(out *o, int lab, int w, int n, const int *col, const char *const *labels);

#endif
