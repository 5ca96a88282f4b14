/* plot_eval: confeval's tables read back (--roc's, --reliability's), the
 * normal quantile, the EER, the DET chart's axis, --det's table. */
#include "plot/plot_eval.h"

#include "common/diag.h"
#include "common/name.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double plot_probit(double p)
{
    if (!(p >= 0 && p <= 1))
        return NAN;
    if (p == 0)
        return -INFINITY;
    if (p == 1)
        return INFINITY;
    if (p > 0.5) /* 1 - p is exact there: the upper tail by symmetry */
        return -plot_probit(1 - p);
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    /* One step of Halley's method on Phi(x) - p (Acklam's refinement). */
    double e = 0.5 * erfc(-x / sqrt(2)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

/* The header must hold these columns: the table's signature. */
static const char *const DET_COLS[] = {"column", "threshold", "fmr", "fnmr",
                                       "fm",     "n_diff",    "fnm", "n_same"};
static const char *const REL_COLS[] = {"column",      "bin",        "lo",       "hi",
                                       "n",           "predicted",  "observed", "observed_k",
                                       "observed_lo", "observed_hi"};

static void require(const tsv_reader *r, const char *const *cols, size_t n, size_t *at,
                    const char *what)
{
    for (size_t i = 0; i < n; i++) {
        long c = tsv_col(r, cols[i]);
        if (c < 0)
            tsv_die_header(r, "not the table of %s: no column '%s' (columns: %s)", what,
                           cols[i], tsv_col_list(r));
        at[i] = (size_t)c;
    }
}

static int is_na(const tsv_field *f)
{
    return f->n == 2 && memcmp(f->p, "NA", 2) == 0;
}

/* A share of pairs, 0 to 1 (a rounding error's 1e-9 beyond is held at the
 * bound), or NA (NaN). */
static double share(const tsv_reader *r, size_t col)
{
    if (is_na(&r->f[col]))
        return NAN;
    double v = tsv_number(r, col);
    if (!(v >= -1e-9 && v <= 1 + 1e-9)) {
        char q[DIAG_QUOTE_MAX];
        die_at(r->name, r->line, "column '%s' is not a rate from 0 to 1 ('%s')",
               name_q(r->cols[col]), diag_quote(q, sizeof q, r->f[col].p, r->f[col].n));
    }
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The names as the stream's error messages list them. */
static void no_such(const tsv_reader *r, const char *name, char *const *have, size_t n,
                    size_t stride)
{
    char list[1024] = "";
    for (size_t i = 0; i < n; i++)
        name_list_add(list, sizeof list, *(char *const *)((const char *)have + i * stride));
    const char *stream = tsv_stream_name(r);
    die("%s%sno column '%s' in the table (columns: %s)", stream ? stream : "",
        stream ? ": " : "", name_q(name), list);
}

/* The item of (items, n, size) whose name (its first member, a char *) is
 * f's, else a new one at the end, zeroed, named. */
static void *find_or_add(void **items, size_t *n, size_t size, const tsv_field *f)
{
    char *base = *items;
    for (size_t i = *n; i-- > 0;) {
        const char *name = *(char **)(base + i * size);
        if (strlen(name) == f->n && memcmp(name, f->p, f->n) == 0)
            return base + i * size;
    }
    base = xreallocarray(base, *n + 1, size);
    *items = base;
    char *it = base + (*n)++ * size;
    memset(it, 0, size);
    *(char **)it = xstrndup(f->p, f->n);
    return it;
}

/* Keep the items named names[0..nnames) (when given), in that order, each
 * found; the others are freed (free_item). */
static void select_items(const tsv_reader *r, void *items, size_t *n, size_t size,
                         const char *const *names, size_t nnames, void (*free_item)(void *))
{
    if (nnames == 0)
        return;
    char *base = items;
    for (size_t i = 0; i < nnames; i++) {
        size_t j = i;
        while (j < *n && strcmp(*(char **)(base + j * size), names[i]) != 0)
            j++;
        if (j == *n)
            no_such(r, names[i], items, *n, size);
        if (j != i) { /* swap i and j */
            char tmp[256];
            memcpy(tmp, base + i * size, size);
            memcpy(base + i * size, base + j * size, size);
            memcpy(base + j * size, tmp, size);
        }
    }
    for (size_t i = nnames; i < *n; i++)
        free_item(base + i * size);
    *n = nnames;
}

/* select_items()'s swap goes through a buffer of 256 bytes. */
_Static_assert(sizeof(det_curve) <= 256 && sizeof(rel_panel) <= 256, "select_items()'s buffer");

static void curve_free(void *p)
{
    det_curve *c = p;
    for (size_t j = 0; j < c->n; j++)
        free(c->threshold[j]);
    free(c->threshold);
    free(c->pt);
    free(c->column);
}

static void abandon_det(void *d)
{
    det_free(d);
}

det *det_read(tsv_reader *r, const char *const *names, size_t nnames)
{
    enum { COLUMN, THRESHOLD, FMR, FNMR };
    size_t at[sizeof DET_COLS / sizeof *DET_COLS];
    require(r, DET_COLS, sizeof DET_COLS / sizeof *DET_COLS, at, "confeval --roc");
    det *d = xcalloc(1, sizeof *d);
    diag_on_error(abandon_det, d); /* nothing left behind by an error */
    while (tsv_next(r)) {
        const tsv_field *name = &r->f[at[COLUMN]];
        det_curve *c = find_or_add((void **)&d->c, &d->n, sizeof *d->c, name);
        det_point p = {share(r, at[FMR]), share(r, at[FNMR])};
        if (c->n) {
            const det_point *q = &c->pt[c->n - 1];
            const char *what = p.fmr < q->fmr     ? "fmr falls"
                               : p.fnmr > q->fnmr ? "fnmr rises"
                                                  : 0;
            if (what)
                die_at(r->name, r->line,
                       "column '%s': %s from the row before: not one curve in confeval "
                       "--roc's order (two tables in one stream?)",
                       name_q(c->column), what);
        }
        if (c->n == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 64;
            c->pt = xreallocarray(c->pt, c->cap, sizeof *c->pt);
            c->threshold = xreallocarray(c->threshold, c->cap, sizeof *c->threshold);
        }
        const tsv_field *t = &r->f[at[THRESHOLD]];
        c->threshold[c->n] = xstrndup(t->p, t->n);
        c->pt[c->n++] = p;
    }
    if (r->rows == 0)
        tsv_die_header(r, "the table has no rows: no curve to draw");
    select_items(r, d->c, &d->n, sizeof *d->c, names, nnames, curve_free);
    for (size_t i = 0; i < d->n; i++) {
        det_curve *c = &d->c[i];
        double best = INFINITY;
        c->eer = c->n;
        for (size_t j = 0; j < c->n; j++) {
            const det_point *p = &c->pt[j];
            c->placed += p->fmr > 0 && p->fmr < 1 && p->fnmr > 0 && p->fnmr < 1;
            if (fabs(p->fmr - p->fnmr) < best)
                best = fabs(p->fmr - p->fnmr), c->eer = j;
        }
    }
    diag_forget_error(abandon_det, d);
    return d;
}

void det_free(det *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        curve_free(&d->c[i]);
    free(d->c);
    free(d);
}

double det_eer(const det_curve *c)
{
    return c->eer < c->n ? (c->pt[c->eer].fmr + c->pt[c->eer].fnmr) / 2 : NAN;
}

static void put_shown(out *o, const char *s)
{
    char *shown = name_show(s, strlen(s));
    out_str(o, shown);
    free(shown);
}

static void put_rate(out *o, double x, int prec)
{
    if (x != x) {
        out_str(o, "NA");
        return;
    }
    char *d = out_reserve(o, NUM_FMT_MAX);
    out_commit(o, num_fmt_fixed(d, x, prec));
}

void det_table(const det *d, out *o, int prec)
{
    out_str(o, "column\tpoints\tdrawn\teer\tfmr\tfnmr\tthreshold\n");
    for (size_t i = 0; i < d->n; i++) {
        const det_curve *c = &d->c[i];
        char n[64];
        snprintf(n, sizeof n, "\t%zu\t%zu\t", c->n, c->placed);
        put_shown(o, c->column);
        out_str(o, n);
        put_rate(o, det_eer(c), prec);
        int has = c->eer < c->n;
        out_putc(o, '\t');
        put_rate(o, has ? c->pt[c->eer].fmr : NAN, prec);
        out_putc(o, '\t');
        put_rate(o, has ? c->pt[c->eer].fnmr : NAN, prec);
        out_putc(o, '\t');
        if (has)
            put_shown(o, c->threshold[c->eer]);
        else
            out_str(o, "NA");
        out_putc(o, '\n');
    }
}

/* The ticks of the literature's DET charts, symmetric about 50%: the
 * decades below 1%, then 5, 10, 20, 40, and their complements. */
static int all_ticks(double *t)
{
    static const double mid[] = {0.05, 0.1, 0.2, 0.4};
    int n = 0;
    for (int e = -9; e <= -2; e++)
        t[n++] = pow(10, e);
    for (size_t i = 0; i < sizeof mid / sizeof *mid; i++)
        t[n++] = mid[i];
    for (int i = n - 1; i >= 0; i--)
        t[n + (n - 1 - i)] = 1 - t[i];
    return 2 * n;
}

int det_axis(const det *d, double *ticks, double *lo, double *hi)
{
    double t[PLOT_DET_TICKS];
    int nt = all_ticks(t);
    double min = INFINITY, max = -INFINITY;
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < d->c[i].n; j++) {
            const det_point *p = &d->c[i].pt[j];
            if (p->fmr > 0 && p->fmr < 1 && p->fnmr > 0 && p->fnmr < 1) {
                min = fmin(min, fmin(p->fmr, p->fnmr));
                max = fmax(max, fmax(p->fmr, p->fnmr));
            }
        }
    int a, b; /* the ticks at lo and hi */
    if (min > max) {
        min = 0.001;
        max = 0.4;
    }
    for (a = nt - 1; a > 0 && t[a] > min; a--)
        ;
    for (b = 0; b < nt - 1 && t[b] < max; b++)
        ;
    /* at least four ticks: widen, above first */
    for (int k = 0; b - a < 3; k++) {
        if ((k % 2 == 0 && b < nt - 1) || a == 0)
            b++;
        else
            a--;
    }
    *lo = t[a];
    *hi = t[b];
    for (int i = a; i <= b; i++)
        ticks[i - a] = t[i];
    return b - a + 1;
}

void det_label(char *buf, size_t cap, double p)
{
    /* the decimals the tick needs, never an exponent: 0.0000001% */
    double v = p * 100;
    int dec = 0;
    while (dec < 12 && fabs(round(v * pow(10, dec)) / pow(10, dec) - v) > 1e-9 * v)
        dec++;
    snprintf(buf, cap, "%.*f%%", dec, v);
}

static void panel_free(void *q)
{
    rel_panel *p = q;
    free(p->b);
    free(p->column);
}

static void abandon_rel(void *l)
{
    rel_free(l);
}

rel *rel_read(tsv_reader *r, const char *const *names, size_t nnames)
{
    enum { COLUMN, BIN, LO, HI, N, PREDICTED, OBSERVED, OBSERVED_K, OBSERVED_LO, OBSERVED_HI };
    size_t at[sizeof REL_COLS / sizeof *REL_COLS];
    require(r, REL_COLS, sizeof REL_COLS / sizeof *REL_COLS, at, "confeval --reliability");
    rel *l = xcalloc(1, sizeof *l);
    diag_on_error(abandon_rel, l);
    while (tsv_next(r)) {
        const tsv_field *name = &r->f[at[COLUMN]];
        rel_panel *p = find_or_add((void **)&l->p, &l->n, sizeof *l->p, name);
        double bin = tsv_number(r, at[BIN]), n = tsv_number(r, at[N]);
        if (p->any && !(bin > p->last))
            die_at(r->name, r->line,
                   "column '%s': bin %g after bin %g: not one column in confeval "
                   "--reliability's order (two tables in one stream?)",
                   name_q(p->column), bin, p->last);
        if (!(n >= 0 && n == floor(n) && n < 1e18)) {
            char q[DIAG_QUOTE_MAX];
            die_at(r->name, r->line, "column 'n' is not a count of pairs ('%s')",
                   diag_quote(q, sizeof q, r->f[at[N]].p, r->f[at[N]].n));
        }
        p->any = 1;
        p->last = bin;
        if (n == 0)
            continue;
        rel_bin b = {bin,
                     share(r, at[PREDICTED]),
                     share(r, at[OBSERVED]),
                     share(r, at[OBSERVED_LO]),
                     share(r, at[OBSERVED_HI]),
                     (uint64_t)n};
        if (b.predicted != b.predicted || b.observed != b.observed)
            continue; /* NA: nothing to place */
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 16;
            p->b = xreallocarray(p->b, p->cap, sizeof *p->b);
        }
        p->b[p->n++] = b;
        p->rows += b.n;
    }
    if (r->rows == 0)
        tsv_die_header(r, "the table has no rows: nothing to draw");
    select_items(r, l->p, &l->n, sizeof *l->p, names, nnames, panel_free);
    diag_forget_error(abandon_rel, l);
    return l;
}

void rel_free(rel *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        panel_free(&l->p[i]);
    free(l->p);
    free(l);
}
