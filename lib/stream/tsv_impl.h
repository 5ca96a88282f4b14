/* tsv_impl: what the files of the stream reader share (tsv.c: rows and
 * columns; tsv_block.c: a block's lines; tsv_header.c: a second header, a
 * header sorted away; tsv_preamble.c: the '#' lines).  Not for other
 * modules: they use tsv.h. */
#ifndef TSV_IMPL_H
#define TSV_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/strmap.h"
#include "stream/lines.h"
#include "stream/tsv.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A preamble line of the first file, and the store it names. */
typedef struct pre_line {
    char *store; /* #embeddings=: the path resolved; else NULL */
    const char *file;
    uint64_t line;
} pre_line;

struct tsv_src {
    char *const *paths;
    size_t npaths, ipath;
    lines in;    /* the file being read */
    size_t capf; /* room in tsv_reader.f */

    strmap index;           /* column name -> index, TSV_DUP_BIT when named twice */
    uint64_t len_mask;      /* bit min(len, 63) set for every column name's length */
    uint32_t first_byte[8]; /* the first bytes of column names, as a bit set */

    pre_line *pre;   /* one per r->preamble line */
    const char *emb; /* the first #embeddings= store resolved, or NULL */
    int emb_set;     /* tsv_set_embeddings was called */
    char *emb_used;  /* its path; NULL: drop the lines */
};

#define TSV_DUP_BIT ((uint64_t)1 << 63)

/* A UTF-8 byte-order mark. */
#define TSV_BOM "\xef\xbb\xbf"

/* The first TAB in [p, end), or NULL: sixteen bytes a step where the
 * machine has SSE2 (fields are short: a call of memchr for each costs more
 * than the search). */
static inline const char *tsv_find_tab(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i tab = _mm_set1_epi8('\t');
    for (; end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
        if (mask)
            return p + __builtin_ctz(mask);
    }
#endif
    for (; p < end; p++)
        if (*p == '\t')
            return p;
    return NULL;
}

/* The index slot of the column named p[0..n), or NULL (a quick no for most
 * values: the length and first byte of no column name). */
uint64_t *tsv_find_col(const tsv_reader *r, const char *p, size_t n);

/* tsv_header.c.  The current row (split) looks like a header: more than
 * half of its fields are column names. */
int tsv_looks_like_header(const tsv_reader *r);
/* The current line is another header: say how it differs and what to do. */
noreturn void tsv_second_header(const tsv_reader *r);
/* Is the first input counts (its preamble says so)? */
int tsv_is_counts(const tsv_reader *r);
/* The current line is counts and the first input a distance stream, or
 * the other way round: the error that says so. */
noreturn void tsv_mixed_counts(const tsv_reader *r);
/* The header against the first row (split): an error when it looks like
 * data, a header sorted away. */
void tsv_check_not_data(const tsv_reader *r);

/* tsv_preamble.c.  Is the current line a '#' line (no TAB)? */
int tsv_is_preamble(const tsv_reader *r);
/* Keep a preamble line of the first file. */
void tsv_keep_preamble(tsv_reader *r);
/* A '#' line after the header: one of the first preamble's again, or an
 * error. */
void tsv_check_preamble(tsv_reader *r);
void tsv_free_preamble(tsv_reader *r);

#endif
