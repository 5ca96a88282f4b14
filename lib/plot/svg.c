/* svg: the SVG primitives confplot's figures share. */
#include "plot/svg.h"

#include "common/name.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void svg_open(out *o, double w, double h)
{
    out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    svg_num(o, w, 0);
    out_str(o, "\" height=\"");
    svg_num(o, h, 0);
    out_str(o, "\" viewBox=\"0 0 ");
    svg_num(o, w, 0);
    out_putc(o, ' ');
    svg_num(o, h, 0);
    out_str(o, "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
               "font-size=\"12\" fill=\"#222\">\n");
}

void svg_num(out *o, double x, int prec)
{
    char *d = out_reserve(o, NUM_FMT_MAX);
    size_t n = num_fmt_fixed(d, x, prec);
    if (n == 2 && d[0] == '-' && d[1] == '0') /* "-0" */
        d[0] = '0', n = 1;
    out_commit(o, n);
}

/* Coordinates: 2 decimals, "-0.00" written as "0". */
void svg_px(out *o, double x)
{
    if (fabs(x) < 0.005)
        x = 0;
    svg_num(o, x, 2);
}

/* A tick label: U+2212 for the minus sign, as typesetters (and matplotlib)
 * write it. */
void svg_label_num(out *o, double x, int prec)
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
void svg_esc(out *o, const char *s)
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
void svg_at(out *o, const char *tag, double x, double y)
{
    out_putc(o, '<');
    out_str(o, tag);
    out_str(o, " x=\"");
    svg_px(o, x);
    out_str(o, "\" y=\"");
    svg_px(o, y);
    out_str(o, "\"");
}

void svg_line(out *o, double x1, double y1, double x2, double y2, const char *attrs)
{
    out_str(o, "<line x1=\"");
    svg_px(o, x1);
    out_str(o, "\" y1=\"");
    svg_px(o, y1);
    out_str(o, "\" x2=\"");
    svg_px(o, x2);
    out_str(o, "\" y2=\"");
    svg_px(o, y2);
    out_str(o, "\" ");
    out_str(o, attrs);
    out_str(o, "/>\n");
}

void svg_rect(out *o, double x, double y, double w, double h, const char *attrs)
{
    svg_at(o, "rect", x, y);
    out_str(o, " width=\"");
    svg_px(o, w);
    out_str(o, "\" height=\"");
    svg_px(o, h);
    out_str(o, "\" ");
    out_str(o, attrs);
    out_str(o, "/>\n");
}

/* Ramer-Douglas-Peucker: keep[] marks the points of (x, y)[0..n) that a
 * polyline needs to stay within tol pixels of all of them. */
void svg_simplify(const double *x, const double *y, size_t n, double tol, char *keep)
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
void svg_pt(out *o, double x, double y)
{
    svg_num(o, fabs(x) < 0.05 ? 0 : x, 1);
    out_putc(o, ',');
    svg_num(o, fabs(y) < 0.05 ? 0 : y, 1);
}

/* An estimate of a text's width at 13 px (DejaVu Sans averages 0.58 em). */
double svg_text_w(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return 7.6 * (double)n;
}

void svg_polyline(out *o, const double *x, const double *y, const char *keep, size_t n,
                  const char *colour)
{
    out_str(o, "<polyline fill=\"none\" stroke=\"");
    out_str(o, colour);
    out_str(o, "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
    for (size_t i = 0, first = 1; i < n; i++)
        if (keep[i]) {
            if (!first)
                out_putc(o, ' ');
            first = 0;
            svg_pt(o, x[i], y[i]);
        }
    out_str(o, "\"/>\n");
}
