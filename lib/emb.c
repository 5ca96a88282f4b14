#include "emb.h"
#include "diag.h"
#include "metric.h"
#include "num.h"
#include "tsv.h"

#include <math.h>
#include <stdlib.h>
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

static int is_blank(char c) { return c == ' '; }

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

static size_t count_values(const values *v)
{
    size_t k = 1;
    for (const char *p = v->p; (p = memchr(p, v->sep, (size_t)(v->end - p))); p++)
        k++;
    return k;
}

/* The next value of v: [*start, *len), blanks around it dropped for the
 * comma forms; advances v->p. */
static void next_value(values *v, const char **start, size_t *len)
{
    const char *p = v->p, *q = memchr(p, v->sep, (size_t)(v->end - p));
    if (!q)
        q = v->end;
    v->p = q < v->end ? q + 1 : q;
    if (v->sep == ',') {
        while (p < q && is_blank(*p))
            p++;
        while (q > p && is_blank(q[-1]))
            q--;
    }
    *start = p;
    *len = (size_t)(q - p);
}

static int is_word(const char *p, size_t n, const char *w)
{
    if (n > 0 && (*p == '-' || *p == '+')) {
        p++;
        n--;
    }
    return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

static void reserve_rows(emb *e, size_t *cap)
{
    if (e->n < *cap)
        return;
    *cap = *cap ? *cap * 2 : 1024;
    e->vec = xreallocarray(e->vec, *cap, e->dim * sizeof *e->vec);
}

/* Is the first line a header?  Yes when its first value is not a number
 * (or when it has no value at all). */
static int is_header(const char *text, size_t len)
{
    const char *tab = memchr(text, '\t', len), *end = text + len;
    if (!tab)
        return 1;
    values v;
    if (find_values(tab + 1, end, &v))
        return 1;
    if (v.sep == '\t')
        v.sep = ','; /* the first value ends at a TAB or a comma */
    const char *q = v.p;
    while (q < v.end && *q != '\t' && *q != ',')
        q++;
    v.end = q;
    const char *p;
    size_t n;
    double d;
    next_value(&v, &p, &n);
    return num_parse(p, n, &d) != NULL;
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
        die_at(e->path, r->line, "empty name");
    diag_quote(nq, sizeof nq, text, namelen);
    values v;
    const char *why = find_values(tab + 1, end, &v);
    if (why)
        die_at(e->path, r->line, "%s ('%s')", why,
               diag_quote(q, sizeof q, tab + 1, (size_t)(end - tab - 1)));
    size_t k = count_values(&v);
    if (e->dim == 0)
        e->dim = k;
    else if (k != e->dim)
        die_at(e->path, r->line, "vector of dimension %zu, expected %zu as on line %llu ('%s')",
               k, e->dim, (unsigned long long)first_line, nq);
    reserve_rows(e, cap);
    float *dst = e->vec + e->n * e->dim;
    for (size_t i = 0; i < k; i++) {
        const char *p;
        size_t n;
        double d;
        next_value(&v, &p, &n);
        why = num_parse(p, n, &d);
        if (!why && !isfinite((float)d))
            why = "is out of float32 range";
        if (why) {
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
        dst[i] = (float)d;
    }
    int found;
    uint64_t *slot = strmap_put(&e->index, keep_name(e, text, namelen), namelen, &found);
    if (found)
        die_at(e->path, r->line, "name given twice, first on line %llu ('%s')",
               (unsigned long long)(first_line + *slot), nq);
    *slot = e->n++;
}

emb *emb_load(const char *path)
{
    emb *e = xcalloc(1, sizeof *e);
    tsv_reader *r = tsv_open_lines(path);
    e->path = r->name;
    strmap_init(&e->index, 1024);
    size_t cap = 0;
    uint64_t first_line = 0; /* the line of row 0 */
    while (tsv_next_line(r)) {
        if (r->line == 1 && is_header(r->text, r->len))
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
