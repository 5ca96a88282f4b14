/* Unit tests of lib/fit/binom.c against tests/fixtures/binom.tsv (scipy
 * 1.10's norm.ppf, beta quantiles and I_x(a, b) in 60-digit arithmetic,
 * Wilson's formula; see make-binom.py), and the exact edges.
 * Run from the top of the tree, or set FIXTURES to the fixtures folder. */
#include "fit/binom.h"
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static char fixtures[4096] = "tests/fixtures";

/* The worst relative error of each kind of line, and where. */
typedef struct worst {
    double err;
    int n;
    char at[200];
} worst;

static double rel(double got, double want)
{
    if (got == want)
        return 0;
    return fabs(got - want) / fmax(fabs(want), 1e-300);
}

static void note(worst *w, double e, const char *line)
{
    w->n++;
    if (!(e <= w->err)) { /* NaN counts as worst */
        w->err = isnan(e) ? INFINITY : e;
        snprintf(w->at, sizeof w->at, "%s", line);
    }
}

static void check_fixture(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/binom.tsv", fixtures);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("Bail out! cannot open %s (run from the top of the tree or set FIXTURES)\n",
               path);
        exit(1);
    }
    worst norm = {0}, cdf = {0}, ppf = {0}, iv[BINOM_N] = {{0}}, cpu = {0};
    char line[512], kind[16];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        double v[5];
        unsigned long long k, n;
        if (line[0] == '#' || sscanf(line, "%15s", kind) != 1)
            continue;
        if (!strcmp(kind, "norm") && sscanf(line, "%*s %lf %lf", &v[0], &v[1]) == 2)
            note(&norm, rel(binom_normal_quantile(v[0]), v[1]), line);
        else if (!strcmp(kind, "cdf") &&
                 sscanf(line, "%*s %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3]) == 4)
            /* both shapes large: I_x's condition number in x is about
             * sqrt(min(a, b)) (a one-ulp change of x at 1e9 moves it 4e-12),
             * and the continued fraction's O(sqrt) terms lose as much: the
             * error is scaled down by sqrt(min(a, b))/1e3 where that is > 1 */
            note(&cdf,
                 rel(binom_beta_cdf(v[0], v[1], v[2]), v[3]) /
                     fmax(1, sqrt(fmin(v[1], v[2])) / 1e3),
                 line);
        else if (!strcmp(kind, "ppf") &&
                 sscanf(line, "%*s %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3]) == 4)
            note(&ppf, rel(binom_beta_quantile(v[0], v[1], v[2]), v[3]), line);
        else if (!strcmp(kind, "cpu") &&
                 sscanf(line, "%*s %llu %llu %lf %lf", &k, &n, &v[0], &v[1]) == 4)
            note(&cpu, rel(binom_cp_upper(k, n, v[0]), v[1]), line);
        else if (sscanf(line, "%*s %llu %llu %lf %lf %lf", &k, &n, &v[0], &v[1], &v[2]) == 5) {
            binom_method m = !strcmp(kind, "wilson")     ? BINOM_WILSON
                             : !strcmp(kind, "jeffreys") ? BINOM_JEFFREYS
                                                         : BINOM_CLOPPER_PEARSON;
            double lo, hi;
            binom_interval(m, k, n, v[0], &lo, &hi);
            note(&iv[m], fmax(rel(lo, v[1]), rel(hi, v[2])), line);
        }
    }
    fclose(f);
    struct {
        const char *what;
        worst *w;
    } all[] = {{"normal quantile (scipy norm.ppf)", &norm},
               {"I_x(a, b) (scaled by sqrt(min(a, b))/1e3 above 1e6)", &cdf},
               {"beta quantile", &ppf},
               {"wilson", &iv[BINOM_WILSON]},
               {"jeffreys", &iv[BINOM_JEFFREYS]},
               {"clopper-pearson", &iv[BINOM_CLOPPER_PEARSON]},
               {"clopper-pearson upper bound", &cpu}};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        worst *w = all[i].w;
        UNIT_OK(w->n > 10 && w->err <= 1e-12, "%s: %d values, worst relative error %.3g",
                all[i].what, w->n, w->err);
        if (w->err > 0)
            printf("#   worst at: %s\n", w->at);
    }
}

/* The edges are exact, not merely close. */
static void check_edges(void)
{
    UNIT_STREQ(binom_names[BINOM_WILSON], "wilson", "names: wilson");
    UNIT_STREQ(binom_names[BINOM_JEFFREYS], "jeffreys", "names: jeffreys");
    UNIT_STREQ(binom_names[BINOM_CLOPPER_PEARSON], "clopper-pearson", "names: clopper-pearson");
    for (int m = 0; m < BINOM_N; m++) {
        double lo, hi;
        binom_interval(m, 0, 0, 0.95, &lo, &hi);
        UNIT_OK(lo == 0 && hi == 1, "%s: n = 0 gives [0, 1]", binom_names[m]);
        binom_interval(m, 0, 1000000000000u, 0.95, &lo, &hi);
        UNIT_OK(lo == 0 && hi > 0 && hi < 1e-11, "%s: k = 0 of 1e12: lo = 0, hi %g",
                binom_names[m], hi);
        binom_interval(m, 1000000000000u, 1000000000000u, 0.95, &lo, &hi);
        UNIT_OK(hi == 1 && lo < 1 && lo > 1 - 1e-11, "%s: k = n = 1e12: hi = 1, lo 1 - %g",
                binom_names[m], 1 - lo);
        binom_interval(m, 1, 1, 0.95, &lo, &hi);
        UNIT_OK(hi == 1 && lo > 0 && lo < 1, "%s: 1 of 1: hi = 1", binom_names[m]);
        binom_interval(m, 3, 2, 0.95, &lo, &hi);
        UNIT_OK(isnan(lo) && isnan(hi), "%s: k > n is NaN", binom_names[m]);
    }
    UNIT_OK(binom_cp_upper(0, 0, 0.95) == 1 && binom_cp_upper(5, 5, 0.95) == 1,
            "cp upper: n = 0 and k = n give 1");
    UNIT_NEAR(binom_cp_upper(0, 1000000000, 0.95), -expm1(log(0.05) / 1e9), 1e-14,
              "cp upper of 0/1e9 at 95%%: 1 - 0.05^(1/n)");
    UNIT_NEAR(binom_cp_upper(0, 1, 0.95), 0.95, 1e-15, "cp upper of 0/1 at 95%%: 0.95");
    UNIT_OK(binom_beta_quantile(0, 2, 3) == 0 && binom_beta_quantile(1, 2, 3) == 1,
            "beta quantile: p = 0 and 1 give 0 and 1");
    UNIT_OK(binom_beta_cdf(0, 2, 3) == 0 && binom_beta_cdf(1, 2, 3) == 1,
            "beta cdf: x = 0 and 1 give 0 and 1");
    UNIT_OK(binom_normal_quantile(0.5) == 0, "normal quantile of 0.5 is 0");
    UNIT_OK(binom_normal_quantile(0) == -INFINITY && binom_normal_quantile(1) == INFINITY,
            "normal quantile of 0 and 1: -inf and inf");
    /* symmetry: the quantiles of Beta(a, a) mirror each other, the median 1/2 */
    double shapes[] = {0.5, 3, 1e6, 1e12};
    for (int i = 0; i < 4; i++) {
        double a = shapes[i];
        UNIT_NEAR(binom_beta_quantile(0.5, a, a), 0.5, 1e-14, "median of Beta(%g, %g)", a, a);
        UNIT_NEAR(binom_beta_cdf(0.5, a, a), 0.5, a > 1e6 ? 1e-15 * sqrt(a) : 1e-12,
                  "I_1/2(%g, %g) = 1/2", a, a);
        double lo = binom_beta_quantile(0.025, a, a), hi = binom_beta_quantile(0.975, a, a);
        UNIT_NEAR(lo + hi, 1, 1e-14, "Beta(%g, %g): the 2.5%% and 97.5%% quantiles mirror", a,
                  a);
    }
    /* round trip at the tiniest shapes and p */
    double x = binom_beta_quantile(1e-150, 0.5, 3);
    UNIT_NEAR(binom_beta_cdf(x, 0.5, 3), 1e-150, 1e-12, "Beta(0.5, 3) at p = 1e-150: %g", x);
    x = binom_beta_quantile(1e-300, 0.5, 3); /* 2.8e-601: below the doubles */
    UNIT_OK(x >= 0 && x <= 1e-300, "Beta(0.5, 3) at p = 1e-300: within 1e-300 of 0 (%g)", x);
    x = binom_beta_quantile(0.3, 1e-3, 1e-3);
    UNIT_NEAR(binom_beta_cdf(x, 1e-3, 1e-3), 0.3, 1e-12, "Beta(1e-3, 1e-3) at p = 0.3: %g", x);
}

int main(int argc, char **argv)
{
    (void)argc;
    unit_fixtures(fixtures, sizeof fixtures, argv, "binom.tsv");
    check_fixture();
    check_edges();
    return unit_done();
}
