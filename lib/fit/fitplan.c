/* fitplan: columns, thresholds, the rows in memory and the fit of each
 * column.  See fitplan.h. */
#include "fit/fitplan.h"
#include "common/diag.h"
#include "common/name.h"
#include "stream/tsv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FROM_NONE, FROM_GIVEN, FROM_MODEL, FROM_TUNED };

/* One distance column: where it is, its values, its threshold. */
typedef struct column {
    const char *name;
    size_t idx;
    double *d;
    int from;
    double threshold;
} column;

struct fitplan {
    fitplan_opts o;
    tsv_reader *r;
    column *cols;
    size_t ncols;
    long same_col; /* or -1 */
    int tune;      /* some threshold is tuned */
    int want_same; /* read `same` */
    model md;
};

static const char *column_list(const column *c, size_t n)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        name_list_add(buf, sizeof buf, c[i].name);
    return buf;
}

static void add_column(fitplan *p, size_t idx)
{
    /* the name becomes a key of the model, and confmap's column NAME_confidence */
    const char *name = p->r->cols[idx];
    const char *why = name_check(NAME_COLUMN, name, strlen(name));
    if (why) {
        char q[DIAG_QUOTE_MAX];
        tsv_die_header(p->r, "column name %s ('%s')", why, diag_quote(q, sizeof q, name, strlen(name)));
    }
    p->cols = xreallocarray(p->cols, p->ncols + 1, sizeof *p->cols);
    p->cols[p->ncols++] = (column){.name = p->r->cols[idx], .idx = idx};
}

/* The columns: the list's in its order, or every metric column in the
 * stream's order. */
static void choose_columns(fitplan *p, fitplan_problem *pb)
{
    tsv_reader *r = p->r;
    if (p->o.ndistances > 0) {
        for (size_t i = 0; i < p->o.ndistances; i++)
            add_column(p, tsv_require_col(r, p->o.distances[i]));
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            if (metric_find(r->cols[i]) < 0)
                continue;
            tsv_col(r, r->cols[i]); /* a column named twice is an error */
            add_column(p, i);
        }
        if (p->ncols == 0)
            pb->status = FITPLAN_NO_COLUMN;
    }
}

/* Thresholds: -t COL=T, else -t T, else the model's, else tuned. */
static void resolve_thresholds(fitplan *p, fitplan_problem *pb)
{
    static const thrarg none;
    const thrarg *th = p->o.th ? p->o.th : &none;
    const deepface_model *dm = p->o.dm;
    for (size_t i = 0; i < th->n; i++) {
        size_t j = 0;
        while (j < p->ncols && strcmp(p->cols[j].name, th->names[i]) != 0)
            j++;
        if (j == p->ncols) {
            *pb = (fitplan_problem){FITPLAN_THRESHOLD_NOT_COLUMN, th->names[i],
                                    column_list(p->cols, p->ncols)};
            return;
        }
    }
    for (size_t j = 0; j < p->ncols; j++) {
        column *cl = &p->cols[j];
        if (thrarg_get(th, cl->name, &cl->threshold))
            cl->from = FROM_GIVEN;
        if (!cl->from && dm) {
            int mi = metric_find(cl->name);
            if (mi < 0) {
                *pb = (fitplan_problem){FITPLAN_MODEL_NO_THRESHOLD, cl->name,
                                        column_list(p->cols, p->ncols)};
                return;
            }
            cl->from = FROM_MODEL;
            cl->threshold = dm->threshold[mi];
        }
        if (!cl->from) {
            if (p->same_col < 0) {
                *pb = (fitplan_problem){FITPLAN_NO_THRESHOLD, cl->name, NULL};
                return;
            }
            cl->from = FROM_TUNED;
            p->tune = 1;
        }
    }
}

const tsv_reader *fitplan_reader(const fitplan *p) { return p->r; }

fitplan *fitplan_open(const fitplan_opts *o, fitplan_problem *pb)
{
    *pb = (fitplan_problem){FITPLAN_OK, NULL, NULL};
    fitplan *p = xcalloc(1, sizeof *p);
    p->o = *o;
    p->r = tsv_open(o->paths, o->npaths);
    choose_columns(p, pb);
    if (pb->status)
        return p;
    p->same_col = tsv_col(p->r, "same");
    resolve_thresholds(p, pb);
    if (pb->status)
        return p;
    if (o->truth && p->same_col < 0) {
        pb->status = FITPLAN_TRUTH_NO_SAME;
        return p;
    }
    p->want_same = p->same_col >= 0 && (p->tune || o->truth || o->report);
    return p;
}

/* Every row into the columns' arrays (and *same); the row count. */
static size_t read_rows(fitplan *p, unsigned char **same_out)
{
    tsv_reader *r = p->r;
    column *cols = p->cols;
    size_t ncols = p->ncols, n = 0, cap = 0;
    int want_same = p->want_same;
    size_t same_col = (size_t)p->same_col;
    unsigned char *same = NULL;
    while (tsv_next(r)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            for (size_t j = 0; j < ncols; j++)
                cols[j].d = xreallocarray(cols[j].d, cap, sizeof *cols[j].d);
            if (want_same)
                same = xrealloc(same, cap);
        }
        for (size_t j = 0; j < ncols; j++)
            cols[j].d[n] = tsv_number(r, cols[j].idx);
        if (want_same)
            same[n] = (unsigned char)tsv_truth(r, same_col);
        n++;
    }
    *same_out = same;
    return n;
}

const model *fitplan_fit(fitplan *p)
{
    const fitplan_opts *o = &p->o;
    unsigned char *same;
    size_t n = read_rows(p, &same);
    const char *name = p->r->name; /* the last input's */
    if (n < 2)
        die("%s: a fit needs at least 2 rows (found %zu)", name, n);

    unsigned char *ybuf = o->truth ? NULL : xmalloc(n);
    double *scratch =
        p->tune || (o->report && p->want_same) ? xmalloc(n * sizeof *scratch) : NULL;
    model *md = &p->md;
    const char *em = tsv_preamble_get(p->r, "model");
    if (em && *em)
        md->embedding_model = xstrdup(em);
    md->n = p->ncols;
    md->m = xcalloc(p->ncols, sizeof *md->m);
    for (size_t j = 0; j < p->ncols; j++) {
        column *cl = &p->cols[j];
        uint64_t correct = 0;
        if (cl->from == FROM_TUNED)
            cl->threshold = measure_tune_threshold(cl->d, same, n, scratch, &correct);
        fit_input in = {
            .file = name,
            .name = cl->name,
            .d = cl->d,
            .n = n,
            .same = p->want_same ? same : NULL,
            .threshold = cl->threshold,
            .truth = o->truth,
            .C = o->C,
            .report = o->report != NULL,
            .ybuf = ybuf,
        };
        fit_outcome res;
        model_metric *m = &md->m[j];
        fit_column(&in, m, &res);
        snprintf(m->threshold_from, sizeof m->threshold_from, "%s",
                 cl->from == FROM_MODEL   ? o->dm->name
                 : cl->from == FROM_GIVEN ? "given"
                                          : "tuned");
        if (cl->from == FROM_TUNED) {
            m->has_accuracy = 1;
            m->accuracy = (double)correct / (double)n;
        }
        if (o->report) {
            measure_report mr;
            measure_column(&in, m, &res, scratch, &mr);
            o->report(m, &res, &mr);
        }
        free(cl->d);
        cl->d = NULL;
    }
    free(ybuf);
    free(scratch);
    free(same);
    return md;
}

void fitplan_free(fitplan *p)
{
    if (!p)
        return;
    for (size_t j = 0; j < p->ncols; j++)
        free(p->cols[j].d);
    model_clear(&p->md);
    free(p->cols);
    tsv_close(p->r);
    free(p);
}
