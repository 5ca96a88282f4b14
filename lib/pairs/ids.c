#include "pairs/ids.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/strmap.h"
#include "stream/yamlin.h"

#include <stdlib.h>
#include <string.h>

typedef struct loader {
    yamlin y;
    ids *s;
    size_t cap_ids, cap_items;
    strmap items;   /* item name -> 1 + identity index */
    strmap idnames; /* identity name -> 1 */
    char *key;      /* the top-level key being read */
} loader;

static void add_identity(loader *L, const char *name, size_t len)
{
    ids *s = L->s;
    int found;
    char q[DIAG_QUOTE_MAX];
    const char *why = name_check(NAME_IDENTITY, name, len);
    if (why && len == 0)
        yamlin_die(&L->y, "an identity name is empty");
    if (why)
        yamlin_die(&L->y, "identity name %s ('%s')", why, diag_quote(q, sizeof q, name, len));
    if (s->nids + 1 >= L->cap_ids) {
        L->cap_ids = L->cap_ids ? L->cap_ids * 2 : 64;
        s->id = xreallocarray(s->id, L->cap_ids, sizeof *s->id);
        s->id_len = xreallocarray(s->id_len, L->cap_ids, sizeof *s->id_len);
        s->start = xreallocarray(s->start, L->cap_ids + 1, sizeof *s->start);
    }
    s->id[s->nids] = xstrndup(name, len);
    s->id_len[s->nids] = len;
    strmap_put(&L->idnames, s->id[s->nids], len, &found);
    if (found) {
        free(s->id[s->nids]);
        yamlin_die(&L->y, "identity '%s' is listed twice", diag_quote(q, sizeof q, name, len));
    }
    s->start[s->nids] = s->nitems;
    s->nids++;
    s->start[s->nids] = s->nitems;
}

static void add_item(loader *L, const char *name, size_t len)
{
    ids *s = L->s;
    char q[DIAG_QUOTE_MAX], q2[DIAG_QUOTE_MAX];
    const char *why = name_check(NAME_ITEM, name, len);
    if (why && len == 0)
        yamlin_die(&L->y, "identity '%s': an item name is empty",
                   diag_quote(q, sizeof q, s->id[s->nids - 1], s->id_len[s->nids - 1]));
    if (why)
        yamlin_die(&L->y, "item name %s ('%s')", why, diag_quote(q, sizeof q, name, len));
    if (s->nitems == L->cap_items) {
        L->cap_items = L->cap_items ? L->cap_items * 2 : 256;
        s->item = xreallocarray(s->item, L->cap_items, sizeof *s->item);
        s->item_len = xreallocarray(s->item_len, L->cap_items, sizeof *s->item_len);
    }
    char *copy = xstrndup(name, len);
    int found;
    uint64_t *owner = strmap_put(&L->items, copy, len, &found);
    if (found) {
        size_t other = (size_t)*owner - 1;
        free(copy);
        diag_quote(q2, sizeof q2, s->id[other], s->id_len[other]);
        if (other == s->nids - 1)
            yamlin_die(&L->y, "item '%s' is listed twice under identity '%s'",
                       diag_quote(q, sizeof q, name, len), q2);
        char q3[DIAG_QUOTE_MAX];
        yamlin_die(&L->y, "item '%s' is listed under two identities ('%s' and '%s')",
                   diag_quote(q, sizeof q, name, len), q2,
                   diag_quote(q3, sizeof q3, s->id[s->nids - 1], s->id_len[s->nids - 1]));
    }
    *owner = s->nids; /* 1 + index of the current identity */
    s->item[s->nitems] = copy;
    s->item_len[s->nitems] = len;
    s->nitems++;
    s->start[s->nids] = s->nitems;
}

/* The value of one identity, its first event already read: a list of
 * scalars, or null (no items). */
static void read_items(loader *L)
{
    char buf[128], q[DIAG_QUOTE_MAX];
    ids *s = L->s;
    if (yamlin_is_null(&L->y))
        return;
    if (L->y.ev.type != YAML_SEQUENCE_START_EVENT)
        yamlin_die(&L->y, "identity '%s': expected a list of items (found %s)",
                   diag_quote(q, sizeof q, s->id[s->nids - 1], s->id_len[s->nids - 1]),
                   yamlin_found(&L->y, buf, sizeof buf));
    for (;;) {
        yamlin_next(&L->y);
        if (L->y.ev.type == YAML_SEQUENCE_END_EVENT)
            return;
        if (L->y.ev.type != YAML_SCALAR_EVENT)
            yamlin_die(&L->y, "identity '%s': expected an item name (found %s)",
                       diag_quote(q, sizeof q, s->id[s->nids - 1], s->id_len[s->nids - 1]),
                       yamlin_found(&L->y, buf, sizeof buf));
        size_t n;
        const char *name = yamlin_scalar(&L->y, &n);
        add_item(L, name, n);
    }
}

/* A mapping identity -> items; the MAPPING_START has been read. */
static void read_identities(loader *L)
{
    char buf[128];
    for (;;) {
        yamlin_next(&L->y);
        if (L->y.ev.type == YAML_MAPPING_END_EVENT)
            return;
        if (L->y.ev.type != YAML_SCALAR_EVENT)
            yamlin_die(&L->y, "expected an identity name (found %s)",
                       yamlin_found(&L->y, buf, sizeof buf));
        size_t n;
        const char *name = yamlin_scalar(&L->y, &n);
        add_identity(L, name, n);
        yamlin_next(&L->y);
        read_items(L);
    }
}

static void abandon(void *arg)
{
    loader *L = arg;
    strmap_free(&L->items);
    strmap_free(&L->idnames);
    free(L->key);
    ids_free(L->s);
}

ids *ids_load(const char *path)
{
    loader L;
    memset(&L, 0, sizeof L);
    diag_on_error(abandon, &L);
    char buf[128];
    ids *s = L.s = xcalloc(1, sizeof *s);
    s->start = xcalloc(1, sizeof *s->start);
    strmap_init(&L.items, 1024);
    strmap_init(&L.idnames, 64);
    yamlin_open(&L.y, path);
    yamlin_next(&L.y); /* stream start */
    yamlin_next(&L.y);
    if (L.y.ev.type != YAML_DOCUMENT_START_EVENT)
        die("%s: empty document (expected a mapping of identity -> list of items)", L.y.name);
    yamlin_next(&L.y);
    if (yamlin_is_null(&L.y))
        die("%s: empty document (expected a mapping of identity -> list of items)", L.y.name);
    if (L.y.ev.type != YAML_MAPPING_START_EVENT)
        yamlin_die(&L.y, "expected a mapping of identity -> list of items (found %s)",
                   yamlin_found(&L.y, buf, sizeof buf));
    /* Either shape, decided key by key: a list is an identity's items; the
     * key `identities` with a mapping, or `embeddings` with a scalar, make
     * the wrapped shape.  Mixing both is an error. */
    int plain = 0, wrapped = 0, have_identities = 0;
    for (;;) {
        yamlin_next(&L.y);
        if (L.y.ev.type == YAML_MAPPING_END_EVENT)
            break;
        if (L.y.ev.type != YAML_SCALAR_EVENT)
            yamlin_die(&L.y, "expected an identity name (found %s)",
                       yamlin_found(&L.y, buf, sizeof buf));
        size_t n;
        const char *key = yamlin_scalar(&L.y, &n);
        char *keycopy = L.key = xstrndup(key, n);
        yaml_mark_t keymark = L.y.ev.start_mark;
        yamlin_next(&L.y);
        yaml_event_type_t t = L.y.ev.type;
        if (strcmp(keycopy, "identities") == 0 && t == YAML_MAPPING_START_EVENT && !plain &&
            !have_identities) {
            wrapped = have_identities = 1;
            read_identities(&L);
        } else if (strcmp(keycopy, "embeddings") == 0 && t == YAML_SCALAR_EVENT && !plain) {
            if (s->embeddings)
                yamlin_die(&L.y, "'embeddings' is given twice");
            size_t vn;
            const char *v = yamlin_scalar(&L.y, &vn);
            if (vn == 0)
                yamlin_die(&L.y, "'embeddings' is empty (expected a path)");
            const char *why = name_check(NAME_PATH, v, vn);
            if (why) {
                char q[DIAG_QUOTE_MAX];
                /* it is written into the stream's #embeddings= line */
                yamlin_die(&L.y, "'embeddings' path %s ('%s')", why,
                           diag_quote(q, sizeof q, v, vn));
            }
            s->embeddings = xstrndup(v, vn);
            wrapped = 1;
        } else if (wrapped) {
            char q[DIAG_QUOTE_MAX];
            L.y.ev.start_mark = keymark;
            yamlin_die(&L.y,
                       "unknown key '%s' (a file with 'identities:' has only 'identities' "
                       "and 'embeddings')",
                       diag_quote(q, sizeof q, keycopy, n));
        } else {
            plain = 1;
            /* an error about the name points at the name */
            yaml_mark_t valmark = L.y.ev.start_mark;
            L.y.ev.start_mark = keymark;
            add_identity(&L, keycopy, n);
            L.y.ev.start_mark = valmark;
            read_items(&L);
        }
        free(keycopy);
        L.key = NULL;
    }
    yamlin_next(&L.y); /* document end */
    yamlin_next(&L.y);
    if (L.y.ev.type != YAML_STREAM_END_EVENT)
        yamlin_die(&L.y, "more than one YAML document (expected one)");
    yamlin_close(&L.y);
    diag_forget_error(abandon, &L);
    strmap_free(&L.items);
    strmap_free(&L.idnames);
    return s;
}

void ids_free(ids *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nids; i++)
        free(s->id[i]);
    for (size_t i = 0; i < s->nitems; i++)
        free(s->item[i]);
    free(s->id);
    free(s->id_len);
    free(s->start);
    free(s->item);
    free(s->item_len);
    free(s->embeddings);
    free(s);
}

char *ids_embeddings_path(const ids *s, const char *ids_path)
{
    if (!s->embeddings)
        return NULL;
    const char *slash = strrchr(ids_path, '/');
    if (s->embeddings[0] == '/' || strcmp(ids_path, "-") == 0 || !slash)
        return xstrdup(s->embeddings);
    size_t dirlen = (size_t)(slash - ids_path) + 1, n = strlen(s->embeddings);
    char *p = xmalloc(dirlen + n + 1);
    memcpy(p, ids_path, dirlen);
    memcpy(p + dirlen, s->embeddings, n + 1);
    /* the folder comes from the command line: it goes into the stream's
     * #embeddings= line too */
    const char *why = name_check(NAME_PATH, p, dirlen + n);
    if (why) {
        char q[DIAG_QUOTE_MAX];
        diag_quote(q, sizeof q, p, dirlen + n);
        free(p);
        die("%s: the embeddings path joined to this file's folder %s ('%s')", ids_path, why, q);
    }
    return p;
}
