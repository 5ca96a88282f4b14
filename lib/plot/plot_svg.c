/* plot_svg: the figure as one self-contained SVG file (no scripts, no
 * external fonts or images): one panel per value column, four to a row. */
#include "plot/plot.h"

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

static void num(out *o, double x, int prec)
{
    char *d = out_reserve(o, NUM_FMT_MAX);
    size_t n = num_fmt_fixed(d, x, prec);
    if (n == 2 && d[0] == '-' && d[1] == '0') /* "-0" */
        d[0] = '0', n = 1;
    out_commit(o, n);
}

/* Coordinates: 2 decimals, "-0.00" written as "0". */
static void px(out *o, double x)
{
    if (fabs(x) < 0.005)
        x = 0;
    num(o, x, 2);
}

/* A tick label: U+2212 for the minus sign, as typesetters (and matplotlib)
 * write it. */
static void label_num(out *o, double x, int prec)
{
    char d[NUM_FMT_MAX];
    size_t n = num_fmt_fixed(d, x, prec);
    const char *p = d;
    if (*p == '-') {
        p++, n--;
        int zero = 1;
        for (size_t i = 0; i < n; i++)
            if (p[i] >= '1' && p[i] <= '9')
                zero = 0;
        if (!zero)
            out_str(o, "\xe2\x88\x92");
    }
    out_write(o, p, n);
}

/* Text for the SVG: valid XML 1.0 whatever the bytes of s.  The markup
 * characters as entities; a character XML 1.0 forbids even as a
 * reference (most C0 controls, U+FFFE, U+FFFF), a C1 control, DEL and
 * each byte of invalid UTF-8 as '?', as name_show() and diag_quote() show
 * them: visible, never raw. */
static void esc(out *o, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int shown;
        size_t k = name_char(s + i, n - i, &shown);
        if (!shown) {
            out_putc(o, '?');
            i += k;
            continue;
        }
        switch (s[i]) {
        case '&':
            out_str(o, "&amp;");
            break;
        case '<':
            out_str(o, "&lt;");
            break;
        case '>':
            out_str(o, "&gt;");
            break;
        case '"':
            out_str(o, "&quot;");
            break;
        case '\'':
            out_str(o, "&apos;");
            break;
        default:
            out_write(o, s + i, k);
        }
        i += k;
    }
}

/* <tag x="X" y="Y" */
static void at(out *o, const char *tag, double x, double y)
{
    out_putc(o, '<');
    out_str(o, tag);
    out_str(o, " x=\"");
    px(o, x);
    out_str(o, "\" y=\"");
    px(o, y);
    out_str(o, "\"");
}

static void line(out *o, double x1, double y1, double x2, double y2, const char *attrs)
{
    out_str(o, "<line x1=\"");
    px(o, x1);
    out_str(o, "\" y1=\"");
    px(o, y1);
    out_str(o, "\" x2=\"");
    px(o, x2);
    out_str(o, "\" y2=\"");
    px(o, y2);
    out_str(o, "\" ");
    out_str(o, attrs);
    out_str(o, "/>\n");
}

static void rect(out *o, double x, double y, double w, double h, const char *attrs)
{
    at(o, "rect", x, y);
    out_str(o, " width=\"");
    px(o, w);
    out_str(o, "\" height=\"");
    px(o, h);
    out_str(o, "\" ");
    out_str(o, attrs);
    out_str(o, "/>\n");
}

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

/* Ramer-Douglas-Peucker: keep[] marks the points of (x, y)[0..n) that a
 * polyline needs to stay within tol pixels of all of them. */
static void simplify(const double *x, const double *y, size_t n, double tol, char *keep)
{
    size_t stack[2 * 64], top = 0;
    memset(keep, 0, n);
    keep[0] = keep[n - 1] = 1;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top) {
        size_t b = stack[--top], a = stack[--top];
        double dx = x[b] - x[a], dy = y[b] - y[a], len = hypot(dx, dy), far = 0;
        size_t at_ = a;
        for (size_t i = a + 1; i < b; i++) {
            double d = len > 0 ? fabs(dy * (x[i] - x[a]) - dx * (y[i] - y[a])) / len
                               : hypot(x[i] - x[a], y[i] - y[a]);
            if (d > far)
                far = d, at_ = i;
        }
        if (far > tol && top + 4 <= sizeof stack / sizeof *stack) {
            keep[at_] = 1;
            stack[top++] = a;
            stack[top++] = at_;
            stack[top++] = at_;
            stack[top++] = b;
        } else if (far > tol) {
            for (size_t i = a + 1; i < b; i++) /* too deep: keep them all */
                keep[i] = 1;
        }
    }
}

/* Curve coordinates: 0.1 pixel is finer than any screen. */
static void pt(out *o, double x, double y)
{
    num(o, fabs(x) < 0.05 ? 0 : x, 1);
    out_putc(o, ',');
    num(o, fabs(y) < 0.05 ? 0 : y, 1);
}

static void curve(out *o, const frame *f, const plot_class *c, const char *colour)
{
    double x[KDE_GRID], y[KDE_GRID];
    char keep[KDE_GRID];
    for (size_t i = 0; i < KDE_GRID; i++) {
        x[i] = fx(f, c->gx[i]);
        y[i] = fy(f, c->gy[i]);
    }
    simplify(x, y, KDE_GRID, 0.05, keep);
    /* The area under the curve, lightly, then the curve. */
    out_str(o, "<path fill=\"");
    out_str(o, colour);
    out_str(o, "\" fill-opacity=\"0.15\" stroke=\"none\" d=\"M");
    pt(o, x[0], f->y1);
    for (size_t i = 0; i < KDE_GRID; i++)
        if (keep[i]) {
            out_str(o, " L");
            pt(o, x[i], y[i]);
        }
    out_str(o, " L");
    pt(o, x[KDE_GRID - 1], f->y1);
    out_str(o, " Z\"/>\n");
    out_str(o, "<polyline fill=\"none\" stroke=\"");
    out_str(o, colour);
    out_str(o, "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
    for (size_t i = 0, first = 1; i < KDE_GRID; i++)
        if (keep[i]) {
            if (!first)
                out_putc(o, ' ');
            first = 0;
            pt(o, x[i], y[i]);
        }
    out_str(o, "\"/>\n");
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
    at(o, "text", (f.x0 + f.x1) / 2, oy + MT - 12);
    out_str(o, " text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">");
    esc(o, pa->column);
    out_str(o, "</text>\n");
    rect(o, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, "fill=\"#fafafa\" stroke=\"none\"");
    /* Horizontal grid lines at the density ticks. */
    for (int i = 0; i < ny; i++)
        line(o, f.x0, fy(&f, yt[i]), f.x1, fy(&f, yt[i]), "stroke=\"#e4e4e4\"");
    /* The band between "different" (up to 49) and "same" (from 51). */
    if (has_band(p, pa)) {
        double a = fx(&f, 49), b = fx(&f, 51);
        rect(o, a, f.y0, b - a, f.y1 - f.y0, "fill=\"#888\" fill-opacity=\"0.35\"");
        line(o, fx(&f, 50), f.y0, fx(&f, 50), f.y1,
             "stroke=\"#555\" stroke-width=\"1\" stroke-dasharray=\"4 3\"");
        at(o, "text", a - 3, f.y0 + 13);
        out_str(o, " text-anchor=\"end\" font-size=\"11\" fill=\"#444\">49</text>\n");
        at(o, "text", b + 3, f.y0 + 13);
        out_str(o, " font-size=\"11\" fill=\"#444\">51</text>\n");
    }
    /* Different first, then same on top, as the article draws them. */
    curve(o, &f, &pa->cls[1], COLOUR[1]);
    curve(o, &f, &pa->cls[0], COLOUR[0]);
    /* Axes box, ticks, labels. */
    rect(o, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, "fill=\"none\" stroke=\"#333\"");
    for (int i = 0; i < nx; i++) {
        double x = fx(&f, xt[i]);
        line(o, x, f.y1, x, f.y1 + 5, "stroke=\"#333\"");
        at(o, "text", x, f.y1 + 19);
        out_str(o, " text-anchor=\"middle\">");
        label_num(o, xt[i], xd);
        out_str(o, "</text>\n");
    }
    for (int i = 0; i < ny; i++) {
        double y = fy(&f, yt[i]);
        line(o, f.x0 - 5, y, f.x0, y, "stroke=\"#333\"");
        at(o, "text", f.x0 - 8, y + 4);
        out_str(o, " text-anchor=\"end\">");
        label_num(o, yt[i], yd);
        out_str(o, "</text>\n");
    }
    at(o, "text", (f.x0 + f.x1) / 2, f.y1 + 40);
    out_str(o, " text-anchor=\"middle\" font-size=\"13\">");
    if (plot_is_confidence(pa->column))
        out_str(o, "confidence (%)");
    else
        esc(o, pa->column);
    out_str(o, "</text>\n");
    double ly = (f.y0 + f.y1) / 2;
    out_str(o, "<text transform=\"translate(");
    px(o, ox + 16);
    out_putc(o, ',');
    px(o, ly);
    out_str(o, ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">density</text>\n");
    out_str(o, "</g>\n");
}

/* An estimate of a text's width at 13 px (DejaVu Sans averages 0.58 em). */
static double text_w(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return 7.6 * (double)n;
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
        iw[c] = 36 + text_w(p->label[c]) + text_w(text[c]);
    }
    if (band) {
        snprintf(text[2], sizeof text[2], "%s", BAND_TEXT);
        iw[2] = 20 + text_w(text[2]);
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

    out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    num(o, w, 0);
    out_str(o, "\" height=\"");
    num(o, h, 0);
    out_str(o, "\" viewBox=\"0 0 ");
    num(o, w, 0);
    out_putc(o, ' ');
    num(o, h, 0);
    out_str(o, "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
               "font-size=\"12\" fill=\"#222\">\n");
    /* the title, whole: the class column's name may be of any length */
    const char *what = all_conf ? "Density of the confidence, by " : "Density of the values, by ";
    out_str(o, "<title>");
    out_str(o, what);
    esc(o, p->class_col);
    out_str(o, "</title>\n<desc>Gaussian kernel density estimates (Scott's bandwidth, as "
               "pandas' plot.kde), drawn by confplot (distconf).</desc>\n");
    rect(o, 0, 0, w, h, "fill=\"#ffffff\"");

    at(o, "text", PAD, 30);
    out_str(o, " font-size=\"18\" font-weight=\"bold\">");
    out_str(o, what);
    esc(o, p->class_col);
    out_str(o, "</text>\n");
    /* Legend: the two classes with their sizes, and the band. */
    for (int c = 0; c < 2; c++) {
        char attrs[64];
        snprintf(attrs, sizeof attrs, "stroke-width=\"3\" stroke=\"%s\"", COLOUR[c]);
        line(o, ix[c], iy[c] - 4, ix[c] + 28, iy[c] - 4, attrs);
        at(o, "text", ix[c] + 36, iy[c]);
        out_str(o, " font-size=\"13\">");
        esc(o, p->label[c]);
        out_str(o, text[c]);
        out_str(o, "</text>\n");
    }
    if (band) {
        rect(o, ix[2], iy[2] - 13, 12, 14, "fill=\"#888\" fill-opacity=\"0.35\"");
        at(o, "text", ix[2] + 20, iy[2]);
        out_str(o, " font-size=\"13\">");
        out_str(o, text[2]);
        out_str(o, "</text>\n");
    }
    for (size_t i = 0; i < p->npanels; i++)
        panel(p, &p->panels[i], o, PAD + (double)(i % PER_ROW) * pw,
              head + (double)(i / PER_ROW) * PH, pw);
    out_str(o, "</svg>\n");
}
