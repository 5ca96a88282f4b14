/* distances: dist_run on small streams written to temp files, every byte of
 * the output checked (preamble, header, the delayed rows, several files,
 * --missing=skip's count); and metric_choose, the -m option. */
#include "distances/distances.h"
#include "distances/metric.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char store[] = "x\t1\t0\ny\t0\t1\nz\t3\t4\nw\t-2\t0.5\n";

/* More rows than the engine holds back, a row longer than those before it,
 * and (for skip) one with an item missing from the store. */
static const char rows[] = "x\ty\t0\n"
                           "x\tz\t0\n"
                           "z\tz\t1\n"
                           "y\tw\t0\n"
                           "w\tx\t0\n"
                           "q\tx\t0\n"
                           "z\ty\t0\n"
                           "w\tw\t1\n"
                           "x\tw\t0 and a longer text to grow the copy\n";

/* metric_choose over names, as -m gives them */
static int choose(const char *const *names, size_t n, int ms[METRIC_N], size_t *count,
                  const char **bad)
{
    *bad = NULL;
    return metric_choose(names, n, ms, count, bad);
}

static void parse_list(void)
{
    int ms[METRIC_N] = {-1, -1, -1, -1};
    size_t n;
    const char *bad;
    UNIT_OK(choose((const char *[]){"cosine"}, 1, ms, &n, &bad) == METRIC_LIST_OK && n == 1 &&
                ms[0] == METRIC_COSINE,
            "-m cosine");
    UNIT_OK(choose((const char *[]){"angular", "euclidean"}, 2, ms, &n, &bad) ==
                    METRIC_LIST_OK &&
                n == 2 && ms[0] == METRIC_ANGULAR && ms[1] == METRIC_EUCLIDEAN,
            "-m angular,euclidean: in the order given");
    UNIT_OK(choose((const char *[]){"all"}, 1, ms, &n, &bad) == METRIC_LIST_OK && n == 4 &&
                ms[0] == METRIC_COSINE && ms[1] == METRIC_EUCLIDEAN &&
                ms[2] == METRIC_EUCLIDEAN_L2 && ms[3] == METRIC_ANGULAR,
            "-m all: the four in order");
    UNIT_OK(choose((const char *[]){"euclidean_l2"}, 1, ms, &n, &bad) == METRIC_LIST_OK &&
                n == 1 && ms[0] == METRIC_EUCLIDEAN_L2,
            "-m euclidean_l2");
    UNIT_OK(choose((const char *[]){"cosine", "manhattan"}, 2, ms, &n, &bad) ==
                    METRIC_LIST_UNKNOWN &&
                bad && strcmp(bad, "manhattan") == 0,
            "an unknown metric: which");
    UNIT_OK(choose((const char *[]){"angular", "all"}, 2, ms, &n, &bad) == METRIC_LIST_TWICE &&
                bad && strcmp(bad, "angular") == 0,
            "a metric twice through all: its name");
    UNIT_OK(choose((const char *[]){"Cosine"}, 1, ms, &n, &bad) == METRIC_LIST_UNKNOWN,
            "names are exact");
}

static void all_metrics(void)
{
    char *e = unit_write("emb.tsv", store);
    char pre[512];
    snprintf(pre, sizeof pre, "#embeddings=%s\n#note=kept\na\tb\tsame\n", e);
    char text[2048];
    snprintf(text, sizeof text, "%s%s", pre, rows);
    char *s = unit_write("s.tsv", text);

    dist_opts o = DIST_OPTS_INIT;
    const char *bad;
    metric_choose((const char *const[]){"all"}, 1, o.metrics, &o.nmetrics, &bad);
    o.skip_missing = 1;
    o.output = unit_path("out.tsv");
    printf("# a warning on stderr is expected: 1 row skipped\n");
    uint64_t skipped = dist_run(&o, &s, 1);
    UNIT_OK(skipped == 1, "--missing=skip: 1 row skipped (%llu)", (unsigned long long)skipped);
    char want[2048];
    snprintf(want, sizeof want,
             "#embeddings=%s\n#note=kept\n"
             "a\tb\tsame\tcosine\teuclidean\teuclidean_l2\tangular\n"
             "x\ty\t0\t1.000000\t1.414214\t1.414214\t0.500000\n"
             "x\tz\t0\t0.400000\t4.472136\t0.894427\t0.295167\n"
             "z\tz\t1\t0.000000\t0.000000\t0.000000\t0.000000\n"
             "y\tw\t0\t0.757464\t2.061553\t1.230824\t0.422021\n"
             "w\tx\t0\t1.970143\t3.041381\t1.985015\t0.922021\n"
             "z\ty\t0\t0.200000\t4.242641\t0.632456\t0.204833\n"
             "w\tw\t1\t0.000000\t0.000000\t0.000000\t0.000000\n"
             "x\tw\t0 and a longer text to grow the copy"
             "\t1.970143\t3.041381\t1.985015\t0.922021\n",
             e);
    UNIT_STREQ(unit_slurp(o.output, NULL), want, "-m all: preamble, header, rows in order");
}

static void options(void)
{
    char *e = unit_write("emb2.tsv", store);
    char *s1 = unit_write("c1.tsv", "left\tright\nx\tz\nz\ty\n");
    char *s2 = unit_write("c2.tsv", "left\tright\nw\tx\n");
    char *paths[2] = {s1, s2};
    dist_opts o = DIST_OPTS_INIT;
    const char *bad;
    metric_choose((const char *const[]){"euclidean", "cosine"}, 2, o.metrics, &o.nmetrics, &bad);
    o.col_a = "right";
    o.col_b = "left";
    o.store = e;
    o.precision = 2;
    o.output = unit_path("out2.tsv");
    UNIT_OK(dist_run(&o, paths, 2) == 0, "nothing skipped");
    UNIT_STREQ(unit_slurp(o.output, NULL),
               "left\tright\teuclidean\tcosine\n"
               "x\tz\t4.47\t0.40\n"
               "z\ty\t4.24\t0.20\n"
               "w\tx\t3.04\t1.97\n",
               "-e, -a, -b, -p 2, two files: in the metrics' order");

    char *h = unit_write("h.tsv", "a\tb\n");
    o = (dist_opts)DIST_OPTS_INIT;
    o.store = e;
    o.output = unit_path("out3.tsv");
    UNIT_OK(dist_run(&o, &h, 1) == 0, "header only: nothing skipped");
    UNIT_STREQ(unit_slurp(o.output, NULL), "a\tb\tcosine\n",
               "header only: the header, cosine appended");
}

int main(void)
{
    parse_list();
    all_metrics();
    options();
    return unit_done();
}
