/* pairs: the article's pairs of an identities file, enumerated in order
 * without materialising them (SPEC.md, "Pairs").
 *
 * Positives: per identity in file order, (items[i], items[j]) for i < j.
 * Negatives: per pair of identities I before J, their product in list
 * order.  A cursor walks either kind and can jump ahead by any count in
 * O(log identities) (O(1) for a move within an identity's pairs or to a
 * near one), which sampling and sharding build on: time and memory are
 * O(identities) to start, then O(1 + log) a row written, however many
 * pairs there are and however many identities have one item or none.
 *
 * pairgen's stream, from an identities file s (pairs_write.c):
 *   pairs_opts o = {.positives = 1, .negatives = 1, .shard_n = 1};
 *   pairs_set_sample(&o, s, "--negatives", "2x");   -n: a count or a ratio
 *   pairs_write_preamble(w, store, s, path);          #embeddings=
 *   pairs_write(s, &o, w);                            header and rows */
#ifndef PAIRS_H
#define PAIRS_H

#include <stdint.h>

#include "pairs/ids.h"
#include "stream/out.h"

/* The number of positive / negative pairs; more than 2^64 is an error. */
uint64_t pairs_positive_count(const ids *s);
uint64_t pairs_negative_count(const ids *s);

typedef struct pair_cursor {
    const ids *s;
    int negative;
    int done;
    size_t I, J; /* identities (positives: J == I) */
    size_t a, b; /* offsets into I's and J's lists */
    uint64_t index;   /* the current pair's number among those of its kind */
    uint64_t *before; /* private: the pairs before each identity's own */
} pair_cursor;

/* At the first pair of the kind (done if there is none); more than 2^64
 * pairs is an error.  Takes O(identities) memory until pair_cursor_free. */
void pair_cursor_init(pair_cursor *c, const ids *s, int negative);
void pair_cursor_free(pair_cursor *c);
/* Move `steps` pairs on (0 stays); past the last pair, done is set. */
void pair_cursor_advance(pair_cursor *c, uint64_t steps);
/* The current pair's items, as indexes into s->item. */
static inline size_t pair_item_a(const pair_cursor *c) { return c->s->start[c->I] + c->a; }
static inline size_t pair_item_b(const pair_cursor *c) { return c->s->start[c->J] + c->b; }

/* What pairgen writes. */
typedef struct pairs_opts {
    int positives, negatives;  /* which kinds */
    int sample;                /* sample the negatives */
    uint64_t sample_count;     /* how many (clamped to the number there are) */
    uint64_t seed;
    uint64_t shard_k, shard_n; /* rows whose index is k mod n; n = 1: all */
    int id_columns;            /* add id_a, id_b */
    const struct pairset *exclude; /* leave these pairs out (after sampling and
                                      sharding, which number rows as without it) */
    uint64_t excluded;         /* out: the pairs left out by exclude */
} pairs_opts;

/* The sample's size from COUNT (pairgen -n): a count of negatives ("500"),
 * or a ratio to the positives of s ("2x", "0.5x"; rounded to the nearest).
 * A bad COUNT is a usage error naming opt. */
void pairs_set_sample(pairs_opts *o, const ids *s, const char *opt, const char *count);

/* The stream's first line "#embeddings=PATH", named for w's file
 * (embpath.h): for the store given (store; "-" is a store without a name:
 * no line), else the one the identities file s names (ids_embeddings_path
 * of ids_path), else none.  An output that is that store is an error. */
void pairs_write_preamble(out *w, const char *store, const ids *s, const char *ids_path);

/* Write the header and the selected rows; returns the rows written. */
uint64_t pairs_write(const ids *s, pairs_opts *o, out *w);

#endif
