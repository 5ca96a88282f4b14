/* out_check: the checks of an output against the inputs and the other
 * outputs: never the file being read, never two outputs in one file, never
 * a data file replaced by a figure.  See out.h. */
#include "common/diag.h"
#include "stream/out_impl.h"

#include <fcntl.h>
#include <unistd.h>

/* The output's file as it is now: 1 and *st when it is a regular file. */
static int out_ident(const out *o, struct stat *st)
{
    const struct out_file *f = o->f;
    if (!f)
        return fstat(STDOUT_FILENO, st) == 0 && S_ISREG(st->st_mode);
    switch (f->kind) {
    case OUT_FD:
        return fstat(f->srcfd, st) == 0 && S_ISREG(st->st_mode);
    case OUT_INPLACE:
        return stat(f->target, st) == 0 && S_ISREG(st->st_mode);
    case OUT_ATOMIC:
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

void out_refuse_non_svg(const out *o, const char *opt)
{
    const struct out_file *f = o->f;
    if (!f || f->kind != OUT_ATOMIC || !f->exists)
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
    return a && b && a->kind == OUT_ATOMIC && b->kind == OUT_ATOMIC && !a->exists && !b->exists &&
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
