/* counts: a per-value table of one column, open addressing on the value's
 * bits, 16-byte slots with 32-bit sums (a value past them moves its sums
 * to a small wide table of 64-bit ones); radix-sorted at the end. */
#ifndef _GNU_SOURCE /* mremap (the fuzz build defines it) */
#define _GNU_SOURCE
#endif
#include "stream/counts.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/diag.h"
#include "common/prefault.h"
#include "common/sort.h"

#define SORT_T counts_entry
#define SORT_LESS(a, b) ((a).value < (b).value)
#define SORT_NAME entries
#include "common/sort_template.inc"

#undef SORT_T
#undef SORT_LESS
#undef SORT_NAME
#define SORT_T counts_slot
#define SORT_LESS(a, b) ((a).value < (b).value)
#define SORT_NAME slots
#include "common/sort_template.inc"

/* slot.n of a value whose sums are in the wide table; a slot's own sums
 * stay at most SLOT_MAX */
#define WIDE UINT32_MAX
#define SLOT_MAX (UINT32_MAX - 1)

void counts_init(counts *c)
{
    memset(c, 0, sizeof *c);
}

static void table_free(void *t, size_t mapped)
{
    if (mapped)
        munmap(t, mapped);
    else
        free(t);
}

void counts_free(counts *c)
{
    table_free(c->t, c->mapped);
    table_free(c->g, c->gmapped);
    free(c->w);
    free(c->e);
    memset(c, 0, sizeof *c);
}

/* splitmix64's finaliser: every bit of the value moves the slot. */
static uint64_t mix(double v)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static counts_slot *find_from(counts_slot *t, size_t mask, size_t i, double v)
{
    while (t[i].n != 0 && t[i].value != v)
        i = (i + 1) & mask;
    return &t[i];
}

/* A value's home slot: the top bits of its hash, so that doubling the table
 * sends home h to 2h or 2h + 1 and grow() writes the new table in order. */
static size_t home(uint64_t h, size_t mask)
{
    return (size_t)(h >> __builtin_clzll(mask));
}

static counts_slot *find(counts_slot *t, size_t mask, double v)
{
    return find_from(t, mask, home(mix(v), mask), v);
}

/* Twice the slots when the table is three quarters full: 21 to 43 bytes a
 * distinct value (linear probing stays short at that load with this hash).
 * A large table is mapped (its pages come zeroed), aligned to 2 MiB and
 * asked for huge pages: its slots are touched at random, and with 4 KiB
 * pages nearly every add would miss the TLB (logfit on 10^6 distinct
 * values a column: 2.6 s with small pages, 1.4 s with huge ones). */
enum { HUGE_PAGE = 2 << 20 };

static void *zeroed_alloc(size_t bytes, size_t *mapped)
{
    *mapped = 0;
    if (bytes < HUGE_PAGE)
        return xcalloc(1, bytes);
    bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    char *p = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        die("out of memory (%zu bytes)", bytes);
    char *a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (a + bytes < p + bytes + HUGE_PAGE)
        munmap(a + bytes, (size_t)(p + bytes + HUGE_PAGE - (a + bytes)));
#ifdef MADV_HUGEPAGE
    madvise(a, bytes, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
    *mapped = bytes;
    return a;
}

static counts_slot *table_alloc(size_t slots, size_t *mapped)
{
    return zeroed_alloc(slots * sizeof(counts_slot), mapped);
}

/* A mapped table grown to `slots` slots where it lies: its mapping is
 * moved (mremap: its pages, not their bytes) to a 2 MiB-aligned address
 * and grown there, in one mapping; its values are then rehashed in place,
 * from the last slot to the first.  Only the grown part's pages are fresh
 * (faulted in on a second thread meanwhile), and the old and new tables
 * never coexist: half the fresh pages of a copy, under the lock that the
 * other threads' adds to the column wait on.  The slots at or past p are
 * the new table's, those before it the old one's: a value whose new home
 * is at or past p is placed by probing there; one whose new home lies
 * before p (a long displacement near the start), or whose probe would wrap
 * past the end into the old slots, waits aside and is placed last.  0 when
 * the mapping could not be moved (the caller then copies). */
static int resize_in_place(counts *c, size_t slots)
{
#ifndef MREMAP_FIXED /* (Linux's) */
    (void)c, (void)slots;
    return 0;
#else
    size_t mapped;
    counts_slot *t = table_alloc(slots, &mapped); /* the address, reserved */
    if (mremap(c->t, c->mapped, mapped, MREMAP_MAYMOVE | MREMAP_FIXED, t) == MAP_FAILED)
        /* (the reservation is not unmapped: the kernel may have unmapped
         * it already, and another thread mapped something there since) */
        return 0;
    prefault pf;
    prefault_start(&pf, (char *)t + c->mapped, mapped - c->mapped);
    size_t mask = slots - 1, nside = 0, cap = 0;
    counts_slot *side = NULL;
    for (size_t p = c->mask + 1; p-- > 0;) {
        if (t[p].n == 0)
            continue;
        counts_slot s = t[p];
        t[p] = (counts_slot){0}; /* empty, with zero sums for a later value */
        size_t q = home(mix(s.value), mask);
        if (q >= p) {
            while (q <= mask && t[q].n != 0)
                q++;
            if (q <= mask) {
                t[q] = s;
                continue;
            }
        }
        if (nside == cap) {
            cap = cap ? 2 * cap : 64;
            side = xreallocarray(side, cap, sizeof *side);
        }
        side[nside++] = s;
    }
    for (size_t i = 0; i < nside; i++)
        *find(t, mask, side[i].value) = side[i];
    free(side);
    prefault_wait(&pf);
    c->t = t;
    c->mask = mask;
    c->mapped = mapped;
    return 1;
#endif
}

/* The table moved to `slots` slots (a power of two, more than now): in
 * place when it is mapped, else copied.  A slot's value lies at or a few
 * slots past its home (or wrapped to the start), so the old table read in
 * order is near the order of the new homes: the new table is written front
 * to back (or back to front), not at random (the caches' prefetchers see a
 * stream). */
static void resize(counts *c, size_t slots)
{
    if (c->mapped && resize_in_place(c, slots))
        return;
    size_t mapped;
    counts_slot *t = table_alloc(slots, &mapped), *old = c->t;
    size_t mask = slots - 1;
    /* the back half's fresh pages faulted in beside the rehash, which
     * reaches them last */
    prefault pf;
    prefault_start(&pf, (char *)t + mapped / 2, mapped / 2);
    for (size_t i = 0; c->mask && i <= c->mask; i++)
        if (old[i].n != 0)
            *find(t, mask, old[i].value) = old[i];
    prefault_wait(&pf);
    table_free(old, c->mapped);
    c->t = t;
    c->mask = mask;
    c->mapped = mapped;
}

/* Twice the slots (1024 to start). */
static void grow(counts *c)
{
    resize(c, c->mask ? 2 * (c->mask + 1) : 1024);
}

/* ---- the wide table: 64-bit sums, for the values past SLOT_MAX rows ---- */

static counts_entry *wide_find(counts_entry *e, size_t mask, double v)
{
    size_t i = (size_t)mix(v) & mask;
    while (e[i].n != 0 && e[i].value != v)
        i = (i + 1) & mask;
    return &e[i];
}

static void wide_add(counts *c, double v, uint64_t n, uint64_t n_same)
{
    if (!c->wmask || 4 * (c->wused + 1) > 3 * (c->wmask + 1)) {
        size_t slots = c->wmask ? 2 * (c->wmask + 1) : 16;
        counts_entry *e = xcalloc(slots, sizeof *e);
        for (size_t i = 0; c->wmask && i <= c->wmask; i++)
            if (c->w[i].n != 0)
                *wide_find(e, slots - 1, c->w[i].value) = c->w[i];
        free(c->w);
        c->w = e;
        c->wmask = slots - 1;
    }
    counts_entry *e = wide_find(c->w, c->wmask, v);
    if (e->n == 0) {
        e->value = v;
        c->wused++;
    }
    e->n += n;
    e->n_same += n_same;
}

/* The sums of slot s, wherever they are. */
static counts_entry slot_entry(const counts *c, const counts_slot *s)
{
    if (s->n == WIDE)
        return *wide_find(c->w, c->wmask, s->value);
    return (counts_entry){s->value, s->n, s->n_same};
}

/* Add to the 32-bit sums *sn, *ss of value v (a slot's or a cell's); the
 * caller has checked the total of the rows (every sum is at most c->rows:
 * no overflow). */
static void sums_add(counts *c, uint32_t *sn, uint32_t *ss, double v, uint64_t n,
                     uint64_t n_same)
{
    if (*sn == 0)
        c->used++;
    if (*sn != WIDE && n <= SLOT_MAX - *sn) {
        *sn += (uint32_t)n;
        *ss += (uint32_t)n_same;
    } else if (*sn == WIDE) {
        wide_add(c, v, n, n_same);
    } else { /* past 2^32 - 2 rows: the value's sums move to the wide table */
        wide_add(c, v, *sn + n, *ss + n_same);
        *sn = WIDE;
        *ss = 0;
    }
    c->rows += n;
    c->rows_same += n_same;
}

/* Add to slot s (of value v, empty or not). */
static void slot_add(counts *c, counts_slot *s, double v, uint64_t n, uint64_t n_same)
{
    if (s->n == 0)
        s->value = v;
    sums_add(c, &s->n, &s->n_same, v, n, n_same);
}

/* ---- the grid: the values k / 10^d of a narrow range, a cell each ---- */

/* x rounded to an integer, ties to even, for |x| <= 2^51 (beyond, some
 * number near x: the grid's checks then fail) */
static double round_even(double x)
{
    const double shift = 0x1.8p52;
    return (x + shift) - shift; /* (IEEE arithmetic: no compiler folds it) */
}

/* No cell (grid_index). */
#define GRID_NONE UINT32_MAX

/* The index of x's cell (x not -0), or GRID_NONE when x is not k / gscale
 * for a k of the grid.  A decimal of d places that a correct parser read
 * is the double nearest k / 10^d, and so is the quotient below: x is that
 * decimal exactly.  (A grid has at most 2^22 cells.) */
static uint32_t grid_index(const counts *c, double x)
{
    double k = round_even(x * c->gscale), i = k - c->gk0;
    if (!(i >= 0 && i < (double)c->gcells) || k / c->gscale != x)
        return GRID_NONE;
    return (uint32_t)i;
}

/* The cell of x (x not -0), or NULL. */
static counts_cell *grid_cell(const counts *c, double x)
{
    uint32_t i = grid_index(c, x);
    return i == GRID_NONE ? NULL : &c->g[i];
}

/* The value of cell i. */
static double cell_value(const counts *c, size_t i)
{
    return (c->gk0 + (double)i) / c->gscale;
}

/* The sums of the grid's cell i, wherever they are. */
static counts_entry cell_entry(const counts *c, size_t i)
{
    double v = cell_value(c, i);
    if (c->g[i].n == WIDE)
        return *wide_find(c->w, c->wmask, v);
    return (counts_entry){v, c->g[i].n, c->g[i].n_same};
}

/* Add to the cell of value v. */
static void cell_add(counts *c, counts_cell *g, double v, uint64_t n, uint64_t n_same)
{
    if (g->n == 0)
        c->gused++;
    sums_add(c, &g->n, &g->n_same, v, n, n_same);
}

/* The distinct values in the table. */
static size_t table_used(const counts *c)
{
    return c->used - c->gused;
}

/* The grid: at most GRID_CELLS cells (32 MiB), planned once GRID_SAMPLE
 * rows are counted (a short stream never takes it), when at most one in
 * GRID_OFF of the values so far lies off it and it has at most
 * GRID_PER_VALUE cells for each distinct value among them (a few values
 * far apart would have their huge pages faulted in, for nothing). */
enum { GRID_CELLS = 1 << 22, GRID_SAMPLE = 1 << 17, GRID_OFF = 64, GRID_PER_VALUE = 64 };

/* The grid's test of a value rests on IEEE arithmetic, each operation
 * rounded once (round_even, the quotient compared): not with -ffast-math,
 * nor where doubles are computed wider (x87). */
#if defined(__FAST_MATH__) || !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#define GRID_ARITHMETIC 0
#else
#define GRID_ARITHMETIC 1
#endif

/* The grid's scales, 10^d. */
static const double ten[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

/* k and the scale 10^d (d <= 9) with x = k / 10^d, |k| < 2^40: d the least
 * from `from` on; 0 when there is none. */
static int grid_place(double x, int from, double *k)
{
    for (int d = from; d <= 9; d++) {
        double r = round_even(x * ten[d]);
        if (fabs(r) < 0x1p40 && r / ten[d] == x) {
            *k = r;
            return d + 1;
        }
    }
    return 0;
}

static void table_reset(counts *c);

/* The grid planned from the rows so far: the distinct values in the table
 * and the first GRID_SAMPLE of the nrows about to be added; d the most
 * places among them; the range of their k widened by a quarter each side,
 * as far as GRID_CELLS allows, or, where the range is wider, the
 * GRID_CELLS values that hold the most of them, when that is at least
 * half (a wide column's peak: its tails go to the table).  The table's
 * values of the grid then move there. */
static void grid_plan(counts *c, const double *rows, size_t nrows)
{
    c->gstate = -1;
    if (!GRID_ARITHMETIC || table_used(c) > GRID_SAMPLE) /* (counts_add's many values) */
        return;
    if (nrows > GRID_SAMPLE)
        nrows = GRID_SAMPLE;
    size_t n = table_used(c) + nrows, m = 0;
    double *v = xreallocarray(NULL, n, sizeof *v);
    for (size_t i = 0; c->mask && i <= c->mask; i++)
        if (c->t[i].n != 0)
            v[m++] = c->t[i].value;
    memcpy(v + m, rows, nrows * sizeof *v);
    int d = 0;
    size_t off = 0;
    double k;
    for (size_t i = 0; i < n; i++) {
        int p = grid_place(v[i] + 0.0, d, &k);
        if (p == 0)
            off++;
        else
            d = p - 1;
    }
    if (off > n / GRID_OFF) {
        free(v);
        return;
    }
    m = 0; /* the k of the values on the grid of d places, ascending */
    for (size_t i = 0; i < n; i++)
        if (grid_place(v[i] + 0.0, d, &k) == d + 1)
            v[m++] = k;
    sort_doubles(v, m);
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++)
        distinct += i == 0 || v[i] != v[i - 1];
    size_t most = 0, at = 0; /* the window of GRID_CELLS k with the most */
    for (size_t i = 0, j = 0; i < m; i++) {
        while (j < m && v[j] - v[i] < GRID_CELLS)
            j++;
        if (j - i > most) {
            most = j - i;
            at = i;
        }
    }
    double lo = v[at], hi = v[at + most - 1];
    free(v);
    if (n - m > n / GRID_OFF || most < n / 2)
        return;
    double span = hi - lo + 1, pad = floor(span / 4) + 1;
    if (span + 2 * pad > GRID_CELLS)
        pad = floor((GRID_CELLS - span) / 2);
    double cells = span + 2 * pad;
    if (cells > (double)GRID_PER_VALUE * (double)distinct)
        return;
    c->gcells = (size_t)cells;
    c->gk0 = lo - pad;
    c->gscale = ten[d];
    c->g = zeroed_alloc(c->gcells * sizeof *c->g, &c->gmapped);
    c->gstate = 1;
    table_reset(c);
}

int counts_add(counts *c, double v, uint64_t n, uint64_t n_same)
{
    if (n == 0)
        return 0;
    if (c->rows > UINT64_MAX - n)
        return -1;
    v += 0.0; /* -0 is 0 */
    counts_cell *g = c->g ? grid_cell(c, v) : NULL;
    if (g) {
        cell_add(c, g, v, n, n_same);
        return 0;
    }
    if (!c->mask || 4 * (table_used(c) + 1) > 3 * (c->mask + 1))
        grow(c);
    slot_add(c, find(c->t, c->mask, v), v, n, n_same);
    return 0;
}

/* The table's values added again (to the grid, or a new table): after the
 * grid is planned, a value is in the grid exactly when it is of it. */
static void table_reset(counts *c)
{
    size_t k = 0;
    counts_entry *e = xreallocarray(NULL, table_used(c) + 1, sizeof *e);
    for (size_t i = 0; c->mask && i <= c->mask; i++)
        if (c->t[i].n != 0)
            e[k++] = slot_entry(c, &c->t[i]);
    table_free(c->t, c->mapped);
    free(c->w);
    c->t = NULL;
    c->w = NULL;
    c->mask = c->mapped = c->wmask = c->wused = 0;
    c->used = c->gused = 0; /* (the grid is empty yet) */
    for (size_t i = 0; i < k; i++) {
        c->rows -= e[i].n; /* counted again by the add */
        c->rows_same -= e[i].n_same;
        counts_add(c, e[i].value, e[i].n, e[i].n_same);
    }
    free(e);
}

/* the slots' prefetch distance: the table is larger than the caches, each
 * add a miss; a few in flight at once */
enum { AHEAD = 16 };
/* the cells': a cell is found in one loop, added to in the next, with less
 * work between two misses than a slot's probe, so more of them in flight
 * (32: 7% less CPU than 16 on 10^7 rows of gen_distances; the slots' gain
 * nothing from it) */
enum { GRID_AHEAD = 32 };

/* counts_add_rows's rows into the table (no overflow). */
static void table_add_rows(counts *c, const double *v, const unsigned char *same, size_t n)
{
    if (n == 0)
        return;
    if (!c->mask)
        grow(c);
    /* the slot of a row AHEAD rows on is fetched while this one is added */
    uint64_t h[AHEAD];
    for (size_t i = 0; i < AHEAD && i < n; i++) {
        h[i] = mix(v[i] + 0.0);
#if defined(__GNUC__)
        __builtin_prefetch(&c->t[home(h[i], c->mask)], 1);
#endif
    }
    uint64_t rows_same = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i] + 0.0; /* -0 is 0 */
        uint64_t hx = h[i % AHEAD];
        if (4 * (table_used(c) + 1) > 3 * (c->mask + 1))
            grow(c);
        if (i + AHEAD < n) {
            h[i % AHEAD] = mix(v[i + AHEAD] + 0.0);
#if defined(__GNUC__)
            __builtin_prefetch(&c->t[home(h[i % AHEAD], c->mask)], 1);
#endif
        }
        counts_slot *s = find_from(c->t, c->mask, home(hx, c->mask), x);
        unsigned y = same ? same[i] : 0;
        if (s->n == 0) {
            s->value = x;
            c->used++;
        }
        if (s->n < SLOT_MAX) {
            s->n++;
            s->n_same += y;
            rows_same += y;
        } else { /* counted in the sums below */
            slot_add(c, s, x, 1, y);
            c->rows--;
            c->rows_same -= y;
            rows_same += y;
        }
    }
    c->rows += n;
    c->rows_same += rows_same;
}

/* counts_add_rows's rows, a chunk at a time: each row's cell found first
 * (or none: the row goes to the table), then the cells added to, each
 * fetched GRID_AHEAD rows before (a grid larger than the caches misses too). */
static void grid_add_rows(counts *c, const double *v, const unsigned char *same, size_t n)
{
    enum { CHUNK = 2048 };
    uint32_t cell[CHUNK];
    double rest[CHUNK];
    unsigned char rest_same[CHUNK];
    for (size_t at = 0; at < n; at += CHUNK) {
        size_t m = n - at < CHUNK ? n - at : CHUNK, nrest = 0, hits = 0;
        const double *x = v + at;
        for (size_t i = 0; i < m; i++)
            cell[i] = grid_index(c, x[i] + 0.0); /* -0 is 0 */
#if defined(__GNUC__)
        for (size_t i = 0; i < GRID_AHEAD && i < m; i++)
            if (cell[i] != GRID_NONE)
                __builtin_prefetch(&c->g[cell[i]], 1);
#endif
        uint64_t hits_same = 0;
        for (size_t i = 0; i < m; i++) {
#if defined(__GNUC__)
            if (i + GRID_AHEAD < m && cell[i + GRID_AHEAD] != GRID_NONE)
                __builtin_prefetch(&c->g[cell[i + GRID_AHEAD]], 1);
#endif
            unsigned y = same ? same[at + i] : 0;
            if (cell[i] == GRID_NONE) {
                rest[nrest] = x[i] + 0.0; /* -0 is 0 */
                rest_same[nrest++] = (unsigned char)y;
                continue;
            }
            counts_cell *g = &c->g[cell[i]];
            if (g->n - 1 < SLOT_MAX - 1) { /* 1 to SLOT_MAX - 1 rows before */
                g->n++;
                g->n_same += y;
                hits++;
                hits_same += y;
            } else {
                cell_add(c, g, x[i] + 0.0, 1, y);
            }
        }
        c->rows += hits;
        c->rows_same += hits_same;
        table_add_rows(c, rest, same ? rest_same : NULL, nrest);
    }
}

int counts_add_rows(counts *c, const double *v, const unsigned char *same, size_t n)
{
    if (n == 0)
        return 0;
    if (c->rows > UINT64_MAX - n) { /* the rows up to the one that overflows */
        for (size_t i = 0; i < n; i++)
            if (counts_add(c, v[i], 1, same ? same[i] : 0) != 0)
                return -1;
        return 0;
    }
    if (c->gstate == 0 && c->rows + n >= GRID_SAMPLE)
        grid_plan(c, v, n);
    if (c->g)
        grid_add_rows(c, v, same, n);
    else
        table_add_rows(c, v, same, n);
    return 0;
}

int counts_merge(counts *into, const counts *from)
{
    if (from->sorted) {
        for (size_t i = 0; i < from->used; i++)
            if (counts_add(into, from->e[i].value, from->e[i].n, from->e[i].n_same) != 0)
                return -1;
        return 0;
    }
    /* from's slots come in the order of their homes: into at least as
     * large takes them front to back; a smaller one would pile them into
     * one long cluster (its homes are fewer bits of the same hash) */
    if (into->mask < from->mask)
        resize(into, from->mask + 1);
    for (size_t i = 0; from->mask && i <= from->mask; i++) {
        if (from->t[i].n == 0)
            continue;
        counts_entry e = slot_entry(from, &from->t[i]);
        if (counts_add(into, e.value, e.n, e.n_same) != 0)
            return -1;
    }
    for (size_t i = 0; i < from->gcells; i++) {
        if (from->g[i].n == 0)
            continue;
        counts_entry e = cell_entry(from, i);
        if (counts_add(into, e.value, e.n, e.n_same) != 0)
            return -1;
    }
    return 0;
}

void counts_sort_entries(counts_entry *e, size_t k)
{
    entries_sort(e, k);
}

/* ---- the sort: most significant digit first, 8 bits a pass ---- */

/* The value's bits as an unsigned number in the values' order. */
static uint64_t sort_key(double v)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    return x >> 63 ? ~x : x | (UINT64_C(1) << 63);
}

/* Runs up to RADIX_SMALL slots are sorted by comparisons: below about 64 a
 * pass's 256 counters cost more than the comparisons they save. */
enum { RADIX_BITS = 8, RADIX = 1 << RADIX_BITS, RADIX_SMALL = 64 };

/* The slots src[0..n) (distinct values) in ascending order: into dst when
 * `into`, else back into src; the other array is the room.  Each pass
 * spreads the slots by the highest 8 bits that differ among them into
 * RADIX runs of the other array (few at once: the writes stay in the
 * caches and the TLB), and sorts each run alone, into the array the
 * caller wants it in: no pass copies the slots back. */
static void radix_sort(counts_slot *src, counts_slot *dst, size_t n, int into)
{
    if (n <= RADIX_SMALL) {
        if (into) {
            memcpy(dst, src, n * sizeof *src);
            src = dst;
        }
        slots_sort(src, n);
        return;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = sort_key(src[i].value);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    int top = 63 - __builtin_clzll(lo ^ hi); /* n > 1 distinct values: lo != hi */
    int shift = top + 1 > RADIX_BITS ? top + 1 - RADIX_BITS : 0;
    size_t at[RADIX + 1] = {0};
    for (size_t i = 0; i < n; i++)
        at[(sort_key(src[i].value) >> shift & (RADIX - 1)) + 1]++;
    for (size_t d = 1; d <= RADIX; d++)
        at[d] += at[d - 1];
    size_t next[RADIX];
    memcpy(next, at, sizeof next);
    for (size_t i = 0; i < n; i++)
        dst[next[sort_key(src[i].value) >> shift & (RADIX - 1)]++] = src[i];
    /* the runs are in dst now: sorted where they stay (into) or back */
    for (size_t d = 0; d < RADIX; d++)
        radix_sort(dst + at[d], src + at[d], at[d + 1] - at[d], !into);
}

const counts_entry *counts_sorted(counts *c, size_t *k)
{
    if (!c->sorted) {
        size_t j = 0;
        for (size_t i = 0; c->mask && i <= c->mask; i++)
            if (c->t[i].n != 0)
                c->t[j++] = c->t[i];
        /* the empty slots' memory back (a quarter to five eighths of it)
         * before the entries are made */
        if (c->mapped) {
            size_t keep = (j * sizeof *c->t + 4095) / 4096 * 4096;
            if (keep == 0) /* (a mapping is never empty: table_free unmaps it) */
                keep = 4096;
            if (keep < c->mapped)
                munmap((char *)c->t + keep, c->mapped - keep);
            c->mapped = keep;
        }
        size_t all = c->used; /* j in the table, the rest in the grid */
        counts_entry *e = all ? xmalloc_huge(all, sizeof(counts_entry)) : NULL;
        /* the back half of its fresh pages faulted in while the sort's
         * first pass writes all of them (waited for after the sort) */
        size_t half = all * sizeof *e / 2;
        prefault pf;
        prefault_start(&pf, all ? (char *)e + half : NULL, all * sizeof *e - half);
        /* the entries' memory is the sort's room */
        radix_sort(c->t, (counts_slot *)e, j, 0);
        prefault_wait(&pf);
        /* the table's values and the grid's (ascending in the cells' order,
         * none in both), merged */
        size_t out = 0, a = 0;
        for (size_t i = 0; i < c->gcells; i++) {
            if (c->g[i].n == 0)
                continue;
            counts_entry g = cell_entry(c, i);
            while (a < j && c->t[a].value < g.value)
                e[out++] = slot_entry(c, &c->t[a++]);
            e[out++] = g;
        }
        while (a < j)
            e[out++] = slot_entry(c, &c->t[a++]);
        table_free(c->t, c->mapped);
        table_free(c->g, c->gmapped);
        free(c->w);
        c->t = NULL;
        c->g = NULL;
        c->w = NULL;
        c->mask = c->mapped = c->wmask = c->wused = 0;
        c->gcells = c->gmapped = c->gused = 0;
        c->e = e;
        c->sorted = 1;
    }
    *k = c->used;
    return c->e;
}

counts_entry *counts_consume(counts *c, size_t *k)
{
    counts_sorted(c, k);
    counts_entry *e = c->e;
    c->e = NULL;
    c->used = 0;
    return e;
}
