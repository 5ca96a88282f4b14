/* plot_eval_svg: confeval's tables as SVG: the DET curves in one square
 * chart on normal-deviate axes (det_svg), the reliability diagram, one
 * panel per column (rel_svg).  Self-contained, as plot_svg.c's figure. */
#include "plot/plot_eval.h"
#include "plot/svg.h"

#include "common/diag.h"
#include "common/name.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* matplotlib's ten colours (tab10), in its order. */
static const char *const COLOUR[10] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

/* Geometry, in pixels. */
enum {
    PAD = 20,   /* around the figure */
    TOP = 56,   /* the axes' top: below the title */
    ML = 64,    /* left of the axes: the y labels and title */
    MB = 56,    /* below the axes: the x labels and title */
    SIDE = 440, /* the DET chart's axes: a square */
    GAP = 28,   /* between the axes and the legend */
    RW = 300,   /* a reliability panel's axes: a square */
    RPW = 390,  /* a reliability panel, and its height with its title */
    RPH = 380,
    PER_ROW = 4,
};

typedef struct axes {
    double x0, y0, side; /* the box: left, top, its side */
    double zlo, zhi;     /* the normal deviates at its ends */
} axes;

static double ax(const axes *a, double p)
{
    return a->x0 + (plot_probit(p) - a->zlo) / (a->zhi - a->zlo) * a->side;
}
static double ay(const axes *a, double p)
{
    return a->y0 + a->side - (plot_probit(p) - a->zlo) / (a->zhi - a->zlo) * a->side;
}

static int placed(const det_point *p)
{
    return p->fmr > 0 && p->fmr < 1 && p->fnmr > 0 && p->fnmr < 1;
}

static void text(out *o, double x, double y, const char *attrs, const char *s)
{
    svg_at(o, "text", x, y);
    if (*attrs) {
        out_putc(o, ' ');
        out_str(o, attrs);
    }
    out_putc(o, '>');
    svg_esc(o, s);
    out_str(o, "</text>\n");
}

/* A column's legend text: "NAME (EER 12.3%)". */
static void legend_text(const det_curve *c, char *buf, size_t cap)
{
    char *shown = name_show(c->column, strlen(c->column));
    double e = det_eer(c);
    if (e != e)
        snprintf(buf, cap, "%s (no EER)", shown);
    else if (c->placed == 0)
        snprintf(buf, cap, "%s (EER %.3g%%; no point to draw)", shown, 100 * e);
    else
        snprintf(buf, cap, "%s (EER %.3g%%)", shown, 100 * e);
    free(shown);
}

static void circle(out *o, double x, double y, double r, const char *colour)
{
    out_str(o, "<circle cx=\"");
    svg_px(o, x);
    out_str(o, "\" cy=\"");
    svg_px(o, y);
    out_str(o, "\" r=\"");
    svg_px(o, r);
    out_str(o, "\" fill=\"");
    out_str(o, colour);
    out_str(o, "\" stroke=\"#ffffff\" stroke-width=\"1.5\"");
}

/* One curve: its placed points joined, a segment where both rates change
 * drawn through the rates between (a straight line in the ROC's space is
 * curved on these axes). */
static void det_curve_svg(out *o, const axes *a, const det_curve *c, const char *colour)
{
    size_t cap = 64, n = 0;
    double *x = xmalloc(cap * sizeof *x), *y = xmalloc(cap * sizeof *y);
    const det_point *prev = NULL;
    for (size_t j = 0; j < c->n; j++) {
        const det_point *p = &c->pt[j];
        if (!placed(p))
            continue;
        int steps = 1;
        if (prev && prev->fmr != p->fmr && prev->fnmr != p->fnmr) {
            double len =
                hypot(ax(a, p->fmr) - ax(a, prev->fmr), ay(a, p->fnmr) - ay(a, prev->fnmr));
            steps = len > 64 ? 16 : (int)ceil(len / 4) + 1;
        }
        for (int s = prev ? 1 : steps; s <= steps; s++) {
            double t = (double)s / steps;
            double fmr = prev ? prev->fmr + t * (p->fmr - prev->fmr) : p->fmr;
            double fnmr = prev ? prev->fnmr + t * (p->fnmr - prev->fnmr) : p->fnmr;
            if (s == steps)
                fmr = p->fmr, fnmr = p->fnmr;
            if (n == cap) {
                cap *= 2;
                x = xreallocarray(x, cap, sizeof *x);
                y = xreallocarray(y, cap, sizeof *y);
            }
            x[n] = ax(a, fmr);
            y[n] = ay(a, fnmr);
            n++;
        }
        prev = p;
    }
    if (n >= 2) {
        char *keep = xmalloc(n);
        svg_simplify(x, y, n, 0.05, keep);
        svg_polyline(o, x, y, keep, n, colour);
        free(keep);
    } else if (n == 1) { /* a single point: a small mark */
        circle(o, x[0], y[0], 2.5, colour);
        out_str(o, "/>\n");
    }
    free(x);
    free(y);
}

void det_svg(const det *d, out *o)
{
    double ticks[PLOT_DET_TICKS], lo, hi;
    int nt = det_axis(d, ticks, &lo, &hi);
    axes a = {PAD + ML, TOP, SIDE, plot_probit(lo), plot_probit(hi)};
    double x1 = a.x0 + SIDE, y1 = a.y0 + SIDE;

    /* The legend, right of the chart: one line per column, then the marks. */
    char(*item)[512] = xmalloc((d->n + 2) * sizeof *item);
    double lw = 0;
    for (size_t i = 0; i < d->n; i++) {
        legend_text(&d->c[i], item[i], sizeof item[i]);
        lw = fmax(lw, svg_text_w(item[i]));
    }
    snprintf(item[d->n], sizeof item[0], "the EER point (FMR nearest FNMR)");
    snprintf(item[d->n + 1], sizeof item[0], "FMR = FNMR");
    lw = fmax(lw, svg_text_w(item[d->n]));
    double lx = x1 + GAP, w = lx + 40 + lw + PAD;
    double h = fmax(y1 + MB + PAD, a.y0 + 22 * (double)(d->n + 2) + PAD);

    svg_open(o, w, h);
    out_str(o, "<title>DET curves: FNMR against FMR</title>\n<desc>Detection error "
               "trade-off curves on normal-deviate axes, from confeval --roc's table, drawn "
               "by confplot (distconf).</desc>\n");
    svg_rect(o, 0, 0, w, h, "fill=\"#ffffff\"");
    text(o, PAD, 30, "font-size=\"18\" font-weight=\"bold\"", "DET curves: FNMR against FMR");
    svg_rect(o, a.x0, a.y0, SIDE, SIDE, "fill=\"#fafafa\" stroke=\"none\"");
    char label[32];
    double last_x = -INFINITY, last_y = INFINITY;
    for (int i = 0; i < nt; i++) {
        double x = ax(&a, ticks[i]), y = ay(&a, ticks[i]);
        svg_line(o, x, a.y0, x, y1, "stroke=\"#e4e4e4\"");
        svg_line(o, a.x0, y, x1, y, "stroke=\"#e4e4e4\"");
    }
    /* The diagonal FMR = FNMR, then the curves, then the EER points. */
    svg_line(o, a.x0, y1, x1, a.y0, "stroke=\"#999\" stroke-dasharray=\"4 3\"");
    for (size_t i = 0; i < d->n; i++)
        det_curve_svg(o, &a, &d->c[i], COLOUR[i % 10]);
    for (size_t i = 0; i < d->n; i++) {
        const det_curve *c = &d->c[i];
        if (c->eer == c->n || !placed(&c->pt[c->eer]))
            continue;
        const det_point *p = &c->pt[c->eer];
        circle(o, ax(&a, p->fmr), ay(&a, p->fnmr), 5, COLOUR[i % 10]);
        out_str(o, " class=\"eer\"><title>");
        char t[128];
        snprintf(t, sizeof t, ": EER %.4g%% (FMR %.4g%%, FNMR %.4g%%)", 100 * det_eer(c),
                 100 * p->fmr, 100 * p->fnmr);
        svg_esc(o, c->column);
        svg_esc(o, t);
        out_str(o, "</title></circle>\n");
    }
    svg_rect(o, a.x0, a.y0, SIDE, SIDE, "class=\"axes\" fill=\"none\" stroke=\"#333\"");
    for (int i = 0; i < nt; i++) {
        double x = ax(&a, ticks[i]), y = ay(&a, ticks[i]);
        det_label(label, sizeof label, ticks[i]);
        double tw = svg_text_w(label) * 12 / 13;
        svg_line(o, x, y1, x, y1 + 5, "stroke=\"#333\"");
        svg_line(o, a.x0 - 5, y, a.x0, y, "stroke=\"#333\"");
        if (x - tw / 2 > last_x + 4) { /* labels that would touch are left out */
            text(o, x, y1 + 19, "text-anchor=\"middle\"", label);
            last_x = x + tw / 2;
        }
        if (y + 4 < last_y - 10) {
            text(o, a.x0 - 8, y + 4, "text-anchor=\"end\"", label);
            last_y = y + 4;
        }
    }
    text(o, a.x0 + SIDE / 2.0, y1 + 42, "text-anchor=\"middle\" font-size=\"13\"",
         "FMR: false match rate");
    out_str(o, "<text transform=\"translate(");
    svg_px(o, PAD + 4);
    out_putc(o, ',');
    svg_px(o, a.y0 + SIDE / 2.0);
    out_str(o, ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">FNMR: false non-match "
               "rate</text>\n");
    for (size_t i = 0; i < d->n + 2; i++) {
        double y = a.y0 + 12 + 22 * (double)i;
        char attrs[96];
        if (i < d->n) {
            snprintf(attrs, sizeof attrs, "stroke-width=\"3\" stroke=\"%s\"", COLOUR[i % 10]);
            svg_line(o, lx, y - 4, lx + 28, y - 4, attrs);
        } else if (i == d->n) {
            circle(o, lx + 14, y - 4, 5, "#555");
            out_str(o, "/>\n");
        } else {
            svg_line(o, lx, y - 4, lx + 28, y - 4, "stroke=\"#999\" stroke-dasharray=\"4 3\"");
        }
        text(o, lx + 36, y, "font-size=\"13\"", item[i]);
    }
    free(item);
    out_str(o, "</svg>\n");
}

/* The reliability diagram's axes run from 0 to 1. */
static double rx(double x0, double v)
{
    return x0 + v * RW;
}
static double ry(double y0, double v)
{
    return y0 + RW - v * RW;
}

static void rel_panel_svg(out *o, const rel_panel *p, double ox, double oy)
{
    double x0 = ox + ML, y0 = oy + 34, x1 = x0 + RW, y1 = y0 + RW;
    out_str(o, "<g>\n");
    text(o, (x0 + x1) / 2, oy + 22,
         "text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\"", p->column);
    svg_rect(o, x0, y0, RW, RW, "fill=\"#fafafa\" stroke=\"none\"");
    for (int i = 0; i <= 5; i++) {
        double v = i / 5.0;
        svg_line(o, rx(x0, v), y0, rx(x0, v), y1, "stroke=\"#e4e4e4\"");
        svg_line(o, x0, ry(y0, v), x1, ry(y0, v), "stroke=\"#e4e4e4\"");
    }
    svg_line(o, x0, y1, x1, y0, "stroke=\"#999\" stroke-dasharray=\"4 3\"");
    /* the intervals, then the line through the bins, then the bins */
    for (size_t i = 0; i < p->n; i++) {
        const rel_bin *b = &p->b[i];
        if (b->lo != b->lo || b->hi != b->hi)
            continue;
        double x = rx(x0, b->predicted);
        svg_line(o, x, ry(y0, b->lo), x, ry(y0, b->hi),
                 "class=\"interval\" stroke=\"#1f77b4\" stroke-width=\"1.5\"");
        svg_line(o, x - 4, ry(y0, b->lo), x + 4, ry(y0, b->lo), "stroke=\"#1f77b4\"");
        svg_line(o, x - 4, ry(y0, b->hi), x + 4, ry(y0, b->hi), "stroke=\"#1f77b4\"");
    }
    if (p->n >= 2) {
        out_str(o, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        for (size_t i = 0; i < p->n; i++) {
            if (i)
                out_putc(o, ' ');
            svg_pt(o, rx(x0, p->b[i].predicted), ry(y0, p->b[i].observed));
        }
        out_str(o, "\"/>\n");
    }
    for (size_t i = 0; i < p->n; i++) {
        const rel_bin *b = &p->b[i];
        circle(o, rx(x0, b->predicted), ry(y0, b->observed), 4, "#1f77b4");
        char t[256];
        snprintf(t, sizeof t,
                 "bin %g: %llu pairs, predicted %.4g, observed %.4g (%.4g to %.4g)", b->bin,
                 (unsigned long long)b->n, b->predicted, b->observed, b->lo, b->hi);
        out_str(o, " class=\"bin\"><title>");
        svg_esc(o, t);
        out_str(o, "</title></circle>\n");
    }
    svg_rect(o, x0, y0, RW, RW, "class=\"axes\" fill=\"none\" stroke=\"#333\"");
    for (int i = 0; i <= 5; i++) {
        double v = i / 5.0;
        svg_line(o, rx(x0, v), y1, rx(x0, v), y1 + 5, "stroke=\"#333\"");
        svg_at(o, "text", rx(x0, v), y1 + 19);
        out_str(o, " text-anchor=\"middle\">");
        svg_label_num(o, v, 1);
        out_str(o, "</text>\n");
        svg_line(o, x0 - 5, ry(y0, v), x0, ry(y0, v), "stroke=\"#333\"");
        svg_at(o, "text", x0 - 8, ry(y0, v) + 4);
        out_str(o, " text-anchor=\"end\">");
        svg_label_num(o, v, 1);
        out_str(o, "</text>\n");
    }
    text(o, (x0 + x1) / 2, y1 + 40, "text-anchor=\"middle\" font-size=\"13\"",
         "predicted (the bin's mean)");
    out_str(o, "<text transform=\"translate(");
    svg_px(o, ox + 16);
    out_putc(o, ',');
    svg_px(o, (y0 + y1) / 2);
    out_str(o, ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">observed (share of "
               "same pairs)</text>\n");
    out_str(o, "</g>\n");
}

void rel_svg(const rel *l, out *o)
{
    size_t cols = l->n < PER_ROW ? l->n : PER_ROW;
    size_t rows = (l->n + PER_ROW - 1) / PER_ROW;
    if (cols == 0)
        cols = rows = 1;
    double w = fmax(2 * PAD + (double)cols * RPW, 640), head = 70;
    double h = head + (double)rows * RPH + PAD;
    svg_open(o, w, h);
    out_str(o, "<title>Reliability: the observed share of same pairs against the "
               "predicted</title>\n<desc>The reliability diagram of confeval --reliability's "
               "table, drawn by confplot (distconf).</desc>\n");
    svg_rect(o, 0, 0, w, h, "fill=\"#ffffff\"");
    text(o, PAD, 30, "font-size=\"18\" font-weight=\"bold\"",
         "Reliability: the observed share of same pairs against the predicted");
    text(o, PAD, 54, "font-size=\"13\"",
         "a dot per bin with pairs; a bar: its interval (observed_lo to observed_hi); "
         "dashed: observed = predicted");
    for (size_t i = 0; i < l->n; i++)
        rel_panel_svg(o, &l->p[i], PAD + (double)(i % PER_ROW) * RPW,
                      head + (double)(i / PER_ROW) * RPH);
    out_str(o, "</svg>\n");
}
