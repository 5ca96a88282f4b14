#include "stream/tsv.h"
#include "common/diag.h"
#include "common/name.h"
#include "stream/num.h"
#include "common/strmap.h"
#include "stream/zio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A preamble line of the first file, and the store it names. */
typedef struct pre_line {
    char *store; /* #embeddings=: the path resolved; else NULL */
    const char *file;
    uint64_t line;
} pre_line;

struct tsv_src {
    char *const *paths;
    size_t npaths, ipath;
    zio *gz;
    char *buf;
    size_t cap, pos, end; /* unread data is buf[pos..end) */
    size_t nul;           /* offset of the first NUL in buf[pos..end), or SIZE_MAX */
    int eof;
    size_t capf; /* room in tsv_reader.f */

    strmap index;           /* column name -> index, DUP_BIT when named twice */
    uint64_t len_mask;      /* bit min(len, 63) set for every column name's length */
    uint32_t first_byte[8]; /* the first bytes of column names, as a bit set */
    pre_line *pre;          /* one per r->preamble line */
    const char *emb;        /* the first #embeddings= store resolved, or NULL */
    char saved;             /* the byte read_line overwrote with its NUL */
    int emb_set;            /* tsv_set_embeddings was called */
    char *emb_used;         /* its path; NULL: drop the lines */
};

#define DUP_BIT ((uint64_t)1 << 63)

enum { READ_CHUNK = 1 << 20 };

static const char BOM[3] = {'\xef', '\xbb', '\xbf'};

static int has_bom(const char *p, size_t n) { return n >= 3 && memcmp(p, BOM, 3) == 0; }

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
        zio_close(r->src->gz);
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
    size_t got = zio_read(s->gz, s->buf + s->end, s->cap - s->end, r->line + 1);
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

/* The next raw line of the current file into r->text; 0 at its end.  A
 * byte-order mark at the start of the file is skipped. */
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
        s->saved = start[len];
        start[len] = '\0';
        if (r->line == 1 && has_bom(start, len)) {
            start += 3;
            len -= 3;
        }
        r->text = start;
        r->len = len;
        return 1;
    }
}

/* Give back the line just read (not line 1), to be read again. */
static void unread_line(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    r->text[r->len] = s->saved;
    s->pos = (size_t)(r->text - s->buf);
    r->line--;
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

void tsv_die_header(const tsv_reader *r, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die_at(r->header_file, r->header_line, "%s", msg);
}

/* ---- #embeddings= paths ---- */

static const char *file_dir_end(const char *file)
{
    return strcmp(file, "<stdin>") == 0 ? NULL : strrchr(file, '/');
}

/* The path of a #embeddings= line of `file`, as it opens from here. */
static char *resolve(const char *path, const char *file)
{
    const char *slash = file_dir_end(file);
    if (!*path || path[0] == '/' || !slash)
        return xstrdup(path);
    size_t d = (size_t)(slash - file) + 1, n = strlen(path);
    char *p = xmalloc(d + n + 1);
    memcpy(p, file, d);
    memcpy(p + d, path, n + 1);
    return p;
}

/* tsv_path_for_output; `relative`: the path was relative as the user wrote
 * it (it may have become absolute by being joined to a folder), so taking
 * the output's folder off it again is fine. */
static char *for_output(const char *path, const char *outpath, int relative)
{
    if (!*path || !outpath || strcmp(outpath, "-") == 0)
        return xstrdup(path);
    const char *slash = strrchr(outpath, '/');
    if (!slash)
        return xstrdup(path);
    size_t d = (size_t)(slash - outpath) + 1;
    if (relative && strncmp(path, outpath, d) == 0 && path[d])
        return xstrdup(path + d);
    if (path[0] == '/')
        return xstrdup(path);
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        die_errno("cannot name the embeddings for %s: the current directory", outpath);
    size_t c = strlen(cwd), n = strlen(path);
    char *p = xmalloc(c + n + 2);
    memcpy(p, cwd, c);
    p[c] = '/';
    memcpy(p + c + 1, path, n + 1);
    free(cwd);
    return p;
}

void tsv_refuse_store_output(const tsv_reader *r, const out *o)
{
    const char *file;
    uint64_t line;
    const char *store = tsv_embeddings(r, &file, &line);
    if (o && store && *store)
        out_refuse_input(o, store, "the embedding store of its #embeddings= line");
}

char *tsv_path_for_output(const char *path, const char *outpath)
{
    return for_output(path, outpath, path[0] != '/');
}

/* Do two paths name one file? */
static int same_file(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static const char *embeddings_value(const char *line, size_t len)
{
    static const char key[] = "#embeddings=";
    return len >= sizeof key - 1 && memcmp(line, key, sizeof key - 1) == 0
               ? line + sizeof key - 1
               : NULL;
}

/* ---- the header ---- */

static int may_be_name(const struct tsv_src *s, const char *p, size_t n)
{
    unsigned char c = n ? (unsigned char)p[0] : 0;
    return (s->len_mask >> (n < 63 ? n : 63) & 1) && (s->first_byte[c >> 5] >> (c & 31) & 1);
}

static uint64_t *find_col(const tsv_reader *r, const char *p, size_t n)
{
    if (!may_be_name(r->src, p, n))
        return NULL;
    return strmap_get(&r->src->index, p, n);
}

/* A line that is not the header looks like one when more than half of its
 * fields are the header's column names. */
static int looks_like_header(const tsv_reader *r)
{
    size_t names = 0;
    for (size_t i = 0; i < r->nf; i++)
        names += find_col(r, r->f[i].p, r->f[i].n) != NULL;
    return 2 * names > r->nf;
}

/* The current line is another header: say how it differs and what to do. */
static noreturn void second_header(const tsv_reader *r)
{
    char q[DIAG_QUOTE_MAX], h[DIAG_QUOTE_MAX];
    diag_quote(q, sizeof q, r->text, r->len);
    /* the same columns in another order: each once */
    int perm = r->nf == r->ncols;
    size_t *from = perm ? xcalloc(r->nf, sizeof *from) : NULL;
    char *seen = perm ? xcalloc(r->nf, 1) : NULL;
    for (size_t i = 0; perm && i < r->nf; i++) {
        uint64_t *v = find_col(r, r->f[i].p, r->f[i].n);
        if (!v || (*v & DUP_BIT) || seen[*v]) {
            perm = 0;
            break;
        }
        seen[*v] = 1;
        from[*v] = i;
    }
    if (perm && r->nf <= 16) {
        char awk[512];
        size_t o = 0;
        for (size_t j = 0; j < r->nf; j++)
            o += (size_t)snprintf(awk + o, sizeof awk - o, "%s$%zu", j ? ", " : "", from[j] + 1);
        free(from);
        free(seen);
        die_at(r->name, r->line,
               "a second header, with the columns of the one on %s:%llu in another order "
               "('%s'): put that input's columns in the header's order first: awk -F'\\t' "
               "-v OFS='\\t' '{print %s}'",
               r->header_file, (unsigned long long)r->header_line, q, awk);
    }
    free(from);
    free(seen);
    if (perm)
        die_at(r->name, r->line,
               "a second header, with the columns of the one on %s:%llu in another order "
               "('%s'): put that input's columns in the header's order first (awk)",
               r->header_file, (unsigned long long)r->header_line, q);
    die_at(r->name, r->line,
           "a second header, not the one on %s:%llu ('%s', there '%s'): the inputs have "
           "other columns; run each on its own, or give them the same columns first (cut -f)",
           r->header_file, (unsigned long long)r->header_line, q,
           diag_quote(h, sizeof h, r->header, r->header_len));
}

enum { TEXT, NUMBER, TRUTH };

static int kind(const char *p, size_t n)
{
    double d;
    int t;
    if (num_parse(p, n, &d) == NULL)
        return NUMBER;
    return num_parse_truth(p, n, &t) == NULL ? TRUTH : TEXT;
}

/* The header looks like data when a field of it is a number or a truth
 * value and each of its fields is of the kind (number, truth value, other
 * text) of the field below it in the first row: a header sorted away.  (A
 * column may be named "1e5": its values are numbers, but some other column
 * then differs in kind, such as "same" above 0 and 1.) */
static void check_not_data(const tsv_reader *r)
{
    int values = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        int k = kind(r->cols[i], strlen(r->cols[i]));
        if (k != kind(r->f[i].p, r->f[i].n))
            return;
        values |= k != TEXT;
    }
    if (!values)
        return;
    char q[DIAG_QUOTE_MAX];
    tsv_die_header(r, "line %llu looks like data, not a header: was the header sorted away? ('%s')",
                   (unsigned long long)r->header_line,
                   diag_quote(q, sizeof q, r->header, r->header_len));
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
            *v |= DUP_BIT;
        else
            *v = i;
    }
}

/* ---- the preamble ---- */

/* Keep a preamble line of the first file. */
static void keep_preamble(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    r->preamble = xreallocarray(r->preamble, r->npreamble + 1, sizeof *r->preamble);
    s->pre = xreallocarray(s->pre, r->npreamble + 1, sizeof *s->pre);
    pre_line *pl = &s->pre[r->npreamble];
    *pl = (pre_line){.file = r->name, .line = r->line};
    r->preamble[r->npreamble++] = xstrndup(r->text, r->len);
    const char *v = embeddings_value(r->text, r->len);
    if (!v)
        return;
    pl->store = resolve(v, r->name);
    for (size_t i = 0; i + 1 < r->npreamble; i++)
        if (s->pre[i].store && !same_file(s->pre[i].store, pl->store)) {
            char q[DIAG_QUOTE_MAX], o[DIAG_QUOTE_MAX];
            die_at(r->name, r->line,
                   "two different #embeddings= preambles: this one names '%s', the one on "
                   "%s:%llu '%s' (run each input on its own)",
                   diag_quote(q, sizeof q, pl->store, strlen(pl->store)), s->pre[i].file,
                   (unsigned long long)s->pre[i].line,
                   diag_quote(o, sizeof o, s->pre[i].store, strlen(s->pre[i].store)));
        }
    if (!s->emb)
        s->emb = pl->store;
}

/* A '#' line after the header: one of the first preamble's again, or an
 * error. */
static void check_preamble(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    char q[DIAG_QUOTE_MAX];
    const char *v = embeddings_value(r->text, r->len);
    if (v) {
        if (!s->emb)
            die_at(r->name, r->line,
                   "a second header: an #embeddings= line, and the preamble of %s has none "
                   "('%s'; run each input on its own)",
                   r->header_file, diag_quote(q, sizeof q, r->text, r->len));
        char *store = resolve(v, r->name);
        if (same_file(store, s->emb)) {
            free(store);
            return;
        }
        const pre_line *pl = s->pre;
        while (!pl->store)
            pl++;
        char o[DIAG_QUOTE_MAX];
        diag_quote(q, sizeof q, store, strlen(store));
        free(store);
        die_at(r->name, r->line,
               "two different #embeddings= preambles, a second header: this one names '%s', "
               "the one on %s:%llu '%s' (run each input on its own)",
               q, pl->file, (unsigned long long)pl->line,
               diag_quote(o, sizeof o, s->emb, strlen(s->emb)));
    }
    for (size_t i = 0; i < r->npreamble; i++)
        if (strlen(r->preamble[i]) == r->len && memcmp(r->preamble[i], r->text, r->len) == 0)
            return;
    die_at(r->name, r->line,
           "a second header: a preamble line that is not in the preamble of %s ('%s'; run "
           "each input on its own)",
           r->header_file, diag_quote(q, sizeof q, r->text, r->len));
}

static int is_preamble(const tsv_reader *r)
{
    return r->len > 0 && r->text[0] == '#' && !memchr(r->text, '\t', r->len);
}

static int is_header(const tsv_reader *r)
{
    return r->len == r->header_len && memcmp(r->text, r->header, r->len) == 0;
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
    for (;;) {
        if (!read_line(r))
            die("%s: empty input (expected a header line)", r->name);
        if (r->len == 0 || r->text[0] != '#')
            break;
        keep_preamble(r);
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
        if (!is_preamble(r) && !is_header(r)) {
            split(r);
            if (r->nf == r->ncols)
                check_not_data(r);
        }
        unread_line(r);
    }
    r->text = r->header;
    r->len = r->header_len;
    r->nf = 0;
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
    for (;;) {
        if (!read_line(r)) {
            src_close(r);
            if (++s->ipath >= s->npaths)
                return 0;
            src_open(r, s->paths[s->ipath]);
            continue;
        }
        /* a file glued on by cat, with its byte-order mark */
        if (has_bom(r->text, r->len)) {
            r->text += 3;
            r->len -= 3;
            if (!is_header(r) && !is_preamble(r)) {
                r->text -= 3;
                r->len += 3;
            }
        }
        if (is_preamble(r)) {
            check_preamble(r);
            continue;
        }
        if (is_header(r))
            continue;
        split(r);
        if (r->nf != r->ncols) {
            if (looks_like_header(r))
                second_header(r);
            die_at(r->name, r->line, "expected %zu field%s as in the header, found %zu",
                   r->ncols, r->ncols == 1 ? "" : "s", r->nf);
        }
        /* cheap test first: is the first field a column name at all? */
        if (r->nf > 1 && find_col(r, r->f[0].p, r->f[0].n) && looks_like_header(r))
            second_header(r);
        r->rows++;
        return 1;
    }
}

void tsv_close(tsv_reader *r)
{
    if (!r)
        return;
    diag_forget_error(abandon, r);
    src_close(r);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->cols[i]);
    for (size_t i = 0; i < r->npreamble; i++) {
        free(r->preamble[i]);
        free(r->src->pre[i].store);
    }
    strmap_free(&r->src->index);
    free(r->src->pre);
    free(r->src->emb_used);
    free(r->cols);
    free(r->preamble);
    free(r->header);
    free(r->f);
    free(r->src->buf);
    free(r->src);
    free(r);
}

long tsv_col(const tsv_reader *r, const char *name)
{
    if (!r->src->index.slots)
        return -1;
    const uint64_t *v = strmap_get(&r->src->index, name, strlen(name));
    if (!v)
        return -1;
    if (*v & DUP_BIT)
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
        tsv_die_header(r, "no column '%s' in the header (columns: %s)", name_q(name), tsv_col_list(r));
    return (size_t)c;
}

void tsv_check_new_col(const tsv_reader *r, const char *name)
{
    if (tsv_col(r, name) >= 0)
        tsv_die_header(r, "the input already has a column '%s'", name_q(name));
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

const char *tsv_embeddings(const tsv_reader *r, const char **file, uint64_t *line)
{
    const struct tsv_src *s = r->src;
    for (size_t i = 0; i < r->npreamble; i++)
        if (s->pre[i].store) {
            if (file)
                *file = s->pre[i].file;
            if (line)
                *line = s->pre[i].line;
            return s->pre[i].store;
        }
    return NULL;
}

void tsv_set_embeddings(tsv_reader *r, const char *path)
{
    free(r->src->emb_used);
    r->src->emb_used = path ? xstrdup(path) : NULL;
    r->src->emb_set = 1;
}

void tsv_write_preamble(const tsv_reader *r, out *o)
{
    const struct tsv_src *s = r->src;
    for (size_t i = 0; i < r->npreamble; i++) {
        if (s->pre[i].store) {
            if (s->emb_set && !s->emb_used)
                continue;
            const char *store = s->emb_set ? s->emb_used : s->pre[i].store;
            const char *raw = s->emb_set ? store : embeddings_value(r->preamble[i], strlen(r->preamble[i]));
            char *p = for_output(store, out_path(o), raw[0] != '/');
            out_str(o, "#embeddings=");
            out_str(o, p);
            free(p);
        } else {
            out_str(o, r->preamble[i]);
        }
        out_putc(o, '\n');
    }
}

void tsv_write_header_start(const tsv_reader *r, out *o)
{
    out_write(o, r->header, r->header_len);
}

/* A field where a value is expected holds a column name: a header. */
static void check_value(const tsv_reader *r, size_t col)
{
    if (find_col(r, r->f[col].p, r->f[col].n))
        second_header(r);
}

double tsv_number(const tsv_reader *r, size_t col)
{
    double v;
    const char *why = num_parse(r->f[col].p, r->f[col].n, &v);
    if (why) {
        char q[DIAG_QUOTE_MAX];
        check_value(r, col);
        if (r->f[col].n == 0)
            die_at(r->name, r->line, "column '%s' %s", name_q(r->cols[col]), why);
        die_at(r->name, r->line, "column '%s' %s ('%s')", name_q(r->cols[col]), why,
               diag_quote(q, sizeof q, r->f[col].p, r->f[col].n));
    }
    return v;
}

int tsv_truth(const tsv_reader *r, size_t col)
{
    int v;
    const char *why = num_parse_truth(r->f[col].p, r->f[col].n, &v);
    if (why) {
        char q[DIAG_QUOTE_MAX];
        check_value(r, col);
        if (r->f[col].n == 0)
            die_at(r->name, r->line, "column '%s' %s", name_q(r->cols[col]), why);
        die_at(r->name, r->line, "column '%s' %s ('%s')", name_q(r->cols[col]), why,
               diag_quote(q, sizeof q, r->f[col].p, r->f[col].n));
    }
    return v;
}
