/* mapping_rows: confmap's rows, a batch at a time, on -j threads
 * (ordered.h), written in the order they were read.  See mapping.h. */
#include "common/diag.h"
#include "common/ordered.h"
#include "mapping/mapping.h"
#include "mapping/mapping_impl.h"
#include "stream/num.h"
#include "stream/num_fields.h"
#include "stream/num_fixed.h"
#include "stream/num_scan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How many numbers a job appends: venn-abers three, the others one. */
static size_t job_nvalues(const map_job *jb)
{
    return jb->method == METHOD_VENN_ABERS ? 3 : 1;
}

/* The numbers a calibrated job appends for distance d into v (the
 * probability in percent; venn-abers then 100 p0 and 100 p1); returns the
 * probability.  (A logistic job's confidences: conf_values, a column at a
 * time.) */
static double calib_values(const map_job *jb, double d, double *v)
{
    double p;
    switch (jb->method) {
    case METHOD_PLATT:
        p = calib_platt_p(jb->c.fit.w, jb->c.fit.b, d);
        break;
    case METHOD_ISOTONIC:
        p = calib_isotonic_p(jb->curve, d);
        break;
    default: /* METHOD_VENN_ABERS */
        calib_va_p(jb->curve, d, &v[1], &v[2]);
        p = calib_va_merge(v[1], v[2]);
        v[1] *= 100;
        v[2] *= 100;
        break;
    }
    v[0] = 100 * p;
    return p;
}

/* ---- the rows, a batch at a time: on -j threads, written in order ---- */

/* A batch is a block of at most BATCH_ROWS lines read at once, BATCH_BYTES
 * of text (more when a line is longer). */
enum { BATCH_ROWS = 8192, BATCH_BYTES = 1 << 18 };

/* The most numbers a job appends (venn-abers: three), and the room its
 * columns take, each after a TAB. */
enum { JOB_VALUES_MAX = 3, JOB_COLS_MAX = JOB_VALUES_MAX * (NUM_FMT_MAX + 1) + 2 };

/* A row of a batch: its line (for an error in it) and its text,
 * text[off, off + len] with its NUL. */
typedef struct map_row {
    uint64_t line;
    size_t off, len;
} map_row;

/* Row i, job j: index j * BATCH_ROWS + i of dist and fields (a column at
 * a time: num_parse_fields); index c = i * njobs + j of verdict; of val,
 * digits and vlen, c * vs: each cell holds the most numbers a job of the
 * run appends (one, unless a job is venn-abers), so that the usual
 * batch's arrays are packed (a third of the memory to go through). */
typedef struct map_batch {
    tsv_block blk; /* the lines read */
    int taken;     /* its rows were taken by tsv_take_line (the reading
                      thread's), not found in blk by batch_work */
    size_t usual;  /* the lines before the first that needs tsv_take_line */
    size_t rest;   /* where that line begins in blk.text */
    tsv_field *f;  /* a row's fields (the header's count) */
    map_row *row;
    size_t nrows;
    tsv_field *fields;  /* the distances' text, found with the rows */
    double *dist, *val; /* the distances, then the numbers appended */
    size_t vs;          /* numbers a cell of val */
    uint64_t *digits;   /* of val: its digits and length (num_fixed_len), or its text
                           (num_fixed_texts) */
    uint8_t *vlen;      /* (at most 32: num_fixed_len is 0 past 10^15; with a text,
                           NUM_FIXED_TEXT added) */
    char *verdict;
    char *obuf; /* the rows mapped, as they are written out */
    size_t olen, ocap;
    uint64_t *outside; /* per job: distances outside the range fitted on */
    size_t nmapped;    /* the first row with a field that is no number (while
                          the rows are put: SIZE_MAX for none), else nrows */
    size_t bad_job;    /* that field */
} map_batch;

typedef struct map_run {
    mapper *m;
    tsv_reader *r;
    out *o;
    map_batch *taken; /* the rows tsv_take_line took, on the reading thread */
} map_run;

static void *batch_make(void *ctx)
{
    const map_run *run = ctx;
    size_t nj = run->m->njobs, cells = BATCH_ROWS * nj;
    map_batch *b = xcalloc(1, sizeof *b);
    b->vs = 1;
    for (size_t j = 0; j < nj; j++)
        if (job_nvalues(&run->m->jobs[j]) > b->vs)
            b->vs = job_nvalues(&run->m->jobs[j]);
    b->blk.cap = BATCH_BYTES;
    b->blk.text = xmalloc(b->blk.cap + 1);
    b->nmapped = SIZE_MAX; /* (no row put yet) */
    b->f = xreallocarray(NULL, run->r->ncols, sizeof *b->f);
    b->row = xreallocarray(NULL, BATCH_ROWS, sizeof *b->row);
    b->fields = xreallocarray(NULL, cells, sizeof *b->fields);
    b->dist = xreallocarray(NULL, cells, sizeof *b->dist);
    b->val = xreallocarray(NULL, cells, b->vs * sizeof *b->val);
    b->digits = xreallocarray(NULL, cells, b->vs * sizeof *b->digits);
    b->vlen = xreallocarray(NULL, cells, b->vs * sizeof *b->vlen);
    b->verdict = xmalloc(cells);
    b->outside = xcalloc(nj, sizeof *b->outside);
    return b;
}

static void batch_drop(void *ctx, void *p)
{
    (void)ctx;
    map_batch *b = p;
    free(b->blk.text);
    free(b->f);
    free(b->row);
    free(b->fields);
    free(b->dist);
    free(b->val);
    free(b->digits);
    free(b->vlen);
    free(b->verdict);
    free(b->obuf);
    free(b->outside);
    free(b);
}

/* Row i of b, taken by the reading thread (taken_row): line `line`, text
 * at off, its fields f; its distances parsed into dist, up to the first
 * field of the batch that is no number (b->nmapped: reported in order, by
 * batch_done). */
static void put_row(const mapper *m, map_batch *b, size_t i, uint64_t line, size_t off,
                    const tsv_field *f, size_t len)
{
    b->row[i] = (map_row){line, off, len};
    if (b->nmapped < i) /* (a bad one before it: the rows after are not mapped) */
        return;
    for (size_t j = 0; j < m->njobs; j++) {
        const tsv_field *c = &f[m->jobs[j].col];
        if (num_parse_inline(c->p, c->n, &b->dist[j * BATCH_ROWS + i])) {
            b->nmapped = i;
            b->bad_job = j;
            return;
        }
    }
}

typedef struct usual_ctx {
    const mapper *m;
    map_batch *b;
} usual_ctx;

/* A usual row found in the block: where it is, and its distances' text. */
static void usual_row(void *ctx, size_t i, size_t off, size_t len, const tsv_field *f)
{
    usual_ctx *u = ctx;
    const mapper *m = u->m;
    map_batch *b = u->b;
    b->row[i] = (map_row){b->blk.line + i, off, len};
    for (size_t j = 0; j < m->njobs; j++)
        b->fields[j * BATCH_ROWS + i] = f[m->jobs[j].col];
}

/* The usual rows' distances, a column at a time, up to the first row with
 * a field that is no number (b->nmapped, its first such field b->bad_job,
 * as put_row finds them). */
static void parse_usual(const mapper *m, map_batch *b)
{
    const char *end = b->blk.text + b->blk.len, *why;
    size_t n = b->nrows;
    for (size_t j = 0; j < m->njobs; j++) {
        size_t at = j * BATCH_ROWS,
               ok = num_parse_fields(b->fields + at, n, end, b->dist + at, &why);
        if (ok < n) { /* (a later column's is reported only if in an earlier row) */
            b->nmapped = n = ok;
            b->bad_job = j;
        }
    }
}

/* The numbers of a batch as print_rows reads them: b's arrays, held apart
 * from b so that the bytes it writes (which may alias anything) do not
 * make the compiler load them again at every number. */
typedef struct printed {
    const double *val;
    const uint64_t *digits;
    const uint8_t *vlen;
} printed;

/* A TAB and number t (its length found: num_fixed_len) at o + k; returns
 * the new k. */
static inline __attribute__((always_inline)) size_t put_value(printed v, size_t t, int prec,
                                                              char *o, size_t k)
{
    o[k++] = '\t';
    size_t len = v.vlen[t];
    if (len & NUM_FIXED_TEXT) { /* the text itself (num_fixed_texts) */
        memcpy(o + k, &v.digits[t], 8);
        return k + (len & ~(size_t)NUM_FIXED_TEXT);
    }
    if (len)
        num_fixed_put(o + k, len, v.digits[t], prec, signbit(v.val[t]));
    else /* printf's digits */
        len = num_fmt_fixed(o + k, v.val[t], prec);
    return k + len;
}

/* The first n rows of b, mapped, into b->obuf.  Inline, so that the usual
 * 2 decimals get a printer of their own (num_fixed.h). */
static inline __attribute__((always_inline)) void print_rows(const mapper *m, map_batch *b,
                                                             size_t n, int prec)
{
    const map_job *jobs = m->jobs;
    size_t nj = m->njobs, vs = b->vs;
    int verified = m->o.verified;
    const double *val = b->val;
    uint64_t *digits = b->digits;
    uint8_t *vlen = b->vlen;
    printed v = {val, digits, vlen};

    int one_each = vs == 1; /* each job appends one number (vs: the most a job appends) */
    if (one_each) /* (the usual: every number at once, in the order they are) */
        num_fixed_texts(val, prec, digits, vlen, n * nj);
    else
        for (size_t j = 0; j < nj; j++) {
            size_t nv = job_nvalues(&jobs[j]), step = nj * vs, end = n * step;
            if (nv == 1) /* (a column at once) */
                num_fixed_lens(val + j * vs, step, prec, digits + j * vs, vlen + j * vs, n);
            else
                for (size_t c = j * vs; c < end; c += step)
                    for (size_t t = c; t < c + nv; t++)
                        vlen[t] = (uint8_t)num_fixed_len(val[t], prec, &digits[t]);
        }
    one_each &= !verified; /* and nothing else */

    size_t olen = 0, ocap = b->ocap;
    char *obuf = b->obuf;
    const char *text = b->blk.text;
    size_t tlen = b->blk.len; /* (a copy may read up to there, and write the room asked) */
    const map_row *row = b->row;
    for (size_t i = 0; i < n; i++) {
        const map_row *w = &row[i];
        size_t need = olen + w->len + nj * JOB_COLS_MAX + 1;
        if (need > ocap) {
            ocap = need * 2 > (size_t)BATCH_BYTES ? need * 2 : (size_t)BATCH_BYTES;
            b->obuf = obuf = xrealloc(obuf, ocap);
            b->ocap = ocap;
        }
        char *o = obuf + olen;
        if (w->len <= 64 && w->off + 64 <= tlen) { /* (fixed sizes: no call) */
            memcpy(o, text + w->off, 32);
            memcpy(o + 32, text + w->off + 32, 32);
        } else
            memcpy(o, text + w->off, w->len);
        size_t k = w->len;
        if (one_each) { /* the usual row, without the general loop's tests */
            for (size_t t = i * nj * vs, e = t + nj * vs; t < e; t += vs)
                k = put_value(v, t, prec, o, k);
            o[k++] = '\n';
            olen += k;
            continue;
        }
        for (size_t j = 0; j < nj; j++) {
            size_t c = i * nj + j;
            for (size_t t = c * vs, nv = t + job_nvalues(&jobs[j]); t < nv; t++)
                k = put_value(v, t, prec, o, k);
            if (verified) {
                o[k++] = '\t';
                o[k++] = b->verdict[c];
            }
        }
        o[k++] = '\n';
        olen += k;
    }
    b->olen = olen;
}

/* The rows with their columns into b->obuf, up to the first distance that
 * is no number (reported by batch_done, in order).  In passes over the
 * batch (the rows found and parsed, compute, the numbers' lengths, print),
 * so that the long chains of dependent arithmetic of different rows
 * overlap: where a number is printed depends on the length of the one
 * before it. */
static void batch_work(void *ctx, void *p)
{
    const mapper *m = ((map_run *)ctx)->m;
    map_batch *b = p;
    const map_job *jobs = m->jobs;
    if (!b->taken) { /* up to the first line that is not a usual row */
        b->nmapped = SIZE_MAX;
        b->nrows = b->usual = tsv_block_usual(((map_run *)ctx)->r, &b->blk, b->f, usual_row,
                                              &(usual_ctx){m, b}, &b->rest);
        parse_usual(m, b);
    } /* (else put by taken_row) */
    if (b->nmapped > b->nrows)
        b->nmapped = b->nrows;
    size_t nj = m->njobs, n = b->nmapped;

    for (size_t j = 0; j < nj; j++) {
        const map_job *jb = &jobs[j];
        int logistic = jb->method == METHOD_LOGISTIC;
        if (logistic)
            /* (only their text is written) */
            conf_values_text(&jb->c, jb->style, b->dist + j * BATCH_ROWS, 1, b->val + j * b->vs,
                             nj * b->vs, n, m->o.prec);
        uint64_t outside = 0;
        if (!logistic || jb->has_range || m->o.verified) /* (else nothing to do) */
            for (size_t i = 0; i < n; i++) {
                size_t c = i * nj + j;
                double d = b->dist[j * BATCH_ROWS + i];
                outside += jb->has_range && (d < jb->range_min || d > jb->range_max);
                double pr = logistic ? 0 : calib_values(jb, d, &b->val[c * b->vs]);
                b->verdict[c] = (jb->decide_by_p ? pr >= 0.5 : d <= jb->decide) ? '1' : '0';
            }
        b->outside[j] = outside;
    }

    if (m->o.prec == 2)
        print_rows(m, b, n, 2);
    else
        print_rows(m, b, n, m->o.prec);
}

static void batch_done(void *ctx, void *p);

/* The rows gathered in run->taken, mapped and written. */
static void write_taken(void *ctx)
{
    map_batch *t = ((map_run *)ctx)->taken;
    if (t->nrows) {
        batch_work(ctx, t);
        batch_done(ctx, t);
    }
    t->nrows = t->blk.len = 0;
    t->nmapped = SIZE_MAX;
}

/* A row tsv_take_line took, into run->taken (mapped and written when it is
 * full, at the end of the block, and before an error). */
static void taken_row(void *ctx, tsv_reader *r)
{
    map_run *run = ctx;
    map_batch *t = run->taken;
    if (t->nrows == BATCH_ROWS || t->blk.len + r->len + 1 > t->blk.cap)
        write_taken(run);
    size_t off = tsv_block_append(&t->blk, r, t->f);
    put_row(run->m, t, t->nrows++, r->line, off, t->f, r->len);
}

/* b's lines from the first that is not a usual row, taken by the reader in
 * order: a header again skipped, an error reported after the rows before
 * it are written, the rows mapped as any others. */
static void take_rest(map_run *run, map_batch *b)
{
    if (!run->taken) {
        run->taken = batch_make(run);
        run->taken->taken = 1;
    }
    run->taken->blk.name = b->blk.name;
    tsv_block_take(run->r, &b->blk, b->usual, b->rest, taken_row, write_taken, run);
    write_taken(run);
}

static void batch_done(void *ctx, void *p)
{
    map_run *run = ctx;
    mapper *m = run->m;
    map_batch *b = p;
    if (b->olen) /* (none: obuf may be NULL, and memcpy must not see it) */
        out_write_block(run->o, b->obuf, b->olen);
    for (size_t j = 0; j < m->njobs; j++)
        m->jobs[j].outside += b->outside[j];
    m->rows += b->nmapped;
    if (b->nmapped < b->nrows) {
        const map_row *w = &b->row[b->nmapped];
        tsv_recall_row(run->r, b->blk.name, w->line, b->blk.text + w->off, w->len);
        tsv_number(run->r, m->jobs[b->bad_job].col); /* dies with the message */
    }
    if (!b->taken) {
        run->r->rows += b->usual;
        if (b->usual < b->blk.nlines)
            take_rest(run, b);
    }
}

uint64_t map_write(mapper *m, tsv_reader *r, out *o)
{
    static const ordered_ops ops = {batch_make, batch_work, batch_done, batch_drop};
    map_write_header(m, r, o);
    map_run run = {m, r, o, NULL};
    m->rows = 0;
    ordered *q = ordered_new(m->o.jobs, &ops, &run);
    for (;;) {
        map_batch *b = ordered_batch(q);
        b->blk.len = b->blk.nlines = 0; /* (an error while it is read: nothing in it) */
        if (!tsv_next_block(r, &b->blk, BATCH_ROWS)) {
            ordered_unused(q, b);
            break;
        }
        ordered_submit(q, b);
    }
    ordered_finish(q);
    if (run.taken)
        batch_drop(&run, run.taken);
    return m->rows;
}
