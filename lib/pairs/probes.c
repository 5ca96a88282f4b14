#include "pairs/probes.h"
#include "common/diag.h"
#include "common/strmap.h"

#include <stdlib.h>
#include <string.h>

/* The gallery, whichever its source: names, lengths, count. */
typedef struct side {
    const char *const *name;
    const size_t *len;
    size_t n;
} side;

#define UNKNOWN SIZE_MAX

static void write_id(const ids *s, size_t k, out *w)
{
    if (k != UNKNOWN)
        out_write(w, s->id[k], s->id_len[k]);
}

void probes_write(const probes_job *j, out *w, probes_stats *st)
{
    const ids *s = j->s;
    const namelist *P = j->probes;
    side G;
    if (j->gallery) {
        G.name = j->gallery->name;
        G.len = j->gallery->len;
        G.n = j->gallery->n;
    } else {
        G.name = (const char *const *)s->item;
        G.len = s->item_len;
        G.n = s->nitems;
    }
    memset(st, 0, sizeof *st);
    st->nprobes = P->n;
    st->ngallery = G.n;
    st->first_unknown_probe = st->first_unknown_gallery = UNKNOWN;

    /* The identity of every probe and gallery item (UNKNOWN if none), and
     * where each probe sits in the gallery (UNKNOWN if not there). */
    size_t *pid = xreallocarray(NULL, P->n ? P->n : 1, sizeof *pid);
    size_t *gid = xreallocarray(NULL, G.n ? G.n : 1, sizeof *gid);
    size_t *pself = xreallocarray(NULL, P->n ? P->n : 1, sizeof *pself);
    strmap items = {0};
    size_t *item_id = NULL;
    if (s) {
        strmap_init(&items, s->nitems);
        item_id = xreallocarray(NULL, s->nitems ? s->nitems : 1, sizeof *item_id);
        for (size_t k = 0; k < s->nids; k++)
            for (size_t i = s->start[k]; i < s->start[k + 1]; i++) {
                int found;
                *strmap_put(&items, s->item[i], s->item_len[i], &found) = i;
                item_id[i] = k;
            }
    }
    for (size_t i = 0; i < P->n; i++) {
        const uint64_t *v = s ? strmap_get(&items, P->name[i], P->len[i]) : NULL;
        pid[i] = v ? item_id[*v] : UNKNOWN;
        if (v)
            st->probes_known++;
        else if (st->first_unknown_probe == UNKNOWN)
            st->first_unknown_probe = i;
        long g = j->gallery ? namelist_find(j->gallery, P->name[i], P->len[i])
                            : v ? (long)*v : -1;
        pself[i] = g < 0 ? UNKNOWN : (size_t)g;
    }
    for (size_t g = 0; g < G.n; g++) {
        if (!s) {
            gid[g] = UNKNOWN;
        } else if (!j->gallery) {
            gid[g] = item_id[g];
        } else {
            const uint64_t *v = strmap_get(&items, G.name[g], G.len[g]);
            gid[g] = v ? item_id[*v] : UNKNOWN;
        }
        if (gid[g] != UNKNOWN)
            st->gallery_known++;
        else if (st->first_unknown_gallery == UNKNOWN)
            st->first_unknown_gallery = g;
    }
    st->same = s && st->probes_known == P->n && st->gallery_known == G.n;

    out_str(w, "a\tb");
    if (st->same)
        out_str(w, "\tsame");
    if (j->id_columns)
        out_str(w, "\tid_a\tid_b");
    out_putc(w, '\n');

    if (P->n && G.n > UINT64_MAX / P->n)
        die("too many pairs (more than 2^64)");
    uint64_t total = (uint64_t)P->n * G.n;
    uint64_t step = j->shard_n > 1 ? j->shard_n : 1, r = j->shard_n > 1 ? j->shard_k : 0;
    if (r < total) {
        /* row r is (probe r / |G|, gallery r % |G|); move by step at once */
        size_t i = (size_t)(r / G.n), g = (size_t)(r % G.n);
        size_t di = (size_t)(step / G.n), dg = (size_t)(step % G.n);
        for (;;) {
            if (pself[i] == g) {
                st->self++;
            } else if (j->exclude && pairset_has(j->exclude, P->name[i], P->len[i], G.name[g],
                                                 G.len[g])) {
                st->excluded++;
            } else {
                out_write(w, P->name[i], P->len[i]);
                out_putc(w, '\t');
                out_write(w, G.name[g], G.len[g]);
                if (st->same)
                    out_str(w, pid[i] == gid[g] ? "\t1" : "\t0");
                if (j->id_columns) {
                    out_putc(w, '\t');
                    write_id(s, pid[i], w);
                    out_putc(w, '\t');
                    write_id(s, gid[g], w);
                }
                out_putc(w, '\n');
                st->written++;
            }
            if (total - r <= step)
                break;
            r += step;
            i += di;
            g += dg;
            if (g >= G.n) {
                g -= G.n;
                i++;
            }
        }
    }
    free(pid);
    free(gid);
    free(pself);
    free(item_id);
    if (s)
        strmap_free(&items);
}
