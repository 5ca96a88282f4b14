/* Fuzz target: the stream reader (preamble, header, rows, gzip) and strict
 * number parsing of every field. */
#include "fuzz.h"
#include "num.h"
#include "tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char *path = (char *)fuzz_file(data, n);
    if (setjmp(fuzz_jmp))
        return 0;
    tsv_reader *r = tsv_open(&path, 1);
    (void)tsv_preamble_get(r, "embeddings");
    (void)tsv_col(r, "cosine");
    while (tsv_next(r))
        for (size_t i = 0; i < r->nf; i++) {
            double v;
            if (!num_parse(r->f[i].p, r->f[i].n, &v) && v != v)
                abort(); /* NaN must never parse */
        }
    tsv_close(r);
    return 0;
}
