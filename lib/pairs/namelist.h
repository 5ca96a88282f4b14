/* namelist: item names to pair (pairgen --probes, --gallery, -e).
 *
 * Two sources, one result: a list file, one name a line (plain or gzip,
 * "-" is stdin, CR before LF dropped), or the names of an embedding store
 * (its first column, the store's header line skipped by emb's rule; the
 * vectors are not read).  A name is not empty and holds no TAB; a name
 * given twice is an error naming both lines.  Memory: the names, once. */
#ifndef NAMELIST_H
#define NAMELIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strmap.h"

typedef struct namelist {
    char *path;          /* for messages: the file name or "<stdin>" */
    size_t n;
    const char **name;   /* in file order, NUL-terminated */
    size_t *len;
    uint64_t *line;      /* the line each name is on */
    strmap index;        /* name -> position */
    arena names; /* private: where the names live */
} namelist;

/* One name a line.  An empty list is not an error (n == 0). */
namelist *namelist_read(const char *path);
/* The names of an embedding store; a store with none is an error. */
namelist *namelist_read_store(const char *path);
void namelist_free(namelist *l);

/* The position of name[0..len), or -1. */
static inline long namelist_find(const namelist *l, const char *name, size_t len)
{
    const uint64_t *v = strmap_get(&l->index, name, len);
    return v ? (long)*v : -1;
}

#endif
