/* pairgen: the same-identity and different-identity pairs of an identities
 * YAML file, as a TSV stream; or, with --probes, the pairs to score. */
#include "cli/cli.h"
#include "common/diag.h"
#include "pairs/ids.h"
#include "pairs/namelist.h"
#include "stream/num.h"
#include "stream/out.h"
#include "pairs/pairs.h"
#include "pairs/pairset.h"
#include "pairs/probes.h"

#include <stdnoreturn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static noreturn void usage(void)
{
    printf("Usage: pairgen [-iNP] [-n COUNT] [-s SEED] [-k K/N] [-e FILE] [--probes=LIST]\n"
           "               [--gallery=LIST] [--exclude=FILE] [-o FILE] [FILE]\n"
           "Write the pairs of items of an identities YAML file as TSV: every pair of\n"
           "one identity (same=1), then every pair of two identities (same=0), in the\n"
           "order of the file.  With no FILE, or when FILE is -, read standard input.\n"
           "With --probes, write the pairs that score new data instead: every name of\n"
           "LIST against every item of a gallery.\n"
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
           "  -e, --embeddings=FILE  the embedding store, for the #embeddings= line (in\n"
           "                         place of the identities file's)\n"
           "      --probes=LIST      pair each name of LIST (one a line; - is standard\n"
           "                         input) with every item of the gallery: --gallery's,\n"
           "                         else the names of -e's store, else FILE's items\n"
           "      --gallery=LIST     the gallery: the names of LIST (one a line)\n"
           "      --exclude=FILE     leave out the pairs of FILE, a TSV stream with the\n"
           "                         columns a and b (the training pairs), in either order\n"
           CLI_HELP_OUTPUT
           CLI_HELP_STD
           "\n"
           "Output columns: a, b, same (and id_a, id_b).  With --probes, same only when\n"
           "every name is an item of FILE; FILE is then read when given or when it is\n"
           "the gallery.  When the embeddings are known, a first line #embeddings=PATH\n"
           "tells pairdist where they are.\n"
           "\n"
           "Examples:\n"
           "  pairgen -n 1x ids.yaml | pairdist -m cosine | logfit -o model.yaml\n"
           "  pairgen --probes=new.txt -e store.tsv | pairdist | confmap -M model.yaml\n");
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

/* The identities file's name in messages. */
static const char *ids_name(const char *path) { return strcmp(path, "-") == 0 ? "<stdin>" : path; }

/* "no pairs", "no positives", "no negatives": one line, when the file gives
 * nothing of a kind that was asked for (the output is still valid). */
static void warn_ids_pairs(const ids *s, const char *path, const pairs_opts *o)
{
    uint64_t npos = pairs_positive_count(s), nneg = pairs_negative_count(s);
    if (npos + nneg == 0)
        warnx_("%s: no pairs: %s", ids_name(path),
               s->nitems == 0 ? "no identity has items" : "the file has one item only");
    else if (o->positives && npos == 0)
        warnx_("%s: no positives: no identity has two items, so every pair is same=0",
               ids_name(path));
    else if (o->negatives && nneg == 0)
        warnx_("%s: no negatives: only one identity has items, so every pair is same=1",
               ids_name(path));
}

/* Why --probes wrote nothing, when the inputs say so. */
static void warn_probe_pairs(const probes_stats *st, const namelist *probes,
                             const char *gallery_name, const pairset *ex, int sharded)
{
    if (st->nprobes == 0)
        warnx_("%s: no pairs: the list of probes is empty", probes->path);
    else if (st->ngallery == 0)
        warnx_("%s: no pairs: the gallery is empty", gallery_name);
    else if (st->written == 0 && !sharded && st->excluded == 0)
        warnx_("no pairs: the only pair is an item with itself"); /* one probe, one item */
    else if (st->written == 0 && !sharded)
        warnx_("no pairs: every pair is %sin %s", st->self ? "an item with itself or " : "",
               pairset_name(ex));
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
        {"embeddings", required_argument, NULL, 'e'},
        {"probes", required_argument, NULL, OPT_PROBES},
        {"gallery", required_argument, NULL, OPT_GALLERY},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"output", required_argument, NULL, 'o'},
        CLI_LONGOPTS_END,
    };
    pairs_opts o = {.positives = 1, .negatives = 1, .shard_n = 1};
    const char *output = NULL, *count_arg = NULL, *emb_path = NULL;
    const char *probes_path = NULL, *gallery_path = NULL, *exclude_path = NULL;
    int c, kinds = 0;
    while ((c = getopt_long(argc, argv, ":PNn:s:k:ie:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'P': o.negatives = 0; kinds = 1; break;
        case 'N': o.positives = 0; kinds = 1; break;
        case 'n': count_arg = optarg; break;
        case 's': o.seed = (uint64_t)num_arg_int("--seed", optarg, 0, INT64_MAX); break;
        case 'k': parse_shard(optarg, &o.shard_k, &o.shard_n); break;
        case 'i': o.id_columns = 1; break;
        case 'e': emb_path = optarg; break;
        case OPT_PROBES: probes_path = optarg; break;
        case OPT_GALLERY: gallery_path = optarg; break;
        case OPT_EXCLUDE: exclude_path = optarg; break;
        case 'o': output = optarg; break;
        default: cli_other_option(c, argv, usage);
        }
    }
    if (!o.positives && !o.negatives)
        die_usage("--positives-only and --negatives-only exclude each other");
    if (argc - optind > 1)
        die_usage("too many files: one identities file at a time");
    if (count_arg && !o.negatives)
        die_usage("--negatives samples negatives, but --positives-only drops them");
    if (gallery_path && !probes_path)
        die_usage("--gallery is the other side of --probes, which is missing");
    if (probes_path && (kinds || count_arg))
        die_usage("--probes pairs names with a gallery: -P, -N and -n choose among the "
                  "pairs of an identities file");
    if (emb_path && strpbrk(emb_path, "\n\r"))
        die_usage("invalid value for --embeddings: a newline cannot go in the "
                  "#embeddings= line");
    /* With --probes, FILE is read when given or when it is the gallery. */
    const char *path = optind < argc ? argv[optind]
                       : probes_path && (gallery_path || emb_path) ? NULL
                                                                  : "-";
    int emb_read = probes_path && !gallery_path && emb_path;
    const char *const inputs[] = {path, probes_path, gallery_path, exclude_path,
                                  emb_read ? emb_path : NULL};
    const char *const what[] = {"the identities file", "--probes", "--gallery", "--exclude",
                                "--embeddings"};
    cli_one_stdin(inputs, what, sizeof inputs / sizeof *inputs);
    if (o.id_columns && !path)
        die_usage("--identities needs an identities file");

    out *w = out_open(output);
    out_refuse_input(w, path, "the identities file");
    out_refuse_input(w, probes_path, "the --probes list");
    out_refuse_input(w, gallery_path, "the --gallery list");
    out_refuse_input(w, exclude_path, "the --exclude file");
    if (emb_read)
        out_refuse_input(w, emb_path, "the embedding store");
    ids *s = path ? ids_load(path) : NULL;
    namelist *probes = probes_path ? namelist_read(probes_path) : NULL;
    namelist *gallery = gallery_path ? namelist_read(gallery_path)
                        : emb_read    ? namelist_read_store(emb_path)
                                      : NULL;
    pairset *ex = exclude_path ? pairset_read(exclude_path) : NULL;
    if (count_arg)
        pairs_set_sample(&o, s, "--negatives", count_arg);
    pairs_write_preamble(w, emb_path, s, path);
    probes_stats st;
    uint64_t written = 0;
    if (probes) {
        probes_job j = {.probes = probes, .gallery = gallery, .s = s, .exclude = ex,
                        .shard_k = o.shard_k, .shard_n = o.shard_n,
                        .id_columns = o.id_columns};
        probes_write(&j, w, &st);
    } else {
        warn_ids_pairs(s, path, &o);
        o.exclude = ex;
        written = pairs_write(s, &o, w);
    }
    out_close(w);
    /* what the output lacks, said once it is complete */
    if (probes) {
        warn_probe_pairs(&st, probes, gallery ? gallery->path : ids_name(path), ex,
                         o.shard_n > 1);
        if (s && !st.same && (st.probes_known > 0 || (gallery && st.gallery_known > 0))) {
            const namelist *l = st.first_unknown_probe != SIZE_MAX ? probes : gallery;
            size_t k = l == probes ? st.first_unknown_probe : st.first_unknown_gallery;
            char q[DIAG_QUOTE_MAX];
            warnx_("no column 'same': '%s' (%s:%llu) is not an item of %s",
                   diag_quote(q, sizeof q, l->name[k], l->len[k]), l->path,
                   (unsigned long long)l->line[k], ids_name(path));
        }
    } else if (written == 0 && o.excluded > 0 && o.shard_n == 1) {
        warnx_("no pairs: every pair is in %s", pairset_name(ex));
    }
    pairset_free(ex);
    namelist_free(gallery);
    namelist_free(probes);
    if (s)
        ids_free(s);
    return 0;
}
