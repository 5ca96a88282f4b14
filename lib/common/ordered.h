/* ordered: a stream's work done by N threads a batch at a time, its results
 * used in the order the batches were made (pairdist, confmap: -j N).
 *
 * The caller's thread reads the input into batches and uses the results
 * (writes them out); jobs - 1 workers work them, and so does the caller's
 * thread while it waits for an empty batch: it takes one that no worker
 * has taken, instead of sleeping (on 2 cores two threads, not three, and
 * fewer wake-ups: confmap -j 2 0.29 s against 0.32, pairdist 0.31 against
 * 0.35, logfit in a pipe 0.87 against 1.07).  A batch is the caller's own
 * type; ordered moves it from hand to hand:
 *
 *   static const ordered_ops ops = {make, work, done, drop};
 *   ordered *q = ordered_new(jobs, &ops, ctx);
 *   for (;;) {
 *       void *b = ordered_batch(q);   an empty batch: made, or one whose
 *                                     results have been used (done)
 *       fill b from the input (stop when there is nothing more);
 *       ordered_submit(q, b);         work(ctx, b) on a worker, then, in
 *                                     submission order, done(ctx, b) on
 *                                     this thread
 *   }
 *   ordered_finish(q);                every done() called, in order; the
 *                                     threads joined, the batches dropped
 *
 * done() is called only from ordered_batch, ordered_submit and
 * ordered_finish, on the caller's thread, in the order of submission: a
 * batch's results are used exactly as a loop over the rows would use them,
 * so the output does not depend on N.  work() runs on any thread and must
 * not end the program: a bad row is noted in the batch and reported by
 * done(), in order (rows before it used first, as without threads).
 * done() runs with no diag_before_die armed (an error in it ends the
 * program, the batches after it unused); it may arm its own while it runs
 * (rows of its own to write before an error: mapping_rows.c) and clear it.
 *
 * An error the caller's thread finds (the reader's) comes after the rows
 * read before it: diag_before_die has every batch submitted used first,
 * then the batch being filled worked and used, as far as it is filled (so
 * keep it whole after each row).  So whatever N, the first error in the
 * input is the one reported.
 *
 * With jobs 1, or when no thread can be made, there are no threads:
 * ordered_submit calls work() then done() itself. */
#ifndef ORDERED_H
#define ORDERED_H

typedef struct ordered_ops {
    void *(*make)(void *ctx);             /* a new, empty batch */
    void (*work)(void *ctx, void *batch); /* on a worker */
    void (*done)(void *ctx, void *batch); /* on the caller's thread, in order;
                                             may end the program */
    void (*drop)(void *ctx, void *batch); /* free it */
} ordered_ops;

typedef struct ordered ordered;

/* jobs: threads, 1 or more (cli_jobs), the caller's among them.  Batches in flight: a few per
 * worker, so that memory is bounded by the batches' size, not the input. */
ordered *ordered_new(int jobs, const ordered_ops *ops, void *ctx);
/* An empty batch to fill; results of finished batches are used (done)
 * while waiting for one. */
void *ordered_batch(ordered *q);
/* Queue a filled batch (from ordered_batch). */
void ordered_submit(ordered *q, void *batch);
/* Give back a batch from ordered_batch unused (the input ended). */
void ordered_unused(ordered *q, void *batch);
/* Wait for the rest, use them in order, stop the threads, free all. */
void ordered_finish(ordered *q);

#endif
