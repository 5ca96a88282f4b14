/* out: opening an output: the target resolved (links followed, a
 * descriptor of ours, a device), its kind chosen, and what would fail at
 * the end said now.  See out.h. */
#include "common/diag.h"
#include "stream/out_impl.h"
#include "stream/pipebuf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_LINKS = 40 };

/* The folder of path p: "." when p has no slash. */
static char *dir_of(const char *p)
{
    const char *slash = strrchr(p, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == p)
        return xstrdup("/");
    return xstrndup(p, (size_t)(slash - p));
}

/* The text of link p (st_size is only a hint: /proc says 0). */
static char *read_link(const char *p, const struct stat *st)
{
    size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : 256;
    for (;;) {
        char *t = xmalloc(cap);
        ssize_t n = readlink(p, t, cap);
        if (n < 0) {
            free(t);
            return NULL;
        }
        if ((size_t)n < cap) {
            t[n] = '\0';
            return t;
        }
        free(t);
        cap *= 2;
    }
}

/* Link p (lstat in *lst) is in /proc: -2 if not; its descriptor when it is
 * /proc/self/fd/N (by any spelling: /dev/fd/N, /proc/PID/fd/N) and N is
 * open; else -1 (another process's, or another kind of /proc link). */
static int proc_fd(const char *p, const struct stat *lst)
{
    struct stat fds, d;
    if (stat("/proc/self/fd", &fds) != 0 || lst->st_dev != fds.st_dev)
        return -2;
    const char *num = strrchr(p, '/');
    num = num ? num + 1 : p;
    char *dir = dir_of(p);
    int in_fds = stat(dir, &d) == 0 && d.st_dev == fds.st_dev && d.st_ino == fds.st_ino;
    free(dir);
    if (!in_fds || !isdigit((unsigned char)num[0]))
        return -1;
    char *end;
    errno = 0;
    long n = strtol(num, &end, 10);
    if (*end != '\0' || errno != 0 || n > INT_MAX || fcntl((int)n, F_GETFD) == -1)
        return -1;
    return (int)n;
}

void out_free(out *o)
{
    struct out_file *f = o->f;
    if (f) {
        if (o->fd >= 0)
            close(o->fd);
        if (f->z) {
            deflateEnd(f->z);
            free(f->z);
            free(f->zbuf);
        }
        free(f->given);
        free(f->target);
        free(f->dir);
        free(f->tmppath);
        free(f);
    }
    free(o->buf);
    free(o);
}

void out_abandon(void *arg) { out_free(arg); }

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && memcmp(s + n - k, suffix, k) == 0;
}

out *out_open(const char *path)
{
    pipebuf_check_env(); /* (before any file is opened, whatever the file) */
    out *o = xcalloc(1, sizeof *o);
    o->cap = OUT_BUFSIZE;
    o->buf = xmalloc(o->cap);
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        o->name = "<stdout>";
        pipebuf_widen(o->fd);
        return o;
    }
    if (!path[0])
        die_usage("an output file name is empty");
    diag_on_error(out_abandon, o);
    o->fd = -1;
    struct out_file *f = o->f = xcalloc(1, sizeof *f);
    f->given = xstrdup(path);
    f->srcfd = -1;
    o->name = f->given;

    /* Follow the links by hand, to know where the file really is: the
     * temporary file goes beside the target, and the link stays a link. */
    char *p = xstrdup(path);
    f->target = p; /* freed with f, even if we die here */
    struct stat st;
    for (int hops = 0;; hops++) {
        if (lstat(p, &st) != 0) {
            if (errno != ENOENT)
                die_errno("%s: cannot create", path);
            f->kind = OUT_ATOMIC; /* a new file (maybe the end of a dangling link) */
            break;
        }
        if (S_ISLNK(st.st_mode)) {
            int fd = proc_fd(p, &st);
            if (fd >= 0) {
                f->kind = OUT_FD;
                f->srcfd = fd;
                break;
            }
            if (fd == -1) {
                f->kind = OUT_INPLACE;
                break;
            }
            if (hops == MAX_LINKS) {
                errno = ELOOP;
                die_errno("%s: cannot create", path);
            }
            char *t = read_link(p, &st);
            if (!t)
                die_errno("%s: cannot create", path);
            if (t[0] != '/') {
                char *dir = dir_of(p);
                size_t dl = strlen(dir), tl = strlen(t);
                char *j = xmalloc(dl + 1 + tl + 1);
                memcpy(j, dir, dl);
                j[dl] = '/';
                memcpy(j + dl + 1, t, tl + 1);
                free(dir);
                free(t);
                t = j;
            }
            free(p);
            f->target = p = t;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            die_errno("%s: cannot create", path);
        }
        if (S_ISREG(st.st_mode)) {
            f->kind = OUT_ATOMIC;
            f->exists = 1;
            f->st = st;
        } else {
            f->kind = OUT_INPLACE;
        }
        break;
    }
    if (f->kind == OUT_ATOMIC) {
        f->dir = dir_of(p);
        const char *slash = strrchr(p, '/');
        f->base = slash ? slash + 1 : p;
        /* Say now, before any input is read, what would fail at the end. */
        if (access(f->dir, W_OK | X_OK) != 0)
            die_errno("%s: cannot create", path);
        if (f->exists && access(p, W_OK) != 0)
            die_errno("%s: cannot write", path);
    }
    if (ends_with(path, ".gz")) {
        f->z = xcalloc(1, sizeof *f->z);
        f->zbuf = xmalloc(OUT_ZBUF);
        /* windowBits 15 + 16: a gzip wrapper (header with no name, time 0) */
        if (deflateInit2(f->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK) {
            free(f->z);
            f->z = NULL;
            die("%s: out of memory", path);
        }
    }
    return o;
}

const char *out_path(const out *o)
{
    if (o->f)
        return o->name;
    /* `tool > dir/file`: the file's path, so that a relative path written
     * into it (#embeddings=) opens from where the file is. */
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    static char where[PATH_MAX];
    ssize_t n = readlink("/proc/self/fd/1", where, sizeof where - 1);
    if (n <= 0 || where[0] != '/')
        return NULL;
    where[n] = '\0';
    return where;
}

int out_is_stdout(const out *o)
{
    return !o->f || (o->f->kind == OUT_FD && o->f->srcfd == STDOUT_FILENO);
}
