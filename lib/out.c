#include "out.h"
#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void remove_tmp(void *arg)
{
    out *o = arg;
    if (o->tmppath)
        unlink(o->tmppath); /* async-signal-safe */
}

out *out_open(const char *path)
{
    out *o = xcalloc(1, sizeof *o);
    o->cap = OUT_BUFSIZE;
    o->buf = xmalloc(o->cap);
    if (!path || (path[0] == '-' && path[1] == '\0')) {
        o->fd = STDOUT_FILENO;
        o->name = "<stdout>";
        return o;
    }
    o->path = xstrdup(path);
    o->name = o->path;
    /* A device or a FIFO (/dev/full, /dev/stdout, a named pipe) is written
     * in place: renaming a temporary file over it would replace it. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (o->fd < 0)
            die_errno("%s: cannot open", path);
        return o;
    }
    size_t n = strlen(path);
    o->tmppath = xmalloc(n + sizeof ".tmpXXXXXX");
    memcpy(o->tmppath, path, n);
    memcpy(o->tmppath + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    o->fd = mkstemp(o->tmppath);
    if (o->fd < 0) {
        free(o->tmppath);
        o->tmppath = NULL;
        die_errno("%s: cannot create", path);
    }
    diag_on_fail(remove_tmp, o);
    /* mkstemp makes 0600; a model file is as readable as any file the user
     * creates. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(o->fd, 0666 & ~mask) != 0)
        die_errno("%s", o->tmppath);
    return o;
}

static void write_all(out *o, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE)
                exit(EXIT_DATA); /* reader went away and SIGPIPE is ignored */
            die_errno("write error: %s", o->name);
        }
        p += w;
        n -= (size_t)w;
    }
}

void out_write_direct(out *o, const void *p, size_t n) { write_all(o, p, n); }

void out_flush_buf(out *o)
{
    write_all(o, o->buf, o->len);
    o->len = 0;
}

void out_close(out *o)
{
    out_flush_buf(o);
    if (o->path) {
        if (fsync(o->fd) != 0 && errno != EINVAL)
            die_errno("write error: %s", o->name);
        if (close(o->fd) != 0)
            die_errno("write error: %s", o->name);
        if (o->tmppath && rename(o->tmppath, o->path) != 0)
            die_errno("%s: cannot rename into place", o->path);
        diag_forget(remove_tmp, o);
        free(o->tmppath);
        free(o->path);
    }
    free(o->buf);
    free(o);
}
