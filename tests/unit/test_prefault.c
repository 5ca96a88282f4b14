/* Unit tests of lib/common/prefault.c: the pages of a range are resident
 * after prefault_wait when threads are on and the range is large, no
 * others; nothing is done with threads off or a small range; no byte of
 * the buffer changes, even while this thread writes it. */
#include "common/prefault.h"
#include "unit.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MB = 1 << 20 };

static size_t page;

/* The resident pages of p[0..n) (p page-aligned). */
static size_t resident(const char *p, size_t n)
{
    size_t pages = (n + page - 1) / page, r = 0;
    unsigned char *v = malloc(pages);
    if (mincore((void *)p, n, v) != 0) {
        free(v);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < pages; i++)
        r += v[i] & 1;
    free(v);
    return r;
}

/* n fresh bytes, none of their pages resident yet. */
static char *fresh(size_t n)
{
    char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Whether this kernel populates on request (Linux 5.14 on). */
static int kernel_populates(void)
{
#if defined(__linux__)
    char *p = fresh((size_t)page);
    int ok = p && madvise(p, (size_t)page, 23 /* MADV_POPULATE_WRITE */) == 0;
    if (p)
        munmap(p, (size_t)page);
    return ok;
#else
    return 0;
#endif
}

int main(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    size_t n = 4 * (size_t)PREFAULT_MIN;
    prefault pf;

    /* threads off (the default): nothing */
    char *p = fresh(n);
    UNIT_OK(p != NULL, "a fresh mapping of %zu bytes", n);
    prefault_start(&pf, p, n);
    prefault_wait(&pf);
    UNIT_OK(resident(p, n) == 0, "threads off: no page populated (%zu)", resident(p, n));
    munmap(p, n);

    if (!kernel_populates()) {
        UNIT_OK(1, "# SKIP this kernel has no MADV_POPULATE_WRITE: prefault does nothing");
        return unit_done();
    }
    prefault_set_threads(1);

    /* the back half populated, the front half left alone */
    p = fresh(n);
    prefault_start(&pf, p + n / 2, n / 2);
    prefault_wait(&pf);
    UNIT_OK(resident(p + n / 2, n / 2) == n / 2 / page, "the back half populated: %zu of %zu pages",
            resident(p + n / 2, n / 2), n / 2 / page);
    /* (up to a huge page before it, where the kernel maps huge pages always) */
    UNIT_OK(resident(p, n / 2 - 2 * MB) == 0, "the front half not: %zu pages",
            resident(p, n / 2 - 2 * MB));
    for (size_t i = 0; i < n; i += page)
        if (p[i] != 0) {
            UNIT_OK(0, "populated pages read zero (offset %zu)", i);
            break;
        }
    munmap(p, n);

    /* a range too small for a thread: nothing */
    p = fresh(n);
    prefault_start(&pf, p, PREFAULT_MIN - 1);
    prefault_wait(&pf);
    UNIT_OK(resident(p, n) == 0, "below PREFAULT_MIN: no page populated");
    munmap(p, n);

    /* an unaligned range: the pages wholly inside it, none outside */
    p = fresh(n);
    prefault_start(&pf, p + 100, n / 2);
    prefault_wait(&pf);
    size_t inside = resident(p + page, n / 2 - page);
    UNIT_OK(inside == n / 2 / page - 1, "unaligned: the %zu pages wholly inside populated (%zu)",
            n / 2 / page - 1, inside);
    UNIT_OK(resident(p, page) == 0, "unaligned: not the page it starts within (a neighbour's)");
    UNIT_OK(resident(p + n / 2 + 2 * MB, n / 2 - 2 * MB) == 0, "unaligned: none past its end");
    munmap(p, n);

    /* no byte changes, while this thread writes the same pages */
    size_t m = 4 * (size_t)MB + 4 * (size_t)PREFAULT_MIN;
    for (int round = 0; round < 4; round++) {
        unsigned char *b = (unsigned char *)fresh(m); /* each round's pages fresh */
        prefault_start(&pf, b, m);
        for (size_t i = 0; i < m; i += 61)
            b[i] = (unsigned char)(i * 7 + (size_t)round);
        prefault_wait(&pf);
        size_t bad = SIZE_MAX;
        for (size_t i = 0; i < m && bad == SIZE_MAX; i++) {
            unsigned char want = i % 61 == 0 ? (unsigned char)(i * 7 + (size_t)round) : 0;
            if (b[i] != want)
                bad = i;
        }
        UNIT_OK(bad == SIZE_MAX, "round %d: every byte as this thread wrote it", round);
        if (bad != SIZE_MAX)
            printf("#   byte %zu: %u\n", bad, b[bad]);
        munmap(b, m);
    }

    /* waiting twice, or on nothing started, is harmless */
    prefault_start(&pf, NULL, 0);
    prefault_wait(&pf);
    prefault_wait(&pf);
    UNIT_OK(1, "a wait on nothing, and a second wait, return");
    return unit_done();
}
