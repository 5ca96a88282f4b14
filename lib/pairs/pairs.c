/* pairs: counting the pairs of an identities file and the cursor that walks
 * them.  See pairs.h; what pairgen writes is pairs_write.c. */
#include "pairs/pairs.h"
#include "common/diag.h"

#include <stdlib.h>

uint64_t pairs_positive_count(const ids *s)
{
    uint64_t total = 0;
    for (size_t k = 0; k < s->nids; k++) {
        uint64_t n = ids_size(s, k), p = n * (n - (n > 0)) / 2;
        if (n > UINT32_MAX || total + p < total)
            die("too many pairs (more than 2^64)");
        total += p;
    }
    return total;
}

uint64_t pairs_negative_count(const ids *s)
{
    /* sum over I < J of n_I n_J, as (N^2 - sum n_I^2) / 2 would overflow
     * sooner: accumulate items seen so far instead. */
    uint64_t total = 0, before = 0;
    for (size_t k = 0; k < s->nids; k++) {
        uint64_t n = ids_size(s, k);
        if (n && before > UINT64_MAX / n)
            die("too many pairs (more than 2^64)");
        if (total + before * n < total)
            die("too many pairs (more than 2^64)");
        total += before * n;
        before += n;
    }
    return total;
}

/* The pairs of the kind before identity k's own: before[k] for k in
 * 0..nids.  Positives: sum of n(n-1)/2 over the identities before k.
 * Negatives: identity k's row is its product with every item after it,
 * n_k * (N - start[k+1]) pairs, block by block (J = k+1, k+2, ...). */
static uint64_t *rows_before(const ids *s, int negative)
{
    uint64_t *before = xreallocarray(NULL, s->nids + 1, sizeof *before);
    uint64_t total = 0, N = s->nitems;
    for (size_t k = 0; k < s->nids; k++) {
        before[k] = total;
        uint64_t n = ids_size(s, k), width;
        if (negative) {
            uint64_t after = N - s->start[k + 1];
            if (n && after > UINT64_MAX / n)
                die("too many pairs (more than 2^64)");
            width = n * after;
        } else {
            if (n > UINT32_MAX)
                die("too many pairs (more than 2^64)");
            width = n * (n - (n > 0)) / 2;
        }
        if (total + width < total)
            die("too many pairs (more than 2^64)");
        total += width;
    }
    before[s->nids] = total;
    return before;
}

/* Positives before row a of an identity of n items: a(2n-1-a)/2, exact
 * (the result is at most n(n-1)/2, which the count has checked). */
static uint64_t triangle_before(uint64_t n, uint64_t a)
{
    uint64_t m = 2 * n - 1 - a;
    return a % 2 == 0 ? a / 2 * m : a * (m / 2);
}

/* The sequences searched: f(ctx, k), non-decreasing in k. */
static uint64_t at_u64(const void *ctx, size_t k) { return ((const uint64_t *)ctx)[k]; }
static uint64_t at_size(const void *ctx, size_t k) { return ((const size_t *)ctx)[k]; }
static uint64_t at_triangle(const void *ctx, size_t k)
{
    return triangle_before(*(const uint64_t *)ctx, k);
}

/* The largest k in [lo, hi) with f(k) <= key, given f(lo) <= key:
 * galloping from lo, so O(log(k - lo + 1)). */
static size_t gallop(uint64_t (*f)(const void *, size_t), const void *ctx, size_t lo,
                     size_t hi, uint64_t key)
{
    size_t step = 1;
    while (step < hi - lo && f(ctx, lo + step) <= key) {
        lo += step;
        step *= 2;
    }
    size_t top = step < hi - lo ? lo + step : hi; /* f(top) > key, or top == hi */
    while (top - lo > 1) {
        size_t mid = lo + (top - lo) / 2;
        if (f(ctx, mid) <= key)
            lo = mid;
        else
            top = mid;
    }
    return lo;
}

/* Put the cursor on pair number g of its kind (done past the last).  The
 * search starts from where the cursor is when g lies ahead, so a short
 * move costs O(1) and any move O(log identities). */
static void seek(pair_cursor *c, uint64_t g)
{
    const ids *s = c->s;
    const uint64_t *before = c->before;
    if (g >= before[s->nids]) {
        c->done = 1;
        return;
    }
    int ahead = c->index <= g;
    size_t I = gallop(at_u64, before, ahead ? c->I : 0, s->nids, g);
    uint64_t o = g - before[I], nI = ids_size(s, I);
    if (c->negative) {
        /* blocks of row I hold n_I * n_J pairs each: o falls in the block
         * of J, the identity of item start[I+1] + o / n_I */
        uint64_t t = s->start[I + 1] + o / nI;
        size_t from = ahead && I == c->I && c->J > I ? c->J : I + 1;
        size_t J = gallop(at_size, s->start, from, s->nids, t);
        uint64_t r = o - nI * (s->start[J] - s->start[I + 1]), nJ = ids_size(s, J);
        c->I = I;
        c->J = J;
        c->a = (size_t)(r / nJ);
        c->b = (size_t)(r % nJ);
    } else {
        size_t a = gallop(at_triangle, &nI, ahead && I == c->I ? c->a : 0, (size_t)nI - 1, o);
        c->I = c->J = I;
        c->a = a;
        c->b = (size_t)(a + 1 + (o - triangle_before(nI, a)));
    }
    c->index = g;
}

void pair_cursor_init(pair_cursor *c, const ids *s, int negative)
{
    c->s = s;
    c->negative = negative;
    c->done = 0;
    c->before = rows_before(s, negative);
    c->I = c->J = c->a = c->b = 0;
    c->index = 0;
    seek(c, 0);
}

void pair_cursor_free(pair_cursor *c)
{
    free(c->before);
    c->before = NULL;
}

void pair_cursor_advance(pair_cursor *c, uint64_t steps)
{
    if (c->done || steps == 0)
        return;
    if (c->index + steps < c->index) {
        c->done = 1;
        return;
    }
    seek(c, c->index + steps);
}
