#include "tsv.h"
#include "diag.h"
#include "name.h"
#include "num.h"
#include "zio.h"

#include <stdlib.h>
#include <string.h>

struct tsv_src {
    char *const *paths;
    size_t npaths, ipath;
    gzFile gz;
    char *buf;
    size_t cap, pos, end; /* unread data is buf[pos..end) */
    size_t nul;           /* offset of the first NUL in buf[pos..end), or SIZE_MAX */
    int eof;
    size_t capf; /* room in tsv_reader.f */
};

enum { READ_CHUNK = 1 << 20 };

static void src_open(tsv_reader *r, const char *path)
{
    struct tsv_src *s = r->src;
    s->gz = zio_open(path, &r->name);
    if (!s->buf) {
        s->cap = READ_CHUNK;
        s->buf = xmalloc(s->cap + 1);
    }
    s->pos = s->end = 0;
    s->nul = SIZE_MAX;
    s->eof = 0;
    r->line = 0;
}

static void src_close(tsv_reader *r)
{
    if (r->src->gz) {
        gzclose_r(r->src->gz);
        r->src->gz = NULL;
    }
}

/* Read more data into the buffer, keeping buf[pos..end).  Returns 0 at the
 * end of the file. */
static int src_fill(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    if (s->eof)
        return 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        if (s->nul != SIZE_MAX)
            s->nul -= s->pos;
        s->end -= s->pos;
        s->pos = 0;
    }
    /* buf[0..end) is now the start of one line: past the limit, stop */
    if (s->end > TSV_MAX_LINE)
        die_at(r->name, r->line + 1, "line too long (more than %zu MiB)",
               (size_t)TSV_MAX_LINE >> 20);
    if (s->cap - s->end < READ_CHUNK / 2) {
        size_t cap = s->cap * 2;
        if (cap > TSV_MAX_LINE + (size_t)READ_CHUNK)
            cap = TSV_MAX_LINE + (size_t)READ_CHUNK;
        s->cap = cap;
        s->buf = xrealloc(s->buf, s->cap + 1);
    }
    size_t got = zio_read(s->gz, s->buf + s->end, s->cap - s->end, r->name, r->line + 1);
    if (got == 0) {
        s->eof = 1;
        return 0;
    }
    if (s->nul == SIZE_MAX) {
        const char *z = memchr(s->buf + s->end, '\0', got);
        if (z)
            s->nul = (size_t)(z - s->buf);
    }
    s->end += got;
    return 1;
}

/* The next raw line of the current file into r->text; 0 at its end. */
static int read_line(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    size_t scanned = 0;
    for (;;) {
        char *start = s->buf + s->pos;
        char *lf = s->end > s->pos + scanned
                       ? memchr(start + scanned, '\n', s->end - s->pos - scanned)
                       : NULL;
        size_t len;
        if (lf) {
            len = (size_t)(lf - start);
            s->pos += len + 1;
        } else {
            scanned = s->end - s->pos;
            if (src_fill(r))
                continue;
            if (scanned == 0)
                return 0;
            start = s->buf + s->pos; /* the last line has no newline */
            len = scanned;
            s->pos += len;
        }
        r->line++;
        if (s->nul != SIZE_MAX && s->nul < (size_t)(start - s->buf) + len)
            die_at(r->name, r->line, "NUL byte in the input (column %zu)",
                   s->nul - (size_t)(start - s->buf) + 1);
        if (len > 0 && start[len - 1] == '\r')
            len--;
        start[len] = '\0';
        r->text = start;
        r->len = len;
        return 1;
    }
}

static void split(tsv_reader *r)
{
    size_t nf = 0, capf = r->src->capf;
    const char *p = r->text, *end = r->text + r->len;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
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

/* Read the preamble and header of the current file.  Returns 0 if the file
 * is empty. */
static int read_head(tsv_reader *r, int keep)
{
    while (read_line(r)) {
        if (r->text[0] == '#') {
            if (keep) {
                r->preamble = xreallocarray(r->preamble, r->npreamble + 1, sizeof *r->preamble);
                r->preamble[r->npreamble++] = xstrndup(r->text, r->len);
            }
            continue;
        }
        return 1;
    }
    return 0;
}

static void abandon(void *r) { tsv_close(r); }

tsv_reader *tsv_open(char *const *paths, size_t npaths)
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
    src_open(r, paths[0]);
    if (!read_head(r, 1))
        die("%s: empty input (expected a header line)", r->name);
    r->header = xstrndup(r->text, r->len);
    r->header_len = r->len;
    split(r);
    r->ncols = r->nf;
    r->cols = xcalloc(r->ncols, sizeof *r->cols);
    for (size_t i = 0; i < r->ncols; i++)
        r->cols[i] = xstrndup(r->f[i].p, r->f[i].n);
    return r;
}

tsv_reader *tsv_open_lines(const char *path)
{
    tsv_reader *r = xcalloc(1, sizeof *r);
    r->src = xcalloc(1, sizeof *r->src);
    diag_on_error(abandon, r);
    r->src->npaths = 1; /* paths stays NULL: only tsv_next() moves on */
    src_open(r, path);
    return r;
}

int tsv_next_line(tsv_reader *r) { return read_line(r); }

int tsv_next(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    while (!read_line(r)) {
        src_close(r);
        if (++s->ipath >= s->npaths)
            return 0;
        src_open(r, s->paths[s->ipath]);
        if (!read_head(r, 0))
            continue; /* an empty later file adds nothing */
        if (r->len != r->header_len || memcmp(r->text, r->header, r->len) != 0) {
            char q[DIAG_QUOTE_MAX];
            die_at(r->name, r->line, "header differs from the first input's ('%s')",
                   diag_quote(q, sizeof q, r->text, r->len));
        }
    }
    split(r);
    if (r->nf != r->ncols)
        die_at(r->name, r->line, "expected %zu field%s as in the header, found %zu",
               r->ncols, r->ncols == 1 ? "" : "s", r->nf);
    r->rows++;
    return 1;
}

void tsv_close(tsv_reader *r)
{
    if (!r)
        return;
    diag_forget_error(abandon, r);
    src_close(r);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->cols[i]);
    for (size_t i = 0; i < r->npreamble; i++)
        free(r->preamble[i]);
    free(r->cols);
    free(r->preamble);
    free(r->header);
    free(r->f);
    free(r->src->buf);
    free(r->src);
    free(r);
}

static const char *first_name(const tsv_reader *r)
{
    const char *p = r->src->paths[0];
    return strcmp(p, "-") == 0 ? "<stdin>" : p;
}

long tsv_col(const tsv_reader *r, const char *name)
{
    long found = -1;
    for (size_t i = 0; i < r->ncols; i++) {
        if (strcmp(r->cols[i], name) != 0)
            continue;
        if (found >= 0)
            die("%s:1: column '%s' appears twice in the header", first_name(r), name_q(name));
        found = (long)i;
    }
    return found;
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
        die("%s:1: no column '%s' in the header (columns: %s)", first_name(r), name_q(name),
            tsv_col_list(r));
    return (size_t)c;
}

void tsv_check_new_col(const tsv_reader *r, const char *name)
{
    if (tsv_col(r, name) >= 0)
        die("%s:1: the input already has a column '%s'", first_name(r), name_q(name));
}

const char *tsv_preamble_get(const tsv_reader *r, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i < r->npreamble; i++) {
        const char *l = r->preamble[i];
        if (strncmp(l + 1, key, k) == 0 && l[1 + k] == '=')
            return l + 2 + k;
    }
    return NULL;
}

void tsv_write_preamble(const tsv_reader *r, out *o)
{
    for (size_t i = 0; i < r->npreamble; i++) {
        out_str(o, r->preamble[i]);
        out_putc(o, '\n');
    }
}

void tsv_write_header_start(const tsv_reader *r, out *o)
{
    out_write(o, r->header, r->header_len);
}

double tsv_number(const tsv_reader *r, size_t col)
{
    double v;
    const char *why = num_parse(r->f[col].p, r->f[col].n, &v);
    if (why) {
        char q[DIAG_QUOTE_MAX];
        if (r->f[col].n == 0)
            die_at(r->name, r->line, "column '%s' %s", name_q(r->cols[col]), why);
        die_at(r->name, r->line, "column '%s' %s ('%s')", name_q(r->cols[col]), why,
               diag_quote(q, sizeof q, r->f[col].p, r->f[col].n));
    }
    return v;
}
