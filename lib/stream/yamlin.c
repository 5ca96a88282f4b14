/* yamlin: YAML events with distconf's messages.  See yamlin.h. */
#include "stream/yamlin.h"
#include "stream/zio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void abandon(void *arg) { yamlin_close(arg); }

void yamlin_open(yamlin *y, const char *path)
{
    memset(y, 0, sizeof *y);
    diag_on_error(abandon, y);
    y->gz = zio_open(path, &y->name);
    size_t cap = 1 << 16;
    y->data = xmalloc(cap);
    for (;;) {
        if (y->size == cap) {
            if (cap >= YAMLIN_MAX_BYTES)
                die("%s: file too large (more than %zu MiB)", y->name,
                    YAMLIN_MAX_BYTES >> 20);
            cap *= 2;
            y->data = xrealloc(y->data, cap);
        }
        size_t got = zio_read(y->gz, y->data + y->size, cap - y->size, 0);
        if (got == 0)
            break;
        y->size += got;
    }
    zio_close(y->gz);
    y->gz = NULL;
    if (!yaml_parser_initialize(&y->parser))
        die("out of memory");
    yaml_parser_set_input_string(&y->parser, y->data, y->size);
}

void yamlin_close(yamlin *y)
{
    diag_forget_error(abandon, y);
    if (y->gz)
        zio_close(y->gz); /* an error while reading the file */
    if (y->have_ev)
        yaml_event_delete(&y->ev);
    yaml_parser_delete(&y->parser);
    free(y->data);
    memset(y, 0, sizeof *y);
}

void yamlin_next(yamlin *y)
{
    if (y->have_ev)
        yaml_event_delete(&y->ev);
    y->have_ev = 0;
    if (!yaml_parser_parse(&y->parser, &y->ev)) {
        yaml_parser_t *p = &y->parser;
        if (p->error == YAML_MEMORY_ERROR)
            die("%s: out of memory", y->name);
        const yaml_mark_t *m = &p->problem_mark;
        const char *problem = p->problem ? p->problem : "invalid YAML";
        if (p->context)
            die("%s:%zu:%zu: not valid YAML: %s %s (at line %zu, column %zu)", y->name,
                m->line + 1, m->column + 1, problem, p->context, p->context_mark.line + 1,
                p->context_mark.column + 1);
        die("%s:%zu:%zu: not valid YAML: %s", y->name, m->line + 1, m->column + 1, problem);
    }
    y->have_ev = 1;
    if (y->ev.type == YAML_ALIAS_EVENT)
        yamlin_die(y, "YAML aliases are not supported ('*%s')", y->ev.data.alias.anchor);
}

void yamlin_die(const yamlin *y, const char *fmt, ...)
{
    /* "FILE:LINE:COL" stands where die_at puts "FILE:LINE" */
    char where[4096 + 64]; /* a path, two numbers */
    const yaml_mark_t *m = &y->ev.start_mark;
    snprintf(where, sizeof where, "%s:%zu:%zu", y->name, m->line + 1, m->column + 1);
    va_list ap;
    va_start(ap, fmt);
    vdie_at(where, 0, fmt, ap);
}

const char *yamlin_found(const yamlin *y, char *buf, size_t bufsize)
{
    switch (y->ev.type) {
    case YAML_SCALAR_EVENT: {
        char q[DIAG_QUOTE_MAX];
        size_t n;
        const char *s = yamlin_scalar(y, &n);
        snprintf(buf, bufsize, "a scalar '%s'", diag_quote(q, sizeof q, s, n));
        return buf;
    }
    case YAML_MAPPING_START_EVENT:
        return "a mapping";
    case YAML_SEQUENCE_START_EVENT:
        return "a list";
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        return "the end of the block";
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT:
        return "the end of the document";
    default:
        return "something else";
    }
}

int yamlin_is_null(const yamlin *y)
{
    if (y->ev.type != YAML_SCALAR_EVENT || y->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)y->ev.data.scalar.value;
    return !strcmp(s, "") || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}
