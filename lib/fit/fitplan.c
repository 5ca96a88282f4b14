/* fitplan: columns, thresholds, each column's counts and the fit of each
 * column.  See fitplan.h. */
#include "fit/fitplan.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/prefault.h"
#include "common/strmap.h"
#include "fit/fitplan_impl.h"
#include "fit/logloss.h"
#include "stream/counts_io.h"
#include "stream/num.h"
#include "stream/tsv.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *column_list(const column *c, size_t n)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (c[i].name) /* NULL: a column of the counts moved to those chosen */
            name_list_add(buf, sizeof buf, c[i].name);
    return buf;
}

static void add_column(fitplan *p, size_t idx)
{
    /* the name becomes a key of the model, and confmap's column NAME_confidence */
    const char *name = p->r->cols[idx];
    const char *why = name_check(NAME_COLUMN, name, strlen(name));
    if (why) {
        char q[DIAG_QUOTE_MAX];
        tsv_die_header(p->r, "column name %s ('%s')", why,
                       diag_quote(q, sizeof q, name, strlen(name)));
    }
    p->cols = xreallocarray(p->cols, p->ncols + 1, sizeof *p->cols);
    p->cols[p->ncols] = (column){.name = name, .idx = idx};
    counts_init(&p->cols[p->ncols++].c);
}

/* A column of the counts by name, or NULL. */
static column *found_column(fitplan *p, const char *name)
{
    for (size_t i = 0; i < p->nfound; i++)
        if (p->found[i].name && strcmp(p->found[i].name, name) == 0)
            return &p->found[i];
    return NULL;
}

/* Move a column of the counts into the columns chosen. */
static void take_column(fitplan *p, column *f)
{
    p->cols = xreallocarray(p->cols, p->ncols + 1, sizeof *p->cols);
    p->cols[p->ncols++] = *f;
    *f = (column){0};
}

/* A column chosen when none are named: named like a metric, or (o.scores)
 * like one of confmap's scores. */
static int auto_column(const fitplan *p, const char *name)
{
    if (metric_find(name) >= 0)
        return 1;
    name_score k = name_score_of(name);
    return p->o.scores && (k == NAME_SCORE_CONFIDENCE || k == NAME_SCORE_PROBABILITY);
}

/* The columns: the list's in its order, or every metric column in the
 * stream's order (of the counts: in order of appearance; counted again:
 * every column). */
static void choose_columns(fitplan *p, fitplan_problem *pb)
{
    tsv_reader *r = p->r;
    if (p->is_counts) {
        for (size_t i = 0; i < p->o.ndistances; i++) {
            column *f = found_column(p, p->o.distances[i]);
            if (!f)
                tsv_die_header(r, "the counts have no column '%s' (their columns: %s)",
                               name_q(p->o.distances[i]), fitplan_found_list(p));
            take_column(p, f);
        }
        /* counts counted again keep every column (those of a -d when they
         * were counted too): a merge loses nothing */
        for (size_t i = 0; p->o.ndistances == 0 && i < p->nfound; i++)
            if (p->o.counts_only || auto_column(p, p->found[i].name))
                take_column(p, &p->found[i]);
    } else if (p->o.ndistances > 0) {
        for (size_t i = 0; i < p->o.ndistances; i++)
            add_column(p, tsv_require_col(r, p->o.distances[i]));
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            if (!auto_column(p, r->cols[i]))
                continue;
            tsv_col(r, r->cols[i]); /* a column named twice is an error */
            add_column(p, i);
        }
    }
    /* counts of no rows (an empty shard's) have no column: counted again,
     * they are the same */
    if (p->ncols == 0 && !(p->is_counts && p->nfound == 0 && p->o.counts_only))
        pb->status = FITPLAN_NO_COLUMN;
}

/* Thresholds: -t COL=T, else -t T, else the model's, else tuned. */
static void resolve_thresholds(fitplan *p, fitplan_problem *pb)
{
    static const thrarg none;
    const thrarg *th = p->o.th ? p->o.th : &none;
    const deepface_model *dm = p->o.dm;
    for (size_t i = 0; i < th->n; i++) {
        size_t j = 0;
        while (j < p->ncols && strcmp(p->cols[j].name, th->names[i]) != 0)
            j++;
        if (j == p->ncols) {
            *pb = (fitplan_problem){FITPLAN_THRESHOLD_NOT_COLUMN, th->names[i],
                                    column_list(p->cols, p->ncols)};
            return;
        }
    }
    for (size_t j = 0; j < p->ncols; j++) {
        column *cl = &p->cols[j];
        if (thrarg_get(th, cl->name, &cl->threshold))
            cl->from = FROM_GIVEN;
        if (!cl->from && dm) {
            int mi = metric_find(cl->name);
            if (mi < 0) {
                *pb = (fitplan_problem){FITPLAN_MODEL_NO_THRESHOLD, cl->name,
                                        column_list(p->cols, p->ncols)};
                return;
            }
            cl->from = FROM_MODEL;
            cl->threshold = dm->threshold[mi];
        }
        if (!cl->from) {
            if (!p->has_same) {
                *pb = (fitplan_problem){FITPLAN_NO_THRESHOLD, cl->name, NULL};
                return;
            }
            cl->from = FROM_TUNED;
            p->tune = 1;
        }
    }
}

void fitplan_overflow(const char *file, uint64_t line, const char *name)
{
    die_at(file, line, "column '%s': more than 2^64 - 1 rows in all", name_q(name));
}

/* A part of the counts (a file, or one glued on by cat) lists its columns
 * in its stream's order; the columns are fitted in the order they first
 * came.  So that this order is not that of whichever file came first, the
 * parts must agree: a column first in a part before another is before it
 * in all (unless -d gives the order). */
static noreturn void other_order(const tsv_reader *r, const column *now, const column *before)
{
    die_at(r->name, r->line,
           "column '%s' after column '%s', where %s:%llu has it before: counts of streams with "
           "their columns in other orders (name the order with -d)",
           name_q(now->name), before->name, now->file, (unsigned long long)now->line);
}

/* Every row of counts into the columns found, added. */
static void read_counts(fitplan *p)
{
    tsv_reader *r = p->r;
    counts_reader cr;
    counts_reader_open(&cr, r);
    p->has_same = cr.has_same;
    strmap index;
    strmap_init(&index, 8);
    long prev = -1; /* the column that came last for the first time in this part */
    uint64_t part = r->parts;
    while (tsv_next(r)) {
        const char *name;
        size_t len;
        double v;
        uint64_t n, n_same;
        counts_reader_row(&cr, &name, &len, &v, &n, &n_same);
        if (r->parts != part) {
            part = r->parts;
            prev = -1;
        }
        uint64_t *slot = strmap_get(&index, name, len);
        if (!slot) {
            p->found = xreallocarray(p->found, p->nfound + 1, sizeof *p->found);
            column *f = &p->found[p->nfound];
            /* the name is the map's key: it outlives the map */
            *f = (column){.name = xstrndup(name, len), .file = r->name, .line = r->line};
            counts_init(&f->c);
            int had;
            slot = strmap_put(&index, f->name, len, &had);
            *slot = p->nfound++;
        }
        long at = (long)*slot;
        column *f = &p->found[at];
        if (f->part != part + 1) { /* its first row in this part */
            if (at < prev && p->o.ndistances == 0)
                other_order(r, f, &p->found[prev]);
            prev = at;
            f->part = part + 1;
        }
        if (counts_add(&f->c, v, n, n_same) != 0)
            fitplan_overflow(r->name, r->line, f->name);
    }
    strmap_free(&index);
    p->found_list = xstrdup(column_list(p->found, p->nfound));
}

/* The columns sorted ahead (counts_sorted): helper threads sort them,
 * the largest first, while this thread uses them in order, sorting itself
 * one that no helper has taken.  So sorting overlaps the fits (a small
 * column's sort and fit while a large one is sorted, started at once), and
 * at -j 1 a column's entries are freed before the next is sorted.
 * Sorting prints nothing: the fits, their messages and reports stay in
 * order on this thread.  An error ends the helpers (each after the column
 * it is sorting) before the other cleanups run, as ordered.c's workers. */
typedef struct sort_ahead {
    fitplan *p;
    pthread_mutex_t lock;
    pthread_cond_t sorted_one;
    unsigned char *taken;  /* per column: a thread sorts it */
    unsigned char *sorted; /* per column */
    int stop;              /* an error: take no more columns */
    pthread_t *t;          /* the helpers */
    size_t nt;
    pthread_t caller;
} sort_ahead;

/* Column j sorted, and the threads waiting told. */
static void sort_column(sort_ahead *sa, size_t j)
{
    size_t k;
    counts_sorted(&sa->p->cols[j].c, &k);
    pthread_mutex_lock(&sa->lock);
    sa->sorted[j] = 1;
    pthread_cond_broadcast(&sa->sorted_one);
    pthread_mutex_unlock(&sa->lock);
}

/* Take the largest column no thread has taken (the first of the largest)
 * and sort it: 0 when none is left. */
static int sort_next(sort_ahead *sa)
{
    pthread_mutex_lock(&sa->lock);
    size_t j = SIZE_MAX;
    for (size_t i = 0; i < sa->p->ncols && !sa->stop; i++)
        if (!sa->taken[i] && (j == SIZE_MAX || sa->p->cols[i].c.used > sa->p->cols[j].c.used))
            j = i;
    if (j != SIZE_MAX)
        sa->taken[j] = 1;
    pthread_mutex_unlock(&sa->lock);
    if (j == SIZE_MAX)
        return 0;
    sort_column(sa, j);
    return 1;
}

static void *sort_helper(void *arg)
{
    while (sort_next(arg))
        ;
    return NULL;
}

/* The helpers ended (but the calling thread, should an error in a helper
 * end the program). */
static void join_helpers(sort_ahead *sa)
{
    for (size_t i = 0; i < sa->nt; i++)
        if (!pthread_equal(sa->t[i], pthread_self()))
            pthread_join(sa->t[i], NULL);
    sa->nt = 0;
}

static void sort_ahead_free(sort_ahead *sa)
{
    pthread_cond_destroy(&sa->sorted_one);
    pthread_mutex_destroy(&sa->lock);
    free(sa->t);
    free(sa->taken);
    free(sa->sorted);
}

/* An error ends the program: no helper may sort on into what the other
 * cleanups free, or past a fuzzing harness's longjmp out of sa's frame. */
static void sort_ahead_abandon(void *arg)
{
    sort_ahead *sa = arg;
    pthread_mutex_lock(&sa->lock);
    sa->stop = 1;
    pthread_mutex_unlock(&sa->lock);
    join_helpers(sa);
    if (pthread_equal(pthread_self(), sa->caller))
        sort_ahead_free(sa);
}

/* Start sorting p's columns on the threads o.jobs allows beside this one,
 * at most one for each column but one (none at -j 1, or for one column:
 * each column is then sorted when it is asked for). */
static void sort_ahead_start(sort_ahead *sa, fitplan *p)
{
    size_t jobs = p->o.jobs > 1 ? (size_t)p->o.jobs : 1;
    size_t want = p->ncols > 1 ? (jobs - 1 < p->ncols - 1 ? jobs - 1 : p->ncols - 1) : 0;
    *sa = (sort_ahead){.p = p,
                       .taken = xcalloc(p->ncols ? p->ncols : 1, 1),
                       .sorted = xcalloc(p->ncols ? p->ncols : 1, 1),
                       .t = xreallocarray(NULL, want ? want : 1, sizeof *sa->t),
                       .caller = pthread_self()};
    pthread_mutex_init(&sa->lock, NULL);
    pthread_cond_init(&sa->sorted_one, NULL);
    diag_on_error(sort_ahead_abandon, sa);
    while (sa->nt < want && pthread_create(&sa->t[sa->nt], NULL, sort_helper, sa) == 0)
        sa->nt++;
}

/* Column j's counts, sorted: *k entries.  Sorted here if no helper has
 * taken it, else waited for (were this thread to sort another column
 * meanwhile, a large one would hold up the fit of j). */
static const counts_entry *sort_ahead_column(sort_ahead *sa, size_t j, size_t *k)
{
    pthread_mutex_lock(&sa->lock);
    if (!sa->taken[j]) {
        sa->taken[j] = 1;
        pthread_mutex_unlock(&sa->lock);
        sort_column(sa, j);
    } else {
        while (!sa->sorted[j])
            pthread_cond_wait(&sa->sorted_one, &sa->lock);
        pthread_mutex_unlock(&sa->lock);
    }
    return counts_sorted(&sa->p->cols[j].c, k);
}

/* Every column sorted, the helpers ended. */
static void sort_ahead_end(sort_ahead *sa)
{
    while (sort_next(sa))
        ;
    join_helpers(sa);
    diag_forget_error(sort_ahead_abandon, sa);
    sort_ahead_free(sa);
}

const tsv_reader *fitplan_reader(const fitplan *p)
{
    return p->r;
}
int fitplan_is_counts(const fitplan *p)
{
    return p->is_counts;
}
const char *fitplan_found_list(const fitplan *p)
{
    return p->found_list ? p->found_list : "";
}

fitplan *fitplan_open(const fitplan_opts *o, fitplan_problem *pb)
{
    *pb = (fitplan_problem){FITPLAN_OK, NULL, NULL};
    fitplan *p = xcalloc(1, sizeof *p);
    p->o = *o;
    logloss_set_threads(o->jobs != 1); /* -j 1: no thread of the fit's either */
    prefault_set_threads(o->jobs != 1);
    p->r = tsv_open_or_counts(o->paths, o->npaths);
    p->same_col = -1;
    p->is_counts = counts_is_stream(p->r);
    if (p->is_counts) {
        read_counts(p);
    } else {
        p->same_col = tsv_col(p->r, o->class_col ? o->class_col : "same");
        p->has_same = p->same_col >= 0;
    }
    choose_columns(p, pb);
    if (pb->status || o->counts_only)
        return p;
    if (o->cv) {
        int logistic = 0;
        for (size_t i = 0; i < o->cv->nmethods; i++)
            logistic |= o->cv->methods[i] == METHOD_LOGISTIC;
        if (p->is_counts)
            pb->status = FITPLAN_CV_COUNTS;
        else if (!p->has_same)
            pb->status = FITPLAN_CV_NO_SAME;
        else if (logistic)
            resolve_thresholds(p, pb);
        return p;
    }
    if (o->method != METHOD_LOGISTIC) { /* fitted on `same`: no threshold */
        if (!p->has_same)
            pb->status = FITPLAN_TRUTH_NO_SAME;
        return p;
    }
    resolve_thresholds(p, pb);
    if (pb->status)
        return p;
    if (o->truth && !p->has_same)
        pb->status = FITPLAN_TRUTH_NO_SAME;
    return p;
}

/* The rows of the stream read into the columns' counts (counts: read at
 * open), and their sorting started. */
static void read_input(fitplan *p, sort_ahead *sa)
{
    if (!p->is_counts)
        fitplan_read_rows(p);
    sort_ahead_start(sa, p);
}

void fitplan_read(fitplan *p)
{
    sort_ahead sa;
    read_input(p, &sa);
    sort_ahead_end(&sa);
}

size_t fitplan_ncolumns(const fitplan *p)
{
    return p->ncols;
}

const char *fitplan_column_name(const fitplan *p, size_t j)
{
    return p->cols[j].name;
}

int fitplan_has_class(const fitplan *p)
{
    return p->has_same;
}

const counts_entry *fitplan_column(fitplan *p, size_t j, const char **name, size_t *k)
{
    *name = p->cols[j].name;
    return counts_sorted(&p->cols[j].c, k);
}

void fitplan_write_counts(fitplan *p, out *o)
{
    sort_ahead sa;
    read_input(p, &sa);
    counts_write_head(o, p->r, p->has_same);
    for (size_t j = 0; j < p->ncols; j++) {
        size_t k;
        const counts_entry *e = sort_ahead_column(&sa, j, &k);
        counts_write_column(o, p->cols[j].name, e, k, p->has_same);
        counts_free(&p->cols[j].c);
    }
    sort_ahead_end(&sa);
}

/* The points a column is fitted on: each distinct value once, weighted by
 * its rows (target decision), or once per class present with the rows of
 * that class (target truth: y in *y). */
void fitplan_make_points(points *pt, const counts_entry *e, size_t k, int truth)
{
    size_t cap = truth ? 2 * k : k;
    pt->d = xmalloc_huge(cap, sizeof *pt->d);
    pt->w = xmalloc_huge(cap, sizeof *pt->w);
    pt->y = xmalloc(cap ? cap : 1);
    /* the back halves of the k points sure to be written (the truth's up
     * to 2 k are k when no value has rows of both classes): their fresh
     * pages faulted in while the front is written */
    size_t half = k / 2 * sizeof(double);
    prefault pf[2];
    prefault_start(&pf[0], (char *)pt->d + half, k * sizeof(double) - half);
    prefault_start(&pf[1], (char *)pt->w + half, k * sizeof(double) - half);
    size_t n = 0;
    for (size_t t = 0; t < k; t++) {
        if (!truth) {
            pt->d[n] = e[t].value;
            pt->w[n++] = (double)e[t].n;
            continue;
        }
        if (e[t].n_same > 0) {
            pt->d[n] = e[t].value;
            pt->w[n] = (double)e[t].n_same;
            pt->y[n++] = 1;
        }
        if (e[t].n > e[t].n_same) {
            pt->d[n] = e[t].value;
            pt->w[n] = (double)(e[t].n - e[t].n_same);
            pt->y[n++] = 0;
        }
    }
    prefault_wait(&pf[0]);
    prefault_wait(&pf[1]);
    pt->n = n;
    pt->in_place = 0;
}

void fitplan_points_in_place(points *pt, counts_entry *e, size_t k)
{
    /* first the pairs (d, w) front to back, pair t in bytes [16 t, 16 t +
     * 16): within entries already read (entry t starts at 24 t); stored
     * by memcpy, which may alias the entries' fields */
    char *at = (char *)e;
    for (size_t t = 0; t < k; t++) {
        double dw[2] = {e[t].value, (double)e[t].n};
        memcpy(at + 16 * t, dw, sizeof dw);
    }
    /* then d to [0, 8 k), front to back (d[t] ends at or before pair t
     * starts, but for t = 0, read first), and w to [16 k, 24 k), free */
    double *pair = (double *)e, *d = pair, *w = k ? pair + 2 * k : pair;
    for (size_t t = 0; t < k; t++) {
        double dt = pair[2 * t], wt = pair[2 * t + 1];
        d[t] = dt;
        w[t] = wt;
    }
    pt->d = d;
    pt->w = w;
    pt->y = xmalloc(k ? k : 1);
    pt->n = k;
    pt->in_place = 1;
}

void fitplan_free_points(points *pt)
{
    free(pt->d);
    if (!pt->in_place)
        free(pt->w);
    free(pt->y);
}

logreg_result fitplan_platt(const char *file, const char *name, const counts_entry *e, size_t k,
                            double *w, double *b)
{
    logreg_result r = calib_fit_platt(e, k, w, b);
    if (!isfinite(*w) || !isfinite(*b)) {
        char big[NUM_FMT_MAX];
        num_fmt_shortest(big, k ? fmax(fabs(e[0].value), fabs(e[k - 1].value)) : 0);
        die("%s: column '%s': the distances are too small for Platt's fit (the largest is %s): "
            "its slope would pass the largest double; scale them",
            file, name_q(name), big);
    }
    return r;
}

/* The weights are doubles: exact integers up to 2^53 rows. */
#define FIT_ROWS_MAX (UINT64_C(1) << 53)

/* A calibrated method's fit of one column's counts into m. */
static void fit_calibrated(const fitplan *p, const column *cl, const counts_entry *e, size_t k,
                           model_metric *m)
{
    const char *file = p->r->name;
    model_method method = p->o.method;
    if (k == 0)
        die("%s: column '%s': no rows to fit", file, name_q(cl->name));
    memset(m, 0, sizeof *m);
    m->name = xstrdup(cl->name);
    m->method = method;
    m->has_info = 1;
    m->n = cl->c.rows;
    m->n_true = cl->c.rows_same;
    m->has_range = 1;
    m->range_min = e[0].value;
    m->range_max = e[k - 1].value;
    if (m->n_true == 0 || m->n_true == m->n)
        warnx_("%s: column '%s': all %" PRIu64 " rows have same = %d: the %s fit has one class "
               "to learn from",
               file, name_q(cl->name), m->n, m->n_true ? 1 : 0, method_names[method]);
    if (method == METHOD_PLATT) {
        logreg_result r = fitplan_platt(file, cl->name, e, k, &m->fit.w, &m->fit.b);
        if (!r.converged)
            warnx_("%s: column '%s': Platt's fit stopped short of the optimum after %d steps "
                   "(gradient norm %g)",
                   file, name_q(cl->name), r.iterations, r.grad_norm);
    } else if (method == METHOD_ISOTONIC) {
        calib_fit_isotonic(e, k, &m->curve);
    } else {
        calib_fit_venn_abers(e, k, &m->curve);
    }
}

/* A tuned threshold that leaves a class almost alone on its side, with
 * less than 1% of the class's rows: the distances hardly separate the
 * classes (the best accuracy is nearly the majority's), and the model's
 * confidences all crowd at one end.  Said, as it does not stop the fit. */
static void warn_degenerate(const char *file, const column *cl, const counts_entry *e, size_t k,
                            double t, uint64_t correct, int truth)
{
    uint64_t at = 0; /* the rows at or below t: the 'same' side */
    for (size_t i = 0; i < k && e[i].value <= t; i++)
        at += e[i].n;
    uint64_t rows = cl->c.rows, same = cl->c.rows_same, diff = rows - same;
    int few_same = at < same / 100.0, few_diff = (double)(rows - at) < diff / 100.0;
    /* (none on a side: the article's fit refuses it, with its error; fitted
     * on the truth it is not refused, and is said here) */
    if ((!few_same && !few_diff) || (!truth && (at == 0 || at == rows)))
        return;
    char tb[NUM_FMT_MAX];
    num_fmt_shortest(tb, t);
    uint64_t side = few_same ? at : rows - at;
    warnx_("%s: column '%s': the tuned threshold %s leaves %" PRIu64 " row%s on the %s side, "
           "where %" PRIu64 " rows have same = %d (accuracy %.4f; %.4f calling every pair %s): "
           "the distances hardly separate the classes, and the model is nearly degenerate",
           file, name_q(cl->name), tb, side, side == 1 ? "" : "s",
           few_same ? "same" : "different", few_same ? same : diff, few_same,
           (double)correct / (double)rows, (double)(same > diff ? same : diff) / (double)rows,
           same > diff ? "same" : "different");
}

const model *fitplan_fit(fitplan *p)
{
    const fitplan_opts *o = &p->o;
    sort_ahead sa;
    read_input(p, &sa);
    const char *name = p->r->name; /* the last input's */
    model *md = &p->md;
    const char *em = tsv_preamble_get(p->r, "model");
    if (em && *em)
        md->embedding_model = xstrdup(em);
    md->n = p->ncols;
    md->m = xcalloc(p->ncols, sizeof *md->m);
    for (size_t j = 0; j < p->ncols; j++) {
        column *cl = &p->cols[j];
        size_t k;
        const counts_entry *e = sort_ahead_column(&sa, j, &k);
        if (cl->c.rows > FIT_ROWS_MAX)
            die("%s: column '%s': %" PRIu64 " rows: the fit adds them up exactly only to 2^53",
                name, name_q(cl->name), cl->c.rows);
        if (o->method != METHOD_LOGISTIC) {
            fit_calibrated(p, cl, e, k, &md->m[j]);
            if (o->report_calibrated)
                o->report_calibrated(&md->m[j], e, k);
            counts_free(&cl->c);
            continue;
        }
        uint64_t correct = 0;
        if (cl->from == FROM_TUNED) {
            cl->threshold = measure_tune_threshold(e, k, &correct);
            warn_degenerate(name, cl, e, k, cl->threshold, correct, o->truth);
        }
        points pt;
        if (!o->truth && !o->report) { /* nothing reads the entries after the points */
            fitplan_points_in_place(&pt, counts_consume(&cl->c, &k), k);
            e = NULL;
        } else
            fitplan_make_points(&pt, e, k, o->truth);
        fit_input in = {
            .file = name,
            .name = cl->name,
            .d = pt.d,
            .wgt = pt.w,
            .n = pt.n,
            .same = o->truth ? pt.y : NULL,
            .threshold = cl->threshold,
            .truth = o->truth,
            .C = o->C,
            .report = o->report != NULL,
            .ybuf = pt.y,
        };
        fit_outcome res;
        model_metric *m = &md->m[j];
        fit_column(&in, m, &res);
        snprintf(m->threshold_from, sizeof m->threshold_from, "%s",
                 cl->from == FROM_MODEL   ? o->dm->name
                 : cl->from == FROM_GIVEN ? "given"
                                          : "tuned");
        if (cl->from == FROM_TUNED) {
            m->has_accuracy = 1;
            m->accuracy = (double)correct / (double)cl->c.rows;
        }
        if (o->report) {
            measure_report mr;
            measure_column(&in, m, &res, p->has_same ? e : NULL, k, &mr);
            o->report(m, &res, &mr);
        }
        fitplan_free_points(&pt);
        counts_free(&cl->c);
    }
    sort_ahead_end(&sa);
    return md;
}

static void free_columns(column *c, size_t n, int own_names)
{
    for (size_t j = 0; j < n; j++) {
        counts_free(&c[j].c);
        if (own_names)
            free((char *)c[j].name);
    }
    free(c);
}

void fitplan_free(fitplan *p)
{
    if (!p)
        return;
    free_columns(p->cols, p->ncols, p->is_counts);
    free_columns(p->found, p->nfound, 1);
    free(p->found_list);
    model_clear(&p->md);
    tsv_close(p->r);
    free(p);
}
