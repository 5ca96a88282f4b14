/* arena: strings that never move, for indexes that point into them (the
 * embedding store's names, a name list, a set of pairs).  Memory comes in
 * blocks of 64 KiB (or one block the size of a larger string) and is given
 * back all at once by arena_free(). */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct arena {
    struct arena_block *blocks; /* private */
} arena;

/* n bytes (n > 0) that stay where they are until arena_free(). */
char *arena_alloc(arena *a, size_t n);
/* A NUL-terminated copy of p[0..n). */
const char *arena_keep(arena *a, const char *p, size_t n);
void arena_free(arena *a);

#endif
