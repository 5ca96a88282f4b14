/* logfit: fit the article's logistic model on each distance column of the
 * stream and write it as a YAML model file for confmap. */
#include "deepface.h"
#include "diag.h"
#include "fit.h"
#include "model.h"
#include "num.h"
#include "out.h"
#include "thrarg.h"
#include "tsv.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static noreturn void usage(void)
{
    printf("Usage: logfit [-v] [-d COL,...] [-t T | -t COL=T,...] [--model=NAME]\n"
           "              [--target=decision|truth] [-C C] [-o FILE] [FILE...]\n"
           "Fit the article's logistic regression on each distance column of the stream\n"
           "and write the model (w, b, normalizer, denorm values) as YAML for confmap.\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -d, --distances=LIST   fit these columns (comma-separated), in this order;\n"
           "                         default: every column named cosine, euclidean,\n"
           "                         euclidean_l2 or angular\n"
           "  -t, --threshold=T      the threshold of every column, or COL=T,... per column\n"
           "      --model=NAME       DeepFace's thresholds for model NAME (Facenet,\n"
           "                         VGG-Face, ...) where -t gives none; without both, the\n"
           "                         threshold is tuned on the column 'same'\n"
           "      --target=TARGET    decision (default): fit y = (distance <= threshold),\n"
           "                         as the article; truth: fit the column 'same'\n"
           "  -C, --cost=C           inverse strength of the L2 penalty on w (default 1,\n"
           "                         scikit-learn's LogisticRegression() default)\n"
           "  -v, --verbose          report on standard error, per column: rows, threshold,\n"
           "                         Newton steps, gradient norm and, with a column 'same',\n"
           "                         accuracy, ROC AUC, Brier score and calibration error\n"
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m all | logfit --model Facenet > model.yaml\n");
    exit(0);
}

enum { OPT_MODEL = 256, OPT_TARGET };


enum { FROM_NONE, FROM_GIVEN, FROM_MODEL, FROM_TUNED };

/* One distance column: where it is, its values, its threshold. */
typedef struct column {
    const char *name;
    size_t idx;
    double *d;
    int from;
    double threshold;
} column;

static const char *column_list(const column *c, size_t n)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o + 8 < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", c[i].name);
    return buf;
}

/* The value of `same` in the current row: 0 or 1. */
static unsigned char same_value(const tsv_reader *r, size_t col)
{
    const tsv_field *f = &r->f[col];
    if (f->n == 1 && (f->p[0] == '0' || f->p[0] == '1'))
        return (unsigned char)(f->p[0] - '0');
    double v = tsv_number(r, col);
    if (v != 0 && v != 1) {
        char q[DIAG_QUOTE_MAX];
        die_at(r->name, r->line, "column 'same' is neither 0 nor 1 ('%s')",
               diag_quote(q, sizeof q, f->p, f->n));
    }
    return (unsigned char)(v == 1);
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"distances", required_argument, NULL, 'd'},
        {"threshold", required_argument, NULL, 't'},
        {"model", required_argument, NULL, OPT_MODEL},
        {"target", required_argument, NULL, OPT_TARGET},
        {"cost", required_argument, NULL, 'C'},
        {"verbose", no_argument, NULL, 'v'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *model_name = NULL, *dist_arg = NULL;
    thrarg th = {0};
    int truth = 0, verbose = 0, c;
    double cost = 1;
    while ((c = getopt_long(argc, argv, ":d:t:C:vo:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dist_arg = optarg;
            break;
        case 't':
            thrarg_parse(&th, optarg, "COL");
            break;
        case OPT_MODEL:
            model_name = optarg;
            break;
        case OPT_TARGET:
            if (strcmp(optarg, "decision") == 0)
                truth = 0;
            else if (strcmp(optarg, "truth") == 0)
                truth = 1;
            else
                die_usage("invalid value for --target: '%s' (expected decision or truth)",
                          optarg);
            break;
        case 'C':
            cost = num_arg("--cost", optarg);
            if (!(cost > 0))
                die_usage("invalid value for --cost: '%s' (expected a number above 0)", optarg);
            break;
        case 'v':
            verbose = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            diag_version();
        default:
            die_bad_option(c, argv);
        }
    }
    const deepface_model *dm = NULL;
    if (model_name && !(dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());

    tsv_reader *r = tsv_open(argv + optind, (size_t)(argc - optind));
    const char *first =
        optind < argc && strcmp(argv[optind], "-") != 0 ? argv[optind] : "<stdin>";

    /* The columns: -d's in its order, or every metric column in the
     * stream's order. */
    column *cols = NULL;
    size_t ncols = 0;
    if (dist_arg) {
        char *copy = xstrdup(dist_arg), *save = NULL;
        for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            for (size_t j = 0; j < ncols; j++)
                if (strcmp(cols[j].name, m) == 0)
                    die_usage("--distances names '%s' twice", m);
            size_t idx = tsv_require_col(r, m);
            cols = xreallocarray(cols, ncols + 1, sizeof *cols);
            cols[ncols++] = (column){.name = r->cols[idx], .idx = idx};
        }
        free(copy);
        if (ncols == 0)
            die_usage("--distances names no column");
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            if (deepface_metric(r->cols[i]) < 0)
                continue;
            tsv_col(r, r->cols[i]); /* a column named twice is an error */
            cols = xreallocarray(cols, ncols + 1, sizeof *cols);
            cols[ncols++] = (column){.name = r->cols[i], .idx = i};
        }
        if (ncols == 0)
            die("%s:1: no distance column (expected %s, or name them with -d; columns: %s)",
                first, deepface_metric_list(), tsv_col_list(r));
    }
    long same_col = tsv_col(r, "same");

    /* Thresholds: -t COL=T, else -t T, else --model's, else tuned. */
    for (size_t i = 0; i < th.n; i++) {
        size_t j = 0;
        while (j < ncols && strcmp(cols[j].name, th.names[i]) != 0)
            j++;
        if (j == ncols)
            die_usage("--threshold names '%s', which is not a distance column (distance "
                      "columns: %s)",
                      th.names[i], column_list(cols, ncols));
    }
    int tune = 0;
    for (size_t j = 0; j < ncols; j++) {
        column *cl = &cols[j];
        if (thrarg_get(&th, cl->name, &cl->threshold))
            cl->from = FROM_GIVEN;
        if (!cl->from && dm) {
            int mi = deepface_metric(cl->name);
            if (mi < 0)
                die_usage("%s has no threshold for column '%s' (its metrics: %s; give -t "
                          "%s=T)",
                          dm->name, cl->name, deepface_metric_list(), cl->name);
            cl->from = FROM_MODEL;
            cl->threshold = dm->threshold[mi];
        }
        if (!cl->from) {
            if (same_col < 0)
                die("%s:1: no threshold for column '%s' and no column 'same' to tune one on "
                    "(give -t or --model)",
                    first, cl->name);
            cl->from = FROM_TUNED;
            tune = 1;
        }
    }
    if (truth && same_col < 0)
        die("%s:1: --target truth fits the column 'same', which the stream lacks "
            "(columns: %s)",
            first, tsv_col_list(r));
    int want_same = same_col >= 0 && (tune || truth || verbose);

    out *o = out_open(output);

    /* Read the columns: 8 bytes a row a column, 1 for `same`. */
    size_t n = 0, cap = 0;
    unsigned char *same = NULL;
    while (tsv_next(r)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            for (size_t j = 0; j < ncols; j++)
                cols[j].d = xreallocarray(cols[j].d, cap, sizeof *cols[j].d);
            if (want_same)
                same = xrealloc(same, cap);
        }
        for (size_t j = 0; j < ncols; j++)
            cols[j].d[n] = tsv_number(r, cols[j].idx);
        if (want_same)
            same[n] = same_value(r, (size_t)same_col);
        n++;
    }
    const char *name = ncols && r->name ? r->name : first;
    if (n < 2)
        die("%s: a fit needs at least 2 rows (found %zu)", name, n);

    unsigned char *ybuf = truth ? NULL : xmalloc(n);
    double *scratch = tune || (verbose && want_same) ? xmalloc(n * sizeof *scratch) : NULL;
    model md = {.n = ncols, .m = xcalloc(ncols, sizeof *md.m)};
    for (size_t j = 0; j < ncols; j++) {
        column *cl = &cols[j];
        uint64_t correct = 0;
        if (cl->from == FROM_TUNED)
            cl->threshold = fit_tune_threshold(cl->d, same, n, scratch, &correct);
        fit_input in = {
            .file = name,
            .name = cl->name,
            .d = cl->d,
            .n = n,
            .same = want_same ? same : NULL,
            .threshold = cl->threshold,
            .truth = truth,
            .C = cost,
            .report = verbose,
            .ybuf = ybuf,
            .scratch = scratch,
        };
        fit_report rep;
        model_metric *m = &md.m[j];
        fit_column(&in, m, &rep);
        snprintf(m->threshold_from, sizeof m->threshold_from, "%s",
                 cl->from == FROM_MODEL   ? dm->name
                 : cl->from == FROM_GIVEN ? "given"
                                          : "tuned");
        if (cl->from == FROM_TUNED) {
            m->has_accuracy = 1;
            m->accuracy = (double)correct / (double)n;
        }
        if (verbose)
            fit_report_print(m, &rep);
        free(cl->d);
        cl->d = NULL;
    }
    model_write(&md, o);
    out_close(o);

    for (size_t j = 0; j < ncols; j++)
        free(md.m[j].name);
    free(md.m);
    free(ybuf);
    free(scratch);
    free(same);
    free(cols);
    thrarg_free(&th);
    tsv_close(r);
    return 0;
}
