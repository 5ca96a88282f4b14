/* cli: what the five programs' mains share in reading their command line,
 * so that it is written and worded once: the numbers of the long-only
 * options, the options every program has, keyword options, comma-separated
 * lists of names, the -t thresholds, and the rule that standard input is
 * read once.  Each problem found here is a usage error (diag.h: status 2).
 *
 *   static const struct option longopts[] = {
 *       {"style", required_argument, NULL, OPT_STYLE}, ..., CLI_LONGOPTS_END};
 *   while ((c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1)
 *       switch (c) {
 *       case OPT_STYLE: style = cli_keyword("--style", optarg, names, n); break;
 *       ...
 *       default: cli_other_option(c, argv, usage);   -h, -V, bad options
 *       }
 *
 * The library modules behind the options never spell an option: they
 * return what went wrong, and the main words it (with cli's helpers where
 * the wording is shared). */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdnoreturn.h>

#include "cli/thrarg.h"

/* getopt_long's value for each long-only option: above any short option's
 * letter, one numbering for every program. */
enum cli_opt {
    OPT_MISSING = CHAR_MAX + 1,
    OPT_MODEL,
    OPT_LIST_MODELS,
    OPT_TARGET,
    OPT_STYLE,
    OPT_VERIFIED,
    OPT_SVG,
    OPT_WIDTH,
    OPT_HEIGHT,
    OPT_NO_BAND,
    OPT_KDE,
    OPT_DET,
    OPT_RELIABILITY,
    OPT_PROBES,
    OPT_GALLERY,
    OPT_EXCLUDE,
    OPT_COUNTS,
    OPT_METHOD,
    OPT_CV,
    OPT_SEED,
    OPT_LOWER,
    OPT_HIGHER,
    OPT_INTERVAL,
    OPT_FMR,
    OPT_ROC,
};

/* The end of every program's option table: --help, --version. */
#define CLI_LONGOPTS_END                                                                     \
    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, { NULL, 0, NULL, 0 }

/* The end of every program's --help: -o (for what writes one output) and
 * -h, -V, in the same columns as the options above them. */
#define CLI_HELP_OUTPUT                                                                      \
    "  -o, --output=FILE      write to FILE (atomically) instead of standard output;\n"     \
    "                         FILE.gz is written gzip-compressed; FILE must not\n"           \
    "                         be an input\n"
#define CLI_HELP_STD                                                                         \
    "  -h, --help             show this help and exit\n"                                    \
    "  -V, --version          show the version and exit\n"

/* On a main's function that words a problem and may end the program there:
 * kept out of line, so that what main holds (used after the call) stays in
 * main's frame while the program exits, in reach of the leak checker.
 * Inlined, the exit path would be the end of main and its objects dead. */
#if defined(__GNUC__)
#define CLI_REFUSER __attribute__((noinline))
#else
#define CLI_REFUSER
#endif

/* What getopt_long returned that the program's own cases do not take:
 * 'h' calls usage() (which exits), 'V' prints the version, anything else
 * is a missing argument or an unknown option (diag.h's die_bad_option). */
noreturn void cli_other_option(int c, char *const *argv, void (*usage)(void));

/* -j N, the threads a program may use: 1 (no thread of its own) to
 * CLI_JOBS_MAX, else
 *   invalid value for --jobs: 'N' (expected an integer from 1 to 64)
 * Output never depends on it. */
enum { CLI_JOBS_MAX = 64, CLI_JOBS_DEFAULT_MAX = 8 };
int cli_jobs(const char *arg);
/* Without -j: the cores this process may run on (sched_getaffinity), at
 * most CLI_JOBS_DEFAULT_MAX (beyond that the reading and the ordered
 * writing, one thread each, are the limit), at least 1. */
int cli_jobs_default(void);
#define CLI_HELP_JOBS                                                                        \
    "  -j, --jobs=N           use N threads (default: the cores available, at most\n"      \
    "                         8); the output is the same for every N\n"

/* -p N, the decimals printed: 0 to NUM_PREC_MAX (num.h), else
 *   invalid value for --precision: 'N' (expected an integer from 0 to 17) */
int cli_precision(const char *arg);

/* A keyword option: the index of arg in words[0..n) (exactly), else
 *   invalid value for OPT: 'ARG' (expected W1, W2 or W3) */
int cli_keyword(const char *opt, const char *arg, const char *const *words, size_t n);

/* words[0..n) as a message lists choices, "W1, W2 or W3", into buf (cap
 * bytes; a list that does not fit ends in "..."); returns buf. */
const char *cli_choices(char *buf, size_t cap, const char *const *words, size_t n);

/* A comma-separated list of names, the value of option opt, split into its
 * items in order (item[0..n), n >= 1).  An empty item or a name given twice
 * ends the program:
 *   invalid value for OPT: 'ARG' (an empty name)
 *   OPT names 'NAME' twice */
typedef struct cli_list {
    char **item;
    size_t n;
} cli_list;
void cli_list_parse(cli_list *l, const char *opt, const char *arg);
void cli_list_free(cli_list *l);
/* The one wording of a name chosen twice, for lists whose duplicates only
 * show once resolved (pairdist's "all"). */
noreturn void cli_die_twice(const char *opt, const char *name);

/* One -t option into t (thrarg.h), form naming the per-name form in the
 * message ("METRIC" or "COL"):
 *   invalid value for --threshold: 'ARG' (expected FORM=T,...)
 *   invalid number for --threshold: 'VALUE' WHY */
void cli_threshold(thrarg *t, const char *arg, const char *form);

/* Standard input ("-") is read once: paths[i] is an input as given, or
 * NULL when absent, and what[i] its name in the message:
 *   WHAT and WHAT cannot both be standard input */
void cli_one_stdin(const char *const *paths, const char *const *what, size_t n);
/* "-" when the FILE operands files[0..n) read standard input (none is
 * given, or one is "-"), else NULL: the stream's entry for cli_one_stdin. */
const char *cli_stream_stdin(char *const *files, size_t n);

#endif
