/* Fuzz target: the identities YAML loader (pairgen's input). */
#include "fuzz.h"
#include "ids.h"
#include "pairs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n);
    if (setjmp(fuzz_jmp))
        return 0;
    ids *s = ids_load(path);
    /* the counts walk every identity; 2^64 overflow is an error path */
    (void)pairs_positive_count(s);
    (void)pairs_negative_count(s);
    free(ids_embeddings_path(s, path));
    ids_free(s);
    return 0;
}
