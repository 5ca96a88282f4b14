/* par: one piece of work over rows split in two halves, the second half on
 * a thread of its own.  The optimiser's passes and the fit's denorm values
 * use it:
 *
 *   size_t mid = par_split(n);         where the second half starts
 *   half h[2] = {{rows [0, mid)}, {rows [mid, n)}};
 *   par_run(work, &h[0], &h[1], mid < n);
 *   combine h[0] then h[1]
 *
 * The caller combines the halves' results in that fixed order, so that the
 * answer is the same however the threads are scheduled, and if no thread
 * can be made. */
#ifndef PAR_H
#define PAR_H

#include <stddef.h>

/* Rows per block of partial sums (the rounding error of a sum over n rows
 * grows like PAR_BLOCK + n / PAR_BLOCK, not n), and the fewest rows worth a
 * second thread. */
enum { PAR_BLOCK = 1024, PAR_MIN_ROWS = 1 << 17 };

/* Where the second half of n rows starts: n (no second half) below
 * PAR_MIN_ROWS, else n / 2 rounded down to whole blocks. */
size_t par_split(size_t n);

/* work(a) on this thread and work(b) on another when `two`; else, or when
 * no thread can be made, work(b) after work(a) here.  Returns when both are
 * done. */
void par_run(void (*work)(void *), void *a, void *b, int two);

#endif
