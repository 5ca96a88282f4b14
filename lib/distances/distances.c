/* distances: pairdist's engine: the stream's columns checked, the store
 * loaded, each row's pair looked up and its distances appended, a few rows
 * late so that memory fetches overlap.  See distances.h. */
#include "distances/distances.h"
#include "common/diag.h"
#include "common/ordered.h"
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
    long same_col; /* the field `same`, or -1 */
    /* while the rows are read: the reader (done() words a bad row with
     * it) and the output */
    const tsv_reader *r;
    out *o;
} job;

/* Is the item in column c of r's row a problem (lookup would end the
 * program)?  *row: its row, or -1 when it has none. */
static int bad_item(const job *j, const tsv_reader *r, size_t c, long *row)
{
    *row = emb_find(j->e, r->f[c].p, r->f[c].n);
    if (*row < 0)
        return !j->skip;
    return j->norm && j->e->sqnorm[*row] == 0;
}

/* The message of bad_item's problem, and the end of the program. */
static noreturn void lookup_error(const job *j, const tsv_reader *r, size_t c)
{
    char q[DIAG_QUOTE_MAX];
    if (emb_find(j->e, r->f[c].p, r->f[c].n) < 0)
        die_at(r->name, r->line, "no embedding in %s%s%s%s for the item of column '%s' ('%s')",
               j->e->path, *j->from ? " (" : "", j->from, *j->from ? ")" : "", r->cols[c],
               diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
    const char *m = "";
    for (size_t k = j->nm; k-- > 0;)
        if (metric_needs_norm(j->ms[k]))
            m = metric_names[j->ms[k]];
    die_at(r->name, r->line, "%s distance is undefined for a zero vector ('%s')", m,
           diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
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

static noreturn void too_many(const tsv_reader *r, const char *col)
{
    die_at(r->name, r->line, "column '%s': more than 2^64 - 1 rows in all", col);
}

/* Rows go to the workers (common/ordered.h) in batches: the main thread
 * reads the rows, looks their items up and copies their text; a worker
 * computes and formats the distances; the main thread writes (or counts)
 * them in order. */
enum { ROWS = 1024 };
/* The bytes a formatted value takes but for huge distances (done() formats
 * a row that does not fit). */
enum { FMT_ROOM = 32 };
typedef struct rbatch {
    size_t n;
    char *text; /* the rows' text, row i ending at end[i] */
    size_t tlen, tcap;
    size_t end[ROWS], ia[ROWS], ib[ROWS];
    unsigned char same[ROWS]; /* --counts: each row's `same` (0 without the column) */
    double v[METRIC_N][ROWS]; /* the distances (--counts: as printed, num_round) */
    char *out;                /* the rows formatted, rows [0, nfmt) */
    size_t olen, ocap, nfmt;
    long bad; /* -1, or the column of the row after the n whose item is a problem */
} rbatch;

/* Rows ahead whose vectors are fetched while a row is computed. */
enum { AHEAD = 8 };

/* On a worker: the distances of b's rows, formatted as far as the room
 * allows.  Never an error. */
static void work_rows(void *arg, void *batch)
{
    const job *j = arg;
    rbatch *b = batch;
    const emb *e = j->e;
    for (size_t i = 0; i < b->n && i < AHEAD; i++) {
        prefetch_row(e, b->ia[i]);
        prefetch_row(e, b->ib[i]);
    }
    char *p = b->out, *lim = b->out + b->ocap;
    b->nfmt = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (i + AHEAD < b->n) {
            prefetch_row(e, b->ia[i + AHEAD]);
            prefetch_row(e, b->ib[i + AHEAD]);
        }
        double aa = e->sqnorm[b->ia[i]], bb = e->sqnorm[b->ib[i]];
        metric_sums s;
        metric_pass(emb_vec(e, b->ia[i]), emb_vec(e, b->ib[i]), e->dim, aa, bb, j->l2, &s);
        for (size_t k = 0; k < j->nm; k++)
            b->v[k][i] = metric_value(j->ms[k], &s, aa, bb);
        if (j->cnt) {
            for (size_t k = 0; k < j->nm; k++)
                b->v[k][i] = num_round(b->v[k][i], j->prec);
            continue;
        }
        if (b->nfmt < i)
            continue; /* an earlier row did not fit: done() formats the rest */
        size_t start = i ? b->end[i - 1] : 0, len = b->end[i] - start;
        if ((size_t)(lim - p) < len + j->nm * (NUM_FMT_MAX + 1) + 1)
            continue;
        memcpy(p, b->text + start, len);
        p += len;
        for (size_t k = 0; k < j->nm; k++) {
            *p++ = '\t';
            p += num_fmt_fixed(p, b->v[k][i], j->prec);
        }
        *p++ = '\n';
        b->nfmt = i + 1;
    }
    b->olen = (size_t)(p - b->out);
}

/* In order, on the main thread: b's rows written (or counted), then the
 * problem of the row after them, if any. */
static void done_rows(void *arg, void *batch)
{
    const job *j = arg;
    rbatch *b = batch;
    if (j->cnt) {
        for (size_t k = 0; k < j->nm; k++)
            if (counts_add_rows(&j->cnt[j->nold + k], b->v[k], b->same, b->n) != 0)
                too_many(j->r, metric_names[j->ms[k]]);
    } else {
        out_write(j->o, b->out, b->olen);
        for (size_t i = b->nfmt; i < b->n; i++) {
            size_t start = i ? b->end[i - 1] : 0;
            out_write(j->o, b->text + start, b->end[i] - start);
            char *p = out_reserve(j->o, j->nm * (NUM_FMT_MAX + 1) + 1), *p0 = p;
            for (size_t k = 0; k < j->nm; k++) {
                *p++ = '\t';
                p += num_fmt_fixed(p, b->v[k][i], j->prec);
            }
            *p++ = '\n';
            out_commit(j->o, (size_t)(p - p0));
        }
    }
    if (b->bad >= 0)
        lookup_error(j, j->r, (size_t)b->bad); /* the reader waits on that row */
}

static void *make_rows(void *arg)
{
    rbatch *b = xcalloc(1, sizeof *b);
    b->bad = -1;
    return b;
}

static void drop_rows(void *arg, void *batch)
{
    rbatch *b = batch;
    free(b->text);
    free(b->out);
    free(b);
}

/* b full (or the last): room for its output, then to a worker. */
static void submit(const job *j, ordered *q, rbatch *b)
{
    if (!j->cnt) {
        size_t need = b->tlen + b->n * (1 + j->nm * (FMT_ROOM + 1)) + j->nm * NUM_FMT_MAX;
        if (need > b->ocap) {
            b->ocap = need + need / 4;
            b->out = xrealloc(b->out, b->ocap);
        }
    }
    ordered_submit(q, b);
}

/* Every row of r with its distances, by jobs threads; returns the rows
 * skipped. */
static uint64_t run(job *j, tsv_reader *r, out *o, int jobs)
{
    static const ordered_ops ops = {make_rows, work_rows, done_rows, drop_rows};
    uint64_t skipped = 0;
    j->r = r;
    j->o = o;
    ordered *q = ordered_new(jobs, &ops, j);
    rbatch *b = ordered_batch(q);
    b->n = b->tlen = 0;
    while (tsv_next(r)) {
        long ia, ib;
        int bad = bad_item(j, r, j->ca, &ia) ? (int)j->ca + 1
                  : bad_item(j, r, j->cb, &ib) ? (int)j->cb + 1 : 0;
        if (bad) {
            /* the rows before it written first, by done() */
            b->bad = bad - 1;
            submit(j, q, b);
            b = NULL;
            break;
        }
        if (ia < 0 || ib < 0) {
            skipped++;
            continue;
        }
        size_t i = b->n;
        if (j->cnt) {
            int same = j->same_col >= 0 ? tsv_truth(r, (size_t)j->same_col) : 0;
            b->same[i] = (unsigned char)same;
            for (size_t k = 0; k < j->nold; k++)
                if (counts_add(&j->cnt[k], tsv_number(r, j->cnt_col[k]), 1, (uint64_t)same) != 0)
                    too_many(r, r->cols[j->cnt_col[k]]);
        } else {
            if (b->tlen + r->len > b->tcap) {
                b->tcap = (b->tlen + r->len) * 2 + 4096;
                b->text = xrealloc(b->text, b->tcap);
            }
            memcpy(b->text + b->tlen, r->text, r->len);
            b->tlen += r->len;
        }
        b->end[i] = b->tlen;
        b->ia[i] = (size_t)ia;
        b->ib[i] = (size_t)ib;
        if (++b->n == ROWS) {
            submit(j, q, b);
            b = ordered_batch(q);
            b->n = b->tlen = 0;
        }
    }
    if (b) {
        if (b->n)
            submit(j, q, b);
        else
            ordered_unused(q, b);
    }
    ordered_finish(q);
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
}

static void write_counts(job *j, const tsv_reader *r, out *o, const char *const *cols)
{
    int has_same = j->same_col >= 0;
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
    emb *e = emb_load_jobs(store, o->jobs);
    diag_note(NULL);
    j.e = e;
    j.from = from;

    if (o->counts)
        start_counts(&j, r);
    else
        tsv_write_head(r, w, cols, j.nm);
    uint64_t skipped = run(&j, r, w, o->jobs);
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
