/* pipebuf: a pipe's buffer made larger (see pipebuf.h). */
#ifndef _GNU_SOURCE /* F_GETPIPE_SZ, F_SETPIPE_SZ (the fuzz build defines it) */
#define _GNU_SOURCE
#endif
#include "stream/pipebuf.h"
#include "common/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int pipebuf_parse_size(const char *s, long *bytes)
{
    if (!s || !*s) {
        *bytes = PIPEBUF_SIZE;
        return 0;
    }
    if (*s < '0' || *s > '9') /* (strtoul would take a sign or blanks) */
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    unsigned long unit = 1;
    switch (*end) {
    case 'K':
    case 'k':
        unit = 1UL << 10;
        end++;
        break;
    case 'M':
    case 'm':
        unit = 1UL << 20;
        end++;
        break;
    case 'G':
    case 'g':
        unit = 1UL << 30;
        end++;
        break;
    }
    if (*end || errno || v > (unsigned long)PIPEBUF_MAX / unit)
        return -1;
    *bytes = (long)(v * unit);
    return 0;
}

static long size_asked;
static const char *size_bad; /* the value refused, if it was */

static void read_env(void)
{
    const char *s = getenv("DISTCONF_PIPE_SIZE");
    if (pipebuf_parse_size(s, &size_asked) != 0)
        size_bad = s;
}

void pipebuf_check_env(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_env);
    if (size_bad) {
        char q[DIAG_QUOTE_MAX];
        die_usage(
            "invalid DISTCONF_PIPE_SIZE '%s' (expected bytes from 0 to 1G: 0, 65536, 256K, "
            "1M)",
            diag_quote(q, sizeof q, size_bad, strlen(size_bad)));
    }
}

#if defined(F_GETPIPE_SZ) && defined(F_SETPIPE_SZ)
/* /proc/sys/fs/pipe-max-size: the most an unprivileged user may ask for
 * (0 when it cannot be read). */
static long pipe_max_size(void)
{
    long v = 0;
    FILE *f = fopen("/proc/sys/fs/pipe-max-size", "re");
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = 0;
        fclose(f);
    }
    return v;
}
#endif

void pipebuf_widen(int fd)
{
    pipebuf_check_env();
#if defined(F_GETPIPE_SZ) && defined(F_SETPIPE_SZ)
    struct stat st;
    if (size_asked == 0 || fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
        return;
    int now = fcntl(fd, F_GETPIPE_SZ);
    if (now < 0 || now >= size_asked)
        return;
    /* a hint: refused, it stays; past pipe-max-size (EPERM for a user),
     * as much as that allows, rather than nothing */
    if (fcntl(fd, F_SETPIPE_SZ, (int)size_asked) < 0 && errno == EPERM) {
        long max = pipe_max_size();
        if (max > now && max < size_asked)
            (void)fcntl(fd, F_SETPIPE_SZ, (int)max);
    }
#else
    (void)fd;
#endif
}
