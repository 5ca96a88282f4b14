/* out: buffered output to stdout or to a file written atomically.
 *
 * A named file is written to a temporary file beside it and renamed over it
 * only by out_close(): on any error exit or fatal signal the temporary file
 * is removed and an existing file of that name is left untouched. */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t len, cap;
    int fd;
    const char *name;  /* for messages: "<stdout>" or the path */
    char *path;        /* final path, NULL for stdout */
    char *tmppath;     /* temporary file, NULL for stdout */
} out;

/* path NULL or "-" means stdout. */
out *out_open(const char *path);
void out_flush_buf(out *o);
/* Write p straight to the file, past the buffer (used for large writes). */
void out_write_direct(out *o, const void *p, size_t n);
/* Flush, and for a file fsync, close and rename into place; frees o. */
void out_close(out *o);

static inline void out_write(out *o, const void *p, size_t n)
{
    if (o->cap - o->len < n) {
        out_flush_buf(o);
        if (n >= o->cap) {
            /* Larger than the buffer: write straight through. */
            out_write_direct(o, p, n);
            return;
        }
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static inline void out_putc(out *o, char c)
{
    if (o->len == o->cap)
        out_flush_buf(o);
    o->buf[o->len++] = c;
}

static inline void out_str(out *o, const char *s) { out_write(o, s, strlen(s)); }

/* Make room for n bytes (n <= buffer size) and return where to write them;
 * then out_commit(o, used).  For formatters that write in place. */
static inline char *out_reserve(out *o, size_t n)
{
    if (o->cap - o->len < n)
        out_flush_buf(o);
    return o->buf + o->len;
}
static inline void out_commit(out *o, size_t used) { o->len += used; }

enum { OUT_BUFSIZE = 1 << 18 };

#endif
