/* test_num_fields: num_parse_fields against num_parse, field by field. */
#include "stream/num.h"
#include "stream/num_fields.h"
#include "unit.h"

#include <stdint.h>
#include <string.h>

/* A field's text of a random shape into p (at most 24 bytes): mostly the
 * usual decimal, of every integer and fraction length (1..9: past the
 * vector path's 7 and 8 too), leading zeros; otherwise one thing wrong
 * with it or something else num_parse reads: a sign, an exponent, a
 * second point, a point first or last, a letter or blank at any place,
 * empty, many digits.  Returns its length. */
static size_t random_field(uint64_t *seed, char *p)
{
    uint64_t r = unit_rand(seed);
    size_t ni = 1 + r % 9, nf = 1 + (r >> 4) % 9, n = 0;
    int kind = (int)(r >> 8 & 31);
    if (kind >= 16) { /* the usual decimal, most often 1..2 . 6 */
        if (kind >= 24) {
            ni = 1 + (r >> 13 & 1);
            nf = 6;
        }
        kind = 0;
    }
    for (size_t i = 0; i < ni; i++)
        p[n++] = (char)('0' + (i == 0 && (r >> 16 & 3) == 0 ? 0 : unit_rand(seed) % 10));
    p[n++] = '.';
    for (size_t i = 0; i < nf; i++)
        p[n++] = (char)('0' + unit_rand(seed) % 10);
    size_t at = (size_t)(r >> 20) % n;
    switch (kind) {
    case 1: memmove(p + 1, p, n++); p[0] = '-'; break;
    case 2: memmove(p + 1, p, n++); p[0] = '+'; break;
    case 3: memcpy(p + n, "e-3", 3); n += 3; break;
    case 4: p[at] = '.'; break;                              /* a point more (or none moved) */
    case 5: p[at] = "xX e\t/:"[r >> 40 & 7]; break;          /* a byte not a digit */
    case 6: memmove(p, p + ni, n - ni); n -= ni; break;      /* ".F" */
    case 7: n = ni + 1; break;                               /* "I." */
    case 8: n = 0; break;                                    /* empty */
    case 9: n = ni; break;                                   /* no point: an integer */
    case 10: memset(p + n, '7', 8); n += 8; break;           /* 17..26 bytes of digits */
    case 11: p[at] = (char)('0' + 10 + (r >> 40 & 3)); break; /* ':' ';' '<' '=' */
    case 12: p[at] = (char)('0' - 1 - (r >> 40 & 3)); break;  /* '/' '.' '-' ',' */
    case 13: p[at] = (char)(0x80 | (r >> 40)); break;          /* a high byte */
    default: break;
    }
    return n;
}

/* 200,000 blocks of 1..40 fields each, each field followed by a TAB or a
 * newline, or nothing (the next field's text right after it), or bytes
 * that look like more of it (digits, a point); end at the block's end or
 * just past a field.  The values bit for bit, the first bad field and its
 * reason as num_parse's.  Returns how many blocks differ. */
static int blocks_differ(void)
{
    uint64_t seed = 7;
    int bad = 0;
    char text[40 * 32 + 32];
    tsv_field f[40];
    double got[40], want[40];
    for (int trial = 0; trial < 200000; trial++) {
        size_t n = 1 + (size_t)(unit_rand(&seed) % 40), len = 0;
        for (size_t i = 0; i < n; i++) {
            char buf[32];
            size_t k = random_field(&seed, buf);
            memcpy(text + len, buf, k);
            f[i] = (tsv_field){text + len, k};
            len += k;
            switch (unit_rand(&seed) % 4) {
            case 0: text[len++] = '\t'; break;
            case 1: text[len++] = '.'; break;
            case 2: text[len++] = (char)('0' + unit_rand(&seed) % 10); break;
            default: break; /* the next field's first byte follows */
            }
        }
        /* the last field ends the text, or more follows (never read as
         * it); the text alone in memory of its size, so that a read past
         * end is the sanitizer's error */
        size_t size = unit_rand(&seed) % 2 ? (size_t)(f[n - 1].p - text) + f[n - 1].n : len;
        char *own = malloc(size ? size : 1);
        memcpy(own, text, size);
        for (size_t i = 0; i < n; i++)
            f[i].p = own + (f[i].p - text);
        memset(got, 0xA5, sizeof got);
        const char *why = NULL, *want_why = NULL;
        size_t stop = num_parse_fields(f, n, own + size, got, &why), want_stop = n;
        for (size_t i = 0; i < n; i++)
            if ((want_why = num_parse(f[i].p, f[i].n, &want[i])) != NULL) {
                want_stop = i;
                break;
            }
        int differ = stop != want_stop || memcmp(got, want, stop * sizeof *got) != 0 ||
                     (stop < n && (why == NULL || want_why == NULL || strcmp(why, want_why)));
        if (differ && bad++ < 5) {
            printf("# block %d: stopped at %zu, want %zu\n", trial, stop, want_stop);
            for (size_t i = 0; i < n && i <= stop; i++)
                printf("#   '%.*s' got %.17g want %.17g\n", (int)f[i].n, f[i].p, got[i],
                       want[i]);
        }
        free(own);
    }
    return bad;
}

/* Every usual decimal shape (integer digits 1..7, fraction digits 1..8),
 * each of 2,000 random digit strings, a whole column of one shape: bit for
 * bit num_parse's.  Returns how many values differ. */
static int shapes_differ(void)
{
    uint64_t seed = 11;
    int bad = 0;
    enum { N = 2000 };
    static char text[N * 20];
    static tsv_field f[N];
    static double got[N];
    for (int ni = 1; ni <= 7; ni++)
        for (int nf = 1; nf <= 8; nf++) {
            size_t len = 0;
            for (size_t i = 0; i < N; i++) {
                f[i].p = text + len;
                for (int d = 0; d < ni + nf + 1; d++)
                    text[len++] = d == ni ? '.' : (char)('0' + unit_rand(&seed) % 10);
                f[i].n = (size_t)(ni + nf + 1);
                text[len++] = '\t';
            }
            const char *why;
            if (num_parse_fields(f, N, text + len, got, &why) != N) {
                bad++;
                continue;
            }
            for (size_t i = 0; i < N; i++) {
                double w;
                num_parse(f[i].p, f[i].n, &w);
                if (memcmp(&w, &got[i], sizeof w) != 0 && bad++ < 5)
                    printf("# '%.*s': got %.17g, want %.17g\n", (int)f[i].n, f[i].p, got[i], w);
            }
        }
    return bad;
}

int main(void)
{
    const char *why = NULL;
    double v[4];
    UNIT_OK(num_parse_fields(NULL, 0, NULL, v, &why) == 0, "no fields: 0, nothing read");

    char text[] = "0.584285\t10.088993\t0.754701\t0.252060\t";
    tsv_field f[4] = {{text, 8}, {text + 9, 9}, {text + 19, 8}, {text + 28, 8}};
    UNIT_OK(num_parse_fields(f, 4, text + sizeof text - 1, v, &why) == 4 && v[0] == 0.584285 &&
                v[1] == 10.088993 && v[2] == 0.754701 && v[3] == 0.252060,
            "a row of pairdist's four distances");
    f[2].n = 7; /* "0.75470" then "1" as a byte after it */
    text[26] = 'x';
    UNIT_OK(num_parse_fields(f, 4, text + sizeof text - 1, v, &why) == 4 && v[2] == 0.75470,
            "a field's end is its length, not the byte after it");
    text[22] = 'x'; /* 0.7x470 */
    why = NULL;
    UNIT_OK(num_parse_fields(f, 4, text + sizeof text - 1, v, &why) == 2 && why != NULL &&
                strcmp(why, "is not a number") == 0 && v[0] == 0.584285 && v[1] == 10.088993,
            "the first bad field: its index and num_parse's reason, the fields before it set");

    int d = shapes_differ();
    UNIT_OK(d == 0, "every usual shape, 1..7 digits . 1..8 digits, 2,000 each: num_parse's "
                    "doubles bit for bit (%d differ)",
            d);
    d = blocks_differ();
    UNIT_OK(d == 0, "200,000 blocks of fields of every shape, followed by anything, end "
                    "anywhere: num_parse's values, first error and reason (%d differ)",
            d);
    return unit_done();
}
