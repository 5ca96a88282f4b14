/* pairdist: DeepFace's distances between the embeddings of each pair of the
 * stream, appended as one column per metric. */
#include "cli/cli.h"
#include "common/diag.h"
#include "distances/distances.h"
#include "distances/metric.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>

static noreturn void usage(void)
{
    printf("Usage: pairdist [-m METRICS] [-e FILE] [-a COL] [-b COL] [-p N] [-j N]\n"
           "                [--missing=error|skip] [--counts] [-o FILE] [FILE ...]\n"
           "Append to each pair of the stream the distance between the embeddings of its\n"
           "two items, one column per metric, as DeepFace computes them.  With no FILE,\n"
           "or when FILE is -, read standard input.\n"
           "\n"
           "  -m, --metrics=LIST     comma-separated metrics, in the order of the columns:\n"
           "                         cosine (default), euclidean, euclidean_l2, angular,\n"
           "                         or all (the four)\n"
           "  -e, --embeddings=FILE  the embedding store (default: the stream's\n"
           "                         #embeddings=PATH line, as pairgen writes it)\n"
           "  -a, --column-a=COL     the column of the first item (default a)\n"
           "  -b, --column-b=COL     the column of the second item (default b)\n"
           "  -p, --precision=N      decimals printed (default 6, as DeepFace rounds; 0-17)\n"
           "      --missing=ACTION   an item with no embedding: error (default) or skip\n"
           "                         (drop the row; the count goes to stderr at the end)\n"
           "      --counts           write the counts of the distances (each distinct value\n"
           "                         with its rows and same-person rows), not a row a pair:\n"
           "                         the same bytes as pairdist ... | logfit "
           "--counts\n" CLI_HELP_JOBS CLI_HELP_OUTPUT CLI_HELP_STD "\n"
           "Store: one embedding a line, NAME<TAB>v1<TAB>v2..., NAME<TAB>v1,v2,... or\n"
           "NAME<TAB>[v1, v2, ...]; plain or gzip; a first line that is not a vector is a\n"
           "header.\n"
           "\n"
           "Examples:\n"
           "  pairgen ids.yaml | pairdist -m cosine,euclidean_l2 | logfit\n"
           "  pairgen ids.yaml | pairdist -m all --counts > part.counts\n");
    exit(0);
}

/* --missing's words, by dist_opts.skip_missing */
static const char *const missing_words[] = {"error", "skip"};

/* -m LIST into d's metrics */
static void parse_metrics(dist_opts *d, const char *arg)
{
    cli_list l;
    const char *bad;
    cli_list_parse(&l, "--metrics", arg);
    int st = metric_choose((const char *const *)l.item, l.n, d->metrics, &d->nmetrics, &bad);
    if (st == METRIC_LIST_UNKNOWN)
        die_usage("unknown metric '%s' (known: %s, " METRIC_ALL ")", bad, metric_list());
    if (st == METRIC_LIST_TWICE)
        cli_die_twice("--metrics", bad);
    cli_list_free(&l);
}

/* dist_run found no store to read, in pairdist's words. */
static noreturn void no_store(const char *file, uint64_t line)
{
    if (!line)
        die_usage("no embeddings: give the store with -e FILE (%s has no #embeddings= line)",
                  file);
    die_usage("no embeddings: give the store with -e FILE (%s:%llu has an empty #embeddings= "
              "line)",
              file, (unsigned long long)line);
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"metrics", required_argument, NULL, 'm'},
        {"embeddings", required_argument, NULL, 'e'},
        {"column-a", required_argument, NULL, 'a'},
        {"column-b", required_argument, NULL, 'b'},
        {"precision", required_argument, NULL, 'p'},
        {"missing", required_argument, NULL, OPT_MISSING},
        {"output", required_argument, NULL, 'o'},
        {"counts", no_argument, NULL, OPT_COUNTS},
        {"jobs", required_argument, NULL, 'j'},
        CLI_LONGOPTS_END,
    };
    dist_opts d = DIST_OPTS_INIT;
    d.no_store = no_store;
    d.jobs = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":m:e:a:b:p:j:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            parse_metrics(&d, optarg);
            break;
        case 'e':
            d.store = optarg;
            break;
        case 'a':
            d.col_a = optarg;
            break;
        case 'b':
            d.col_b = optarg;
            break;
        case 'p':
            d.precision = cli_precision(optarg);
            break;
        case OPT_MISSING:
            d.skip_missing = cli_keyword("--missing", optarg, missing_words,
                                         sizeof missing_words / sizeof *missing_words);
            break;
        case 'j':
            d.jobs = cli_jobs(optarg);
            break;
        case 'o':
            d.output = optarg;
            break;
        case OPT_COUNTS:
            d.counts = 1;
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
    const char *inputs[] = {d.store, cli_stream_stdin(argv + optind, (size_t)(argc - optind))};
    cli_one_stdin(inputs, (const char *const[]){"-e -", "the stream"}, 2);
    if (!d.jobs)
        d.jobs = cli_jobs_default();
    dist_run(&d, argv + optind, (size_t)(argc - optind));
    return 0;
}
