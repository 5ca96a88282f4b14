#include "mapping.h"
#include "diag.h"
#include "model.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One metric to map: its column and its parameters. */
typedef struct map_job {
    const char *name;
    size_t col;
    conf_params c;
    int has_threshold;
} map_job;

struct mapper {
    map_opts o;
    model *md;
    map_job *jobs;
    size_t njobs;
};

static const char *model_metric_list(const model *md)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < md->n && o + 8 < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "", md->m[i].name);
    return buf;
}

/* DeepFace's model as a list of metric blocks (names only: the parameters
 * come from its tables). */
static model *deepface_as_model(void)
{
    model *md = xcalloc(1, sizeof *md);
    md->n = DF_NMETRICS;
    md->m = xcalloc(DF_NMETRICS, sizeof *md->m);
    for (int i = 0; i < DF_NMETRICS; i++)
        md->m[i].name = xstrdup(deepface_metric_names[i]);
    return md;
}

mapper *map_new(const map_opts *o)
{
    mapper *m = xcalloc(1, sizeof *m);
    m->o = *o;
    m->md = o->model_path ? model_read(o->model_path) : deepface_as_model();
    if (o->th)
        for (size_t i = 0; i < o->th->n; i++)
            if (!model_find(m->md, o->th->names[i]))
                die_usage("--threshold names '%s', which the model does not have (model: %s)",
                          o->th->names[i], model_metric_list(m->md));
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
static void choose(mapper *m, const tsv_reader *r)
{
    model *md = m->md;
    m->jobs = xcalloc(md->n, sizeof *m->jobs);
    if (m->o.metrics) {
        char *copy = xstrdup(m->o.metrics), *save = NULL;
        unsigned char *chosen = xcalloc(md->n, 1); /* by position in the model */
        for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
            model_metric *mm = model_find(md, s);
            if (!mm)
                die_usage("--metrics names '%s', which the model does not have (model: %s)", s,
                          model_metric_list(md));
            if (chosen[mm - md->m]++)
                die_usage("--metrics names '%s' twice", s);
            add_job(m, mm->name, tsv_require_col(r, s));
        }
        free(chosen);
        free(copy);
        if (m->njobs == 0)
            die_usage("--metrics names no metric");
    } else {
        for (size_t i = 0; i < r->ncols; i++) {
            model_metric *mm = model_find(md, r->cols[i]);
            if (!mm)
                continue;
            tsv_col(r, mm->name); /* a column named twice is an error */
            add_job(m, mm->name, i);
        }
        if (m->njobs == 0)
            die("%s:1: no metric of the model is a column of the stream (model: %s; "
                "columns: %s)",
                r->name, model_metric_list(md), tsv_col_list(r));
    }
}

/* Parameters and thresholds: -t, else the file's, else --model's. */
static void settle(mapper *m)
{
    const deepface_model *dm = m->o.dm;
    for (size_t j = 0; j < m->njobs; j++) {
        map_job *jb = &m->jobs[j];
        model_metric *mm = model_find(m->md, jb->name);
        int dfi = deepface_metric(jb->name);
        if (m->o.model_path) {
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
        if (m->o.th && thrarg_get(m->o.th, jb->name, &jb->c.threshold))
            jb->has_threshold = 1;
        if (!jb->has_threshold && (m->o.style != CONF_RAW || m->o.verified))
            die("no threshold for metric '%s': the model file has none (give -t or --model)",
                jb->name);
    }
}

void map_bind(mapper *m, const tsv_reader *r)
{
    choose(m, r);
    settle(m);
}

static void write_header(const mapper *m, const tsv_reader *r, out *o)
{
    tsv_write_preamble(r, o);
    tsv_write_header_start(r, o);
    char name[512];
    for (size_t j = 0; j < m->njobs; j++) {
        snprintf(name, sizeof name, "%s_confidence", m->jobs[j].name);
        tsv_check_new_col(r, name);
        out_putc(o, '\t');
        out_str(o, name);
        if (m->o.verified) {
            snprintf(name, sizeof name, "%s_verified", m->jobs[j].name);
            tsv_check_new_col(r, name);
            out_putc(o, '\t');
            out_str(o, name);
        }
    }
    out_putc(o, '\n');
}

uint64_t map_write(const mapper *m, tsv_reader *r, out *o)
{
    write_header(m, r, o);
    const map_job *jobs = m->jobs;
    size_t njobs = m->njobs;
    conf_style st = m->o.style;
    int verified = m->o.verified, prec = m->o.prec;
    uint64_t rows = 0;
    while (tsv_next(r)) {
        out_write(o, r->text, r->len);
        for (size_t j = 0; j < njobs; j++) {
            const map_job *jb = &jobs[j];
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
        rows++;
    }
    return rows;
}

void map_free(mapper *m)
{
    if (!m)
        return;
    model_free(m->md);
    free(m->jobs);
    free(m);
}
