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
#include "mapping/model.h"
#include "common/name.h"
#include "stream/num.h"
#include "stream/yamlin.h"

#include <math.h>
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
    K_NKEYS
};

static const char *const key_names[K_NKEYS] = {
    "threshold",
    "w",
    "b",
    "normalizer",
    "denorm_max_true",
    "denorm_min_true",
    "denorm_max_false",
    "denorm_min_false",
    "n",
    "n_true",
    "target",
    "C",
    "threshold_from",
    "accuracy",
    "range_min",
    "range_max",
};

static const char *key_list(void)
{
    return "threshold, w, b, normalizer, denorm_max_true, denorm_min_true, "
           "denorm_max_false, denorm_min_false, n, n_true, target, C, threshold_from, "
           "accuracy, range_min, range_max";
}

static int key_lookup(const char *s)
{
    for (int i = 0; i < K_NKEYS; i++)
        if (strcmp(s, key_names[i]) == 0)
            return i;
    return -1;
}

static noreturn void die_mark(const yamlin *y, const yaml_mark_t *m, const char *fmt, ...)
    DIAG_PRINTF(3, 4);
static noreturn void die_mark(const yamlin *y, const yaml_mark_t *m, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die("%s:%zu:%zu: %s", y->name, m->line + 1, m->column + 1, msg);
}

/* The current event must be a scalar: "WHERE: expected WHAT (found ...)". */
static const char *need_scalar(yamlin *y, const char *where, const char *what, size_t *len)
{
    if (y->ev.type != YAML_SCALAR_EVENT) {
        char buf[128];
        yamlin_die(y, "%s%sexpected %s (found %s)", where, *where ? ": " : "", what,
                   yamlin_found(y, buf, sizeof buf));
    }
    return yamlin_scalar(y, len);
}

/* A number: plain, quoted, or numpy's repr "np.float64(...)" (what a
 * printed dictionary of numpy scalars shows). */
static double scalar_number(yamlin *y, const char *metric, const char *key)
{
    char what[160];
    snprintf(what, sizeof what, "metric '%s': '%s'", metric, key);
    size_t n;
    const char *s = need_scalar(y, what, "a number", &n);
    const char *p = s;
    size_t pn = n;
    static const char *const wrappers[] = {"np.float64(", "numpy.float64(", "float("};
    for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++) {
        size_t w = strlen(wrappers[i]);
        if (pn > w && strncmp(p, wrappers[i], w) == 0 && p[pn - 1] == ')') {
            p += w;
            pn -= w + 1;
            break;
        }
    }
    double v;
    const char *why = num_parse(p, pn, &v);
    if (why) {
        char q[DIAG_QUOTE_MAX];
        if (n == 0)
            yamlin_die(y, "%s %s", what, why);
        yamlin_die(y, "%s %s ('%s')", what, why, diag_quote(q, sizeof q, s, n));
    }
    return v;
}

static uint64_t scalar_count(yamlin *y, const char *metric, const char *key)
{
    double v = scalar_number(y, metric, key);
    if (!(v >= 0 && v <= 9007199254740992.0 && v == floor(v))) {
        char q[DIAG_QUOTE_MAX];
        size_t n;
        const char *s = yamlin_scalar(y, &n);
        yamlin_die(y, "metric '%s': '%s' is not a count ('%s')", metric, key,
                   diag_quote(q, sizeof q, s, n));
    }
    return (uint64_t)v;
}

static void scalar_string(yamlin *y, const char *metric, const char *key, char *dst, size_t cap)
{
    char what[160];
    snprintf(what, sizeof what, "metric '%s': '%s'", metric, key);
    size_t n;
    const char *s = need_scalar(y, what, "a string", &n);
    if (n >= cap || memchr(s, '\0', n)) {
        char q[DIAG_QUOTE_MAX];
        yamlin_die(y, "%s is too long ('%s')", what, diag_quote(q, sizeof q, s, n));
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* The current event is the metric's value: its block of keys. */
static void read_block(yamlin *y, model_metric *m)
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
    for (;;) {
        yamlin_next(y);
        if (y->ev.type == YAML_MAPPING_END_EVENT)
            break;
        size_t n;
        char what[160];
        snprintf(what, sizeof what, "metric '%s'", mn);
        const char *s = need_scalar(y, what, "a key", &n);
        int k = strlen(s) == n ? key_lookup(s) : -1;
        char q[DIAG_QUOTE_MAX];
        if (k < 0)
            yamlin_die(y, "metric '%s': unknown key '%s' (expected one of: %s)", mn,
                       diag_quote(q, sizeof q, s, n), key_list());
        if (seen[k])
            yamlin_die(y, "metric '%s': key '%s' appears twice", mn, key_names[k]);
        seen[k] = 1;
        yamlin_next(y);
        switch (k) {
        case K_THRESHOLD:
            m->threshold = scalar_number(y, mn, key_names[k]);
            m->has_threshold = 1;
            break;
        case K_W:
            m->w = scalar_number(y, mn, key_names[k]);
            break;
        case K_B:
            m->b = scalar_number(y, mn, key_names[k]);
            break;
        case K_NORMALIZER:
            m->normalizer = scalar_number(y, mn, key_names[k]);
            break;
        case K_MAX_TRUE:
            m->denorm_max_true = scalar_number(y, mn, key_names[k]);
            break;
        case K_MIN_TRUE:
            m->denorm_min_true = scalar_number(y, mn, key_names[k]);
            break;
        case K_MAX_FALSE:
            m->denorm_max_false = scalar_number(y, mn, key_names[k]);
            break;
        case K_MIN_FALSE:
            m->denorm_min_false = scalar_number(y, mn, key_names[k]);
            break;
        case K_N:
            m->n = scalar_count(y, mn, key_names[k]);
            break;
        case K_N_TRUE:
            m->n_true = scalar_count(y, mn, key_names[k]);
            break;
        case K_C:
            m->C = scalar_number(y, mn, key_names[k]);
            break;
        case K_ACCURACY:
            m->accuracy = scalar_number(y, mn, key_names[k]);
            m->has_accuracy = 1;
            break;
        case K_RANGE_MIN:
            m->range_min = scalar_number(y, mn, key_names[k]);
            break;
        case K_RANGE_MAX:
            m->range_max = scalar_number(y, mn, key_names[k]);
            break;
        case K_TARGET:
            scalar_string(y, mn, key_names[k], m->target, sizeof m->target);
            if (strcmp(m->target, "decision") != 0 && strcmp(m->target, "truth") != 0) {
                size_t tn;
                const char *t = yamlin_scalar(y, &tn);
                yamlin_die(y, "metric '%s': 'target' is neither decision nor truth ('%s')",
                           mn, diag_quote(q, sizeof q, t, tn));
            }
            break;
        case K_THRESHOLD_FROM:
            scalar_string(y, mn, key_names[k], m->threshold_from,
                          sizeof m->threshold_from);
            break;
        }
        if (k >= K_N)
            m->has_info = 1;
    }
    for (int k = K_W; k <= K_MIN_FALSE; k++)
        if (!seen[k])
            die_mark(y, &start, "metric '%s' has no '%s'", mn, key_names[k]);
    if (seen[K_RANGE_MIN] != seen[K_RANGE_MAX])
        die_mark(y, &start, "metric '%s' has '%s' but no '%s'", mn,
                 key_names[seen[K_RANGE_MIN] ? K_RANGE_MIN : K_RANGE_MAX],
                 key_names[seen[K_RANGE_MIN] ? K_RANGE_MAX : K_RANGE_MIN]);
    m->has_range = seen[K_RANGE_MIN];
    if (m->has_range && m->range_min > m->range_max)
        die_mark(y, &start, "metric '%s': range_min (%.17g) exceeds range_max (%.17g)",
                 mn, m->range_min, m->range_max);
    if (m->denorm_min_true > m->denorm_max_true)
        die_mark(y, &start,
                 "metric '%s': denorm_min_true (%.17g) exceeds denorm_max_true (%.17g)",
                 mn, m->denorm_min_true, m->denorm_max_true);
    if (m->denorm_min_false > m->denorm_max_false)
        die_mark(y, &start,
                 "metric '%s': denorm_min_false (%.17g) exceeds denorm_max_false (%.17g)",
                 mn, m->denorm_min_false, m->denorm_max_false);
}

/* The current event is a metric's name (a scalar key): add its block. */
static void read_metric(yamlin *y, model *md)
{
    size_t n;
    const char *s = need_scalar(y, "", "a metric name", &n);
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
    read_block(y, m);
}

static void read_version(yamlin *y)
{
    size_t n;
    const char *s = need_scalar(y, "'version'", "1", &n);
    if (!(n == 1 && s[0] == '1')) {
        char q[DIAG_QUOTE_MAX];
        yamlin_die(y, "unsupported model version '%s' (this confmap reads version 1)",
                   diag_quote(q, sizeof q, s, n));
    }
}

static void abandon(void *md) { model_free(md); }

model *model_read(const char *path)
{
    yamlin y;
    yamlin_open(&y, path);
    model *md = xcalloc(1, sizeof *md);
    diag_on_error(abandon, md); /* nothing left behind by an error */
    yamlin_next(&y); /* stream start */
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
    yamlin_next(&y);
    size_t n;
    const char *first = y.ev.type == YAML_SCALAR_EVENT ? yamlin_scalar(&y, &n) : "";
    if (strcmp(first, "version") == 0 || strcmp(first, "metrics") == 0 ||
        strcmp(first, "embedding_model") == 0) {
        int have_version = 0, have_metrics = 0;
        while (y.ev.type != YAML_MAPPING_END_EVENT) {
            const char *k = need_scalar(&y, "", "version or metrics", &n);
            char q[DIAG_QUOTE_MAX];
            if (strcmp(k, "version") == 0) {
                if (have_version++)
                    yamlin_die(&y, "key 'version' appears twice");
                yamlin_next(&y);
                read_version(&y);
            } else if (strcmp(k, "metrics") == 0) {
                if (have_metrics++)
                    yamlin_die(&y, "key 'metrics' appears twice");
                yamlin_next(&y);
                if (y.ev.type != YAML_MAPPING_START_EVENT)
                    yamlin_die(&y, "'metrics': expected a mapping of metric names (found %s)",
                               yamlin_found(&y, buf, sizeof buf));
                yaml_mark_t ms = y.ev.start_mark;
                for (yamlin_next(&y); y.ev.type != YAML_MAPPING_END_EVENT; yamlin_next(&y))
                    read_metric(&y, md);
                if (md->n == 0)
                    die_mark(&y, &ms, "no metrics in the model");
            } else if (strcmp(k, "embedding_model") == 0) {
                if (md->embedding_model)
                    yamlin_die(&y, "key 'embedding_model' appears twice");
                yamlin_next(&y);
                const char *v = need_scalar(&y, "'embedding_model'", "a name", &n);
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
            die_mark(&y, &start, "the model has no 'version'");
        if (!have_metrics)
            die_mark(&y, &start, "the model has no 'metrics'");
    } else {
        /* The article's dictionary: metric -> block. */
        for (; y.ev.type != YAML_MAPPING_END_EVENT; yamlin_next(&y))
            read_metric(&y, md);
        if (md->n == 0)
            die_mark(&y, &start, "no metrics in the model");
    }
    yamlin_next(&y); /* document end */
    yamlin_next(&y);
    if (y.ev.type != YAML_STREAM_END_EVENT)
        yamlin_die(&y, "more than one YAML document (a model file holds one)");
    yamlin_close(&y);
    diag_forget_error(abandon, md);
    return md;
}

void model_free(model *md)
{
    if (!md)
        return;
    for (size_t i = 0; i < md->n; i++)
        free(md->m[i].name);
    free(md->m);
    free(md->embedding_model);
    strmap_free(&md->index);
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
