#include "common/thrarg.h"
#include "common/diag.h"
#include "stream/num.h"

#include <stdlib.h>
#include <string.h>

void thrarg_parse(thrarg *t, const char *arg, const char *what)
{
    if (!strchr(arg, '=')) {
        t->all_set = 1;
        t->all = num_arg("--threshold", arg);
        return;
    }
    char *copy = xstrdup(arg), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq || eq == item) {
            free(copy);
            die_usage("invalid value for --threshold: '%s' (expected %s=T,...)", arg, what);
        }
        *eq = '\0';
        t->names = xreallocarray(t->names, t->n + 1, sizeof *t->names);
        t->values = xreallocarray(t->values, t->n + 1, sizeof *t->values);
        t->names[t->n] = xstrdup(item);
        t->values[t->n++] = num_arg("--threshold", eq + 1);
    }
    free(copy);
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
    memset(t, 0, sizeof *t);
}
