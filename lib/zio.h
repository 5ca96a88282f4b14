/* zio: opening and reading input files, plain or gzip, with distconf's
 * messages.  The one place the stream reader and the YAML reader get their
 * bytes from. */
#ifndef ZIO_H
#define ZIO_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Open path for reading ("-" is standard input); gzip data is inflated,
 * anything else read as it is.  *name is set to the name for messages
 * ("<stdin>" or path).  An unopenable file ends the program. */
gzFile zio_open(const char *path, const char **name);

/* Read up to n bytes; 0 at the end of the data.  A read error or damaged
 * gzip data (a truncated stream included) ends the program, naming the file
 * and, when line is not 0, the line being read. */
size_t zio_read(gzFile gz, void *buf, size_t n, const char *name, uint64_t line);

#endif
