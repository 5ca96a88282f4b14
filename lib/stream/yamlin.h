/* yamlin: reading YAML documents event by event through libyaml, with
 * distconf's error messages ("PROG: FILE:LINE:COL: what (found)").
 *
 * The whole file (plain or gzip, at most YAMLIN_MAX_BYTES) is read first, so
 * a YAML error never leaves a half-consumed stream behind.  Aliases are
 * refused: no distconf file needs them, and they are how "billion laughs"
 * documents explode. */
#ifndef YAMLIN_H
#define YAMLIN_H

#include <stdnoreturn.h>
#include <yaml.h>

#include "common/diag.h"

typedef struct yamlin {
    yaml_parser_t parser;
    yaml_event_t ev; /* the current event, after yamlin_next */
    int have_ev;
    const char *name; /* for messages: the path or "<stdin>" */
    struct zio *gz;   /* while the file is being read */
    unsigned char *data;
    size_t size;
} yamlin;

#define YAMLIN_MAX_BYTES ((size_t)256 << 20)

void yamlin_open(yamlin *y, const char *path);
void yamlin_close(yamlin *y);
/* Parse the next event into y->ev; a YAML syntax error or an alias ends
 * the program with the position. */
void yamlin_next(yamlin *y);
/* Die with the position of the current event. */
noreturn void yamlin_die(const yamlin *y, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* "a mapping", "a list", "a scalar ('x')", "the end of the document"...
 * for "expected X (found Y)" messages; uses buf. */
const char *yamlin_found(const yamlin *y, char *buf, size_t bufsize);
/* The current event is a scalar: its text and length. */
static inline const char *yamlin_scalar(const yamlin *y, size_t *len)
{
    *len = y->ev.data.scalar.length;
    return (const char *)y->ev.data.scalar.value;
}
/* The current event is a plain null scalar ("", "~", "null"). */
int yamlin_is_null(const yamlin *y);

#endif
