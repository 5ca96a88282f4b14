/* lines: a file read line by line through one growing buffer.  See lines.h. */
#include "stream/lines.h"
#include "common/diag.h"
#include "stream/zio.h"

#include <stdlib.h>
#include <string.h>

enum { READ_CHUNK = 1 << 20 };

static const char BOM[3] = {'\xef', '\xbb', '\xbf'};

void lines_start(lines *l, const char *path)
{
    l->gz = zio_open(path, &l->name);
    if (!l->buf) {
        l->cap = READ_CHUNK;
        l->buf = xmalloc(l->cap + 1);
    }
    l->pos = l->end = 0;
    l->nul = SIZE_MAX;
    l->eof = 0;
    l->line = 0;
}

void lines_stop(lines *l)
{
    if (l->gz) {
        zio_close(l->gz);
        l->gz = NULL;
    }
}

void lines_free(lines *l)
{
    lines_stop(l);
    free(l->buf);
    l->buf = NULL;
}

static void abandon(void *l) { lines_close(l); }

lines *lines_open(const char *path)
{
    lines *l = xcalloc(1, sizeof *l);
    diag_on_error(abandon, l);
    lines_start(l, path);
    return l;
}

void lines_close(lines *l)
{
    if (!l)
        return;
    diag_forget_error(abandon, l);
    lines_free(l);
    free(l);
}

/* Read more data into the buffer, keeping buf[pos..end).  Returns 0 at the
 * end of the file. */
static int fill(lines *l)
{
    if (l->eof)
        return 0;
    if (l->pos > 0) {
        memmove(l->buf, l->buf + l->pos, l->end - l->pos);
        if (l->nul != SIZE_MAX)
            l->nul -= l->pos;
        l->end -= l->pos;
        l->pos = 0;
    }
    /* buf[0..end) is now the start of one line: past the limit, stop */
    if (l->end > LINES_MAX)
        die_at(l->name, l->line + 1, "line too long (more than %zu MiB)",
               (size_t)LINES_MAX >> 20);
    if (l->cap - l->end < READ_CHUNK / 2) {
        size_t cap = l->cap * 2;
        if (cap > LINES_MAX + (size_t)READ_CHUNK)
            cap = LINES_MAX + (size_t)READ_CHUNK;
        l->cap = cap;
        l->buf = xrealloc(l->buf, l->cap + 1);
    }
    size_t got = zio_read(l->gz, l->buf + l->end, l->cap - l->end, 1);
    if (got == 0) {
        l->eof = 1;
        return 0;
    }
    if (l->nul == SIZE_MAX) {
        const char *z = memchr(l->buf + l->end, '\0', got);
        if (z)
            l->nul = (size_t)(z - l->buf);
    }
    l->end += got;
    return 1;
}

int lines_next(lines *l)
{
    size_t scanned = 0;
    for (;;) {
        char *start = l->buf + l->pos;
        char *lf = l->end > l->pos + scanned
                       ? memchr(start + scanned, '\n', l->end - l->pos - scanned)
                       : NULL;
        size_t len;
        if (lf) {
            len = (size_t)(lf - start);
            l->pos += len + 1;
        } else {
            scanned = l->end - l->pos;
            if (fill(l))
                continue;
            if (scanned == 0)
                return 0;
            start = l->buf + l->pos; /* the last line has no newline */
            len = scanned;
            l->pos += len;
        }
        l->line++;
        /* (the mark's bytes are not a column: counted from after it) */
        size_t mark = l->line == 1 && len >= 3 && memcmp(start, BOM, 3) == 0 ? 3 : 0;
        if (l->nul != SIZE_MAX && l->nul < (size_t)(start - l->buf) + len)
            die_at(l->name, l->line, "NUL byte in the input (column %zu)",
                   l->nul - (size_t)(start - l->buf) - mark + 1);
        if (len > 0 && start[len - 1] == '\r')
            len--;
        l->saved = start[len];
        start[len] = '\0';
        start += mark;
        len -= mark;
        l->text = start;
        l->len = len;
        return 1;
    }
}

void lines_unread(lines *l)
{
    l->text[l->len] = l->saved;
    l->pos = (size_t)(l->text - l->buf);
    l->line--;
}
