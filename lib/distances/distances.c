/* distances: pairdist's engine: the stream's columns checked, the store
 * loaded, each row's pair looked up and its distances appended, a few rows
 * late so that memory fetches overlap.  See distances.h. */
#include "distances/distances.h"
#include "common/diag.h"
#include "distances/emb.h"
#include "distances/metric.h"
#include "stream/counts.h"
#include "stream/counts_io.h"
#include "stream/embpath.h"
#include "stream/num.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
    const emb *e;
    const int *ms;
    size_t nm;
    int prec, skip, l2, norm;
    size_t ca, cb;
    const char *from; /* where the store's path came from, or "" */
    /* --counts: the counts of the columns logfit would fit (those of the
     * stream named like a metric, then the new ones), not the rows */
    counts *cnt;     /* ncnt: the stream's first, then the nm new ones */
    size_t *cnt_col; /* the stream's: their fields */
    size_t ncnt, nold;
    long same_col;    /* the field `same`, or -1 */
    struct batch *bt; /* the new columns' values waiting to be counted */
} job;

/* The new columns' values of the last rows, counted a block at a time
 * (counts_add_rows: the tables' misses overlap). */
enum { BATCH_ROWS = 512 };
typedef struct batch {
    double v[METRIC_N][BATCH_ROWS];
    unsigned char same[BATCH_ROWS];
    size_t n;
} batch;

/* The row of the item in column c, or -1 (an error unless skipping). */
static long lookup(const job *j, const tsv_reader *r, size_t c)
{
    long row = emb_find(j->e, r->f[c].p, r->f[c].n);
    if (row < 0 && !j->skip) {
        char q[DIAG_QUOTE_MAX];
        die_at(r->name, r->line, "no embedding in %s%s%s%s for the item of column '%s' ('%s')",
               j->e->path, *j->from ? " (" : "", j->from, *j->from ? ")" : "", r->cols[c],
               diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
    }
    if (row >= 0 && j->norm && j->e->sqnorm[row] == 0) {
        char q[DIAG_QUOTE_MAX];
        const char *m = "";
        for (size_t k = j->nm; k-- > 0;)
            if (metric_needs_norm(j->ms[k]))
                m = metric_names[j->ms[k]];
        die_at(r->name, r->line, "%s distance is undefined for a zero vector ('%s')", m,
               diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
    }
    return row;
}

/* Start fetching the vector of a row from memory: the rows of a pair are
 * anywhere in the store, and a row of 512 floats is 32 cache lines. */
static void prefetch_row(const emb *e, size_t row)
{
#if defined(__GNUC__)
    const char *p = (const char *)emb_vec(e, row);
    for (size_t off = 0; off < e->dim * sizeof(float); off += 64)
        __builtin_prefetch(p + off);
#else
    (void)e;
    (void)row;
#endif
}

/* A row waiting for its distances: its text (copied: the reader reuses its
 * buffer) and the rows of its two items. */
typedef struct pending {
    char *text;
    size_t len, cap;
    size_t ia, ib;
    int same; /* --counts: the row's `same` (0 without the column) */
} pending;

static noreturn void too_many(const tsv_reader *r, const char *col)
{
    die_at(r->name, r->line, "column '%s': more than 2^64 - 1 rows in all", col);
}

static void count_batch(const job *j, const tsv_reader *r)
{
    batch *b = j->bt;
    for (size_t k = 0; k < j->nm; k++)
        if (counts_add_rows(&j->cnt[j->nold + k], b->v[k], b->same, b->n) != 0)
            too_many(r, metric_names[j->ms[k]]);
    b->n = 0;
}

/* --counts: the row's distances counted as logfit would read them back
 * (parsed from the text they would have been printed as). */
static void count_distances(const job *j, const pending *w, const double *dist,
                            const tsv_reader *r)
{
    batch *b = j->bt;
    for (size_t k = 0; k < j->nm; k++)
        b->v[k][b->n] = num_round(dist[k], j->prec);
    b->same[b->n++] = (unsigned char)w->same;
    if (b->n == BATCH_ROWS)
        count_batch(j, r);
}

static void emit(const job *j, const pending *w, out *o, const tsv_reader *r)
{
    const emb *e = j->e;
    double aa = e->sqnorm[w->ia], bb = e->sqnorm[w->ib];
    metric_sums s;
    metric_pass(emb_vec(e, w->ia), emb_vec(e, w->ib), e->dim, aa, bb, j->l2, &s);
    if (j->cnt) {
        double dist[METRIC_N];
        for (size_t k = 0; k < j->nm; k++)
            dist[k] = metric_value(j->ms[k], &s, aa, bb);
        count_distances(j, w, dist, r);
        return;
    }
    out_write(o, w->text, w->len);
    char *p = out_reserve(o, j->nm * (NUM_FMT_MAX + 1) + 1), *start = p;
    for (size_t k = 0; k < j->nm; k++) {
        *p++ = '\t';
        p += num_fmt_fixed(p, metric_value(j->ms[k], &s, aa, bb), j->prec);
    }
    *p++ = '\n';
    out_commit(o, (size_t)(p - start));
}

/* Every row of r with its distances; returns the rows skipped.  Rows are
 * written LAG rows late, so that the vectors of a row are on their way to
 * the cache while the rows before it are computed. */
enum { LAG = 4 };

static uint64_t run(const job *j, tsv_reader *r, out *o)
{
    uint64_t skipped = 0;
    pending w[LAG] = {{0}};
    size_t n = 0; /* rows read and kept: row i waits in w[i % LAG] */
    while (tsv_next(r)) {
        long ia = lookup(j, r, j->ca), ib = lookup(j, r, j->cb);
        if (ia < 0 || ib < 0) {
            skipped++;
            continue;
        }
        prefetch_row(j->e, (size_t)ia);
        prefetch_row(j->e, (size_t)ib);
        pending *p = &w[n % LAG];
        if (n >= LAG)
            emit(j, p, o, r);
        if (j->cnt) {
            p->same = j->same_col >= 0 ? tsv_truth(r, (size_t)j->same_col) : 0;
            for (size_t k = 0; k < j->nold; k++)
                if (counts_add(&j->cnt[k], tsv_number(r, j->cnt_col[k]), 1,
                               (uint64_t)p->same) != 0)
                    too_many(r, r->cols[j->cnt_col[k]]);
        }
        if (r->len > p->cap) {
            p->cap = r->len + 64;
            p->text = xrealloc(p->text, p->cap);
        }
        memcpy(p->text, r->text, r->len);
        p->len = r->len;
        p->ia = (size_t)ia;
        p->ib = (size_t)ib;
        n++;
    }
    for (size_t i = n > LAG ? n - LAG : 0; i < n; i++)
        emit(j, &w[i % LAG], o, r);
    for (size_t i = 0; i < LAG; i++)
        free(w[i].text);
    return skipped;
}

/* --counts: a table for each column of the stream named like a metric,
 * and each new one; `same` found. */
static void start_counts(job *j, const tsv_reader *r)
{
    j->cnt_col = xreallocarray(NULL, r->ncols + 1, sizeof *j->cnt_col);
    for (size_t i = 0; i < r->ncols; i++)
        if (metric_find(r->cols[i]) >= 0)
            j->cnt_col[j->nold++] = i;
    j->ncnt = j->nold + j->nm;
    j->cnt = xreallocarray(NULL, j->ncnt, sizeof *j->cnt);
    for (size_t k = 0; k < j->ncnt; k++)
        counts_init(&j->cnt[k]);
    j->same_col = tsv_col(r, "same");
    j->bt = xcalloc(1, sizeof *j->bt);
}

static void write_counts(job *j, const tsv_reader *r, out *o, const char *const *cols)
{
    int has_same = j->same_col >= 0;
    count_batch(j, r);
    free(j->bt);
    counts_write_head(o, r, has_same);
    for (size_t k = 0; k < j->ncnt; k++) {
        size_t n;
        const counts_entry *e = counts_sorted(&j->cnt[k], &n);
        counts_write_column(o, k < j->nold ? r->cols[j->cnt_col[k]] : cols[k - j->nold], e, n,
                            has_same);
        counts_free(&j->cnt[k]);
    }
    free(j->cnt);
    free(j->cnt_col);
}

uint64_t dist_run(const dist_opts *o, char *const *paths, size_t npaths)
{
    job j = {
        .ms = o->metrics, .nm = o->nmetrics, .prec = o->precision, .skip = o->skip_missing};
    for (size_t k = 0; k < j.nm; k++) {
        j.l2 |= j.ms[k] == METRIC_EUCLIDEAN_L2;
        j.norm |= metric_needs_norm(j.ms[k]);
    }

    out *w = out_open(o->output);
    out_refuse_inputs(w, paths, npaths, "the stream");
    out_refuse_input(w, o->store, "the embedding store");
    tsv_reader *r = tsv_open(paths, npaths);
    j.ca = tsv_require_col(r, o->col_a);
    j.cb = tsv_require_col(r, o->col_b);
    const char *cols[METRIC_N]; /* the columns appended */
    for (size_t k = 0; k < j.nm; k++) {
        cols[k] = metric_names[j.ms[k]];
        tsv_check_new_col(r, cols[k]);
    }
    const char *efile = NULL;
    uint64_t eline = 0;
    const char *pre = tsv_embeddings(r, &efile, &eline);
    const char *store = o->store;
    char from[4096] = "";
    if (store) {
        /* pass on the store used, never the other one */
        if (pre && !(strcmp(store, "-") != 0 && embpath_same_file(store, pre)))
            tsv_set_embeddings(r, strcmp(store, "-") == 0 ? NULL : store);
    } else {
        if (!pre || !*pre) {
            if (o->no_store)
                o->no_store(pre ? efile : r->name, pre ? eline : 0);
            die("%s: no embedding store", r->name);
        }
        store = pre;
        /* any error about the store says where its path came from */
        snprintf(from, sizeof from, "path from the #embeddings= line at %s:%llu", efile,
                 (unsigned long long)eline);
        diag_note(from);
    }
    out_refuse_input(w, store, "the embedding store");
    emb *e = emb_load(store);
    diag_note(NULL);
    j.e = e;
    j.from = from;

    if (o->counts)
        start_counts(&j, r);
    else
        tsv_write_head(r, w, cols, j.nm);
    uint64_t skipped = run(&j, r, w);
    if (o->counts)
        write_counts(&j, r, w, cols);
    out_close(w);
    if (skipped)
        warnx_("skipped %llu row%s whose item has no embedding in %s%s%s%s",
               (unsigned long long)skipped, skipped == 1 ? "" : "s", e->path, *from ? " (" : "",
               from, *from ? ")" : "");
    tsv_close(r);
    emb_free(e);
    return skipped;
}
