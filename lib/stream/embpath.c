/* embpath: #embeddings= paths read and written.  See embpath.h. */
#include "stream/embpath.h"
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *embpath_value(const char *text, size_t len)
{
    static const char key[] = "#embeddings=";
    return len >= sizeof key - 1 && memcmp(text, key, sizeof key - 1) == 0
               ? text + sizeof key - 1
               : NULL;
}

char *embpath_resolve(const char *path, const char *file)
{
    const char *slash = strcmp(file, "<stdin>") == 0 ? NULL : strrchr(file, '/');
    if (!*path || path[0] == '/' || !slash)
        return xstrdup(path);
    size_t d = (size_t)(slash - file) + 1, n = strlen(path);
    char *p = xmalloc(d + n + 1);
    memcpy(p, file, d);
    memcpy(p + d, path, n + 1);
    return p;
}

char *embpath_for_output(const char *path, const char *as_written, const char *outpath)
{
    if (!*path || !outpath || strcmp(outpath, "-") == 0)
        return xstrdup(path);
    const char *slash = strrchr(outpath, '/');
    if (!slash)
        return xstrdup(path);
    size_t d = (size_t)(slash - outpath) + 1;
    /* a path made absolute only by being joined to a folder may lose it */
    if (as_written[0] != '/' && strncmp(path, outpath, d) == 0 && path[d])
        return xstrdup(path + d);
    if (path[0] == '/')
        return xstrdup(path);
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        die_errno("cannot name the embeddings for %s: the current directory", outpath);
    size_t c = strlen(cwd), n = strlen(path);
    char *p = xmalloc(c + n + 2);
    memcpy(p, cwd, c);
    p[c] = '/';
    memcpy(p + c + 1, path, n + 1);
    free(cwd);
    return p;
}

void embpath_write(out *o, const char *path, const char *as_written)
{
    char *p = embpath_for_output(path, as_written, out_path(o));
    out_str(o, "#embeddings=");
    out_str(o, p);
    out_putc(o, '\n');
    free(p);
}

int embpath_same_file(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}
