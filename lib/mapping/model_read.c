/* model_read: logfit's model file, or the article's printed dictionary.
 *
 *   version: 1                       {'cosine': {'w': -6.50, 'b': 1.67,
 *   metrics:                                     'normalizer': 1.2, ...},
 *     cosine:                         'euclidean': {...}}
 *       threshold: 0.4
 *       w: ...
 *
 * The first key tells them apart: "version" or "metrics" is logfit's form;
 * anything else is a metric name of the dictionary.  Unknown keys are
 * errors (a typo must not silently drop a value). */
#include "common/diag.h"
#include "common/name.h"
#include "mapping/model.h"
#include "mapping/model_read_impl.h"
#include "stream/num.h"
#include "stream/yamlin.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    K_THRESHOLD,
    K_W,
    K_B,
    K_NORMALIZER,
    K_MAX_TRUE,
    K_MIN_TRUE,
    K_MAX_FALSE,
    K_MIN_FALSE,
    K_N,
    K_N_TRUE,
    K_TARGET,
    K_C,
    K_THRESHOLD_FROM,
    K_ACCURACY,
    K_RANGE_MIN,
    K_RANGE_MAX,
    K_METHOD,
    K_X,
    K_P,
    K_P0,
    K_P1,
    K_NKEYS
};

/* Each key: its name, its type, and where its value goes. */
enum { NUMBER, COUNT, STRING, METHOD, NUMBERS };
#define AT(field) offsetof(model_metric, field)
static const struct key {
    const char *name;
    int type;
    size_t at, size; /* size: a STRING's room */
} keys[K_NKEYS] = {
    [K_THRESHOLD] = {"threshold", NUMBER, AT(threshold), 0},
    [K_W] = {"w", NUMBER, AT(fit.w), 0},
    [K_B] = {"b", NUMBER, AT(fit.b), 0},
    [K_NORMALIZER] = {"normalizer", NUMBER, AT(fit.normalizer), 0},
    [K_MAX_TRUE] = {"denorm_max_true", NUMBER, AT(fit.denorm_max_true), 0},
    [K_MIN_TRUE] = {"denorm_min_true", NUMBER, AT(fit.denorm_min_true), 0},
    [K_MAX_FALSE] = {"denorm_max_false", NUMBER, AT(fit.denorm_max_false), 0},
    [K_MIN_FALSE] = {"denorm_min_false", NUMBER, AT(fit.denorm_min_false), 0},
    [K_N] = {"n", COUNT, AT(n), 0},
    [K_N_TRUE] = {"n_true", COUNT, AT(n_true), 0},
    [K_TARGET] = {"target", STRING, AT(target), sizeof((model_metric *)0)->target},
    [K_C] = {"C", NUMBER, AT(C), 0},
    [K_THRESHOLD_FROM] = {"threshold_from", STRING, AT(threshold_from),
                          sizeof((model_metric *)0)->threshold_from},
    [K_ACCURACY] = {"accuracy", NUMBER, AT(accuracy), 0},
    [K_RANGE_MIN] = {"range_min", NUMBER, AT(range_min), 0},
    [K_RANGE_MAX] = {"range_max", NUMBER, AT(range_max), 0},
    [K_METHOD] = {"method", METHOD, AT(method), 0},
    [K_X] = {"x", NUMBERS, AT(curve.x), 0},
    [K_P] = {"p", NUMBERS, AT(curve.p), 0},
    [K_P0] = {"p0", NUMBERS, AT(curve.p0), 0},
    [K_P1] = {"p1", NUMBERS, AT(curve.p1), 0},
};

/* The keys of each method: bit K set when key K belongs (1 required, by
 * `need`); what a block of that method may not hold is an error, so that
 * a key meant for another method is not silently ignored. */
#define B(k) (1u << (k))
#define INFO (B(K_N) | B(K_N_TRUE) | B(K_RANGE_MIN) | B(K_RANGE_MAX))
static const struct method_keys {
    unsigned allow, need;
} method_keys[METHOD_N] = {
    [METHOD_LOGISTIC] = {B(K_METHOD) | B(K_THRESHOLD) | B(K_W) | B(K_B) | B(K_NORMALIZER) |
                             B(K_MAX_TRUE) | B(K_MIN_TRUE) | B(K_MAX_FALSE) | B(K_MIN_FALSE) |
                             INFO | B(K_TARGET) | B(K_C) | B(K_THRESHOLD_FROM) | B(K_ACCURACY),
                         B(K_W) | B(K_B) | B(K_NORMALIZER) | B(K_MAX_TRUE) | B(K_MIN_TRUE) |
                             B(K_MAX_FALSE) | B(K_MIN_FALSE)},
    [METHOD_PLATT] = {B(K_METHOD) | B(K_THRESHOLD) | B(K_W) | B(K_B) | INFO, B(K_W) | B(K_B)},
    [METHOD_ISOTONIC] = {B(K_METHOD) | B(K_THRESHOLD) | B(K_X) | B(K_P) | INFO,
                         B(K_X) | B(K_P)},
    [METHOD_VENN_ABERS] = {B(K_METHOD) | B(K_THRESHOLD) | B(K_X) | B(K_P0) | B(K_P1) | INFO,
                           B(K_X) | B(K_P0) | B(K_P1)},
};
#undef INFO
#undef B
#undef AT

/* "threshold, w, ..., range_max" for messages */
static const char *key_list(void)
{
    static char buf[256];
    if (!buf[0])
        for (int i = 0; i < K_NKEYS; i++)
            name_list_add(buf, sizeof buf, keys[i].name);
    return buf;
}

static int key_lookup(const char *s)
{
    for (int i = 0; i < K_NKEYS; i++)
        if (strcmp(s, keys[i].name) == 0)
            return i;
    return -1;
}

/* A calibrated block's curve: the lengths agree and calib_curve_check
 * finds nothing wrong; a fault is shown where its list is (key_at). */
static void check_curve(yamlin *y, model_metric *m, const char *mn, const size_t *len,
                        const yaml_mark_t *key_at)
{
    if (m->method != METHOD_ISOTONIC && m->method != METHOD_VENN_ABERS)
        return;
    size_t n = len[K_X];
    m->curve.n = n;
    if (m->method == METHOD_ISOTONIC && len[K_P] != n)
        model_die_mark(y, &key_at[K_P],
                       "metric '%s': 'p' has %zu values for %zu in 'x' (expected as many)", mn,
                       len[K_P], n);
    for (int k = K_P0; m->method == METHOD_VENN_ABERS && k <= K_P1; k++)
        if (len[k] != 2 * n + 1)
            model_die_mark(
                y, &key_at[k],
                "metric '%s': '%s' has %zu values for %zu in 'x' (expected 2 x + 1 = %zu: "
                "below, at and between the knots)",
                mn, keys[k].name, len[k], n, 2 * n + 1);
    size_t at;
    const char *list;
    const char *why =
        calib_curve_check(&m->curve, m->method == METHOD_VENN_ABERS, &at, &list);
    if (why)
        model_die_mark(y, &key_at[key_lookup(list)], "metric '%s': '%s': %s (value %zu)", mn,
                       list, why, at + 1);
}

/* Where the first calibrated method was read: it needs version 2. */
typedef struct calibrated_at {
    int seen;
    yaml_mark_t at;
    model_method method;
} calibrated_at;

/* The current event is the metric's value: its block of keys. */
static void read_block(yamlin *y, model_metric *m, calibrated_at *cal)
{
    char mq[DIAG_QUOTE_MAX]; /* the name as messages show it */
    const char *mn = diag_quote(mq, sizeof mq, m->name, strlen(m->name));
    if (y->ev.type != YAML_MAPPING_START_EVENT) {
        char buf[128];
        yamlin_die(y, "metric '%s': expected a mapping of keys (found %s)", mn,
                   yamlin_found(y, buf, sizeof buf));
    }
    yaml_mark_t start = y->ev.start_mark;
    int seen[K_NKEYS] = {0};
    size_t len[K_NKEYS] = {0};   /* the lists' lengths */
    yaml_mark_t key_at[K_NKEYS]; /* where each value was */
    for (;;) {
        yamlin_next(y);
        if (y->ev.type == YAML_MAPPING_END_EVENT)
            break;
        size_t n;
        char what[160];
        snprintf(what, sizeof what, "metric '%s'", mn);
        const char *s = model_need_scalar(y, what, "a key", &n);
        int k = strlen(s) == n ? key_lookup(s) : -1;
        char q[DIAG_QUOTE_MAX];
        if (k < 0)
            yamlin_die(y, "metric '%s': unknown key '%s' (expected one of: %s)", mn,
                       diag_quote(q, sizeof q, s, n), key_list());
        if (seen[k])
            yamlin_die(y, "metric '%s': key '%s' appears twice", mn, keys[k].name);
        seen[k] = 1;
        yamlin_next(y);
        const struct key *ky = &keys[k];
        char *at = (char *)m + ky->at;
        key_at[k] = y->ev.start_mark;
        if (ky->type == NUMBER)
            *(double *)at = model_scalar_number(y, mn, ky->name);
        else if (ky->type == COUNT)
            *(uint64_t *)at = model_scalar_count(y, mn, ky->name);
        else if (ky->type == METHOD) {
            m->method = model_scalar_method(y, mn);
            if (m->method != METHOD_LOGISTIC && !cal->seen)
                *cal = (calibrated_at){1, key_at[k], m->method};
        }
        else if (ky->type == NUMBERS)
            *(double **)at = model_scalar_numbers(y, mn, ky->name, &len[k]);
        else
            model_scalar_string(y, mn, ky->name, at, ky->size);
        m->has_threshold |= k == K_THRESHOLD;
        m->has_accuracy |= k == K_ACCURACY;
        if (k == K_TARGET && strcmp(m->target, "decision") != 0 &&
            strcmp(m->target, "truth") != 0) {
            size_t tn;
            const char *t = yamlin_scalar(y, &tn);
            yamlin_die(y, "metric '%s': 'target' is neither decision nor truth ('%s')", mn,
                       diag_quote(q, sizeof q, t, tn));
        }
        if (k >= K_N && k <= K_RANGE_MAX)
            m->has_info = 1;
    }
    const struct method_keys *mk = &method_keys[m->method];
    for (int k = 0; k < K_NKEYS; k++)
        if (seen[k] && !(mk->allow & (1u << k)))
            model_die_mark(y, &key_at[k], "metric '%s': key '%s' has no use in method %s%s", mn,
                           keys[k].name, method_names[m->method],
                           seen[K_METHOD] ? "" : " (a metric without 'method' is logistic)");
    for (int k = 0; k < K_NKEYS; k++) {
        if (!seen[k] && (mk->need & (1u << k)))
            model_die_mark(y, &start, "metric '%s' has no '%s'%s%s%s", mn, keys[k].name,
                           m->method ? " (method " : "",
                           m->method ? method_names[m->method] : "", m->method ? ")" : "");
    }
    check_curve(y, m, mn, len, key_at);
    if (seen[K_RANGE_MIN] != seen[K_RANGE_MAX])
        model_die_mark(y, &start, "metric '%s' has '%s' but no '%s'", mn,
                       keys[seen[K_RANGE_MIN] ? K_RANGE_MIN : K_RANGE_MAX].name,
                       keys[seen[K_RANGE_MIN] ? K_RANGE_MAX : K_RANGE_MIN].name);
    m->has_range = seen[K_RANGE_MIN];
    /* the ranges read: their bottoms not above their tops */
    static const int ranges[][2] = {
        {K_RANGE_MIN, K_RANGE_MAX}, {K_MIN_TRUE, K_MAX_TRUE}, {K_MIN_FALSE, K_MAX_FALSE}};
    size_t nranges = m->method == METHOD_LOGISTIC ? sizeof ranges / sizeof ranges[0] : 1;
    for (size_t i = m->has_range ? 0 : 1; i < nranges; i++) {
        const struct key *lo = &keys[ranges[i][0]], *hi = &keys[ranges[i][1]];
        double vlo = *(const double *)((const char *)m + lo->at);
        double vhi = *(const double *)((const char *)m + hi->at);
        if (vlo > vhi)
            model_die_mark(y, &start, "metric '%s': %s (%.17g) exceeds %s (%.17g)", mn,
                           lo->name, vlo, hi->name, vhi);
    }
}

/* The current event is a metric's name (a scalar key): add its block. */
static void read_metric(yamlin *y, model *md, calibrated_at *cal)
{
    size_t n;
    const char *s = model_need_scalar(y, "", "a metric name", &n);
    char q[DIAG_QUOTE_MAX];
    /* the name comes back as a column of confmap's output */
    const char *why = name_check(NAME_COLUMN, s, n);
    if (why && n == 0)
        yamlin_die(y, "a metric name is empty");
    if (why)
        yamlin_die(y, "metric name %s ('%s')", why, diag_quote(q, sizeof q, s, n));
    if (model_find(md, s))
        yamlin_die(y, "metric '%s' appears twice", diag_quote(q, sizeof q, s, n));
    if ((md->n & (md->n - 1)) == 0) /* 0 or a power of two: full, double the room */
        md->m = xreallocarray(md->m, md->n ? 2 * md->n : 1, sizeof *md->m);
    model_metric *m = &md->m[md->n++];
    memset(m, 0, sizeof *m);
    m->name = xstrndup(s, n);
    m->C = 1;
    yamlin_next(y);
    read_block(y, m, cal);
}

static int read_version(yamlin *y)
{
    size_t n;
    const char *s = model_need_scalar(y, "'version'", "1", &n);
    if (!(n == 1 && (s[0] == '1' || s[0] == '2'))) {
        char q[DIAG_QUOTE_MAX];
        yamlin_die(y, "unsupported model version '%s' (this confmap reads versions 1 and 2)",
                   diag_quote(q, sizeof q, s, n));
    }
    return s[0] - '0';
}

static void abandon(void *md)
{
    model_free(md);
}

model *model_read(const char *path)
{
    yamlin y;
    yamlin_open(&y, path);
    model *md = xcalloc(1, sizeof *md);
    diag_on_error(abandon, md); /* nothing left behind by an error */
    yamlin_next(&y);            /* stream start */
    yamlin_next(&y);
    if (y.ev.type != YAML_DOCUMENT_START_EVENT)
        die("%s: empty model file", y.name);
    yamlin_next(&y);
    char buf[128];
    if (y.ev.type != YAML_MAPPING_START_EVENT)
        yamlin_die(&y,
                   "expected a model: a mapping with 'version' and 'metrics', or of "
                   "metric names (found %s)",
                   yamlin_found(&y, buf, sizeof buf));
    yaml_mark_t start = y.ev.start_mark;
    calibrated_at cal = {0};
    yamlin_next(&y);
    size_t n;
    const char *first = y.ev.type == YAML_SCALAR_EVENT ? yamlin_scalar(&y, &n) : "";
    if (strcmp(first, "version") == 0 || strcmp(first, "metrics") == 0 ||
        strcmp(first, "embedding_model") == 0) {
        int have_version = 0, have_metrics = 0, version = 0;
        while (y.ev.type != YAML_MAPPING_END_EVENT) {
            const char *k = model_need_scalar(&y, "", "version or metrics", &n);
            char q[DIAG_QUOTE_MAX];
            if (strcmp(k, "version") == 0) {
                if (have_version++)
                    yamlin_die(&y, "key 'version' appears twice");
                yamlin_next(&y);
                version = read_version(&y);
            } else if (strcmp(k, "metrics") == 0) {
                if (have_metrics++)
                    yamlin_die(&y, "key 'metrics' appears twice");
                yamlin_next(&y);
                if (y.ev.type != YAML_MAPPING_START_EVENT)
                    yamlin_die(&y, "'metrics': expected a mapping of metric names (found %s)",
                               yamlin_found(&y, buf, sizeof buf));
                yaml_mark_t ms = y.ev.start_mark;
                for (yamlin_next(&y); y.ev.type != YAML_MAPPING_END_EVENT; yamlin_next(&y))
                    read_metric(&y, md, &cal);
                if (md->n == 0)
                    model_die_mark(&y, &ms, "no metrics in the model");
            } else if (strcmp(k, "embedding_model") == 0) {
                if (md->embedding_model)
                    yamlin_die(&y, "key 'embedding_model' appears twice");
                yamlin_next(&y);
                const char *v = model_need_scalar(&y, "'embedding_model'", "a name", &n);
                if (n == 0 || strlen(v) != n)
                    yamlin_die(&y, "'embedding_model' is not a name ('%s')",
                               diag_quote(q, sizeof q, v, n));
                md->embedding_model = xstrndup(v, n);
            } else {
                yamlin_die(&y, "unknown key '%s' (expected version, embedding_model, metrics)",
                           diag_quote(q, sizeof q, k, n));
            }
            yamlin_next(&y);
        }
        if (!have_version)
            model_die_mark(&y, &start, "the model has no 'version'");
        if (!have_metrics)
            model_die_mark(&y, &start, "the model has no 'metrics'");
        if (cal.seen && version < 2)
            model_die_mark(&y, &cal.at,
                           "method %s needs a version 2 model (the file says version %d)",
                           method_names[cal.method], version);
    } else {
        /* The article's dictionary: metric -> block. */
        for (; y.ev.type != YAML_MAPPING_END_EVENT; yamlin_next(&y))
            read_metric(&y, md, &cal);
        if (md->n == 0)
            model_die_mark(&y, &start, "no metrics in the model");
        if (cal.seen)
            model_die_mark(&y, &cal.at,
                           "method %s needs a version 2 model (the article's dictionary holds "
                           "logistic fits)",
                           method_names[cal.method]);
    }
    yamlin_next(&y); /* document end */
    yamlin_next(&y);
    if (y.ev.type != YAML_STREAM_END_EVENT)
        yamlin_die(&y, "more than one YAML document (a model file holds one)");
    yamlin_close(&y);
    diag_forget_error(abandon, md);
    return md;
}

void model_clear(model *md)
{
    for (size_t i = 0; i < md->n; i++) {
        free(md->m[i].name);
        calib_curve_free(&md->m[i].curve);
    }
    free(md->m);
    free(md->embedding_model);
    strmap_free(&md->index);
}

void model_free(model *md)
{
    if (!md)
        return;
    model_clear(md);
    free(md);
}

model_metric *model_find(model *md, const char *name)
{
    if (!md->index.slots) {
        strmap_init(&md->index, md->n);
        md->indexed = 0;
    }
    for (; md->indexed < md->n; md->indexed++) {
        const char *k = md->m[md->indexed].name;
        int found;
        uint64_t *v = strmap_put(&md->index, k, strlen(k), &found);
        if (!found)
            *v = md->indexed;
    }
    const uint64_t *v = strmap_get(&md->index, name, strlen(name));
    return v ? &md->m[*v] : NULL;
}
