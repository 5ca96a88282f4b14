/* evalreport: confeval's tables (see evalreport.h). */
#include "report/evalreport.h"
#include "fit/measure.h"
#include "stream/num.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const double fmr_levels[] = {1e-1, 1e-2, 1e-3, 1e-4};
static const char *const fmr_names[] = {"1e-1", "1e-2", "1e-3", "1e-4"};
#define NLEVELS (sizeof fmr_levels / sizeof *fmr_levels)

static void text(out *o, const char *s)
{
    out_write(o, s, strlen(s));
}

static void tab(out *o, const char *s)
{
    out_putc(o, '\t');
    text(o, s);
}

/* The shortest decimal that reads back (scikit-learn's numbers can be
 * compared to the last bit), NA for NaN. */
static void num(out *o, double v)
{
    char buf[NUM_FMT_MAX];
    if (v != v) {
        tab(o, "NA");
        return;
    }
    num_fmt_shortest(buf, v);
    tab(o, buf);
}

static void count(out *o, uint64_t v)
{
    char buf[24];
    buf[num_fmt_uint(buf, v)] = '\0';
    tab(o, buf);
}

/* A threshold: the shortest decimal, or -inf / inf (accept nothing). */
static void threshold(out *o, double t)
{
    char buf[NUM_FMT_MAX];
    if (isinf(t)) {
        tab(o, t < 0 ? "-inf" : "inf");
        return;
    }
    num_fmt_shortest(buf, t);
    tab(o, buf);
}

void evalreport_head(out *o, const evalreport_opts *opts)
{
    text(o,
         "column\tdirection\tn_same\tn_diff\tauc\teer\teer_lo\teer_hi\teer_threshold\td_prime"
         "\tthreshold\tfmr\tfmr_k\tfmr_lo\tfmr_hi\tfnmr\tfnmr_k\tfnmr_lo\tfnmr_hi");
    for (size_t i = 0; i < NLEVELS; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "tar_at_fmr_%s\tthreshold_at_fmr_%s", fmr_names[i],
                 fmr_names[i]);
        tab(o, buf);
    }
    if (opts->fmr_target > 0)
        text(o, "\tfmr_target\tthreshold_at_target\tfmr_at_target\tfmr_k_at_target"
                "\tfmr_upper_95\ttar_at_target\tpairs_needed");
    text(o, "\tbrier\tlog_loss\tece\tece_mass\n");
}

void evalreport_row(out *o, const evalreport_opts *opts, const evalreport_col *c)
{
    roc r;
    roc_init(&r, c->e, c->k, c->dir);
    text(o, c->name);
    tab(o, c->dir == ROC_LOWER ? "lower" : "higher");
    count(o, r.n_same);
    count(o, r.n_diff);
    num(o, roc_auc(&r));
    roc_eer_result eer;
    roc_eer(&r, &eer);
    num(o, eer.eer);
    num(o, eer.lo);
    num(o, eer.hi);
    if (eer.eer == eer.eer)
        threshold(o, eer.at.threshold);
    else
        tab(o, "NA");
    num(o, roc_d_prime(&r));
    if (c->has_threshold) {
        uint64_t fm, fnm;
        double lo, hi;
        roc_at(&r, c->threshold, &fm, &fnm);
        threshold(o, c->threshold);
        num(o, r.n_diff ? (double)fm / (double)r.n_diff : NAN);
        count(o, fm);
        binom_interval(opts->interval, fm, r.n_diff, 0.95, &lo, &hi);
        num(o, lo);
        num(o, hi);
        num(o, r.n_same ? (double)fnm / (double)r.n_same : NAN);
        count(o, fnm);
        binom_interval(opts->interval, fnm, r.n_same, 0.95, &lo, &hi);
        num(o, lo);
        num(o, hi);
    } else {
        for (int i = 0; i < 9; i++)
            tab(o, "NA");
    }
    for (size_t i = 0; i < NLEVELS; i++) {
        roc_point p;
        if (!roc_at_fmr(&r, fmr_levels[i], &p) || r.n_same == 0) {
            tab(o, "n/a");
            tab(o, "n/a");
            continue;
        }
        num(o, (double)(r.n_same - p.fnm) / (double)r.n_same);
        threshold(o, p.threshold);
    }
    if (opts->fmr_target > 0) {
        double x = opts->fmr_target;
        roc_point p;
        roc_at_fmr(&r, x, &p); /* fmr_upper_95 and pairs_needed say what it is worth */
        num(o, x);
        if (r.n_diff == 0) { /* no different pair: no FMR to hold */
            for (int i = 0; i < 5; i++)
                tab(o, "NA");
        } else {
            threshold(o, p.threshold);
            num(o, (double)p.fm / (double)r.n_diff);
            count(o, p.fm);
            num(o, binom_cp_upper(p.fm, r.n_diff, 0.95));
            num(o, r.n_same ? (double)(r.n_same - p.fnm) / (double)r.n_same : NAN);
        }
        /* the different pairs that could bound an FMR of x at 95 % with no
         * false match: 1 - 0.05^(1/n) <= x (a double: beyond 2^64 for tiny x) */
        num(o, ceil(log(0.05) / log1p(-x)));
    }
    if (c->probability) {
        measure_scores s = {0};
        for (size_t t = 0; t < c->k; t++)
            measure_scores_add(&s, c->e[t].value / 100, 0, c->e[t].n_same,
                               c->e[t].n - c->e[t].n_same);
        measure_calib mc;
        measure_scores_finish(&s, 0, 0, &mc);
        num(o, mc.brier);
        num(o, mc.log_loss);
        num(o, mc.ece);
        num(o, mc.ece_mass);
    } else {
        for (int i = 0; i < 4; i++)
            tab(o, "NA");
    }
    out_putc(o, '\n');
}

void evalreport_roc_head(out *o)
{
    text(o, "column\tthreshold\tfmr\tfnmr\tfm\tn_diff\tfnm\tn_same\n");
}

typedef struct roc_emit {
    out *o;
    const evalreport_col *c;
    const roc *r;
} roc_emit;

static void emit_point(void *arg, const roc_point *p)
{
    roc_emit *x = arg;
    text(x->o, x->c->name);
    threshold(x->o, p->threshold);
    num(x->o, x->r->n_diff ? (double)p->fm / (double)x->r->n_diff : NAN);
    num(x->o, x->r->n_same ? (double)p->fnm / (double)x->r->n_same : NAN);
    count(x->o, p->fm);
    count(x->o, x->r->n_diff);
    count(x->o, p->fnm);
    count(x->o, x->r->n_same);
    out_putc(x->o, '\n');
}

void evalreport_roc(out *o, const evalreport_col *c)
{
    roc r;
    roc_init(&r, c->e, c->k, c->dir);
    roc_emit x = {o, c, &r};
    roc_curve(&r, emit_point, &x);
}

void evalreport_rel_head(out *o)
{
    text(o,
         "column\tbin\tlo\thi\tn\tpredicted\tobserved\tobserved_k\tobserved_lo\tobserved_hi\n");
}

void evalreport_reliability(out *o, const evalreport_opts *opts, const evalreport_col *c)
{
    double sum_q[10] = {0};
    uint64_t n[10] = {0}, pos[10] = {0};
    for (size_t t = 0; t < c->k; t++) {
        double q = c->e[t].value / 100;
        int b = (int)(q * 10);
        b = b < 0 ? 0 : b > 9 ? 9 : b;
        sum_q[b] += q * (double)c->e[t].n;
        n[b] += c->e[t].n;
        pos[b] += c->e[t].n_same;
    }
    for (int b = 0; b < 10; b++) {
        char buf[32];
        double lo, hi;
        text(o, c->name);
        snprintf(buf, sizeof buf, "%d", b + 1);
        tab(o, buf);
        num(o, b / 10.0);
        num(o, (b + 1) / 10.0);
        count(o, n[b]);
        num(o, n[b] ? sum_q[b] / (double)n[b] : NAN);
        num(o, n[b] ? (double)pos[b] / (double)n[b] : NAN);
        count(o, pos[b]);
        binom_interval(opts->interval, pos[b], n[b], 0.95, &lo, &hi);
        num(o, n[b] ? lo : NAN);
        num(o, n[b] ? hi : NAN);
        out_putc(o, '\n');
    }
}
