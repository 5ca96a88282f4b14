/* emb_par: the store after its first row, in batches of whole lines: the
 * text read and cut into lines on this thread, each batch's lines parsed
 * on a worker (common/ordered.h) into the batch's own rows, and the rows
 * added in file order on this thread (copied, their names indexed).  A line
 * the workers cannot take whole (a value f32_scan cannot tell, anything
 * wrong with it) is left to emb_line, in its turn: every row, check and
 * message, and the line it names, is the serial reader's, for every number
 * of threads.  See emb_impl.h. */
#include "common/diag.h"
#include "common/name.h"
#include "common/ordered.h"
#include "distances/emb_impl.h"
#include "distances/f32.h"
#include "distances/metric.h"

#include <stdlib.h>
#include <string.h>

/* About fifty lines of 512 values a batch: enough work a batch to pay for
 * handing it over, few enough bytes that the batches in flight stay in
 * cache (batches of 4 MiB: a third slower, the reads' copies missing the
 * cache).  A batch grows when a line needs it (up to LOOK bytes). */
enum { BATCH_BYTES = 512 << 10 };

typedef struct eline {
    size_t off, len; /* the line, without its LF */
    size_t namelen;
    size_t slot; /* parsed by the worker: its values at vals + slot * dim */
    int ok;      /* else emb_line reads it */
} eline;

typedef struct ebatch {
    char *text;
    size_t len;
    size_t room;  /* text holds room + 1 bytes */
    size_t slots; /* the most rows it can hold: a row is 2 dim + 1 bytes at least */
    eline *ln;
    size_t n, lncap;
    float *vals;   /* slots * dim: the values of the lines parsed */
    double *sq;    /* slots: their squared norms */
} ebatch;

typedef struct loader {
    emb *e;
    emb_rd *r;
    size_t dim;
    size_t bytes; /* what a batch is filled to */
    size_t most;  /* room for a line of LOOK bytes, and to read */
    size_t *cap;
    uint64_t first_line;
} loader;

/* parse_vector (emb.c) when every value is one f32_scan takes: exactly dim
 * of them into dst, or 0. */
static int fast_vector(const emb_values *v, size_t dim, float *dst)
{
    const char *p = v->p, *end = v->end;
    char sep = v->sep;
    int comma = sep == ',';
    for (size_t i = 0;; p++) {
        if (i == dim)
            return 0;
        if (comma)
            while (p < end && *p == ' ')
                p++;
        const char *q = f32_scan(p, end, &dst[i++]);
        if (!q)
            return 0;
        if (comma)
            while (q < end && *q == ' ')
                q++;
        if (q == end)
            return i == dim;
        if (*q != sep)
            return 0;
        p = q;
    }
}

/* emb_line's checks without an error: 1 when the line is a row whose
 * values are all in dst; 0 leaves it to emb_line. */
static int fast_line(const char *text, size_t len, size_t dim, float *dst, size_t *namelen)
{
    if (memchr(text, '\0', len))
        return 0;
    if (len > 0 && text[len - 1] == '\r')
        len--;
    const char *tab = memchr(text, '\t', len);
    if (!tab || tab == text || name_check(NAME_ITEM, text, (size_t)(tab - text)))
        return 0;
    emb_values v;
    if (emb_find_values(tab + 1, text + len, &v))
        return 0;
    *namelen = (size_t)(tab - text);
    return fast_vector(&v, dim, dst);
}

/* Room in b for `bytes` of text, and for the rows they can hold. */
static void batch_room(const loader *L, ebatch *b, size_t bytes)
{
    if (b->text && bytes <= b->room)
        return;
    b->room = bytes;
    b->text = xrealloc(b->text, bytes + 1);
    b->slots = bytes / (2 * L->dim + 1) + 1;
    b->vals = xreallocarray(b->vals, b->slots, L->dim * sizeof *b->vals);
    b->sq = xreallocarray(b->sq, b->slots, sizeof *b->sq);
}

static void *make(void *arg)
{
    const loader *L = arg;
    ebatch *b = xcalloc(1, sizeof *b);
    batch_room(L, b, L->bytes);
    return b;
}

static void drop(void *arg, void *batch)
{
    ebatch *b = batch;
    free(b->text);
    free(b->ln);
    free(b->vals);
    free(b->sq);
    free(b);
}

/* On a worker: never an error. */
static void work(void *arg, void *batch)
{
    const loader *L = arg;
    ebatch *b = batch;
    size_t slot = 0;
    for (size_t i = 0; i < b->n; i++) {
        eline *l = &b->ln[i];
        float *dst = b->vals + slot * L->dim;
        l->ok = slot < b->slots && fast_line(b->text + l->off, l->len, L->dim, dst, &l->namelen);
        if (l->ok) {
            /* while the row is in cache (and on this thread) */
            b->sq[slot] = metric_sqnorm(dst, L->dim);
            l->slot = slot++;
        }
    }
}

/* In file order, on the loader's thread: the rows added as emb_line adds
 * them. */
static void done(void *arg, void *batch)
{
    loader *L = arg;
    ebatch *b = batch;
    emb *e = L->e;
    for (size_t i = 0; i < b->n; i++) {
        eline *l = &b->ln[i];
        char *text = b->text + l->off;
        L->r->line++;
        if (!l->ok) {
            uint64_t first = L->first_line;
            emb_line(e, L->r, text, l->len, L->cap, &first);
            continue;
        }
        emb_reserve_rows(e, L->cap);
        memcpy(e->vec + e->n * e->dim, b->vals + l->slot * e->dim, e->dim * sizeof *e->vec);
        emb_add_name(e, L->r, arena_keep(&e->names, text, l->namelen), l->namelen, NULL,
                     L->first_line);
        e->sqnorm[e->n - 1] = b->sq[l->slot];
    }
}

/* Cut b's text from `at` (where a line begins) into lines: whole ones of at
 * most LOOK bytes (the last one without a LF at the end of the data).
 * Returns where the rest begins: a line not read to its end yet, or one
 * longer than LOOK (*longer set). */
static size_t cut(ebatch *b, size_t at, int eof, int *longer)
{
    const char *p = b->text + at, *end = b->text + b->len;
    *longer = 0;
    while (p < end) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        size_t len = lf ? (size_t)(lf - p) : (size_t)(end - p);
        if (len > LOOK) {
            *longer = 1;
            break;
        }
        if (!lf && !eof)
            break;
        if (b->n == b->lncap) {
            b->lncap = b->lncap ? 2 * b->lncap : 256;
            b->ln = xreallocarray(b->ln, b->lncap, sizeof *b->ln);
        }
        b->ln[b->n++] = (eline){.off = (size_t)(p - b->text), .len = len};
        p = lf ? lf + 1 : end;
    }
    return (size_t)(p - b->text);
}

/* Read this much at a time, and cut it while it is in cache. */
enum { READ_STEP = 256 << 10 };

void emb_load_batches(emb *e, emb_rd *r, size_t *cap, uint64_t first_line, int jobs)
{
    loader L = {.e = e, .r = r, .dim = e->dim, .bytes = BATCH_BYTES, .cap = cap,
                .first_line = first_line};
    L.most = 2 * LOOK + 2;
    if (L.most < L.bytes)
        L.most = L.bytes;
    metric_sqnorm(e->vec, e->dim); /* its choice of loop made here, not by the workers */
    if (r->cap < L.most) { /* what a batch leaves over comes back here */
        r->cap = L.most;
        r->buf = xrealloc(r->buf, r->cap + 1);
    }
    static const ordered_ops ops = {make, work, done, drop};
    ordered *q = ordered_new(jobs, &ops, &L);
    for (;;) {
        ebatch *b = ordered_batch(q);
        b->n = 0; /* whole while it is filled: an error reading comes after it */
        /* what the last batch left over, then as much as fits */
        b->len = r->end - r->pos;
        batch_room(&L, b, b->len); /* the first: all the reader holds */
        memcpy(b->text, r->buf + r->pos, b->len);
        r->pos = r->end = 0;
        int longer = 0;
        size_t rest = cut(b, 0, r->eof, &longer);
        for (size_t fill = L.bytes; !r->eof && !longer;) {
            if (b->len >= fill) {
                if (b->n > 0 || fill >= L.most)
                    break;
                /* full, and not one whole line: room for a line of LOOK */
                fill = L.most;
                batch_room(&L, b, fill);
            }
            size_t step = fill - b->len < READ_STEP ? fill - b->len : READ_STEP;
            size_t got = zio_read(r->gz, b->text + b->len, step, 1);
            r->eof = got == 0;
            b->len += got;
            b->text[b->len] = '\0';
            rest = cut(b, rest, r->eof, &longer);
        }
        b->text[b->len] = '\0';
        r->end = b->len - rest;
        memcpy(r->buf, b->text + rest, r->end);
        r->buf[r->end] = '\0';
        if (b->n == 0)
            ordered_unused(q, b);
        else
            ordered_submit(q, b);
        if (longer || (r->eof && r->end == 0))
            break;
    }
    ordered_finish(q);
}
