/* fuzz: what the libFuzzer targets share.  Each input is handed to the
 * parser as a file (a memfd, so nothing touches the disk), and an error
 * exit longjmps back here instead of ending the process: errors are the
 * expected answer to most inputs; crashes, hangs and sanitizer reports are
 * what the fuzzer looks for. */
#ifndef FUZZ_H
#define FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/diag.h"

static jmp_buf fuzz_jmp;

static void fuzz_fail(int status)
{
    (void)status;
    longjmp(fuzz_jmp, 1);
}

/* The programs' messages are left out while fuzzing (FUZZ_STDERR=1 keeps
 * them, to see why an input was refused). */

/* A path that reads as the bytes data[0..n). */
static const char *fuzz_file(const uint8_t *data, size_t n)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-input", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        diag_init("fuzz");
        diag_set_fail_hook(fuzz_fail);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, n, 0) != (ssize_t)n)
        abort();
    return path;
}

/* A target's work on one input: fuzz_run(data, n, fn) calls fn(path, n) with
 * the input as the file `path`; an error exit (the input refused) ends fn
 * there, and the answer to libFuzzer is 0 either way. */
static int fuzz_run(const uint8_t *data, size_t n, void (*fn)(const char *path, size_t n))
{
    const char *path = fuzz_file(data, n);
    if (!setjmp(fuzz_jmp))
        fn(path, n);
    return 0;
}

/* Every name a parser let in obeys lib/common/name.h's rule, and shows without a
 * control character: what the door promises. */
#include "common/name.h"
#include <string.h>

static void fuzz_check_name(name_kind kind, const char *p, size_t n)
{
    if (name_check(kind, p, n))
        abort();
    char *s = name_show(p, n);
    for (const unsigned char *q = (const unsigned char *)s; *q; q++)
        if (*q < 0x20 || *q == 0x7f)
            abort();
    free(s);
}

#endif
