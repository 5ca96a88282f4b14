/* emb_index: the store's names to their rows (emb.h's emb_find), a hash
 * table laid out for the lookups of a stream of pairs: a name of up to 16
 * bytes is held in its slot, beside its hash and row, so that a lookup
 * reads one cache line, not the slot and then the name; longer names are
 * compared where the caller keeps them.  Linear probing, at most 3/4 full.
 *
 *   emb_index_init(&x, 1024);
 *   uint64_t *row = emb_index_put(&x, name, len, &found);   name kept by the caller
 *   const uint64_t *r = emb_index_get(&x, name, len);       NULL: absent */
#ifndef EMB_INDEX_H
#define EMB_INDEX_H

#include <stddef.h>
#include <stdint.h>

enum { EMB_INDEX_INLINE = 16 };

typedef struct emb_slot {
    uint32_t hash;
    uint32_t len; /* UINT32_MAX: empty */
    uint64_t row;
    union {
        char bytes[EMB_INDEX_INLINE]; /* len <= EMB_INDEX_INLINE */
        const char *ptr;              /* longer: the caller's copy */
    } key;
} emb_slot;

typedef struct emb_index {
    emb_slot *slots;
    size_t mask, count;
} emb_index;

void emb_index_init(emb_index *x, size_t expected);
void emb_index_free(emb_index *x);
/* Insert name[0..len) if absent; its row's slot (the old row when *found). */
uint64_t *emb_index_put(emb_index *x, const char *name, size_t len, int *found);
/* The row of name[0..len), or NULL. */
const uint64_t *emb_index_get(const emb_index *x, const char *name, size_t len);
/* The same in two steps, so that the slots of many lookups are fetched from
 * memory together: h = emb_index_hash(name, len), emb_index_prefetch(x, h)
 * some lookups ahead, then emb_index_get_hashed(x, name, len, h). */
uint32_t emb_index_hash(const char *name, size_t len);
void emb_index_prefetch(const emb_index *x, uint32_t h);
const uint64_t *emb_index_get_hashed(const emb_index *x, const char *name, size_t len,
                                     uint32_t h);

#endif
