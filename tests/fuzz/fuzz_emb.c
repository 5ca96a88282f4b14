/* Fuzz target: the embedding store reader (pairdist's -e file), then every
 * metric between the first vectors. */
#include "distances/emb.h"
#include "fuzz.h"
#include "distances/metric.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n);
    static volatile int again;
    again = 0;
    emb_look = (size_t)1 << 20;
    if (setjmp(fuzz_jmp)) {
        emb_look = (size_t)1 << 20;
        if (again)
            abort(); /* read whole, the store loaded: read in pieces, it must too */
        return 0;
    }
    emb *e = emb_load(path);
    /* every name let in passes the rule: look up each line's first field
     * (plain input; the index is the store's own) */
    for (const uint8_t *p = data, *end = data + n; p < end;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        const uint8_t *tab = memchr(p, '\t', (size_t)(le - p));
        if (tab && emb_find(e, (const char *)p, (size_t)(tab - p)) >= 0)
            fuzz_check_name(NAME_ITEM, (const char *)p, (size_t)(tab - p));
        p = le + 1;
    }
    /* Every line again through the reader of long lines: the same store. */
    again = 1;
    emb_look = 1;
    emb *p = emb_load(path);
    emb_look = (size_t)1 << 20;
    again = 0;
    if (p->n != e->n || p->dim != e->dim ||
        memcmp(p->vec, e->vec, e->n * e->dim * sizeof *e->vec) != 0)
        abort();
    for (size_t i = 0; i < e->n; i++)
        if (p->sqnorm[i] != e->sqnorm[i] && !(p->sqnorm[i] != p->sqnorm[i]))
            abort();
    emb_free(p);
    for (size_t i = 0; i + 1 < e->n && i < 4; i++) {
        const float *a = emb_vec(e, i), *b = emb_vec(e, i + 1);
        metric_sums sums;
        metric_pass(a, b, e->dim, e->sqnorm[i], e->sqnorm[i + 1], 1, &sums);
        for (int m = 0; m < 4; m++) {
            if (metric_needs_norm(m) && (e->sqnorm[i] == 0 || e->sqnorm[i + 1] == 0))
                continue; /* undefined: pairdist reports it */
            double v = metric_value(m, &sums, e->sqnorm[i], e->sqnorm[i + 1]);
            if (v != v || v < 0)
                abort(); /* a distance is a number, never negative */
        }
    }
    emb_free(e);
    return 0;
}
