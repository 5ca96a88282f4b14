/* zio: zlib's error text without the "<fd:N>: " that gzdopen() puts in
 * front of it (we name the file ourselves). */
#ifndef ZIO_H
#define ZIO_H

#include <string.h>
#include <zlib.h>

static inline const char *zio_error(gzFile gz, int *err)
{
    const char *msg = gzerror(gz, err);
    if (strncmp(msg, "<fd:", 4) == 0) {
        const char *sep = strstr(msg, ": ");
        if (sep)
            return sep + 2;
    }
    return msg;
}

#endif
