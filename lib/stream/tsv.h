/* tsv: the distconf stream reader (SPEC.md, "The stream").
 *
 * Reads one or more files (or stdin), plain or gzip, line by line into a
 * large buffer; each row is split into (pointer, length) fields without
 * copying.  The '#' preamble and the header are read once, up front; column
 * names are resolved against the header through a hash index built once.
 *
 * Several files read as their concatenation, and a stream made by
 * concatenating files (cat a.tsv b.tsv, zcat *.gz) reads as one stream:
 * after the header, a line equal to the header, or to a line of the first
 * preamble (an #embeddings= line: naming the same store), is skipped
 * wherever it recurs, and a UTF-8 byte-order mark before it too.  A line that
 * looks like another header is an error, "a second header"
 * (tsv_looks_like_header), and so is a '#' line (without a TAB) that is not
 * in the first preamble.  A UTF-8 byte-order mark at the start of any file
 * is skipped.  A header that looks like data (a field is a number or a truth
 * value) is an error: "was the header sorted away?".
 *
 * An engine's sequence (distances.c, mapping.c):
 *   tsv_reader *r = tsv_open(paths, n);     preamble and header read
 *   size_t c = tsv_require_col(r, "a");     the columns it reads
 *   tsv_check_new_col(r, "cosine");         the columns it appends
 *   tsv_write_head(r, o, new, nnew);        preamble and header written out
 *   while (tsv_next(r))
 *       ... r->text, r->f[c], tsv_number(r, c) ...
 *   tsv_close(r);
 * Lines are read by lines.h; a file that is not a stream (a list of names)
 * is read with lines.h alone. */
#ifndef TSV_H
#define TSV_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "stream/out.h"

typedef struct tsv_field {
    const char *p;
    size_t n;
} tsv_field;

typedef struct tsv_reader {
    /* The current row: its text (no CR/LF, NUL-terminated) and fields. */
    const char *name; /* file name for messages; "<stdin>" for stdin */
    uint64_t line;    /* 1-based line number in that file */
    char *text;
    size_t len;
    tsv_field *f;
    size_t nf;

    /* The header of the first file, where it is, and its preamble lines. */
    const char *header_file; /* the first input's name: the one messages about
                                the header or the stream as a whole name */
    uint64_t header_line;    /* its line in that file (after the preamble) */
    char *header;            /* raw header line */
    size_t header_len;
    char **cols; /* column names, NUL-terminated copies */
    size_t ncols;
    char **preamble; /* raw '#' lines without the newline */
    size_t npreamble;

    uint64_t rows;  /* data rows read so far, over all files */
    uint64_t parts; /* where a part of the input begins (another file, or a
                       header or preamble repeated: files glued by cat), this
                       grows: a reader of counts checks each part's order */

    struct tsv_src *src; /* private */
} tsv_reader;

/* Open the inputs ("-" is stdin; npaths 0 means stdin) and read the first
 * file's preamble and header.  Dies on an unreadable file or empty input. */
tsv_reader *tsv_open(char *const *paths, size_t npaths);
/* tsv_open for a program that reads counts too (logfit): tsv_open refuses
 * them (stream/counts_io.h, "#distconf-counts=" in the preamble). */
tsv_reader *tsv_open_or_counts(char *const *paths, size_t npaths);
void tsv_close(tsv_reader *r);

/* Read the next data row into r->text / r->f.  Returns 0 after the last row
 * of the last file.  A row whose field count differs from the header's is an
 * error. */
int tsv_next(tsv_reader *r);

/* Blocks: the rows read by the caller's thread as whole lines, checked and
 * split on others (ordered.h; confmap), without a copy of each row:
 *
 *   tsv_block b = {0};   (b.text: the caller's, grown here; free it)
 *   while (tsv_next_block(r, &b, max_lines))      on the reading thread
 *       for each line of b.text (LF-ended, the last maybe not):
 *           tsv_usual_row(r, line, len less a CR at its end, f)?  on any
 *               thread: a data row, its fields in f (r->ncols of them)
 *           else, and for every line after it, in order on the reading
 *           thread: tsv_take_line(r, b.name, b.line + k, line, len)
 *
 * tsv_usual_row is the quick yes of tsv_next's checks for most rows: when
 * it says yes, tsv_take_line would give the same fields; when it says no,
 * tsv_take_line decides (a header again skipped, an error reported).
 * Whole files' ends and starts are handled by tsv_next_block; a line's
 * own by the other two.  The programs run this loop as tsv_block_usual and
 * tsv_block_take below, which find the usual rows in one pass: the loop,
 * with tsv_usual_row, is their definition (test_tsv checks one against the
 * other). */
typedef struct tsv_block {
    char *text; /* the lines as read: LFs and CRs kept, NUL bytes unchecked */
    size_t cap; /* text holds cap + 1 bytes */
    size_t len, nlines;
    const char *name; /* the file they are from */
    uint64_t line;    /* the first one's number */
} tsv_block;

/* The next lines of the stream, at most max_lines; 0 after the last. */
int tsv_next_block(tsv_reader *r, tsv_block *b, size_t max_lines);
/* Is text[0..len) (a line of a block, without its LF and a CR before it)
 * a data row that needs none of tsv_next's special cases?  Its fields into
 * f[0..r->ncols) when it is.  Reads only what the header set: safe on any
 * thread while the reading thread reads on.  (A NUL byte and line 1 of a
 * file are for the caller to see: each needs tsv_take_line.) */
int tsv_usual_row(const tsv_reader *r, const char *text, size_t len, tsv_field *f);
/* Line `line` of file `name` (text[0..len) as read, without its LF; text
 * is written), taken as tsv_next takes a line: 1, a data row in r->text /
 * r->f; 0, one to skip; an error ends the program. */
int tsv_take_line(tsv_reader *r, const char *name, uint64_t line, char *text, size_t len);

/* The two loops over a block's lines.  On any thread: the usual rows at
 * its start, row(ctx, i, off, len, f) for line i (b->line + i) at
 * b->text + off, NUL-terminated in place, its fields in f (r->ncols of
 * them); returns how many, *rest where the next line (the first that is
 * not one) begins.  The rows tsv_usual_row would take line by line, found
 * in one pass over the block's TABs and LFs. */
typedef void tsv_usual_fn(void *ctx, size_t i, size_t off, size_t len, const tsv_field *f);
size_t tsv_block_usual(const tsv_reader *r, tsv_block *b, tsv_field *f, tsv_usual_fn *row,
                       void *ctx, size_t *rest);
/* Then on the reading thread, in order: lines k.. from b->text + at taken
 * by tsv_take_line, row(ctx, r) for each data row (r->text, r->f,
 * r->line); flush(ctx) before an error (the caller's rows taken but not
 * yet written: written first). */
typedef void tsv_taken_fn(void *ctx, tsv_reader *r);
void tsv_block_take(tsv_reader *r, tsv_block *b, size_t k, size_t at, tsv_taken_fn *row,
                    void (*flush)(void *), void *ctx);
/* The current row (r->text, r->f) appended to b->text as a line of its own,
 * NUL-terminated; its fields, moved with it, into f; returns where it
 * begins.  For rows taken (tsv_block_take) and gathered to be worked on as
 * a batch: b grows when it has no room for the row (a caller that keeps b
 * to its size writes b first when b->len + r->len + 1 > b->cap). */
size_t tsv_block_append(tsv_block *b, const tsv_reader *r, tsv_field *f);

/* Column lookup by exact name: its index, or -1.  A name that the header
 * holds twice is an error (which one would be meant?). */
long tsv_col(const tsv_reader *r, const char *name);
/* As tsv_col, but a missing column is an error naming the columns found. */
size_t tsv_require_col(const tsv_reader *r, const char *name);
/* A column the program is about to append must not exist already. */
void tsv_check_new_col(const tsv_reader *r, const char *name);
/* The columns found, comma-separated, for messages (static buffer). */
const char *tsv_col_list(const tsv_reader *r);

/* The name of the stream for a message about it as a whole: the input's
 * name (header_file) when there is one input, NULL when there are several. */
const char *tsv_stream_name(const tsv_reader *r);

/* An error about the header: "PROG: FILE:LINE: msg" with the header's own
 * file and line. */
noreturn void tsv_die_header(const tsv_reader *r, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* Value of "#KEY=VALUE" in the preamble, or NULL; when not NULL and file
 * or line are, where that line is (for messages). */
const char *tsv_preamble_get(const tsv_reader *r, const char *key);
const char *tsv_preamble_at(const tsv_reader *r, const char *key, const char **file,
                            uint64_t *line);

/* The embedding store the preamble names (#embeddings=PATH), resolved
 * against the directory of the file that carries the line (stdin: the
 * current directory): a path that opens from the current directory, or
 * NULL.  *file and *line (when not NULL) say where the line is. */
const char *tsv_embeddings(const tsv_reader *r, const char **file, uint64_t *line);
/* The store actually used, when it is not the preamble's: the written
 * preamble names it instead (a path that opens from the current
 * directory); NULL (a store that has no name, such as standard input):
 * the written preamble has no #embeddings= line. */
void tsv_set_embeddings(tsv_reader *r, const char *path);
/* An output that is the embedding store the stream's #embeddings= line
 * names is refused (out_refuse_input): writing it would break the next
 * step of the pipeline.  Called once the stream is open, before any row. */
void tsv_refuse_store_output(const tsv_reader *r, const out *o);

/* The head of the stream written out: the preamble lines (an #embeddings=
 * line renamed for o's file by embpath_write, naming the store set by
 * tsv_set_embeddings if any), then the header with the columns
 * cols[0..ncols) appended (each checked first by tsv_check_new_col). */
void tsv_write_head(const tsv_reader *r, out *o, const char *const *cols, size_t ncols);

/* Make a row read earlier the current row again (name, line and text as
 * they were; text stays the caller's), split into fields: for an error
 * found in it later (ordered.h: by a worker thread), then reported by
 * tsv_number or tsv_truth exactly as when the row was read. */
void tsv_recall_row(tsv_reader *r, const char *name, uint64_t line, char *text, size_t len);

/* Parse field `col` of the current row as a strict decimal number; an
 * error names the file, line, column and the text found (a column name
 * there is "a second header"). */
double tsv_number(const tsv_reader *r, size_t col);
/* Field `col` of the current row as a truth value (num_parse_truth): 0 or
 * 1; anything else is an error. */
int tsv_truth(const tsv_reader *r, size_t col);

#endif
