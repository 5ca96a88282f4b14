/* Unit tests for lib/stream/tsv.c: lines, fields, CRLF, preamble, header, several
 * files, gzip, lines longer than the buffer. */
#include "stream/tsv.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

/* Counters and line numbers are 64-bit: a stream of more than 2^32 rows
 * neither wraps nor misnames its lines. */
_Static_assert(sizeof(((tsv_reader *)0)->line) == 8, "line numbers are 64-bit");
_Static_assert(sizeof(((tsv_reader *)0)->rows) == 8, "row counts are 64-bit");


/* tsv_block_usual's rows, as they are called back */
typedef struct seen_row {
    size_t i, off, len;
    tsv_field f[3];
} seen_row;
typedef struct seen {
    seen_row row[64];
    size_t n;
} seen;

static void see_row(void *ctx, size_t i, size_t off, size_t len, const tsv_field *f)
{
    seen *s = ctx;
    s->row[s->n++] = (seen_row){i, off, len, {f[0], f[1], f[2]}};
}

/* tsv_block_usual as it is defined: each line found by its LF and given to
 * tsv_usual_row (a NUL in it, or a file's line 1, stops the rows too). */
static size_t usual_by_line(const tsv_reader *r, tsv_block *b, seen *s, size_t *rest)
{
    char *text = b->text, *end = text + b->len, *p = text;
    const char *nul = memchr(text, '\0', b->len);
    size_t i = 0;
    for (; i < b->nlines; i++) {
        char *lf = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((lf ? lf : end) - p);
        if ((nul && p + len > nul) || (b->line == 1 && i == 0))
            break;
        if (len && p[len - 1] == '\r')
            len--;
        tsv_field f[3];
        if (!tsv_usual_row(r, p, len, f))
            break;
        p[len] = '\0';
        see_row(s, i, (size_t)(p - text), len, f);
        p = lf ? lf + 1 : end;
    }
    *rest = (size_t)(p - text);
    return i;
}

int main(void)
{
    const char t1[] = "#embeddings=e.tsv\n#other=x\na\tb\tsame\r\nx\ty\t1\r\n\t\t\nlast\tz\t0";
    char *p1 = unit_write_n("one.tsv", t1, sizeof t1 - 1);
    tsv_reader *r = tsv_open(&p1, 1);
    UNIT_OK(r->ncols == 3 && strcmp(r->cols[2], "same") == 0, "header split, CR dropped");
    UNIT_OK(r->npreamble == 2, "two preamble lines");
    UNIT_STREQ(tsv_preamble_get(r, "embeddings"), "e.tsv", "#embeddings= is found");
    UNIT_OK(tsv_preamble_get(r, "missing") == NULL, "an absent key is NULL");
    UNIT_OK(tsv_col(r, "b") == 1 && tsv_col(r, "c") == -1, "columns by name");
    UNIT_OK(tsv_next(r) && r->line == 4 && r->f[1].n == 1 && r->f[1].p[0] == 'y' &&
                r->len == 5,
            "first row at line 4, CR dropped");
    UNIT_OK(tsv_next(r) && r->nf == 3 && r->f[0].n == 0 && r->f[2].n == 0, "empty fields");
    UNIT_OK(tsv_next(r) && strcmp(r->text, "last\tz\t0") == 0, "a last line without newline");
    UNIT_OK(!tsv_next(r) && r->rows == 3, "then the end, 3 rows");
    tsv_close(r);

    /* several files: the second's header is skipped */
    const char t2[] = "a\tb\tsame\nq\tr\t0\n";
    char *paths[2] = {p1, unit_write_n("two.tsv", t2, sizeof t2 - 1)};
    r = tsv_open(paths, 2);
    int n = 0;
    while (tsv_next(r))
        n++;
    UNIT_OK(n == 4 && strcmp(r->name, paths[1]) == 0 && r->line == 2,
            "two files read as one stream, line numbers per file");
    tsv_close(r);

    /* gzip, and lines far longer than the read buffer */
    size_t big = 3u << 20;
    char *text = malloc(big + 64);
    size_t o = (size_t)sprintf(text, "name\tvalue\n");
    memset(text + o, 'x', big);
    o += big;
    o += (size_t)sprintf(text + o, "\t1.5\nshort\t2\n");
    char *pz = unit_write_n("big.tsv.gz", "", 0);
    gzFile gz = gzopen(pz, "wb");
    gzwrite(gz, text, (unsigned)o);
    gzclose(gz);
    r = tsv_open(&pz, 1);
    UNIT_OK(tsv_next(r) && r->f[0].n == big && tsv_number(r, 1) == 1.5,
            "a 3 MiB field through gzip");
    UNIT_OK(tsv_next(r) && r->f[0].n == 5 && tsv_number(r, 1) == 2.0, "then a short line");
    UNIT_OK(!tsv_next(r), "then the end");
    tsv_close(r);
    free(text);

    /* a file that is only a header */
    char *ph = unit_write_n("head.tsv", "a\tb\n", 4);
    r = tsv_open(&ph, 1);
    UNIT_OK(r->ncols == 2 && !tsv_next(r) && r->rows == 0, "header only: no rows");
    tsv_close(r);

    /* many rows across buffer refills keep their line numbers */
    FILE *f = fopen(unit_write_n("many.tsv", "", 0), "w");
    fprintf(f, "i\tx\n");
    for (int i = 1; i <= 200000; i++)
        fprintf(f, "%d\t%d.25\n", i, i);
    fclose(f);
    char *pp = unit_path("many.tsv");
    r = tsv_open(&pp, 1);
    int bad = 0;
    for (int i = 1; tsv_next(r); i++)
        if (r->line != (uint64_t)i + 1 || tsv_number(r, 0) != i || tsv_number(r, 1) != i + 0.25)
            bad++;
    UNIT_OK(bad == 0 && r->rows == 200000, "200000 rows, every line number and value right");
    tsv_close(r);

    /* the head written back out: preamble (the store named for the output's
     * folder), header, the new columns */
    const char t3[] = "#embeddings=e.tsv\n#model=Facenet\na\tb\nx\ty\n";
    char *p3 = unit_write_n("head3.tsv", t3, sizeof t3 - 1);
    char *two[2] = {p3, p3};
    r = tsv_open(two, 2);
    UNIT_OK(tsv_stream_name(r) == NULL, "two inputs: no one name for the stream");
    tsv_close(r);
    r = tsv_open(&p3, 1);
    UNIT_OK(strcmp(tsv_stream_name(r), p3) == 0, "one input: its name");
    const char *outp = unit_path("out.tsv");
    out *w = out_open(outp);
    static const char *const add[] = {"cosine", "angular"};
    tsv_write_head(r, w, add, 2);
    out_close(w);
    tsv_close(r);
    UNIT_STREQ(unit_slurp(outp, NULL), "#embeddings=e.tsv\n#model=Facenet\na\tb\tcosine\tangular\n",
               "tsv_write_head: preamble, header, new columns");

    /* the arithmetic past 2^32: what a message would print for row 2^32+1 */
    tsv_reader fake = {.line = ((uint64_t)1 << 32) + 1, .rows = ((uint64_t)1 << 32) + 5};
    char msg[64];
    snprintf(msg, sizeof msg, "%llu/%llu", (unsigned long long)fake.line,
             (unsigned long long)fake.rows);
    UNIT_STREQ(msg, "4294967297/4294967301", "line and row numbers past 2^32");

    {
        /* tsv_usual_row says yes only to rows tsv_take_line gives as they
         * are: random lines of the bytes and words the special cases see */
        const char hdr[] = "a\tcosine\tb\n1\t2\t3\n";
        char *hp = unit_write_n("usual.tsv", hdr, sizeof hdr - 1);
        tsv_reader *ur = tsv_open(&hp, 1);
        const char *bits[] = {"\t", "#", "1", "0.5", "cosine", "a", "b", "\xef\xbb\xbf", "\xef",
                              "a\tcosine\tb", "x", " "};
        tsv_field uf[3];
        unsigned seed = 7;
        int agree = 1, yes = 0, no = 0;
        for (int t = 0; t < 200000 && agree; t++) {
            char line[128];
            size_t len = 0;
            int parts = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 7;
            for (int k = 0; k < parts; k++) {
                const char *word = bits[((seed = seed * 1103515245u + 12345u) >> 16) % 12];
                memcpy(line + len, word, strlen(word));
                len += strlen(word);
            }
            if (!tsv_usual_row(ur, line, len, uf)) {
                no++;
                continue;
            }
            yes++;
            char copy[128];
            memcpy(copy, line, len);
            agree = tsv_take_line(ur, "usual.tsv", 2, copy, len) == 1 && ur->nf == 3;
            for (size_t c = 0; agree && c < 3; c++)
                agree = ur->f[c].n == uf[c].n && memcmp(ur->f[c].p, uf[c].p, uf[c].n) == 0 &&
                        uf[c].p >= line && uf[c].p + uf[c].n <= line + len;
        }
        UNIT_OK(agree && yes > 1000 && no > 1000,
                "tsv_usual_row: a yes is tsv_take_line's row, field for field");
        /* tsv_block_usual, which finds the TABs and LFs of a block in
         * 64-byte steps, against the block split line by line: random
         * blocks of those bytes, LFs, CRs, NULs and fields longer than a
         * step, rows of 3 to 100 bytes (row64's, of 64, and longer), the
         * last line with its LF or without */
        const char *bbits[] = {"\t", "\n", "\r\n", "1", "0.5", "cosine", "#", "\xef\xbb\xbf",
                               "a\tcosine\tb", "0.123456789012345678901234567890123456789012345678"
                               "90123456789012345678901234567890",
                               "\0", "\t\t", "\r", "0.12345678901234567890123456789"};
        int same_rows = 1, blocks_some = 0;
        for (int t = 0; t < 100000 && same_rows; t++) {
            char bt[8192]; /* (12 lines of at most 7 words of at most 80 bytes) */
            size_t len = 0, nlines = 1;
            int nl = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
            for (int l = 0; l < nl; l++) {
                /* mostly a row of three fields, else random words */
                int row = ((seed = seed * 1103515245u + 12345u) >> 16) % 4 != 0;
                int parts = row ? 5 : (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;
                for (int k = 0; k < parts; k++) {
                    unsigned pick = ((seed = seed * 1103515245u + 12345u) >> 16) % 13;
                    if (row)
                        pick = k % 2 ? 0 : (unsigned[]){3, 4, 9, 5, 13, 13}[pick % 6];
                    size_t wn = pick == 10 ? 1 : strlen(bbits[pick]);
                    memcpy(bt + len, bbits[pick], wn);
                    len += wn;
                }
                unsigned eol = ((seed = seed * 1103515245u + 12345u) >> 16) % 3;
                if (l + 1 < nl || eol) {
                    memcpy(bt + len, "\r\n", 2);
                    len += 2;
                    if (eol != 1)
                        bt[len - 2] = '\n', len--;
                }
            }
            for (size_t k = 0; k < len; k++)
                nlines += bt[k] == '\n';
            if (len && bt[len - 1] == '\n')
                nlines--; /* (the last line's LF: no line after it) */
            if (len == 0)
                continue;
            tsv_block b1 = {.text = malloc(len + 1), .cap = len, .len = len, .nlines = nlines,
                            .line = t % 3 == 0 ? 1 : 9};
            tsv_block b2 = b1;
            b2.text = malloc(len + 1);
            memcpy(b1.text, bt, len);
            memcpy(b2.text, bt, len);
            seen s1 = {.n = 0}, s2 = {.n = 0};
            size_t rest1, rest2, n1 = tsv_block_usual(ur, &b1, uf, see_row, &s1, &rest1);
            size_t n2 = usual_by_line(ur, &b2, &s2, &rest2);
            same_rows = n1 == n2 && s1.n == n1 && s2.n == n2 &&
                        (n1 == nlines || rest1 == rest2) &&
                        memcmp(b1.text, b2.text, len) == 0;
            for (size_t k = 0; same_rows && k < s1.n; k++) {
                seen_row *a = &s1.row[k], *c = &s2.row[k];
                same_rows = a->i == c->i && a->off == c->off && a->len == c->len;
                for (int fi = 0; same_rows && fi < 3; fi++)
                    same_rows = a->f[fi].p - b1.text == c->f[fi].p - b2.text &&
                                a->f[fi].n == c->f[fi].n;
            }
            if (!same_rows) {
                printf("# block of %zu bytes, %zu lines, line %llu: %zu/%zu rows, rest %zu/%zu\n",
                       len, nlines, (unsigned long long)b1.line, n1, n2, rest1, rest2);
                for (size_t k = 0; k < len; k++)
                    printf("%02x%s", (unsigned char)bt[k], k + 1 < len ? " " : "\n");
            }
            blocks_some += n1 > 1;
            free(b1.text);
            free(b2.text);
        }
        UNIT_OK(same_rows && blocks_some > 1000,
                "tsv_block_usual: the rows of a block split line by line, field for field");
        /* rows taken, gathered: text and fields moved, the room grown */
        tsv_block g = {.cap = 4, .text = malloc(5)};
        char l1[] = "1\t22\t333", l2[] = "4444\t5\t66";
        tsv_field gf[3];
        size_t o1 = (tsv_take_line(ur, "usual.tsv", 5, l1, strlen(l1)),
                     tsv_block_append(&g, ur, gf));
        size_t o2 = (tsv_take_line(ur, "usual.tsv", 6, l2, strlen(l2)),
                     tsv_block_append(&g, ur, gf));
        UNIT_OK(o1 == 0 && o2 == 9 && g.len == 19 && g.cap >= 19 &&
                    strcmp(g.text, "1\t22\t333") == 0 && strcmp(g.text + o2, "4444\t5\t66") == 0 &&
                    gf[0].p == g.text + o2 && gf[0].n == 4 && gf[2].p == g.text + o2 + 7 &&
                    gf[2].n == 2,
                "tsv_block_append: rows one after the other, NUL-terminated, fields moved");
        free(g.text);
        tsv_close(ur);
    }
    return unit_done();
}
