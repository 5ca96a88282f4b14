/* Unit tests for lib/stream/embpath.c: #embeddings= paths read against
 * their stream's folder and named for an output's. */
#include "stream/embpath.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static void check(char *got, const char *want, const char *what)
{
    UNIT_STREQ(got, want, "%s", what);
    free(got);
}

int main(void)
{
    UNIT_STREQ(embpath_value("#embeddings=e.tsv", 17), "e.tsv", "the value of the line");
    UNIT_OK(embpath_value("#embedding=e", 12) == NULL && embpath_value("#embeddings", 11) == NULL,
            "another line has none");

    check(embpath_resolve("e.tsv", "data/s.tsv"), "data/e.tsv", "relative to the stream's folder");
    check(embpath_resolve("/x/e.tsv", "data/s.tsv"), "/x/e.tsv", "absolute stays");
    check(embpath_resolve("e.tsv", "<stdin>"), "e.tsv", "stdin: the current directory");
    check(embpath_resolve("e.tsv", "s.tsv"), "e.tsv", "a stream here: unchanged");

    check(embpath_for_output("e.tsv", "e.tsv", NULL), "e.tsv", "standard output: unchanged");
    check(embpath_for_output("e.tsv", "e.tsv", "out.tsv"), "e.tsv", "an output here: unchanged");
    check(embpath_for_output("out/e.tsv", "out/e.tsv", "out/x.tsv"), "e.tsv",
          "the output's folder taken off");
    check(embpath_for_output("/d/out/e.tsv", "e.tsv", "/d/out/x.tsv"), "e.tsv",
          "also off a path made absolute by its stream's folder");
    check(embpath_for_output("/d/out/e.tsv", "/d/out/e.tsv", "/d/out/x.tsv"), "/d/out/e.tsv",
          "an absolute path as written stays");
    char *cwd = getcwd(NULL, 0), want[4200];
    snprintf(want, sizeof want, "%s/e.tsv", cwd);
    check(embpath_for_output("e.tsv", "e.tsv", "elsewhere/x.tsv"), want,
          "another folder: made absolute");
    free(cwd);

    char *a = unit_write("a", "x"), b[300];
    snprintf(b, sizeof b, "%s/../%s/a", unit_dir, strrchr(unit_dir, '/') + 1);
    UNIT_OK(embpath_same_file(a, a) && embpath_same_file(a, b) &&
                !embpath_same_file(a, unit_write("c", "y")) && embpath_same_file("no", "no") &&
                !embpath_same_file("no", "nor"),
            "one file by any spelling; two files, two names");
    return unit_done();
}
