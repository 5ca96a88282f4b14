#include "common/arena.h"
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
};

enum { ARENA_BLOCK = 1 << 16 };

char *arena_alloc(arena *a, size_t n)
{
    struct arena_block *b = a->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->next = a->blocks;
        b->used = 0;
        b->cap = cap;
        a->blocks = b;
    }
    char *s = b->data + b->used;
    b->used += n;
    return s;
}

const char *arena_keep(arena *a, const char *p, size_t n)
{
    char *s = arena_alloc(a, n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

void arena_free(arena *a)
{
    for (struct arena_block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->blocks = NULL;
}
