/* Unit tests for lib/fit/fitplan.c: the columns chosen and their order, each
 * threshold's origin (given, DeepFace's, tuned), the rows of several files,
 * the fit of each column against fit_column() on the same values, and the
 * points made over the entries themselves against those made anew. */
#include "cli/thrarg.h"
#include "common/diag.h"
#include "fit/fit.h"
#include "fit/fitplan.h"
#include "fit/fitplan_impl.h"
#include "mapping/deepface.h"
#include "unit.h"

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Six rows: the tuned threshold of cosine is 0.25 (5 of 6 right in
 * [0.2, 0.3); [0.5, 0.6) is as good and as wide, but larger).  `dist` is no metric's name. */
static const char stream[] = "#embeddings=e.tsv\n"
                             "a\tb\tcosine\tdist\teuclidean\tsame\n"
                             "x\ty\t0.1\t1\t2.5\t1\n"
                             "x\ty\t0.2\t2\t3.0\t1\n"
                             "x\ty\t0.3\t3\t4.5\t0\n"
                             "x\ty\t0.5\t4\t3.5\t1\n"
                             "x\ty\t0.6\t5\t6.0\t0\n"
                             "x\ty\t0.7\t6\t7.5\t0\n";
static const double cosine[] = {0.1, 0.2, 0.3, 0.5, 0.6, 0.7};
static const unsigned char same[] = {1, 1, 0, 1, 0, 0};

/* An error ends in a longjmp here, as in a fuzzing harness. */
static jmp_buf jmp;
static void on_fail(int status)
{
    (void)status;
    longjmp(jmp, 1);
}

/* The threads of this process (its tasks). */
static int threads_now(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

int main(void)
{
    char *path = unit_write("s.tsv", stream);

    /* Every metric column in the stream's order; -t for one, tuned the other. */
    thrarg th = {0};
    fitplan_problem pb;
    const char *bad, *why;
    UNIT_OK(thrarg_parse(&th, "euclidean=4", &bad, &why) == THRARG_OK, "-t " "euclidean=4");
    fitplan_opts o = {.paths = &path, .npaths = 1, .th = &th, .C = 1};
    fitplan *p = fitplan_open(&o, &pb);
    const model *md = fitplan_fit(p);
    UNIT_OK(md->n == 2 && strcmp(md->m[0].name, "cosine") == 0 &&
                strcmp(md->m[1].name, "euclidean") == 0,
            "the metric columns, in the stream's order; dist is none");
    UNIT_STREQ(md->m[0].threshold_from, "tuned", "no -t for cosine: tuned on same");
    UNIT_NEAR(md->m[0].threshold, 0.2 + (0.3 - 0.2) / 2, 0,
              "the tuned threshold: the middle of the smaller of two as wide best gaps");
    UNIT_OK(md->m[0].has_accuracy, "a tuned threshold records its accuracy");
    UNIT_NEAR(md->m[0].accuracy, 5.0 / 6, 1e-15, "5 of 6 right");
    UNIT_STREQ(md->m[1].threshold_from, "given", "-t euclidean=4: given");
    UNIT_OK(md->m[1].threshold == 4 && !md->m[1].has_accuracy, "given: no accuracy");
    UNIT_OK(md->m[0].n == 6 && md->m[0].n_true == 2 && md->m[1].n_true == 3,
            "6 rows; y = d <= T per column");
    UNIT_STREQ(md->m[0].target, "decision", "the default target");

    /* The same fit as fit_column() on the same values. */
    unsigned char ybuf[6];
    fit_input in = {.file = path,
                    .name = "cosine",
                    .d = cosine,
                    .n = 6,
                    .same = same,
                    .threshold = 0.2,
                    .C = 1,
                    .ybuf = ybuf};
    model_metric m;
    fit_outcome res;
    fit_column(&in, &m, &res);
    UNIT_OK(m.fit.w == md->m[0].fit.w && m.fit.b == md->m[0].fit.b &&
                m.fit.normalizer == md->m[0].fit.normalizer &&
                m.fit.denorm_max_true == md->m[0].fit.denorm_max_true &&
                m.fit.denorm_min_false == md->m[0].fit.denorm_min_false,
            "w, b, normalizer and denorm values as fit_column's");
    free(m.name);
    fitplan_free(p);

    /* -d: its columns in its order, any column; -t COL=T, --model where -t
     * gives none; two files read as one stream. */
    thrarg_free(&th);
    UNIT_OK(thrarg_parse(&th, "dist=3", &bad, &why) == THRARG_OK, "-t " "dist=3");
    char *paths[2] = {path, unit_write("t.tsv", "a\tb\tcosine\tdist\teuclidean\tsame\n"
                                                "x\ty\t0.9\t7\t9\t0\n")};
    o = (fitplan_opts){.paths = paths,
                       .npaths = 2,
                       .distances = (const char *const[]){"euclidean", "dist"},
                       .ndistances = 2,
                       .th = &th,
                       .dm = deepface_find("Facenet"),
                       .truth = 1,
                       .C = 0.5};
    p = fitplan_open(&o, &pb);
    md = fitplan_fit(p);
    UNIT_OK(md->n == 2 && strcmp(md->m[0].name, "euclidean") == 0 &&
                strcmp(md->m[1].name, "dist") == 0,
            "-d: its columns, in its order");
    UNIT_STREQ(md->m[0].threshold_from, "Facenet", "--model: DeepFace's threshold");
    UNIT_NEAR(md->m[0].threshold, deepface_find("Facenet")->threshold[METRIC_EUCLIDEAN], 0,
              "Facenet's euclidean threshold");
    UNIT_OK(md->m[0].n == 7 && md->m[1].n == 7, "two files: 7 rows");
    UNIT_OK(md->m[0].n_true == 3 && md->m[1].n_true == 3, "--target truth: y = same");
    UNIT_STREQ(md->m[1].target, "truth", "the target recorded");
    UNIT_OK(md->m[1].C == 0.5 && md->m[1].fit.normalizer == 7, "C and the normalizer");
    UNIT_OK(strcmp(md->m[1].threshold_from, "given") == 0 && md->m[1].threshold == 3,
            "-t dist=3 before --model");
    fitplan_free(p);
    fitplan_free(NULL);
    thrarg_free(&th);
    UNIT_OK(thrarg_parse(&th, "2.5", &bad, &why) == THRARG_OK, "-t " "2.5");

    /* A -t T for every column: given, and no column 'same' needed. */
    char *plain = unit_write("u.tsv", "dist\n1\n2\n3\n4\n");
    o = (fitplan_opts){.paths = &plain, .npaths = 1, .distances = (const char *const[]){"dist"},
                       .ndistances = 1, .th = &th, .C = 1};
    p = fitplan_open(&o, &pb);
    md = fitplan_fit(p);
    UNIT_OK(md->n == 1 && md->m[0].threshold == 2.5 &&
                strcmp(md->m[0].threshold_from, "given") == 0 && md->m[0].n_true == 2,
            "-t T without a column same");
    fitplan_free(p);
    thrarg_free(&th);

    /* What the options name wrongly comes back to the caller, who words it. */
    UNIT_OK(thrarg_parse(&th, "cosine=0.4,disk=3", &bad, &why) == THRARG_OK, "-t disk=3");
    o = (fitplan_opts){.paths = &path, .npaths = 1, .th = &th, .C = 1};
    p = fitplan_open(&o, &pb);
    UNIT_OK(pb.status == FITPLAN_THRESHOLD_NOT_COLUMN && strcmp(pb.name, "disk") == 0 &&
                strcmp(pb.list, "cosine, euclidean") == 0,
            "-t for a column not fitted: which, and the columns");
    fitplan_free(p);
    thrarg_free(&th);
    o = (fitplan_opts){.paths = &path, .npaths = 1,
                       .distances = (const char *const[]){"cosine", "dist"}, .ndistances = 2,
                       .dm = deepface_find("Facenet"), .C = 1};
    p = fitplan_open(&o, &pb);
    UNIT_OK(pb.status == FITPLAN_MODEL_NO_THRESHOLD && strcmp(pb.name, "dist") == 0,
            "--model and a column that is no metric: which");
    fitplan_free(p);
    o = (fitplan_opts){.paths = &plain, .npaths = 1, .C = 1};
    p = fitplan_open(&o, &pb);
    UNIT_OK(pb.status == FITPLAN_NO_COLUMN && fitplan_reader(p) != NULL,
            "no column named like a metric: the reader kept for the message");
    fitplan_free(p);
    o = (fitplan_opts){.paths = &plain, .npaths = 1,
                       .distances = (const char *const[]){"dist"}, .ndistances = 1, .C = 1};
    p = fitplan_open(&o, &pb);
    UNIT_OK(pb.status == FITPLAN_NO_THRESHOLD && strcmp(pb.name, "dist") == 0,
            "no threshold and no column same: which column");
    fitplan_free(p);
    UNIT_OK(thrarg_parse(&th, "1", &bad, &why) == THRARG_OK, "-t 1");
    o = (fitplan_opts){.paths = &plain, .npaths = 1,
                       .distances = (const char *const[]){"dist"}, .ndistances = 1,
                       .th = &th, .truth = 1, .C = 1};
    p = fitplan_open(&o, &pb);
    UNIT_OK(pb.status == FITPLAN_TRUTH_NO_SAME, "--target truth and no column same");
    fitplan_free(p);
    thrarg_free(&th);

    /* The points over the entries are the points made anew, for entries of
     * any size (the first pairs overlap the entries they come from) and
     * values of every kind of double. */
    static const size_t sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 1000, 100003};
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t k = sizes[s];
        counts_entry *e = malloc((k ? k : 1) * sizeof *e);
        for (size_t t = 0; t < k; t++) {
            x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
            uint64_t r = x * 0x2545F4914F6CDD1Du;
            double v;
            memcpy(&v, &r, sizeof v); /* any bits but NaN's and infinities' */
            e[t].value = isfinite(v) ? v : (double)t / 3;
            e[t].n = r >> (r & 63);
            e[t].n = e[t].n ? e[t].n : 1;
            e[t].n_same = e[t].n / 2;
        }
        points anew, over;
        fitplan_make_points(&anew, e, k, 0);
        fitplan_points_in_place(&over, e, k);
        UNIT_OK(over.n == k && anew.n == k &&
                    memcmp(over.d, anew.d, k * sizeof *over.d) == 0 &&
                    memcmp(over.w, anew.w, k * sizeof *over.w) == 0,
                "%zu entries: the points over them are the points made anew", k);
        fitplan_free_points(&anew);
        fitplan_free_points(&over); /* and e, which the points took over */
    }

    /* An error in the first column's fit, while helpers sort the 39 others:
     * they are ended before the error's longjmp leaves the fit's frame. */
    if (threads_now() == 1) {
        enum { COLS = 40, ROWS = 20000 };
        size_t cap = (size_t)COLS * 9 * (ROWS + 1) + 1, len = 0;
        char *text = malloc(cap);
        for (int j = 0; j < COLS; j++)
            len += (size_t)snprintf(text + len, cap - len, "%sc%d", j ? "\t" : "", j);
        text[len++] = '\n';
        uint64_t r = 1;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                r = r * 6364136223846793005u + 1442695040888963407u;
                len += (size_t)snprintf(text + len, cap - len, "%s0.%06u", j ? "\t" : "",
                                        (unsigned)(r >> 40) % 1000000);
            }
            text[len++] = '\n';
        }
        text[len] = 0;
        char *wide = unit_write("wide.tsv", text);
        free(text);
        UNIT_OK(thrarg_parse(&th, "c0=5", &bad, &why) == THRARG_OK, "-t " "c0=5");
        const char *names[COLS];
        char name[COLS][8];
        for (int j = 0; j < COLS; j++) {
            snprintf(name[j], sizeof name[j], "c%d", j);
            names[j] = name[j];
        }
        o = (fitplan_opts){.paths = &wide, .npaths = 1, .distances = names,
                           .ndistances = COLS, .th = &th, .C = 1, .jobs = 4};
        /* in a child: a plan an error ended is left to the process's end
         * (its reader freed by the error), and _exit skips the leak check */
        fflush(NULL);
        pid_t child = fork();
        if (child == 0) {
            p = fitplan_open(&o, &pb);
            diag_set_fail_hook(on_fail);
            if (setjmp(jmp) == 0) {
                fitplan_fit(p);
                _exit(2); /* no error */
            }
            _exit(threads_now() == 1 ? 0 : 3);
        }
        int st = -1;
        UNIT_OK(child > 0 && waitpid(child, &st, 0) == child && WIFEXITED(st) &&
                    WEXITSTATUS(st) == 0,
                "-j 4, the first column of one class: the fit fails with no helper left "
                "running (child's status %d: 2 no error, 3 threads left)",
                WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        thrarg_free(&th);
    }

    return unit_done();
}
