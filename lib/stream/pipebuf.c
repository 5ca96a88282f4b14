/* pipebuf: a pipe's buffer made larger (see pipebuf.h). */
#ifndef _GNU_SOURCE /* F_GETPIPE_SZ, F_SETPIPE_SZ (the fuzz build defines it) */
#define _GNU_SOURCE
#endif
#include "stream/pipebuf.h"

#include <fcntl.h>
#include <sys/stat.h>

void pipebuf_widen(int fd)
{
#if defined(F_GETPIPE_SZ) && defined(F_SETPIPE_SZ)
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
        return;
    int now = fcntl(fd, F_GETPIPE_SZ);
    if (now >= 0 && now < PIPEBUF_SIZE)
        (void)fcntl(fd, F_SETPIPE_SZ, PIPEBUF_SIZE); /* a hint: refused, it stays */
#else
    (void)fd;
#endif
}
