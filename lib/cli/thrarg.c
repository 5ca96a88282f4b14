#include "cli/thrarg.h"
#include "common/diag.h"
#include "stream/num.h"

#include <stdlib.h>
#include <string.h>

/* The number p, else THRARG_NUMBER with a copy of p in t->bad. */
static int number(thrarg *t, const char *p, double *v, const char **bad, const char **why)
{
    *why = num_parse(p, strlen(p), v);
    if (!*why)
        return THRARG_OK;
    free(t->bad);
    *bad = t->bad = xstrdup(p);
    return THRARG_NUMBER;
}

int thrarg_parse(thrarg *t, const char *arg, const char **bad, const char **why)
{
    if (!strchr(arg, '=')) {
        int st = number(t, arg, &t->all, bad, why);
        t->all_set |= st == THRARG_OK;
        return st;
    }
    char *copy = xstrdup(arg), *save = NULL;
    int st = THRARG_OK;
    for (char *item = strtok_r(copy, ",", &save); item && !st;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        double v;
        if (!eq || eq == item)
            st = THRARG_FORM;
        else if (!(st = number(t, eq + 1, &v, bad, why))) {
            *eq = '\0';
            t->names = xreallocarray(t->names, t->n + 1, sizeof *t->names);
            t->values = xreallocarray(t->values, t->n + 1, sizeof *t->values);
            t->names[t->n] = xstrdup(item);
            t->values[t->n++] = v;
        }
    }
    free(copy);
    return st;
}

int thrarg_get(const thrarg *t, const char *name, double *value)
{
    for (size_t i = t->n; i-- > 0;)
        if (strcmp(t->names[i], name) == 0) {
            *value = t->values[i];
            return 1;
        }
    if (t->all_set)
        *value = t->all;
    return t->all_set;
}

void thrarg_free(thrarg *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->values);
    free(t->bad);
    memset(t, 0, sizeof *t);
}
