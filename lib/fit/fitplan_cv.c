/* fitplan_cv: logfit --cv, K-fold cross-fitting of each column with each
 * method, from the counts of each fold (see fitplan.h). */
#include "common/arena.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/rng.h"
#include "common/strmap.h"
#include "fit/calib.h"
#include "fit/fitplan.h"
#include "fit/fitplan_impl.h"
#include "fit/measure.h"
#include "stream/num.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The folds of the groups, in order of first appearance: K at a time, in
 * a seeded random order. */
typedef struct dealer {
    rng g;
    size_t k;
    size_t *perm;
    uint64_t dealt;
} dealer;

static size_t deal(dealer *d)
{
    size_t at = (size_t)(d->dealt++ % d->k);
    if (at == 0) {
        for (size_t i = 0; i < d->k; i++)
            d->perm[i] = i;
        for (size_t i = d->k - 1; i > 0; i--) {
            size_t j = (size_t)rng_below(&d->g, i + 1);
            size_t t = d->perm[i];
            d->perm[i] = d->perm[j];
            d->perm[j] = t;
        }
    }
    return d->perm[at];
}

/* The group of the current row: its identity pair, unordered. */
static size_t pair_fold(const tsv_reader *r, size_t ca, size_t cb, strmap *groups, arena *keys,
                        dealer *d)
{
    tsv_field a = r->f[ca], b = r->f[cb];
    int swap = a.n != b.n ? a.n > b.n : memcmp(a.p, b.p, a.n) > 0;
    if (swap) {
        tsv_field t = a;
        a = b;
        b = t;
    }
    char stack[256], *key = a.n + b.n + 1 <= sizeof stack ? stack : xmalloc(a.n + b.n + 1);
    memcpy(key, a.p, a.n);
    key[a.n] = '\t'; /* a tab is in no field */
    memcpy(key + a.n + 1, b.p, b.n);
    size_t len = a.n + b.n + 1;
    uint64_t *slot = strmap_get(groups, key, len);
    if (!slot) {
        int had;
        slot = strmap_put(groups, arena_keep(keys, key, len), len, &had);
        *slot = deal(d);
    }
    if (key != stack)
        free(key);
    return (size_t)*slot;
}

/* Every row into the counts of its column and fold: folds[j * K + f]. */
static void read_folds(fitplan *p, counts *folds, size_t k, uint64_t seed)
{
    tsv_reader *r = p->r;
    long ca = tsv_col(r, "id_a"), cb = tsv_col(r, "id_b");
    int by_pair = ca >= 0 && cb >= 0;
    dealer d = {.k = k, .perm = xreallocarray(NULL, k, sizeof(size_t))};
    rng_seed(&d.g, seed);
    strmap groups;
    arena keys = {0};
    strmap_init(&groups, 1024);
    while (tsv_next(r)) {
        size_t f =
            by_pair ? pair_fold(r, (size_t)ca, (size_t)cb, &groups, &keys, &d) : deal(&d);
        int same = tsv_truth(r, (size_t)p->same_col);
        for (size_t j = 0; j < p->ncols; j++)
            if (counts_add(&folds[j * k + f], tsv_number(r, p->cols[j].idx), 1,
                           (uint64_t)same) != 0)
                die_at(r->name, r->line, "column '%s': more than 2^64 - 1 rows",
                       name_q(p->cols[j].name));
    }
    strmap_free(&groups);
    arena_free(&keys);
    free(d.perm);
}

/* train = all - fold, both ascending by value; returns its length. */
static size_t subtract(const counts_entry *all, size_t ka, const counts_entry *fold, size_t kf,
                       counts_entry *train)
{
    size_t n = 0, i = 0;
    for (size_t t = 0; t < ka; t++) {
        counts_entry e = all[t];
        if (i < kf && fold[i].value == e.value) {
            e.n -= fold[i].n;
            e.n_same -= fold[i++].n_same;
        }
        if (e.n > 0)
            train[n++] = e;
    }
    return n;
}

/* The fit of one method on the training counts of column cl; 0 when the
 * article's fit has one class to fit (all rows on one side of the
 * threshold: fit_column would end the program), else 1. */
static int fit_method(const fitplan *p, const column *cl, model_method method,
                      const counts_entry *e, size_t k, model_metric *m, double *threshold)
{
    memset(m, 0, sizeof *m);
    m->method = method;
    if (method == METHOD_PLATT) {
        fitplan_platt(p->r->name, cl->name, e, k, &m->fit.w, &m->fit.b);
        return 1;
    }
    if (method == METHOD_ISOTONIC) {
        calib_fit_isotonic(e, k, &m->curve);
        return 1;
    }
    if (method == METHOD_VENN_ABERS) {
        calib_fit_venn_abers(e, k, &m->curve);
        return 1;
    }
    /* the article's: its threshold as the plan resolved it, tuned on the
     * training folds when tuned */
    double t = cl->threshold;
    if (cl->from == FROM_TUNED) {
        uint64_t correct;
        t = measure_tune_threshold(e, k, &correct);
    }
    *threshold = t;
    uint64_t rows = 0, y1 = 0;
    for (size_t i = 0; i < k; i++) {
        rows += e[i].n;
        y1 += p->o.truth ? e[i].n_same : e[i].value <= t ? e[i].n : 0;
    }
    if (y1 == 0 || y1 == rows)
        return 0;
    points pt;
    fitplan_make_points(&pt, e, k, p->o.truth);
    fit_input in = {
        .file = p->r->name,
        .name = cl->name,
        .d = pt.d,
        .wgt = pt.w,
        .n = pt.n,
        .same = p->o.truth ? pt.y : NULL,
        .threshold = t,
        .truth = p->o.truth,
        .C = p->o.C,
        .ybuf = pt.y,
    };
    fit_outcome res;
    fit_column(&in, m, &res);
    free(m->name);
    m->name = NULL;
    fitplan_free_points(&pt);
    return 1;
}

static void put_number(out *o, double v)
{
    char buf[NUM_FMT_MAX];
    out_putc(o, '\t');
    if (v != v) {
        out_write(o, "NA", 2);
        return;
    }
    out_write(o, buf, num_fmt_fixed(buf, v, 6));
}

static void write_row(out *o, const char *col_name, const char *method, size_t k,
                      const measure_calib *c, int has_width)
{
    char buf[64];
    out_write(o, col_name, strlen(col_name));
    out_putc(o, '\t');
    out_write(o, method, strlen(method));
    int n = snprintf(buf, sizeof buf, "\t%zu\t%" PRIu64 "\t%" PRIu64, k, c->n, c->n_same);
    out_write(o, buf, (size_t)n);
    put_number(o, c->ece);
    put_number(o, c->ece_lo);
    put_number(o, c->ece_hi);
    n = snprintf(buf, sizeof buf, "\t%d", c->ece_bins);
    out_write(o, buf, (size_t)n);
    put_number(o, c->ece_mass);
    n = snprintf(buf, sizeof buf, "\t%d", c->ece_mass_bins);
    out_write(o, buf, (size_t)n);
    put_number(o, c->brier);
    put_number(o, c->log_loss);
    put_number(o, c->auc);
    put_number(o, has_width ? c->width : (double)NAN);
    out_putc(o, '\n');
}

static const char cv_header[] =
    "column\tmethod\tfolds\tn\tn_same\tece\tece_lo\tece_hi\tece_bins\t"
    "ece_mass\tece_mass_bins\tbrier\tlog_loss\tauc\twidth\n";

void fitplan_cv(fitplan *p, out *o)
{
    const fitplan_cv_opts *cv = p->o.cv;
    size_t k = cv->folds, nm = cv->nmethods;
    counts *folds = xcalloc(p->ncols * k, sizeof *folds);
    for (size_t i = 0; i < p->ncols * k; i++)
        counts_init(&folds[i]);
    read_folds(p, folds, k, cv->seed);
    out_write(o, cv_header, sizeof cv_header - 1);
    measure_scores *acc = xcalloc(nm, sizeof *acc);
    for (size_t j = 0; j < p->ncols; j++) {
        column *cl = &p->cols[j];
        counts all;
        counts_init(&all);
        for (size_t f = 0; f < k; f++)
            counts_merge(&all, &folds[j * k + f]);
        size_t ka;
        const counts_entry *ea = counts_sorted(&all, &ka);
        if (ka == 0)
            die("%s: column '%s': no rows to cross-fit", p->r->name, name_q(cl->name));
        counts_entry *train = xreallocarray(NULL, ka ? ka : 1, sizeof *train);
        unsigned char *failed = xcalloc(nm, 1);
        for (size_t f = 0; f < k; f++) {
            size_t kf;
            const counts_entry *ef = counts_sorted(&folds[j * k + f], &kf);
            if (kf == 0)
                continue;
            size_t kt = subtract(ea, ka, ef, kf, train);
            if (kt == 0)
                die("%s: column '%s': every row is in one fold: --cv needs rows of at least 2 "
                    "groups (identity pairs, or rows)",
                    p->r->name, name_q(cl->name));
            for (size_t mi = 0; mi < nm; mi++) {
                model_metric m;
                double thr = 0;
                if (failed[mi])
                    continue;
                if (!fit_method(p, cl, cv->methods[mi], train, kt, &m, &thr)) {
                    char tb[NUM_FMT_MAX];
                    num_fmt_shortest(tb, thr);
                    warnx_("%s: column '%s': the article's fit has one class to fit in a "
                           "training fold (%s at threshold %s): its measures are NA",
                           p->r->name, name_q(cl->name),
                           p->o.truth ? "same" : "every distance on one side", tb);
                    failed[mi] = 1;
                    continue;
                }
                for (size_t t = 0; t < kf; t++) {
                    double lo, hi, q = measure_probability(&m, ef[t].value, &lo, &hi);
                    measure_scores_add(&acc[mi], q, hi - lo, ef[t].n_same,
                                       ef[t].n - ef[t].n_same);
                }
                calib_curve_free(&m.curve);
            }
            counts_free(&folds[j * k + f]);
        }
        for (size_t mi = 0; mi < nm; mi++) {
            measure_calib c;
            measure_scores_finish(&acc[mi], cv->seed, cv->boot, &c);
            if (failed[mi])
                c = (measure_calib){.n = all.rows,
                                    .n_same = all.rows_same,
                                    .ece = NAN,
                                    .ece_lo = NAN,
                                    .ece_hi = NAN,
                                    .ece_mass = NAN,
                                    .brier = NAN,
                                    .log_loss = NAN,
                                    .auc = NAN};
            write_row(o, cl->name, method_names[cv->methods[mi]], k, &c,
                      cv->methods[mi] == METHOD_VENN_ABERS);
        }
        int mf = metric_find(cl->name);
        if (cv->deepface && p->o.dm && mf >= 0) {
            measure_scores s = {0};
            for (size_t t = 0; t < ka; t++)
                measure_scores_add(&s, measure_deepface_probability(p->o.dm, mf, ea[t].value),
                                   0, ea[t].n_same, ea[t].n - ea[t].n_same);
            measure_calib c;
            measure_scores_finish(&s, cv->seed, cv->boot, &c);
            write_row(o, cl->name, "deepface", k, &c, 0);
        }
        free(train);
        free(failed);
        counts_free(&all);
    }
    free(acc);
    free(folds);
}
