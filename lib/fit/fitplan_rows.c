/* fitplan_rows: a distance stream's rows into the columns' counts, on
 * o.jobs threads (common/ordered.h).  The reading thread reads blocks of
 * whole lines (tsv_next_block); a worker finds a block's rows
 * (tsv_block_usual), parses them (the distances a column at a time,
 * num_parse_fields) and adds them to the columns' counts, a
 * column at a time under that column's lock, taking first the columns no
 * other thread holds (counts are sums: the same whatever the order and the
 * threads); in order, the reading thread reports a block's first bad row,
 * then takes the lines that are not usual rows (tsv_block_take).  So the
 * first bad row of the stream is the one reported, for every -j. */
#include "common/diag.h"
#include "common/ordered.h"
#include "fit/fitplan_impl.h"
#include "stream/num.h"
#include "stream/num_fields.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A block: at most BLOCK_ROWS lines (fewer for many columns: about
 * BLOCK_VALUES values), BLOCK_BYTES of text to start with. */
enum { BLOCK_ROWS = 32768, BLOCK_VALUES = 1 << 20, BLOCK_BYTES = 1 << 21 };

/* The rows whose distances are parsed at once, a column at a time
 * (num_parse_fields), their fields' text kept till then: at most
 * FIELD_ROWS, fewer for many columns (about FIELD_VALUES fields, at
 * least 4 rows), so that the text kept stays small beside the values. */
enum { FIELD_ROWS = 1024, FIELD_VALUES = 1 << 16 };

/* A row's text in the block. */
typedef struct row_text {
    size_t off, len;
} row_text;

typedef struct rows_batch {
    tsv_block blk;
    size_t usual, rest; /* tsv_block_usual's */
    tsv_field *f;
    double *v; /* column j's values at v[j * max + i] */
    unsigned char *same;
    tsv_field *fields; /* column j's text of row n + i at fields[j * frows + i] */
    row_text *at;      /* and that row's at at[i] */
    size_t n;          /* the rows parsed */
    size_t bad;        /* SIZE_MAX, or the row (block line) with a field no number */
    size_t bad_off, bad_len; /* its text */
    unsigned char *over;     /* per column: a sum would pass 2^64 - 1 */
    unsigned char *todo;     /* per column: not yet added (count_batch) */
} rows_batch;

typedef struct rows_run {
    fitplan *p;
    size_t max;            /* rows a block */
    size_t frows;          /* rows parsed at once (FIELD_ROWS) */
    pthread_mutex_t *lock; /* per column: held while its counts are added to */
    rows_batch *taken;     /* the rows the reading thread took */
} rows_run;

static void *batch_make(void *ctx)
{
    const rows_run *run = ctx;
    size_t nc = run->p->ncols;
    rows_batch *b = xcalloc(1, sizeof *b);
    b->blk.cap = BLOCK_BYTES;
    b->blk.text = xmalloc(b->blk.cap + 1);
    b->f = xreallocarray(NULL, run->p->r->ncols, sizeof *b->f);
    b->v = xreallocarray(NULL, nc * run->max, sizeof *b->v);
    b->same = xcalloc(run->max, 1);
    b->fields = xreallocarray(NULL, nc * run->frows, sizeof *b->fields);
    b->at = xreallocarray(NULL, run->frows, sizeof *b->at);
    b->over = xcalloc(nc, 1);
    b->todo = xcalloc(nc, 1);
    return b;
}

static void batch_drop(void *ctx, void *p)
{
    (void)ctx;
    rows_batch *b = p;
    free(b->blk.text);
    free(b->f);
    free(b->v);
    free(b->same);
    free(b->fields);
    free(b->at);
    free(b->over);
    free(b->todo);
    free(b);
}

typedef struct parse_ctx {
    const rows_run *run;
    rows_batch *b;
} parse_ctx;

/* The distances of the rows found since the last parsed, up to row
 * `upto`, a column at a time: b->n moves on to the first row with a field
 * that is no number (b->bad then), else to upto. */
static void parse_fields(const rows_run *run, rows_batch *b, size_t upto)
{
    const fitplan *p = run->p;
    const char *end = b->blk.text + b->blk.len, *why;
    size_t from = b->n, good = upto - from;
    for (size_t j = 0; j < p->ncols; j++) /* (a later column's: only in an earlier row) */
        good = num_parse_fields(b->fields + j * run->frows, good, end,
                                b->v + j * run->max + from, &why);
    b->n = from + good;
    if (b->n < upto) {
        b->bad = b->n;
        b->bad_off = b->at[good].off;
        b->bad_len = b->at[good].len;
    }
}

/* Row i of a block: its truth value parsed, its distances' text kept (and
 * parsed each run->frows rows), up to the first row with a field that is
 * no number (the rows after it are not needed). */
static void parse_row(void *ctx, size_t i, size_t off, size_t len, const tsv_field *f)
{
    parse_ctx *c = ctx;
    rows_batch *b = c->b;
    const fitplan *p = c->run->p;
    if (b->bad != SIZE_MAX)
        return;
    int same = 0;
    if (p->has_same) {
        const tsv_field *s = &f[p->same_col];
        if (num_parse_truth(s->p, s->n, &same) != NULL) {
            parse_fields(c->run, b, i); /* (a distance before it comes first) */
            if (b->bad == SIZE_MAX) {
                b->bad = i;
                b->bad_off = off;
                b->bad_len = len;
            }
            return;
        }
    }
    size_t k = i - b->n;
    b->at[k] = (row_text){off, len};
    for (size_t j = 0; j < p->ncols; j++)
        b->fields[j * c->run->frows + k] = f[p->cols[j].idx];
    b->same[i] = (unsigned char)same;
    if (k + 1 == c->run->frows)
        parse_fields(c->run, b, i + 1);
}

/* b's rows added to every column's counts, a column at a time under its
 * lock: first those no other thread holds. */
static void count_batch(const rows_run *run, rows_batch *b)
{
    const fitplan *p = run->p;
    size_t nc = p->ncols;
    memset(b->todo, 1, nc);
    for (size_t left = nc; left > 0; left--) {
        size_t j = 0;
        while (j < nc && !(b->todo[j] && pthread_mutex_trylock(&run->lock[j]) == 0))
            j++;
        if (j == nc) { /* each held by another: wait for the first */
            j = 0;
            while (!b->todo[j])
                j++;
            pthread_mutex_lock(&run->lock[j]);
        }
        if (counts_add_rows(&p->cols[j].c, b->v + j * run->max, b->same, b->n) != 0)
            b->over[j] = 1;
        pthread_mutex_unlock(&run->lock[j]);
        b->todo[j] = 0;
    }
}

static void batch_work(void *ctx, void *p)
{
    const rows_run *run = ctx;
    rows_batch *b = p;
    b->n = 0;
    b->bad = SIZE_MAX;
    b->usual = tsv_block_usual(run->p->r, &b->blk, b->f, parse_row, &(parse_ctx){run, b},
                               &b->rest);
    if (b->bad == SIZE_MAX) /* (the rows since the last run) */
        parse_fields(run, b, b->usual);
    count_batch(run, b);
}

/* A column whose sums would pass 2^64 - 1 (over[j]): the error, at line
 * `line` of file. */
static void check_over(const fitplan *p, const unsigned char *over, const char *file,
                       uint64_t line)
{
    for (size_t j = 0; j < p->ncols; j++)
        if (over[j])
            fitplan_overflow(file, line, p->cols[j].name);
}

/* The rows the reading thread took (run->taken), added. */
static void count_taken(rows_run *run, const char *file, uint64_t line)
{
    rows_batch *t = run->taken;
    count_batch(run, t);
    check_over(run->p, t->over, file, line);
    t->n = 0;
}

/* A row tsv_take_line took: parsed here, in order (a bad field ends the
 * program now, every row before it read), into run->taken. */
static void taken_row(void *ctx, tsv_reader *r)
{
    rows_run *run = ctx;
    const fitplan *p = run->p;
    rows_batch *t = run->taken;
    if (t->n == run->max)
        count_taken(run, r->name, r->line);
    t->same[t->n] = p->has_same ? (unsigned char)tsv_truth(r, (size_t)p->same_col) : 0;
    for (size_t j = 0; j < p->ncols; j++)
        t->v[j * run->max + t->n] = tsv_number(r, p->cols[j].idx);
    t->n++;
}

static void batch_done(void *ctx, void *p)
{
    rows_run *run = ctx;
    rows_batch *b = p;
    tsv_reader *r = run->p->r;
    const fitplan *fp = run->p;
    if (b->bad != SIZE_MAX) { /* its message, as tsv_next's reader gives it */
        tsv_recall_row(r, b->blk.name, b->blk.line + b->bad, b->blk.text + b->bad_off,
                       b->bad_len);
        if (fp->has_same)
            tsv_truth(r, (size_t)fp->same_col);
        for (size_t j = 0; j < fp->ncols; j++)
            tsv_number(r, fp->cols[j].idx);
    }
    check_over(fp, b->over, b->blk.name, b->blk.line + b->usual - 1);
    r->rows += b->usual;
    if (b->usual < b->blk.nlines) {
        if (!run->taken)
            run->taken = batch_make(run);
        tsv_block_take(r, &b->blk, b->usual, b->rest, taken_row, NULL, run);
        count_taken(run, b->blk.name, b->blk.line + b->blk.nlines - 1);
    }
}

void fitplan_read_rows(fitplan *p)
{
    static const ordered_ops ops = {batch_make, batch_work, batch_done, batch_drop};
    size_t nc = p->ncols ? p->ncols : 1;
    rows_run run = {.p = p, .max = BLOCK_VALUES / nc};
    if (run.max > BLOCK_ROWS)
        run.max = BLOCK_ROWS;
    if (run.max < 1024)
        run.max = 1024;
    run.frows = FIELD_VALUES / nc;
    run.frows = run.frows > FIELD_ROWS ? FIELD_ROWS : run.frows < 4 ? 4 : run.frows;
    run.lock = xreallocarray(NULL, nc, sizeof *run.lock);
    for (size_t j = 0; j < nc; j++)
        pthread_mutex_init(&run.lock[j], NULL);
    ordered *q = ordered_new(p->o.jobs > 1 ? p->o.jobs : 1, &ops, &run);
    for (;;) {
        rows_batch *b = ordered_batch(q);
        b->blk.len = b->blk.nlines = 0; /* (an error while it is read: nothing in it) */
        if (!tsv_next_block(p->r, &b->blk, run.max)) {
            ordered_unused(q, b);
            break;
        }
        ordered_submit(q, b);
    }
    ordered_finish(q);
    if (run.taken)
        batch_drop(&run, run.taken);
    for (size_t j = 0; j < nc; j++)
        pthread_mutex_destroy(&run.lock[j]);
    free(run.lock);
}
