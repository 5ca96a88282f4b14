/* zio: opening and reading input files, plain or gzip, with distconf's
 * messages.  The one place the stream reader and the YAML reader get their
 * bytes from.
 *
 * A file that starts with the gzip magic (1f 8b) is inflated member after
 * member, as gzip -d reads concatenated members; anything else is read as
 * it is.  Unlike gzip (which warns "trailing garbage ignored" and exits 2)
 * nothing is ever dropped: bytes after the last gzip member (a plain file
 * appended to a gzip file, zero padding) are an error, and so is gzip data
 * inside a plain file (a gzip file appended to a plain one). */
#ifndef ZIO_H
#define ZIO_H

#include <stddef.h>
#include <stdint.h>

typedef struct zio zio;

/* Open path for reading ("-" is standard input).  *name is set to the name
 * for messages ("<stdin>" or path).  An unopenable file ends the program. */
zio *zio_open(const char *path, const char **name);

/* Read up to n bytes; 0 at the end of the data.  A read error, damaged
 * gzip data (a truncated stream included) or data after the gzip data ends
 * the program, naming the file and, when name_line, the line the gzip data
 * breaks in (the line of the last byte it gave: zio counts them). */
size_t zio_read(zio *z, void *buf, size_t n, int name_line);

/* The size of the file when it is a regular file read as it is (not
 * gzip: known after the first zio_read), else 0: a bound for a reader
 * that sizes its arrays once (a store's vectors). */
uint64_t zio_plain_size(const zio *z);

/* Close; the owner calls it on an error exit too (diag_on_error). */
void zio_close(zio *z);

#endif
