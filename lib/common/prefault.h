/* prefault: a large new buffer's pages faulted in by a second thread while
 * this one starts to fill it.  A page first written costs a fault, and a
 * huge page one a 2 MiB clear; on a virtual machine whose host has not yet
 * backed the memory, much more (measured on a 2-core Firecracker guest:
 * 256 MB in 0.31-0.48 s on one thread, 0.13-0.17 s on two).  logfit's
 * counts tables grow to hundreds of MB, each time under a column's lock
 * the other thread waits on.
 *
 *   prefault_set_threads(jobs != 1);     once: -j 1 makes no thread
 *   prefault pf;
 *   prefault_start(&pf, p + n / 2, n / 2);   the back half, on a thread
 *   ... write p from the front ...
 *   prefault_wait(&pf);
 *
 * The pages are populated as a write fault would (MADV_POPULATE_WRITE): no
 * byte changes, so the thread may fill the same pages at the same time.
 * Nothing is done when threads are off, the range is small, or the kernel
 * or the threads refuse: then this thread faults them as it writes. */
#ifndef PREFAULT_H
#define PREFAULT_H

#include <pthread.h>
#include <stddef.h>

typedef struct prefault {
    pthread_t t;
    int started;
    void *p;
    size_t n;
} prefault;

/* Worth a thread from this size on (a thread costs tens of microseconds,
 * 4 MiB of fresh pages milliseconds). */
enum { PREFAULT_MIN = 4 << 20 };

void prefault_set_threads(int on);
void prefault_start(prefault *pf, void *p, size_t n);
void prefault_wait(prefault *pf);

#endif
