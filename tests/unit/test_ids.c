/* Unit tests for lib/pairs/ids.c (the identities loader) and the error paths of
 * lib/common/diag.c, which end in a longjmp here instead of exit(). */
#include "common/diag.h"
#include "pairs/ids.h"
#include "unit.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static jmp_buf jmp;
static int failed_status;
static void on_fail(int status)
{
    failed_status = status;
    longjmp(jmp, 1);
}

static char *path; /* the scratch file ids.yaml */

static void write_yaml(const char *text)
{
    unit_write("ids.yaml", text);
}

/* 1 if loading the text fails with status 1 (the message goes to stderr). */
static int load_fails(const char *text)
{
    write_yaml(text);
    failed_status = 0;
    if (setjmp(jmp))
        return failed_status == 1;
    ids_free(ids_load(path));
    return 0;
}

int main(void)
{
    path = strdup(unit_path("ids.yaml"));
    diag_init("test_ids");
    diag_set_fail_hook(on_fail);

    ids *s = ids_load("tests/fixtures/identities.yaml");
    UNIT_OK(s->nids == 9 && s->nitems == 25, "the article's file: 9 identities, 25 items");
    UNIT_OK(strcmp(s->id[0], "Angelina") == 0 && ids_size(s, 0) == 8, "Angelina has 8 photos");
    UNIT_OK(strcmp(s->item[s->start[8]], "img24.jpg") == 0, "Sundar's first photo is img24.jpg");
    UNIT_STREQ(s->embeddings, "facenet-embeddings.tsv", "the embeddings path as written");
    char *p = ids_embeddings_path(s, "tests/fixtures/identities.yaml");
    UNIT_STREQ(p, "tests/fixtures/facenet-embeddings.tsv", "joined to the file's folder");
    free(p);
    p = ids_embeddings_path(s, "identities.yaml");
    UNIT_STREQ(p, "facenet-embeddings.tsv", "no folder: as written");
    free(p);
    p = ids_embeddings_path(s, "-");
    UNIT_STREQ(p, "facenet-embeddings.tsv", "stdin: as written");
    free(p);
    ids_free(s);

    write_yaml("A: [a1, a2]\nB: []\nC:\nD: [7, 'x y']\n");
    s = ids_load(path);
    UNIT_OK(s->nids == 4 && s->nitems == 4 && ids_size(s, 1) == 0 && ids_size(s, 2) == 0,
            "empty and null identities count as no items");
    UNIT_OK(strcmp(s->item[2], "7") == 0 && strcmp(s->item[3], "x y") == 0,
            "scalars are strings");
    UNIT_OK(s->embeddings == NULL, "the plain shape names no embeddings");
    ids_free(s);

    write_yaml("embeddings: /abs/e.tsv\nidentities:\n  A: [a]\n");
    s = ids_load(path);
    p = ids_embeddings_path(s, path);
    UNIT_STREQ(p, "/abs/e.tsv", "an absolute path stays as it is");
    free(p);
    ids_free(s);

    /* documents refused with status 1 */
    static const struct {
        const char *yaml, *what;
    } bad[] = {
        {"A: [x, x]\n", "an item twice"},
        {"A: [x]\nB: [x]\n", "an item under two identities"},
        {"A: [x]\nA: [y]\n", "an identity twice"},
        {"- a\n", "a list at the top"},
        {"A: x\n", "a scalar for an identity"},
        {"A: [[x]]\n", "a list as an item"},
        {"", "an empty document"},
        {"A: &a [x]\nB: *a\n", "an alias"},
        {"A: [x\n", "not YAML"},
        {"identities:\n  A: [x]\nfoo: 1\n", "an unknown key"},
        {"A: [x]\nidentities:\n  B: [y]\n", "both shapes mixed"},
        {"A: [\"\"]\n", "an empty name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        UNIT_OK(load_fails(bad[i].yaml), "%s: an error", bad[i].what);

    char q[DIAG_QUOTE_MAX];
    UNIT_STREQ(diag_quote(q, sizeof q, "a\tb\n", 4), "a?b?", "diag_quote hides control bytes");
    UNIT_STREQ(diag_quote(q, sizeof q, "0123456789012345678901234567890123456789XYZ", 43),
               "0123456789012345678901234567890123456789...", "and cuts long values at 40");
    free(path);
    return unit_done();
}
