/* embpath: the path of the embedding store that a stream names in its
 * preamble line "#embeddings=PATH" (SPEC.md, "The stream").
 *
 * A relative PATH is relative to the folder of the file that carries the
 * line, so that a stream and its store move together: embpath_resolve
 * turns it into a path that opens from the current directory (reading), and
 * embpath_write names a store for the stream being written (writing).  The
 * stream reader (tsv) and pairgen, which starts streams, share these. */
#ifndef EMBPATH_H
#define EMBPATH_H

#include <stddef.h>

#include "stream/out.h"

/* The value of an "#embeddings=" line text[0..len), or NULL when it is not
 * one. */
const char *embpath_value(const char *text, size_t len);

/* PATH of an #embeddings= line of `file` ("<stdin>": the current
 * directory) as it opens from here.  Returns a new string. */
char *embpath_resolve(const char *path, const char *file);

/* path (opening from the current directory) as a stream written to outpath
 * (NULL or "-": standard output) must name it so that it opens from the
 * directory of outpath: unchanged when written to standard output or into
 * the current directory, and when absolute; a relative path that starts
 * with outpath's directory loses it; any other relative path gets the
 * current directory in front (absolute).  as_written is the path as the
 * user wrote it (path itself, or the line's PATH before embpath_resolve):
 * only a path that was relative there loses outpath's directory.  Returns
 * a new string. */
char *embpath_for_output(const char *path, const char *as_written, const char *outpath);

/* Write the line "#embeddings=PATH\n" to o for the store at path
 * (embpath_for_output for o's file). */
void embpath_write(out *o, const char *path, const char *as_written);

/* Do two paths name one file (the same spelling, or device and inode)? */
int embpath_same_file(const char *a, const char *b);

#endif
