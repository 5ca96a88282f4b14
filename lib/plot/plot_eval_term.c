/* plot_eval_term: confeval's tables in a terminal, on a grid of character
 * cells: the DET curves, each column with its own mark, on normal-deviate
 * axes (det_term); the reliability diagram, one panel per column
 * (rel_term).  Here a DET chart of 50 x 12 (two columns):
 *
 *   DET: FNMR against FMR (normal-deviate scale)
 *     40% ┤*·                    +
 *         │ *·                   +
 *     20% ┤  **                 ++
 *     10% ┤    *·              +
 *      5% ┤     *··         ++
 *         │     ●  ··   ++++●
 *      1% ┤          ··
 *         └┬────┬─┬──┬───┬──────┬
 *          1%  5% 10% 20% 40%
 *     * cosine (EER 32.1%)
 *     + euclidean (EER 33.6%)
 *     ● the EER point (FMR nearest FNMR); · FMR = FNMR
 *
 * A cell holds one mark: the EER points over the curves over the diagonal,
 * a later column's curve over an earlier one's. */
#include "plot/plot_eval.h"
#include "plot/term.h"

#include "common/diag.h"
#include "common/name.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOT "\xe2\x97\x8f"    /* ● */
#define DIAG "\xc2\xb7"       /* · */

/* The curves' marks, in the columns' order (then again). */
static const char *const MARK[8] = {"*", "+", "x", "o", "#", "%", "@", "&"};

/* A grid of cells, each a mark (a static string) and its precedence. */
typedef struct grid {
    int w, h;
    const char **mark;
    int *prec;
} grid;

static void grid_init(grid *g, int w, int h)
{
    g->w = w;
    g->h = h;
    g->mark = xcalloc((size_t)w * (size_t)h, sizeof *g->mark);
    g->prec = xcalloc((size_t)w * (size_t)h, sizeof *g->prec);
}

static void grid_free(grid *g)
{
    free(g->mark);
    free(g->prec);
}

/* The cell at (x, y) in cell units, y up from the bottom row's middle. */
static void grid_set(grid *g, double x, double y, const char *mark, int prec)
{
    long j = lround(x), i = lround(y);
    if (j < 0 || j >= g->w || i < 0 || i >= g->h)
        return;
    size_t k = (size_t)(g->h - 1 - i) * (size_t)g->w + (size_t)j;
    if (prec >= g->prec[k]) {
        g->mark[k] = mark;
        g->prec[k] = prec;
    }
}

/* The cells along the segment from (x0, y0) to (x1, y1). */
static void grid_segment(grid *g, double x0, double y0, double x1, double y1, const char *mark,
                         int prec)
{
    double len = fmax(fabs(x1 - x0), fabs(y1 - y0));
    int steps = (int)ceil(len * 2) + 1;
    for (int s = 0; s <= steps; s++) {
        double t = (double)s / steps;
        grid_set(g, x0 + t * (x1 - x0), y0 + t * (y1 - y0), mark, prec);
    }
}



/* The grid's rows under a y axis of `lab` columns of labels: ylab[i] the
 * label of row i from the bottom, or NULL (no tick there). */
static void grid_put(const grid *g, out *o, int lab, char *const *ylab)
{
    for (int i = g->h - 1; i >= 0; i--) {
        const char *l = ylab[i];
        int n = l ? term_utf8_len(l) : 0;
        term_spaces(o, lab - n);
        if (l)
            out_str(o, l);
        out_str(o, l ? " " TERM_YTICK : " " TERM_VBAR);
        for (int j = 0; j < g->w; j++) {
            const char *m = g->mark[(size_t)(g->h - 1 - i) * (size_t)g->w + (size_t)j];
            out_str(o, m ? m : " ");
        }
        out_putc(o, '\n');
    }
}


static int placed(const det_point *p)
{
    return p->fmr > 0 && p->fmr < 1 && p->fnmr > 0 && p->fnmr < 1;
}

void det_term(const det *d, out *o, int width, int height)
{
    double ticks[PLOT_DET_TICKS], lo, hi;
    int nt = det_axis(d, ticks, &lo, &hi);
    char *label[PLOT_DET_TICKS];
    int lab = 0;
    for (int i = 0; i < nt; i++) {
        char b[32];
        det_label(b, sizeof b, ticks[i]);
        label[i] = xstrdup(b);
        lab = (int)strlen(b) > lab ? (int)strlen(b) : lab;
    }
    grid g;
    grid_init(&g, width - lab - 2, height - 3);
    double zlo = plot_probit(lo), zhi = plot_probit(hi);
    double sx = (g.w - 1) / (zhi - zlo), sy = (g.h - 1) / (zhi - zlo);
#define GX(p) ((plot_probit(p) - zlo) * sx)
#define GY(p) ((plot_probit(p) - zlo) * sy)
    grid_segment(&g, 0, 0, g.w - 1, g.h - 1, DIAG, 1);
    for (size_t c = 0; c < d->n; c++) {
        const det_curve *cv = &d->c[c];
        const det_point *prev = NULL;
        for (size_t j = 0; j < cv->n; j++) {
            const det_point *p = &cv->pt[j];
            if (!placed(p))
                continue;
            if (!prev)
                grid_set(&g, GX(p->fmr), GY(p->fnmr), MARK[c % 8], 2);
            /* through the rates between: a straight segment of the ROC is
             * curved on these axes */
            int steps = prev && prev->fmr != p->fmr && prev->fnmr != p->fnmr ? 16 : 1;
            for (int s = 1; prev && s <= steps; s++) {
                double t0 = (double)(s - 1) / steps, t1 = (double)s / steps;
                grid_segment(
                    &g, GX(prev->fmr + t0 * (p->fmr - prev->fmr)),
                    GY(prev->fnmr + t0 * (p->fnmr - prev->fnmr)),
                    GX(s == steps ? p->fmr : prev->fmr + t1 * (p->fmr - prev->fmr)),
                    GY(s == steps ? p->fnmr : prev->fnmr + t1 * (p->fnmr - prev->fnmr)),
                    MARK[c % 8], 2);
            }
            prev = p;
        }
    }
    for (size_t c = 0; c < d->n; c++) {
        const det_curve *cv = &d->c[c];
        if (cv->eer < cv->n && placed(&cv->pt[cv->eer]))
            grid_set(&g, GX(cv->pt[cv->eer].fmr), GY(cv->pt[cv->eer].fnmr), DOT, 3);
    }

    term_put_cut(o, "DET: FNMR against FMR (normal-deviate scale)", width);
    out_putc(o, '\n');
    char **ylab = xcalloc((size_t)g.h, sizeof *ylab);
    int *col = xmalloc((size_t)nt * sizeof *col);
    for (int i = 0; i < nt; i++) {
        long r = lround(GY(ticks[i]));
        if (r >= 0 && r < g.h && !ylab[r])
            ylab[r] = label[i];
        col[i] = (int)lround(GX(ticks[i]));
    }
#undef GX
#undef GY
    grid_put(&g, o, lab, ylab);
    term_x_axis(o, lab, g.w, nt, col, (const char *const *)label);
    for (size_t c = 0; c < d->n; c++) {
        const det_curve *cv = &d->c[c];
        char *shown = name_show(cv->column, strlen(cv->column));
        size_t n = strlen(shown) + 96;
        char *s = xmalloc(n);
        double e = det_eer(cv);
        if (e != e)
            snprintf(s, n, "  %s %s (no EER)", MARK[c % 8], shown);
        else
            snprintf(s, n, "  %s %s (EER %.3g%%%s)", MARK[c % 8], shown, 100 * e,
                     cv->placed ? "" : "; no point to draw");
        term_put_cut(o, s, width);
    out_putc(o, '\n');
        free(s);
        free(shown);
    }
    term_put_cut(o, "  " DOT " the EER point (FMR nearest FNMR); " DIAG " FMR = FNMR", width);
    out_putc(o, '\n');
    free(ylab);
    free(col);
    for (int i = 0; i < nt; i++)
        free(label[i]);
    grid_free(&g);
}

static void rel_panel_term(const rel_panel *p, out *o, int width, int height)
{
    static const char *const LABEL[6] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
    int lab = 3;
    grid g;
    grid_init(&g, width - lab - 2, height - 3);
    double sx = g.w - 1, sy = g.h - 1;
    grid_segment(&g, 0, 0, sx, sy, DIAG, 1);
    for (size_t i = 0; i < p->n; i++) {
        const rel_bin *b = &p->b[i];
        if (b->lo == b->lo && b->hi == b->hi)
            grid_segment(&g, b->predicted * sx, b->lo * sy, b->predicted * sx, b->hi * sy, TERM_VBAR,
                         2);
    }
    for (size_t i = 0; i < p->n; i++)
        grid_set(&g, p->b[i].predicted * sx, p->b[i].observed * sy, DOT, 3);

    char *shown = name_show(p->column, strlen(p->column));
    size_t n = strlen(shown) + 128;
    char *title = xmalloc(n);
    snprintf(title, n,
             "%s: observed against predicted (" DOT " a bin, " TERM_VBAR " its interval, " DIAG
             " equal)",
             shown);
    term_put_cut(o, title, width);
    out_putc(o, '\n');
    free(title);
    free(shown);
    char **ylab = xcalloc((size_t)g.h, sizeof *ylab);
    int col[6];
    for (int i = 0; i < 6; i++) {
        long r = lround(i / 5.0 * sy);
        if (!ylab[r])
            ylab[r] = (char *)LABEL[i];
        col[i] = (int)lround(i / 5.0 * sx);
    }
    grid_put(&g, o, lab, ylab);
    term_x_axis(o, lab, g.w, 6, col, LABEL);
    free(ylab);
    grid_free(&g);
}

void rel_term(const rel *l, out *o, int width, int height)
{
    for (size_t i = 0; i < l->n; i++) {
        rel_panel_term(&l->p[i], o, width, height);
        out_putc(o, '\n');
    }
}
