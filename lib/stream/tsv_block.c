/* tsv_block: a block's lines (tsv_next_block) checked and split, on any
 * thread: the usual rows found in one pass over its TABs and LFs; the
 * others taken in order by the general reader.  See tsv.h. */
#include "common/diag.h"
#include "stream/tsv.h"
#include "stream/tsv_impl.h"

#include <stdlib.h>
#include <string.h>

/* tsv_usual_row's checks of the line as a whole (the general reader
 * decides a line that is empty, a preamble line, a byte-order mark or the
 * header again) and of its nf fields f (the header's count, the first no
 * column name). */
static inline int usual_line(const tsv_reader *r, const char *text, size_t len)
{
    return !(len == 0 || text[0] == '#' || text[0] == TSV_BOM[0] ||
             (len == r->header_len && memcmp(text, r->header, len) == 0));
}

static inline int usual_fields(const tsv_reader *r, const tsv_field *f, size_t nf)
{
    return nf == r->ncols && !(nf > 1 && tsv_find_col(r, f[0].p, f[0].n));
}

int tsv_usual_row(const tsv_reader *r, const char *text, size_t len, tsv_field *f)
{
    if (!usual_line(r, text, len))
        return 0;
    size_t nf = 0, ncols = r->ncols;
    const char *p = text, *end = text + len;
    for (;;) {
        const char *tab = tsv_find_tab(p, end);
        if (nf == ncols)
            return 0;
        f[nf].p = p;
        if (!tab) {
            f[nf++].n = (size_t)(end - p);
            break;
        }
        f[nf++].n = (size_t)(tab - p);
        p = tab + 1;
    }
    return usual_fields(r, f, nf);
}

/* The TABs, LFs and NULs of a block, found 64 bytes at a time (a bit for
 * each byte that is one) and given in order: one pass over the text for
 * all its lines and fields, instead of a search for each (and for a NUL,
 * which ends the usual rows). */
typedef struct seps {
    const char *base, *end; /* the window's first byte; the text's end */
    uint64_t m;             /* the window's separators not yet given */
} seps;

static inline __attribute__((always_inline)) uint64_t sep_mask(const char *p, const char *end)
{
    char tail[64];
    if (end - p < 64) { /* (the text's end: no byte read past it) */
        memset(tail, 'x', sizeof tail);
        memcpy(tail, p, (size_t)(end - p));
        p = tail;
    }
#ifdef __SSE2__
    const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'), nul = _mm_setzero_si128();
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, nul)));
        m |= (uint64_t)bits << 16 * k;
    }
    return m;
#else
    uint64_t m = 0;
    for (int k = 0; k < 64; k++)
        m |= (uint64_t)(p[k] == '\t' || p[k] == '\n' || p[k] == '\0') << k;
    return m;
#endif
}

static inline seps seps_start(const char *text, const char *end)
{
    return (seps){text, end, text < end ? sep_mask(text, end) : 0};
}

/* The next TAB or LF, or the text's end. */
static inline const char *seps_next(seps *s)
{
    while (!s->m) {
        if (s->end - s->base <= 64)
            return s->end;
        s->base += 64;
        s->m = sep_mask(s->base, s->end);
    }
    const char *q = s->base + __builtin_ctzll(s->m);
    s->m &= s->m - 1;
    return q;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define BLOCK_X86 1

/* A row of exactly ncols fields whose LF lies in the 64 bytes from p (p +
 * 64 within the text), found from those 64 bytes at once: its fields into
 * f, its LF returned; else NULL (a longer row, a NUL before its LF, too
 * many or too few fields: the general loop decides).  The TABs before the
 * LF are counted, not visited: their count is known, so is the loop's. */
__attribute__((target("avx2,popcnt,bmi,bmi2"))) static inline const char *
row64(const char *p, size_t ncols, tsv_field *f)
{
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p),
            c = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    const __m256i tab = _mm256_set1_epi8('\t'), lf = _mm256_set1_epi8('\n'),
                  nul = _mm256_setzero_si256();
    uint64_t tabs = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, tab)) |
                    (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, tab)) << 32;
    uint64_t stops =
        (uint32_t)_mm256_movemask_epi8(
            _mm256_or_si256(_mm256_cmpeq_epi8(a, lf), _mm256_cmpeq_epi8(a, nul))) |
        (uint64_t)(uint32_t)_mm256_movemask_epi8(
            _mm256_or_si256(_mm256_cmpeq_epi8(c, lf), _mm256_cmpeq_epi8(c, nul)))
            << 32;
    if (!stops)
        return NULL;
    unsigned e = (unsigned)__builtin_ctzll(stops);
    if (p[e] != '\n')
        return NULL;
    tabs = _bzhi_u64(tabs, e);
    if ((size_t)__builtin_popcountll(tabs) + 1 != ncols)
        return NULL;
    const char *fp = p;
    for (size_t k = 0; k + 1 < ncols; k++) {
        const char *t = p + __builtin_ctzll(tabs);
        f[k] = (tsv_field){fp, (size_t)(t - fp)};
        fp = t + 1;
        tabs &= tabs - 1;
    }
    f[ncols - 1] = (tsv_field){fp, (size_t)(p + e - fp)};
    return p + e;
}
#endif

/* tsv_block_usual's loop; row64 tried first for each row where fast (a
 * constant: two copies of the loop, with and without). */
static inline __attribute__((always_inline)) size_t
block_usual(const tsv_reader *r, tsv_block *b, tsv_field *f, tsv_usual_fn *row, void *ctx,
            size_t *rest, int fast)
{
    char *text = b->text, *end = text + b->len, *p = text;
    size_t i = 0, ncols = r->ncols;
    seps s = seps_start(text, end);
    for (; i < b->nlines; i++) {
        /* the fields up to the line's LF (or the text's end); one more than
         * the header's is one too many */
        size_t nf = 0;
        const char *q = NULL, *fp = p;
#ifdef BLOCK_X86
        if (fast && end - p >= 64 && (q = row64(p, ncols, f)) != NULL) {
            nf = ncols;
            s.base = NULL; /* (the general loop, if it comes, starts again at its row) */
        }
#else
        (void)fast;
#endif
        if (!q) {
            if (!s.base) /* (after rows of row64's: the window from here) */
                s = seps_start(p, end);
            for (;;) {
                q = seps_next(&s);
                if (nf == ncols || (q < end && *q == '\0')) /* (a NUL: tsv_take_line's) */
                    goto done;
                f[nf++] = (tsv_field){fp, (size_t)(q - fp)};
                if (q == end || *q == '\n')
                    break;
                fp = q + 1;
            }
        }
        size_t len = (size_t)(q - p);
        if (b->line == 1 && i == 0) /* a file's line 1 */
            break;
        if (len && p[len - 1] == '\r') { /* (a CR ends the last field) */
            len--;
            f[nf - 1].n--;
        }
        if (!usual_line(r, p, len) || !usual_fields(r, f, nf))
            break;
        p[len] = '\0';
        row(ctx, i, (size_t)(p - text), len, f);
        p = q == end ? end : (char *)q + 1;
    }
done:
    *rest = (size_t)(p - text);
    return i;
}

#ifdef BLOCK_X86
__attribute__((target("avx2,popcnt,bmi,bmi2"))) static size_t
block_usual_avx2(const tsv_reader *r, tsv_block *b, tsv_field *f, tsv_usual_fn *row, void *ctx,
                 size_t *rest)
{
    return block_usual(r, b, f, row, ctx, rest, 1);
}
#endif

size_t tsv_block_usual(const tsv_reader *r, tsv_block *b, tsv_field *f, tsv_usual_fn *row,
                       void *ctx, size_t *rest)
{
#ifdef BLOCK_X86
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
        __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2"))
        return block_usual_avx2(r, b, f, row, ctx, rest);
#endif
    return block_usual(r, b, f, row, ctx, rest, 0);
}

size_t tsv_block_append(tsv_block *b, const tsv_reader *r, tsv_field *f)
{
    if (b->len + r->len + 1 > b->cap) {
        b->cap = b->len + r->len + 1;
        b->text = xrealloc(b->text, b->cap + 1);
    }
    size_t off = b->len;
    memcpy(b->text + off, r->text, r->len + 1);
    for (size_t c = 0; c < r->nf; c++) /* the fields, moved with the text */
        f[c] = (tsv_field){b->text + off + (r->f[c].p - r->text), r->f[c].n};
    b->len += r->len + 1;
    return off;
}

void tsv_block_take(tsv_reader *r, tsv_block *b, size_t k, size_t at, tsv_taken_fn *row,
                    void (*flush)(void *), void *ctx)
{
    char *p = b->text + at, *end = b->text + b->len;
    for (; k < b->nlines; k++) {
        char *lf = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((lf ? lf : end) - p);
        diag_before_die(flush, ctx); /* the rows taken before an error first */
        int data = tsv_take_line(r, b->name, b->line + k, p, len);
        diag_before_die(NULL, NULL);
        p += len + 1;
        if (data)
            row(ctx, r);
    }
}
