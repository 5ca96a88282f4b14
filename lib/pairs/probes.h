/* probes: the pairs for scoring new data (pairgen --probes): every probe
 * against every item of a gallery, as DeepFace's find() pairs one image
 * with a database.
 *
 * Rows go probe by probe (list order), and for each probe through the
 * gallery in its order: (probe, item).  A probe that is also in the gallery
 * is not paired with itself; pairs in the exclusion set are left out.
 * With `--shard K/N`, the rows are numbered over the whole product
 * probes x gallery (self-pairs included, so that the numbering does not
 * depend on the names) and a shard takes those numbered K mod N: N shards
 * still write every row exactly once between them, and each jumps straight
 * to its rows.  Memory: the two lists and, with identities, an index of
 * their items. */
#ifndef PROBES_H
#define PROBES_H

#include <stddef.h>
#include <stdint.h>

#include "pairs/ids.h"
#include "pairs/namelist.h"
#include "stream/out.h"
#include "pairs/pairset.h"

typedef struct probes_job {
    const namelist *probes;
    const namelist *gallery;   /* NULL: the items of the identities file */
    const ids *s;              /* the identities file, or NULL */
    const pairset *exclude;    /* or NULL */
    uint64_t shard_k, shard_n; /* shard_n 0 or 1: every row */
    int id_columns;            /* add id_a, id_b (empty where unknown) */
} probes_job;

typedef struct probes_stats {
    size_t nprobes, ngallery;
    size_t probes_known;    /* probes that are items of the identities file */
    size_t gallery_known;   /* gallery items that are */
    size_t first_unknown_probe, first_unknown_gallery; /* SIZE_MAX: none */
    int same;               /* the column `same` is written: every item known */
    uint64_t self;          /* self-pairs met and left out */
    uint64_t excluded;      /* pairs met and left out by the exclusion set */
    uint64_t written;       /* rows written */
} probes_stats;

/* Write the header ("a b", then "same" when every probe and gallery item is
 * an item of the identities file, then "id_a id_b" with id_columns) and the
 * rows; fill *st.  More than 2^64 rows is an error. */
void probes_write(const probes_job *j, out *w, probes_stats *st);

#endif
