#include "zio.h"
#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

gzFile zio_open(const char *path, const char **name)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        *name = "<stdin>";
        fd = dup(STDIN_FILENO);
    } else {
        *name = path;
        fd = open(path, O_RDONLY);
    }
    if (fd < 0)
        die_errno("%s", *name);
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        die("%s: out of memory", *name);
    }
    gzbuffer(gz, 1 << 17);
    return gz;
}

/* zlib's error text without the "<fd:N>: " gzdopen() puts in front of it
 * (we name the file ourselves). */
static const char *error_text(gzFile gz, int *err)
{
    const char *msg = gzerror(gz, err);
    if (strncmp(msg, "<fd:", 4) == 0) {
        const char *sep = strstr(msg, ": ");
        if (sep)
            return sep + 2;
    }
    return msg;
}

size_t zio_read(gzFile gz, void *buf, size_t n, const char *name, uint64_t line)
{
    if (n > (size_t)1 << 30)
        n = (size_t)1 << 30; /* gzread takes an unsigned int */
    int got = gzread(gz, buf, (unsigned)n);
    if (got > 0)
        return (size_t)got;
    /* 0 with an error state is how zlib reports a truncated gzip stream */
    int err = Z_OK;
    const char *msg = error_text(gz, &err);
    if (got == 0 && err == Z_OK)
        return 0;
    if (err == Z_ERRNO)
        die_errno("%s: read error", name);
    if (line)
        die_at(name, line, "cannot read gzip data (%s)", msg);
    die("%s: cannot read gzip data (%s)", name, msg);
}
