/* Unit tests for lib/pairs/pairset.c, lib/pairs/namelist.c and lib/pairs/probes.c: pairs are
 * unordered, lists keep their order, and a shard's jumps write exactly the
 * rows that walking every row and keeping r = k mod n would. */
#include "common/diag.h"
#include "pairs/namelist.h"
#include "stream/out.h"
#include "pairs/pairset.h"
#include "pairs/probes.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *run(const probes_job *j, probes_stats *st)
{
    char *path = unit_path("out.tsv");
    out *w = out_open(path);
    probes_write(j, w, st);
    out_close(w);
    return strdup(unit_slurp(path, NULL)); /* (the caller frees) */
}

/* The rows of text (after the header line), those numbered k mod n. */
static char *every_nth(const char *text, size_t k, size_t n)
{
    char *res = calloc(1, strlen(text) + 1);
    const char *p = strchr(text, '\n') + 1;
    for (size_t r = 0; *p; r++) {
        const char *e = strchr(p, '\n') + 1;
        if (r % n == k)
            strncat(res, p, (size_t)(e - p));
        p = e;
    }
    return res;
}

int main(void)
{
    /* pairset: either order, duplicates once, names that are prefixes */
    pairset *ex = pairset_read(unit_write("ex.tsv", "#embeddings=x\nb\tn\ta\n"
                                                    "y\t1\tx\nx\t2\ty\nab\t3\tc\nb\t4\tc\n"));
    UNIT_OK(pairset_size(ex) == 3, "three distinct pairs (got %zu)", pairset_size(ex));
    UNIT_OK(pairset_has(ex, "x", 1, "y", 1) && pairset_has(ex, "y", 1, "x", 1), "unordered");
    UNIT_OK(pairset_has(ex, "c", 1, "ab", 2), "(c, ab)");
    UNIT_OK(!pairset_has(ex, "a", 1, "bc", 2), "'a'+'bc' is not 'ab'+'c'");
    UNIT_OK(!pairset_has(ex, "x", 1, "x", 1), "(x, x) absent");
    pairset_free(ex);

    /* many pairs: the table grows, every one still found */
    {
        FILE *f = fopen(unit_path("big.tsv"), "w");
        fputs("a\tb\n", f);
        for (int i = 0; i < 5000; i++)
            fprintf(f, "n%d\tm%d\n", i, i * 7);
        fclose(f);
        pairset *big = pairset_read(unit_path("big.tsv"));
        int all = 1;
        char a[32], b[32];
        for (int i = 0; i < 5000; i++) {
            int an = snprintf(a, sizeof a, "n%d", i), bn = snprintf(b, sizeof b, "m%d", i * 7);
            all &= pairset_has(big, b, (size_t)bn, a, (size_t)an);
            all &= !pairset_has(big, a, (size_t)an, "m1", 2) || i == 0;
        }
        UNIT_OK(all && pairset_size(big) == 5000, "5000 pairs found in either order");
        pairset_free(big);
    }

    /* namelist: order, lines, lookup; a store's names */
    namelist *p = namelist_read(unit_write("p.txt", "p1\nx\r\np2\n"));
    UNIT_OK(p->n == 3 && strcmp(p->name[1], "x") == 0 && p->len[1] == 1 && p->line[2] == 3,
            "list: order, CR dropped, lines");
    UNIT_OK(namelist_find(p, "p2", 2) == 2 && namelist_find(p, "p", 1) == -1, "lookup");
    namelist *g = namelist_read_store(unit_write("g.tsv", "id\tv\nx\t1\ng1\t[2]\ng2\t3,4\n"));
    UNIT_OK(g->n == 3 && strcmp(g->name[0], "x") == 0 && g->line[0] == 2, "store: header skipped");

    /* probes: cross product, self-pair left out, exclusion */
    probes_job j = {.probes = p, .gallery = g};
    probes_stats st;
    char *all = run(&j, &st);
    UNIT_STREQ(all, "a\tb\np1\tx\np1\tg1\np1\tg2\nx\tg1\nx\tg2\np2\tx\np2\tg1\np2\tg2\n",
               "probes x gallery, probe by probe, no (x, x)");
    UNIT_OK(st.written == 8 && st.self == 1 && st.excluded == 0 && !st.same, "stats");

    /* shards: the jumps write what keeping every n-th row of the whole
     * product (self-pair included in the numbering) writes */
    int shards_ok = 1;
    const char *with_self = "a\tb\np1\tx\np1\tg1\np1\tg2\nx\tx\nx\tg1\nx\tg2\np2\tx\np2\tg1\np2\tg2\n";
    for (size_t n = 1; n <= 11; n++)
        for (size_t k = 0; k < n; k++) {
            j.shard_k = k;
            j.shard_n = n;
            char *got = run(&j, &st);
            char *want = every_nth(with_self, k, n);
            char *w2 = want, *dst = want;
            /* drop the self-pair from what the walk keeps */
            for (const char *q = w2; *q;) {
                const char *e = strchr(q, '\n') + 1;
                if (strncmp(q, "x\tx\n", 4) != 0) {
                    memmove(dst, q, (size_t)(e - q));
                    dst += e - q;
                }
                q = e;
            }
            *dst = '\0';
            shards_ok &= strcmp(got + 4, want) == 0; /* past "a\tb\n" */
            free(got);
            free(want);
        }
    UNIT_OK(shards_ok, "shards 1..11: every K/N equals walking every row");
    j.shard_k = 0;
    j.shard_n = 1;

    ex = pairset_read(unit_write("ex2.tsv", "a\tb\ng2\tp1\nx\tp2\n"));
    j.exclude = ex;
    char *some = run(&j, &st);
    UNIT_STREQ(some, "a\tb\np1\tx\np1\tg1\nx\tg1\nx\tg2\np2\tg1\np2\tg2\n", "exclusion, either order");
    UNIT_OK(st.excluded == 2 && st.written == 6, "excluded 2");
    pairset_free(ex);

    free(all);
    free(some);
    namelist_free(p);
    namelist_free(g);
    return unit_done();
}
