/* emb_index: the store's names to their rows.  See emb_index.h. */
#include "distances/emb_index.h"
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t rd8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

static inline uint64_t rd4(const char *p)
{
    uint32_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* Eight bytes a step (the last eight overlapping the step before), then a
 * final mix so that the low bits (the slot) depend on every byte. */
static inline uint32_t hash(const char *s, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = (uint64_t)n * k;
    if (n >= 8) {
        for (const char *p = s, *last = s + n - 8; p < last; p += 8)
            h = (h ^ rd8(p)) * k;
        h = (h ^ rd8(s + n - 8)) * k;
    } else if (n >= 4) {
        h = (h ^ (rd4(s) | rd4(s + n - 4) << 32)) * k;
    } else if (n > 0) {
        h = (h ^ ((uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                  (uint64_t)(unsigned char)s[n - 1] << 16)) *
            k;
    }
    h ^= h >> 32;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 29;
    return (uint32_t)h;
}

static inline int same(const emb_slot *s, uint32_t h, const char *name, size_t len)
{
    if (s->hash != h || s->len != len)
        return 0;
    return memcmp(len <= EMB_INDEX_INLINE ? s->key.bytes : s->key.ptr, name, len) == 0;
}

/* The slot of name, or the empty one where it would go. */
static emb_slot *find(const emb_index *x, const char *name, size_t len, uint32_t h)
{
    for (size_t i = h & x->mask;; i = (i + 1) & x->mask) {
        emb_slot *s = &x->slots[i];
        if (s->len == UINT32_MAX || same(s, h, name, len))
            return s;
    }
}

static void make(emb_index *x, size_t cap)
{
    x->slots = xreallocarray(NULL, cap, sizeof *x->slots);
    for (size_t i = 0; i < cap; i++)
        x->slots[i].len = UINT32_MAX;
    x->mask = cap - 1;
}

void emb_index_init(emb_index *x, size_t expected)
{
    size_t cap = 16;
    while (cap / 4 * 3 < expected)
        cap *= 2;
    make(x, cap);
    x->count = 0;
}

void emb_index_free(emb_index *x)
{
    free(x->slots);
    x->slots = NULL;
}

static void grow(emb_index *x)
{
    emb_index old = *x;
    make(x, (old.mask + 1) * 2);
    for (size_t i = 0; i <= old.mask; i++) {
        const emb_slot *s = &old.slots[i];
        if (s->len != UINT32_MAX) {
            size_t j = s->hash & x->mask;
            while (x->slots[j].len != UINT32_MAX)
                j = (j + 1) & x->mask;
            x->slots[j] = *s;
        }
    }
    free(old.slots);
}

uint64_t *emb_index_put(emb_index *x, const char *name, size_t len, int *found)
{
    if (len >= UINT32_MAX)
        die("key too long (%zu bytes)", len);
    if ((x->count + 1) > (x->mask + 1) / 4 * 3)
        grow(x);
    uint32_t h = hash(name, len);
    emb_slot *s = find(x, name, len, h);
    *found = s->len != UINT32_MAX;
    if (!*found) {
        s->hash = h;
        s->len = (uint32_t)len;
        if (len <= EMB_INDEX_INLINE)
            memcpy(s->key.bytes, name, len);
        else
            s->key.ptr = name;
        s->row = 0;
        x->count++;
    }
    return &s->row;
}

const uint64_t *emb_index_get_hashed(const emb_index *x, const char *name, size_t len,
                                     uint32_t h)
{
    if (len >= UINT32_MAX)
        return NULL;
    const emb_slot *s = find(x, name, len, h);
    return s->len != UINT32_MAX ? &s->row : NULL;
}

const uint64_t *emb_index_get(const emb_index *x, const char *name, size_t len)
{
    return emb_index_get_hashed(x, name, len, hash(name, len));
}

uint32_t emb_index_hash(const char *name, size_t len)
{
    return hash(name, len);
}

void emb_index_prefetch(const emb_index *x, uint32_t h)
{
#if defined(__GNUC__)
    __builtin_prefetch(&x->slots[h & x->mask]);
#else
    (void)x;
    (void)h;
#endif
}
