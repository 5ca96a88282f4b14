/* tsv_preamble: the reader's '#' lines: the first file's preamble kept
 * (and the store its #embeddings= line names), the same lines recurring
 * later checked, and the head of the stream written back out.  See tsv.h. */
#include "stream/counts_io.h"
#include "stream/embpath.h"
#include "stream/tsv_impl.h"

#include <stdlib.h>
#include <string.h>

int tsv_is_preamble(const tsv_reader *r)
{
    return r->len > 0 && r->text[0] == '#' && !memchr(r->text, '\t', r->len);
}

void tsv_keep_preamble(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    r->preamble = xreallocarray(r->preamble, r->npreamble + 1, sizeof *r->preamble);
    s->pre = xreallocarray(s->pre, r->npreamble + 1, sizeof *s->pre);
    pre_line *pl = &s->pre[r->npreamble];
    *pl = (pre_line){.file = r->name, .line = r->line};
    r->preamble[r->npreamble++] = xstrndup(r->text, r->len);
    const char *v = embpath_value(r->text, r->len);
    if (!v)
        return;
    pl->store = embpath_resolve(v, r->name);
    for (size_t i = 0; i + 1 < r->npreamble; i++)
        if (s->pre[i].store && !embpath_same_file(s->pre[i].store, pl->store)) {
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

int tsv_is_counts(const tsv_reader *r)
{
    return tsv_preamble_get(r, COUNTS_KEY) != NULL;
}

noreturn void tsv_mixed_counts(const tsv_reader *r)
{
    if (tsv_is_counts(r))
        die_at(r->name, r->line,
               "a distance stream after counts (%s is counts): counts and distance streams do "
               "not mix; count this stream first (logfit --counts %s)",
               r->header_file, r->name);
    die_at(r->name, r->line,
           "counts after a distance stream (%s is a distance stream): counts and distance "
           "streams do not mix; count that stream first (logfit --counts %s)",
           r->header_file, r->header_file);
}

void tsv_check_preamble(tsv_reader *r)
{
    struct tsv_src *s = r->src;
    char q[DIAG_QUOTE_MAX];
    const char *v = embpath_value(r->text, r->len);
    size_t k = strlen(COUNTS_KEY);
    int counts_line =
        r->len > k + 1 && memcmp(r->text + 1, COUNTS_KEY, k) == 0 && r->text[k + 1] == '=';
    /* counts have no #embeddings= line */
    if (counts_line != tsv_is_counts(r) && (counts_line || v))
        tsv_mixed_counts(r);
    const char *version = tsv_preamble_get(r, COUNTS_KEY);
    if (counts_line && (strlen(version) != r->len - k - 2 ||
                        memcmp(version, r->text + k + 2, r->len - k - 2) != 0))
        die_at(r->name, r->line, "counts of another version ('%s'; those of %s are version %s)",
               diag_quote(q, sizeof q, r->text, r->len), r->header_file, version);
    if (v) {
        if (!s->emb)
            die_at(r->name, r->line,
                   "a second header: an #embeddings= line, and the preamble of %s has none "
                   "('%s'; run each input on its own)",
                   r->header_file, diag_quote(q, sizeof q, r->text, r->len));
        char *store = embpath_resolve(v, r->name);
        if (embpath_same_file(store, s->emb)) {
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

void tsv_free_preamble(tsv_reader *r)
{
    for (size_t i = 0; i < r->npreamble; i++) {
        free(r->preamble[i]);
        free(r->src->pre[i].store);
    }
    free(r->src->pre);
    free(r->src->emb_used);
    free(r->preamble);
}

/* The first preamble line "#KEY=...": its index, or npreamble. */
static size_t find(const tsv_reader *r, const char *key)
{
    size_t k = strlen(key), i = 0;
    while (i < r->npreamble &&
           !(strncmp(r->preamble[i] + 1, key, k) == 0 && r->preamble[i][1 + k] == '='))
        i++;
    return i;
}

/* Where preamble line i is, into *file and *line (each when not NULL). */
static void where(const tsv_reader *r, size_t i, const char **file, uint64_t *line)
{
    if (file)
        *file = r->src->pre[i].file;
    if (line)
        *line = r->src->pre[i].line;
}

const char *tsv_preamble_at(const tsv_reader *r, const char *key, const char **file,
                            uint64_t *line)
{
    size_t i = find(r, key);
    if (i == r->npreamble)
        return NULL;
    where(r, i, file, line);
    return r->preamble[i] + 2 + strlen(key);
}

const char *tsv_preamble_get(const tsv_reader *r, const char *key)
{
    return tsv_preamble_at(r, key, NULL, NULL);
}

const char *tsv_embeddings(const tsv_reader *r, const char **file, uint64_t *line)
{
    /* the first #embeddings= line is the one with a store */
    size_t i = find(r, "embeddings");
    if (i == r->npreamble)
        return NULL;
    where(r, i, file, line);
    return r->src->pre[i].store;
}

void tsv_set_embeddings(tsv_reader *r, const char *path)
{
    free(r->src->emb_used);
    r->src->emb_used = path ? xstrdup(path) : NULL;
    r->src->emb_set = 1;
}

void tsv_refuse_store_output(const tsv_reader *r, const out *o)
{
    const char *store = tsv_embeddings(r, NULL, NULL);
    if (o && store && *store)
        out_refuse_input(o, store, "the embedding store of its #embeddings= line");
}

void tsv_write_head(const tsv_reader *r, out *o, const char *const *cols, size_t ncols)
{
    const struct tsv_src *s = r->src;
    for (size_t i = 0; i < r->npreamble; i++) {
        if (!s->pre[i].store) {
            out_str(o, r->preamble[i]);
            out_putc(o, '\n');
        } else if (s->emb_set && s->emb_used) {
            embpath_write(o, s->emb_used, s->emb_used);
        } else if (!s->emb_set) {
            const char *line = r->preamble[i];
            embpath_write(o, s->pre[i].store, embpath_value(line, strlen(line)));
        } /* else a store that has no name: no line */
    }
    out_write(o, r->header, r->header_len);
    for (size_t k = 0; k < ncols; k++) {
        out_putc(o, '\t');
        out_str(o, cols[k]);
    }
    out_putc(o, '\n');
}
