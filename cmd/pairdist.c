/* pairdist: DeepFace's distances between the embeddings of each pair of the
 * stream, appended as one column per metric. */
#include "common/diag.h"
#include "distances/distances.h"
#include "distances/metric.h"
#include "stream/num.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>

static noreturn void usage(void)
{
    printf("Usage: pairdist [-m METRICS] [-e FILE] [-a COL] [-b COL] [-p N]\n"
           "                [--missing=error|skip] [-o FILE] [FILE ...]\n"
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
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output;\n"
           "                         FILE.gz is written gzip-compressed; FILE must not\n"
           "                         be an input\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "Store: one embedding a line, NAME<TAB>v1<TAB>v2..., NAME<TAB>v1,v2,... or\n"
           "NAME<TAB>[v1, v2, ...]; plain or gzip; a first line that is not a vector is a\n"
           "header.\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m cosine,euclidean_l2 | logfit\n");
    exit(0);
}

enum { OPT_MISSING = CHAR_MAX + 1 };

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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    dist_opts d = DIST_OPTS_INIT;
    int c;
    while ((c = getopt_long(argc, argv, ":m:e:a:b:p:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            d.nmetrics = metric_parse_list(optarg, d.metrics);
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
            d.precision = (int)num_arg_int("--precision", optarg, 0, NUM_PREC_MAX);
            break;
        case OPT_MISSING:
            if (strcmp(optarg, "error") == 0)
                d.skip_missing = 0;
            else if (strcmp(optarg, "skip") == 0)
                d.skip_missing = 1;
            else
                die_usage("invalid value for --missing: '%s' (expected error or skip)", optarg);
            break;
        case 'o':
            d.output = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            diag_version();
        default:
            die_bad_option(c, argv);
        }
    }
    if (d.store && strcmp(d.store, "-") == 0) {
        int stream_stdin = optind == argc;
        for (int i = optind; i < argc; i++)
            stream_stdin |= strcmp(argv[i], "-") == 0;
        if (stream_stdin)
            die_usage("-e - and the stream cannot both be standard input");
    }
    dist_run(&d, argv + optind, (size_t)(argc - optind));
    return 0;
}
