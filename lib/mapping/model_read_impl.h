/* model_read_impl: the values of a model file's keys, read from the YAML
 * events (model_values.c), for model_read.c (private).  Each ends the
 * program with "FILE:LINE:COL: what" on a bad value. */
#ifndef MODEL_READ_IMPL_H
#define MODEL_READ_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "mapping/model.h"
#include "stream/yamlin.h"

/* Die at mark m (a block's start, a key's value). */
noreturn void model_die_mark(const yamlin *y, const yaml_mark_t *m, const char *fmt, ...)
    DIAG_PRINTF(3, 4);
/* The current event must be a scalar: "WHERE: expected WHAT (found ...)". */
const char *model_need_scalar(yamlin *y, const char *where, const char *what, size_t *len);
/* Metric `metric`'s key `key`: a number (plain, quoted, or numpy's
 * "np.float64(...)"), a count, a string of at most cap - 1 bytes, a
 * method name, a non-empty list of numbers (*n its length). */
double model_scalar_number(yamlin *y, const char *metric, const char *key);
uint64_t model_scalar_count(yamlin *y, const char *metric, const char *key);
void model_scalar_string(yamlin *y, const char *metric, const char *key, char *dst, size_t cap);
model_method model_scalar_method(yamlin *y, const char *metric);
double *model_scalar_numbers(yamlin *y, const char *metric, const char *key, size_t *n);

#endif
