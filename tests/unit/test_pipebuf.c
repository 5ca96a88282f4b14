/* Unit tests of lib/stream/pipebuf.c: a pipe's buffer grows to
 * PIPEBUF_SIZE, a larger one is not shrunk, and what is no pipe is left
 * alone; DISTCONF_PIPE_SIZE read, and obeyed (in a child each, as the
 * environment is read once). */
#ifndef _GNU_SOURCE /* F_GETPIPE_SZ, F_SETPIPE_SZ (the fuzz build defines it) */
#define _GNU_SOURCE
#endif
#include "stream/pipebuf.h"
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
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

/* pipebuf_parse_size's answer for s: the bytes, or -1 when refused. */
static long parsed(const char *s)
{
    long b = -12345;
    return pipebuf_parse_size(s, &b) == 0 ? b : -1;
}

/* In a child with DISTCONF_PIPE_SIZE=value: a fresh pipe's buffer after
 * pipebuf_widen, in KiB, through the exit status (in 16 KiB units); or how the child ended. */
static int widened_kib(const char *value)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int p[2];
        setenv("DISTCONF_PIPE_SIZE", value, 1);
        if (pipe(p) != 0)
            _exit(255);
        pipebuf_widen(p[1]);
        _exit(fcntl(p[0], F_GETPIPE_SZ) / 16384 % 256);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st) * 16;
}

static void test_env(void)
{
    static const struct {
        const char *s;
        long want;
    } cases[] = {
        {NULL, PIPEBUF_SIZE},
        {"", PIPEBUF_SIZE},
        {"0", 0},
        {"65536", 65536},
        {"256K", 262144},
        {"256k", 262144},
        {"1M", 1L << 20},
        {"3m", 3L << 20},
        {"1G", 1L << 30},
        {"1073741824", 1L << 30},
        {"0K", 0},
        /* refused */
        {"1073741825", -1},
        {"2G", -1},
        {"1025M", -1},
        {"-1", -1},
        {"+1", -1},
        {" 1", -1},
        {"1 ", -1},
        {"1KB", -1},
        {"K", -1},
        {"x", -1},
        {"1.5M", -1},
        {"1T", -1},
        {"99999999999999999999999", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        UNIT_OK(parsed(cases[i].s) == cases[i].want, "DISTCONF_PIPE_SIZE '%s': %ld (want %ld)",
                cases[i].s ? cases[i].s : "(unset)", parsed(cases[i].s), cases[i].want);

    UNIT_OK(widened_kib("0") == 64,
            "DISTCONF_PIPE_SIZE=0: the pipe stays at Linux's 64 KiB (%d)", widened_kib("0"));
    UNIT_OK(widened_kib("16K") == 64, "16K: a pipe larger already is not shrunk (%d KiB)",
            widened_kib("16K"));
    int k = widened_kib("256K");
    UNIT_OK(k == 256 || k == 64, "256K: 256 KiB, or 64 at the user's quota (%d)", k);
    /* more than this user may have: pipe-max-size (when that is allowed) */
    FILE *mf = fopen("/proc/sys/fs/pipe-max-size", "r");
    long max = 0;
    if (mf) {
        if (fscanf(mf, "%ld", &max) != 1)
            max = 0;
        fclose(mf);
    }
    int big[2];
    if (max == PIPEBUF_SIZE && may_widen() && pipe(big) == 0) {
        int over = fcntl(big[0], F_SETPIPE_SZ, 2 * PIPEBUF_SIZE) >= 0;
        close(big[0]);
        close(big[1]);
        if (!over)
            UNIT_OK(widened_kib("1G") == PIPEBUF_SIZE / 1024,
                    "1G, past pipe-max-size: as much as that allows (%d KiB)",
                    widened_kib("1G"));
        else
            UNIT_OK(1, "# SKIP this user may pass pipe-max-size");
    } else {
        UNIT_OK(1, "# SKIP pipe-max-size is not %d here, or no pipe may have it", PIPEBUF_SIZE);
    }
    /* a value refused: a usage error (status 2), whatever the descriptor */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2); /* (the message: the programs' tests read it) */
        setenv("DISTCONF_PIPE_SIZE", "1 MB", 1);
        pipebuf_widen(0);
        _exit(0);
    }
    int st;
    UNIT_OK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 2,
            "a value refused ends the program with status 2");
}

int main(void)
{
    int p[2];
    test_env();
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
