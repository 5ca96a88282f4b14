/* emb_long: the store's buffer read in chunks, and a line too long to hold
 * (past emb_look bytes) read value by value.  See emb_impl.h. */
#include "common/diag.h"
#include "distances/emb_impl.h"
#include "distances/f32.h"

#include <stdlib.h>
#include <string.h>

int emb_rd_more(emb_rd *s)
{
    if (s->eof)
        return 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->end < LOOK) {
        s->cap *= 2;
        s->buf = xrealloc(s->buf, s->cap + 1);
    }
    size_t got = zio_read(s->gz, s->buf + s->end, s->cap - s->end, 1);
    s->end += got;
    s->buf[s->end] = '\0';
    if (got == 0)
        s->eof = 1;
    return got > 0;
}

char *emb_rd_find(emb_rd *s, size_t from, char a, char b)
{
    for (;;) {
        char *p = s->buf + s->pos + from;
        size_t n = s->end - s->pos - from;
        char *x = memchr(p, a, n);
        char *y = memchr(p, b, x ? (size_t)(x - p) : n);
        if (y || x)
            return y ? y : x;
        from = s->end - s->pos;
        if (!emb_rd_more(s))
            return NULL;
    }
}

/* Value i alone: the field [p, fe), fe at its separator or at the end of
 * the values (the line read in pieces).  As parse_vector does a value. */
static void parse_value(const emb *e, const emb_rd *r, size_t i, const char *nq, const char *p,
                        const char *fe, int comma, float *dst)
{
    const char *s = p;
    if (comma)
        while (s < fe && *s == ' ')
            s++;
    const char *q = f32_scan(s, fe, dst);
    if (q && comma)
        while (q < fe && *q == ' ')
            q++;
    if (q != fe) {
        const char *t = fe;
        while (comma && t > s && t[-1] == ' ')
            t--;
        emb_slow_value(e, r, i, nq, s, (size_t)(t - s), dst);
    }
}

/* The separator of the values at buf[pos], as emb_values decides for a
 * line it holds: a TAB in the line's bytes held, TABs; else a comma or the
 * line's end held, commas (commas and then a TAB are caught value by value
 * below).  Neither (a first value longer than the bytes held, which depend
 * on how the input is read: a pipe gives less at a time than a file):
 * read on to its first TAB, comma or LF. */
static char first_separator(emb_rd *r)
{
    const char *p = r->buf + r->pos;
    size_t held = r->end - r->pos;
    const char *lf = memchr(p, '\n', held);
    size_t span = lf ? (size_t)(lf - p) : held;
    if (memchr(p, '\t', span))
        return '\t';
    if (lf || memchr(p, ',', span))
        return ',';
    for (size_t from = held;; from = r->end - r->pos) {
        if (!emb_rd_more(r))
            return ',';
        p = r->buf + r->pos;
        for (size_t i = from, n = r->end - r->pos; i < n; i++)
            if (p[i] == '\t' || p[i] == ',' || p[i] == '\n')
                return p[i] == '\t' ? '\t' : ',';
    }
}

/* A line that has commas and then a TAB (so is TAB-separated) fails at
 * that value. */
void emb_parse_long_line(emb *e, emb_rd *r, size_t *cap, uint64_t first_line)
{
    char q[DIAG_QUOTE_MAX], nq[DIAG_QUOTE_MAX];
    size_t col = 0; /* bytes of the line before buf[pos] */
    char *x = emb_rd_find(r, 0, '\t', '\n'), *p = r->buf + r->pos;
    char *t = x ? x : r->buf + r->end;
    const char *z = memchr(p, '\0', (size_t)(t - p));
    if (z)
        emb_nul_error(e, r, (size_t)(z - p) + 1);
    if (!x || *x == '\n') {
        size_t len = (size_t)(t - p) - (t > p && t[-1] == '\r');
        die_at(e->path, r->line, "no TAB after the name (expected NAME<TAB>VALUES) ('%s')",
               diag_quote(q, sizeof q, p, len));
    }
    size_t namelen = (size_t)(x - p);
    emb_check_name(e, r, p, namelen, nq);
    const char *name = arena_keep(&e->names, p, namelen);
    r->pos += namelen + 1;
    col += namelen + 1;
    while (r->end - r->pos < LOOK && emb_rd_more(r))
        ;
    p = r->buf + r->pos;
    /* for messages, how the values begin (within the line, without a CR) */
    char head[4 * DIAG_QUOTE_MAX];
    const char *lf = memchr(p, '\n', r->end - r->pos);
    size_t avail = lf ? (size_t)(lf - p) - (lf > p && lf[-1] == '\r') : r->end - r->pos;
    size_t headlen = avail < sizeof head ? avail : sizeof head;
    memcpy(head, p, headlen);
    int list = headlen > 0 && *p == '[';
    char sep = ',';
    if (list) {
        r->pos++;
        col++;
    } else {
        sep = first_separator(r);
    }
    int comma = sep == ',', first = e->dim == 0;
    size_t i = 0, fcap = 0;
    if (!first)
        emb_reserve_rows(e, cap);
    for (;;) {
        x = emb_rd_find(r, 0, sep, '\n');
        p = r->buf + r->pos;
        t = x ? x : r->buf + r->end;
        int last = !x || *x == '\n';
        if ((z = memchr(p, '\0', (size_t)(t - p))))
            emb_nul_error(e, r, col + (size_t)(z - p) + 1);
        if (last) {
            if (t > p && t[-1] == '\r')
                t--;
            if (list) {
                if (t == p || t[-1] != ']')
                    die_at(e->path, r->line, "list without a closing ']' ('%s')",
                           diag_quote(q, sizeof q, head, headlen));
                t--;
            }
        }
        if (comma && memchr(p, '\t', (size_t)(t - p))) {
            /* commas, then a TAB: the line is TAB-separated after all, and
             * its first value holds commas (head is how that value begins;
             * in a list, the TAB is in this value) */
            if (!list) {
                /* value 1 under TABs runs up to this TAB, past a comma:
                 * no number, however long (head may end before it) */
                const char *tab = memchr(head, '\t', headlen);
                emb_value_refused(e, r, 0, nq, head, tab ? (size_t)(tab - head) : headlen,
                                  "is not a number");
            }
            emb_slow_value(e, r, i, nq, p, (size_t)(t - p), &(float){0});
        }
        if (!first && i == e->dim) {
            size_t k = i + 1; /* this value and those after it */
            for (; !last; k++) {
                r->pos = (size_t)(x - r->buf) + 1;
                x = emb_rd_find(r, 0, sep, '\n');
                last = !x || *x == '\n';
            }
            emb_dim_error(e, r, k, nq, first_line);
        }
        float *dst;
        if (first) {
            if (i == fcap) {
                fcap = fcap ? fcap + fcap / 4 : (size_t)1 << 14; /* as reserve_rows */
                e->vec = xreallocarray(e->vec, fcap, sizeof *e->vec);
            }
            dst = e->vec + i;
        } else
            dst = e->vec + e->n * e->dim + i;
        parse_value(e, r, i, nq, p, t, comma, dst);
        i++;
        if (last) {
            r->pos = x ? (size_t)(x - r->buf) + 1 : r->end;
            break;
        }
        col += (size_t)(x - p) + 1;
        r->pos = (size_t)(x - r->buf) + 1;
    }
    if (first) {
        e->dim = i;
        *cap = fcap / i;
    } else if (i != e->dim)
        emb_dim_error(e, r, i, nq, first_line);
    emb_add_name(e, r, name, namelen, nq, first_line);
}

void emb_skip_line(emb_rd *r)
{
    char *x = emb_rd_find(r, 0, '\n', '\n');
    r->pos = x ? (size_t)(x - r->buf) + 1 : r->end;
}

/* emb_is_header on its text up to LOOK bytes past the TAB (all that it
 * looks at: the first value). */
int emb_long_header(emb_rd *r)
{
    char *x = emb_rd_find(r, 0, '\t', '\n');
    if (!x || *x == '\n')
        return 1;
    size_t tab = (size_t)(x - r->buf) - r->pos;
    while (r->end - r->pos - tab < LOOK && emb_rd_more(r))
        ;
    return emb_is_header(r->buf + r->pos, r->end - r->pos);
}
