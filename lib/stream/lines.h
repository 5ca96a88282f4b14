/* lines: a file read line by line, the bytes under every reader of text
 * (the stream reader tsv, pairgen's name lists and a store's names).
 *
 * Plain or gzip (zio.h), "-" is standard input.  Each line is given
 * without its LF and a CR before it, NUL-terminated in place in a buffer of
 * the reader's (valid until the next call); a UTF-8 byte-order mark at the
 * start of the file is skipped; a NUL byte in a line, or a line longer than
 * LINES_MAX, is an error naming the file and the line.
 *
 *   lines *l = lines_open(path);
 *   while (lines_next(l))
 *       use(l->text, l->len, l->line);
 *   lines_close(l);
 *
 * A reader of several files in turn (tsv) embeds a `lines` and moves it
 * from file to file with lines_start / lines_stop, keeping its buffer. */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>
#include <stdint.h>

typedef struct lines {
    const char *name; /* the file's name for messages; "<stdin>" for stdin */
    uint64_t line;    /* 1-based number of the line just read */
    char *text;       /* the line just read, NUL-terminated */
    size_t len;

    /* private */
    struct zio *gz;
    char *buf;
    size_t cap, pos, end; /* unread data is buf[pos..end) */
    size_t nul;           /* offset of the first NUL in buf[pos..end), or SIZE_MAX */
    int eof;
    size_t per_line; /* bytes a line in the last block (lines_block) */
    char saved; /* the byte lines_next overwrote with its NUL */
} lines;

/* The longest line accepted, a guard against unbounded memory: 256 MiB
 * (a row of a million numbers is about 10 MB). */
#define LINES_MAX ((size_t)256 << 20)

/* Open a file for reading: on the heap, closed by lines_close (and by an
 * error exit, diag_on_error). */
lines *lines_open(const char *path);
void lines_close(lines *l);

/* The next line into l->text / l->len, l->line counting; 0 at the end of
 * the file. */
int lines_next(lines *l);
/* Give back the line just read (not line 1), to be read again. */
void lines_unread(lines *l);

/* For a reader that hands whole lines to other threads (tsv_next_block):
 * the next lines of the file as read, LFs and CRs kept, into (*buf)[0..
 * returned), at most max_lines (>= 1) of them, their number into *nlines
 * (l->line counts them); 0 at the end of the file.  *buf holds *cap bytes
 * and one more, and grows when a line is longer (LINES_MAX at most: an
 * error past it).  A read's error ends the program before a byte of the
 * block is taken (so every line before it has been given).  Each line is
 * then made one as lines_next gives it by lines_settle. */
size_t lines_block(lines *l, char **buf, size_t *cap, size_t max_lines, size_t *nlines);
/* A line of a block, start[0..*len) without its LF, line `line` of file
 * `name`, as lines_next gives it: a NUL in it is an error, a CR at its end
 * dropped, a byte-order mark on line 1 skipped, the end NUL-terminated in
 * place (start[*len] is written).  Returns its text; *len is its length. */
char *lines_settle(const char *name, uint64_t line, char *start, size_t *len);

/* For a reader that embeds a `lines` (zeroed first): start reading path
 * (the buffer is kept from file to file), stop at the end of a file, and
 * free the buffer at the end (lines_free also stops). */
void lines_start(lines *l, const char *path);
void lines_stop(lines *l);
void lines_free(lines *l);

#endif
