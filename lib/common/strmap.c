#include "common/strmap.h"
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

uint32_t strmap_hash(const char *key, size_t len)
{
    /* FNV-1a, then a final mix so that the low bits (the slot) depend on
     * every byte. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

void strmap_init(strmap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2)
        cap *= 2;
    m->slots = xcalloc(cap, sizeof *m->slots);
    m->mask = cap - 1;
    m->count = 0;
}

void strmap_free(strmap *m)
{
    free(m->slots);
    m->slots = NULL;
}

static strmap_slot *find(const strmap *m, const char *key, size_t len, uint32_t h)
{
    for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
        strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static void grow(strmap *m)
{
    strmap old = *m;
    size_t cap = (m->mask + 1) * 2;
    m->slots = xcalloc(cap, sizeof *m->slots);
    m->mask = cap - 1;
    for (size_t i = 0; i <= old.mask; i++)
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
    free(old.slots);
}

uint64_t *strmap_put(strmap *m, const char *key, size_t len, int *found)
{
    if (len > UINT32_MAX)
        die("key too long (%zu bytes)", len);
    if ((m->count + 1) * 2 > m->mask + 1)
        grow(m);
    uint32_t h = strmap_hash(key, len);
    strmap_slot *s = find(m, key, len, h);
    *found = s->key != NULL;
    if (!s->key) {
        s->key = key;
        s->len = (uint32_t)len;
        s->hash = h;
        s->value = 0;
        m->count++;
    }
    return &s->value;
}

uint64_t *strmap_get(const strmap *m, const char *key, size_t len)
{
    strmap_slot *s = find(m, key, len, strmap_hash(key, len));
    return s->key ? &s->value : NULL;
}
