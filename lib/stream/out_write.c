/* out_write: writing an output: the temporary file created when there is
 * something to write, data written or compressed, and the file closed and
 * renamed into place.  See out.h. */
#include "common/diag.h"
#include "stream/out_impl.h"
#include "stream/pipebuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void remove_tmp(void *arg)
{
    struct out_file *f = arg;
    if (f->tmppath)
        unlink(f->tmppath); /* async-signal-safe */
}

/* The temporary file ".distconf-XXXXXX" beside the target: short, so that a
 * target name of NAME_MAX bytes still works; created by open() with 0666, so
 * that the umask (and a default ACL) applies as to any new file. */
static void create_tmp(out *o)
{
    struct out_file *f = o->f;
    static const char alnum[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static const char prefix[] = "/.distconf-";
    static uint64_t x;
    if (!x) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
            (uint64_t)(uintptr_t)f;
        x |= 1;
    }
    size_t dl = strlen(f->dir), pl = sizeof prefix - 1;
    char *t = xmalloc(dl + pl + 7);
    memcpy(t, f->dir, dl);
    memcpy(t + dl, prefix, pl);
    t[dl + pl + 6] = '\0';
    /* No signal between the file's creation and its record for remove_tmp. */
    diag_signals_hold();
    diag_on_fail(remove_tmp, f);
    int fd = -1;
    for (int tries = 0; tries < 1000; tries++) {
        for (int i = 0; i < 6; i++) {
            x ^= x << 13; /* xorshift64 */
            x ^= x >> 7;
            x ^= x << 17;
            t[dl + pl + i] = alnum[x % (sizeof alnum - 1)];
        }
        fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        diag_forget(remove_tmp, f);
        diag_signals_release();
        free(t);
        errno = e;
        die_errno("%s: cannot create", o->name);
    }
    f->tmppath = t;
    o->fd = fd;
    diag_signals_release();
    if (f->exists) {
        /* The file keeps its owner and group where we may set them (root;
         * the group, for a group of ours), then its permission bits (after
         * fchown, which clears set-id bits). */
        if (f->st.st_uid != geteuid() || f->st.st_gid != getegid())
            if (fchown(fd, f->st.st_uid, f->st.st_gid) != 0 && f->st.st_gid != getegid())
                (void)!fchown(fd, (uid_t)-1, f->st.st_gid);
        if (fchmod(fd, f->st.st_mode & 07777) != 0)
            die_errno("%s: cannot set the permissions", o->name);
    }
}

/* Open the output now that there is something to write. */
static void open_now(out *o)
{
    struct out_file *f = o->f;
    if (o->fd >= 0)
        return;
    switch (f->kind) {
    case OUT_FD:
        o->fd = fcntl(f->srcfd, F_DUPFD_CLOEXEC, 3);
        if (o->fd < 0)
            die_errno("%s: cannot open", o->name);
        pipebuf_widen(o->fd); /* -o /dev/stdout into a pipe */
        break;
    case OUT_INPLACE:
        o->fd = open(f->target, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (o->fd < 0)
            die_errno("%s: cannot open", o->name);
        pipebuf_widen(o->fd); /* a named pipe, a terminal, a device */
        break;
    case OUT_ATOMIC:
        create_tmp(o);
        break;
    }
}

static void write_all(out *o, const void *buf, size_t n)
{
    const char *p = buf;
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

/* n bytes of the output's data: written, or compressed and written; finish
 * ends the gzip member. */
static void put(out *o, const void *buf, size_t n, int finish)
{
    if (o->f)
        open_now(o);
    z_stream *z = o->f ? o->f->z : NULL;
    if (!z) {
        write_all(o, buf, n);
        return;
    }
    const unsigned char *p = buf;
    for (;;) {
        uInt take = n > (1u << 30) ? 1u << 30 : (uInt)n;
        int flush = finish && take == n ? Z_FINISH : Z_NO_FLUSH;
        z->next_in = (Bytef *)(uintptr_t)p;
        z->avail_in = take;
        do {
            z->next_out = o->f->zbuf;
            z->avail_out = OUT_ZBUF;
            if (deflate(z, flush) == Z_STREAM_ERROR)
                die("%s: gzip compression failed", o->name);
            write_all(o, o->f->zbuf, OUT_ZBUF - z->avail_out);
        } while (z->avail_out == 0);
        p += take;
        n -= take;
        if (n == 0)
            break;
    }
}

void out_write_direct(out *o, const void *p, size_t n)
{
    if (n > 0)
        put(o, p, n, 0);
}

void out_flush_buf(out *o)
{
    if (o->len == 0)
        return; /* nothing to write: no file yet */
    put(o, o->buf, o->len, 0);
    o->len = 0;
}

void out_close(out *o)
{
    struct out_file *f = o->f;
    if (f) {
        open_now(o); /* an empty output is a file too */
        out_flush_buf(o);
        if (f->z)
            put(o, "", 0, 1);
        if (f->kind == OUT_ATOMIC && fsync(o->fd) != 0 && errno != EINVAL)
            die_errno("write error: %s", o->name);
        int fd = o->fd;
        o->fd = -1;
        if (close(fd) != 0)
            die_errno("write error: %s", o->name);
        if (f->kind == OUT_ATOMIC) {
            diag_signals_hold();
            if (rename(f->tmppath, f->target) != 0) {
                int e = errno;
                diag_signals_release();
                errno = e;
                die_errno("%s: cannot rename into place", o->name);
            }
            diag_forget(remove_tmp, f);
            char *t = f->tmppath;
            f->tmppath = NULL;
            free(t);
            diag_signals_release();
        }
        diag_forget_error(out_abandon, o);
    } else {
        out_flush_buf(o);
    }
    out_free(o);
}
