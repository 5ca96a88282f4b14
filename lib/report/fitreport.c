/* fitreport: what logfit -v prints of each column (see fitreport.h). */
#include "report/fitreport.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *fmt_short(char *buf, double x)
{
    num_fmt_shortest(buf, x);
    return buf;
}

void fitreport_print(const model_metric *m, const fit_outcome *o, const measure_report *r)
{
    fflush(stdout);
    fitreport_write(stderr, m, o, r);
}

void fitreport_write(FILE *f, const model_metric *m, const fit_outcome *o,
                     const measure_report *r)
{
    char t[NUM_FMT_MAX];
    const char *from = m->threshold_from;
    fprintf(f, "%s: %llu rows, %llu with y = 1 and %llu with y = 0; y = %s; threshold %s%s%s\n",
            m->name, (unsigned long long)o->n, (unsigned long long)o->n_true,
            (unsigned long long)(o->n - o->n_true),
            strcmp(m->target, "truth") == 0 ? "same" : "(d <= threshold)",
            fmt_short(t, m->threshold),
            strcmp(from, "given") == 0   ? " (given)"
            : strcmp(from, "tuned") == 0 ? " (tuned on same)"
                                         : ", DeepFace's for ",
            strcmp(from, "given") == 0 || strcmp(from, "tuned") == 0 ? "" : from);
    fprintf(f, "  fit: w %.10g, b %.10g after %d %s (%d passes), gradient norm %.2g%s\n",
            m->fit.w, m->fit.b, o->opt.iterations,
            o->opt.fallback ? "steps (Newton's, then bisection on the profile)"
                            : "Newton steps",
            o->opt.passes, o->opt.grad_norm, o->opt.converged ? "" : " (not converged)");
    fprintf(f, "  mean p %.6f (100 n_true / n = %.6f)\n", o->mean_p,
            100.0 * (double)o->n_true / (double)o->n);
    char cb[NUM_FMT_MAX];
    if (r->penalty_dominates)
        fprintf(f,
                "  the penalty dominates the fit: p spans only %.2f points [%.2f, %.2f], and "
                "with a penalty 10^6 times weaker |w| would be %.4g, not %.4g (scale the "
                "distances, or raise -C from %s)\n",
                r->p_max - r->p_min, r->p_min, r->p_max, fabs(r->w_weak), fabs(m->fit.w),
                fmt_short(cb, m->C));
    if (!r->has_same) {
        fprintf(f, "  no column 'same': no accuracy, ROC AUC or calibration\n");
        return;
    }
    fprintf(f, "  against same (%llu of %llu): accuracy %.4f, ROC AUC %.4f\n",
            (unsigned long long)r->n_same, (unsigned long long)o->n, r->accuracy, r->auc);
    fprintf(f, "  calibration    Brier     ECE, equal-width bins    ECE, equal-mass bins\n");
    fprintf(f, "    raw p        %.4f    %.4f (%2d of 10 used)     %.4f (%2d of 10 used)\n",
            r->brier_raw, r->ece_raw, r->bins_raw, r->ecem_raw, r->binsm_raw);
    fprintf(f, "    re-scaled    %.4f    %.4f (%2d of 10 used)     %.4f (%2d of 10 used)\n",
            r->brier_scaled, r->ece_scaled, r->bins_scaled, r->ecem_scaled, r->binsm_scaled);
}

void fitreport_calibrated(const model_metric *m, const counts_entry *e, size_t k)
{
    fflush(stdout);
    fprintf(stderr, "%s: %llu rows, %llu with same = 1 and %llu with same = 0; method %s\n",
            m->name, (unsigned long long)m->n, (unsigned long long)m->n_true,
            (unsigned long long)(m->n - m->n_true), method_names[m->method]);
    if (m->method == METHOD_PLATT)
        fprintf(stderr, "  fit: p = 1 / (1 + exp(-(w d + b))), w %.10g, b %.10g\n", m->fit.w,
                m->fit.b);
    else
        fprintf(stderr, "  fit: %zu knots over %zu distinct distances\n", m->curve.n, k);
    measure_scores s = {0};
    for (size_t t = 0; t < k; t++) {
        double lo, hi, q = measure_probability(m, e[t].value, &lo, &hi);
        measure_scores_add(&s, q, hi - lo, e[t].n_same, e[t].n - e[t].n_same);
    }
    measure_calib c;
    measure_scores_finish(&s, 0, 0, &c);
    fprintf(stderr,
            "  in-sample (the rows fitted on; held out: --cv): ROC AUC %.4f, Brier %.4f, log "
            "loss %.4f, ECE %.4f (%d of 10 bins used), equal-mass ECE %.4f\n",
            c.auc, c.brier, c.log_loss, c.ece, c.ece_bins, c.ece_mass);
    if (m->method == METHOD_VENN_ABERS)
        fprintf(stderr, "  mean width of the interval [p0, p1]: %.4f\n", c.width);
}
