/* namelist: the name lists of pairgen --probes and --gallery, and a
 * store's names, read with lines.h.  See namelist.h. */
#include "pairs/namelist.h"
#include "common/diag.h"
#include "distances/emb.h"
#include "stream/lines.h"

#include <stdlib.h>
#include <string.h>

static const char *keep(namelist *l, const char *p, size_t n)
{
    return arena_keep(&l->names, p, n);
}

static void add(namelist *l, size_t *cap, const char *p, size_t n, uint64_t line)
{
    char q[DIAG_QUOTE_MAX];
    int found;
    const char *name = keep(l, p, n);
    uint64_t *slot = strmap_put(&l->index, name, n, &found);
    if (found)
        die_at(l->path, line, "name given twice, first on line %llu ('%s')",
               (unsigned long long)l->line[*slot], diag_quote(q, sizeof q, p, n));
    if (l->n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        l->name = xreallocarray(l->name, *cap, sizeof *l->name);
        l->len = xreallocarray(l->len, *cap, sizeof *l->len);
        l->line = xreallocarray(l->line, *cap, sizeof *l->line);
    }
    l->name[l->n] = name;
    l->len[l->n] = n;
    l->line[l->n] = line;
    *slot = l->n++;
}

static void abandon(void *l) { namelist_free(l); }

static namelist *read_names(const char *path, int store)
{
    char q[DIAG_QUOTE_MAX];
    namelist *l = xcalloc(1, sizeof *l);
    diag_on_error(abandon, l);
    strmap_init(&l->index, 256);
    lines *r = lines_open(path);
    l->path = xstrdup(r->name);
    size_t cap = 0;
    while (lines_next(r)) {
        const char *tab = memchr(r->text, '\t', r->len);
        if (store) {
            /* as emb_load reads the store, without the vectors */
            if (r->line == 1 && emb_is_header(r->text, r->len))
                continue;
            if (r->len == 0)
                die_at(l->path, r->line, "empty line (expected NAME<TAB>VALUES)");
            if (!tab)
                die_at(l->path, r->line,
                       "no TAB after the name (expected NAME<TAB>VALUES) ('%s')",
                       diag_quote(q, sizeof q, r->text, r->len));
            if (tab == r->text)
                die_at(l->path, r->line, "empty name (expected NAME<TAB>VALUES)");
            add(l, &cap, r->text, (size_t)(tab - r->text), r->line);
        } else {
            if (r->len == 0)
                die_at(l->path, r->line, "empty line (expected one name a line)");
            if (tab)
                die_at(l->path, r->line, "a name holds a TAB (expected one name a line) ('%s')",
                       diag_quote(q, sizeof q, r->text, r->len));
            add(l, &cap, r->text, r->len, r->line);
        }
    }
    lines_close(r);
    if (store && l->n == 0)
        die_at(l->path, 0, "no embeddings in the store");
    diag_forget_error(abandon, l);
    return l;
}

namelist *namelist_read(const char *path) { return read_names(path, 0); }
namelist *namelist_read_store(const char *path) { return read_names(path, 1); }

void namelist_free(namelist *l)
{
    if (!l)
        return;
    strmap_free(&l->index);
    arena_free(&l->names);
    free(l->name);
    free(l->len);
    free(l->line);
    free(l->path);
    free(l);
}
