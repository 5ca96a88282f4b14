/* tsv: the stream reader: the inputs read in turn as one stream, each row
 * split into fields, the header's columns looked up by a hash index.  The
 * checks of headers are in tsv_header.c, the preamble in tsv_preamble.c,
 * a block's lines split on other threads in tsv_block.c.  See tsv.h. */
#include "stream/tsv.h"
#include "common/diag.h"
#include "common/name.h"
#include "stream/counts_io.h"
#include "stream/num.h"
#include "stream/num_scan.h"
#include "stream/tsv_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_bom(const char *p, size_t n)
{
    return n >= 3 && memcmp(p, TSV_BOM, 3) == 0;
}

/* The next line of the current file into r->text; 0 at its end. */
static int read_line(tsv_reader *r)
{
    lines *in = &r->src->in;
    if (!lines_next(in))
        return 0;
    r->line = in->line;
    r->text = in->text;
    r->len = in->len;
    return 1;
}

static void start_file(tsv_reader *r, const char *path)
{
    lines_start(&r->src->in, path);
    r->name = r->src->in.name;
    r->line = 0;
}

static void split(tsv_reader *r)
{
    size_t nf = 0, capf = r->src->capf;
    const char *p = r->text, *end = r->text + r->len;
    for (;;) {
        const char *tab = tsv_find_tab(p, end);
        if (nf == capf) {
            capf = capf ? capf * 2 : 16;
            r->f = xreallocarray(r->f, capf, sizeof *r->f);
            r->src->capf = capf;
        }
        r->f[nf].p = p;
        if (!tab) {
            r->f[nf++].n = (size_t)(end - p);
            break;
        }
        r->f[nf++].n = (size_t)(tab - p);
        p = tab + 1;
    }
    r->nf = nf;
}

void tsv_die_header(const tsv_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie_at(r->header_file, r->header_line, fmt, ap);
}

const char *tsv_stream_name(const tsv_reader *r)
{
    return r->src->npaths == 1 ? r->header_file : NULL;
}

/* ---- the columns ---- */

static int may_be_name(const struct tsv_src *s, const char *p, size_t n)
{
    unsigned char c = n ? (unsigned char)p[0] : 0;
    return (s->len_mask >> (n < 63 ? n : 63) & 1) && (s->first_byte[c >> 5] >> (c & 31) & 1);
}

uint64_t *tsv_find_col(const tsv_reader *r, const char *p, size_t n)
{
    if (!may_be_name(r->src, p, n))
        return NULL;
    return strmap_get(&r->src->index, p, n);
}

static void index_columns(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    strmap_init(&s->index, r->ncols);
    for (size_t i = 0; i < r->ncols; i++) {
        size_t n = strlen(r->cols[i]);
        unsigned char c = n ? (unsigned char)r->cols[i][0] : 0;
        s->len_mask |= (uint64_t)1 << (n < 63 ? n : 63);
        s->first_byte[c >> 5] |= (uint32_t)1 << (c & 31);
        int found;
        uint64_t *v = strmap_put(&s->index, r->cols[i], n, &found);
        if (found)
            *v |= TSV_DUP_BIT;
        else
            *v = i;
    }
}

long tsv_col(const tsv_reader *r, const char *name)
{
    if (!r->src->index.slots)
        return -1;
    const uint64_t *v = strmap_get(&r->src->index, name, strlen(name));
    if (!v)
        return -1;
    if (*v & TSV_DUP_BIT)
        tsv_die_header(r, "column '%s' appears twice in the header", name_q(name));
    return (long)*v;
}

const char *tsv_col_list(const tsv_reader *r)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < r->ncols; i++)
        name_list_add(buf, sizeof buf, r->cols[i]);
    return buf;
}

size_t tsv_require_col(const tsv_reader *r, const char *name)
{
    long c = tsv_col(r, name);
    if (c < 0)
        tsv_die_header(r, "no column '%s' in the header (columns: %s)", name_q(name),
                       tsv_col_list(r));
    return (size_t)c;
}

void tsv_check_new_col(const tsv_reader *r, const char *name)
{
    if (tsv_col(r, name) >= 0)
        tsv_die_header(r, "the input already has a column '%s'", name_q(name));
}

/* ---- opening, rows, closing ---- */

static int is_header(const tsv_reader *r)
{
    return r->len == r->header_len && memcmp(r->text, r->header, r->len) == 0;
}

static void abandon(void *r)
{
    tsv_close(r);
}

tsv_reader *tsv_open(char *const *paths, size_t npaths)
{
    tsv_reader *r = tsv_open_or_counts(paths, npaths);
    if (tsv_is_counts(r)) {
        const char *file;
        uint64_t line;
        tsv_preamble_at(r, COUNTS_KEY, &file, &line);
        die_at(file, line,
               "counts (#" COUNTS_KEY "=), not a distance stream: only logfit reads counts "
               "(pairdist --counts and logfit --counts write them)");
    }
    return r;
}

tsv_reader *tsv_open_or_counts(char *const *paths, size_t npaths)
{
    static char *const dash[] = {"-"};
    tsv_reader *r = xcalloc(1, sizeof *r);
    r->src = xcalloc(1, sizeof *r->src);
    diag_on_error(abandon, r);
    if (npaths == 0) {
        paths = dash;
        npaths = 1;
    }
    r->src->paths = paths;
    r->src->npaths = npaths;
    start_file(r, paths[0]);
    for (;;) {
        if (!read_line(r))
            die("%s: empty input (expected a header line)", r->name);
        if (r->len == 0 || r->text[0] != '#')
            break;
        tsv_keep_preamble(r);
    }
    r->header_file = r->name;
    r->header_line = r->line;
    r->header = xstrndup(r->text, r->len);
    r->header_len = r->len;
    split(r);
    r->ncols = r->nf;
    r->cols = xcalloc(r->ncols, sizeof *r->cols);
    for (size_t i = 0; i < r->ncols; i++)
        r->cols[i] = xstrndup(r->f[i].p, r->f[i].n);
    index_columns(r);
    /* the first row, if it follows: is the header one too? */
    if (read_line(r)) {
        if (!tsv_is_preamble(r) && !is_header(r)) {
            split(r);
            if (r->nf == r->ncols)
                tsv_check_not_data(r);
        }
        lines_unread(&r->src->in);
        r->line = r->src->in.line;
    }
    r->text = r->header;
    r->len = r->header_len;
    r->nf = 0;
    return r;
}

/* The current file has ended: the next one started; 0 after the last. */
static int next_file(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    /* counts always have their first line and header: an empty file is a
     * run that wrote nothing (its rows would be lost unseen) */
    if (s->in.line == 0 && tsv_is_counts(r))
        die("%s: empty file among counts (counts begin with #" COUNTS_KEY "=" COUNTS_VERSION
            " and a header: did the run that wrote it fail?)",
            s->in.name);
    lines_stop(&s->in);
    if (++s->ipath >= s->npaths)
        return 0;
    start_file(r, s->paths[s->ipath]);
    r->parts++;
    return 1;
}

/* The line in r->text after the header: 1, a data row (split into r->f);
 * 0, a line to skip (the header or a preamble line again); else an error. */
static int take_line(tsv_reader *r)
{
    /* a file glued on by cat, with its byte-order mark */
    if (has_bom(r->text, r->len)) {
        r->text += 3;
        r->len -= 3;
        if (!is_header(r) && !tsv_is_preamble(r)) {
            r->text -= 3;
            r->len += 3;
        }
    }
    if (tsv_is_preamble(r)) {
        tsv_check_preamble(r);
        r->parts++;
        return 0;
    }
    if (is_header(r)) {
        r->parts++;
        return 0;
    }
    split(r);
    if (r->nf != r->ncols) {
        if (tsv_looks_like_header(r))
            tsv_second_header(r);
        if (tsv_is_counts(r))
            die_at(r->name, r->line,
                   "expected %zu fields as in the header of counts, found %zu: counts and "
                   "distance streams do not mix (is this a distance stream after counts?)",
                   r->ncols, r->nf);
        die_at(r->name, r->line, "expected %zu field%s as in the header, found %zu", r->ncols,
               r->ncols == 1 ? "" : "s", r->nf);
    }
    /* cheap test first: is the first field a column name at all? */
    if (r->nf > 1 && tsv_find_col(r, r->f[0].p, r->f[0].n) && tsv_looks_like_header(r))
        tsv_second_header(r);
    r->rows++;
    return 1;
}

int tsv_next(tsv_reader *r)
{
    for (;;) {
        if (!read_line(r)) {
            if (!next_file(r))
                return 0;
            continue;
        }
        if (take_line(r))
            return 1;
    }
}

/* ---- blocks: lines read here, checked and split on other threads ---- */

int tsv_next_block(tsv_reader *r, tsv_block *b, size_t max_lines)
{
    struct tsv_src *s = r->src;
    for (;;) {
        b->len = lines_block(&s->in, &b->text, &b->cap, max_lines, &b->nlines);
        if (b->len) {
            /* (not r->name: tsv_take_line sets it to the name of the
             * block it takes, maybe of the file before) */
            b->name = s->in.name;
            b->line = s->in.line - b->nlines + 1;
            return 1;
        }
        if (!next_file(r))
            return 0;
    }
}

int tsv_take_line(tsv_reader *r, const char *name, uint64_t line, char *text, size_t len)
{
    r->name = name;
    r->line = line;
    r->text = lines_settle(name, line, text, &len);
    r->len = len;
    return take_line(r);
}

void tsv_close(tsv_reader *r)
{
    if (!r)
        return;
    diag_forget_error(abandon, r);
    lines_free(&r->src->in);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->cols[i]);
    tsv_free_preamble(r);
    strmap_free(&r->src->index);
    free(r->cols);
    free(r->header);
    free(r->f);
    free(r->src);
    free(r);
}

/* ---- values ---- */

void tsv_recall_row(tsv_reader *r, const char *name, uint64_t line, char *text, size_t len)
{
    r->name = name;
    r->line = line;
    r->text = text;
    r->len = len;
    split(r);
}

/* Field col of the current row is not a value: why (num.h's reason). */
static noreturn void bad_value(const tsv_reader *r, size_t col, const char *why)
{
    const tsv_field *f = &r->f[col];
    /* a field where a value is expected holds a column name: a header */
    if (tsv_find_col(r, f->p, f->n))
        tsv_second_header(r);
    if (f->n == 0)
        die_at(r->name, r->line, "column '%s' %s", name_q(r->cols[col]), why);
    char q[DIAG_QUOTE_MAX];
    die_at(r->name, r->line, "column '%s' %s ('%s')", name_q(r->cols[col]), why,
           diag_quote(q, sizeof q, f->p, f->n));
}

double tsv_number(const tsv_reader *r, size_t col)
{
    double v;
    const char *why = num_parse_inline(r->f[col].p, r->f[col].n, &v);
    if (why)
        bad_value(r, col, why);
    return v;
}

int tsv_truth(const tsv_reader *r, size_t col)
{
    int v;
    const char *why = num_parse_truth(r->f[col].p, r->f[col].n, &v);
    if (why)
        bad_value(r, col, why);
    return v;
}
