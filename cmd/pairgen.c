/* pairgen: the same-identity and different-identity pairs of an identities
 * YAML file, as a TSV stream. */
#include "diag.h"
#include "ids.h"
#include "num.h"
#include "out.h"
#include "pairs.h"

#include <getopt.h>
#include <stdnoreturn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static noreturn void usage(void)
{
    printf("Usage: pairgen [-iNP] [-n COUNT] [-s SEED] [-k K/N] [-o FILE] [FILE]\n"
           "Write the pairs of items of an identities YAML file as TSV: every pair of\n"
           "one identity (same=1), then every pair of two identities (same=0), in the\n"
           "order of the file.  With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -P, --positives-only   only the pairs of one identity\n"
           "  -N, --negatives-only   only the pairs of two identities\n"
           "  -n, --negatives=COUNT  a uniform sample of COUNT negatives, without\n"
           "                         replacement, in file order; COUNT is a number (500)\n"
           "                         or a ratio to the positives (2x, 0.5x)\n"
           "  -s, --seed=SEED        the sample's seed (default 0): same seed, same sample\n"
           "  -k, --shard=K/N        only rows K, K+N, K+2N, ... (0 <= K < N), so that N\n"
           "                         machines split the work\n"
           "  -i, --identities       add the columns id_a and id_b\n"
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output;\n"
           "                         FILE.gz is written gzip-compressed; FILE must not\n"
           "                         be an input\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "Output columns: a, b, same (and id_a, id_b).  When the file names its\n"
           "embeddings, a first line #embeddings=PATH tells pairdist where they are.\n"
           "\n"
           "Example:\n"
           "  pairgen -n 1x ids.yaml | pairdist -m cosine | logfit\n");
    exit(0);
}

/* "K/N" */
static void parse_shard(const char *arg, uint64_t *k, uint64_t *n)
{
    const char *slash = strchr(arg, '/');
    if (!slash)
        die_usage("invalid value for --shard: '%s' (expected K/N, e.g. 0/4)", arg);
    char *kstr = xstrndup(arg, (size_t)(slash - arg));
    *n = (uint64_t)num_arg_int("--shard", slash + 1, 1, INT64_MAX);
    char *end;
    long long kv = strtoll(kstr, &end, 10);
    if (*kstr == '\0' || *end != '\0' || kv < 0 || (uint64_t)kv >= *n)
        die_usage("invalid value for --shard: '%s' (expected K/N with 0 <= K < N)", arg);
    *k = (uint64_t)kv;
    free(kstr);
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"positives-only", no_argument, NULL, 'P'},
        {"negatives-only", no_argument, NULL, 'N'},
        {"negatives", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"shard", required_argument, NULL, 'k'},
        {"identities", no_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    pairs_opts o = {.positives = 1, .negatives = 1, .shard_n = 1};
    const char *output = NULL, *count_arg = NULL;
    int c;
    while ((c = getopt_long(argc, argv, ":PNn:s:k:io:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'P': o.negatives = 0; break;
        case 'N': o.positives = 0; break;
        case 'n': count_arg = optarg; break;
        case 's': o.seed = (uint64_t)num_arg_int("--seed", optarg, 0, INT64_MAX); break;
        case 'k': parse_shard(optarg, &o.shard_k, &o.shard_n); break;
        case 'i': o.id_columns = 1; break;
        case 'o': output = optarg; break;
        case 'h': usage();
        case 'V': diag_version();
        default: die_bad_option(c, argv);
        }
    }
    if (!o.positives && !o.negatives)
        die_usage("--positives-only and --negatives-only exclude each other");
    if (argc - optind > 1)
        die_usage("too many files: one identities file at a time");
    if (count_arg && !o.negatives)
        die_usage("--negatives samples negatives, but --positives-only drops them");
    const char *path = optind < argc ? argv[optind] : "-";

    out *w = out_open(output);
    out_refuse_input(w, path, "the identities file");
    ids *s = ids_load(path);
    if (count_arg) {
        size_t len = strlen(count_arg);
        o.sample = 1;
        if (len > 1 && count_arg[len - 1] == 'x') {
            char *r = xstrndup(count_arg, len - 1);
            double ratio = num_arg("--negatives", r);
            free(r);
            if (ratio < 0)
                die_usage("invalid value for --negatives: '%s' (a ratio is not negative)",
                          count_arg);
            double want = ratio * (double)pairs_positive_count(s);
            o.sample_count = want >= 1.8e19 ? UINT64_MAX : (uint64_t)(want + 0.5);
        } else {
            o.sample_count = (uint64_t)num_arg_int("--negatives", count_arg, 0, INT64_MAX);
        }
    }
    char *emb = ids_embeddings_path(s, path);
    if (emb) {
        out_str(w, "#embeddings=");
        out_str(w, emb);
        out_putc(w, '\n');
        free(emb);
    }
    pairs_write(s, &o, w);
    out_close(w);
    ids_free(s);
    return 0;
}
