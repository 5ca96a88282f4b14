#include "pairs.h"
#include "diag.h"

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

/* Positives: the first identity at or after k with two items or more. */
static int next_positive_block(pair_cursor *c, size_t k)
{
    for (; k < c->s->nids; k++)
        if (ids_size(c->s, k) >= 2) {
            c->I = c->J = k;
            c->a = 0;
            c->b = 1;
            return 1;
        }
    c->done = 1;
    return 0;
}

/* Negatives: the first non-empty block (I, J) at or after (i, j). */
static int next_negative_block(pair_cursor *c, size_t i, size_t j)
{
    const ids *s = c->s;
    for (; i < s->nids; i++, j = i + 1) {
        if (ids_size(s, i) == 0)
            continue;
        for (; j < s->nids; j++)
            if (ids_size(s, j) > 0) {
                c->I = i;
                c->J = j;
                c->a = c->b = 0;
                return 1;
            }
    }
    c->done = 1;
    return 0;
}

void pair_cursor_init(pair_cursor *c, const ids *s, int negative)
{
    c->s = s;
    c->negative = negative;
    c->done = 0;
    if (negative)
        next_negative_block(c, 0, 1);
    else
        next_positive_block(c, 0);
}

void pair_cursor_advance(pair_cursor *c, uint64_t steps)
{
    while (steps > 0 && !c->done) {
        if (c->negative) {
            uint64_t nI = ids_size(c->s, c->I), nJ = ids_size(c->s, c->J);
            uint64_t pos = (uint64_t)c->a * nJ + c->b, left = nI * nJ - 1 - pos;
            if (steps <= left) {
                pos += steps;
                c->a = (size_t)(pos / nJ);
                c->b = (size_t)(pos % nJ);
                return;
            }
            steps -= left + 1;
            next_negative_block(c, c->I, c->J + 1);
        } else {
            uint64_t n = ids_size(c->s, c->I), left = n - 1 - c->b; /* in row a */
            if (steps <= left) {
                c->b += (size_t)steps;
                return;
            }
            steps -= left + 1;
            c->a++;
            c->b = c->a + 1;
            if (c->b >= n)
                next_positive_block(c, c->I + 1);
        }
    }
}

#include "pairset.h"
#include "sample.h"

/* Write the cursor's pair; 0 if the exclusion set holds it. */
static int write_row(const pair_cursor *c, const char *same3, pairs_opts *o, out *w)
{
    const ids *s = c->s;
    size_t ia = pair_item_a(c), ib = pair_item_b(c);
    int id_columns = o->id_columns;
    if (o->exclude &&
        pairset_has(o->exclude, s->item[ia], s->item_len[ia], s->item[ib], s->item_len[ib])) {
        o->excluded++;
        return 0;
    }
    out_write(w, s->item[ia], s->item_len[ia]);
    out_putc(w, '\t');
    out_write(w, s->item[ib], s->item_len[ib]);
    out_write(w, same3, 3); /* "\t1\n" or "\t0\n" */
    if (id_columns) {
        w->len--; /* the row goes on after `same` */
        out_putc(w, '\t');
        out_write(w, s->id[c->I], s->id_len[c->I]);
        out_putc(w, '\t');
        out_write(w, s->id[c->J], s->id_len[c->J]);
        out_putc(w, '\n');
    }
    return 1;
}

/* Rows are numbered over the whole output (positives first); a shard
 * writes those whose number is k mod n.  `next` is the next number to
 * write, `row` the number of the cursor's current pair. */
typedef struct shard_walk {
    uint64_t next, step;
    uint64_t written;
} shard_walk;

/* Every pair of one kind, numbered from `base`. */
static void write_all_of_kind(const ids *s, int negative, uint64_t base, uint64_t count,
                              shard_walk *sw, pairs_opts *o, out *w)
{
    if (sw->next >= base + count)
        return;
    pair_cursor c;
    pair_cursor_init(&c, s, negative);
    const char *same3 = negative ? "\t0\n" : "\t1\n";
    pair_cursor_advance(&c, sw->next - base);
    while (!c.done) {
        sw->written += (uint64_t)write_row(&c, same3, o, w);
        sw->next += sw->step;
        pair_cursor_advance(&c, sw->step);
    }
}

uint64_t pairs_write(const ids *s, pairs_opts *o, out *w)
{
    uint64_t npos = o->positives ? pairs_positive_count(s) : 0;
    uint64_t nneg_all = o->negatives ? pairs_negative_count(s) : 0;
    uint64_t nneg = o->sample && o->sample_count < nneg_all ? o->sample_count : nneg_all;
    shard_walk sw = {o->shard_k, o->shard_n ? o->shard_n : 1, 0};

    out_str(w, o->id_columns ? "a\tb\tsame\tid_a\tid_b\n" : "a\tb\tsame\n");
    if (o->positives)
        write_all_of_kind(s, 0, 0, npos, &sw, o, w);
    if (!o->negatives || nneg == 0)
        return sw.written;
    if (nneg == nneg_all) {
        write_all_of_kind(s, 1, npos, nneg, &sw, o, w);
        return sw.written;
    }
    /* A uniform sample, in article order: Vitter's method D tells how many
     * negatives to pass over before each one taken. */
    rng r;
    rng_seed(&r, o->seed);
    sampler sm;
    sampler_init(&sm, &r, nneg_all, nneg);
    pair_cursor c;
    pair_cursor_init(&c, s, 1);
    uint64_t row = npos, skip = sampler_skip(&sm);
    for (;;) {
        pair_cursor_advance(&c, skip);
        if (row == sw.next) {
            sw.written += (uint64_t)write_row(&c, "\t0\n", o, w);
            sw.next += sw.step;
        }
        row++;
        if (sm.n == 0)
            break;
        skip = sampler_skip(&sm) + 1;
    }
    return sw.written;
}
