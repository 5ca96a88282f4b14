/* term: the terminal figures' shared pieces (see term.h). */
#include "plot/term.h"

#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

void term_spaces(out *o, int n)
{
    for (int i = 0; i < n; i++)
        out_putc(o, ' ');
}

int term_utf8_len(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return n;
}

int term_put_cut(out *o, const char *s, int cols)
{
    int n = 0;
    for (const char *p = s; *p && n < cols; n++) {
        const char *q = p + 1;
        while ((*q & 0xc0) == 0x80)
            q++;
        out_write(o, p, (size_t)(q - p));
        p = q;
    }
    return n;
}

void term_x_axis(out *o, int lab, int w, int n, const int *col, const char *const *labels)
{
    int width = lab + 2 + w;
    char *axis = xmalloc((size_t)width + 1);
    char *tick = xcalloc((size_t)(w > 0 ? w : 1), 1);
    memset(axis, ' ', (size_t)width);
    int end = -1;
    for (int i = 0; i < n; i++) {
        if (col[i] < 0 || col[i] >= w)
            continue;
        int len = (int)strlen(labels[i]), at = lab + 2 + col[i] - len / 2;
        if (at < 0)
            at = 0;
        if (at + len > width)
            at = width - len;
        if (at <= end)
            continue; /* would touch the previous label */
        memcpy(axis + at, labels[i], (size_t)len);
        end = at + len;
        tick[col[i]] = 1;
    }
    term_spaces(o, lab + 1);
    out_str(o, TERM_CORNER);
    for (int j = 0; j < w; j++)
        out_str(o, tick[j] ? TERM_XTICK : TERM_HBAR);
    out_putc(o, '\n');
    int last = width;
    while (last > 0 && axis[last - 1] == ' ')
        last--;
    out_write(o, axis, (size_t)last);
    out_putc(o, '\n');
    free(axis);
    free(tick);
}
