/* Fuzz target: the stream reader (BOM, preamble, header, rows, gzip members
 * and what follows them) and strict number and truth parsing of every
 * field.  The input is read as two files given in a row, so that the paths
 * for a repeated header or preamble, a second header, and a later file's
 * byte-order mark and gzip data run too; every column name is looked up in
 * the hash index, and the #embeddings= path is resolved and rewritten for
 * an output elsewhere. */
#include "fuzz.h"
#include "stream/embpath.h"
#include "stream/num.h"
#include "stream/tsv.h"

#include <string.h>

/* The input as one file, or (n odd) as the same file given twice. */
static void read_all(const char *path, size_t n)
{
    char *paths[2] = {(char *)path, (char *)path};
    tsv_reader *r = tsv_open(paths, n % 2 ? 2 : 1);
    (void)tsv_preamble_get(r, "embeddings");
    const char *file;
    uint64_t line;
    const char *store = tsv_embeddings(r, &file, &line);
    if (store) {
        char *p = embpath_for_output(store, store, "out/x.tsv");
        free(p);
    }
    for (size_t i = 0; i < r->ncols; i++) {
        long c = tsv_col(r, r->cols[i]); /* a name given twice ends here */
        if (c < 0 || strcmp(r->cols[(size_t)c], r->cols[i]) != 0)
            abort(); /* every name finds itself */
    }
    (void)tsv_col(r, "cosine");
    while (tsv_next(r))
        for (size_t i = 0; i < r->nf; i++) {
            double v;
            int t;
            if (!num_parse(r->f[i].p, r->f[i].n, &v) && v != v)
                abort(); /* NaN must never parse */
            if (!num_parse_truth(r->f[i].p, r->f[i].n, &t) && t != 0 && t != 1)
                abort();
        }
    tsv_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return fuzz_run(data, n, read_all);
}
