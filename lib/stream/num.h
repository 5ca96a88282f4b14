/* num: strict number parsing and exact, fast number printing: the one
 * place a number of the stream is read or written.
 *
 * Reading returns a reason instead of dying, so that the caller composes
 * the message (datamash's pattern): tsv_number names the file, line and
 * column; the store (f32.h) its value and item.
 *   double v;
 *   const char *why = num_parse(p, n, &v);      NULL, or "is not a number"
 * Writing: num_fmt_fixed for columns people read (-p N decimals),
 * num_fmt_shortest for model files (the double survives the round trip). */
#ifndef NUM_H
#define NUM_H

#include <stddef.h>
#include <stdint.h>

/* Parse p[0..n) as a decimal number in the C locale: the whole field, no
 * blanks, no hex, no NaN/Inf, no overflow (an underflow reads as strtod
 * reads it: the nearest subnormal, or zero).  Returns NULL and sets *out,
 * or a short reason ("is empty", "is not a number", ...). */
const char *num_parse(const char *p, size_t n, double *out);

/* Parse p[0..n) as a truth value (the column `same`, a class column): a
 * number equal to 0 or 1 ("0", "1", "1.0" as pandas writes a float column),
 * or true/false, True/False (pandas), TRUE/FALSE (R).  Returns NULL and sets
 * *out to 0 or 1, or a short reason. */
const char *num_parse_truth(const char *p, size_t n, int *out);

/* Like printf("%.*f", prec, x), same digits, faster.  dst must hold
 * NUM_FMT_MAX bytes (bytes past the length may be written as scratch);
 * returns the length written (no NUL).  Inline, in two steps, for writers
 * of many numbers: num_fixed.h. */
size_t num_fmt_fixed(char *dst, double x, int prec);

/* What num_parse reads back from num_fmt_fixed(x, prec) (x finite),
 * without the text when it can: a value rounded as it would be printed. */
double num_round(double x, int prec);

/* The shortest decimal that reads back as exactly x ("%.17g" at most).
 * dst must hold NUM_FMT_MAX bytes; NUL-terminated; returns the length. */
size_t num_fmt_shortest(char *dst, double x);

/* v in decimal, as printf("%" PRIu64); dst must hold 20 bytes; returns
 * the length written (no NUL). */
size_t num_fmt_uint(char *dst, uint64_t v);

/* Room for any double in %.*f with prec <= NUM_PREC_MAX. */
#define NUM_PREC_MAX 17
#define NUM_FMT_MAX 352

/* Parse an option argument: the whole string, strictly; a bad one is a
 * usage error naming the option.  */
double num_arg(const char *opt, const char *arg);
long long num_arg_int(const char *opt, const char *arg, long long lo, long long hi);

#endif
