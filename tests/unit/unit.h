/* unit: a minimal TAP producer for the C unit tests of lib/. */
#ifndef UNIT_H
#define UNIT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_n, unit_failed;

#define UNIT_OK(cond, ...)                                                             \
    do {                                                                               \
        int unit_ok_ = (cond) ? 1 : 0;                                                 \
        unit_n++;                                                                      \
        if (unit_ok_) {                                                                \
            printf("ok %d - ", unit_n);                                                \
        } else {                                                                       \
            unit_failed++;                                                             \
            printf("not ok %d - ", unit_n);                                            \
        }                                                                              \
        printf(__VA_ARGS__);                                                           \
        printf("\n");                                                                  \
        if (!unit_ok_)                                                                 \
            printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
    } while (0)

#define UNIT_STREQ(got, want, ...)                                                     \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        UNIT_OK(strcmp(g_, w_) == 0, __VA_ARGS__);                                     \
        if (strcmp(g_, w_) != 0)                                                       \
            printf("#   got '%s', want '%s'\n", g_, w_);                               \
    } while (0)

/* |got - want| <= rel * max(|want|, tiny) */
#define UNIT_NEAR(got, want, rel, ...)                                                 \
    do {                                                                               \
        double g_ = (got), w_ = (want);                                                \
        double tol_ = (rel) * (fabs(w_) > 1e-300 ? fabs(w_) : 1e-300);                 \
        int ok_ = fabs(g_ - w_) <= tol_;                                               \
        UNIT_OK(ok_, __VA_ARGS__);                                                     \
        if (!ok_)                                                                      \
            printf("#   got %.17g, want %.17g\n", g_, w_);                             \
    } while (0)

/* The next of a reproducible stream of 64-bit numbers (splitmix64) whose
 * state, seeded by the test, is *state. */
static inline uint64_t unit_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Scratch files: unit_path("x") is a file in a folder of this test's own,
 * made on first use and removed by unit_done(). */
static char unit_dir[] = "/tmp/distconf-unit.XXXXXX";
static int unit_dir_made; /* (the random part may itself hold an X) */

static inline char *unit_path(const char *name)
{
    static char paths[8][256];
    static int k;
    if (!unit_dir_made) {
        if (!mkdtemp(unit_dir)) {
            printf("Bail out! cannot make a scratch folder\n");
            exit(1);
        }
        unit_dir_made = 1;
    }
    char *p = paths[k++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", unit_dir, name);
    return p;
}

/* Write the n bytes of text to the scratch file `name`; returns its path. */
static inline char *unit_write_n(const char *name, const char *text, size_t n)
{
    char *p = unit_path(name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
        printf("Bail out! cannot write %s\n", p);
        exit(1);
    }
    return p;
}

/* Write text to the scratch file `name`; returns its path. */
static inline char *unit_write(const char *name, const char *text)
{
    return unit_write_n(name, text, strlen(text));
}

/* The whole of the file at `path`, NUL-terminated, its length in *n (if n);
 * "" and 0 when it cannot be read.  The buffer is unit.h's own: the next
 * call reuses it (strdup what must outlive it). */
static inline const char *unit_slurp(const char *path, size_t *n)
{
    static char *buf;
    static size_t cap;
    size_t len = 0, got = 1;
    FILE *f = fopen(path, "rb");
    while (f && got > 0) {
        if (cap - len < 2) {
            cap = cap ? 2 * cap : 4096;
            if (!(buf = realloc(buf, cap))) {
                printf("Bail out! out of memory reading %s\n", path);
                exit(1);
            }
        }
        len += got = fread(buf + len, 1, cap - 1 - len, f);
    }
    if (f)
        fclose(f);
    if (!buf && !(buf = calloc(1, cap = 1))) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
    buf[len] = '\0';
    if (n)
        *n = len;
    return buf;
}

static inline int unit_done(void)
{
    printf("1..%d\n", unit_n);
    if (unit_dir_made) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", unit_dir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", unit_dir);
    }
    return unit_failed ? 1 : 0;
}

/* The fixtures folder into dst (cap bytes): $FIXTURES if set; else
 * tests/fixtures when the test runs from the top of the tree (`probe`, a
 * file in it, is there); else beside the binary, B/tests/NAME ->
 * B/../tests/fixtures. */
static inline void unit_fixtures(char *dst, size_t cap, char **argv, const char *probe)
{
    const char *env = getenv("FIXTURES");
    snprintf(dst, cap, "%s", env ? env : "tests/fixtures");
    if (env)
        return;
    char path[4096];
    snprintf(path, sizeof path, "tests/fixtures/%s", probe);
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        return;
    }
    const char *slash = argv[0] ? strrchr(argv[0], '/') : NULL;
    if (slash)
        snprintf(dst, cap, "%.*s/../../tests/fixtures", (int)(slash - argv[0]), argv[0]);
}

#endif
