/* ids: the identities file (SPEC.md, "Identities file"): a YAML mapping
 * identity -> list of item names, or a mapping with the keys `identities`
 * (that mapping) and optionally `embeddings` (a path relative to the file).
 * Memory is O(items). */
#ifndef IDS_H
#define IDS_H

#include <stddef.h>

typedef struct ids {
    size_t nids, nitems;
    char **id;         /* identity names, file order */
    size_t *id_len;
    size_t *start;     /* items of identity k: item[start[k] .. start[k+1]) */
    char **item;       /* item names, file order */
    size_t *item_len;
    char *embeddings;  /* the `embeddings:` value as written, or NULL */
} ids;

/* Load and check the file ("-" is stdin); any problem ends the program
 * with "FILE:LINE:COL: what". */
ids *ids_load(const char *path);
void ids_free(ids *s);
static inline size_t ids_size(const ids *s, size_t k) { return s->start[k + 1] - s->start[k]; }

/* The path of the embeddings as it opens from the current directory: the
 * file's `embeddings` joined to the folder of the identities file (unless
 * absolute, or the identities came from stdin).  Caller frees. */
char *ids_embeddings_path(const ids *s, const char *ids_path);

#endif
