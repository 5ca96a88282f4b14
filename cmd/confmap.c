/* confmap: append a confidence column per metric to the distance stream,
 * from a fitted model file or DeepFace's own constants. */
#include "cli/cli.h"
#include "cli/thrarg.h"
#include "common/diag.h"
#include "common/name.h"
#include "mapping/confidence.h"
#include "mapping/deepface.h"
#include "mapping/mapping.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <stdio.h>
#include <stdlib.h>

static noreturn void usage(void)
{
    printf(
        "Usage: confmap (-M FILE | --model=NAME) [-t T | -t METRIC=T,...] [-m LIST]\n"
        "               [--style=STYLE] [--verified] [-q] [-p N] [-j N] [-o FILE] [FILE...]\n"
        "Append METRIC_confidence (percent) to the distance stream, for each metric of\n"
        "the model that is a column of the stream; for a metric calibrated by logfit,\n"
        "METRIC_probability: the probability in percent that the pair is the same\n"
        "person (venn-abers: also METRIC_probability_lo and _hi, its interval).\n"
        "With no FILE, or when FILE is -, read standard input.\n"
        "\n"
        "  -M, --model-file=FILE  a model: logfit's file, or the article's printed\n"
        "                         dictionary {'cosine': {'w': ..., ...}, ...}\n"
        "      --model=NAME       DeepFace's fitted constants and thresholds for model\n"
        "                         NAME (Facenet, VGG-Face, ...); with -M, only its\n"
        "                         thresholds, for metrics the file gives none\n"
        "      --list-models      print DeepFace's thresholds of every model (TSV) and exit\n"
        "  -t, --threshold=T      the threshold of every metric, or METRIC=T,... per\n"
        "                         metric; overrides the file's and --model's (in style\n"
        "                         deepface, as verify(threshold=T): T decides verified,\n"
        "                         the confidence keeps the model's own threshold)\n"
        "  -m, --metrics=LIST     map only these metrics (comma-separated), in this order\n"
        "      --style=STYLE      clamped (default with -M): the article's re-scaling,\n"
        "                           held in [51, 100] for same and [0, 49] for different;\n"
        "                         study: the article's re-scaling, unclamped;\n"
        "                         deepface (default with --model alone): as DeepFace's\n"
        "                           verify() (0.0.97 and later);\n"
        "                         raw: 100 p, the logistic itself;\n"
        "                         probability (default for a calibrated metric, and\n"
        "                           its only style): the calibrated probability\n"
        "      --verified         also append METRIC_verified: 1 if distance <= threshold\n"
        "                         (calibrated, without -t: if the probability >= 50)\n"
        "  -q, --quiet            no warnings: distances outside the range the model was\n"
        "                         fitted on, a stream whose #model= is another model's\n"
        "  -p, --precision=N      decimals of the confidence (default 2)\n" CLI_HELP_JOBS
            CLI_HELP_OUTPUT CLI_HELP_STD "\n"
        "Example:\n"
        "  pairgen ids.yaml | pairdist -m cosine | confmap --model Facenet --verified\n");
    exit(0);
}

/* What keeps the model from mapping, if anything, in confmap's words. */
static CLI_REFUSER void refuse(const map_problem *pb)
{
    if (pb->status == MAP_NO_THRESHOLD)
        die("no threshold for metric '%s': the model file has none (give -t or --model)",
            name_q(pb->name));
    if (pb->status == MAP_CALIBRATED)
        die_usage("metric '%s' is calibrated (method %s): it gives a probability, not a "
                  "confidence (--style probability)",
                  name_q(pb->name), pb->list);
    if (pb->status == MAP_NOT_CALIBRATED)
        die_usage(
            "--style probability: metric '%s' is the article's logistic fit, a confidence "
            "(fit a probability with logfit --method platt, isotonic or venn-abers)",
            name_q(pb->name));
    if (pb->status)
        die_usage("%s names '%s', which the model does not have (model: %s)",
                  pb->status == MAP_THRESHOLD_UNKNOWN ? "--threshold" : "--metrics",
                  name_q(pb->name), pb->list);
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"model-file", required_argument, NULL, 'M'},
        {"model", required_argument, NULL, OPT_MODEL},
        {"list-models", no_argument, NULL, OPT_LIST_MODELS},
        {"threshold", required_argument, NULL, 't'},
        {"metrics", required_argument, NULL, 'm'},
        {"style", required_argument, NULL, OPT_STYLE},
        {"verified", no_argument, NULL, OPT_VERIFIED},
        {"quiet", no_argument, NULL, 'q'},
        {"precision", required_argument, NULL, 'p'},
        {"jobs", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        CLI_LONGOPTS_END,
    };
    thrarg th = {0};
    map_opts mo = {.th = &th, .style = CONF_CLAMPED, .prec = 2, .jobs = cli_jobs_default()};
    const char *model_name = NULL, *output = NULL, *metrics = NULL;
    cli_list ml = {0};
    int c;
    while ((c = getopt_long(argc, argv, ":M:t:m:qp:j:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'M':
            mo.model_path = optarg;
            break;
        case OPT_MODEL:
            model_name = optarg;
            break;
        case OPT_LIST_MODELS:
            deepface_print_thresholds();
            thrarg_free(&th); /* what -t gave before it: LeakSanitizer looks */
            return 0;
        case 't':
            cli_threshold(&th, optarg, "METRIC");
            break;
        case 'm':
            metrics = optarg;
            break;
        case OPT_STYLE:
            mo.style =
                (conf_style)cli_keyword("--style", optarg, conf_style_names, CONF_NSTYLES);
            mo.style_given = 1;
            break;
        case 'q':
            mo.quiet = 1;
            break;
        case OPT_VERIFIED:
            mo.verified = 1;
            break;
        case 'p':
            mo.prec = cli_precision(optarg);
            break;
        case 'j':
            mo.jobs = cli_jobs(optarg);
            break;
        case 'o':
            output = optarg;
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
    if (!mo.model_path && !model_name)
        die_usage("no model: give -M FILE or --model NAME");
    if (model_name && !(mo.dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());
    const char *inputs[] = {mo.model_path,
                            cli_stream_stdin(argv + optind, (size_t)(argc - optind))};
    cli_one_stdin(inputs, (const char *const[]){"-M -", "the stream"}, 2);
    if (metrics)
        cli_list_parse(&ml, "--metrics", metrics);
    mo.metrics = (const char *const *)ml.item;
    mo.nmetrics = ml.n;

    out *o = out_open(output);
    out_refuse_inputs(o, argv + optind, (size_t)(argc - optind), "the stream");
    out_refuse_input(o, mo.model_path, "the model");
    map_problem pb;
    mapper *m = map_new(&mo, &pb);
    refuse(&pb);
    tsv_reader *r = tsv_open(argv + optind, (size_t)(argc - optind));
    tsv_refuse_store_output(r, o);
    map_bind(m, r, &pb);
    refuse(&pb);
    const map_mismatch *mm = map_model_mismatch(m);
    if (mm)
        warnx_("%s:%llu: the stream's embeddings are from '%s', but %s '%s': its confidences "
               "do not apply",
               mm->file, (unsigned long long)mm->line, name_q(mm->got),
               mm->from_dm ? "--model is" : "the model was fitted on", name_q(mm->want));
    map_write(m, r, o);
    out_close(o);
    map_finish(m);
    tsv_close(r);
    map_free(m);
    thrarg_free(&th);
    cli_list_free(&ml);
    return 0;
}
