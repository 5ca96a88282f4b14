/* counts_io: the counts format (see counts_io.h). */
#include "stream/counts_io.h"
#include "common/diag.h"
#include "common/name.h"
#include "stream/embpath.h"
#include "stream/num.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int counts_is_stream(const tsv_reader *r)
{
    const char *file;
    uint64_t line;
    const char *v = tsv_preamble_at(r, COUNTS_KEY, &file, &line);
    if (!v)
        return 0;
    if (strcmp(v, COUNTS_VERSION) != 0) {
        char q[DIAG_QUOTE_MAX];
        die_at(file, line,
               "counts of version '%s': this version of distconf reads version " COUNTS_VERSION
               " (#" COUNTS_KEY "=" COUNTS_VERSION ")",
               diag_quote(q, sizeof q, v, strlen(v)));
    }
    return 1;
}

void counts_reader_open(counts_reader *cr, const tsv_reader *r)
{
    static const char *const want[] = {"column", "value", "n", "n_same"};
    size_t k = r->ncols;
    int ok = k == 3 || k == 4;
    for (size_t i = 0; ok && i < k; i++)
        ok = strcmp(r->cols[i], want[i]) == 0;
    if (!ok)
        tsv_die_header(r,
                       "counts need the columns column, value, n and, optionally, n_same, in "
                       "that order (found: %s)",
                       tsv_col_list(r));
    *cr =
        (counts_reader){.r = r, .col = 0, .value = 1, .n = 2, .n_same = 3, .has_same = k == 4};
}

/* A count: decimal digits only, at most 2^64 - 1; NULL or why not. */
static const char *parse_count(const tsv_field *f, uint64_t *count)
{
    if (f->n == 0)
        return "is empty";
    uint64_t v = 0;
    for (size_t i = 0; i < f->n; i++) {
        unsigned d = (unsigned char)f->p[i] - '0';
        if (d > 9)
            return "is not a count (a whole number of rows, 0 or more)";
        if (v > (UINT64_MAX - d) / 10)
            return "is past 2^64 - 1 rows";
        v = v * 10 + d;
    }
    *count = v;
    return NULL;
}

static noreturn void bad_field(const tsv_reader *r, size_t col, const char *why)
{
    char q[DIAG_QUOTE_MAX];
    const tsv_field *f = &r->f[col];
    die_at(r->name, r->line, "counts: column '%s' %s ('%s')", r->cols[col], why,
           diag_quote(q, sizeof q, f->p, f->n));
}

void counts_reader_row(const counts_reader *cr, const char **name, size_t *len, double *v,
                       uint64_t *n, uint64_t *n_same)
{
    const tsv_reader *r = cr->r;
    const tsv_field *c = &r->f[cr->col];
    const char *why = name_check(NAME_COLUMN, c->p, c->n);
    if (why)
        bad_field(r, cr->col, why);
    *name = c->p;
    *len = c->n;
    *v = tsv_number(r, cr->value);
    if ((why = parse_count(&r->f[cr->n], n)))
        bad_field(r, cr->n, why);
    if (*n == 0)
        bad_field(r, cr->n, "is 0 (a value counted has at least one row)");
    *n_same = 0;
    if (cr->has_same) {
        if ((why = parse_count(&r->f[cr->n_same], n_same)))
            bad_field(r, cr->n_same, why);
        if (*n_same > *n)
            die_at(r->name, r->line,
                   "counts: n_same is more than n (%" PRIu64 " same-person rows of %" PRIu64
                   ")",
                   *n_same, *n);
    }
}

void counts_write_head(out *o, const tsv_reader *r, int with_same)
{
    out_str(o, "#" COUNTS_KEY "=" COUNTS_VERSION "\n");
    for (size_t i = 0; r && i < r->npreamble; i++) {
        const char *line = r->preamble[i];
        size_t k = strlen(COUNTS_KEY);
        if (embpath_value(line, strlen(line)) ||
            (strncmp(line + 1, COUNTS_KEY, k) == 0 && line[1 + k] == '='))
            continue;
        out_str(o, line);
        out_putc(o, '\n');
    }
    out_str(o, with_same ? "column\tvalue\tn\tn_same\n" : "column\tvalue\tn\n");
}

void counts_write_column(out *o, const char *name, const counts_entry *e, size_t k,
                         int with_same)
{
    size_t len = strlen(name);
    for (size_t t = 0; t < k; t++) {
        out_write(o, name, len);
        char *p = out_reserve(o, NUM_FMT_MAX + 2 * 21 + 4);
        size_t w = 0;
        p[w++] = '\t';
        w += num_fmt_shortest(p + w, e[t].value);
        w += (size_t)sprintf(p + w, "\t%" PRIu64, e[t].n);
        if (with_same)
            w += (size_t)sprintf(p + w, "\t%" PRIu64, e[t].n_same);
        p[w++] = '\n';
        out_commit(o, w);
    }
}
