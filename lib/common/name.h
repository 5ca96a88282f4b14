/* name: the one rule for each kind of name that enters distconf, checked
 * once, where the name is read (identities file, embedding store, stream
 * header, model file), and the one way a name is shown to a person.
 *
 * A name ends up as a field of a TSV stream (TAB and LF separate fields
 * and records; a CR before LF is dropped on input), in a preamble line
 * (`#embeddings=PATH`), or as a key of a YAML model (Unicode text only).
 * So every kind refuses the empty string, TAB, LF, CR and NUL, and a name
 * written into a model must be valid UTF-8 too.  Anything else is allowed,
 * of any length: no name is ever cut or copied into a fixed buffer.
 *
 * The module reports; the caller words the message (with the file, line
 * and the name shown through diag_quote) and decides what to do. */
#ifndef NAME_H
#define NAME_H

#include <stddef.h>

typedef enum name_kind {
    NAME_ITEM,     /* an item: identities file, embedding store */
    NAME_IDENTITY, /* an identity of the identities file (id_a, id_b) */
    NAME_COLUMN,   /* a metric (distance column) that goes into a model */
    NAME_PATH,     /* the `embeddings:` path, written into #embeddings= */
} name_kind;

/* NULL when p[0..n) is a valid name of that kind, else what is wrong:
 * "is empty", "holds a TAB", "holds a line feed", "holds a carriage
 * return", "holds a NUL byte", "is not valid UTF-8". */
const char *name_check(name_kind kind, const char *p, size_t n);

/* The character at p[0..n) (n > 0): its length, and in *shown whether it
 * may be shown as it is.  It may when it is valid UTF-8 (no overlong form,
 * no surrogate, at most U+10FFFF) and not a C0 or C1 control character nor
 * DEL, not U+FFFE or U+FFFF, not a line or paragraph separator (U+2028,
 * U+2029), a byte-order mark (U+FEFF) or a bidirectional control (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069).  Otherwise it is shown
 * as one '?' (a byte that does not begin valid UTF-8 is a character of
 * length 1 here): what keeps a name from driving a terminal and keeps an
 * SVG valid XML 1.0. */
size_t name_char(const char *p, size_t n, int *shown);

/* p[0..n) as it may be shown (each refused byte as '?', see above), whole,
 * as a new NUL-terminated string; the caller frees it. */
char *name_show(const char *p, size_t n);

/* The number of characters of a string that name_show() returned (its
 * width in a terminal, near enough). */
size_t name_width(const char *s);

/* 1 when s, written as a plain YAML scalar, reads back as the string s
 * under both YAML 1.1 (PyYAML) and YAML 1.2 (libyaml, ruamel) rules; 0
 * when it must be quoted: empty, a number, boolean, null, timestamp or
 * other implicit type of either version, a YAML indicator at its start,
 * ": " or " #" inside, a space at either end, or any character outside a
 * small safe set.  Conservative: a plain string is also plain here only
 * when it is made of letters, digits and "_-./" and starts with a letter
 * or '_'. */
int name_yaml_plain(const char *s, size_t n);

/* For messages: s as diag_quote() shows it (cut to 40 bytes, controls and
 * invalid UTF-8 as '?'), in one of NAME_Q_SLOTS static buffers used in
 * turn, so that one message may show up to that many names. */
#define NAME_Q_SLOTS 4
const char *name_q(const char *s);

/* Append name to the comma-separated list of names in buf (cap bytes,
 * NUL-terminated, "" to begin with), shown as diag_quote() shows a value;
 * once the next one would not fit, ", ..." ends the list and later names
 * are left out.  For messages that list the names found. */
void name_list_add(char *buf, size_t cap, const char *name);

/* What confmap's column names say a column holds: METRIC_confidence,
 * METRIC_probability, METRIC_probability_lo or _hi (a bound of Venn-Abers'
 * interval), each with a METRIC before it; else none.  All are percents,
 * higher for a same pair. */
typedef enum name_score {
    NAME_SCORE_NONE,
    NAME_SCORE_CONFIDENCE,
    NAME_SCORE_PROBABILITY,
    NAME_SCORE_BOUND,
} name_score;
name_score name_score_of(const char *column);

#endif
