/* name: one rule per kind of name, and how a name is shown.  See name.h. */
#include "common/name.h"
#include "common/diag.h"

#include <string.h>
#include <strings.h>

/* The code point of the valid UTF-8 sequence at s[0..n) and its length, or
 * 0 when the bytes there are not one (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned long v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

const char *name_check(name_kind kind, const char *p, size_t n)
{
    if (n == 0)
        return "is empty";
    /* the first offending byte decides the reason */
    for (size_t i = 0; i < n; i++)
        switch (p[i]) {
        case '\t':
            return "holds a TAB";
        case '\n':
            return "holds a line feed";
        case '\r':
            return "holds a carriage return";
        case '\0':
            return "holds a NUL byte";
        }
    if (kind == NAME_COLUMN) {
        unsigned long cp;
        for (size_t i = 0, k; i < n; i += k)
            if (!(k = utf8_decode((const unsigned char *)p + i, n - i, &cp)))
                return "is not valid UTF-8";
    }
    return NULL;
}

size_t name_char(const char *p, size_t n, int *shown)
{
    unsigned long cp;
    size_t k = utf8_decode((const unsigned char *)p, n, &cp);
    if (k == 0) {
        *shown = 0; /* not UTF-8: one byte at a time */
        return 1;
    }
    *shown = !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff ||
               /* line and paragraph separators, the byte-order mark and the
                * bidirectional controls: invisible, or they move the text
                * around them */
               cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0x061c ||
               cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
               (cp >= 0x2066 && cp <= 0x2069));
    return k;
}

char *name_show(const char *p, size_t n)
{
    char *s = xmalloc(n + 1), *o = s;
    for (size_t i = 0, k; i < n; i += k) {
        int shown;
        k = name_char(p + i, n - i, &shown);
        if (shown) {
            memcpy(o, p + i, k);
            o += k;
        } else {
            *o++ = '?';
        }
    }
    *o = '\0';
    return s;
}

size_t name_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return n;
}

int name_yaml_plain(const char *s, size_t n)
{
    /* YAML 1.1's booleans and nulls (y|Y|yes|Yes|YES|n|N|no|..., on, off,
     * ~ and null) and YAML 1.2's (true, false, null in three cases):
     * compared without case, which quotes a few more than needed. */
    static const char *const words[] = {"y",    "yes",   "n",  "no",  "true",
                                        "false", "on",   "off", "null"};
    if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return 0; /* numbers, .inf, timestamps, indicators, ~, = and << start otherwise */
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '/'))
            return 0;
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
            return 0;
    return 1;
}

void name_list_add(char *buf, size_t cap, const char *name)
{
    static const char more[] = ", ...";
    size_t o = strlen(buf);
    if (o >= sizeof more - 1 && strcmp(buf + o - (sizeof more - 1), more) == 0)
        return;
    char q[DIAG_QUOTE_MAX];
    diag_quote(q, sizeof q, name, strlen(name));
    size_t n = strlen(q), sep = o ? 2 : 0;
    /* leave room for ", ..." after this one */
    if (o + sep + n + sizeof more > cap) {
        if (o + sizeof more <= cap)
            memcpy(buf + o, more, sizeof more);
        return;
    }
    if (sep)
        memcpy(buf + o, ", ", 2);
    memcpy(buf + o + sep, q, n + 1);
}

const char *name_q(const char *s)
{
    static char buf[NAME_Q_SLOTS][DIAG_QUOTE_MAX];
    static unsigned next;
    char *b = buf[next++ % NAME_Q_SLOTS];
    return diag_quote(b, DIAG_QUOTE_MAX, s, strlen(s));
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

name_score name_score_of(const char *column)
{
    size_t n = strlen(column);
    if (ends_with(column, n, "_confidence"))
        return NAME_SCORE_CONFIDENCE;
    if (ends_with(column, n, "_probability"))
        return NAME_SCORE_PROBABILITY;
    if (ends_with(column, n, "_probability_lo") || ends_with(column, n, "_probability_hi"))
        return NAME_SCORE_BOUND;
    return NAME_SCORE_NONE;
}
