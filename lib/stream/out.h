/* out: every output of the programs: standard output or a named file, plain
 * or gzip, written so that nothing the user did not ask to replace is lost.
 *
 * A named FILE is resolved once, by out_open(), before any input is read:
 *   - a symbolic link is followed to its final target (the chain resolved,
 *     relative links against their own folder; a dangling link names the
 *     file to create), and the link stays;
 *   - a regular file (or a new one) is written to a temporary file
 *     ".distconf-XXXXXX" in the target's own folder, renamed over the target
 *     by out_close() only: an error or a fatal signal removes it and leaves
 *     the old file as it was.  The temporary file is created when there is
 *     something to write (the first flush, or out_close), never before; it
 *     takes the old file's permission bits (and owner and group, when we may
 *     set them), a new file gets 0666 less the umask;
 *   - a device, a FIFO or a socket is written in place (opened when there is
 *     something to write); /dev/stdout, /dev/fd/N, /proc/self/fd/N, when
 *     they name a descriptor of ours, write to that descriptor, as the
 *     shell's `> /dev/stdout` does;
 *   - a FILE whose name ends in ".gz" is written gzip-compressed (deflate in
 *     a gzip wrapper, as `gzip -6`).
 * Problems that can be seen before writing (a missing or unwritable folder,
 * a folder given as FILE) end the program in out_open(). */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t len, cap;
    int fd;               /* -1 until the file is opened (first flush) */
    const char *name;     /* for messages: "<stdout>" or the path as given */
    struct out_file *f;   /* private: NULL for standard output */
} out;

/* path NULL or "-" means standard output. */
out *out_open(const char *path);
/* The path as given to out_open(), or NULL for standard output: where a
 * reader of the output will look for it (paths written into it, such as
 * #embeddings=, are made to open from there). */
const char *out_path(const out *o);
/* 1 when o writes to standard output: "-", or a name of descriptor 1
 * (/dev/stdout, /proc/self/fd/1) whatever it is connected to. */
int out_is_stdout(const out *o);
/* An existing regular file that does not look like a figure (its first
 * non-blank byte is not '<', and it is not gzip) is not replaced: an error
 * naming opt (confplot --svg). */
void out_refuse_non_svg(const out *o, const char *opt);
void out_flush_buf(out *o);
/* Write p straight to the file, past the buffer (used for large writes). */
void out_write_direct(out *o, const void *p, size_t n);
/* Flush, and for a file fsync, close and rename into place; frees o.  An
 * output with nothing written is still created (empty). */
void out_close(out *o);

/* Same-file checks: call them after out_open() and before reading what
 * they name.  An output that is one of the program's inputs (the same file,
 * by device and inode, so also through a hard link, a symbolic link or
 * another spelling of the path) is an error, status 1:
 *   "PROG: OUT: output file is WHAT being read ('INPUT')"
 * Only regular files are compared: a terminal, a pipe or a device is never
 * "the same file".  path "-" is standard input; what names the input in the
 * message ("the stream", "the model", ...). */
void out_refuse_input(const out *o, const char *path, const char *what);
/* The same for each of n paths; n 0 is standard input. */
void out_refuse_inputs(const out *o, char *const *paths, size_t n, const char *what);
/* Two outputs of one program that are one file (also two new files of the
 * same name in the same folder) are an error naming both options, e.g.
 *   "confplot: x.svg: --svg and -o are the same file ('x')";
 * standard output is named "standard output". */
void out_refuse_same(const out *a, const char *aopt, const out *b, const char *bopt);

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

/* A block built whole by the caller (a batch of rows): from a quarter of
 * the buffer's size, written straight through, not copied into it first. */
static inline void out_write_block(out *o, const void *p, size_t n)
{
    if (n < OUT_BUFSIZE / 4) {
        out_write(o, p, n);
        return;
    }
    out_flush_buf(o);
    out_write_direct(o, p, n);
}

#endif
