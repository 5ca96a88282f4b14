/* par: two halves on two threads (see par.h). */
#include "common/par.h"

#include <pthread.h>

size_t par_split(size_t n)
{
    return n < PAR_MIN_ROWS ? n : n / 2 / PAR_BLOCK * PAR_BLOCK;
}

typedef struct job {
    void (*work)(void *);
    void *arg;
} job;

static void *run_job(void *p)
{
    job *j = p;
    j->work(j->arg);
    return NULL;
}

void par_run(void (*work)(void *), void *a, void *b, int two)
{
    job jb = {work, b};
    pthread_t t;
    int threaded = two && pthread_create(&t, NULL, run_job, &jb) == 0;
    work(a);
    if (threaded)
        pthread_join(t, NULL);
    else
        work(b);
}
