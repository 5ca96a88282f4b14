/* model_write: logfit's model file through libyaml's emitter (SPEC.md, "The
 * model file").  Keys in SPEC.md's order; doubles as the shortest decimal
 * that reads back as the very same double. */
#include "common/diag.h"
#include "common/name.h"
#include "mapping/model.h"
#include "stream/num.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    out_write(data, buffer, size);
    return 1;
}

static void emit(yaml_emitter_t *e, yaml_event_t *ev)
{
    if (!yaml_emitter_emit(e, ev))
        die("%s: cannot write the model (%s)", ((out *)e->write_handler_data)->name,
            e->problem ? e->problem : "libyaml error");
}

static void scalar(yaml_emitter_t *e, const char *s, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      style)) {
        /* the names were checked on reading: only memory can fail here */
        die("out of memory");
    }
    emit(e, &ev);
}

static void key(yaml_emitter_t *e, const char *s)
{
    scalar(e, s, YAML_PLAIN_SCALAR_STYLE);
}

/* A name or other string value: plain when every YAML reader takes it for
 * this very string (name_yaml_plain: "cosine", "Facenet512"); otherwise
 * quoted, so that neither YAML 1.1 (PyYAML: yes, on, 0o17, 1_000, 12:30,
 * 2024-01-01, .inf) nor YAML 1.2 reads a number, boolean, null or date.
 * Single quotes while it is printable ASCII ('0x10'), else double quotes,
 * in which libyaml escapes every control character, line or paragraph
 * separator and byte-order mark ("\e", "\N", "\uFEFF") and writes other
 * Unicode as it is.  model_read and PyYAML read back the same string. */
static void name_scalar(yaml_emitter_t *e, const char *s)
{
    size_t n = strlen(s);
    yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
    if (!name_yaml_plain(s, n)) {
        style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
                style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    }
    scalar(e, s, style);
}

/* The shortest round-trip decimal; an exponent form gets a ".0" in its
 * mantissa ("1.0e-09", not "1e-09") so that YAML 1.1 readers such as
 * PyYAML take it for a float too.  It reads back as the same double. */
static void number_value(yaml_emitter_t *e, double x)
{
    if (!isfinite(x)) /* (no reader takes it back: never written, never half a file) */
        die("%s: cannot write the model: a value is %s", ((out *)e->write_handler_data)->name,
            isnan(x) ? "NaN" : "infinite");
    char buf[NUM_FMT_MAX + 4];
    size_t n = num_fmt_shortest(buf, x);
    char *ex = memchr(buf, 'e', n);
    if (ex && !memchr(buf, '.', (size_t)(ex - buf))) {
        memmove(ex + 2, ex, n - (size_t)(ex - buf) + 1);
        ex[0] = '.';
        ex[1] = '0';
    }
    scalar(e, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void number(yaml_emitter_t *e, const char *k, double x)
{
    key(e, k);
    number_value(e, x);
}

/* k: [v0, v1, ...] on one line: a curve of thousands of knots stays a
 * line per key, and reads back as the same doubles. */
static void numbers(yaml_emitter_t *e, const char *k, const double *v, size_t n)
{
    yaml_event_t ev;
    key(e, k);
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE);
    emit(e, &ev);
    for (size_t i = 0; i < n; i++)
        number_value(e, v[i]);
    yaml_sequence_end_event_initialize(&ev);
    emit(e, &ev);
}

static void count(yaml_emitter_t *e, const char *k, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    key(e, k);
    scalar(e, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void text(yaml_emitter_t *e, const char *k, const char *v)
{
    key(e, k);
    name_scalar(e, v);
}

static void mapping_start(yaml_emitter_t *e)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    emit(e, &ev);
}

static void mapping_end(yaml_emitter_t *e)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    emit(e, &ev);
}

/* A calibrated metric's block: its method, its numbers, what it was
 * fitted on. */
static void write_calibrated(yaml_emitter_t *e, const model_metric *m)
{
    const calib_curve *c = &m->curve;
    text(e, "method", method_names[m->method]);
    if (m->has_threshold)
        number(e, "threshold", m->threshold);
    switch (m->method) {
    case METHOD_PLATT:
        number(e, "w", m->fit.w);
        number(e, "b", m->fit.b);
        break;
    case METHOD_ISOTONIC:
        numbers(e, "x", c->x, c->n);
        numbers(e, "p", c->p, c->n);
        break;
    case METHOD_VENN_ABERS:
        numbers(e, "x", c->x, c->n);
        numbers(e, "p0", c->p0, 2 * c->n + 1);
        numbers(e, "p1", c->p1, 2 * c->n + 1);
        break;
    case METHOD_LOGISTIC:
        break;
    }
    if (m->has_info) {
        count(e, "n", m->n);
        count(e, "n_true", m->n_true);
        if (m->has_range) {
            number(e, "range_min", m->range_min);
            number(e, "range_max", m->range_max);
        }
    }
}

void model_write(const model *md, out *o)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    if (!yaml_emitter_initialize(&e))
        die("out of memory");
    yaml_emitter_set_output(&e, write_handler, o);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_indent(&e, 2);
    yaml_emitter_set_width(&e, -1);
    yaml_emitter_set_break(&e, YAML_LN_BREAK);

    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(&e, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(&e, &ev);
    mapping_start(&e);
    int calibrated = 0;
    for (size_t i = 0; i < md->n; i++)
        calibrated |= md->m[i].method != METHOD_LOGISTIC;
    key(&e, "version");
    scalar(&e, calibrated ? "2" : "1", YAML_PLAIN_SCALAR_STYLE);
    if (md->embedding_model)
        text(&e, "embedding_model", md->embedding_model);
    key(&e, "metrics");
    mapping_start(&e);
    for (size_t i = 0; i < md->n; i++) {
        const model_metric *m = &md->m[i];
        name_scalar(&e, m->name);
        mapping_start(&e);
        if (m->method != METHOD_LOGISTIC) {
            write_calibrated(&e, m);
            mapping_end(&e);
            continue;
        }
        if (m->has_threshold)
            number(&e, "threshold", m->threshold);
        number(&e, "w", m->fit.w);
        number(&e, "b", m->fit.b);
        number(&e, "normalizer", m->fit.normalizer);
        number(&e, "denorm_max_true", m->fit.denorm_max_true);
        number(&e, "denorm_min_true", m->fit.denorm_min_true);
        number(&e, "denorm_max_false", m->fit.denorm_max_false);
        number(&e, "denorm_min_false", m->fit.denorm_min_false);
        if (m->has_info) {
            count(&e, "n", m->n);
            count(&e, "n_true", m->n_true);
            if (m->has_range) {
                number(&e, "range_min", m->range_min);
                number(&e, "range_max", m->range_max);
            }
            text(&e, "target", m->target);
            number(&e, "C", m->C);
            text(&e, "threshold_from", m->threshold_from);
            if (m->has_accuracy)
                number(&e, "accuracy", m->accuracy);
        }
        mapping_end(&e);
    }
    mapping_end(&e);
    mapping_end(&e);
    yaml_document_end_event_initialize(&ev, 1);
    emit(&e, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(&e, &ev);
    if (!yaml_emitter_flush(&e))
        die("%s: cannot write the model (%s)", o->name,
            e.problem ? e.problem : "libyaml error");
    yaml_emitter_delete(&e);
}
