/* Fuzz target: the identities YAML loader (pairgen's input); every name it
 * lets in passes the rule of lib/common/name.h. */
#include "fuzz.h"
#include "pairs/ids.h"
#include "pairs/pairs.h"

static void load(const char *path, size_t n)
{
    (void)n;
    ids *s = ids_load(path);
    for (size_t k = 0; k < s->nids; k++)
        fuzz_check_name(NAME_IDENTITY, s->id[k], s->id_len[k]);
    for (size_t k = 0; k < s->nitems; k++)
        fuzz_check_name(NAME_ITEM, s->item[k], s->item_len[k]);
    if (s->embeddings)
        fuzz_check_name(NAME_PATH, s->embeddings, strlen(s->embeddings));
    /* the counts walk every identity; 2^64 overflow is an error path */
    (void)pairs_positive_count(s);
    (void)pairs_negative_count(s);
    free(ids_embeddings_path(s, path));
    ids_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return fuzz_run(data, n, load);
}
