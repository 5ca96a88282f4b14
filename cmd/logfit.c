/* logfit: fit the article's logistic model on each distance column of the
 * stream and write it as a YAML model file for confmap. */
#include "cli/cli.h"
#include "cli/thrarg.h"
#include "common/diag.h"
#include "common/name.h"
#include "fit/fitplan.h"
#include "mapping/deepface.h"
#include "mapping/model.h"
#include "report/fitreport.h"
#include "stream/num.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <stdio.h>
#include <stdlib.h>

static noreturn void usage(void)
{
    printf(
        "Usage: logfit [-v] [-d COL,...] [-t T | -t COL=T,...] [--model=NAME]\n"
        "              [--target=decision|truth] [-C C] [-j N] [-o FILE] [FILE...]\n"
        "       logfit --method=platt|isotonic|venn-abers [-v] [-d COL,...] [-o FILE] "
        "[FILE...]\n"
        "       logfit --cv=K [--method=METHOD|all] [--seed=S] [fit options] [-o FILE]\n"
        "              [FILE...]\n"
        "       logfit --counts [-d COL,...] [-j N] [-o FILE] [FILE...]\n"
        "Fit the article's logistic regression on each distance column of the stream\n"
        "and write the model (w, b, normalizer, denorm values) as YAML for confmap;\n"
        "or calibrate the probability that a pair is the same person on the column\n"
        "'same' (--method); or measure held-out how well each method does (--cv).\n"
        "The input is a distance stream, or counts (logfit --counts, pairdist --counts;\n"
        "known by their first line), which add up: the model of counts is the model\n"
        "of the rows they count, bit for bit, however the rows were split.\n"
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
        "      --method=METHOD    logistic (default): the article's fit, a confidence;\n"
        "                         calibrated on the column 'same', a probability:\n"
        "                         platt (Platt's sigmoid), isotonic (a non-increasing\n"
        "                         step-and-line curve), venn-abers (isotonic with an\n"
        "                         interval [p0, p1]); all (with --cv): every one\n"
        "      --cv=K             instead of a model, the held-out measures of each\n"
        "                         column and method over K folds (TSV): calibration\n"
        "                         error (equal-width, with a 95%% bootstrap interval,\n"
        "                         and equal-mass bins), Brier score, log loss, ROC AUC,\n"
        "                         the width of venn-abers' interval; the pairs of one\n"
        "                         identity pair (id_a, id_b) stay in one fold; with\n"
        "                         --method all and --model, DeepFace's own mapping too\n"
        "      --seed=S           the folds' and the bootstrap's seed (default 0)\n"
        "      --counts           write the counts of each distance column (each distinct\n"
        "                         value with its rows and same-person rows) instead of\n"
        "                         a model: the summary a run split over machines merges\n"
        "  -C, --cost=C           inverse strength of the L2 penalty on w (default 1,\n"
        "                         scikit-learn's LogisticRegression() default)\n"
        "  -v, --verbose          report on standard error, per column: rows, threshold,\n"
        "                         Newton steps, gradient norm, whether the penalty\n"
        "                         dominates the fit and, with a column 'same', accuracy,\n"
        "                         ROC AUC, Brier score, calibration error (equal-width\n"
        "                         bins, with those occupied, and equal-mass "
        "bins)\n");
    /* (in two: one string would pass the 4095 bytes C99 compilers must take) */
    printf(CLI_HELP_JOBS CLI_HELP_OUTPUT CLI_HELP_STD "\n"
        "Example:\n"
        "  pairgen ids.yaml | pairdist -m all | logfit --model Facenet > model.yaml\n"
        "  logfit --model Facenet shard-*.counts > model.yaml\n");
    exit(0);
}

/* --target's words, by fitplan_opts.truth */
static const char *const target_words[] = {"decision", "truth"};
/* --method's words: method_names, then "all" */
static const char *const method_words[] = {"logistic", "platt", "isotonic", "venn-abers",
                                           "all"};
#define METHOD_ALL METHOD_N

/* What keeps the plan from being made, if anything, in logfit's words. */
static CLI_REFUSER void refuse(const fitplan *p, const fitplan_problem *pb,
                               const fitplan_opts *o)
{
    const tsv_reader *r = fitplan_reader(p);
    switch (pb->status) {
    case FITPLAN_OK:
        return;
    case FITPLAN_THRESHOLD_NOT_COLUMN:
        die_usage("--threshold names '%s', which is not a distance column (distance columns: "
                  "%s)",
                  name_q(pb->name), pb->list);
    case FITPLAN_MODEL_NO_THRESHOLD:
        die_usage("%s has no threshold for column '%s' (its metrics: %s; give -t %s=T)",
                  o->dm->name, name_q(pb->name), metric_list(), name_q(pb->name));
    case FITPLAN_NO_COLUMN:
        if (fitplan_is_counts(p))
            tsv_die_header(r,
                           "the counts have no distance column (expected %s, or name them "
                           "with -d; columns counted: %s)",
                           metric_list(),
                           *fitplan_found_list(p) ? fitplan_found_list(p) : "none");
        tsv_die_header(r, "no distance column (expected %s, or name them with -d; columns: %s)",
                       metric_list(), tsv_col_list(r));
    case FITPLAN_NO_THRESHOLD:
        if (fitplan_is_counts(p))
            tsv_die_header(r,
                           "no threshold for column '%s', and the counts have no n_same (their "
                           "stream had no column 'same') to tune one on (give -t or --model)",
                           name_q(pb->name));
        tsv_die_header(r,
                       "no threshold for column '%s' and no column 'same' to tune one on "
                       "(give -t or --model)",
                       name_q(pb->name));
    case FITPLAN_CV_NO_SAME:
        tsv_die_header(r,
                       "--cv measures against the column 'same', which the stream lacks "
                       "(columns: %s)",
                       tsv_col_list(r));
    case FITPLAN_CV_COUNTS:
        tsv_die_header(r, "--cv splits rows into folds, and counts have none: give it the "
                          "distance stream");
    case FITPLAN_TRUTH_NO_SAME:
        if (o->method != METHOD_LOGISTIC && fitplan_is_counts(p))
            tsv_die_header(r,
                           "--method %s fits the same-person rows, and the counts have no "
                           "n_same (their stream had no column 'same')",
                           method_names[o->method]);
        if (o->method != METHOD_LOGISTIC)
            tsv_die_header(r,
                           "--method %s fits the column 'same', which the stream lacks "
                           "(columns: %s)",
                           method_names[o->method], tsv_col_list(r));
        if (fitplan_is_counts(p))
            tsv_die_header(r,
                           "--target truth fits the same-person rows, and the counts have no "
                           "n_same (their stream had no column 'same')");
        tsv_die_header(r,
                       "--target truth fits the column 'same', which the stream lacks "
                       "(columns: %s)",
                       tsv_col_list(r));
    }
}

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
        {"counts", no_argument, NULL, OPT_COUNTS},
        {"method", required_argument, NULL, OPT_METHOD},
        {"cv", required_argument, NULL, OPT_CV},
        {"seed", required_argument, NULL, OPT_SEED},
        {"jobs", required_argument, NULL, 'j'},
        CLI_LONGOPTS_END,
    };
    int method = METHOD_LOGISTIC;
    const char *logistic_opt =
        NULL; /* the last option given that only the article's fit uses */
    fitplan_cv_opts cv = {.boot = 200};
    const char *seed_opt = NULL;
    const char *output = NULL, *model_name = NULL, *distances = NULL;
    const char *fit_opt = NULL; /* the last option given that only a fit uses */
    thrarg th = {0};
    cli_list dist = {0};
    fitplan_opts fo = {.th = &th, .C = 1, .jobs = cli_jobs_default()};
    int c;
    while ((c = getopt_long(argc, argv, ":d:t:C:vo:j:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            distances = optarg;
            break;
        case OPT_METHOD:
            fit_opt = "--method";
            method = cli_keyword("--method", optarg, method_words,
                                 sizeof method_words / sizeof *method_words);
            break;
        case OPT_CV:
            fit_opt = "--cv";
            cv.folds = (size_t)num_arg_int("--cv", optarg, 2, 1000000);
            break;
        case OPT_SEED:
            seed_opt = "--seed";
            cv.seed = (uint64_t)num_arg_int("--seed", optarg, 0, INT64_MAX);
            break;
        case 't':
            logistic_opt = "--threshold";
            fit_opt = "--threshold";
            cli_threshold(&th, optarg, "COL");
            break;
        case OPT_MODEL:
            logistic_opt = fit_opt = "--model";
            model_name = optarg;
            break;
        case OPT_LIST_MODELS:
            deepface_print_thresholds();
            thrarg_free(&th); /* what -t gave before it: LeakSanitizer looks */
            return 0;
        case OPT_TARGET:
            logistic_opt = fit_opt = "--target";
            fo.truth = cli_keyword("--target", optarg, target_words,
                                   sizeof target_words / sizeof *target_words);
            break;
        case 'C':
            logistic_opt = fit_opt = "--cost";
            fo.C = num_arg("--cost", optarg);
            if (!(fo.C > 0))
                die_usage("invalid value for --cost: '%s' (expected a number above 0)", optarg);
            break;
        case 'v':
            fit_opt = "--verbose";
            fo.report = fitreport_print;
            break;
        case 'o':
            output = optarg;
            break;
        case 'j':
            fo.jobs = cli_jobs(optarg);
            break;
        case OPT_COUNTS:
            fo.counts_only = 1;
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
    if (fo.counts_only) {
        /* counts are the same whatever the fit: an option of the fit is a mistake */
        if (fit_opt)
            die_usage("--counts writes counts, not a model: %s has no use with it (give it to "
                      "the logfit that fits the counts)",
                      fit_opt);
    }
    if (seed_opt && !cv.folds)
        die_usage("--seed seeds the folds of --cv: give --cv K");
    if (method == METHOD_ALL && !cv.folds)
        die_usage("--method all compares the methods held-out: give --cv K (a model file "
                  "holds one method)");
    if (method != METHOD_LOGISTIC && method != METHOD_ALL && logistic_opt)
        die_usage("--method %s fits the column 'same': %s has no use with it (it is the "
                  "article's logistic fit's)",
                  method_names[method], logistic_opt);
    if (cv.folds && fo.report)
        die_usage("--cv writes its measures: --verbose has no use with it");
    static const model_method all_methods[] = {METHOD_LOGISTIC, METHOD_PLATT, METHOD_ISOTONIC,
                                               METHOD_VENN_ABERS};
    model_method one = (model_method)(method == METHOD_ALL ? METHOD_LOGISTIC : method);
    if (cv.folds) {
        cv.methods = method == METHOD_ALL ? all_methods : &one;
        cv.nmethods = method == METHOD_ALL ? METHOD_N : 1;
        cv.deepface = method == METHOD_ALL;
        fo.cv = &cv;
    } else {
        fo.method = one;
        if (fo.report && one != METHOD_LOGISTIC) {
            fo.report = NULL;
            fo.report_calibrated = fitreport_calibrated;
        }
    }
    if (model_name && !(fo.dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());
    if (distances)
        cli_list_parse(&dist, "--distances", distances);
    fo.distances = (const char *const *)dist.item;
    fo.ndistances = dist.n;
    fo.paths = argv + optind;
    fo.npaths = (size_t)(argc - optind);

    out *o = out_open(output);
    out_refuse_inputs(o, fo.paths, fo.npaths, "the stream");
    fitplan_problem pb;
    fitplan *p = fitplan_open(&fo, &pb);
    refuse(p, &pb, &fo);
    tsv_refuse_store_output(fitplan_reader(p), o);
    if (fo.counts_only)
        fitplan_write_counts(p, o);
    else if (fo.cv)
        fitplan_cv(p, o);
    else
        model_write(fitplan_fit(p), o);
    out_close(o);
    fitplan_free(p);
    thrarg_free(&th);
    cli_list_free(&dist);
    return 0;
}
