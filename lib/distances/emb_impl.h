/* emb_impl: what the files of the store loader share (emb.c: a line read
 * whole, the load; emb_long.c: the buffer read in chunks, and a line too
 * long to hold read value by value).  Not for other modules: they use
 * emb.h. */
#ifndef EMB_IMPL_H
#define EMB_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "distances/emb.h"
#include "stream/zio.h"

/* The store is read in chunks, never a whole line at a time: a line of a
 * vector of 10^7 values is some 100 MB of text, and holding it (or growing
 * a buffer to it) would cost more than the vector.  A line of at most LOOK
 * bytes is parsed in place; a longer one value by value. */
#define LOOK emb_look

typedef struct emb_rd {
    zio *gz;
    const char *name;
    char *buf;            /* cap + 1 bytes; buf[end] is '\0' */
    size_t cap, pos, end; /* unread data is buf[pos..end) */
    int eof;
    uint64_t line; /* the line being read, 1-based */
} emb_rd;

/* emb_long.c.  Read more data, keeping buf[pos..end) (moved to the front;
 * the buffer grows only when that fills it).  Returns 0 at the end. */
int emb_rd_more(emb_rd *s);
/* The first of a or b at or after buf[pos + from], reading on as needed;
 * NULL at the end of the data.  (Pointers into buf last until emb_rd_more.) */
char *emb_rd_find(emb_rd *s, size_t from, char a, char b);
/* Skip to the start of the next line. */
void emb_skip_line(emb_rd *r);
/* Is the long line at buf[pos..] a header (emb_is_header on its start)? */
int emb_long_header(emb_rd *r);
/* The line at buf[pos..], longer than LOOK, read value by value: memory is
 * the vector's and a buffer of a few MiB, not the line's.  The same checks
 * and messages as a line read whole, in the order the values come. */
void emb_parse_long_line(emb *e, emb_rd *r, size_t *cap, uint64_t first_line);

/* emb.c.  A line of at most LOOK bytes, text[0..len) without its LF (a CR
 * is taken off here; text[len] becomes '\0'), at line r->line: a header
 * (line 1), or a row added, or an error.  *first_line: the line of row 0,
 * set by the first row. */
void emb_line(emb *e, const emb_rd *r, char *text, size_t len, size_t *cap,
              uint64_t *first_line);

/* The values of a line: where they start and end, and what separates them. */
typedef struct emb_values {
    const char *p, *end;
    char sep;
} emb_values;
/* Split the text after the name into its values.  Returns NULL or what is
 * wrong. */
const char *emb_find_values(const char *p, const char *end, emb_values *v);

/* emb_par.c.  The rest of the store from buf[pos..] (e->dim known, row 0
 * on first_line), in batches of whole lines parsed by jobs threads, added
 * in order by this one (the same rows, checks and messages as emb_line).
 * Returns at the end of the data, or with buf[pos..end) starting at a line
 * longer than LOOK, for the caller to go on with. */
void emb_load_batches(emb *e, emb_rd *r, size_t *cap, uint64_t first_line, int jobs);

/* emb.c.  The checks and messages of a line, whichever way it is read. */
noreturn void emb_nul_error(const emb *e, const emb_rd *r, size_t col);
noreturn void emb_dim_error(const emb *e, const emb_rd *r, size_t k, const char *nq,
                            uint64_t first_line);
/* The name p[0..n) of an item: an error when empty or not a name; nq gets
 * it quoted for messages (DIAG_QUOTE_MAX bytes). */
void emb_check_name(const emb *e, const emb_rd *r, const char *p, size_t n, char *nq);
/* Value i (of the row named nq) p[0..n), strictly, or an error. */
void emb_slow_value(const emb *e, const emb_rd *r, size_t i, const char *nq, const char *p,
                    size_t n, float *res);
/* The error for value i, p[0..n) (its first bytes when it is long), and
 * why it is refused (f32_parse's reason). */
noreturn void emb_value_refused(const emb *e, const emb_rd *r, size_t i, const char *nq,
                                const char *p, size_t n, const char *why);
/* Room for row e->n. */
void emb_reserve_rows(emb *e, size_t *cap);
/* Row e->n named name[0..namelen) (kept by the caller); a name given twice
 * is an error (nq: the name quoted, or NULL to quote it then). */
void emb_add_name(emb *e, const emb_rd *r, const char *name, size_t namelen, const char *nq,
                  uint64_t first_line);

#endif
