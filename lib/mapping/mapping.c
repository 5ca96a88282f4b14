/* mapping: confmap's engine: the metrics chosen, their parameters and
 * thresholds settled, the stream copied with its confidences.  See
 * mapping.h. */
#include "mapping/mapping.h"
#include "mapping/mapping_impl.h"
#include "common/diag.h"
#include "common/name.h"
#include "mapping/model.h"
#include "stream/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

void map_write_header(const mapper *m, const tsv_reader *r, out *o)
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
