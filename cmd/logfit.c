/* logfit: fit the article's logistic model on each distance column of the
 * stream and write it as a YAML model file for confmap. */
#include "mapping/deepface.h"
#include "common/diag.h"
#include "fit/fitplan.h"
#include "mapping/model.h"
#include "stream/num.h"
#include "stream/out.h"
#include "stream/tsv.h"
#include "common/thrarg.h"
#include "report/fitreport.h"

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
           "                         threshold is tuned on the column 'same' (the middle\n"
           "                         of the widest gap of the most accurate thresholds)\n"
           "      --list-models      print DeepFace's thresholds of every model (TSV) and exit\n"
           "      --target=TARGET    decision (default): fit y = (distance <= threshold),\n"
           "                         as the article; truth: fit the column 'same'\n"
           "  -C, --cost=C           inverse strength of the L2 penalty on w (default 1,\n"
           "                         scikit-learn's LogisticRegression() default)\n"
           "  -v, --verbose          report on standard error, per column: rows, threshold,\n"
           "                         Newton steps, gradient norm, whether the penalty\n"
           "                         dominates the fit and, with a column 'same', accuracy,\n"
           "                         ROC AUC, Brier score, calibration error (equal-width\n"
           "                         bins, with those occupied, and equal-mass bins)\n"
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output;\n"
           "                         FILE.gz is written gzip-compressed; FILE must not\n"
           "                         be an input\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m all | logfit --model Facenet > model.yaml\n");
    exit(0);
}

enum { OPT_MODEL = 256, OPT_TARGET, OPT_LIST_MODELS };

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"distances", required_argument, NULL, 'd'},
        {"threshold", required_argument, NULL, 't'},
        {"model", required_argument, NULL, OPT_MODEL},
        {"list-models", no_argument, NULL, OPT_LIST_MODELS},
        {"target", required_argument, NULL, OPT_TARGET},
        {"cost", required_argument, NULL, 'C'},
        {"verbose", no_argument, NULL, 'v'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *model_name = NULL;
    thrarg th = {0};
    fitplan_opts fo = {.th = &th, .C = 1};
    int c;
    while ((c = getopt_long(argc, argv, ":d:t:C:vo:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            fo.distances = optarg;
            break;
        case 't':
            thrarg_parse(&th, optarg, "COL");
            break;
        case OPT_MODEL:
            model_name = optarg;
            break;
        case OPT_LIST_MODELS: {
            out *lo = out_open(NULL);
            deepface_write_thresholds(lo);
            out_close(lo);
            return 0;
        }
        case OPT_TARGET:
            if (strcmp(optarg, "decision") == 0)
                fo.truth = 0;
            else if (strcmp(optarg, "truth") == 0)
                fo.truth = 1;
            else
                die_usage("invalid value for --target: '%s' (expected decision or truth)",
                          optarg);
            break;
        case 'C':
            fo.C = num_arg("--cost", optarg);
            if (!(fo.C > 0))
                die_usage("invalid value for --cost: '%s' (expected a number above 0)", optarg);
            break;
        case 'v':
            fo.report = fitreport_print;
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
    if (model_name && !(fo.dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());
    fo.paths = argv + optind;
    fo.npaths = (size_t)(argc - optind);

    out *o = out_open(output);
    out_refuse_inputs(o, fo.paths, fo.npaths, "the stream");
    fitplan *p = fitplan_open(&fo);
    tsv_refuse_store_output(fitplan_reader(p), o);
    model_write(fitplan_fit(p), o);
    out_close(o);
    fitplan_free(p);
    thrarg_free(&th);
    return 0;
}
