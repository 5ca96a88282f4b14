/* Unit tests of lib/common/ordered.c: every batch worked once and used in
 * the order it was submitted, whatever the number of threads and however
 * long each batch takes, some on the caller's thread; the batches in flight bounded; an error found by
 * the caller's thread reported after the batches submitted before it. */
#include "common/diag.h"
#include "common/ordered.h"
#include "unit.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct batch {
    uint64_t seq, value, worked;
    int delay_us;
    int by_caller; /* worked on the caller's thread */
} batch;

typedef struct ctx {
    uint64_t used, out_of_order, sum, made, worked_twice, by_caller;
} ctx;

static pthread_t caller;

static void *make(void *c)
{
    ((ctx *)c)->made++;
    return xcalloc(1, sizeof(batch));
}

static void work(void *c, void *p)
{
    (void)c;
    batch *b = p;
    if (b->delay_us) {
        struct timespec ts = {0, (long)b->delay_us * 1000};
        nanosleep(&ts, NULL);
    }
    b->value = b->seq * b->seq + 7;
    b->worked++;
    b->by_caller = pthread_equal(pthread_self(), caller);
}

static void done(void *c, void *p)
{
    ctx *x = c;
    batch *b = p;
    x->out_of_order += b->seq != x->used;
    x->worked_twice += b->worked != 1;
    x->sum = x->sum * 31 + b->value;
    x->by_caller += (uint64_t)b->by_caller;
    x->used++;
}

static void drop(void *c, void *p)
{
    (void)c;
    free(p);
}

static const ordered_ops ops = {make, work, done, drop};

static ctx run(int jobs, uint64_t n, uint64_t seed)
{
    ctx x = {0};
    ordered *q = ordered_new(jobs, &ops, &x);
    for (uint64_t i = 0; i < n; i++) {
        batch *b = ordered_batch(q);
        b->seq = i;
        b->worked = 0;
        /* uneven work: later batches often finish first */
        b->delay_us = seed ? (int)(unit_rand(&seed) % 300) : 0;
        ordered_submit(q, b);
    }
    ordered_unused(q, ordered_batch(q));
    ordered_finish(q);
    return x;
}

/* In a child: done() says which batch it used on stderr, and (fail_in_done)
 * batch 5's ends the program; the caller finds an error of its own before
 * batch 9. */
static void say_done(void *c, void *p)
{
    batch *b = p;
    if (((ctx *)c)->made & (uint64_t)1 << 62 && b->seq == 5)
        die("batch 5");
    fprintf(stderr, "b%llu ", (unsigned long long)b->seq);
}

static const ordered_ops say_ops = {make, work, say_done, drop};

static void child_errors(int jobs, int fail_in_done)
{
    ctx x = {.made = fail_in_done ? (uint64_t)1 << 62 : 0};
    ordered *q = ordered_new(jobs, &say_ops, &x);
    uint64_t seed = 99;
    for (uint64_t i = 0; i < 20; i++) {
        batch *b = ordered_batch(q);
        b->seq = i;
        b->worked = 0;
        b->delay_us = (int)(unit_rand(&seed) % 2000);
        if (i == 9) /* while filling batch 9: it too comes first */
            die("caller at 9");
        ordered_submit(q, b);
    }
    ordered_finish(q);
}

/* work() that ends the program when it runs on the caller's thread (as
 * out of memory may): slow elsewhere, so that the caller takes a batch. */
static void work_dies_on_caller(void *c, void *p)
{
    (void)c;
    batch *b = p;
    if (pthread_equal(pthread_self(), caller))
        die("work on the caller's thread, batch %llu", (unsigned long long)b->seq);
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static const ordered_ops dies_ops = {make, work_dies_on_caller, done, drop};

static void child_work_dies(int jobs)
{
    ctx x = {0};
    alarm(20); /* (a hang fails the test, not the suite) */
    ordered *q = ordered_new(jobs, &dies_ops, &x);
    for (uint64_t i = 0; i < 100; i++) {
        batch *b = ordered_batch(q);
        b->seq = i;
        ordered_submit(q, b);
    }
    ordered_finish(q);
}

/* Runs child_errors (fail_in_done 0 or 1) or child_work_dies (2) in a
 * child; its stderr into buf. */
static int in_child(int jobs, int fail_in_done, char *buf, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout); /* the child must not print what is buffered again */
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        if (fail_in_done == 2)
            child_work_dies(jobs);
        else
            child_errors(jobs, fail_in_done);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < cap && (k = read(fd[0], buf + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    diag_init("test_ordered");
    caller = pthread_self();
    ctx one = run(1, 200, 0);
    UNIT_OK(one.used == 200 && one.out_of_order == 0 && one.made == 1 && !one.worked_twice,
            "-j 1: each batch worked once, used in order, one batch made");
    for (int jobs = 2; jobs <= 5; jobs++) {
        ctx x = run(jobs, 200, 12345 + (uint64_t)jobs);
        UNIT_OK(x.used == 200 && x.out_of_order == 0 && !x.worked_twice && x.sum == one.sum,
                "-j %d, uneven work: each batch worked once, used in order, results as -j 1",
                jobs);
        UNIT_OK(x.by_caller > 0 && x.by_caller < 200,
                "-j %d: the caller's thread worked %llu of the batches, the workers the rest",
                jobs, (unsigned long long)x.by_caller);
        UNIT_OK(x.made <= 3 * (uint64_t)jobs,
                "-j %d: at most %d batches made (%llu): memory does not grow with the input",
                jobs, 3 * jobs, (unsigned long long)x.made);
    }
    ctx none = run(3, 0, 0);
    UNIT_OK(none.used == 0, "no batch submitted: nothing used");

    for (int jobs = 1; jobs <= 3; jobs += 2) {
        char err[512];
        int st = in_child(jobs, 0, err, sizeof err);
        UNIT_OK(st == 1 &&
                    strcmp(err, "b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 test_ordered: caller at 9\n") ==
                        0,
                "-j %d: the caller's error comes after the batches before it and the one "
                "being filled were used "
                "(status %d, stderr '%s')",
                jobs, st, err);
        st = in_child(jobs, 1, err, sizeof err);
        UNIT_OK(st == 1 && strcmp(err, "b0 b1 b2 b3 b4 test_ordered: batch 5\n") == 0,
                "-j %d: an error in batch 5's results is the one reported, not the caller's "
                "later one (status %d, stderr '%s')",
                jobs, st, err);
    }
    for (int jobs = 2; jobs <= 3; jobs++) {
        char err[512];
        int st = in_child(jobs, 2, err, sizeof err);
        UNIT_OK(st == 1 && strstr(err, "test_ordered: work on the caller's thread, batch ") == err,
                "-j %d: work() ending the program on the caller's thread exits with its "
                "message, no wait for the batch it was working (status %d, stderr '%s')",
                jobs, st, err);
    }
    return unit_done();
}
