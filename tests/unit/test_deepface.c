/* Unit tests for lib/mapping/deepface.c: every compiled number equals the literal of
 * tests/fixtures/thresholds.tsv and confidence-constants.tsv (DeepFace's
 * threshold.py and confidence.py), parsed here with strtod, compared with ==.
 * Run from the top of the tree, or set FIXTURES to the fixtures folder. */
#include "mapping/deepface.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static char fixtures[4096] = "tests/fixtures";

static FILE *open_fixture(const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", fixtures, name);
    FILE *f = fopen(path, "r");
    if (!f)
        printf("Bail out! cannot open %s (run from the top of the tree or set FIXTURES)\n",
               path);
    return f;
}

/* Split a TSV line in place; returns the field count. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    UNIT_OK(*s && *end == '\0', "literal '%s' is a number", s);
    return v;
}

static void check_thresholds(void)
{
    FILE *f = open_fixture("thresholds.tsv");
    if (!f)
        exit(1);
    char line[4096], *fl[16];
    int rows = 0;
    int have = fgets(line, sizeof line, f) != NULL; /* UNIT_OK evaluates twice */
    UNIT_OK(have, "thresholds.tsv has a header");
    int nh = split(line, fl, 16);
    UNIT_OK(nh == 1 + METRIC_N, "thresholds.tsv: model + 4 metrics");
    for (int i = 0; i < METRIC_N && i + 1 < nh; i++)
        UNIT_STREQ(fl[i + 1], metric_names[i], "metric %d is named as DeepFace", i);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 16);
        if (n != 1 + METRIC_N) {
            UNIT_OK(0, "thresholds.tsv row %d has 5 fields", rows + 1);
            continue;
        }
        UNIT_OK(rows < deepface_nmodels && strcmp(deepface_models[rows].name, fl[0]) == 0,
                "model %d is %s, in DeepFace's order", rows, fl[0]);
        const deepface_model *dm = deepface_find(fl[0]);
        UNIT_OK(dm != NULL, "%s is compiled in", fl[0]);
        if (dm)
            for (int m = 0; m < METRIC_N; m++) {
                double want = num(fl[1 + m]);
                UNIT_OK(dm->threshold[m] == want, "threshold %s %s = %s", fl[0],
                        metric_names[m], fl[1 + m]);
            }
        rows++;
    }
    fclose(f);
    UNIT_OK(rows == deepface_nmodels, "%d models in thresholds.tsv, %d compiled in", rows,
            deepface_nmodels);
}

static void check_constants(void)
{
    static const char *const keys[] = {"w",
                                       "b",
                                       "normalizer",
                                       "denorm_max_true",
                                       "denorm_min_true",
                                       "denorm_max_false",
                                       "denorm_min_false"};
    FILE *f = open_fixture("confidence-constants.tsv");
    if (!f)
        exit(1);
    char line[4096], *fl[16];
    int have = fgets(line, sizeof line, f) != NULL; /* UNIT_OK evaluates twice */
    UNIT_OK(have, "confidence-constants.tsv has a header");
    int nh = split(line, fl, 16);
    UNIT_OK(nh == 9, "constants: model, metric and 7 numbers");
    for (int k = 0; k < 7 && k + 2 < nh; k++)
        UNIT_STREQ(fl[k + 2], keys[k], "column %d is %s", k + 2, keys[k]);
    int rows = 0, seen[64][METRIC_N] = {{0}};
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 16);
        if (n != 9) {
            UNIT_OK(0, "constants row %d has 9 fields", rows + 1);
            continue;
        }
        rows++;
        const deepface_model *dm = deepface_find(fl[0]);
        int m = metric_find(fl[1]);
        UNIT_OK(dm && m >= 0 && dm->constants, "%s %s has compiled constants", fl[0], fl[1]);
        if (!dm || m < 0 || !dm->constants)
            continue;
        UNIT_STREQ(dm->name, fl[0], "model name spelled as DeepFace");
        seen[dm - deepface_models][m]++;
        const logistic_fit *c = &dm->constants[m];
        const double got[7] = {c->w,
                               c->b,
                               c->normalizer,
                               c->denorm_max_true,
                               c->denorm_min_true,
                               c->denorm_max_false,
                               c->denorm_min_false};
        for (int k = 0; k < 7; k++) {
            double want = num(fl[2 + k]);
            UNIT_OK(got[k] == want, "%s %s %s = %s", fl[0], fl[1], keys[k], fl[2 + k]);
            if (got[k] != want)
                printf("#   compiled %.17g\n", got[k]);
        }
    }
    fclose(f);
    /* Every compiled block is in the file exactly once, and only Buffalo_L
     * has none. */
    int blocks = 0;
    for (int i = 0; i < deepface_nmodels; i++) {
        const deepface_model *dm = &deepface_models[i];
        if (!dm->constants) {
            UNIT_STREQ(dm->name, "Buffalo_L", "only Buffalo_L lacks constants");
            continue;
        }
        for (int m = 0; m < METRIC_N; m++) {
            blocks++;
            UNIT_OK(seen[i][m] == 1, "%s %s appears once in the file", dm->name,
                    metric_names[m]);
        }
    }
    UNIT_OK(rows == blocks && rows == 40, "40 constant rows (%d in the file, %d compiled)",
            rows, blocks);
}

static void check_lookup(void)
{
    UNIT_OK(deepface_find("facenet") == deepface_find("Facenet"), "names match any case");
    UNIT_OK(deepface_find("FACENET512") &&
                !strcmp(deepface_find("FACENET512")->name, "Facenet512"),
            "Facenet512 is not Facenet");
    UNIT_OK(deepface_find("Facenet5") == NULL, "no prefix matching");
    UNIT_OK(metric_find("cosine") == METRIC_COSINE && metric_find("angular") == METRIC_ANGULAR,
            "metric indexes");
    UNIT_OK(metric_find("Cosine") == -1, "metric names are exact");
    UNIT_STREQ(deepface_model_list(),
               "VGG-Face, Facenet, Facenet512, ArcFace, Dlib, SFace, OpenFace, DeepFace, "
               "DeepID, GhostFaceNet, Buffalo_L",
               "the model list for messages");
}

int main(int argc, char **argv)
{
    (void)argc;
    unit_fixtures(fixtures, sizeof fixtures, argv, "thresholds.tsv");
    check_thresholds();
    check_constants();
    check_lookup();
    return unit_done();
}
