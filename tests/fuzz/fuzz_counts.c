/* Fuzz target: the counts reader (stream/counts_io.h) and logfit's path
 * through it (fitplan: counts read whole, added per column).  The input is
 * read as one file, or (n odd) as the same file given twice, so that the
 * repeated preamble and header and the sums across files run too.  What
 * parses obeys the format's promises (a valid column name, a finite value,
 * 1 <= n, n_same <= n), and written back with counts_write_head and
 * counts_write_column it reads back as the same counts, entry for entry,
 * and writes the same bytes again. */
#include "fuzz.h"
#include "fit/fitplan.h"
#include "stream/counts_io.h"
#include "stream/tsv.h"

#include <math.h>
#include <string.h>

/* The counts of one file, per column in order of appearance. */
typedef struct col {
    char *name;
    counts c;
} col;
typedef struct table {
    col *cols;
    size_t n;
    int has_same;
    tsv_reader *r;
} table;

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->cols[i].name);
        counts_free(&t->cols[i].c);
    }
    free(t->cols);
    if (t->r)
        tsv_close(t->r);
    memset(t, 0, sizeof *t);
}

/* Read path (npaths times) as counts into t; 0 when it is not counts or a
 * sum overflows (the programs stop there too).  An error longjmps out. */
static int table_read(table *t, const char *path, size_t npaths)
{
    char *paths[2] = {(char *)path, (char *)path};
    memset(t, 0, sizeof *t);
    t->r = tsv_open(paths, npaths);
    if (!counts_is_stream(t->r))
        return 0;
    counts_reader cr;
    counts_reader_open(&cr, t->r);
    t->has_same = cr.has_same;
    while (tsv_next(t->r)) {
        const char *name;
        size_t len;
        double v;
        uint64_t n, n_same;
        counts_reader_row(&cr, &name, &len, &v, &n, &n_same);
        fuzz_check_name(NAME_COLUMN, name, len);
        if (!isfinite(v) || n == 0 || n_same > n || (!cr.has_same && n_same != 0))
            abort(); /* the reader let in what the format forbids */
        size_t i = 0;
        while (i < t->n && !(strlen(t->cols[i].name) == len && memcmp(t->cols[i].name, name, len) == 0))
            i++;
        if (i == t->n) {
            t->cols = xreallocarray(t->cols, t->n + 1, sizeof *t->cols);
            t->cols[i].name = xstrndup(name, len);
            counts_init(&t->cols[i].c);
            t->n++;
        }
        if (counts_add(&t->cols[i].c, v, n, n_same) != 0)
            return 0;
    }
    return 1;
}

/* Write t as counts into path: the preamble of its reader, every column. */
static void table_write(table *t, const char *path)
{
    out *o = out_open(path);
    counts_write_head(o, t->r, t->has_same);
    for (size_t i = 0; i < t->n; i++) {
        size_t k;
        const counts_entry *e = counts_sorted(&t->cols[i].c, &k);
        for (size_t j = 0; j < k; j++)
            if (e[j].n == 0 || e[j].n_same > e[j].n || (j > 0 && !(e[j - 1].value < e[j].value)))
                abort(); /* sorted, distinct, counted */
        counts_write_column(o, t->cols[i].name, e, k, t->has_same);
    }
    out_close(o);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap)
            buf = xrealloc(buf, cap = cap ? 2 * cap : 4096);
        size_t got = fread(buf + len, 1, cap - len, f);
        if (got == 0)
            break;
        len += got;
    }
    fclose(f);
    *n = len;
    return buf;
}

static char tmp_dir[64], tmp_files[3][64];

/* The folder removed when the fuzzer exits. */
static void tmp_clean(void)
{
    for (int i = 0; i < 3; i++)
        unlink(tmp_files[i]);
    rmdir(tmp_dir);
}

/* Files in a folder of our own: a.counts, b.counts, c.counts. */
static const char *tmp_path(char which)
{
    /* tmpfs when there is one: out_close fsyncs each file */
    static char dir[] = "/dev/shm/fuzz-counts.XXXXXX", tmp[] = "/tmp/fuzz-counts.XXXXXX";
    static char path[3][64];
    if (!path[0][0]) {
        char *d = mkdtemp(dir) ? dir : mkdtemp(tmp);
        if (!d)
            abort();
        for (int i = 0; i < 3; i++)
            snprintf(path[i], sizeof path[i], "%s/%c.counts", d, 'a' + i);
        snprintf(tmp_dir, sizeof tmp_dir, "%s", d);
        memcpy(tmp_files, path, sizeof path);
        atexit(tmp_clean);
    }
    return path[which - 'a'];
}

/* An error on what we wrote ourselves is a bug: crash, not longjmp. */
static void fuzz_abort(int status)
{
    (void)status;
    abort();
}

/* Tables left by an input refused half-way are not freed (as the other
 * targets, leaks after an error are left to valgrind): the programs exit. */
static void round_trip(const char *path, size_t n)
{
    table t1, t2;
    if (!table_read(&t1, path, n % 2 ? 2 : 1)) {
        table_free(&t1);
        return;
    }
    const char *a = tmp_path('a'), *b = tmp_path('b');
    table_write(&t1, a);
    diag_set_fail_hook(fuzz_abort);
    if (!table_read(&t2, a, 1))
        abort();
    if (t2.n != t1.n || t2.has_same != t1.has_same)
        abort();
    for (size_t i = 0; i < t1.n; i++) {
        if (strcmp(t1.cols[i].name, t2.cols[i].name) != 0)
            abort();
        size_t k1, k2;
        const counts_entry *e1 = counts_sorted(&t1.cols[i].c, &k1);
        const counts_entry *e2 = counts_sorted(&t2.cols[i].c, &k2);
        if (k1 != k2)
            abort();
        for (size_t j = 0; j < k1; j++)
            if (memcmp(&e1[j].value, &e2[j].value, sizeof(double)) != 0 || e1[j].n != e2[j].n ||
                e1[j].n_same != e2[j].n_same)
                abort(); /* the same double, bit for bit, and the same counts */
    }
    table_write(&t2, b);
    size_t na, nb;
    char *ba = slurp(a, &na), *bb = slurp(b, &nb);
    if (na != nb || memcmp(ba, bb, na) != 0)
        abort(); /* writing what was read back writes the same bytes */
    free(ba);
    free(bb);
    table_free(&t1);
    table_free(&t2);
    diag_set_fail_hook(fuzz_fail);
}

/* logfit's own path: the counts read and added per column, the columns
 * chosen, and written as logfit --counts writes them. */
static void fitplan_path(const char *path, size_t n)
{
    char *paths[2] = {(char *)path, (char *)path};
    fitplan_opts o = {.paths = paths, .npaths = n % 2 ? 2 : 1, .C = 1, .counts_only = 1};
    fitplan_problem pb;
    fitplan *p = fitplan_open(&o, &pb);
    if (pb.status == FITPLAN_OK && fitplan_is_counts(p)) {
        out *w = out_open(tmp_path('c'));
        fitplan_write_counts(p, w);
        out_close(w);
    }
    fitplan_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fuzz_run(data, n, round_trip);
    return fuzz_run(data, n, fitplan_path);
}
