/* thrarg: the -t option of logfit and confmap: "0.4" for every column, or
 * "cosine=0.4,euclidean=10" per column; repeated -t options add up. */
#ifndef THRARG_H
#define THRARG_H

#include <stddef.h>

typedef struct thrarg {
    int all_set;
    double all;
    size_t n;
    char **names;
    double *values;
} thrarg;

/* Parse one -t value into t; `what` names the per-column form in messages
 * ("METRIC" or "COL").  A bad value is a usage error. */
void thrarg_parse(thrarg *t, const char *arg, const char *what);
/* The threshold given for `name`: by name (the last one given wins), else
 * the bare value.  Returns 0 when neither was given. */
int thrarg_get(const thrarg *t, const char *name, double *value);
void thrarg_free(thrarg *t);

#endif
