/* pairdist: DeepFace's distances between the embeddings of each pair of the
 * stream, appended as one column per metric. */
#include "deepface.h"
#include "diag.h"
#include "emb.h"
#include "metric.h"
#include "num.h"
#include "out.h"
#include "tsv.h"

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
           "  -o, --output=FILE      write to FILE (atomically) instead of standard output\n"
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

/* "cosine,angular" or "all" into ms[]; returns the count. */
static size_t parse_metrics(const char *arg, int ms[DF_NMETRICS])
{
    size_t n = 0;
    char *list = xstrdup(arg), *save = NULL;
    int seen[DF_NMETRICS] = {0};
    for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int all = strcmp(tok, "all") == 0;
        for (int k = 0; k < DF_NMETRICS; k++) {
            int m = all ? k : deepface_metric(tok);
            if (m < 0)
                die_usage("unknown metric '%s' (known: %s, all)", tok, deepface_metric_list());
            if (seen[m])
                die_usage("metric '%s' given twice in -m '%s'", deepface_metric_names[m], arg);
            seen[m] = 1;
            ms[n++] = m;
            if (!all)
                break;
        }
    }
    if (n == 0 || arg[0] == ',' || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
        die_usage("empty metric in -m '%s' (known: %s, all)", arg, deepface_metric_list());
    free(list);
    return n;
}

typedef struct job {
    const emb *e;
    const int *ms;
    size_t nm;
    int prec, skip, l2, norm;
    size_t ca, cb;
} job;

/* The row of the item in column c, or -1 (an error unless skipping). */
static long lookup(const job *j, const tsv_reader *r, size_t c)
{
    long row = emb_find(j->e, r->f[c].p, r->f[c].n);
    if (row < 0 && !j->skip) {
        char q[DIAG_QUOTE_MAX];
        die_at(r->name, r->line, "no embedding in %s for the item of column '%s' ('%s')",
               j->e->path, r->cols[c], diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
    }
    if (row >= 0 && j->norm && j->e->sqnorm[row] == 0) {
        char q[DIAG_QUOTE_MAX];
        const char *m = "";
        for (size_t k = j->nm; k-- > 0;)
            if (metric_needs_norm(j->ms[k]))
                m = deepface_metric_names[j->ms[k]];
        die_at(r->name, r->line, "%s distance is undefined for a zero vector ('%s')", m,
               diag_quote(q, sizeof q, r->f[c].p, r->f[c].n));
    }
    return row;
}

/* Start fetching the vector of a row from memory: the rows of a pair are
 * anywhere in the store, and a row of 512 floats is 32 cache lines. */
static void prefetch_row(const emb *e, size_t row)
{
#if defined(__GNUC__)
    const char *p = (const char *)emb_vec(e, row);
    for (size_t off = 0; off < e->dim * sizeof(float); off += 64)
        __builtin_prefetch(p + off);
#else
    (void)e;
    (void)row;
#endif
}

/* A row waiting for its distances: its text (copied: the reader reuses its
 * buffer) and the rows of its two items. */
typedef struct pending {
    char *text;
    size_t len, cap;
    size_t ia, ib;
} pending;

static void emit(const job *j, const pending *w, out *o)
{
    const emb *e = j->e;
    double aa = e->sqnorm[w->ia], bb = e->sqnorm[w->ib];
    metric_sums s;
    metric_pass(emb_vec(e, w->ia), emb_vec(e, w->ib), e->dim, aa, bb, j->l2, &s);
    out_write(o, w->text, w->len);
    char *p = out_reserve(o, j->nm * (NUM_FMT_MAX + 1) + 1), *start = p;
    for (size_t k = 0; k < j->nm; k++) {
        *p++ = '\t';
        p += num_fmt_fixed(p, metric_value(j->ms[k], &s, aa, bb), j->prec);
    }
    *p++ = '\n';
    out_commit(o, (size_t)(p - start));
}

/* Every row of r with its distances; returns the rows skipped.  Rows are
 * written LAG rows late, so that the vectors of a row are on their way to
 * the cache while the rows before it are computed. */
enum { LAG = 4 };

static unsigned long long run(const job *j, tsv_reader *r, out *o)
{
    unsigned long long skipped = 0;
    pending w[LAG] = {{0}};
    size_t n = 0; /* rows read and kept: row i waits in w[i % LAG] */
    while (tsv_next(r)) {
        long ia = lookup(j, r, j->ca), ib = lookup(j, r, j->cb);
        if (ia < 0 || ib < 0) {
            skipped++;
            continue;
        }
        prefetch_row(j->e, (size_t)ia);
        prefetch_row(j->e, (size_t)ib);
        pending *p = &w[n % LAG];
        if (n >= LAG)
            emit(j, p, o);
        if (r->len > p->cap) {
            p->cap = r->len + 64;
            p->text = xrealloc(p->text, p->cap);
        }
        memcpy(p->text, r->text, r->len);
        p->len = r->len;
        p->ia = (size_t)ia;
        p->ib = (size_t)ib;
        n++;
    }
    for (size_t i = n > LAG ? n - LAG : 0; i < n; i++)
        emit(j, &w[i % LAG], o);
    for (size_t i = 0; i < LAG; i++)
        free(w[i].text);
    return skipped;
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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int ms[DF_NMETRICS] = {DF_COSINE};
    job j = {.ms = ms, .nm = 1, .prec = 6};
    const char *col_a = "a", *col_b = "b", *store = NULL, *output = NULL;
    int c;
    while ((c = getopt_long(argc, argv, ":m:e:a:b:p:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            j.nm = parse_metrics(optarg, ms);
            break;
        case 'e':
            store = optarg;
            break;
        case 'a':
            col_a = optarg;
            break;
        case 'b':
            col_b = optarg;
            break;
        case 'p':
            j.prec = (int)num_arg_int("--precision", optarg, 0, NUM_PREC_MAX);
            break;
        case OPT_MISSING:
            if (strcmp(optarg, "error") == 0)
                j.skip = 0;
            else if (strcmp(optarg, "skip") == 0)
                j.skip = 1;
            else
                die_usage("invalid value for --missing: '%s' (expected error or skip)", optarg);
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
    if (store && strcmp(store, "-") == 0) {
        int stream_stdin = optind == argc;
        for (int i = optind; i < argc; i++)
            stream_stdin |= strcmp(argv[i], "-") == 0;
        if (stream_stdin)
            die_usage("-e - and the stream cannot both be standard input");
    }
    for (size_t k = 0; k < j.nm; k++) {
        j.l2 |= ms[k] == DF_EUCLIDEAN_L2;
        j.norm |= metric_needs_norm(ms[k]);
    }

    tsv_reader *r = tsv_open(argv + optind, (size_t)(argc - optind));
    j.ca = tsv_require_col(r, col_a);
    j.cb = tsv_require_col(r, col_b);
    for (size_t k = 0; k < j.nm; k++)
        tsv_check_new_col(r, deepface_metric_names[ms[k]]);
    if (!store)
        store = tsv_preamble_get(r, "embeddings");
    if (!store)
        die_usage("no embeddings: give the store with -e FILE (%s has no #embeddings= line)",
                  r->name);
    if (!*store)
        die_usage("no embeddings: give the store with -e FILE (%s has an empty #embeddings= "
                  "line)",
                  r->name);
    emb *e = emb_load(store);
    j.e = e;

    out *o = out_open(output);
    tsv_write_preamble(r, o);
    tsv_write_header_start(r, o);
    for (size_t k = 0; k < j.nm; k++) {
        out_putc(o, '\t');
        out_str(o, deepface_metric_names[ms[k]]);
    }
    out_putc(o, '\n');
    unsigned long long skipped = run(&j, r, o);
    out_close(o);
    if (skipped)
        warnx_("skipped %llu row%s whose item has no embedding in %s", skipped,
               skipped == 1 ? "" : "s", e->path);
    tsv_close(r);
    emb_free(e);
    return 0;
}
