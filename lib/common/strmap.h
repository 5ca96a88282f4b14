/* strmap: a hash map from byte strings to 64-bit values (open addressing).
 * Keys are not copied: their memory must outlive the map. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t hash;
    uint64_t value;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t mask, count;
} strmap;

void strmap_init(strmap *m, size_t expected);
void strmap_free(strmap *m);
uint32_t strmap_hash(const char *key, size_t len);
/* Insert key if absent.  Returns its value slot; *found says whether the
 * key was there already (the value is then the old one). */
uint64_t *strmap_put(strmap *m, const char *key, size_t len, int *found);
/* The value slot of key, or NULL. */
uint64_t *strmap_get(const strmap *m, const char *key, size_t len);

#endif
