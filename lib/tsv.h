/* tsv: the distconf stream reader (SPEC.md, "The stream").
 *
 * Reads one or more files (or stdin), plain or gzip, line by line into a
 * large buffer; each row is split into (pointer, length) fields without
 * copying.  The '#' preamble and the header are read once, up front; column
 * names are resolved against the header.  Every later file must repeat the
 * first file's header (its preamble is dropped), so `tool a.tsv b.tsv` reads
 * like `tool a.tsv` followed by the rows of b.tsv. */
#ifndef TSV_H
#define TSV_H

#include <stddef.h>
#include <stdint.h>

#include "out.h"

typedef struct tsv_field {
    const char *p;
    size_t n;
} tsv_field;

typedef struct tsv_reader {
    /* The current row: its text (no CR/LF, NUL-terminated) and fields. */
    const char *name;  /* file name for messages; "<stdin>" for stdin */
    uint64_t line;     /* 1-based line number in that file */
    char *text;
    size_t len;
    tsv_field *f;
    size_t nf;

    /* The header of the first file, and its preamble lines. */
    char *header;      /* raw header line */
    size_t header_len;
    char **cols;       /* column names, NUL-terminated copies */
    size_t ncols;
    char **preamble;   /* raw '#' lines without the newline */
    size_t npreamble;

    uint64_t rows;     /* data rows read so far, over all files */

    struct tsv_src *src; /* private */
} tsv_reader;

/* Open the inputs ("-" is stdin; npaths 0 means stdin) and read the first
 * file's preamble and header.  Dies on an unreadable file or empty input. */
tsv_reader *tsv_open(char *const *paths, size_t npaths);
void tsv_close(tsv_reader *r);

/* Open one file ("-" is stdin) for reading raw lines with tsv_next_line():
 * no preamble, no header, no splitting (for files that are not streams,
 * such as an embedding store). */
tsv_reader *tsv_open_lines(const char *path);
/* The next line of a tsv_open_lines() file into r->text / r->len (CR/LF
 * dropped, NUL-terminated), r->line counting; 0 at the end. */
int tsv_next_line(tsv_reader *r);

/* Read the next data row into r->text / r->f.  Returns 0 after the last row
 * of the last file.  A row whose field count differs from the header's is an
 * error. */
int tsv_next(tsv_reader *r);

/* Column lookup by exact name: its index, or -1.  A name that the header
 * holds twice is an error (which one would be meant?). */
long tsv_col(const tsv_reader *r, const char *name);
/* As tsv_col, but a missing column is an error naming the columns found. */
size_t tsv_require_col(const tsv_reader *r, const char *name);
/* A column the program is about to append must not exist already. */
void tsv_check_new_col(const tsv_reader *r, const char *name);
/* The columns found, comma-separated, for messages (static buffer). */
const char *tsv_col_list(const tsv_reader *r);

/* Value of "#KEY=VALUE" in the preamble, or NULL. */
const char *tsv_preamble_get(const tsv_reader *r, const char *key);

/* Copy the preamble lines, then the header line without its newline (so
 * the caller appends its columns, then writes '\n'). */
void tsv_write_preamble(const tsv_reader *r, out *o);
void tsv_write_header_start(const tsv_reader *r, out *o);

/* Parse field `col` of the current row as a strict decimal number; an
 * error names the file, line, column and the text found. */
double tsv_number(const tsv_reader *r, size_t col);

/* The longest line accepted, a guard against unbounded memory: 256 MiB
 * (a row of a million numbers is about 10 MB). */
#define TSV_MAX_LINE ((size_t)256 << 20)

#endif
