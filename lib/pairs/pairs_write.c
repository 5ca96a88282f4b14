/* pairs_write: what pairgen writes from an identities file: the preamble,
 * the header, and the pairs chosen (all, a sample, a shard).  See pairs.h. */
#include "common/diag.h"
#include "pairs/pairs.h"
#include "pairs/pairset.h"
#include "pairs/sample.h"
#include "stream/embpath.h"
#include "stream/num.h"

#include <stdlib.h>
#include <string.h>

void pairs_set_sample(pairs_opts *o, const ids *s, const char *opt, const char *count)
{
    size_t len = strlen(count);
    o->sample = 1;
    if (len > 1 && count[len - 1] == 'x') {
        char *r = xstrndup(count, len - 1);
        double ratio = num_arg(opt, r);
        free(r);
        if (ratio < 0)
            die_usage("invalid value for %s: '%s' (a ratio is not negative)", opt, count);
        double want = ratio * (double)pairs_positive_count(s);
        o->sample_count = want >= 1.8e19 ? UINT64_MAX : (uint64_t)(want + 0.5);
    } else {
        o->sample_count = (uint64_t)num_arg_int(opt, count, 0, INT64_MAX);
    }
}

void pairs_write_preamble(out *w, const char *store, const ids *s, const char *ids_path)
{
    char *emb = store ? (strcmp(store, "-") == 0 ? NULL : xstrdup(store))
                : s   ? ids_embeddings_path(s, ids_path)
                      : NULL;
    if (!emb)
        return;
    out_refuse_input(w, emb, "the embedding store of the identities file");
    embpath_write(w, emb, emb);
    free(emb);
}

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
    /* "\t1\n" or "\t0\n"; with id columns the row goes on after `same` */
    out_write(w, same3, id_columns ? 2 : 3);
    if (id_columns) {
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
    pair_cursor_free(&c);
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
    pair_cursor_free(&c);
    return sw.written;
}
