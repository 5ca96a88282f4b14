#include "pairs/pairset.h"
#include "common/arena.h"
#include "common/diag.h"
#include "common/strmap.h"
#include "stream/tsv.h"

#include <stdlib.h>
#include <string.h>

/* An open-addressing table of pairs; the names of a pair sit side by side
 * in one block, "a\0b\0", with a <= b bytewise so that a pair has one form. */
typedef struct slot {
    const char *a; /* NULL: empty */
    size_t an, bn; /* b = a + an + 1 */
    uint64_t hash;
} slot;

struct pairset {
    char *name;
    slot *slots;
    size_t mask, count;
    arena names; /* the pairs' names, "a\0b\0" each */
};

static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* The hash of the pair in its one form (a <= b). */
static uint64_t pair_hash(const char *a, size_t an, const char *b, size_t bn)
{
    uint64_t h = ((uint64_t)strmap_hash(a, an) << 32 | strmap_hash(b, bn)) ^ an;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* Put (a, b) in its one form. */
static void order(const char **a, size_t *an, const char **b, size_t *bn)
{
    if (name_cmp(*a, *an, *b, *bn) > 0) {
        const char *t = *a;
        size_t tn = *an;
        *a = *b;
        *an = *bn;
        *b = t;
        *bn = tn;
    }
}

/* The slot of the pair, or the empty slot where it would go. */
static slot *find(const pairset *p, const char *a, size_t an, const char *b, size_t bn,
                  uint64_t h)
{
    for (size_t i = (size_t)h & p->mask;; i = (i + 1) & p->mask) {
        slot *s = &p->slots[i];
        if (!s->a)
            return s;
        if (s->hash == h && s->an == an && s->bn == bn && memcmp(s->a, a, an) == 0 &&
            memcmp(s->a + an + 1, b, bn) == 0)
            return s;
    }
}

static void grow(pairset *p)
{
    size_t n = (p->mask + 1) * 2;
    slot *old = p->slots;
    size_t oldn = p->mask + 1;
    p->slots = xcalloc(n, sizeof *p->slots);
    p->mask = n - 1;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].a) {
            size_t j = (size_t)old[i].hash & p->mask;
            while (p->slots[j].a)
                j = (j + 1) & p->mask;
            p->slots[j] = old[i];
        }
    free(old);
}

static const char *keep(pairset *p, const char *a, size_t an, const char *b, size_t bn)
{
    char *s = arena_alloc(&p->names, an + bn + 2);
    memcpy(s, a, an);
    s[an] = '\0';
    memcpy(s + an + 1, b, bn);
    s[an + 1 + bn] = '\0';
    return s;
}

static void add(pairset *p, const char *a, size_t an, const char *b, size_t bn)
{
    order(&a, &an, &b, &bn);
    uint64_t h = pair_hash(a, an, b, bn);
    slot *s = find(p, a, an, b, bn, h);
    if (s->a)
        return; /* listed before, in either order */
    s->a = keep(p, a, an, b, bn);
    s->an = an;
    s->bn = bn;
    s->hash = h;
    if (++p->count * 4 > (p->mask + 1) * 3)
        grow(p);
}

static void abandon(void *p) { pairset_free(p); }

pairset *pairset_read(const char *path)
{
    pairset *p = xcalloc(1, sizeof *p);
    diag_on_error(abandon, p);
    p->mask = 1023;
    p->slots = xcalloc(p->mask + 1, sizeof *p->slots);
    char *paths[] = {(char *)path};
    tsv_reader *r = tsv_open(paths, 1);
    p->name = xstrdup(r->name);
    size_t ca = tsv_require_col(r, "a"), cb = tsv_require_col(r, "b");
    while (tsv_next(r))
        add(p, r->f[ca].p, r->f[ca].n, r->f[cb].p, r->f[cb].n);
    tsv_close(r);
    diag_forget_error(abandon, p);
    return p;
}

int pairset_has(const pairset *p, const char *a, size_t an, const char *b, size_t bn)
{
    order(&a, &an, &b, &bn);
    return find(p, a, an, b, bn, pair_hash(a, an, b, bn))->a != NULL;
}

size_t pairset_size(const pairset *p) { return p->count; }
const char *pairset_name(const pairset *p) { return p->name; }

void pairset_free(pairset *p)
{
    if (!p)
        return;
    arena_free(&p->names);
    free(p->slots);
    free(p->name);
    free(p);
}
