#include "distances/emb.h"
#include "common/diag.h"
#include "distances/metric.h"
#include "common/name.h"
#include "stream/num.h"
#include "stream/zio.h"

#include <math.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <strings.h>

static const char *keep_name(emb *e, const char *p, size_t n)
{
    return arena_keep(&e->names, p, n);
}

/* The store is read in chunks, never a whole line at a time: a line of a
 * vector of 10^7 values is some 100 MB of text, and holding it (or growing
 * a buffer to it) would cost more than the vector.  A line of at most LOOK
 * bytes is parsed in place; a longer one value by value. */
enum { BUF_MIN = 4 << 20 };
size_t emb_look = 1 << 20;
#define LOOK emb_look

typedef struct rd {
    zio *gz;
    const char *name;
    char *buf;            /* cap + 1 bytes; buf[end] is '\0' */
    size_t cap, pos, end; /* unread data is buf[pos..end) */
    int eof;
    uint64_t line; /* the line being read, 1-based */
} rd;

/* Read more data, keeping buf[pos..end) (moved to the front; the buffer
 * grows only when that fills it).  Returns 0 at the end of the data. */
static int rd_more(rd *s)
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
    size_t got = zio_read(s->gz, s->buf + s->end, s->cap - s->end, s->line);
    s->end += got;
    s->buf[s->end] = '\0';
    if (got == 0)
        s->eof = 1;
    return got > 0;
}

/* The first of a or b at or after buf[pos + from], reading on as needed;
 * NULL at the end of the data.  (Pointers into buf last until rd_more.) */
static char *rd_find(rd *s, size_t from, char a, char b)
{
    for (;;) {
        char *p = s->buf + s->pos + from;
        size_t n = s->end - s->pos - from;
        char *x = memchr(p, a, n);
        char *y = memchr(p, b, x ? (size_t)(x - p) : n);
        if (y || x)
            return y ? y : x;
        from = s->end - s->pos;
        if (!rd_more(s))
            return NULL;
    }
}

static noreturn void nul_error(const emb *e, const rd *r, size_t col)
{
    die_at(e->path, r->line, "NUL byte in the input (column %zu)", col);
}

/* The values of a line: where they start and end, and what separates them. */
typedef struct values {
    const char *p, *end;
    char sep;
} values;

/* Split the text after the name into its values.  Returns NULL or what is
 * wrong. */
static const char *find_values(const char *p, const char *end, values *v)
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

static int is_digit(char c)
{
    return (unsigned)(c - '0') < 10;
}

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight ASCII digits at p as a number, or -1 (SWAR, after simdjson). */
static int64_t eight_digits(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    if (((x & 0xF0F0F0F0F0F0F0F0u) |
         (((x + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) >> 4)) != 0x3333333333333333u)
        return -1;
    x -= 0x3030303030303030u;
    x = x * 10 + (x >> 8);
    x = ((x & 0x000000FF000000FFu) * (100 + (1000000ull << 32)) +
         ((x >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32))) >>
        32;
    return (int64_t)x;
}
#else
static int64_t eight_digits(const char *p)
{
    return -1;
}
#endif

/* The fast path for a value of the store: a plain decimal at p, rounded to
 * float32.  Python writes float32 embeddings with up to 17 digits, past
 * num_parse's exact fast path (strtod costs about 100 ns a number: most of
 * the time of loading a store), so here m * 10^e is computed in double (m
 * below 10^19, |e| <= 22: within 2 ulps of the decimal) and rounded to
 * float32, which is the correctly rounded result unless that double lies
 * within a few ulps of a point halfway between two floats.  Returns where
 * the number ends, or NULL when this path cannot tell: the caller then
 * takes the field through num_parse (errors) and strtof (the value). */
static const char *scan_f32(const char *p, const char *end, float *res)
{
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    const char *d0 = p;
    uint64_t m = 0;
    int sig = 0;
    long e = 0;
    while (p < end && *p == '0')
        p++;
    for (; p < end && is_digit(*p); p++, sig++)
        m = m * 10 + (uint64_t)(*p - '0');
    int digits = p > d0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        if (m == 0)
            while (p < end && *p == '0')
                p++;
        int64_t x;
        while (end - p >= 8 && sig <= 11 && (x = eight_digits(p)) >= 0) {
            m = m * 100000000u + (uint64_t)x;
            sig += 8;
            p += 8;
        }
        for (; p < end && is_digit(*p); p++, sig++)
            m = m * 10 + (uint64_t)(*p - '0');
        e -= p - f0;
        digits |= p > f0;
    }
    if (!digits || sig > 19)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        if (++p < end && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        const char *x0 = p;
        long x = 0;
        for (; p < end && is_digit(*p) && x < 1000; p++)
            x = x * 10 + (*p - '0');
        if (p == x0 || (p < end && is_digit(*p)))
            return NULL;
        e += eneg ? -x : x;
    }
    if (e < -22 || e > 22)
        return NULL;
    double v = e < 0 ? (double)m / pow10_exact[-e] : (double)m * pow10_exact[e];
    if (v != 0) {
        if (!(v > 1e-37 && v < 3e38))
            return NULL; /* near the ends of float32's range */
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        /* the 29 bits that double has and float has not: halfway is 2^28 */
        int64_t off = (int64_t)(bits & ((1u << 29) - 1)) - (1 << 28);
        if (off >= -8 && off <= 8)
            return NULL;
    }
    *res = neg ? -(float)v : (float)v;
    return p;
}

static int is_word(const char *p, size_t n, const char *w)
{
    if (n > 0 && (*p == '-' || *p == '+')) {
        p++;
        n--;
    }
    return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

/* The slow path: value i of the row named nq is p[0..n); parse it strictly
 * or die saying what is wrong with it. */
static void slow_value(const emb *e, const rd *r, size_t i, const char *nq,
                       const char *p, size_t n, float *res)
{
    char q[DIAG_QUOTE_MAX];
    double d;
    const char *why = num_parse(p, n, &d);
    if (!why) {
        /* num_parse checked the syntax; strtof rounds to float32 directly
         * (the field ends at a TAB, a comma, a blank, ']' or the line's end) */
        float f = strtof(p, NULL);
        if (isfinite(f)) { /* a value too small for float32 becomes 0 */
            *res = f;
            return;
        }
        why = "is out of float32 range";
    }
    if (n == 0)
        die_at(e->path, r->line, "value %zu of '%s' is empty", i + 1, nq);
    if (is_word(p, n, "nan"))
        why = "is NaN";
    else if (is_word(p, n, "inf") || is_word(p, n, "infinity"))
        why = "is infinite";
    else if (strcmp(why, "is out of range") == 0)
        why = "is out of float32 range";
    die_at(e->path, r->line, "value %zu of '%s' %s ('%s')", i + 1, nq, why,
           diag_quote(q, sizeof q, p, n));
}

static noreturn void dim_error(const emb *e, const rd *r, size_t k, const char *nq,
                               uint64_t first_line)
{
    die_at(e->path, r->line, "vector of dimension %zu, expected %zu as on line %llu ('%s')", k,
           e->dim, (unsigned long long)first_line, nq);
}

/* Exactly e->dim values of v into dst. */
static void parse_vector(const emb *e, const rd *r, const values *v, float *dst,
                         const char *nq, uint64_t first_line)
{
    const char *p = v->p, *end = v->end;
    char sep = v->sep;
    int comma = sep == ',';
    size_t i = 0;
    for (;;) {
        if (i == e->dim)
            dim_error(e, r, i + count_values(p, end, sep), nq, first_line);
        const char *s = p;
        if (comma)
            while (s < end && *s == ' ')
                s++;
        const char *q = scan_f32(s, end, &dst[i]);
        if (q && comma)
            while (q < end && *q == ' ')
                q++;
        if (!q || (q < end && *q != sep)) {
            const char *fe = memchr(s, sep, (size_t)(end - s)), *t;
            if (!fe)
                fe = end;
            for (t = fe; comma && t > s && t[-1] == ' ';)
                t--;
            slow_value(e, r, i, nq, s, (size_t)(t - s), &dst[i]);
            q = fe;
        }
        i++;
        if (q == end)
            break;
        p = q + 1;
    }
    if (i != e->dim)
        dim_error(e, r, i, nq, first_line);
}

/* Value i alone: the field [p, fe), fe at its separator or at the end of
 * the values (the line read in pieces).  As parse_vector does a value. */
static void parse_value(const emb *e, const rd *r, size_t i, const char *nq, const char *p,
                        const char *fe, int comma, float *dst)
{
    const char *s = p;
    if (comma)
        while (s < fe && *s == ' ')
            s++;
    const char *q = scan_f32(s, fe, dst);
    if (q && comma)
        while (q < fe && *q == ' ')
            q++;
    if (q != fe) {
        const char *t = fe;
        while (comma && t > s && t[-1] == ' ')
            t--;
        slow_value(e, r, i, nq, s, (size_t)(t - s), dst);
    }
}

/* Room for row e->n.  The first rows take about 64 KiB, then the room
 * grows by a quarter (realloc moves large blocks by remapping, without a
 * copy), so the store costs about its own size, in address space too,
 * however few or many its rows. */
static void reserve_rows(emb *e, size_t *cap)
{
    if (e->n < *cap)
        return;
    size_t first = ((size_t)1 << 16) / (e->dim * sizeof *e->vec);
    *cap = *cap ? *cap + *cap / 4 + 1 : first ? first : 1;
    e->vec = xreallocarray(e->vec, *cap, e->dim * sizeof *e->vec);
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
    if (n == 0 || is_word(p, n, "nan") || is_word(p, n, "inf") || is_word(p, n, "infinity"))
        return 0; /* a bad vector, not a header */
    return !is_digit(*p) && *p != '-' && *p != '+' && *p != '.';
}

static void add_name(emb *e, const rd *r, const char *name, size_t namelen, const char *nq,
                     uint64_t first_line)
{
    int found;
    uint64_t *slot = strmap_put(&e->index, name, namelen, &found);
    if (found)
        die_at(e->path, r->line, "name given twice, first on line %llu ('%s')",
               (unsigned long long)(first_line + *slot), nq);
    *slot = e->n++;
}

/* A whole line, text[0..len). */
static void parse_line(emb *e, const rd *r, const char *text, size_t len, size_t *cap,
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
    if (namelen == 0)
        die_at(e->path, r->line, "empty name (expected NAME<TAB>VALUES)");
    diag_quote(nq, sizeof nq, text, namelen);
    const char *bad = name_check(NAME_ITEM, text, namelen);
    if (bad)
        die_at(e->path, r->line, "item name %s ('%s')", bad, nq);
    values v;
    const char *why = find_values(tab + 1, end, &v);
    if (why)
        die_at(e->path, r->line, "%s ('%s')", why,
               diag_quote(q, sizeof q, tab + 1, (size_t)(end - tab - 1)));
    if (e->dim == 0)
        e->dim = count_values(v.p, v.end, v.sep);
    reserve_rows(e, cap);
    parse_vector(e, r, &v, e->vec + e->n * e->dim, nq, first_line);
    add_name(e, r, keep_name(e, text, namelen), namelen, nq, first_line);
}

/* A line longer than LOOK at buf[pos..], read value by value: memory is
 * the vector's and a buffer of a few MiB, not the line's.  The same checks
 * and messages as parse_line, in the order the values come; a line that
 * has commas and then a TAB (so is TAB-separated) fails at that value. */
static void parse_long_line(emb *e, rd *r, size_t *cap, uint64_t first_line)
{
    char q[DIAG_QUOTE_MAX], nq[DIAG_QUOTE_MAX];
    size_t col = 0; /* bytes of the line before buf[pos] */
    char *x = rd_find(r, 0, '\t', '\n'), *p = r->buf + r->pos;
    char *t = x ? x : r->buf + r->end;
    const char *z = memchr(p, '\0', (size_t)(t - p));
    if (z)
        nul_error(e, r, (size_t)(z - p) + 1);
    if (!x || *x == '\n') {
        size_t len = (size_t)(t - p) - (t > p && t[-1] == '\r');
        die_at(e->path, r->line, "no TAB after the name (expected NAME<TAB>VALUES) ('%s')",
               diag_quote(q, sizeof q, p, len));
    }
    size_t namelen = (size_t)(x - p);
    if (namelen == 0)
        die_at(e->path, r->line, "empty name (expected NAME<TAB>VALUES)");
    diag_quote(nq, sizeof nq, p, namelen);
    const char *bad = name_check(NAME_ITEM, p, namelen);
    if (bad)
        die_at(e->path, r->line, "item name %s ('%s')", bad, nq);
    const char *name = keep_name(e, p, namelen);
    r->pos += namelen + 1;
    col += namelen + 1;
    while (r->end - r->pos < LOOK && rd_more(r))
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
        if (memchr(p, '\t', (size_t)((lf ? lf : r->buf + r->end) - p)))
            sep = '\t';
    }
    int comma = sep == ',', first = e->dim == 0;
    size_t i = 0, fcap = 0;
    if (!first)
        reserve_rows(e, cap);
    for (;;) {
        x = rd_find(r, 0, sep, '\n');
        p = r->buf + r->pos;
        t = x ? x : r->buf + r->end;
        int last = !x || *x == '\n';
        if ((z = memchr(p, '\0', (size_t)(t - p))))
            nul_error(e, r, col + (size_t)(z - p) + 1);
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
            if (!list)
                slow_value(e, r, 0, nq, head, headlen, &(float){0});
            slow_value(e, r, i, nq, p, (size_t)(t - p), &(float){0});
        }
        if (!first && i == e->dim) {
            size_t k = i + 1; /* this value and those after it */
            for (; !last; k++) {
                r->pos = (size_t)(x - r->buf) + 1;
                x = rd_find(r, 0, sep, '\n');
                last = !x || *x == '\n';
            }
            dim_error(e, r, k, nq, first_line);
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
        dim_error(e, r, i, nq, first_line);
    add_name(e, r, name, namelen, nq, first_line);
}

/* Skip to the start of the next line. */
static void skip_line(rd *r)
{
    char *x = rd_find(r, 0, '\n', '\n');
    r->pos = x ? (size_t)(x - r->buf) + 1 : r->end;
}

/* Is the long line at buf[pos..] a header?  is_header on its text up to
 * LOOK bytes past the TAB (all that is_header looks at: the first value). */
static int long_header(rd *r)
{
    char *x = rd_find(r, 0, '\t', '\n');
    if (!x || *x == '\n')
        return 1;
    size_t tab = (size_t)(x - r->buf) - r->pos;
    while (r->end - r->pos - tab < LOOK && rd_more(r))
        ;
    return emb_is_header(r->buf + r->pos, r->end - r->pos);
}

typedef struct loader {
    emb *e;
    rd r;
} loader;

static void abandon(void *arg)
{
    loader *L = arg;
    emb_free(L->e);
    if (L->r.gz)
        zio_close(L->r.gz);
    free(L->r.buf);
}

emb *emb_load(const char *path)
{
    loader L = {xcalloc(1, sizeof *L.e), {0}};
    emb *e = L.e;
    rd *r = &L.r;
    diag_on_error(abandon, &L); /* nothing left behind by an error */
    r->cap = BUF_MIN;
    r->buf = xmalloc(r->cap + 1);
    r->gz = zio_open(path, &r->name);
    e->path = r->name;
    strmap_init(&e->index, 1024);
    size_t cap = 0;
    uint64_t first_line = 0; /* the line of row 0 */
    rd_more(r);
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
            if (!rd_more(r))
                break;
        }
        if (!lf && r->pos == r->end)
            break;
        r->line++;
        if ((!lf && !r->eof) || (size_t)((lf ? lf : r->buf + r->end) - (r->buf + r->pos)) > LOOK) {
            if (r->line == 1 && long_header(r)) {
                skip_line(r);
                continue;
            }
            if (first_line == 0)
                first_line = r->line;
            parse_long_line(e, r, &cap, first_line);
            continue;
        }
        char *text = r->buf + r->pos;
        size_t len = lf ? (size_t)(lf - text) : r->end - r->pos;
        r->pos += len + (lf != NULL);
        const char *z = memchr(text, '\0', len);
        if (z)
            nul_error(e, r, (size_t)(z - text) + 1);
        if (len > 0 && text[len - 1] == '\r')
            len--;
        text[len] = '\0';
        if (r->line == 1 && emb_is_header(text, len))
            continue;
        if (first_line == 0)
            first_line = r->line;
        parse_line(e, r, text, len, &cap, first_line);
    }
    if (e->n == 0)
        die_at(e->path, 0, "no embeddings in the store");
    zio_close(r->gz);
    r->gz = NULL;
    free(r->buf);
    r->buf = NULL;
    e->vec = xreallocarray(e->vec, e->n, e->dim * sizeof *e->vec);
    e->sqnorm = xreallocarray(NULL, e->n, sizeof *e->sqnorm);
    for (size_t i = 0; i < e->n; i++)
        e->sqnorm[i] = metric_sqnorm(emb_vec(e, i), e->dim);
    diag_forget_error(abandon, &L);
    return e;
}

void emb_free(emb *e)
{
    if (!e)
        return;
    strmap_free(&e->index);
    arena_free(&e->names);
    free(e->vec);
    free(e->sqnorm);
    free(e);
}
