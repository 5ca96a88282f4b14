/* plot: reading the stream into per-class samples, the KDEs, the table. */
#include "plot/plot.h"

#include "common/diag.h"
#include "common/name.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CONF_SUFFIX[] = PLOT_CONF_SUFFIX;

int plot_is_confidence(const char *column)
{
    size_t n = strlen(column), s = sizeof CONF_SUFFIX - 1;
    return n >= s && strcmp(column + n - s, CONF_SUFFIX) == 0;
}

static void add_panel(plot *p, const tsv_reader *r, size_t col)
{
    p->panels = xreallocarray(p->panels, p->npanels + 1, sizeof *p->panels);
    plot_panel *pa = &p->panels[p->npanels++];
    memset(pa, 0, sizeof *pa);
    pa->column = r->cols[col];
    pa->col = col;
}

static void find_columns(plot *p, const tsv_reader *r, const char *const *names, size_t n)
{
    if (n == 0) {
        for (size_t i = 0; i < r->ncols; i++)
            if (plot_is_confidence(r->cols[i]))
                add_panel(p, r, (size_t)tsv_col(r, r->cols[i]));
        return;
    }
    for (size_t i = 0; i < n; i++)
        add_panel(p, r, tsv_require_col(r, names[i]));
}

static void push(plot_class *c, double v)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
    }
    c->v[c->n++] = v;
}

/* The class of the current row: 0 for class 1, 1 for class 0. */
static int row_class(const tsv_reader *r, size_t col) { return !tsv_truth(r, col); }

static void fit(plot *p, const char *stream)
{
    char where[4096] = "";
    if (stream)
        snprintf(where, sizeof where, "%s: ", stream);
    for (size_t i = 0; i < p->npanels; i++) {
        plot_panel *pa = &p->panels[i];
        pa->xlo = INFINITY;
        pa->xhi = -INFINITY;
        for (int c = 0; c < 2; c++) {
            plot_class *k = &pa->cls[c];
            const char *cv = c == 0 ? "1" : "0";
            enum kde_status st = kde_fit(&k->k, k->v, k->n);
            if (st == KDE_TOO_FEW)
                die("%sclass %s=%s has %zu row%s: cannot estimate a density (it needs at "
                    "least 2)",
                    where, p->class_col, cv, k->n, k->n == 1 ? "" : "s");
            char lo[NUM_FMT_MAX], hi[NUM_FMT_MAX]; /* the values' range */
            num_fmt_shortest(lo, k->k.min);
            num_fmt_shortest(hi, k->k.max);
            if (st == KDE_NO_SPREAD)
                die("%scolumn '%s', class %s=%s: all %zu values are equal ('%s'): cannot "
                    "estimate a density",
                    where, name_q(pa->column), name_q(p->class_col), cv, k->n, lo);
            if (st == KDE_TOO_WIDE)
                die("%scolumn '%s', class %s=%s: the values are too far apart ('%s' to '%s'): "
                    "cannot estimate a density",
                    where, name_q(pa->column), name_q(p->class_col), cv, lo, hi);
            if (st == KDE_TOO_NARROW)
                die("%scolumn '%s', class %s=%s: the values are too close together ('%s' to "
                    "'%s'): the density would exceed the largest double",
                    where, pa->column, p->class_col, cv, lo, hi);
            kde_grid(&k->k, KDE_GRID, k->gx, k->gy);
            pa->xlo = fmin(pa->xlo, k->gx[0]);
            pa->xhi = fmax(pa->xhi, k->gx[KDE_GRID - 1]);
            for (size_t j = 0; j < KDE_GRID; j++)
                pa->ymax = fmax(pa->ymax, k->gy[j]);
        }
    }
}

static void abandon(void *p) { plot_free(p); }

plot *plot_read(tsv_reader *r, const char *const *names, size_t nnames, const char *class_col)
{
    plot *p = xcalloc(1, sizeof *p);
    diag_on_error(abandon, p); /* nothing left behind by an error */
    p->band = 1;
    p->class_col = class_col;
    size_t ccol = tsv_require_col(r, class_col);
    find_columns(p, r, names, nnames);
    if (p->npanels == 0) { /* the caller words it */
        diag_forget_error(abandon, p);
        plot_free(p);
        return NULL;
    }
    if (strcmp(class_col, "same") == 0) {
        p->label[0] = xstrdup("same");
        p->label[1] = xstrdup("different");
    } else {
        /* shown to a person: control characters and invalid UTF-8 as '?' */
        char *shown = name_show(class_col, strlen(class_col));
        size_t n = strlen(shown) + 3;
        char *a = xmalloc(n), *b = xmalloc(n);
        snprintf(a, n, "%s=1", shown);
        snprintf(b, n, "%s=0", shown);
        free(shown);
        p->label[0] = a;
        p->label[1] = b;
    }
    while (tsv_next(r)) {
        int c = row_class(r, ccol);
        for (size_t i = 0; i < p->npanels; i++)
            push(&p->panels[i].cls[c], tsv_number(r, p->panels[i].col));
    }
    fit(p, tsv_stream_name(r));
    diag_forget_error(abandon, p);
    return p;
}

void plot_free(plot *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npanels; i++)
        for (int c = 0; c < 2; c++) {
            kde_free(&p->panels[i].cls[c].k);
            free(p->panels[i].cls[c].v);
        }
    free(p->panels);
    free((char *)p->label[0]);
    free((char *)p->label[1]);
    free(p);
}

static void put_num(out *o, double x, int prec)
{
    char *d = out_reserve(o, NUM_FMT_MAX);
    out_commit(o, num_fmt_fixed(d, x, prec));
}

/* A name as a person may see it (name_show): the table is printed under the
 * drawing, often to a terminal. */
static void put_shown(out *o, const char *s)
{
    char *shown = name_show(s, strlen(s));
    out_str(o, shown);
    free(shown);
}

void plot_table(const plot *p, out *o, int prec)
{
    out_str(o, "column\t");
    put_shown(o, p->class_col);
    out_str(o, "\tn\tmin\tmean\tmax\tbandwidth\n");
    for (size_t i = 0; i < p->npanels; i++)
        for (int c = 0; c < 2; c++) {
            const kde *k = &p->panels[i].cls[c].k;
            char n[32];
            snprintf(n, sizeof n, "\t%s\t%zu\t", c == 0 ? "1" : "0", k->n);
            put_shown(o, p->panels[i].column);
            out_str(o, n);
            put_num(o, k->min, prec);
            out_putc(o, '\t');
            put_num(o, k->mean, prec);
            out_putc(o, '\t');
            put_num(o, k->max, prec);
            out_putc(o, '\t');
            put_num(o, k->h, prec);
            out_putc(o, '\n');
        }
}

void plot_curves(const plot *p, out *o)
{
    out_str(o, "column\t");
    out_str(o, p->class_col);
    out_str(o, "\tx\tdensity\n");
    for (size_t i = 0; i < p->npanels; i++)
        for (int c = 0; c < 2; c++) {
            const plot_class *k = &p->panels[i].cls[c];
            for (size_t j = 0; j < KDE_GRID; j++) {
                out_str(o, p->panels[i].column);
                char *d = out_reserve(o, 2 * NUM_FMT_MAX + 8);
                size_t n = 0;
                d[n++] = '\t';
                d[n++] = c == 0 ? '1' : '0';
                d[n++] = '\t';
                n += num_fmt_shortest(d + n, k->gx[j]);
                d[n++] = '\t';
                n += num_fmt_shortest(d + n, k->gy[j]);
                d[n++] = '\n';
                out_commit(o, n);
            }
        }
}

int plot_ticks(double lo, double hi, int want, double *ticks, int *decimals)
{
    if (want < 2)
        want = 2;
    double raw = (hi - lo) / want;
    double mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double step = 10 * mag;
    int extra = 0;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i] * mag >= raw) {
            step = steps[i] * mag;
            extra = steps[i] == 2.5;
            break;
        }
    int d = (int)-floor(log10(step) + 1e-9) + extra;
    *decimals = d > 0 ? d : 0;
    int n = 0;
    double k0 = ceil(lo / step - 1e-9);
    for (int i = 0; n < 32; i++) {
        double t = (k0 + i) * step;
        if (t > hi + step * 1e-9)
            break;
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    }
    return n;
}

int plot_xticks(const char *column, double lo, double hi, int want, double *ticks,
                int *decimals)
{
    /* Confidences read best in quarters: 0, 25, 50, 75, 100. */
    if (plot_is_confidence(column) && want >= 4 && hi - lo > 60 && (hi - lo) / 25 <= 2 * want) {
        int n = 0;
        for (double k = ceil(lo / 25); k * 25 <= hi && n < 32; k++)
            ticks[n++] = k * 25 == 0 ? 0 : k * 25;
        *decimals = 0;
        return n;
    }
    return plot_ticks(lo, hi, want, ticks, decimals);
}
