/* mapping: confmap's engine: the metrics chosen, their parameters and
 * thresholds settled, the stream copied with its confidences.  See
 * mapping.h. */
#include "mapping/mapping.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/ordered.h"
#include "mapping/model.h"
#include "stream/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One metric to map: its column and its parameters. */
typedef struct map_job {
    const char *name;
    size_t col;
    model_method method;
    const calib_curve *curve; /* isotonic, venn-abers: the model's */
    conf_style style;         /* CONF_PROBABILITY for a calibrated metric */
    conf_params c;            /* c.threshold: the band's (same or different) */
    double decide;            /* METRIC_verified: d <= decide */
    int decide_by_p;          /* METRIC_verified: probability >= 1/2 (calibrated, no -t) */
    int has_threshold;
    int has_range; /* the range fitted on, from the model file */
    double range_min, range_max;
    uint64_t outside; /* distances outside it */
} map_job;

struct mapper {
    map_opts o;
    model *md;
    map_job *jobs;
    size_t njobs;
    uint64_t rows;
    map_mismatch mismatch; /* .got NULL: none */
};

static const char *model_metric_list(const model *md)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < md->n; i++)
        name_list_add(buf, sizeof buf, md->m[i].name);
    return buf;
}

/* DeepFace's model as a list of metric blocks (names only: the parameters
 * come from its tables). */
static model *deepface_as_model(void)
{
    model *md = xcalloc(1, sizeof *md);
    md->n = METRIC_N;
    md->m = xcalloc(METRIC_N, sizeof *md->m);
    for (int i = 0; i < METRIC_N; i++)
        md->m[i].name = xstrdup(metric_names[i]);
    return md;
}

mapper *map_new(const map_opts *o, map_problem *pb)
{
    *pb = (map_problem){MAP_OK, NULL, NULL};
    mapper *m = xcalloc(1, sizeof *m);
    m->o = *o;
    if (!o->style_given) /* a DeepFace user gets DeepFace's numbers (a calibrated
                            metric its probability: settle) */
        m->o.style = o->model_path ? CONF_CLAMPED : CONF_DEEPFACE;
    m->md = o->model_path ? model_read(o->model_path) : deepface_as_model();
    if (o->th)
        for (size_t i = 0; i < o->th->n; i++)
            if (!model_find(m->md, o->th->names[i])) {
                *pb = (map_problem){MAP_THRESHOLD_UNKNOWN, o->th->names[i],
                                    model_metric_list(m->md)};
                break;
            }
    return m;
}

/* (jobs has room for every metric of the model: each is chosen once) */
static void add_job(mapper *m, const char *name, size_t col)
{
    m->jobs[m->njobs].name = name;
    m->jobs[m->njobs++].col = col;
}

/* Which metrics: -m's, in its order, or the model's that are columns, in the
 * stream's order. */
static void choose(mapper *m, const tsv_reader *r, map_problem *pb)
{
    model *md = m->md;
    m->jobs = xcalloc(md->n, sizeof *m->jobs);
    if (m->o.nmetrics > 0) {
        for (size_t i = 0; i < m->o.nmetrics && m->njobs < md->n; i++) {
            const char *s = m->o.metrics[i];
            model_metric *mm = model_find(md, s);
            if (!mm) {
                *pb = (map_problem){MAP_METRIC_UNKNOWN, s, model_metric_list(md)};
                return;
            }
            add_job(m, mm->name, tsv_require_col(r, s));
        }
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            model_metric *mm = model_find(md, r->cols[i]);
            if (!mm)
                continue;
            tsv_col(r, mm->name); /* a column named twice is an error */
            add_job(m, mm->name, i);
        }
        if (m->njobs == 0)
            tsv_die_header(r,
                           "no metric of the model is a column of the stream (model: %s; "
                           "columns: %s)",
                           model_metric_list(md), tsv_col_list(r));
    }
}

/* Parameters and thresholds: -t, else the file's, else --model's; in style
 * deepface, -t decides only (see mapping.h). */
static void settle(mapper *m, map_problem *pb)
{
    const deepface_model *dm = m->o.dm;
    /* A style is for the metrics of its kind (probability: calibrated; the
     * others: logistic), the other kind keeping its default; one that fits
     * no metric mapped is a mistake. */
    const map_job *calibrated = NULL, *logistic = NULL;
    conf_style logistic_style = m->o.style == CONF_PROBABILITY ? CONF_CLAMPED : m->o.style;
    for (size_t j = 0; j < m->njobs; j++) {
        map_job *jb = &m->jobs[j];
        model_metric *mm = model_find(m->md, jb->name);
        int dfi = metric_find(jb->name);
        jb->style = logistic_style;
        if (m->o.model_path && mm->method != METHOD_LOGISTIC) {
            if (!calibrated)
                calibrated = jb;
            jb->method = mm->method;
            jb->style = CONF_PROBABILITY;
            jb->curve = &mm->curve;
            jb->c.fit = mm->fit;
            jb->has_range = mm->has_range;
            jb->range_min = mm->range_min;
            jb->range_max = mm->range_max;
            jb->has_threshold = mm->has_threshold;
            jb->decide = mm->threshold;
            double t;
            if (m->o.th && thrarg_get(m->o.th, jb->name, &t)) {
                jb->decide = t;
                jb->has_threshold = 1;
            }
            jb->decide_by_p = !jb->has_threshold;
            continue;
        }
        if (!logistic)
            logistic = jb;
        if (m->o.model_path) {
            jb->c.fit = mm->fit;
            jb->has_threshold = mm->has_threshold;
            jb->c.threshold = mm->has_threshold ? mm->threshold : 0;
            if (!jb->has_threshold && dm && dfi >= 0) {
                jb->c.threshold = dm->threshold[dfi];
                jb->has_threshold = 1;
            }
            jb->has_range = mm->has_range;
            jb->range_min = mm->range_min;
            jb->range_max = mm->range_max;
        } else {
            jb->c.threshold = dm->threshold[dfi];
            if (dm->constants)
                jb->c.fit = dm->constants[dfi];
            else
                jb->c.constant = 1;
            jb->has_threshold = 1;
        }
        jb->decide = jb->c.threshold;
        double t;
        if (m->o.th && thrarg_get(m->o.th, jb->name, &t)) {
            jb->decide = t;
            if (jb->style != CONF_DEEPFACE || !jb->has_threshold)
                jb->c.threshold = t;
            jb->has_threshold = 1;
        }
        if (!jb->has_threshold && (jb->style != CONF_RAW || m->o.verified)) {
            *pb = (map_problem){MAP_NO_THRESHOLD, jb->name, NULL};
            return;
        }
    }
    if (m->o.style_given && m->o.style == CONF_PROBABILITY && !calibrated && logistic)
        *pb = (map_problem){MAP_NOT_CALIBRATED, logistic->name, NULL};
    if (m->o.style_given && m->o.style != CONF_PROBABILITY && calibrated && !logistic)
        *pb = (map_problem){MAP_CALIBRATED, calibrated->name, method_names[calibrated->method]};
}

/* The stream's #model= against the model's embedding model. */
static void check_embedding_model(mapper *m, const tsv_reader *r)
{
    const char *want = m->md->embedding_model;
    int from_dm = 0;
    if (!m->o.model_path && m->o.dm) {
        want = m->o.dm->name;
        from_dm = 1;
    }
    const char *file;
    uint64_t line;
    const char *got = tsv_preamble_at(r, "model", &file, &line);
    if (m->o.quiet || !want || !got || !*got || strcasecmp(got, want) == 0)
        return;
    m->mismatch = (map_mismatch){got, want, file, line, from_dm};
}

const map_mismatch *map_model_mismatch(const mapper *m)
{
    return m->mismatch.got ? &m->mismatch : NULL;
}

void map_bind(mapper *m, const tsv_reader *r, map_problem *pb)
{
    *pb = (map_problem){MAP_OK, NULL, NULL};
    choose(m, r, pb);
    if (pb->status)
        return;
    settle(m, pb);
    if (pb->status)
        return;
    check_embedding_model(m, r);
}

/* The columns a job appends, by their suffixes: NULL-terminated. */
static const char *const *job_suffixes(const map_job *jb, int verified)
{
    static const char *const conf[] = {"_confidence", NULL, NULL};
    static const char *const conf_v[] = {"_confidence", "_verified", NULL};
    static const char *const prob[] = {"_probability", NULL, NULL};
    static const char *const prob_v[] = {"_probability", "_verified", NULL};
    static const char *const va[] = {"_probability", "_probability_lo", "_probability_hi",
                                     NULL};
    static const char *const va_v[] = {"_probability", "_probability_lo", "_probability_hi",
                                       "_verified", NULL};
    if (jb->method == METHOD_VENN_ABERS)
        return verified ? va_v : va;
    if (jb->style == CONF_PROBABILITY)
        return verified ? prob_v : prob;
    return verified ? conf_v : conf;
}

static void write_header(const mapper *m, const tsv_reader *r, out *o)
{
    /* METRIC_confidence (and METRIC_verified): the metric's name whole,
     * however long */
    size_t k = 0;
    char **cols = xcalloc(m->njobs * 4, sizeof *cols);
    for (size_t j = 0; j < m->njobs; j++) {
        size_t n = strlen(m->jobs[j].name);
        for (const char *const *sfx = job_suffixes(&m->jobs[j], m->o.verified); *sfx; sfx++) {
            const char *suffix = *sfx;
            char *name = cols[k++] = xmalloc(n + strlen(suffix) + 1);
            memcpy(name, m->jobs[j].name, n);
            strcpy(name + n, suffix);
            tsv_check_new_col(r, name);
        }
    }
    tsv_write_head(r, o, (const char *const *)cols, k);
    for (size_t i = 0; i < k; i++)
        free(cols[i]);
    free(cols);
}

/* How many numbers a job appends: venn-abers three, the others one. */
static size_t job_nvalues(const map_job *jb)
{
    return jb->method == METHOD_VENN_ABERS ? 3 : 1;
}

/* The numbers a job appends for distance d into v (logistic: the
 * confidence; calibrated: the probability in percent, venn-abers then
 * 100 p0 and 100 p1), and its verdict. */
static void job_values(const map_job *jb, double d, double *v, char *verdict)
{
    double p = 0;
    switch (jb->method) {
    case METHOD_LOGISTIC:
        v[0] = conf_value(&jb->c, jb->style, d);
        break;
    case METHOD_PLATT:
        p = calib_platt_p(jb->c.fit.w, jb->c.fit.b, d);
        v[0] = 100 * p;
        break;
    case METHOD_ISOTONIC:
        p = calib_isotonic_p(jb->curve, d);
        v[0] = 100 * p;
        break;
    default: /* METHOD_VENN_ABERS */
        calib_va_p(jb->curve, d, &v[1], &v[2]);
        p = calib_va_merge(v[1], v[2]);
        v[0] = 100 * p;
        v[1] *= 100;
        v[2] *= 100;
        break;
    }
    *verdict = (jb->decide_by_p ? p >= 0.5 : d <= jb->decide) ? '1' : '0';
}

/* ---- the rows, a batch at a time: on -j threads, written in order ---- */

/* A batch closes at BATCH_ROWS rows or BATCH_BYTES of text. */
enum { BATCH_ROWS = 4096, BATCH_BYTES = 1 << 19 };

/* The most numbers a job appends (venn-abers: three), and the room its
 * columns take, each after a TAB. */
enum { JOB_VALUES_MAX = 3, JOB_COLS_MAX = JOB_VALUES_MAX * (NUM_FMT_MAX + 1) + 2 };

/* A row of a batch: where it was read (for an error in it) and its text,
 * text[off, off + len] with its NUL. */
typedef struct map_row {
    const char *name;
    uint64_t line;
    size_t off, len;
} map_row;

/* Row i, job j: index i * njobs + j of fld (twice: offset and length),
 * dist, verdict; of val, JOB_VALUES_MAX times that. */
typedef struct map_batch {
    char *text; /* the rows' text */
    size_t len, cap;
    map_row *row;
    uint32_t *fld; /* each field's offset in its row and length */
    size_t nrows;
    double *dist, *val; /* the distances, then the numbers appended */
    char *verdict;
    char *obuf; /* the rows mapped, as they are written out */
    size_t olen, ocap;
    uint64_t *outside; /* per job: distances outside the range fitted on */
    size_t nmapped;    /* rows mapped: nrows, or the index of a bad one */
    size_t bad_job;    /* its field that is no number */
} map_batch;

typedef struct map_run {
    mapper *m;
    tsv_reader *r;
    out *o;
} map_run;

static void *batch_make(void *ctx)
{
    size_t nj = ((map_run *)ctx)->m->njobs, cells = BATCH_ROWS * nj;
    map_batch *b = xcalloc(1, sizeof *b);
    b->row = xreallocarray(NULL, BATCH_ROWS, sizeof *b->row);
    b->fld = xreallocarray(NULL, cells, 2 * sizeof *b->fld);
    b->dist = xreallocarray(NULL, cells, sizeof *b->dist);
    b->val = xreallocarray(NULL, cells, JOB_VALUES_MAX * sizeof *b->val);
    b->verdict = xmalloc(cells);
    b->outside = xcalloc(nj, sizeof *b->outside);
    return b;
}

static void batch_drop(void *ctx, void *p)
{
    (void)ctx;
    map_batch *b = p;
    free(b->text);
    free(b->row);
    free(b->fld);
    free(b->dist);
    free(b->val);
    free(b->verdict);
    free(b->obuf);
    free(b->outside);
    free(b);
}

/* The next rows of r into b; 0 when the stream has ended. */
static int batch_fill(const mapper *m, tsv_reader *r, map_batch *b)
{
    b->nrows = 0;
    b->len = 0;
    while (b->nrows < BATCH_ROWS && b->len < BATCH_BYTES) {
        if (!tsv_next(r))
            return 0;
        if (b->len + r->len + 1 > b->cap) {
            b->cap = (b->len + r->len + 1) * 2;
            b->text = xrealloc(b->text, b->cap);
        }
        memcpy(b->text + b->len, r->text, r->len + 1);
        b->row[b->nrows] = (map_row){r->name, r->line, b->len, r->len};
        uint32_t *fld = b->fld + 2 * b->nrows * m->njobs;
        for (size_t j = 0; j < m->njobs; j++) {
            const tsv_field *f = &r->f[m->jobs[j].col];
            fld[2 * j] = (uint32_t)(f->p - r->text); /* a line is under 4 GiB */
            fld[2 * j + 1] = (uint32_t)f->n;
        }
        b->len += r->len + 1;
        b->nrows++;
    }
    return 1;
}

/* The rows with their columns into b->obuf, up to the first distance that
 * is no number (reported by batch_done, in order).  In three passes over
 * the batch (parse, compute, print), so that the long chains of dependent
 * arithmetic of different rows overlap. */
static void batch_work(void *ctx, void *p)
{
    const mapper *m = ((map_run *)ctx)->m;
    map_batch *b = p;
    const map_job *jobs = m->jobs;
    size_t nj = m->njobs, n = b->nrows;
    int verified = m->o.verified, prec = m->o.prec;

    b->nmapped = n;
    for (size_t i = 0; i < n && b->nmapped == n; i++) {
        const char *text = b->text + b->row[i].off;
        const uint32_t *fld = b->fld + 2 * i * nj;
        for (size_t j = 0; j < nj; j++)
            if (num_parse(text + fld[2 * j], fld[2 * j + 1], &b->dist[i * nj + j])) {
                b->nmapped = i;
                b->bad_job = j;
                break;
            }
    }
    n = b->nmapped;

    for (size_t j = 0; j < nj; j++) {
        const map_job *jb = &jobs[j];
        uint64_t outside = 0;
        for (size_t i = 0; i < n; i++) {
            size_t c = i * nj + j;
            double d = b->dist[c];
            outside += jb->has_range && (d < jb->range_min || d > jb->range_max);
            job_values(jb, d, &b->val[c * JOB_VALUES_MAX], &b->verdict[c]);
        }
        b->outside[j] = outside;
    }

    b->olen = 0;
    for (size_t i = 0; i < n; i++) {
        const map_row *w = &b->row[i];
        size_t need = b->olen + w->len + nj * JOB_COLS_MAX + 1;
        if (need > b->ocap) {
            b->ocap = need * 2 > (size_t)BATCH_BYTES ? need * 2 : (size_t)BATCH_BYTES;
            b->obuf = xrealloc(b->obuf, b->ocap);
        }
        char *o = b->obuf + b->olen;
        memcpy(o, b->text + w->off, w->len);
        size_t k = w->len;
        for (size_t j = 0; j < nj; j++) {
            size_t c = i * nj + j;
            const double *v = &b->val[c * JOB_VALUES_MAX];
            for (size_t t = 0, nv = job_nvalues(&jobs[j]); t < nv; t++) {
                o[k++] = '\t';
                k += num_fmt_fixed(o + k, v[t], prec);
            }
            if (verified) {
                o[k++] = '\t';
                o[k++] = b->verdict[c];
            }
        }
        o[k++] = '\n';
        b->olen += k;
    }
}

static void batch_done(void *ctx, void *p)
{
    map_run *run = ctx;
    mapper *m = run->m;
    map_batch *b = p;
    if (b->olen) /* (none: obuf may be NULL, and memcpy must not see it) */
        out_write_block(run->o, b->obuf, b->olen);
    for (size_t j = 0; j < m->njobs; j++)
        m->jobs[j].outside += b->outside[j];
    m->rows += b->nmapped;
    if (b->nmapped < b->nrows) {
        const map_row *w = &b->row[b->nmapped];
        tsv_recall_row(run->r, w->name, w->line, b->text + w->off, w->len);
        tsv_number(run->r, m->jobs[b->bad_job].col); /* dies with the message */
    }
}

uint64_t map_write(mapper *m, tsv_reader *r, out *o)
{
    static const ordered_ops ops = {batch_make, batch_work, batch_done, batch_drop};
    write_header(m, r, o);
    map_run run = {m, r, o};
    m->rows = 0;
    ordered *q = ordered_new(m->o.jobs, &ops, &run);
    for (;;) {
        map_batch *b = ordered_batch(q);
        int more = batch_fill(m, r, b);
        if (!b->nrows) {
            ordered_unused(q, b);
            break;
        }
        ordered_submit(q, b);
        if (!more)
            break;
    }
    ordered_finish(q);
    return m->rows;
}

void map_finish(const mapper *m)
{
    if (m->o.quiet)
        return;
    char *line = NULL;
    size_t len = 0;
    for (size_t j = 0; j < m->njobs; j++) {
        const map_job *jb = &m->jobs[j];
        if (!jb->outside)
            continue;
        char lo[NUM_FMT_MAX], hi[NUM_FMT_MAX];
        num_fmt_shortest(lo, jb->range_min);
        num_fmt_shortest(hi, jb->range_max);
#define RANGE_FMT                                                                              \
    "%s%llu of %llu %s distances %s outside the range the model was fitted on [%s, %s]"
        const char *sep = len ? "; " : "", *verb = jb->outside == 1 ? "was" : "were";
        int k = snprintf(NULL, 0, RANGE_FMT, sep, (unsigned long long)jb->outside,
                         (unsigned long long)m->rows, jb->name, verb, lo, hi);
        line = xrealloc(line, len + (size_t)k + 1);
        snprintf(line + len, (size_t)k + 1, RANGE_FMT, sep, (unsigned long long)jb->outside,
                 (unsigned long long)m->rows, jb->name, verb, lo, hi);
#undef RANGE_FMT
        len += (size_t)k;
    }
    if (line)
        warnx_("%s", line);
    free(line);
}

void map_free(mapper *m)
{
    if (!m)
        return;
    model_free(m->md);
    free(m->jobs);
    free(m);
}
