/* thrarg: the -t option of logfit and confmap: "0.4" for every column, or
 * "cosine=0.4,euclidean=10" per column; repeated -t options add up.  The
 * parser says what is wrong; the caller words it (cli.h's cli_threshold). */
#ifndef THRARG_H
#define THRARG_H

#include <stddef.h>

typedef struct thrarg {
    int all_set;
    double all;
    size_t n;
    char **names;
    double *values;
    char *bad; /* the value of the last THRARG_NUMBER */
} thrarg;

enum { THRARG_OK, THRARG_FORM, THRARG_NUMBER };
/* Parse one -t value into t.  Returns THRARG_OK; THRARG_FORM when an item
 * of a per-name list lacks '=' or a name before it; THRARG_NUMBER when a
 * value is not a number: *bad is that value (valid until the next call)
 * and *why num_parse's reason. */
int thrarg_parse(thrarg *t, const char *arg, const char **bad, const char **why);
/* The threshold given for `name`: by name (the last one given wins), else
 * the bare value.  Returns 0 when neither was given. */
int thrarg_get(const thrarg *t, const char *name, double *value);
void thrarg_free(thrarg *t);

#endif
