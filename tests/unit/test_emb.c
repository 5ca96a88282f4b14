/* emb: the three line forms, gzip, the header rule, the index, and the
 * number reader: every value must be the float32 that strtof gives (the
 * correctly rounded one), whatever the digits, including decimals that lie
 * next to a point halfway between two floats. */
#include "distances/emb.h"
#include "distances/metric.h"
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void write_gz(const char *name, const char *text)
{
    gzFile g = gzopen(unit_path(name), "wb");
    gzputs(g, text);
    gzclose(g);
}

static int same_vec(const emb *e, const char *name, const float *want, size_t dim)
{
    long row = emb_find(e, name, strlen(name));
    if (row < 0 || e->dim != dim)
        return 0;
    return memcmp(emb_vec(e, (size_t)row), want, dim * sizeof *want) == 0;
}

static void forms(void)
{
    static const float a[3] = {0.5f, -1.25f, 3}, b[3] = {1e-3f, 2.5e4f, -0.0f};
    static const struct {
        const char *name, *text;
    } files[] = {
        {"tab.tsv", "img1.jpg\t0.5\t-1.25\t3\nimg2.jpg\t0.001\t25000\t-0\n"},
        {"comma.tsv", "img1.jpg\t0.5,-1.25,3\nimg2.jpg\t1e-3,2.5e4,-0.0\n"},
        {"list.tsv", "img1.jpg\t[0.5, -1.25, 3.0]\nimg2.jpg\t[0.001, 25000.0, -0.0]\n"},
        {"header.tsv", "name\tembedding\nimg1.jpg\t[0.5, -1.25, 3.0]\nimg2.jpg\t[0.001, "
                       "25000.0, -0.0]\n"},
        {"header2.tsv",
         "name\tv1\tv2\tv3\nimg1.jpg\t0.5\t-1.25\t3\nimg2.jpg\t0.001\t25000\t-0"},
        {"crlf.tsv", "img1.jpg\t0.5\t-1.25\t3\r\nimg2.jpg\t+0.001\t25000\t-0\r\n"},
        {"mixed.tsv", "img1.jpg\t0.5,-1.25,3\nimg2.jpg\t[0.001,25000 ,  -0.0]\n"},
    };
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        unit_write(files[k].name, files[k].text);
        char gz[64];
        snprintf(gz, sizeof gz, "%s.gz", files[k].name);
        write_gz(gz, files[k].text);
        for (int z = 0; z < 2; z++) {
            char *p = strdup(unit_path(z ? gz : files[k].name));
            emb *e = emb_load(p);
            UNIT_OK(e->n == 2 && e->dim == 3, "%s: 2 vectors of 3", z ? gz : files[k].name);
            UNIT_OK(same_vec(e, "img1.jpg", a, 3) && same_vec(e, "img2.jpg", b, 3),
                    "%s: the values", z ? gz : files[k].name);
            UNIT_OK(emb_find(e, "img3.jpg", 8) < 0 && emb_find(e, "img1.jp", 7) < 0,
                    "%s: unknown names are not found", z ? gz : files[k].name);
            UNIT_OK(e->sqnorm[emb_find(e, "img1.jpg", 8)] == 0.25 + 1.5625 + 9,
                    "%s: squared norm", z ? gz : files[k].name);
            emb_free(e);
            free(p);
        }
    }
}

/* xorshift64* */
static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next64(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

/* A float32 with a random sign, mantissa and an exponent in [-40, 40]. */
static float random_float(void)
{
    uint64_t r = next64();
    float f = ldexpf(1 + (float)(r & 0x7FFFFF) * 0x1p-23f, (int)((r >> 23) % 81) - 40);
    return (r >> 40) & 1 ? -f : f;
}

/* Python's repr of a float: the shortest %.Ng that reads back. */
static void shortest(char *buf, size_t n, double x)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

enum { DIM = 64, ROWS = 3000 };

static void numbers(void)
{
    char *text = malloc((size_t)ROWS * DIM * 48), *t = text;
    char **tok = malloc((size_t)ROWS * DIM * sizeof *tok);
    for (int row = 0; row < ROWS; row++) {
        t += sprintf(t, "r%d", row);
        for (int i = 0; i < DIM; i++) {
            float f = random_float(), g = nextafterf(f, INFINITY);
            double half = ((double)f + (double)g) / 2, x;
            char buf[64];
            switch ((row + i) % 10) {
            case 0:
                snprintf(buf, sizeof buf, "%.9g", f);
                break;
            case 1:
                shortest(buf, sizeof buf, f);
                break; /* Python float */
            case 2:
                snprintf(buf, sizeof buf, "%.17g", (double)f);
                break;
            case 3:
                snprintf(buf, sizeof buf, "%.6f", f);
                break;
            case 4:
                snprintf(buf, sizeof buf, "%.3e", f);
                break;
            case 5:
                snprintf(buf, sizeof buf, "%.17g", half);
                break; /* next to halfway */
            case 6:
                snprintf(buf, sizeof buf, "%.40g", half);
                break; /* exactly halfway */
            case 7:
                x = nextafter(half, (row & 1) ? INFINITY : -INFINITY);
                snprintf(buf, sizeof buf, "%.17g", x);
                break;
            case 8:
                snprintf(buf, sizeof buf, "%.8g", f);
                break;
            default:
                snprintf(buf, sizeof buf, "%d", (int)(next64() % 200001) - 100000);
                break;
            }
            *t++ = '\t';
            tok[row * DIM + i] = t;
            t += sprintf(t, "%s", buf);
        }
        *t++ = '\n';
    }
    *t = '\0';
    unit_write("numbers.tsv", text);
    emb *e = emb_load(unit_path("numbers.tsv"));
    size_t bad = 0, shown = 0;
    for (int k = 0; k < ROWS * DIM; k++) {
        float want = strtof(tok[k], NULL);
        if (memcmp(&want, &e->vec[k], sizeof want) != 0) {
            bad++;
            if (shown++ < 5)
                printf("# '%.*s' read as %.9g, strtof says %.9g\n",
                       (int)strcspn(tok[k], "\t\n"), tok[k], e->vec[k], want);
        }
    }
    UNIT_OK(e->n == ROWS && e->dim == DIM, "numbers: %d rows of %d", ROWS, DIM);
    UNIT_OK(bad == 0, "numbers: all %d values are strtof's float32 (%zu differ)", ROWS * DIM,
            bad);
    emb_free(e);
    free(text);
    free(tok);
}

static unsigned rnd(void)
{
    static unsigned seed = 12345;
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
}

/* Random stores of every form, read whole (lines up to emb_look bytes)
 * and value by value (emb_look tiny, so every line takes the path of the
 * long lines): the same rows, names and floats. */
static void pieces(void)
{
    static char text[1 << 16];
    int bad = 0, stores = 0;
    for (int t = 0; t < 200; t++) {
        size_t o = 0, dim = 1 + rnd() % 9, rows = 1 + rnd() % 12;
        if (rnd() % 3 == 0)
            o += (size_t)snprintf(text + o, sizeof text - o, "name\tembedding\n");
        for (size_t r = 0; r < rows; r++) {
            int form = (int)(rnd() % 3);
            o += (size_t)snprintf(text + o, sizeof text - o, "%s%zu\t%s", rnd() % 2 ? "n" : "item_", r,
                                  form == 2 ? "[" : "");
            for (size_t i = 0; i < dim; i++) {
                const char *sep = i == 0 ? "" : form == 0 ? "\t" : form == 1 ? "," : rnd() % 2 ? ", " : ",";
                o += (size_t)snprintf(text + o, sizeof text - o, "%s%.*g", sep, (int)(1 + rnd() % 12),
                                      ((double)rnd() - 16384) / (1 + rnd() % 1000));
            }
            o += (size_t)snprintf(text + o, sizeof text - o, "%s%s%s", form == 2 ? "]" : "",
                                  rnd() % 4 == 0 ? "\r" : "", r + 1 < rows || rnd() % 2 ? "\n" : "");
        }
        unit_write("p.tsv", text);
        emb_look = (size_t)1 << 20;
        emb *whole = emb_load(unit_path("p.tsv"));
        emb_look = 1 + rnd() % 4;
        emb *parts = emb_load(unit_path("p.tsv"));
        emb_look = (size_t)1 << 20;
        stores++;
        if (whole->n != parts->n || whole->dim != parts->dim ||
            memcmp(whole->vec, parts->vec, whole->n * whole->dim * sizeof *whole->vec) != 0)
            bad++;
        for (size_t r = 0; r < rows; r++) {
            char name[32];
            int n1 = snprintf(name, sizeof name, "n%zu", r), n2;
            long a = emb_find(whole, name, (size_t)n1), b = emb_find(parts, name, (size_t)n1);
            n2 = snprintf(name, sizeof name, "item_%zu", r);
            long c = emb_find(whole, name, (size_t)n2), d = emb_find(parts, name, (size_t)n2);
            if (a != b || c != d || (a < 0 && c < 0))
                bad++;
        }
        emb_free(whole);
        emb_free(parts);
    }
    UNIT_OK(bad == 0, "%d random stores: read in pieces, the same as read whole", stores);
}

int main(void)
{
    forms();
    numbers();
    pieces();
    return unit_done();
}
