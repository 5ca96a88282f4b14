/* lines: a file read line by line through one growing buffer.  See lines.h. */
#include "stream/lines.h"
#include "common/diag.h"
#include "stream/zio.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { READ_CHUNK = 1 << 20, BLOCK_READ_MIN = 1 << 14 };

static const char BOM[3] = {'\xef', '\xbb', '\xbf'};

void lines_start(lines *l, const char *path)
{
    l->gz = zio_open(path, &l->name);
    if (!l->buf) {
        l->cap = READ_CHUNK;
        l->buf = xmalloc(l->cap + 1);
    }
    l->pos = l->end = 0;
    l->nul = SIZE_MAX;
    l->eof = 0;
    l->line = 0;
}

void lines_stop(lines *l)
{
    if (l->gz) {
        zio_close(l->gz);
        l->gz = NULL;
    }
}

void lines_free(lines *l)
{
    lines_stop(l);
    free(l->buf);
    l->buf = NULL;
}

static void abandon(void *l) { lines_close(l); }

lines *lines_open(const char *path)
{
    lines *l = xcalloc(1, sizeof *l);
    diag_on_error(abandon, l);
    lines_start(l, path);
    return l;
}

void lines_close(lines *l)
{
    if (!l)
        return;
    diag_forget_error(abandon, l);
    lines_free(l);
    free(l);
}

/* Read more data into the buffer, keeping buf[pos..end).  Returns 0 at the
 * end of the file. */
static int fill(lines *l)
{
    if (l->eof)
        return 0;
    if (l->pos > 0) {
        memmove(l->buf, l->buf + l->pos, l->end - l->pos);
        if (l->nul != SIZE_MAX)
            l->nul -= l->pos;
        l->end -= l->pos;
        l->pos = 0;
    }
    /* buf[0..end) is now the start of one line: past the limit, stop */
    if (l->end > LINES_MAX)
        die_at(l->name, l->line + 1, "line too long (more than %zu MiB)",
               (size_t)LINES_MAX >> 20);
    if (l->cap - l->end < READ_CHUNK / 2) {
        size_t cap = l->cap * 2;
        if (cap > LINES_MAX + (size_t)READ_CHUNK)
            cap = LINES_MAX + (size_t)READ_CHUNK;
        l->cap = cap;
        l->buf = xrealloc(l->buf, l->cap + 1);
    }
    size_t got = zio_read(l->gz, l->buf + l->end, l->cap - l->end, 1);
    if (got == 0) {
        l->eof = 1;
        return 0;
    }
    if (l->nul == SIZE_MAX) {
        const char *z = memchr(l->buf + l->end, '\0', got);
        if (z)
            l->nul = (size_t)(z - l->buf);
    }
    l->end += got;
    return 1;
}

/* A line's bytes as read (start[0..len), without its LF) made the line
 * given: a NUL in it (at nul, or SIZE_MAX: none) is an error, a CR at its
 * end is dropped, a byte-order mark at the start of line 1 skipped; its
 * end overwritten with a NUL (the byte there before into *saved).  Returns
 * where the mark's bytes end. */
static size_t settle(const char *name, uint64_t line, char *start, size_t *len, size_t nul,
                     char *saved)
{
    /* (the mark's bytes are not a column: counted from after it) */
    size_t mark = line == 1 && *len >= 3 && memcmp(start, BOM, 3) == 0 ? 3 : 0;
    if (nul < *len)
        die_at(name, line, "NUL byte in the input (column %zu)", nul - mark + 1);
    if (*len > 0 && start[*len - 1] == '\r')
        (*len)--;
    *saved = start[*len];
    start[*len] = '\0';
    *len -= mark;
    return mark;
}

char *lines_settle(const char *name, uint64_t line, char *start, size_t *len)
{
    const char *z = memchr(start, '\0', *len);
    char saved;
    return start + settle(name, line, start, len, z ? (size_t)(z - start) : SIZE_MAX, &saved);
}

int lines_next(lines *l)
{
    size_t scanned = 0;
    for (;;) {
        char *start = l->buf + l->pos;
        char *lf = l->end > l->pos + scanned
                       ? memchr(start + scanned, '\n', l->end - l->pos - scanned)
                       : NULL;
        size_t len;
        if (lf) {
            len = (size_t)(lf - start);
            l->pos += len + 1;
        } else {
            scanned = l->end - l->pos;
            if (fill(l))
                continue;
            if (scanned == 0)
                return 0;
            start = l->buf + l->pos; /* the last line has no newline */
            len = scanned;
            l->pos += len;
        }
        l->line++;
        size_t at = (size_t)(start - l->buf);
        size_t mark = settle(l->name, l->line, start, &len,
                             l->nul != SIZE_MAX && l->nul < at + len ? l->nul - at : SIZE_MAX,
                             &l->saved);
        l->text = start + mark;
        l->len = len;
        return 1;
    }
}

/* ---- blocks of whole lines ---- */

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
/* lf_cut's count, 64 bytes a step while the step's LFs stay below max: a
 * count and the last one's place per step, not a turn per LF.  Returns
 * where it stopped (a multiple of 64), with *k and *cut so far. */
__attribute__((target("avx2,popcnt"))) static size_t
lf_count_avx2(const char *p, size_t n, size_t max, size_t *k, size_t *cut)
{
    const __m256i lf = _mm256_set1_epi8('\n');
    size_t i = 0;
    for (; n - i >= 64; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i)),
                b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32));
        uint64_t m = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, lf)) |
                     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, lf)) << 32;
        size_t c = (size_t)__builtin_popcountll(m);
        if (*k + c >= max) /* (the step with the max-th: lf_cut's loop from there) */
            break;
        if (m) {
            *k += c;
            *cut = i + 64 - (size_t)__builtin_clzll(m);
        }
    }
    return i;
}
#endif

/* Where the first max LFs of p[0..n) end (just past the last of them), and
 * how many, into *count; 0 when there is none. */
static size_t lf_cut(const char *p, size_t n, size_t max, size_t *count)
{
    size_t k = 0, i = 0, cut = 0;
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        i = lf_count_avx2(p, n, max, &k, &cut);
#endif
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n');
    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        for (; mask; mask &= mask - 1) { /* (few: a line is usually longer) */
            cut = i + (size_t)__builtin_ctz(mask) + 1;
            if (++k == max) {
                *count = k;
                return cut;
            }
        }
    }
#endif
    for (; i < n && k < max; i++)
        if (p[i] == '\n') {
            k++;
            cut = i + 1;
        }
    *count = k;
    return cut;
}

size_t lines_block(lines *l, char **buf, size_t *cap, size_t max_lines, size_t *nlines)
{
    size_t n = 0;
    for (;;) {
        if (l->pos < l->end) { /* the bytes held first */
            size_t take = l->end - l->pos < *cap - n ? l->end - l->pos : *cap - n;
            memcpy(*buf + n, l->buf + l->pos, take);
            l->pos += take;
            n += take;
        } else if (!l->eof) { /* then one read */
            /* about max_lines, as long as the last block's: the rest
             * would be held and copied again */
            size_t want = *cap - n, guess = l->per_line * max_lines;
            if (guess < BLOCK_READ_MIN)
                guess = BLOCK_READ_MIN;
            if (n == 0 && l->per_line && guess < want)
                want = guess;
            size_t got = zio_read(l->gz, *buf + n, want, 1);
            l->eof = got == 0;
            n += got;
        }
        size_t cut = lf_cut(*buf, n, max_lines, nlines);
        if (!cut && l->eof && l->pos == l->end) { /* the last line has no LF */
            cut = n;
            *nlines = n > 0;
        }
        if (cut) {
            size_t tail = n - cut;
            if (l->pos < l->end) { /* every byte taken was held: give some back */
                l->pos -= tail;
                if (l->nul != SIZE_MAX && l->nul < l->pos) {
                    const char *z = memchr(l->buf + l->pos, '\0', l->end - l->pos);
                    l->nul = z ? (size_t)(z - l->buf) : SIZE_MAX;
                }
            } else { /* some were read: the rest is held */
                if (tail > l->cap) {
                    l->cap = tail;
                    l->buf = xrealloc(l->buf, l->cap + 1);
                }
                memcpy(l->buf, *buf + cut, tail);
                l->pos = 0;
                l->end = tail;
                const char *z = memchr(l->buf, '\0', tail);
                l->nul = z ? (size_t)(z - l->buf) : SIZE_MAX;
            }
            l->line += *nlines;
            l->per_line = (cut + *nlines - 1) / *nlines;
            return cut;
        }
        if (n == 0) /* the end of the file */
            return 0;
        /* (*buf)[0..n) is the start of one line: past the limit, stop */
        if (n > LINES_MAX)
            die_at(l->name, l->line + 1, "line too long (more than %zu MiB)",
                   (size_t)LINES_MAX >> 20);
        if (n == *cap) { /* more room, as fill gives it */
            *cap = *cap > (LINES_MAX + READ_CHUNK) / 2 ? LINES_MAX + READ_CHUNK : *cap * 2;
            *buf = xrealloc(*buf, *cap + 1);
        }
    }
}

void lines_unread(lines *l)
{
    l->text[l->len] = l->saved;
    l->pos = (size_t)(l->text - l->buf);
    l->line--;
}
