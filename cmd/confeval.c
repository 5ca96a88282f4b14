/* confeval: how well each score column of a stream (distances,
 * confidences, probabilities) tells same pairs from different ones: the
 * verification report (AUC, EER, d', FMR and FNMR at a threshold with
 * intervals, TAR at fixed FMRs), its ROC/DET points, or the reliability
 * table of a probability. */
#include "cli/cli.h"
#include "cli/thrarg.h"
#include "common/diag.h"
#include "common/name.h"
#include "fit/fitplan.h"
#include "mapping/deepface.h"
#include "mapping/model.h"
#include "report/evalreport.h"
#include "stream/num.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static noreturn void usage(void)
{
    printf(
        "Usage: confeval [-c COL,...] [-y COL] [--lower | --higher] [-t T | -t COL=T,...]\n"
        "                [--model=NAME] [-M FILE] [--interval=METHOD] [--fmr=X]\n"
        "                [--roc | --reliability] [-j N] [-o FILE] [FILE...]\n"
        "How well each score column tells same pairs from different ones, in the\n"
        "terms of ISO/IEC 19795-1: a row per column with the pairs of each class, ROC\n"
        "AUC, the equal error rate, d', FMR and FNMR at a threshold (with their counts\n"
        "and 95%% intervals), the TAR at FMR 1e-1 to 1e-4 with their thresholds, and\n"
        "for a probability its Brier score, log loss and calibration error.  The input\n"
        "is a stream with a class column, or the counts logfit and pairdist write.\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "  -c, --columns=LIST     the score columns (comma-separated), in this order;\n"
        "                         default: every column named like a metric, or\n"
        "                         ending in _confidence or _probability\n"
        "  -y, --class=COL        the class column, 1 for a same pair (default same)\n"
        "      --lower            a lower value means same, for every column (the\n"
        "                         default for distances)\n"
        "      --higher           a higher value means same, for every column (the\n"
        "                         default for _confidence and _probability columns)\n"
        "  -t, --threshold=T      the threshold of every column, or COL=T,...: FMR and\n"
        "                         FNMR there (default: 50 for confidences and\n"
        "                         probabilities, none for distances)\n"
        "      --model=NAME       DeepFace's thresholds for model NAME, for the\n"
        "                         distance columns -t leaves\n"
        "      --list-models      print DeepFace's thresholds of every model (TSV) and exit\n"
        "  -M, --model-file=FILE  the thresholds of logfit's model FILE, likewise\n"
        "      --interval=METHOD  wilson (default), jeffreys or clopper-pearson\n"
        "      --fmr=X            also the threshold whose FMR is at most X (0 < X < 1)\n"
        "                         and the 95%% upper bound of the FMR there\n"
        "      --roc              write the ROC/DET points of each column instead\n"
        "      --reliability      write the reliability table of each confidence or\n"
        "                         probability column instead\n" CLI_HELP_JOBS CLI_HELP_OUTPUT
        CLI_HELP_STD
        "\n"
        "Example:\n"
        "  pairgen ids.yaml | pairdist -m all | confeval --model Facenet\n");
    exit(0);
}

/* Does the name say a higher value means same (a percent of confmap's)? */
static int is_higher(const char *name)
{
    return name_score_of(name) != NAME_SCORE_NONE;
}

/* Thresholds from a model of other embeddings than the stream's: the
 * rates at them mean nothing (as confmap warns). */
static void warn_model_mismatch(const tsv_reader *r, const deepface_model *dm, const model *md,
                                const char *model_file)
{
    const char *file;
    uint64_t line;
    const char *got = tsv_preamble_at(r, "model", &file, &line);
    if (!got || !*got)
        return;
    if (md && md->embedding_model && strcasecmp(got, md->embedding_model) != 0)
        warnx_("%s:%llu: the stream's embeddings are from '%s', but the model %s was fitted on "
               "'%s': its thresholds do not apply",
               file, (unsigned long long)line, name_q(got), model_file,
               name_q(md->embedding_model));
    if (dm && strcasecmp(got, dm->name) != 0)
        warnx_("%s:%llu: the stream's embeddings are from '%s', but --model is '%s': its "
               "thresholds do not apply",
               file, (unsigned long long)line, name_q(got), dm->name);
}

/* A confidence or a probability is in percent: a value outside 0 to 100
 * is a column of another scale. */
static void check_percent(const tsv_reader *r, const char *name, const counts_entry *e,
                          size_t k)
{
    if (k == 0 || (e[0].value >= 0 && e[k - 1].value <= 100))
        return;
    char v[NUM_FMT_MAX];
    num_fmt_shortest(v, e[0].value < 0 ? e[0].value : e[k - 1].value);
    die("%s: column '%s' holds %s: confidences and probabilities are in percent, 0 to 100",
        r->name, name_q(name), v);
}

/* What keeps the plan from being made, in confeval's words. */
static CLI_REFUSER void refuse(const fitplan *p, const fitplan_problem *pb)
{
    const tsv_reader *r = fitplan_reader(p);
    if (pb->status == FITPLAN_NO_COLUMN)
        tsv_die_header(r,
                       "no score column (expected one named like a metric (%s), or ending in "
                       "_confidence or _probability, or name them with -c; columns: %s)",
                       metric_list(),
                       fitplan_is_counts(p) ? fitplan_found_list(p) : tsv_col_list(r));
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"columns", required_argument, NULL, 'c'},
        {"class", required_argument, NULL, 'y'},
        {"lower", no_argument, NULL, OPT_LOWER},
        {"higher", no_argument, NULL, OPT_HIGHER},
        {"threshold", required_argument, NULL, 't'},
        {"model", required_argument, NULL, OPT_MODEL},
        {"list-models", no_argument, NULL, OPT_LIST_MODELS},
        {"model-file", required_argument, NULL, 'M'},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"fmr", required_argument, NULL, OPT_FMR},
        {"roc", no_argument, NULL, OPT_ROC},
        {"reliability", no_argument, NULL, OPT_RELIABILITY},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        CLI_LONGOPTS_END,
    };
    const char *output = NULL, *columns = NULL, *class_col = NULL, *model_name = NULL;
    const char *model_file = NULL;
    int dir = -1, table = 0; /* table: 0 summary, OPT_ROC, OPT_RELIABILITY */
    int jobs = cli_jobs_default();
    thrarg th = {0};
    cli_list cols = {0};
    evalreport_opts ro = {.interval = BINOM_WILSON};
    int c;
    while ((c = getopt_long(argc, argv, ":c:y:t:M:o:j:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            columns = optarg;
            break;
        case 'y':
            class_col = optarg;
            break;
        case OPT_LOWER:
        case OPT_HIGHER:
            if (dir >= 0 && dir != (c == OPT_HIGHER))
                die_usage("--lower and --higher: give one");
            dir = c == OPT_HIGHER;
            break;
        case 't':
            cli_threshold(&th, optarg, "COL");
            break;
        case OPT_MODEL:
            model_name = optarg;
            break;
        case OPT_LIST_MODELS:
            deepface_print_thresholds();
            thrarg_free(&th); /* what -t gave before it: LeakSanitizer looks */
            return 0;
        case 'M':
            model_file = optarg;
            break;
        case OPT_INTERVAL:
            ro.interval = (binom_method)cli_keyword("--interval", optarg, binom_names, BINOM_N);
            break;
        case OPT_FMR:
            ro.fmr_target = num_arg("--fmr", optarg);
            /* (a subnormal rate: the pairs it needs pass the largest double) */
            if (!(ro.fmr_target >= DBL_MIN && ro.fmr_target < 1))
                die_usage("invalid value for --fmr: '%s' (expected a rate below 1 and at least "
                          "2.2250738585072014e-308, the smallest normal double)",
                          optarg);
            break;
        case OPT_ROC:
        case OPT_RELIABILITY:
            if (table && table != c)
                die_usage("--roc and --reliability: give one");
            table = c;
            break;
        case 'o':
            output = optarg;
            break;
        case 'j':
            jobs = cli_jobs(optarg);
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
    const deepface_model *dm = NULL;
    if (model_name && !(dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());
    if (columns)
        cli_list_parse(&cols, "--columns", columns);
    char *const *paths = argv + optind;
    size_t npaths = (size_t)(argc - optind);
    const char *inputs[] = {model_file, cli_stream_stdin(paths, npaths)};
    cli_one_stdin(inputs, (const char *const[]){"-M -", "the stream"}, 2);
    model *md = model_file ? model_read(model_file) : NULL;

    fitplan_opts fo = {
        .paths = paths,
        .npaths = npaths,
        .distances = (const char *const *)cols.item,
        .ndistances = cols.n,
        .counts_only = 1, /* the counts of the columns; no fit */
        .class_col = class_col,
        .scores = 1,
        .jobs = jobs,
    };
    out *o = out_open(output);
    out_refuse_inputs(o, paths, npaths, "the stream");
    out_refuse_input(o, model_file, "the model");
    fitplan_problem pb;
    fitplan *p = fitplan_open(&fo, &pb);
    refuse(p, &pb);
    const tsv_reader *r = fitplan_reader(p);
    if (fitplan_is_counts(p) && class_col)
        tsv_die_header(r, "counts carry their class as n_same: -y has no use with them");
    if (!fitplan_has_class(p)) {
        if (fitplan_is_counts(p))
            tsv_die_header(r, "the counts have no n_same (their stream had no column 'same'): "
                              "nothing to evaluate against");
        tsv_die_header(r, "no class column '%s' (give -y COL; columns: %s)",
                       name_q(class_col ? class_col : "same"), tsv_col_list(r));
    }
    for (size_t i = 0; i < th.n; i++) {
        size_t j = 0;
        while (j < fitplan_ncolumns(p) && strcmp(fitplan_column_name(p, j), th.names[i]) != 0)
            j++;
        if (j == fitplan_ncolumns(p))
            die_usage("--threshold names '%s', which is not a score column",
                      name_q(th.names[i]));
    }
    tsv_refuse_store_output(r, o);
    warn_model_mismatch(r, dm, md, model_file);
    fitplan_read(p);
    if (table == OPT_ROC)
        evalreport_roc_head(o);
    else if (table == OPT_RELIABILITY)
        evalreport_rel_head(o);
    else
        evalreport_head(o, &ro);
    size_t shown = 0;
    for (size_t j = 0; j < fitplan_ncolumns(p); j++) {
        evalreport_col ec = {0};
        ec.e = fitplan_column(p, j, &ec.name, &ec.k);
        if (is_higher(ec.name))
            check_percent(r, ec.name, ec.e, ec.k);
        int higher = dir >= 0 ? dir : is_higher(ec.name);
        ec.dir = higher ? ROC_HIGHER : ROC_LOWER;
        ec.probability = name_score_of(ec.name) == NAME_SCORE_PROBABILITY;
        int mi = metric_find(ec.name);
        if (thrarg_get(&th, ec.name, &ec.threshold)) {
            ec.has_threshold = 1;
        } else if (md && model_find(md, ec.name) && model_find(md, ec.name)->has_threshold) {
            ec.has_threshold = 1;
            ec.threshold = model_find(md, ec.name)->threshold;
        } else if (dm && mi >= 0) {
            ec.has_threshold = 1;
            ec.threshold = dm->threshold[mi];
        } else if (is_higher(ec.name)) {
            ec.has_threshold = 1;
            ec.threshold = 50;
        }
        if (table == OPT_ROC) {
            evalreport_roc(o, &ec);
        } else if (table == OPT_RELIABILITY) {
            if (!is_higher(ec.name))
                continue;
            evalreport_reliability(o, &ro, &ec);
        } else {
            evalreport_row(o, &ro, &ec);
        }
        shown++;
    }
    if (!shown)
        tsv_die_header(r, "--reliability reads confidences and probabilities in percent, and "
                          "no column ends in _confidence or _probability");
    out_close(o);
    fitplan_free(p);
    model_free(md);
    thrarg_free(&th);
    cli_list_free(&cols);
    return 0;
}
