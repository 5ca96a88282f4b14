/* out_impl: what the files of the output module share (out.c: opening,
 * out_write.c: writing and closing, out_check.c: same-file checks).  Not
 * for other modules: they use out.h. */
#ifndef OUT_IMPL_H
#define OUT_IMPL_H

#include <sys/stat.h>
#include <zlib.h>

#include "stream/out.h"

/* How a named output is written (out.h). */
enum out_kind {
    OUT_FD,      /* a descriptor of ours, named /dev/stdout, /proc/self/fd/N... */
    OUT_INPLACE, /* a device, FIFO or socket (or another process's /proc link) */
    OUT_ATOMIC,  /* a regular file or a new one: temporary file, then rename */
};

struct out_file {
    enum out_kind kind;
    char *given;          /* the path as given, for messages */
    char *target;         /* the path with every link followed */
    char *dir;            /* OUT_ATOMIC: the target's folder */
    const char *base;     /* OUT_ATOMIC: the target's last component (in target) */
    char *volatile tmppath; /* OUT_ATOMIC: the temporary file, once created */
    int srcfd;            /* OUT_FD: the descriptor named */
    int exists;           /* OUT_ATOMIC: the target exists, and st is it */
    struct stat st;
    z_stream *z;          /* a .gz name: the compressor */
    unsigned char *zbuf;
};

/* The gzip compressor's output buffer. */
enum { OUT_ZBUF = 1 << 17 };

/* Free o and what it holds (the file descriptor closed). */
void out_free(out *o);
/* An error ends the program: give the memory back (the temporary file is
 * removed before, by a diag_on_fail cleanup). */
void out_abandon(void *o);

#endif
