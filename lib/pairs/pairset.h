/* pairset: a set of unordered pairs of item names, read from a stream with
 * the columns a and b (pairgen --exclude: the pairs a model was trained
 * on).  (x, y) and (y, x) are one pair.  Memory is proportional to the
 * file: each distinct pair once, its names copied. */
#ifndef PAIRSET_H
#define PAIRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct pairset pairset;

/* Read the stream at path ("-" is stdin; plain or gzip, any preamble, any
 * other columns); a missing column a or b is an error naming the columns. */
pairset *pairset_read(const char *path);
void pairset_free(pairset *p);

/* Is {a, b} in the set? */
int pairset_has(const pairset *p, const char *a, size_t an, const char *b, size_t bn);
/* The number of distinct pairs. */
size_t pairset_size(const pairset *p);
/* The file's name for messages ("<stdin>" for stdin). */
const char *pairset_name(const pairset *p);

#endif
