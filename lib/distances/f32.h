/* f32: a value of the embedding store, a decimal number read as float32:
 * strictly (num.h's syntax: no blanks, no hex, no NaN or Inf), and fast for
 * the plain decimals that stores hold.
 *
 *   const char *q = f32_scan(p, end, &v);     fast: NULL when it cannot tell
 *   if (!q) why = f32_parse(p, n, &v);         strict: NULL, or what is wrong
 *
 * emb.c reads a store with these. */
#ifndef F32_H
#define F32_H

#include <stddef.h>

/* The fast path: a plain decimal at p, rounded to float32.  Python writes
 * float32 embeddings with up to 17 digits, past num_parse's exact fast path
 * (strtod costs about 100 ns a number: most of the time of loading a
 * store), so here m * 10^e is computed in double (m below 10^19, |e| <= 22:
 * within 2 ulps of the decimal) and rounded to float32, which is the
 * correctly rounded result unless that double lies within a few ulps of a
 * point halfway between two floats.  Returns where the number ends, or NULL
 * when this path cannot tell: the caller then takes the field through
 * f32_parse. */
const char *f32_scan(const char *p, const char *end, float *res);

/* The whole field p[0..n) as float32, strictly; the field must be followed
 * by a byte that cannot continue a number (a TAB, a comma, a blank, ']' or
 * a NUL).  Returns NULL and sets *res (a double too small for float32,
 * 1e-50, is 0 as strtof gives it), or what is wrong: num_parse's reason,
 * "is NaN", "is infinite", "is out of float32 range" (also for a number
 * too small even for a double, 1e-400, which num_parse refuses). */
const char *f32_parse(const char *p, size_t n, float *res);

/* Is p[0..n) NaN or an infinity (nan, inf, infinity, any case, signed)? */
int f32_is_nonfinite(const char *p, size_t n);

#endif
