/* cli: the command line's shared pieces and their messages.  See cli.h. */
/* sched_getaffinity, CPU_COUNT */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cli/cli.h"
#include "common/diag.h"
#include "common/name.h"
#include "common/strmap.h"
#include "stream/num.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One wording of a name chosen twice, for every list. */
#define NAMED_TWICE "%s names '%s' twice"

noreturn void cli_other_option(int c, char *const *argv, void (*usage)(void))
{
    if (c == 'h')
        usage();
    if (c == 'V')
        diag_version();
    die_bad_option(c, argv);
}

int cli_jobs(const char *arg)
{
    return (int)num_arg_int("--jobs", arg, 1, CLI_JOBS_MAX);
}

int cli_jobs_default(void)
{
    long n = 0;
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
#endif
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CLI_JOBS_DEFAULT_MAX ? CLI_JOBS_DEFAULT_MAX : (int)n;
}

int cli_precision(const char *arg)
{
    return (int)num_arg_int("--precision", arg, 0, NUM_PREC_MAX);
}

const char *cli_choices(char *buf, size_t cap, const char *const *words, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 < n ? ", " : " or ";
        int k = snprintf(buf + o, cap - o, "%s%s", sep, words[i]);
        o += k < 0 ? cap : (size_t)k;
    }
    if (o >= cap && cap >= 4)
        memcpy(buf + cap - 4, "...", 4);
    return buf;
}

int cli_keyword(const char *opt, const char *arg, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(arg, words[i]) == 0)
            return (int)i;
    char list[256];
    die_usage("invalid value for %s: '%s' (expected %s)", opt, arg,
              cli_choices(list, sizeof list, words, n));
}

noreturn void cli_die_twice(const char *opt, const char *name)
{
    die_usage(NAMED_TWICE, opt, name_q(name));
}

void cli_list_parse(cli_list *l, const char *opt, const char *arg)
{
    size_t cap = 1;
    for (const char *c = arg; (c = strchr(c, ',')); c++)
        cap++;
    l->item = xcalloc(cap, sizeof *l->item);
    l->n = 0;
    strmap seen; /* a hash: a list of many names is still read in linear time */
    strmap_init(&seen, cap);
    for (const char *s = arg;; s++) {
        size_t len = strcspn(s, ",");
        if (len == 0) {
            strmap_free(&seen);
            cli_list_free(l);
            die_usage("invalid value for %s: '%s' (an empty name)", opt, name_q(arg));
        }
        char *name = l->item[l->n++] = xstrndup(s, len);
        int found;
        strmap_put(&seen, name, len, &found);
        if (found) {
            const char *q = name_q(name);
            strmap_free(&seen);
            cli_list_free(l);
            die_usage(NAMED_TWICE, opt, q);
        }
        s += len;
        if (!*s)
            break;
    }
    strmap_free(&seen);
}

void cli_list_free(cli_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    l->item = NULL;
    l->n = 0;
}

void cli_threshold(thrarg *t, const char *arg, const char *form)
{
    const char *bad, *why;
    switch (thrarg_parse(t, arg, &bad, &why)) {
    case THRARG_FORM:
        die_usage("invalid value for --threshold: '%s' (expected %s=T,...)", arg, form);
    case THRARG_NUMBER:
        die_usage("invalid number for --threshold: '%s' %s", bad, why);
    }
}

void cli_one_stdin(const char *const *paths, const char *const *what, size_t n)
{
    const char *first = NULL;
    for (size_t i = 0; i < n; i++)
        if (paths[i] && strcmp(paths[i], "-") == 0) {
            if (first)
                die_usage("%s and %s cannot both be standard input", first, what[i]);
            first = what[i];
        }
}

const char *cli_stream_stdin(char *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(files[i], "-") == 0)
            return "-";
    return n == 0 ? "-" : NULL;
}
