/* Unit tests of lib/stream/pipebuf.c: a pipe's buffer grows to
 * PIPEBUF_SIZE, a larger one is not shrunk, and what is no pipe is left
 * alone. */
#ifndef _GNU_SOURCE /* F_GETPIPE_SZ, F_SETPIPE_SZ (the fuzz build defines it) */
#define _GNU_SOURCE
#endif
#include "stream/pipebuf.h"
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Whether this user may have a pipe of PIPEBUF_SIZE now: not when its
 * pipes are at /proc/sys/fs/pipe-user-pages-soft (the kernel refuses). */
static int may_widen(void)
{
    int p[2], ok;
    if (pipe(p) != 0)
        return 0;
    ok = fcntl(p[0], F_SETPIPE_SZ, PIPEBUF_SIZE) >= PIPEBUF_SIZE;
    close(p[0]);
    close(p[1]);
    return ok;
}

int main(void)
{
    int p[2];
    if (!may_widen()) { /* pipebuf_widen leaves them as they are then */
        UNIT_OK(1, "# SKIP this user's pipes are at their quota: no pipe gets %d bytes",
                PIPEBUF_SIZE);
        return unit_done();
    }
    UNIT_OK(pipe(p) == 0, "a pipe");
    int before = fcntl(p[1], F_GETPIPE_SZ);
    pipebuf_widen(p[1]);
    int after = fcntl(p[0], F_GETPIPE_SZ);
    UNIT_OK(before < PIPEBUF_SIZE && after == PIPEBUF_SIZE,
            "the write end widened: %d bytes, then %d, seen from the read end", before, after);
    close(p[0]);
    close(p[1]);

    /* the read end, as a reader of stdin widens it */
    UNIT_OK(pipe(p) == 0, "another pipe");
    pipebuf_widen(p[0]);
    UNIT_OK(fcntl(p[1], F_GETPIPE_SZ) == PIPEBUF_SIZE, "the read end widened");
    close(p[0]);
    close(p[1]);

    /* a pipe larger already (root may: pipe-max-size binds only users) */
    UNIT_OK(pipe(p) == 0, "a third pipe");
    if (fcntl(p[0], F_SETPIPE_SZ, 4 * PIPEBUF_SIZE) >= 4 * PIPEBUF_SIZE) {
        pipebuf_widen(p[0]);
        UNIT_OK(fcntl(p[0], F_GETPIPE_SZ) == 4 * PIPEBUF_SIZE, "a larger pipe is not shrunk");
    } else {
        UNIT_OK(1, "# SKIP a pipe larger than %d bytes is not allowed here", PIPEBUF_SIZE);
    }
    close(p[0]);
    close(p[1]);

    /* no pipe: a file, a closed descriptor */
    FILE *f = tmpfile();
    UNIT_OK(f != NULL, "a file");
    pipebuf_widen(fileno(f));
    UNIT_OK(fcntl(fileno(f), F_GETPIPE_SZ) == -1, "a file stays a file, untouched");
    fclose(f);
    pipebuf_widen(p[0]); /* closed: fstat fails, nothing happens */
    UNIT_OK(1, "a closed descriptor: no crash");
    return unit_done();
}
