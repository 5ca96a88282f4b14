/* prefault: a buffer's pages populated on a second thread (prefault.h). */
#include "common/prefault.h"

#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux 5.14's; C libraries older than glibc 2.35 lack the name (a kernel
 * without it refuses: nothing is populated then) */
#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23
#endif

static atomic_int threads_on;

void prefault_set_threads(int on)
{
    atomic_store(&threads_on, on != 0);
}

static void *populate(void *arg)
{
    prefault *pf = arg;
#ifdef MADV_POPULATE_WRITE
    /* the pages wholly within the range: madvise wants a page-aligned
     * start, and a page shared with a neighbour is none of ours */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)pf->p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)pf->p + pf->n) & ~(page - 1);
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE); /* a refusal: faulted later */
#endif
    return NULL;
}

void prefault_start(prefault *pf, void *p, size_t n)
{
    pf->p = p;
    pf->n = n;
    pf->started = 0;
#ifdef MADV_POPULATE_WRITE
    if (atomic_load(&threads_on) && n >= PREFAULT_MIN)
        pf->started = pthread_create(&pf->t, NULL, populate, pf) == 0;
#endif
}

void prefault_wait(prefault *pf)
{
    if (pf->started)
        pthread_join(pf->t, NULL);
    pf->started = 0;
}
