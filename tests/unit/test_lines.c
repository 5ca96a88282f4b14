/* Unit tests for lib/stream/lines.c: lines with and without a newline, CR
 * dropped, the byte-order mark of line 1 only, a line given back, a file
 * after another in one buffer. */
#include "stream/lines.h"
#include "unit.h"

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
    return unit_done();
}
