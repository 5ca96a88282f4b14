#include "emb.h"
#include "diag.h"
#include "metric.h"
#include "name.h"
#include "num.h"
#include "tsv.h"

#include <math.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <strings.h>

/* Names live in blocks that never move (the index points into them). */
struct emb_block {
    struct emb_block *next;
    size_t used, cap;
    char data[];
};

enum { NAME_BLOCK = 1 << 16 };

static const char *keep_name(emb *e, const char *p, size_t n)
{
    struct emb_block *b = e->names;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > NAME_BLOCK ? n + 1 : NAME_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->next = e->names;
        b->used = 0;
        b->cap = cap;
        e->names = b;
    }
    char *s = b->data + b->used;
    memcpy(s, p, n);
    s[n] = '\0';
    b->used += n + 1;
    return s;
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
static void slow_value(const emb *e, const tsv_reader *r, size_t i, const char *nq,
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

static noreturn void dim_error(const emb *e, const tsv_reader *r, size_t k, const char *nq,
                               uint64_t first_line)
{
    die_at(e->path, r->line, "vector of dimension %zu, expected %zu as on line %llu ('%s')", k,
           e->dim, (unsigned long long)first_line, nq);
}

/* Exactly e->dim values of v into dst. */
static void parse_vector(const emb *e, const tsv_reader *r, const values *v, float *dst,
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

static void reserve_rows(emb *e, size_t *cap)
{
    if (e->n < *cap)
        return;
    *cap = *cap ? *cap * 2 : 1024;
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

static void parse_line(emb *e, tsv_reader *r, size_t *cap, uint64_t first_line)
{
    char q[DIAG_QUOTE_MAX], nq[DIAG_QUOTE_MAX];
    const char *text = r->text, *end = r->text + r->len;
    if (r->len == 0)
        die_at(e->path, r->line, "empty line (expected NAME<TAB>VALUES)");
    const char *tab = memchr(text, '\t', r->len);
    if (!tab)
        die_at(e->path, r->line, "no TAB after the name (expected NAME<TAB>VALUES) ('%s')",
               diag_quote(q, sizeof q, text, r->len));
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
    int found;
    uint64_t *slot = strmap_put(&e->index, keep_name(e, text, namelen), namelen, &found);
    if (found)
        die_at(e->path, r->line, "name given twice, first on line %llu ('%s')",
               (unsigned long long)(first_line + *slot), nq);
    *slot = e->n++;
}

static void abandon(void *e) { emb_free(e); }

emb *emb_load(const char *path)
{
    emb *e = xcalloc(1, sizeof *e);
    diag_on_error(abandon, e); /* nothing left behind by an error */
    tsv_reader *r = tsv_open_lines(path);
    e->path = r->name;
    strmap_init(&e->index, 1024);
    size_t cap = 0;
    uint64_t first_line = 0; /* the line of row 0 */
    while (tsv_next_line(r)) {
        if (r->line == 1 && emb_is_header(r->text, r->len))
            continue;
        if (first_line == 0)
            first_line = r->line;
        parse_line(e, r, &cap, first_line);
    }
    if (e->n == 0)
        die_at(e->path, 0, "no embeddings in the store");
    tsv_close(r);
    e->vec = xreallocarray(e->vec, e->n, e->dim * sizeof *e->vec);
    e->sqnorm = xreallocarray(NULL, e->n, sizeof *e->sqnorm);
    for (size_t i = 0; i < e->n; i++)
        e->sqnorm[i] = metric_sqnorm(emb_vec(e, i), e->dim);
    diag_forget_error(abandon, e);
    return e;
}

void emb_free(emb *e)
{
    if (!e)
        return;
    strmap_free(&e->index);
    for (struct emb_block *b = e->names, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(e->vec);
    free(e->sqnorm);
    free(e);
}
