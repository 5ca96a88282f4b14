/* confmap: append a confidence column per metric to the distance stream,
 * from a fitted model file or DeepFace's own constants. */
#include "confidence.h"
#include "deepface.h"
#include "diag.h"
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
    printf("Usage: confmap (-M FILE | --model=NAME) [-t T | -t METRIC=T,...] [-m LIST]\n"
           "               [--style=STYLE] [--verified] [-p N] [-o FILE] [FILE...]\n"
           "Append METRIC_confidence (percent) to the distance stream, for each metric of\n"
           "the model that is a column of the stream.  With no FILE, or when FILE is -,\n"
           "read standard input.\n"
           "\n"
           "  -M, --model-file=FILE  a model: logfit's file, or the article's printed\n"
           "                         dictionary {'cosine': {'w': ..., ...}, ...}\n"
           "      --model=NAME       DeepFace's fitted constants and thresholds for model\n"
           "                         NAME (Facenet, VGG-Face, ...); with -M, only its\n"
           "                         thresholds, for metrics the file gives none\n"
           "  -t, --threshold=T      the threshold of every metric, or METRIC=T,... per\n"
           "                         metric; overrides the file's and --model's\n"
           "  -m, --metrics=LIST     map only these metrics (comma-separated), in this order\n"
           "      --style=STYLE      clamped (default): the article's re-scaling, held in\n"
           "                           [51, 100] for same and [0, 49] for different;\n"
           "                         study: the article's re-scaling, unclamped;\n"
           "                         deepface: as DeepFace's verify() (0.0.97 and later);\n"
           "                         raw: 100 p, the logistic itself\n"
           "      --verified         also append METRIC_verified: 1 if distance <= threshold\n"
           "  -p, --precision=N      decimals of the confidence (default 2)\n"
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m cosine | confmap --model Facenet --verified\n");
    exit(0);
}

enum { OPT_MODEL = 256, OPT_STYLE, OPT_VERIFIED };

/* One metric to map: its column and its parameters. */
typedef struct job {
    const char *name;
    size_t col;
    conf_params c;
    int has_threshold;
} job;


static const char *model_metric_list(const model *md)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < md->n && o + 8 < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", md->m[i].name);
    return buf;
}

/* The model as a list of metric blocks: the file's, or DeepFace's. */
static model *deepface_as_model(const deepface_model *dm)
{
    model *md = xcalloc(1, sizeof *md);
    md->n = DF_NMETRICS;
    md->m = xcalloc(DF_NMETRICS, sizeof *md->m);
    for (int i = 0; i < DF_NMETRICS; i++)
        md->m[i].name = xstrdup(deepface_metric_names[i]);
    return md;
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"model-file", required_argument, NULL, 'M'},
        {"model", required_argument, NULL, OPT_MODEL},
        {"threshold", required_argument, NULL, 't'},
        {"metrics", required_argument, NULL, 'm'},
        {"style", required_argument, NULL, OPT_STYLE},
        {"verified", no_argument, NULL, OPT_VERIFIED},
        {"precision", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *model_path = NULL, *model_name = NULL, *output = NULL, *metrics_arg = NULL;
    thrarg th = {0};
    int style = CONF_CLAMPED, verified = 0, prec = 2, c;
    while ((c = getopt_long(argc, argv, ":M:t:m:p:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'M':
            model_path = optarg;
            break;
        case OPT_MODEL:
            model_name = optarg;
            break;
        case 't':
            thrarg_parse(&th, optarg, "METRIC");
            break;
        case 'm':
            metrics_arg = optarg;
            break;
        case OPT_STYLE:
            style = conf_style_parse(optarg);
            if (style < 0)
                die_usage("unknown style '%s' (styles: %s)", optarg, conf_style_list());
            break;
        case OPT_VERIFIED:
            verified = 1;
            break;
        case 'p':
            prec = (int)num_arg_int("--precision", optarg, 0, NUM_PREC_MAX);
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
    if (!model_path && !model_name)
        die_usage("no model: give -M FILE or --model NAME");
    const deepface_model *dm = NULL;
    if (model_name && !(dm = deepface_find(model_name)))
        die_usage("unknown model '%s' (models: %s)", model_name, deepface_model_list());

    if (model_path && strcmp(model_path, "-") == 0) {
        int stdin_stream = optind == argc;
        for (int i = optind; i < argc; i++)
            stdin_stream |= strcmp(argv[i], "-") == 0;
        if (stdin_stream)
            die_usage("-M - and the stream cannot both be standard input");
    }
    model *md = model_path ? model_read(model_path) : deepface_as_model(dm);
    for (size_t i = 0; i < th.n; i++)
        if (!model_find(md, th.names[i]))
            die_usage("--threshold names '%s', which the model does not have (model: %s)",
                      th.names[i], model_metric_list(md));

    tsv_reader *r = tsv_open(argv + optind, (size_t)(argc - optind));
    const char *first =
        optind < argc && strcmp(argv[optind], "-") != 0 ? argv[optind] : "<stdin>";

    /* Which metrics: -m's, in its order, or the model's that are columns, in
     * the stream's order. */
    job *jobs = NULL;
    size_t njobs = 0;
    if (metrics_arg) {
        char *copy = xstrdup(metrics_arg), *save = NULL;
        for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            model_metric *mm = model_find(md, m);
            if (!mm)
                die_usage("--metrics names '%s', which the model does not have (model: %s)", m,
                          model_metric_list(md));
            for (size_t j = 0; j < njobs; j++)
                if (strcmp(jobs[j].name, mm->name) == 0)
                    die_usage("--metrics names '%s' twice", m);
            jobs = xreallocarray(jobs, njobs + 1, sizeof *jobs);
            jobs[njobs].name = mm->name;
            jobs[njobs++].col = tsv_require_col(r, m);
        }
        free(copy);
        if (njobs == 0)
            die_usage("--metrics names no metric");
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            model_metric *mm = model_find(md, r->cols[i]);
            if (!mm)
                continue;
            tsv_col(r, mm->name); /* a column named twice is an error */
            jobs = xreallocarray(jobs, njobs + 1, sizeof *jobs);
            jobs[njobs].name = mm->name;
            jobs[njobs++].col = i;
        }
        if (njobs == 0)
            die("%s:1: no metric of the model is a column of the stream (model: %s; "
                "columns: %s)",
                first, model_metric_list(md), tsv_col_list(r));
    }

    /* Parameters and thresholds: -t, else the file's, else --model's. */
    for (size_t j = 0; j < njobs; j++) {
        job *jb = &jobs[j];
        model_metric *mm = model_find(md, jb->name);
        int dfi = deepface_metric(jb->name);
        if (model_path) {
            conf_from_model(&jb->c, mm);
            jb->has_threshold = mm->has_threshold;
            if (!jb->has_threshold && dm && dfi >= 0) {
                jb->c.threshold = dm->threshold[dfi];
                jb->has_threshold = 1;
            }
        } else {
            conf_from_deepface(&jb->c, dm, dfi);
            jb->has_threshold = 1;
        }
        if (thrarg_get(&th, jb->name, &jb->c.threshold))
            jb->has_threshold = 1;
        if (!jb->has_threshold && (style != CONF_RAW || verified))
            die("no threshold for metric '%s': the model file has none (give -t or --model)",
                jb->name);
    }

    out *o = out_open(output);
    tsv_write_preamble(r, o);
    tsv_write_header_start(r, o);
    char name[512];
    for (size_t j = 0; j < njobs; j++) {
        snprintf(name, sizeof name, "%s_confidence", jobs[j].name);
        tsv_check_new_col(r, name);
        out_putc(o, '\t');
        out_str(o, name);
        if (verified) {
            snprintf(name, sizeof name, "%s_verified", jobs[j].name);
            tsv_check_new_col(r, name);
            out_putc(o, '\t');
            out_str(o, name);
        }
    }
    out_putc(o, '\n');

    conf_style st = (conf_style)style;
    while (tsv_next(r)) {
        out_write(o, r->text, r->len);
        for (size_t j = 0; j < njobs; j++) {
            const job *jb = &jobs[j];
            const tsv_field *f = &r->f[jb->col];
            double d;
            if (num_parse(f->p, f->n, &d))
                d = tsv_number(r, jb->col); /* dies with the message */
            double v = conf_value(&jb->c, st, d);
            char *w = out_reserve(o, NUM_FMT_MAX + 4);
            size_t k = 0;
            w[k++] = '\t';
            k += num_fmt_fixed(w + k, v, prec);
            if (verified) {
                w[k++] = '\t';
                w[k++] = d <= jb->c.threshold ? '1' : '0';
            }
            out_commit(o, k);
        }
        out_putc(o, '\n');
    }
    out_close(o);
    tsv_close(r);
    model_free(md);
    free(jobs);
    thrarg_free(&th);
    return 0;
}
