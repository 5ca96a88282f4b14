/* emb: the embedding store (SPEC.md, "Embeddings").
 *
 * One embedding a line, in any of three forms (a file may mix them):
 *     NAME<TAB>v1<TAB>v2...      NAME<TAB>v1,v2,...      NAME<TAB>[v1, v2, ...]
 * plain or gzip.  A first line with no TAB, or whose first value does not
 * begin like a number (a digit, a sign or a point), is a header and is
 * skipped.  Every vector has the dimension of the first; a
 * name appears once.  Vectors are held as float32 in one contiguous block
 * (row i at vec + i * dim), with a hash index by name and each vector's
 * squared norm, accumulated in double. */
#ifndef EMB_H
#define EMB_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "distances/emb_index.h"

typedef struct emb {
    const char *path; /* for messages: the file name, or "<stdin>" */
    size_t n, dim;
    float *vec;              /* n * dim */
    double *sqnorm;          /* n: the sum of squares of each vector */
    size_t sqcap;            /* private: room in sqnorm while loading */
    emb_index index;         /* name -> row */
    arena names; /* private: where the names live */
} emb;

/* Load a store ("-" is stdin).  Any problem is an error naming the file and
 * line: an empty store, a bad or non-finite number, a value out of float32
 * range, a vector of another dimension, a name given twice. */
emb *emb_load(const char *path);
/* The same with the text parsed by jobs threads (1 or more): the same
 * store, the same first error, whatever jobs is. */
emb *emb_load_jobs(const char *path, int jobs);
/* Lines longer than this many bytes are read value by value, in a buffer
 * of a few MiB, whatever their length (1 MiB; the tests and the fuzz
 * target make it small to run that path on small inputs). */
extern size_t emb_look;
void emb_free(emb *e);

/* Is text[0..len), the first line of a store, its header (the rule above)?
 * Also what pairgen uses to read a store's names alone. */
int emb_is_header(const char *text, size_t len);

/* The row of name[0..len), or -1. */
static inline long emb_find(const emb *e, const char *name, size_t len)
{
    const uint64_t *v = emb_index_get(&e->index, name, len);
    return v ? (long)*v : -1;
}

static inline const float *emb_vec(const emb *e, size_t row)
{
    return e->vec + row * e->dim;
}

#endif
