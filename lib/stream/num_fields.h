/* num_fields: a column of fields parsed at once, for the readers of many
 * rows (confmap, logfit): the same numbers and the same first error as
 * num_parse field by field, faster.
 *
 *   const char *why;
 *   size_t bad = num_parse_fields(f, n, end, v, &why);
 *   bad == n: v[0..n) set; else field bad is no number (why), and
 *   v[0..bad) are set.
 *
 * Where the CPU has AVX2, four fields a step: each usual decimal
 * [0-9]{1,7}.[0-9]{1,8} whose 16 bytes from its start lie before `end` (a
 * field's text and what follows it: read, never used) is read with vector
 * instructions; any other field (a sign, an exponent, more digits, the
 * last bytes before end) goes to num_parse. */
#ifndef NUM_FIELDS_H
#define NUM_FIELDS_H

#include <stddef.h>

#include "stream/tsv.h"

size_t num_parse_fields(const tsv_field *f, size_t n, const char *end, double *v,
                        const char **why);

#endif
