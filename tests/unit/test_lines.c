/* Unit tests for lib/stream/lines.c: lines with and without a newline, CR
 * dropped, the byte-order mark of line 1 only, a line given back, a file
 * after another in one buffer. */
#include "stream/lines.h"
#include "unit.h"

/* Every way of cutting file fp into blocks of whole lines (rooms caps,
 * at most maxes lines, after 0 to 2 lines read by lines_next) gives its
 * bytes back in order, its lines counted, each line settled as lines_next
 * gives it. */
static int blocks_ok(const char *fp, const size_t *caps, size_t ncaps, const size_t *maxes,
                     size_t nmaxes)
{
    int all_ok = 1;
    for (size_t ci = 0; ci < ncaps; ci++)
        for (size_t mi = 0; mi < nmaxes; mi++)
            for (size_t skip = 0; skip < 3; skip++) { /* lines read by lines_next first */
                lines *want = lines_open(fp), *got = lines_open(fp);
                for (size_t k = 0; k < skip; k++)
                    all_ok &= lines_next(want) && lines_next(got);
                if (skip) { /* as tsv_open leaves it: a line read, then given back */
                    all_ok &= lines_next(got) == 1;
                    lines_unread(got);
                }
                size_t cap = caps[ci], nlines, got_n;
                char *blk = malloc(cap + 1);
                uint64_t line = got->line;
                while ((got_n = lines_block(got, &blk, &cap, maxes[mi], &nlines)) != 0) {
                    all_ok &= nlines >= 1 && nlines <= maxes[mi] && got->line == line + nlines;
                    char *q = blk, *end = blk + got_n;
                    for (size_t k = 0; k < nlines; k++) {
                        char *lf = memchr(q, '\n', (size_t)(end - q));
                        all_ok &= lf != NULL || k + 1 == nlines; /* the last: maybe no LF */
                        size_t len = (size_t)((lf ? lf : end) - q);
                        char *t = lines_settle(got->name, line + k + 1, q, &len);
                        all_ok &= lines_next(want) && want->line == line + k + 1 &&
                                  want->len == len && memcmp(want->text, t, len) == 0 &&
                                  t[len] == '\0';
                        q += (lf ? lf : end) - q + 1;
                    }
                    all_ok &= q >= end; /* nothing after the last line */
                    line += nlines;
                }
                all_ok &= !lines_next(want) && !lines_block(got, &blk, &cap, 1, &nlines);
                free(blk);
                lines_close(want);
                lines_close(got);
            }
    return all_ok;
}

int main(void)
{
    char *p = unit_write("a.txt", "\xef\xbb\xbf" "one\r\n\ntwo\xef\xbb\xbf\nlast");
    lines *l = lines_open(p);
    UNIT_OK(lines_next(l) && l->line == 1 && l->len == 3 && strcmp(l->text, "one") == 0,
            "line 1: the byte-order mark and the CR dropped");
    UNIT_OK(lines_next(l) && l->line == 2 && l->len == 0 && l->text[0] == '\0', "an empty line");
    UNIT_OK(lines_next(l) && l->len == 6 && memcmp(l->text, "two\xef\xbb\xbf", 6) == 0,
            "a mark past line 1 is text");
    lines_unread(l);
    UNIT_OK(l->line == 2 && lines_next(l) && l->line == 3 && l->len == 6,
            "a line given back is read again, with its number");
    UNIT_OK(lines_next(l) && l->line == 4 && strcmp(l->text, "last") == 0,
            "a last line without a newline");
    UNIT_OK(!lines_next(l) && !lines_next(l), "then the end, and it stays there");
    lines_close(l);

    /* a reader of several files keeps one buffer */
    lines in = {0};
    lines_start(&in, unit_write("b.txt", "x\ny\n"));
    int n = 0;
    while (lines_next(&in))
        n++;
    lines_stop(&in);
    char *buf = in.buf;
    lines_start(&in, unit_write("c.txt", "z\n"));
    UNIT_OK(n == 2 && in.buf == buf && lines_next(&in) && in.line == 1 &&
                strcmp(in.text, "z") == 0 && strcmp(in.name, unit_path("c.txt")) == 0,
            "the next file from line 1, in the same buffer");
    lines_free(&in);

    /* a line longer than the first buffer (1 MiB) */
    size_t big = (3u << 20) + 7;
    char *text = malloc(big + 3);
    memset(text, 'q', big);
    strcpy(text + big, "\nr");
    l = lines_open(unit_write("big.txt", text));
    UNIT_OK(lines_next(l) && l->len == big && l->text[big - 1] == 'q' && lines_next(l) &&
                l->len == 1 && l->line == 2,
            "a 3 MiB line, then a short one");
    lines_close(l);
    free(text);

    /* blocks: every way of cutting a file into whole lines gives its bytes
     * back in order, its lines counted, each line settled as lines_next
     * gives it */
    const char file[] = "\xef\xbb\xbfh1\r\nshort\n\n\na longer line, 30 bytes long\r\n"
                        "x\ty\r\n\r\nq\nlast, no LF";
    char *fp = unit_write_n("blk.txt", file, sizeof file - 1);
    const size_t caps[] = {1, 2, 3, 7, 16, 64, 4096};
    const size_t maxes[] = {1, 2, 3, 5, 1000};
    int all_ok = blocks_ok(fp, caps, sizeof caps / sizeof *caps, maxes,
                           sizeof maxes / sizeof *maxes);
    UNIT_OK(all_ok, "blocks of every size and line count: the lines of lines_next, in order");

    /* the same on 20,000 lines of 0 to 150 bytes, runs of empty ones (64
     * bytes of LFs and more) and of long ones (64 bytes without one): a
     * block's max-th LF anywhere in a step of 64 bytes, or past it */
    {
        uint64_t seed = 5;
        size_t size = 0;
        char *many = malloc(20000 * 152);
        for (int i = 0; i < 20000; i++) {
            uint64_t r = unit_rand(&seed);
            size_t len = (i / 500) % 3 == 1 ? 0 : (i / 500) % 3 == 2 ? 100 + r % 51 : r % 151;
            for (size_t k = 0; k < len; k++)
                many[size++] = (char)('a' + (r >> (k % 50)) % 26);
            many[size++] = '\n';
        }
        char *mp = unit_write_n("many.txt", many, size);
        const size_t mcaps[] = {64, 1000, 65536}, mmaxes[] = {1, 3, 63, 64, 65, 500, 100000};
        UNIT_OK(blocks_ok(mp, mcaps, 3, mmaxes, 7),
                "blocks of 20,000 lines, runs of empty and long ones: the lines of lines_next");
        free(many);
    }

    /* a block's room grows for a line longer than it; a NUL held back
     * (after a block is cut) is still found by lines_next */
    const char nul[] = "0123456789abcdef\nab\ncd\0e\n";
    l = lines_open(unit_write_n("nul.txt", nul, sizeof nul - 1));
    size_t cap = 4, nlines;
    char *room = malloc(cap + 1);
    UNIT_OK(lines_block(l, &room, &cap, 1, &nlines) == 17 && nlines == 1 && cap >= 17 &&
                lines_block(l, &room, &cap, 1, &nlines) == 3 && l->line == 2 &&
                l->nul != SIZE_MAX,
            "a line longer than the room: more room; the NUL after it still known");
    free(room);
    lines_close(l);
    return unit_done();
}
