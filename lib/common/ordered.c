/* ordered: batches worked on by threads, used in order (see ordered.h).
 *
 * The batches in flight sit in a ring in submission order: [head, tail) are
 * submitted, [head, next) taken by a worker (or by the caller's thread,
 * while it waits for an empty batch), done[i] set when work(i) has
 * returned.  The caller's thread uses the head once it is done.  Nothing
 * is used out of order, so the output is the single-thread loop's. */
#include "common/ordered.h"
#include "common/diag.h"

#include <pthread.h>
#include <stdlib.h>

enum { BATCHES_PER_JOB = 3 };

struct ordered {
    const ordered_ops *ops;
    void *ctx;
    int nthreads;
    pthread_t *threads;
    pthread_t caller;

    pthread_mutex_t mu;
    pthread_cond_t work_ready; /* tail moved, or stop */
    pthread_cond_t work_done;  /* a done[] was set */
    int stop;

    size_t cap;          /* the ring's size: the most batches in flight */
    void **ring;         /* ring[seq % cap] */
    unsigned char *done; /* done[seq % cap] */
    size_t head, next, tail;

    void **all; /* every batch made, to drop them at the end */
    size_t made;
    void **idle; /* batches free to fill */
    size_t nidle;
    void *filling; /* the batch the caller is filling, if any */
    int draining;
};

/* The next batch submitted that no thread has taken, worked with the lock
 * released, then marked done.  Called with the lock held. */
static void work_next(ordered *q)
{
    size_t i = q->next++ % q->cap;
    void *b = q->ring[i];
    pthread_mutex_unlock(&q->mu);
    q->ops->work(q->ctx, b);
    pthread_mutex_lock(&q->mu);
    q->done[i] = 1;
}

static void *worker(void *arg)
{
    ordered *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->next == q->tail && !q->stop)
            pthread_cond_wait(&q->work_ready, &q->mu);
        if (q->next == q->tail) /* stopping, and nothing left to take */
            break;
        work_next(q);
        pthread_cond_broadcast(&q->work_done);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static void drain_before_die(void *arg);

/* done() on the head, which is done: with the lock released, and with no
 * drain armed (an error in done() ends the program with its own message,
 * the batches after it unused). */
static void use_head(ordered *q)
{
    size_t i = q->head++ % q->cap;
    void *b = q->ring[i];
    pthread_mutex_unlock(&q->mu);
    diag_before_die(NULL, NULL);
    q->ops->done(q->ctx, b);
    diag_before_die(drain_before_die, q);
    pthread_mutex_lock(&q->mu);
    q->idle[q->nidle++] = b;
}

/* Use every batch submitted, in order, waiting for the workers.  Called
 * with the lock held. */
static void use_all(ordered *q)
{
    while (q->head < q->tail) {
        while (!q->done[q->head % q->cap])
            pthread_cond_wait(&q->work_done, &q->mu);
        use_head(q);
    }
}

/* An error found by the caller's thread (the reader's: a row with too few
 * fields, say) comes after every row before it: those submitted, and those
 * of the batch being filled.  Their results are used first, so that an
 * earlier error is the one reported, as without threads. */
static void drain_before_die(void *arg)
{
    ordered *q = arg;
    if (!pthread_equal(pthread_self(), q->caller) || q->draining)
        return;
    q->draining = 1;
    if (q->nthreads) {
        pthread_mutex_lock(&q->mu);
        use_all(q);
        pthread_mutex_unlock(&q->mu);
    }
    void *b = q->filling;
    q->filling = NULL;
    if (b) {
        q->ops->work(q->ctx, b);
        q->ops->done(q->ctx, b);
    }
}

static void stop_threads(ordered *q)
{
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->work_ready);
    pthread_mutex_unlock(&q->mu);
    for (int t = 0; t < q->nthreads; t++)
        if (!pthread_equal(q->threads[t], pthread_self()))
            pthread_join(q->threads[t], NULL);
}

static void free_all(ordered *q)
{
    for (size_t k = 0; k < q->made; k++)
        q->ops->drop(q->ctx, q->all[k]);
    if (q->nthreads) {
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->work_ready);
        pthread_cond_destroy(&q->work_done);
    }
    free(q->threads);
    free(q->ring);
    free(q->done);
    free(q->all);
    free(q->idle);
    free(q);
}

/* An error ends the program: no worker may run on into what the other
 * cleanups free. */
static void abandon(void *arg)
{
    ordered *q = arg;
    diag_before_die(NULL, NULL);
    if (q->nthreads)
        stop_threads(q);
    if (pthread_equal(pthread_self(), q->caller))
        free_all(q);
}

ordered *ordered_new(int jobs, const ordered_ops *ops, void *ctx)
{
    ordered *q = xcalloc(1, sizeof *q);
    q->ops = ops;
    q->ctx = ctx;
    q->caller = pthread_self();
    q->cap = jobs > 1 ? (size_t)jobs * BATCHES_PER_JOB : 1;
    q->ring = xcalloc(q->cap, sizeof *q->ring);
    q->done = xcalloc(q->cap, 1);
    q->all = xcalloc(q->cap, sizeof *q->all);
    q->idle = xcalloc(q->cap, sizeof *q->idle);
    if (jobs > 1) {
        pthread_mutex_init(&q->mu, NULL);
        pthread_cond_init(&q->work_ready, NULL);
        pthread_cond_init(&q->work_done, NULL);
        q->threads = xcalloc((size_t)jobs, sizeof *q->threads);
        for (int t = 0; t < jobs - 1; t++) /* (and the caller's) */
            if (pthread_create(&q->threads[q->nthreads], NULL, worker, q) == 0)
                q->nthreads++;
        if (!q->nthreads) { /* no thread to be had: the loop, on this one */
            pthread_mutex_destroy(&q->mu);
            pthread_cond_destroy(&q->work_ready);
            pthread_cond_destroy(&q->work_done);
        }
    }
    diag_on_error(abandon, q);
    diag_before_die(drain_before_die, q);
    return q;
}

static void *take_idle(ordered *q)
{
    return q->filling = q->idle[--q->nidle];
}

void *ordered_batch(ordered *q)
{
    if (!q->nthreads) {
        if (!q->made) {
            q->all[q->made++] = q->ops->make(q->ctx);
            q->idle[q->nidle++] = q->all[0];
        }
        return take_idle(q);
    }
    pthread_mutex_lock(&q->mu);
    for (;;) {
        /* results first: they are what lets the output flow */
        while (q->head < q->tail && q->done[q->head % q->cap])
            use_head(q);
        if (q->nidle) {
            void *b = take_idle(q);
            pthread_mutex_unlock(&q->mu);
            return b;
        }
        if (q->made < q->cap) {
            /* made without the lock: an error there may end the program,
             * and the cleanup takes the lock */
            pthread_mutex_unlock(&q->mu);
            void *b = q->all[q->made] = q->ops->make(q->ctx);
            q->made++;
            return q->filling = b;
        }
        if (q->next < q->tail) { /* one no worker has taken: worked here, not waited for */
            /* no drain armed: work() should not end the program, but if it
             * does (out of memory), a drain here would wait for this very
             * batch; it exits with its message, as on a worker */
            diag_before_die(NULL, NULL);
            work_next(q);
            diag_before_die(drain_before_die, q);
            continue;
        }
        pthread_cond_wait(&q->work_done, &q->mu);
    }
}

void ordered_submit(ordered *q, void *batch)
{
    q->filling = NULL;
    if (!q->nthreads) { /* done() as use_head calls it */
        q->ops->work(q->ctx, batch);
        diag_before_die(NULL, NULL);
        q->ops->done(q->ctx, batch);
        diag_before_die(drain_before_die, q);
        q->idle[q->nidle++] = batch;
        return;
    }
    pthread_mutex_lock(&q->mu);
    size_t i = q->tail++ % q->cap;
    q->ring[i] = batch;
    q->done[i] = 0;
    pthread_cond_signal(&q->work_ready);
    pthread_mutex_unlock(&q->mu);
}

void ordered_unused(ordered *q, void *batch)
{
    q->filling = NULL;
    if (q->nthreads)
        pthread_mutex_lock(&q->mu);
    q->idle[q->nidle++] = batch;
    if (q->nthreads)
        pthread_mutex_unlock(&q->mu);
}

void ordered_finish(ordered *q)
{
    if (q->nthreads) {
        pthread_mutex_lock(&q->mu);
        use_all(q);
        pthread_mutex_unlock(&q->mu);
        stop_threads(q);
    }
    diag_before_die(NULL, NULL);
    diag_forget_error(abandon, q);
    free_all(q);
}
