#include "stream/out.h"
#include "common/diag.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* How a named output is written (out.h). */
enum kind {
    K_FD,      /* a descriptor of ours, named /dev/stdout, /proc/self/fd/N... */
    K_INPLACE, /* a device, FIFO or socket (or another process's /proc link) */
    K_ATOMIC,  /* a regular file or a new one: temporary file, then rename */
};

struct out_file {
    enum kind kind;
    char *given;          /* the path as given, for messages */
    char *target;         /* the path with every link followed */
    char *dir;            /* K_ATOMIC: the target's folder */
    const char *base;     /* K_ATOMIC: the target's last component (in target) */
    char *volatile tmppath; /* K_ATOMIC: the temporary file, once created */
    int srcfd;            /* K_FD: the descriptor named */
    int exists;           /* K_ATOMIC: the target exists, and st is it */
    struct stat st;
    z_stream *z;          /* a .gz name: the compressor */
    unsigned char *zbuf;
};

enum { MAX_LINKS = 40, ZBUF = 1 << 17 };

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

static void out_free(out *o)
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

/* An error ends the program: give the memory back (the temporary file is
 * removed before, by remove_tmp). */
static void abandon(void *arg) { out_free(arg); }

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && memcmp(s + n - k, suffix, k) == 0;
}

out *out_open(const char *path)
{
    out *o = xcalloc(1, sizeof *o);
    o->cap = OUT_BUFSIZE;
    o->buf = xmalloc(o->cap);
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        o->name = "<stdout>";
        return o;
    }
    if (!path[0])
        die_usage("an output file name is empty");
    diag_on_error(abandon, o);
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
            f->kind = K_ATOMIC; /* a new file (maybe the end of a dangling link) */
            break;
        }
        if (S_ISLNK(st.st_mode)) {
            int fd = proc_fd(p, &st);
            if (fd >= 0) {
                f->kind = K_FD;
                f->srcfd = fd;
                break;
            }
            if (fd == -1) {
                f->kind = K_INPLACE;
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
            f->kind = K_ATOMIC;
            f->exists = 1;
            f->st = st;
        } else {
            f->kind = K_INPLACE;
        }
        break;
    }
    if (f->kind == K_ATOMIC) {
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
        f->zbuf = xmalloc(ZBUF);
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
    case K_FD:
        o->fd = fcntl(f->srcfd, F_DUPFD_CLOEXEC, 3);
        if (o->fd < 0)
            die_errno("%s: cannot open", o->name);
        break;
    case K_INPLACE:
        o->fd = open(f->target, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (o->fd < 0)
            die_errno("%s: cannot open", o->name);
        break;
    case K_ATOMIC:
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
            z->avail_out = ZBUF;
            if (deflate(z, flush) == Z_STREAM_ERROR)
                die("%s: gzip compression failed", o->name);
            write_all(o, o->f->zbuf, ZBUF - z->avail_out);
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
        if (f->kind == K_ATOMIC && fsync(o->fd) != 0 && errno != EINVAL)
            die_errno("write error: %s", o->name);
        int fd = o->fd;
        o->fd = -1;
        if (close(fd) != 0)
            die_errno("write error: %s", o->name);
        if (f->kind == K_ATOMIC) {
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
        diag_forget_error(abandon, o);
    } else {
        out_flush_buf(o);
    }
    out_free(o);
}

/* --- same-file checks --- */

/* The output's file as it is now: 1 and *st when it is a regular file. */
static int out_ident(const out *o, struct stat *st)
{
    const struct out_file *f = o->f;
    if (!f)
        return fstat(STDOUT_FILENO, st) == 0 && S_ISREG(st->st_mode);
    switch (f->kind) {
    case K_FD:
        return fstat(f->srcfd, st) == 0 && S_ISREG(st->st_mode);
    case K_INPLACE:
        return stat(f->target, st) == 0 && S_ISREG(st->st_mode);
    case K_ATOMIC:
        *st = f->st;
        return f->exists;
    }
    return 0;
}

static int input_ident(const char *path, struct stat *st)
{
    if (strcmp(path, "-") == 0)
        return fstat(STDIN_FILENO, st) == 0 && S_ISREG(st->st_mode);
    return stat(path, st) == 0 && S_ISREG(st->st_mode);
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
    return !o->f || (o->f->kind == K_FD && o->f->srcfd == STDOUT_FILENO);
}

void out_refuse_non_svg(const out *o, const char *opt)
{
    const struct out_file *f = o->f;
    if (!f || f->kind != K_ATOMIC || !f->exists)
        return;
    /* an existing file is replaced only when it is a figure already: a
     * data file named by mistake (`... | confplot --svg data.tsv`) stays */
    char head[256];
    ssize_t n = 0;
    int fd = open(f->target, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, head, sizeof head);
        close(fd);
    }
    if (n <= 0)
        return; /* empty, or unreadable: nothing to keep */
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < (size_t)n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
        i++;
    int gz = n >= 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b;
    if (gz || (i < (size_t)n && head[i] == '<'))
        return;
    die("%s: %s would replace a file that is not an SVG figure (remove it first, or name "
        "another file)",
        o->name, opt);
}

void out_refuse_input(const out *o, const char *path, const char *what)
{
    struct stat a, b;
    if (!path || !out_ident(o, &a) || !input_ident(path, &b))
        return;
    if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return;
    const char *in = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char q[DIAG_QUOTE_MAX];
    die("%s: output file is %s being read ('%s')", o->name, what,
        diag_quote(q, sizeof q, in, strlen(in)));
}

void out_refuse_inputs(const out *o, char *const *paths, size_t n, const char *what)
{
    if (n == 0)
        out_refuse_input(o, "-", what);
    for (size_t i = 0; i < n; i++)
        out_refuse_input(o, paths[i], what);
}

/* Two new files: the same name in the same folder. */
static int same_new(const struct out_file *a, const struct out_file *b)
{
    struct stat da, db;
    return a && b && a->kind == K_ATOMIC && b->kind == K_ATOMIC && !a->exists && !b->exists &&
           strcmp(a->base, b->base) == 0 && stat(a->dir, &da) == 0 && stat(b->dir, &db) == 0 &&
           da.st_dev == db.st_dev && da.st_ino == db.st_ino;
}

void out_refuse_same(const out *a, const char *aopt, const out *b, const char *bopt)
{
    struct stat sa, sb;
    int same = out_ident(a, &sa) && out_ident(b, &sb) && sa.st_dev == sb.st_dev &&
               sa.st_ino == sb.st_ino;
    if (!same && !same_new(a->f, b->f))
        return;
    char q[DIAG_QUOTE_MAX];
    die("%s: %s and %s are the same file ('%s')", a->name, a->f ? aopt : "standard output",
        b->f ? bopt : "standard output", diag_quote(q, sizeof q, b->name, strlen(b->name)));
}
