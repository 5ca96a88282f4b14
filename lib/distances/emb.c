/* emb: the embedding store loaded: each line read whole when it fits in
 * emb_look bytes (else emb_long.c), its name checked and indexed, its
 * values parsed (f32.h).  See emb.h. */
#include "common/diag.h"
#include "common/name.h"
#include "distances/emb_impl.h"
#include "distances/f32.h"
#include "distances/metric.h"

#include <stdlib.h>
#include <string.h>

enum { BUF_MIN = 4 << 20 }; /* the first read: what the rows are guessed from */
size_t emb_look = 1 << 20;

void emb_nul_error(const emb *e, const emb_rd *r, size_t col)
{
    die_at(e->path, r->line, "NUL byte in the input (column %zu)", col);
}

const char *emb_find_values(const char *p, const char *end, emb_values *v)
{
    if (p < end && *p == '[') {
        if (end[-1] != ']' || end - p < 2)
            return "list without a closing ']'";
        v->p = p + 1;
        v->end = end - 1;
        v->sep = ',';
        return NULL;
    }
    v->p = p;
    v->end = end;
    v->sep = memchr(p, '\t', (size_t)(end - p)) ? '\t' : ',';
    return NULL;
}

static size_t count_values(const char *p, const char *end, char sep)
{
    size_t k = 1;
    for (; (p = memchr(p, sep, (size_t)(end - p))); p++)
        k++;
    return k;
}

void emb_value_refused(const emb *e, const emb_rd *r, size_t i, const char *nq, const char *p,
                       size_t n, const char *why)
{
    if (n == 0)
        die_at(e->path, r->line, "value %zu of '%s' is empty", i + 1, nq);
    char q[DIAG_QUOTE_MAX];
    die_at(e->path, r->line, "value %zu of '%s' %s ('%s')", i + 1, nq, why,
           diag_quote(q, sizeof q, p, n));
}

void emb_slow_value(const emb *e, const emb_rd *r, size_t i, const char *nq, const char *p,
                    size_t n, float *res)
{
    const char *why = f32_parse(p, n, res);
    if (why)
        emb_value_refused(e, r, i, nq, p, n, why);
}

void emb_dim_error(const emb *e, const emb_rd *r, size_t k, const char *nq,
                               uint64_t first_line)
{
    die_at(e->path, r->line, "vector of dimension %zu, expected %zu as on line %llu ('%s')", k,
           e->dim, (unsigned long long)first_line, nq);
}

/* Exactly e->dim values of v into dst. */
static void parse_vector(const emb *e, const emb_rd *r, const emb_values *v, float *dst,
                         const char *nq, uint64_t first_line)
{
    const char *p = v->p, *end = v->end;
    char sep = v->sep;
    int comma = sep == ',';
    size_t i = 0;
    for (;;) {
        if (i == e->dim)
            emb_dim_error(e, r, i + count_values(p, end, sep), nq, first_line);
        const char *s = p;
        if (comma)
            while (s < end && *s == ' ')
                s++;
        const char *q = f32_scan(s, end, &dst[i]);
        if (q && comma)
            while (q < end && *q == ' ')
                q++;
        if (!q || (q < end && *q != sep)) {
            const char *fe = memchr(s, sep, (size_t)(end - s)), *t;
            if (!fe)
                fe = end;
            for (t = fe; comma && t > s && t[-1] == ' ';)
                t--;
            emb_slow_value(e, r, i, nq, s, (size_t)(t - s), &dst[i]);
            q = fe;
        }
        i++;
        if (q == end)
            break;
        p = q + 1;
    }
    if (i != e->dim)
        emb_dim_error(e, r, i, nq, first_line);
}

/* Room for row e->n.  The first rows take about 64 KiB, then the room
 * grows by a quarter (realloc moves large blocks by remapping, without a
 * copy), so the store costs about its own size, in address space too,
 * however few or many its rows. */
void emb_reserve_rows(emb *e, size_t *cap)
{
    if (e->n < *cap)
        return;
    size_t first = ((size_t)1 << 16) / (e->dim * sizeof *e->vec);
    *cap = *cap ? *cap + *cap / 4 + 1 : first ? first : 1;
    e->vec = xreallocarray(e->vec, *cap, e->dim * sizeof *e->vec);
}

/* A plain file of `size` bytes: room at once for its rows, on huge pages
 * (malloc_huge), when that is large (a page fault each 4 KiB, as the rows
 * came, cost more than parsing them).  The rows are guessed from the
 * average length of the lines read so far (the first, `first` bytes with
 * its LF, and the whole lines of seen[0, n): up to the reader's 4 MiB),
 * plus a quarter, and never more floats than the file has bytes (values of
 * 1 to 3 bytes: the room grows as the rows come).  Room refused (a limit on
 * address space), or more rows than guessed: the room grows as they come. */
static void reserve_file_rows(emb *e, size_t *cap, uint64_t size, size_t first, const char *seen,
                              size_t n)
{
    size_t row = e->dim * sizeof *e->vec, lines = 1, bytes = first;
    const char *end = seen + n, *lf;
    for (const char *p = seen; (lf = memchr(p, '\n', (size_t)(end - p))); p = lf + 1) {
        lines++;
        bytes += (size_t)(lf + 1 - p);
    }
    uint64_t most = size / row + 1;
    uint64_t guess = (uint64_t)((double)size / ((double)bytes / (double)lines));
    guess += guess / 4 + 16;
    if (guess > most)
        guess = most;
    if (size == 0 || guess <= *cap || guess > SIZE_MAX / row || guess * row < ((size_t)8 << 20))
        return;
    float *v = malloc_huge((size_t)guess, row);
    if (!v)
        return;
    if (e->n)
        memcpy(v, e->vec, e->n * row);
    free(e->vec);
    e->vec = v;
    *cap = (size_t)guess;
}

/* Is the first line a header?  Yes when it has no value at all, or when its
 * first value does not begin like a number (a digit, a sign or a point;
 * NaN and Inf count as numbers here): "name<TAB>embedding", "id<TAB>v1...".
 * So a first vector with a bad number is an error, not a header. */
int emb_is_header(const char *text, size_t len)
{
    const char *tab = memchr(text, '\t', len), *end = text + len;
    if (!tab)
        return 1;
    const char *p = tab + 1, *q;
    if (p < end && *p == '[')
        p++;
    for (q = p; q < end && *q != '\t' && *q != ',' && *q != ']';)
        q++;
    while (p < q && *p == ' ')
        p++;
    while (q > p && q[-1] == ' ')
        q--;
    size_t n = (size_t)(q - p);
    if (n == 0 || f32_is_nonfinite(p, n))
        return 0; /* a bad vector, not a header */
    return !((unsigned)(*p - '0') < 10) && *p != '-' && *p != '+' && *p != '.';
}

void emb_add_name(emb *e, const emb_rd *r, const char *name, size_t namelen, const char *nq,
                     uint64_t first_line)
{
    int found;
    uint64_t *slot = emb_index_put(&e->index, name, namelen, &found);
    if (found) {
        char q[DIAG_QUOTE_MAX];
        die_at(e->path, r->line, "name given twice, first on line %llu ('%s')",
               (unsigned long long)(first_line + *slot),
               nq ? nq : diag_quote(q, sizeof q, name, namelen));
    }
    if (e->n == e->sqcap) {
        e->sqcap = e->sqcap ? e->sqcap + e->sqcap / 4 + 1 : 1024;
        e->sqnorm = xreallocarray(e->sqnorm, e->sqcap, sizeof *e->sqnorm);
    }
    e->sqnorm[e->n] = -1; /* not known yet */
    *slot = e->n++;
}

void emb_check_name(const emb *e, const emb_rd *r, const char *p, size_t n, char *nq)
{
    if (n == 0)
        die_at(e->path, r->line, "empty name (expected NAME<TAB>VALUES)");
    diag_quote(nq, DIAG_QUOTE_MAX, p, n);
    const char *bad = name_check(NAME_ITEM, p, n);
    if (bad)
        die_at(e->path, r->line, "item name %s ('%s')", bad, nq);
}

/* A whole line, text[0..len). */
static void parse_line(emb *e, const emb_rd *r, const char *text, size_t len, size_t *cap,
                       uint64_t first_line)
{
    char q[DIAG_QUOTE_MAX], nq[DIAG_QUOTE_MAX];
    const char *end = text + len;
    if (len == 0)
        die_at(e->path, r->line, "empty line (expected NAME<TAB>VALUES)");
    const char *tab = memchr(text, '\t', len);
    if (!tab)
        die_at(e->path, r->line, "no TAB after the name (expected NAME<TAB>VALUES) ('%s')",
               diag_quote(q, sizeof q, text, len));
    size_t namelen = (size_t)(tab - text);
    emb_check_name(e, r, text, namelen, nq);
    emb_values v;
    const char *why = emb_find_values(tab + 1, end, &v);
    if (why)
        die_at(e->path, r->line, "%s ('%s')", why,
               diag_quote(q, sizeof q, tab + 1, (size_t)(end - tab - 1)));
    if (e->dim == 0)
        e->dim = count_values(v.p, v.end, v.sep);
    emb_reserve_rows(e, cap);
    parse_vector(e, r, &v, e->vec + e->n * e->dim, nq, first_line);
    emb_add_name(e, r, arena_keep(&e->names, text, namelen), namelen, nq, first_line);
}

typedef struct loader {
    emb *e;
    emb_rd r;
} loader;

static void abandon(void *arg)
{
    loader *L = arg;
    emb_free(L->e);
    if (L->r.gz)
        zio_close(L->r.gz);
    free(L->r.buf);
}

void emb_line(emb *e, const emb_rd *r, char *text, size_t len, size_t *cap,
              uint64_t *first_line)
{
    const char *z = memchr(text, '\0', len);
    if (z)
        emb_nul_error(e, r, (size_t)(z - text) + 1);
    if (len > 0 && text[len - 1] == '\r')
        len--;
    text[len] = '\0';
    if (r->line == 1 && emb_is_header(text, len))
        return;
    if (*first_line == 0)
        *first_line = r->line;
    parse_line(e, r, text, len, cap, *first_line);
}

emb *emb_load(const char *path)
{
    return emb_load_jobs(path, 1);
}

emb *emb_load_jobs(const char *path, int jobs)
{
    loader L = {xcalloc(1, sizeof *L.e), {0}};
    emb *e = L.e;
    emb_rd *r = &L.r;
    diag_on_error(abandon, &L); /* nothing left behind by an error */
    r->cap = BUF_MIN;
    r->buf = xmalloc(r->cap + 1);
    r->gz = zio_open(path, &r->name);
    e->path = r->name;
    emb_index_init(&e->index, 1024);
    size_t cap = 0;
    uint64_t first_line = 0; /* the line of row 0 */
    int batched = 0;
    emb_rd_more(r);
    if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3; /* a UTF-8 byte-order mark */
    for (;;) {
        /* the whole line, or its first LOOK bytes */
        size_t scanned = 0;
        char *lf;
        for (;;) {
            lf = memchr(r->buf + r->pos + scanned, '\n', r->end - r->pos - scanned);
            if (lf || r->end - r->pos >= LOOK)
                break;
            scanned = r->end - r->pos;
            if (!emb_rd_more(r))
                break;
        }
        if (!lf && r->pos == r->end)
            break;
        r->line++;
        if ((!lf && !r->eof) || (size_t)((lf ? lf : r->buf + r->end) - (r->buf + r->pos)) > LOOK) {
            if (r->line == 1 && emb_long_header(r)) {
                emb_skip_line(r);
                continue;
            }
            if (first_line == 0)
                first_line = r->line;
            emb_parse_long_line(e, r, &cap, first_line);
            continue;
        }
        char *text = r->buf + r->pos;
        size_t len = lf ? (size_t)(lf - text) : r->end - r->pos;
        r->pos += len + (lf != NULL);
        emb_line(e, r, text, len, &cap, &first_line);
        if (e->dim && !batched) {
            /* the dimension known: the rest in batches of lines, parsed by
             * jobs threads, until a line too long to hold */
            batched = 1;
            reserve_file_rows(e, &cap, zio_plain_size(r->gz), len + 1, r->buf + r->pos,
                              r->end - r->pos);
            emb_load_batches(e, r, &cap, first_line, jobs);
        }
    }
    if (e->n == 0)
        die_at(e->path, 0, "no embeddings in the store");
    zio_close(r->gz);
    r->gz = NULL;
    free(r->buf);
    r->buf = NULL;
    e->vec = xreallocarray(e->vec, e->n, e->dim * sizeof *e->vec);
    e->sqnorm = xreallocarray(e->sqnorm, e->n, sizeof *e->sqnorm);
    for (size_t i = 0; i < e->n; i++)
        if (e->sqnorm[i] < 0)
            e->sqnorm[i] = metric_sqnorm(emb_vec(e, i), e->dim);
    diag_forget_error(abandon, &L);
    return e;
}

void emb_free(emb *e)
{
    if (!e)
        return;
    emb_index_free(&e->index);
    arena_free(&e->names);
    free(e->vec);
    free(e->sqnorm);
    free(e);
}
