/* plot_term: the figure in a terminal, with Unicode block elements.
 *
 * Each panel is width x height character cells (here 56 x 9, the article's
 * cosine confidences):
 *
 *   cosine_confidence: density by same (peak 0.167; ┆ 50)
 *             │                    ┆
 *             │                    ┆
 *        same │                    ▁▁▁▁▁▁▁▂▃▅▅▆▆▆▅▄▃▂▁▁
 *             │   ▇█               ┆
 *             │   ██▃              ┆
 *   different │  ▃███▄▃▂▁▁         ┆
 *             └───┬───────┬────────┬───────┬────────┬───────
 *                 0      25       50      75       100
 *
 * One strip per class, both on one density scale, one x axis; a cell's
 * height is in eighths (▁ to █), so a strip of r lines has 8r levels. */
#include "plot/plot.h"
#include "plot/term.h"

#include "common/diag.h"
#include "common/name.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *const BLOCK[9] = {" ",
                                     "\xe2\x96\x81",
                                     "\xe2\x96\x82",
                                     "\xe2\x96\x83",
                                     "\xe2\x96\x84",
                                     "\xe2\x96\x85",
                                     "\xe2\x96\x86",
                                     "\xe2\x96\x87",
                                     "\xe2\x96\x88"};
#define BAND "\xe2\x94\x86"   /* ┆ */

void plot_term_size(int *width, int *height)
{
    struct winsize ws;
    if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ||
         ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0) &&
        ws.ws_col > 0 && ws.ws_row > 0) {
        *width = ws.ws_col;
        /* One panel fills the screen but for the line of the prompt. */
        *height = ws.ws_row > 1 ? ws.ws_row - 1 : 1;
        return;
    }
    *width = 80;
    *height = 20;
}

static void title(const plot *p, const plot_panel *pa, out *o, int width, int band)
{
    char peak[32], tail[128];
    snprintf(peak, sizeof peak, "%.3g", pa->ymax);
    snprintf(tail, sizeof tail, " (peak %s%s)", peak, band ? "; " BAND " 50" : "");
    /* the names as a terminal may show them (name_show), whole until the
     * width cuts them */
    char *col = name_show(pa->column, strlen(pa->column));
    char *cls = name_show(p->class_col, strlen(p->class_col));
    size_t hn = strlen(col) + strlen(cls) + sizeof ": density by ";
    char *head = xmalloc(hn);
    snprintf(head, hn, "%s: density by %s", col, cls);
    int n = term_put_cut(o, head, width);
    if (n + term_utf8_len(tail) <= width)
        out_str(o, tail);
    out_putc(o, '\n');
    free(head);
    free(col);
    free(cls);
}

static void panel(const plot *p, const plot_panel *pa, out *o, int width, int height)
{
    /* The labels' column, then the axis, then the chart. */
    int lab = 0;
    for (int c = 0; c < 2; c++) {
        int n = term_utf8_len(p->label[c]);
        lab = n > lab ? n : lab;
    }
    if (lab > width / 3)
        lab = width / 3;
    int cw = width - lab - 2; /* label, space, axis: the rest is the chart */
    int strip = (height - 3) / 2, gap = (height - 3) % 2;
    double xlo = pa->xlo, xhi = pa->xhi, dx = (xhi - xlo) / cw;
    int band_col = -1;
    if (p->band && plot_is_confidence(pa->column) && xlo < 49 && xhi > 51)
        band_col = (int)floor((50 - xlo) / dx);

    /* Eighths of a cell for each class and chart column: the highest of
     * the density at the column's middle and at the points of pandas' grid
     * that fall in the column (so that a peak narrower than a column keeps
     * its height), within that grid's span. */
    int *lev = xcalloc(2 * (size_t)cw, sizeof *lev);
    double *top = xmalloc((size_t)cw * sizeof *top);
    for (int c = 0; c < 2; c++) {
        const plot_class *k = &pa->cls[c];
        for (int j = 0; j < cw; j++) {
            double x = xlo + (j + 0.5) * dx;
            top[j] = x >= k->gx[0] && x <= k->gx[KDE_GRID - 1] ? kde_eval(&k->k, x) : 0;
        }
        for (size_t i = 0; i < KDE_GRID; i++) {
            double jd = floor((k->gx[i] - xlo) / dx);
            size_t j = jd < 0 ? 0 : jd >= cw ? (size_t)cw - 1 : (size_t)jd;
            if (k->gy[i] > top[j])
                top[j] = k->gy[i];
        }
        for (int j = 0; j < cw; j++) {
            /* eighths, rounded; a thin tail still shows as the lowest block */
            double e = top[j] / pa->ymax * 8 * strip;
            lev[c * cw + j] = e >= 0.25 && e < 1 ? 1 : (int)lround(e);
        }
    }
    free(top);

    title(p, pa, o, width, band_col >= 0);
    for (int c = 0; c < 2; c++) {
        for (int r = strip - 1; r >= 0; r--) {
            if (r == 0) {
                int n = term_utf8_len(p->label[c]);
                term_spaces(o, lab - (n < lab ? n : lab));
                term_put_cut(o, p->label[c], lab);
            } else {
                term_spaces(o, lab);
            }
            out_str(o, " " TERM_VBAR);
            for (int j = 0; j < cw; j++) {
                int e = lev[c * cw + j] - 8 * r;
                e = e < 0 ? 0 : e > 8 ? 8 : e;
                out_str(o, e == 0 && j == band_col ? BAND : BLOCK[e]);
            }
            out_putc(o, '\n');
        }
        if (c == 0 && gap) {
            term_spaces(o, lab);
            out_str(o, " " TERM_VBAR);
            for (int j = 0; j < cw; j++)
                out_str(o, j == band_col ? BAND : " ");
            out_putc(o, '\n');
        }
    }
    free(lev);

    /* The x axis: ticks at nice values, labels centred under them. */
    double ticks[32];
    int dec, want = cw / 8, col[32];
    int nt = plot_xticks(pa->column, xlo, xhi, want, ticks, &dec);
    char text[32][NUM_FMT_MAX];
    const char *labels[32];
    for (int i = 0; i < nt; i++) {
        col[i] = (int)floor((ticks[i] - xlo) / dx);
        size_t n = num_fmt_fixed(text[i], ticks[i], dec);
        if (n == 2 && text[i][0] == '-' && text[i][1] == '0')
            text[i][0] = '0', n = 1;
        text[i][n] = '\0';
        labels[i] = text[i];
    }
    term_x_axis(o, lab, cw, nt, col, labels);
}

void plot_term(const plot *p, out *o, int width, int height)
{
    for (size_t i = 0; i < p->npanels; i++) {
        panel(p, &p->panels[i], o, width, height);
        out_putc(o, '\n');
    }
}
