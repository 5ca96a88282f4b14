/* Unit tests of lib/report/fitreport.c: the lines logfit -v prints, for a
 * threshold given, DeepFace's and tuned, with and without `same`, and the
 * penalty's warning. */
#include "common/diag.h"
#include "report/fitreport.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What fitreport_write writes (the caller frees it). */
static char *report(const model_metric *m, const fit_outcome *o, const measure_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        printf("Bail out! no memory stream\n");
        exit(1);
    }
    fitreport_write(f, m, o, r);
    fclose(f);
    return buf;
}

/* Whether report() gives want, its result freed. */
static int reports(char *got, const char *want)
{
    int same = strcmp(got, want) == 0;
    if (!same)
        printf("#   got '%s'\n#   want '%s'\n", got, want);
    free(got);
    return same;
}

int main(void)
{
    diag_init("test_fitreport");
    model_metric m = {
        .name = "cosine", .threshold = 0.4, .fit = {.w = -6.5, .b = 1.625}, .C = 1};
    strcpy(m.target, "decision");
    strcpy(m.threshold_from, "Facenet");
    fit_outcome o = {.n = 10,
                     .n_true = 4,
                     .opt = {.iterations = 5, .passes = 7, .grad_norm = 1e-12, .converged = 1},
                     .mean_p = 40};
    measure_report r = {0};
    UNIT_OK(
        reports(report(&m, &o, &r),
                "cosine: 10 rows, 4 with y = 1 and 6 with y = 0; y = (d <= threshold); "
                "threshold 0.4, DeepFace's for Facenet\n"
                "  fit: w -6.5, b 1.625 after 5 Newton steps (7 passes), gradient norm 1e-12\n"
                "  mean p 40.000000 (100 n_true / n = 40.000000)\n"
                "  no column 'same': no accuracy, ROC AUC or calibration\n"),
        "DeepFace's threshold, no same");

    strcpy(m.target, "truth");
    strcpy(m.threshold_from, "tuned");
    o.opt.fallback = 1;
    o.opt.converged = 0;
    r = (measure_report){.p_min = 40,
                         .p_max = 60,
                         .w_weak = -100,
                         .penalty_dominates = 1,
                         .has_same = 1,
                         .n_same = 4,
                         .accuracy = 0.9,
                         .auc = 0.95,
                         .brier_raw = 0.1,
                         .ece_raw = 0.05,
                         .bins_raw = 3,
                         .brier_scaled = 0.2,
                         .ece_scaled = 0.25,
                         .bins_scaled = 4,
                         .ecem_raw = 0.125,
                         .binsm_raw = 10,
                         .ecem_scaled = 0.5,
                         .binsm_scaled = 9};
    UNIT_OK(
        reports(
            report(&m, &o, &r),
            "cosine: 10 rows, 4 with y = 1 and 6 with y = 0; y = same; threshold 0.4 "
            "(tuned on same)\n"
            "  fit: w -6.5, b 1.625 after 5 steps (Newton's, then bisection on the "
            "profile) (7 passes), gradient norm 1e-12 (not converged)\n"
            "  mean p 40.000000 (100 n_true / n = 40.000000)\n"
            "  the penalty dominates the fit: p spans only 20.00 points [40.00, 60.00], "
            "and with a penalty 10^6 times weaker |w| would be 100, not 6.5 (scale the "
            "distances, or raise -C from 1)\n"
            "  against same (4 of 10): accuracy 0.9000, ROC AUC 0.9500\n"
            "  calibration    Brier     ECE, equal-width bins    ECE, equal-mass bins\n"
            "    raw p        0.1000    0.0500 ( 3 of 10 used)     0.1250 (10 of 10 used)\n"
            "    re-scaled    0.2000    0.2500 ( 4 of 10 used)     0.5000 ( 9 of 10 used)\n"),
        "tuned, truth, the fallback, the penalty and the measures against same");

    strcpy(m.threshold_from, "given");
    r = (measure_report){0};
    char *s = report(&m, &o, &r);
    UNIT_OK(strstr(s, "; threshold 0.4 (given)\n") != NULL, "a threshold given");
    free(s);
    return unit_done();
}
