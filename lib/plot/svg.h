/* svg: what confplot's SVG figures share (plot_svg.c, plot_eval_svg.c):
 * the document's opening, numbers and coordinates as they are written,
 * text escaped to valid XML 1.0 whatever its bytes, and the few elements
 * drawn.  Coordinates are in pixels, y down.
 *
 *   svg_open(o, w, h);                     the XML declaration and <svg>
 *   svg_line(o, x1, y1, x2, y2, "stroke=\"#333\"");
 *   svg_at(o, "text", x, y); out_str(o, ">"); svg_esc(o, name); ...
 *   out_str(o, "</svg>\n"); */
#ifndef SVG_H
#define SVG_H

#include "stream/out.h"

#include <stddef.h>

/* The XML declaration and the <svg> element of a w x h figure (its
 * font, size and text colour); the caller ends it with "</svg>\n". */
void svg_open(out *o, double w, double h);
/* x with prec decimals, "-0" written as "0". */
void svg_num(out *o, double x, int prec);
/* A coordinate: 2 decimals, "-0.00" written as "0". */
void svg_px(out *o, double x);
/* A polyline's point "X,Y", 1 decimal each: 0.1 pixel is finer than any
 * screen. */
void svg_pt(out *o, double x, double y);
/* A tick label: x with prec decimals, U+2212 for the minus sign. */
void svg_label_num(out *o, double x, int prec);
/* Text: the markup characters as entities; a character XML 1.0 forbids, a
 * C1 control, DEL and each byte of invalid UTF-8 as '?' (name_show). */
void svg_esc(out *o, const char *s);
/* "<tag x="X" y="Y"": the caller writes the rest of the element. */
void svg_at(out *o, const char *tag, double x, double y);
/* A whole <line/> and <rect/>, with attrs (other attributes) as given. */
void svg_line(out *o, double x1, double y1, double x2, double y2, const char *attrs);
void svg_rect(out *o, double x, double y, double w, double h, const char *attrs);
/* Ramer-Douglas-Peucker: keep[] marks the points of (x, y)[0..n) (n >= 2)
 * that a polyline needs to stay within tol pixels of all of them. */
void svg_simplify(const double *x, const double *y, size_t n, double tol, char *keep);
/* A curve of width 2 in `colour`: a polyline through the points of
 * (x, y)[0..n) that keep[] marks. */
void svg_polyline(out *o, const double *x, const double *y, const char *keep, size_t n,
                  const char *colour);
/* An estimate of a UTF-8 text's width at 13 px (DejaVu Sans averages
 * 0.58 em). */
double svg_text_w(const char *s);

#endif
