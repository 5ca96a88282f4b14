/* Unit tests for lib/cli/cli.c (the mains' shared command-line pieces)
 * and lib/cli/thrarg.c (-t).  A usage error ends in a longjmp here
 * instead of exit(); its wording is checked by the bats tests. */
#include "cli/cli.h"
#include "common/diag.h"
#include "cli/thrarg.h"
#include "unit.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf jmp;
static int failed_status;
static void on_fail(int status)
{
    failed_status = status;
    longjmp(jmp, 1);
}

static const char *const words[] = {"error", "skip", "warn", "ask"};

/* st = the status the call ended with: 0 when it returned. */
#define RUN(st, call)                                                                        \
    do {                                                                                     \
        failed_status = 0;                                                                   \
        if (setjmp(jmp) == 0) {                                                              \
            call;                                                                            \
        }                                                                                    \
        (st) = failed_status;                                                                \
    } while (0)

static cli_list list;

static int parse(const char *arg)
{
    int st;
    RUN(st, cli_list_parse(&list, "--x", arg));
    return st;
}

static void lists(void)
{
    UNIT_OK(parse("b,a,c") == 0 && list.n == 3 && strcmp(list.item[0], "b") == 0 &&
                strcmp(list.item[1], "a") == 0 && strcmp(list.item[2], "c") == 0,
            "a list: its names in order");
    cli_list_free(&list);
    UNIT_OK(list.n == 0 && list.item == NULL, "freed: empty");
    UNIT_OK(parse("one") == 0 && list.n == 1 && strcmp(list.item[0], "one") == 0, "one name");
    cli_list_free(&list);
    UNIT_OK(parse("") == EXIT_USAGE, "an empty list: a usage error");
    UNIT_OK(parse("a,") == EXIT_USAGE, "a trailing comma: a usage error");
    UNIT_OK(parse(",a") == EXIT_USAGE, "a leading comma: a usage error");
    UNIT_OK(parse("a,,b") == EXIT_USAGE, "an empty name inside: a usage error");
    UNIT_OK(parse("a,b,a") == EXIT_USAGE, "a name twice: a usage error");
    UNIT_OK(parse("ab,a,b") == 0 && list.n == 3, "prefixes are other names");
    cli_list_free(&list);

    /* 10^5 names: the duplicate check is a hash, not a scan of the list */
    enum { N = 100000 };
    char *big = malloc((size_t)N * 8), *p = big;
    for (int i = 0; i < N; i++)
        p += sprintf(p, "%sm%d", i ? "," : "", i);
    UNIT_OK(parse(big) == 0 && list.n == N && strcmp(list.item[N - 1], "m99999") == 0,
            "10^5 names");
    cli_list_free(&list);
    p += sprintf(p, ",m5");
    UNIT_OK(parse(big) == EXIT_USAGE, "10^5 names and one again: a usage error");
    free(big);
}

static void keywords(void)
{
    char buf[64];
    UNIT_STREQ(cli_choices(buf, sizeof buf, words, 2), "error or skip", "two choices");
    UNIT_STREQ(cli_choices(buf, sizeof buf, words, 4), "error, skip, warn or ask",
               "four choices");
    UNIT_STREQ(cli_choices(buf, sizeof buf, words, 1), "error", "one choice");
    UNIT_STREQ(cli_choices(buf, 12, words, 4), "error, s...", "cut to fit");
    volatile int k = -1;
    int st;
    RUN(st, k = cli_keyword("--x", "warn", words, 4));
    UNIT_OK(st == 0 && k == 2, "a keyword: its index");
    RUN(st, cli_keyword("--x", "Warn", words, 4));
    UNIT_OK(st == EXIT_USAGE, "keywords are exact: a usage error");
    RUN(st, cli_keyword("--x", "", words, 4));
    UNIT_OK(st == EXIT_USAGE, "empty: a usage error");
}

static void standard_input(void)
{
    char a[] = "a", b[] = "b", dash[] = "-";
    char *files[] = {a, dash}, *plain[] = {a, b};
    UNIT_STREQ(cli_stream_stdin(files, 0), "-", "no FILE: standard input");
    UNIT_STREQ(cli_stream_stdin(files, 2), "-", "a FILE -: standard input");
    UNIT_OK(cli_stream_stdin(plain, 2) == NULL, "files only: not");
    const char *what[] = {"-e -", "the stream", "--probes"};
    int st;
    RUN(st, cli_one_stdin((const char *[]){"-", NULL, "x"}, what, 3));
    UNIT_OK(st == 0, "once: fine");
    RUN(st, cli_one_stdin((const char *[]){"-", "x", "-"}, what, 3));
    UNIT_OK(st == EXIT_USAGE, "twice: a usage error");
    RUN(st, cli_one_stdin((const char *[]){NULL, NULL, NULL}, what, 3));
    UNIT_OK(st == 0, "none: fine");
}

static void thresholds(void)
{
    thrarg t = {0};
    const char *bad = NULL, *why = NULL;
    double v = 0;
    UNIT_OK(thrarg_parse(&t, "0.4", &bad, &why) == THRARG_OK && thrarg_get(&t, "any", &v) &&
                v == 0.4,
            "-t T: every name");
    UNIT_OK(thrarg_parse(&t, "a=1,b=2", &bad, &why) == THRARG_OK && thrarg_get(&t, "b", &v) &&
                v == 2,
            "-t a=1,b=2: by name");
    UNIT_OK(thrarg_parse(&t, "b=3", &bad, &why) == THRARG_OK && thrarg_get(&t, "b", &v) &&
                v == 3,
            "the last -t for a name wins");
    UNIT_OK(thrarg_parse(&t, "x", &bad, &why) == THRARG_NUMBER && strcmp(bad, "x") == 0 &&
                why != NULL,
            "-t x: the value that is not a number, and why");
    UNIT_OK(thrarg_parse(&t, "c=1,d=y,e=2", &bad, &why) == THRARG_NUMBER &&
                strcmp(bad, "y") == 0 && thrarg_get(&t, "c", &v) && v == 1 &&
                (thrarg_get(&t, "e", &v), v == 0.4),
            "-t c=1,d=y,e=2: which value, and none after it");
    UNIT_OK(thrarg_parse(&t, "a=1,=2", &bad, &why) == THRARG_FORM, "=2: no name");
    UNIT_OK(thrarg_parse(&t, "a=1,2", &bad, &why) == THRARG_FORM, "a=1,2: no '='");
    int st;
    RUN(st, cli_threshold(&t, "f=5", "COL"));
    UNIT_OK(st == 0 && thrarg_get(&t, "f", &v) && v == 5, "cli_threshold: parsed");
    RUN(st, cli_threshold(&t, "f=z", "COL"));
    UNIT_OK(st == EXIT_USAGE, "cli_threshold: a bad value is a usage error");
    thrarg_free(&t);
    UNIT_OK(!thrarg_get(&t, "a", &v), "freed: nothing given");
}

int main(void)
{
    diag_init("test_cli");
    diag_set_fail_hook(on_fail);
    lists();
    keywords();
    standard_input();
    thresholds();
    return unit_done();
}
