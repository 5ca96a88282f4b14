/* model_values: the values of a model file's keys (see model_read_impl.h). */
#include "mapping/model_read_impl.h"
#include "stream/num.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

noreturn void model_die_mark(const yamlin *y, const yaml_mark_t *m, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die("%s:%zu:%zu: %s", y->name, m->line + 1, m->column + 1, msg);
}

/* The current event must be a scalar: "WHERE: expected WHAT (found ...)". */
const char *model_need_scalar(yamlin *y, const char *where, const char *what, size_t *len)
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
double model_scalar_number(yamlin *y, const char *metric, const char *key)
{
    char what[160];
    snprintf(what, sizeof what, "metric '%s': '%s'", metric, key);
    size_t n;
    const char *s = model_need_scalar(y, what, "a number", &n);
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

uint64_t model_scalar_count(yamlin *y, const char *metric, const char *key)
{
    double v = model_scalar_number(y, metric, key);
    if (!(v >= 0 && v <= 9007199254740992.0 && v == floor(v))) {
        char q[DIAG_QUOTE_MAX];
        size_t n;
        const char *s = yamlin_scalar(y, &n);
        yamlin_die(y, "metric '%s': '%s' is not a count ('%s')", metric, key,
                   diag_quote(q, sizeof q, s, n));
    }
    return (uint64_t)v;
}

void model_scalar_string(yamlin *y, const char *metric, const char *key, char *dst, size_t cap)
{
    char what[160];
    snprintf(what, sizeof what, "metric '%s': '%s'", metric, key);
    size_t n;
    const char *s = model_need_scalar(y, what, "a string", &n);
    if (n >= cap || memchr(s, '\0', n)) {
        char q[DIAG_QUOTE_MAX];
        yamlin_die(y, "%s is too long ('%s')", what, diag_quote(q, sizeof q, s, n));
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* method: one of method_names. */
model_method model_scalar_method(yamlin *y, const char *metric)
{
    char what[160];
    snprintf(what, sizeof what, "metric '%s': 'method'", metric);
    size_t n;
    const char *s = model_need_scalar(y, what, "a method", &n);
    for (int i = 0; i < METHOD_N; i++)
        if (strlen(method_names[i]) == n && memcmp(s, method_names[i], n) == 0)
            return (model_method)i;
    char q[DIAG_QUOTE_MAX];
    yamlin_die(y, "%s: unknown method '%s' (expected logistic, platt, isotonic or venn-abers)",
               what, diag_quote(q, sizeof q, s, n));
}

/* A sequence of numbers, at least one; *n gets its length. */
double *model_scalar_numbers(yamlin *y, const char *metric, const char *key, size_t *n)
{
    if (y->ev.type != YAML_SEQUENCE_START_EVENT) {
        char buf[128];
        yamlin_die(y, "metric '%s': '%s': expected a list of numbers (found %s)", metric, key,
                   yamlin_found(y, buf, sizeof buf));
    }
    double *v = NULL;
    size_t k = 0;
    for (yamlin_next(y); y->ev.type != YAML_SEQUENCE_END_EVENT; yamlin_next(y)) {
        if ((k & (k - 1)) == 0) /* 0 or a power of two: full */
            v = xreallocarray(v, k ? 2 * k : 1, sizeof *v);
        v[k++] = model_scalar_number(y, metric, key);
    }
    if (k == 0)
        yamlin_die(y, "metric '%s': '%s' is an empty list", metric, key);
    *n = k;
    return v;
}
