/* plot_svg: the figure as one self-contained SVG file (no scripts, no
 * external fonts or images): one panel per value column, four to a row. */
#include "plot/plot.h"
#include "plot/svg.h"

#include "common/name.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Geometry, in pixels. */
enum {
    PAD = 20,    /* around the figure */
    MIN_W = 640, /* the narrowest figure: room for the title and legend */
    PW = 390,    /* panel width */
    PH = 310,    /* panel height */
    ML = 64,     /* panel: left of the axes (y labels) */
    MR = 16,     /* panel: right */
    MT = 34,     /* panel: above the axes (panel title) */
    MB = 50,     /* panel: below the axes (x labels) */
    PER_ROW = 4,
};

/* matplotlib's first two colours, as in the article's figure. */
static const char *const COLOUR[2] = {"#1f77b4", "#ff7f0e"};

typedef struct frame {
    double x0, x1, y0, y1; /* the axes box, pixels: x0 left, y0 top */
    double xlo, xhi, ytop; /* data range */
} frame;

static double fx(const frame *f, double x)
{
    return f->x0 + (x - f->xlo) / (f->xhi - f->xlo) * (f->x1 - f->x0);
}
static double fy(const frame *f, double y)
{
    return f->y1 - y / f->ytop * (f->y1 - f->y0);
}

static void curve(out *o, const frame *f, const plot_class *c, const char *colour)
{
    double x[KDE_GRID], y[KDE_GRID];
    char keep[KDE_GRID];
    for (size_t i = 0; i < KDE_GRID; i++) {
        x[i] = fx(f, c->gx[i]);
        y[i] = fy(f, c->gy[i]);
    }
    svg_simplify(x, y, KDE_GRID, 0.05, keep);
    /* The area under the curve, lightly, then the curve. */
    out_str(o, "<path fill=\"");
    out_str(o, colour);
    out_str(o, "\" fill-opacity=\"0.15\" stroke=\"none\" d=\"M");
    svg_pt(o, x[0], f->y1);
    for (size_t i = 0; i < KDE_GRID; i++)
        if (keep[i]) {
            out_str(o, " L");
            svg_pt(o, x[i], y[i]);
        }
    out_str(o, " L");
    svg_pt(o, x[KDE_GRID - 1], f->y1);
    out_str(o, " Z\"/>\n");
    svg_polyline(o, x, y, keep, KDE_GRID, colour);
}

/* Does the panel's range hold the band?  (The frame adds 3% each side.) */
static int has_band(const plot *p, const plot_panel *pa)
{
    double m = 0.03 * (pa->xhi - pa->xlo);
    return p->band && plot_is_confidence(pa->column) && pa->xlo - m < 49 && pa->xhi + m > 51;
}

static void panel(const plot *p, const plot_panel *pa, out *o, double ox, double oy, double pw)
{
    frame f = {.x0 = ox + ML, .x1 = ox + pw - MR, .y0 = oy + MT, .y1 = oy + PH - MB};
    double margin = 0.03 * (pa->xhi - pa->xlo);
    f.xlo = pa->xlo - margin;
    f.xhi = pa->xhi + margin;
    f.ytop = pa->ymax * 1.08;

    double yt[32], xt[32];
    int yd, xd;
    int ny = plot_ticks(0, f.ytop, 5, yt, &yd);
    int nx = plot_xticks(pa->column, f.xlo, f.xhi, 6, xt, &xd);

    out_str(o, "<g>\n");
    /* Panel title: the column. */
    svg_at(o, "text", (f.x0 + f.x1) / 2, oy + MT - 12);
    out_str(o, " text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">");
    svg_esc(o, pa->column);
    out_str(o, "</text>\n");
    svg_rect(o, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, "fill=\"#fafafa\" stroke=\"none\"");
    /* Horizontal grid lines at the density ticks. */
    for (int i = 0; i < ny; i++)
        svg_line(o, f.x0, fy(&f, yt[i]), f.x1, fy(&f, yt[i]), "stroke=\"#e4e4e4\"");
    /* The band between "different" (up to 49) and "same" (from 51). */
    if (has_band(p, pa)) {
        double a = fx(&f, 49), b = fx(&f, 51);
        svg_rect(o, a, f.y0, b - a, f.y1 - f.y0, "fill=\"#888\" fill-opacity=\"0.35\"");
        svg_line(o, fx(&f, 50), f.y0, fx(&f, 50), f.y1,
                 "stroke=\"#555\" stroke-width=\"1\" stroke-dasharray=\"4 3\"");
        svg_at(o, "text", a - 3, f.y0 + 13);
        out_str(o, " text-anchor=\"end\" font-size=\"11\" fill=\"#444\">49</text>\n");
        svg_at(o, "text", b + 3, f.y0 + 13);
        out_str(o, " font-size=\"11\" fill=\"#444\">51</text>\n");
    }
    /* Different first, then same on top, as the article draws them. */
    curve(o, &f, &pa->cls[1], COLOUR[1]);
    curve(o, &f, &pa->cls[0], COLOUR[0]);
    /* Axes box, ticks, labels. */
    svg_rect(o, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, "fill=\"none\" stroke=\"#333\"");
    for (int i = 0; i < nx; i++) {
        double x = fx(&f, xt[i]);
        svg_line(o, x, f.y1, x, f.y1 + 5, "stroke=\"#333\"");
        svg_at(o, "text", x, f.y1 + 19);
        out_str(o, " text-anchor=\"middle\">");
        svg_label_num(o, xt[i], xd);
        out_str(o, "</text>\n");
    }
    for (int i = 0; i < ny; i++) {
        double y = fy(&f, yt[i]);
        svg_line(o, f.x0 - 5, y, f.x0, y, "stroke=\"#333\"");
        svg_at(o, "text", f.x0 - 8, y + 4);
        out_str(o, " text-anchor=\"end\">");
        svg_label_num(o, yt[i], yd);
        out_str(o, "</text>\n");
    }
    svg_at(o, "text", (f.x0 + f.x1) / 2, f.y1 + 40);
    out_str(o, " text-anchor=\"middle\" font-size=\"13\">");
    if (plot_is_confidence(pa->column))
        out_str(o, "confidence (%)");
    else
        svg_esc(o, pa->column);
    out_str(o, "</text>\n");
    double ly = (f.y0 + f.y1) / 2;
    out_str(o, "<text transform=\"translate(");
    svg_px(o, ox + 16);
    out_putc(o, ',');
    svg_px(o, ly);
    out_str(o, ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">density</text>\n");
    out_str(o, "</g>\n");
}

#define BAND_TEXT                                                                              \
    "49\xe2\x80\x93"                                                                           \
    "51: between different (0\xe2\x80\x93"                                                     \
    "49) and same (51\xe2\x80\x93"                                                             \
    "100)"

void plot_svg(const plot *p, out *o)
{
    size_t cols = p->npanels < PER_ROW ? p->npanels : PER_ROW;
    size_t rows = (p->npanels + PER_ROW - 1) / PER_ROW;
    double pw = PW;
    if (2 * PAD + (double)cols * pw < MIN_W)
        pw = (MIN_W - 2 * PAD) / (double)cols;
    double w = 2 * PAD + (double)cols * pw;
    int all_conf = 1, band = 0;
    for (size_t i = 0; i < p->npanels; i++) {
        all_conf &= plot_is_confidence(p->panels[i].column);
        band |= has_band(p, &p->panels[i]);
    }

    /* The legend's items, laid out in lines within the width. */
    char text[3][256];
    double iw[3], ix[3], iy[3];
    int ni = 0;
    for (int c = 0; c < 2; c++, ni++) {
        snprintf(text[c], sizeof text[c], " (n = %zu)", p->panels[0].cls[c].n);
        iw[c] = 36 + svg_text_w(p->label[c]) + svg_text_w(text[c]);
    }
    if (band) {
        snprintf(text[2], sizeof text[2], "%s", BAND_TEXT);
        iw[2] = 20 + svg_text_w(text[2]);
        ni++;
    }
    double lx = PAD, ly = 56;
    for (int k = 0; k < ni; k++) {
        if (lx > PAD && lx + iw[k] > w - PAD)
            lx = PAD, ly += 22;
        ix[k] = lx;
        iy[k] = ly;
        lx += iw[k] + 28;
    }
    double head = ly + 16;
    double h = head + (double)rows * PH + PAD;

    svg_open(o, w, h);
    /* the title, whole: the class column's name may be of any length */
    const char *what =
        all_conf ? "Density of the confidence, by " : "Density of the values, by ";
    out_str(o, "<title>");
    out_str(o, what);
    svg_esc(o, p->class_col);
    out_str(o, "</title>\n<desc>Gaussian kernel density estimates (Scott's bandwidth, as "
               "pandas' plot.kde), drawn by confplot (distconf).</desc>\n");
    svg_rect(o, 0, 0, w, h, "fill=\"#ffffff\"");

    svg_at(o, "text", PAD, 30);
    out_str(o, " font-size=\"18\" font-weight=\"bold\">");
    out_str(o, what);
    svg_esc(o, p->class_col);
    out_str(o, "</text>\n");
    /* Legend: the two classes with their sizes, and the band. */
    for (int c = 0; c < 2; c++) {
        char attrs[64];
        snprintf(attrs, sizeof attrs, "stroke-width=\"3\" stroke=\"%s\"", COLOUR[c]);
        svg_line(o, ix[c], iy[c] - 4, ix[c] + 28, iy[c] - 4, attrs);
        svg_at(o, "text", ix[c] + 36, iy[c]);
        out_str(o, " font-size=\"13\">");
        svg_esc(o, p->label[c]);
        out_str(o, text[c]);
        out_str(o, "</text>\n");
    }
    if (band) {
        svg_rect(o, ix[2], iy[2] - 13, 12, 14, "fill=\"#888\" fill-opacity=\"0.35\"");
        svg_at(o, "text", ix[2] + 20, iy[2]);
        out_str(o, " font-size=\"13\">");
        out_str(o, text[2]);
        out_str(o, "</text>\n");
    }
    for (size_t i = 0; i < p->npanels; i++)
        panel(p, &p->panels[i], o, PAD + (double)(i % PER_ROW) * pw,
              head + (double)(i / PER_ROW) * PH, pw);
    out_str(o, "</svg>\n");
}
