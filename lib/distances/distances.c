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
#include "stream/num_fixed.h"
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
     * it, and takes the lines that are not usual rows) and the output */
    tsv_reader *r;
    out *o;
    struct rbatch *taken; /* the rows tsv_take_line took (tsv.h, blocks) */
    uint64_t skipped; /* rows whose item has no embedding (--missing=skip) */
} job;

/* Is the item name[0..n) a problem (an error: no embedding, unless
 * skipping, or a zero vector for a metric that needs a norm)?  *row: its
 * row, or -1 when it has none. */
static int bad_item(const job *j, const char *name, size_t n, uint32_t h, long *row)
{
    const uint64_t *v = emb_index_get_hashed(&j->e->index, name, n, h);
    *row = v ? (long)*v : -1;
    if (*row < 0)
        return !j->skip;
    return j->norm && j->e->sqnorm[*row] == 0;
}

/* The message of bad_item's problem about the item name[0..n) of column c
 * on file:line, and the end of the program. */
static noreturn void lookup_error(const job *j, const char *file, uint64_t line, size_t c,
                                  const char *name, size_t n)
{
    char q[DIAG_QUOTE_MAX];
    if (emb_find(j->e, name, n) < 0)
        die_at(file, line, "no embedding in %s%s%s%s for the item of column '%s' ('%s')",
               j->e->path, *j->from ? " (" : "", j->from, *j->from ? ")" : "", j->r->cols[c],
               diag_quote(q, sizeof q, name, n));
    const char *m = "";
    for (size_t k = j->nm; k-- > 0;)
        if (metric_needs_norm(j->ms[k]))
            m = metric_names[j->ms[k]];
    die_at(file, line, "%s distance is undefined for a zero vector ('%s')", m,
           diag_quote(q, sizeof q, name, n));
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
 * reads a block of whole lines (tsv_next_block); a worker finds its rows
 * (tsv_block_usual), looks their items up, computes and formats the
 * distances; the main thread writes them in order, then reports the
 * batch's bad row, if any, and takes the block's lines from the first that
 * is not a usual row (tsv_block_take).  (--counts: the main thread reads
 * the rows and looks the items up, as a skipped row's `same` must not be
 * read, and the worker computes the distances as printed.) */
enum { ROWS = 1024, BLOCK_BYTES = 1 << 17 };
/* The bytes a formatted value takes but for huge distances (done() formats
 * a row that does not fit). */
enum { FMT_ROOM = 32 };
typedef struct rbatch {
    size_t n;
    tsv_block blk; /* the lines read; row i is blk.text[off[i], + len[i]) */
    int taken;     /* its rows were taken by the reader (job.taken) */
    size_t usual, rest; /* tsv_block_usual's */
    tsv_field *f;       /* a row's fields */
    size_t off[ROWS], len[ROWS];
    long ia[ROWS], ib[ROWS]; /* the items' rows (-1: skipped), found by the worker */
    /* where each row is, and its items in text (the worker looks them up) */
    uint64_t line[ROWS];
    size_t fa[ROWS], fb[ROWS], la[ROWS], lb[ROWS];
    uint32_t ha[ROWS], hb[ROWS]; /* the items' hashes (emb_index.h) */
    size_t stop;     /* the rows used: n, or the bad one */
    uint64_t nskip;  /* skipped rows before stop */
    long badcol;     /* the column of row stop's problem, or -1 */
    unsigned char same[ROWS]; /* --counts: each row's `same` (0 without the column) */
    double v[METRIC_N][ROWS]; /* the distances (--counts: as printed, num_round) */
    size_t idx[ROWS], m;      /* the rows computed (not skipped), in order */
    char *out;                /* the rows formatted, rows idx[0..nfmt) */
    size_t olen, ocap, nfmt;
} rbatch;

/* Rows ahead whose vectors are fetched while a row is computed. */
enum { AHEAD = 8 };
/* Rows ahead whose names' slots are fetched while a row is looked up (a
 * block of them at a time). */
enum { LOOKUPS_AHEAD = 16 };

/* Row i of b (line `line`) at off: its items' fields, from f. */
static void put_row(const job *j, rbatch *b, size_t i, uint64_t line, size_t off, size_t len,
                    const tsv_field *f)
{
    const char *text = b->blk.text;
    b->off[i] = off;
    b->len[i] = len;
    b->line[i] = line;
    b->fa[i] = (size_t)(f[j->ca].p - text);
    b->la[i] = f[j->ca].n;
    b->fb[i] = (size_t)(f[j->cb].p - text);
    b->lb[i] = f[j->cb].n;
}

typedef struct usual_ctx {
    const job *j;
    rbatch *b;
} usual_ctx;

static void usual_row(void *ctx, size_t i, size_t off, size_t len, const tsv_field *f)
{
    usual_ctx *u = ctx;
    put_row(u->j, u->b, i, u->b->blk.line + i, off, len, f);
}

static void take_rest(job *j, rbatch *b);

/* On a worker: the distances of b's rows, formatted as far as the room
 * allows.  Never an error. */
static void work_rows(void *arg, void *batch)
{
    const job *j = arg;
    rbatch *b = batch;
    const emb *e = j->e;
    if (!j->cnt && !b->taken)
        b->n = b->usual = tsv_block_usual(j->r, &b->blk, b->f, usual_row, &(usual_ctx){j, b},
                                          &b->rest);
    const char *text = b->blk.text;
    b->stop = b->n;
    b->nskip = 0;
    b->badcol = -1;
    if (!j->cnt)
        for (size_t i = 0; i < b->n; i++) {
            /* the names' slots fetched LOOKUPS_AHEAD rows ahead */
            if (i % LOOKUPS_AHEAD == 0)
                for (size_t k = i + LOOKUPS_AHEAD; k < b->n && k < i + 2 * LOOKUPS_AHEAD; k++) {
                    b->ha[k] = emb_index_hash(text + b->fa[k], b->la[k]);
                    b->hb[k] = emb_index_hash(text + b->fb[k], b->lb[k]);
                    emb_index_prefetch(&e->index, b->ha[k]);
                    emb_index_prefetch(&e->index, b->hb[k]);
                }
            if (i < LOOKUPS_AHEAD) {
                b->ha[i] = emb_index_hash(text + b->fa[i], b->la[i]);
                b->hb[i] = emb_index_hash(text + b->fb[i], b->lb[i]);
            }
            /* as lookup did: a's problem, then b's, then the row skipped */
            if (bad_item(j, text + b->fa[i], b->la[i], b->ha[i], &b->ia[i]))
                b->badcol = (long)j->ca;
            else if (bad_item(j, text + b->fb[i], b->lb[i], b->hb[i], &b->ib[i]))
                b->badcol = (long)j->cb;
            if (b->badcol >= 0) {
                b->stop = i;
                break;
            }
        }
    /* the rows to compute, the skipped ones left out */
    size_t *idx = b->idx, m = 0;
    for (size_t i = 0; i < b->stop; i++) {
        if (b->ia[i] < 0 || b->ib[i] < 0)
            b->nskip++;
        else
            idx[m++] = i;
    }
    for (size_t t = 0; t < m && t < AHEAD; t++) {
        prefetch_row(e, (size_t)b->ia[idx[t]]);
        prefetch_row(e, (size_t)b->ib[idx[t]]);
    }
    char *p = b->out, *lim = b->out ? b->out + b->ocap : NULL;
    b->nfmt = 0;
    for (size_t t = 0; t < m; t++) {
        size_t i = idx[t];
        if (t + AHEAD < m) {
            prefetch_row(e, (size_t)b->ia[idx[t + AHEAD]]);
            prefetch_row(e, (size_t)b->ib[idx[t + AHEAD]]);
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
        if (b->nfmt < t || !p)
            continue; /* an earlier row did not fit: done() formats the rest */
        size_t len = b->len[i];
        if ((size_t)(lim - p) < len + j->nm * (NUM_FMT_MAX + 1) + 1)
            continue;
        memcpy(p, text + b->off[i], len);
        p += len;
        for (size_t k = 0; k < j->nm; k++) {
            *p++ = '\t';
            p += num_fixed_fmt(p, b->v[k][i], j->prec);
        }
        *p++ = '\n';
        b->nfmt = t + 1;
    }
    b->olen = p ? (size_t)(p - b->out) : 0;
    b->m = m;
}

/* In order, on the main thread: b's rows written (or counted), then the
 * problem of the row after them, if any. */
static void done_rows(void *arg, void *batch)
{
    const job *j = arg;
    rbatch *b = batch;
    ((job *)arg)->skipped += b->nskip;
    if (j->cnt) {
        for (size_t k = 0; k < j->nm; k++)
            if (counts_add_rows(&j->cnt[j->nold + k], b->v[k], b->same, b->n) != 0)
                too_many(j->r, metric_names[j->ms[k]]);
    } else {
        if (b->olen)
            out_write(j->o, b->out, b->olen);
        for (size_t t = b->nfmt; t < b->m; t++) {
            size_t i = b->idx[t];
            out_write(j->o, b->blk.text + b->off[i], b->len[i]);
            char *p = out_reserve(j->o, j->nm * (NUM_FMT_MAX + 1) + 1), *p0 = p;
            for (size_t k = 0; k < j->nm; k++) {
                *p++ = '\t';
                p += num_fixed_fmt(p, b->v[k][i], j->prec);
            }
            *p++ = '\n';
            out_commit(j->o, (size_t)(p - p0));
        }
    }
    if (b->badcol >= 0) {
        size_t i = b->stop, c = (size_t)b->badcol;
        lookup_error(j, b->blk.name, b->line[i], c,
                     b->blk.text + (c == j->ca ? b->fa[i] : b->fb[i]),
                     c == j->ca ? b->la[i] : b->lb[i]);
    }
    if (!j->cnt && !b->taken) {
        j->r->rows += b->usual;
        if (b->usual < b->blk.nlines)
            take_rest((job *)arg, b);
    }
}

static void *make_rows(void *arg)
{
    const job *j = arg;
    rbatch *b = xcalloc(1, sizeof(rbatch));
    b->f = xreallocarray(NULL, j->r->ncols, sizeof *b->f);
    b->blk.cap = BLOCK_BYTES;
    b->blk.text = xmalloc(b->blk.cap + 1);
    return b;
}

static void drop_rows(void *arg, void *batch)
{
    (void)arg;
    rbatch *b = batch;
    free(b->blk.text);
    free(b->f);
    free(b->out);
    free(b);
}

/* Room for b's output. */
static void make_room(const job *j, rbatch *b)
{
    if (!j->cnt) { /* (a block's lines are at most ROWS) */
        size_t need = b->blk.len + ROWS * (1 + j->nm * (FMT_ROOM + 1)) + j->nm * NUM_FMT_MAX;
        if (need > b->ocap) {
            b->ocap = need + need / 4;
            b->out = xrealloc(b->out, b->ocap);
        }
    }
}

/* b full (or the last): room for its output, then to a worker. */
static void submit(const job *j, ordered *q, rbatch *b)
{
    make_room(j, b);
    ordered_submit(q, b);
}

/* The rows in j->taken, their distances written. */
static void write_taken(void *arg)
{
    job *j = arg;
    rbatch *t = j->taken;
    if (t->n) {
        make_room(j, t);
        work_rows(j, t);
        done_rows(j, t);
    }
    t->n = t->blk.len = 0;
}

/* A row tsv_take_line took, into j->taken (written when it is full, at
 * the end of the block, and before an error). */
static void taken_row(void *arg, tsv_reader *r)
{
    job *j = arg;
    rbatch *t = j->taken;
    if (t->n == ROWS || t->blk.len + r->len + 1 > t->blk.cap)
        write_taken(j);
    size_t off = tsv_block_append(&t->blk, r, t->f);
    put_row(j, t, t->n++, r->line, off, r->len, t->f);
}

/* b's lines from the first that is not a usual row, taken by the reader in
 * order: a header again skipped, an error reported after the rows before
 * it are written, the rows computed as any others. */
static void take_rest(job *j, rbatch *b)
{
    if (!j->taken) {
        j->taken = make_rows(j);
        j->taken->taken = 1;
    }
    j->taken->blk.name = b->blk.name;
    tsv_block_take(j->r, &b->blk, b->usual, b->rest, taken_row, write_taken, j);
    write_taken(j);
}

/* Every row of r with its distances, by jobs threads; returns the rows
 * skipped. */
static uint64_t run(job *j, tsv_reader *r, out *o, int jobs)
{
    static const ordered_ops ops = {make_rows, work_rows, done_rows, drop_rows};
    j->r = r;
    j->o = o;
    ordered *q = ordered_new(jobs, &ops, j);
    if (!j->cnt) {
        for (;;) {
            rbatch *b = ordered_batch(q);
            b->n = b->blk.len = b->blk.nlines = 0; /* (an error while it is read: nothing) */
            if (!tsv_next_block(r, &b->blk, ROWS)) {
                ordered_unused(q, b);
                break;
            }
            submit(j, q, b);
        }
        ordered_finish(q);
        if (j->taken)
            drop_rows(j, j->taken);
        return j->skipped;
    }
    rbatch *b = ordered_batch(q);
    b->n = 0;
    while (tsv_next(r)) {
        size_t i = b->n;
        long ia, ib;
        if (bad_item(j, r->f[j->ca].p, r->f[j->ca].n,
                     emb_index_hash(r->f[j->ca].p, r->f[j->ca].n), &ia))
            lookup_error(j, r->name, r->line, j->ca, r->f[j->ca].p, r->f[j->ca].n);
        if (bad_item(j, r->f[j->cb].p, r->f[j->cb].n,
                     emb_index_hash(r->f[j->cb].p, r->f[j->cb].n), &ib))
            lookup_error(j, r->name, r->line, j->cb, r->f[j->cb].p, r->f[j->cb].n);
        if (ia < 0 || ib < 0) {
            j->skipped++;
            continue;
        }
        b->ia[i] = ia;
        b->ib[i] = ib;
        int same = j->same_col >= 0 ? tsv_truth(r, (size_t)j->same_col) : 0;
        b->same[i] = (unsigned char)same;
        for (size_t k = 0; k < j->nold; k++)
            if (counts_add(&j->cnt[k], tsv_number(r, j->cnt_col[k]), 1, (uint64_t)same) != 0)
                too_many(r, r->cols[j->cnt_col[k]]);
        if (++b->n == ROWS) {
            submit(j, q, b);
            b = ordered_batch(q);
            b->n = 0;
        }
    }
    if (b->n)
        submit(j, q, b);
    else
        ordered_unused(q, b);
    ordered_finish(q);
    return j->skipped;
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
