/* counts: a per-value table of one column, open addressing on the value's
 * bits; sorted in place at the end. */
#include "stream/counts.h"

#include <stdlib.h>
#include <string.h>

#include "common/diag.h"

#define SORT_T counts_entry
#define SORT_LESS(a, b) ((a).value < (b).value)
#define SORT_NAME entries
#include "common/sort_template.inc"

void counts_init(counts *c)
{
    memset(c, 0, sizeof *c);
}

void counts_free(counts *c)
{
    free(c->e);
    memset(c, 0, sizeof *c);
}

/* splitmix64's finaliser: every bit of the value moves the slot. */
static size_t slot_of(double v, size_t mask)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (size_t)x & mask;
}

static counts_entry *find(counts_entry *e, size_t mask, double v)
{
    size_t i = slot_of(v, mask);
    while (e[i].n != 0 && e[i].value != v)
        i = (i + 1) & mask;
    return &e[i];
}

/* Twice the slots when the table is three quarters full: 32 to 64 bytes a
 * distinct value (linear probing stays short at that load with this hash). */
static void grow(counts *c)
{
    size_t slots = c->mask ? 2 * (c->mask + 1) : 1024;
    counts_entry *e = xcalloc(slots, sizeof *e);
    for (size_t i = 0; c->mask && i <= c->mask; i++)
        if (c->e[i].n != 0)
            *find(e, slots - 1, c->e[i].value) = c->e[i];
    free(c->e);
    c->e = e;
    c->mask = slots - 1;
}

int counts_add(counts *c, double v, uint64_t n, uint64_t n_same)
{
    if (n == 0)
        return 0;
    if (c->rows > UINT64_MAX - n)
        return -1;
    v += 0.0; /* -0 is 0 */
    if (!c->mask || 4 * (c->used + 1) > 3 * (c->mask + 1))
        grow(c);
    counts_entry *e = find(c->e, c->mask, v);
    if (e->n > UINT64_MAX - n)
        return -1;
    if (e->n == 0) {
        e->value = v;
        c->used++;
    }
    e->n += n;
    e->n_same += n_same;
    c->rows += n;
    c->rows_same += n_same;
    return 0;
}

int counts_merge(counts *into, const counts *from)
{
    size_t k = from->sorted ? from->used : from->mask ? from->mask + 1 : 0;
    for (size_t i = 0; i < k; i++)
        if (from->e[i].n != 0 &&
            counts_add(into, from->e[i].value, from->e[i].n, from->e[i].n_same) != 0)
            return -1;
    return 0;
}

void counts_sort_entries(counts_entry *e, size_t k)
{
    entries_sort(e, k);
}

const counts_entry *counts_sorted(counts *c, size_t *k)
{
    if (!c->sorted) {
        size_t j = 0;
        for (size_t i = 0; c->mask && i <= c->mask; i++)
            if (c->e[i].n != 0)
                c->e[j++] = c->e[i];
        entries_sort(c->e, j);
        c->sorted = 1;
    }
    *k = c->used;
    return c->e;
}
