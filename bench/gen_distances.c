/* bench/gen_distances.c: a distance stream on standard output, made on the
 * fly for the logfit benchmark (bench/counts.sh), fast enough that the
 * program reading it, not this one, sets the pace.
 *
 *   gen_distances ROWS [SEED]
 *
 * Writes the header of `pairgen | pairdist -m all`,
 *   a  b  same  cosine  euclidean  euclidean_l2  angular
 * then ROWS rows, the same for the same ROWS and SEED (default 1).
 *
 * One pair in 8 is the same person.  Its cosine distance is 0.32 + 0.09 z,
 * a different person's 0.76 + 0.075 z, where z has mean 0, variance 1 and
 * lies in [-3, 3] (the sum of three uniforms, centred and scaled: a bell
 * without tails), so the classes overlap a little around 0.55 and cosine
 * stays inside [0.05, 0.985].  The other columns follow from cosine as they
 * do for embeddings of one length R: euclidean_l2 = sqrt(2 cosine),
 * angular = acos(1 - cosine) / pi, euclidean = R euclidean_l2, with R 11.25
 * or 11.75 at random.  Every value is printed with 6 decimals, as pairdist
 * prints them, so a column has at most 935,001 distinct values
 * (euclidean twice that), whatever ROWS is: what logfit's counts summarise.
 *
 * Exit 0, or 1 when standard output fails (a closed pipe ends it by
 * SIGPIPE, quietly), 2 on bad arguments. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t state;

/* splitmix64: one multiply-xorshift chain a number; reproducible. */
static uint64_t next_u64(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Mean 0, variance 1, in [-3, 3]: three 21-bit uniforms summed. */
static double bell(void)
{
    uint64_t r = next_u64();
    double s = (double)(r & 0x1FFFFF) + (double)(r >> 21 & 0x1FFFFF) + (double)(r >> 42 & 0x1FFFFF);
    return (s * 0x1p-21 - 1.5) * 2.0;
}

/* "00" to "99": digits two at a time. */
static char pairs[200];

static void pairs_init(void)
{
    for (int i = 0; i < 100; i++) {
        pairs[2 * i] = (char)('0' + i / 10);
        pairs[2 * i + 1] = (char)('0' + i % 10);
    }
}

/* n < 10^6 as 6 digits at p. */
static void put6(char *p, uint32_t n)
{
    memcpy(p, pairs + 2 * (n / 10000), 2);
    memcpy(p + 2, pairs + 2 * (n / 100 % 100), 2);
    memcpy(p + 4, pairs + 2 * (n % 100), 2);
}

/* v / 10^6 with 6 decimals at p (v < 10^8); returns the end. */
static char *put_fixed6(char *p, uint32_t v)
{
    uint32_t whole = v / 1000000;
    if (whole >= 10)
        *p++ = (char)('0' + whole / 10);
    *p++ = (char)('0' + whole % 10);
    *p++ = '.';
    put6(p, v % 1000000);
    return p + 6;
}

/* "pNNNNNNN.jpg" for n < 10^7. */
static char *put_name(char *p, uint32_t n)
{
    p[0] = 'p';
    p[1] = (char)('0' + n / 1000000);
    put6(p + 2, n % 1000000);
    memcpy(p + 8, ".jpg", 4);
    return p + 12;
}

/* v >= 0 in millionths, rounded to nearest. */
static uint32_t micro(double v)
{
    return (uint32_t)(v * 1e6 + 0.5);
}

static int write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static unsigned long long parse_count(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0) {
        fprintf(stderr, "gen_distances: %s must be a whole number ('%s')\n", what, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: gen_distances ROWS [SEED]\n", stderr);
        return 2;
    }
    unsigned long long rows = parse_count(argv[1], "ROWS");
    state = argc == 3 ? parse_count(argv[2], "SEED") : 1;

    enum { BUF = 1 << 20, ROW_MAX = 128 };
    static char buf[BUF];
    static const char header[] = "a\tb\tsame\tcosine\teuclidean\teuclidean_l2\tangular\n";
    memcpy(buf, header, sizeof header - 1);
    char *p = buf + sizeof header - 1;
    const double pi = 3.14159265358979323846;
    pairs_init();

    for (unsigned long long i = 0; i < rows; i++) {
        uint64_t r = next_u64();
        int same = (r & 7) == 0;
        uint32_t cm = micro(same ? 0.32 + 0.09 * bell() : 0.76 + 0.075 * bell());
        double c = cm * 1e-6; /* the cosine as printed */
        double l2 = sqrt(2 * c);

        p = put_name(p, (uint32_t)(i % 1000003));
        *p++ = '\t';
        p = put_name(p, (uint32_t)((i * 7919 + 13) % 1000033));
        *p++ = '\t';
        *p++ = same ? '1' : '0';
        *p++ = '\t';
        p = put_fixed6(p, cm);
        *p++ = '\t';
        p = put_fixed6(p, micro((r & 8 ? 11.75 : 11.25) * l2));
        *p++ = '\t';
        p = put_fixed6(p, micro(l2));
        *p++ = '\t';
        p = put_fixed6(p, micro(acos(1 - c) / pi));
        *p++ = '\n';

        if (p - buf > BUF - ROW_MAX) {
            if (write_all(buf, (size_t)(p - buf)) != 0)
                goto fail;
            p = buf;
        }
    }
    if (write_all(buf, (size_t)(p - buf)) != 0)
        goto fail;
    return 0;
fail:
    perror("gen_distances: standard output");
    return 1;
}
