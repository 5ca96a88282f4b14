/* Fuzz target: the name lists of pairgen --probes / --gallery (one name a
 * line), an embedding store read for its names alone (-e), and the pairs of
 * --exclude; each name found again where the reader put it. */
#include "fuzz.h"
#include "pairs/namelist.h"
#include "pairs/pairset.h"

#include <string.h>

static void check(const namelist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (namelist_find(l, l->name[i], l->len[i]) != (long)i || l->len[i] == 0 ||
            memchr(l->name[i], '\t', l->len[i]) || strlen(l->name[i]) != l->len[i])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n);
    if (!setjmp(fuzz_jmp)) {
        namelist *l = namelist_read(path);
        check(l);
        namelist_free(l);
    }
    if (!setjmp(fuzz_jmp)) {
        namelist *l = namelist_read_store(path);
        check(l);
        namelist_free(l);
    }
    if (!setjmp(fuzz_jmp)) {
        pairset *p = pairset_read(path);
        if (pairset_has(p, "a", 1, "b", 1) != pairset_has(p, "b", 1, "a", 1))
            abort();
        pairset_free(p);
    }
    return 0;
}
