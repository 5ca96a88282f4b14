#include "common/diag.h"
#include "common/name.h"
#include "common/version.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *prog = "distconf";

enum { MAX_CLEANUPS = 8 };
static struct {
    void (*fn)(void *);
    void *arg;
} cleanups[MAX_CLEANUPS];
static volatile sig_atomic_t ncleanups;

static void run_cleanups(void)
{
    for (int i = (int)ncleanups - 1; i >= 0; i--)
        if (cleanups[i].fn)
            cleanups[i].fn(cleanups[i].arg);
    ncleanups = 0;
}

static void on_fatal_signal(int sig)
{
    run_cleanups();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* stdio's stdout (usage, --version) is checked too: a full disk is an error. */
static int failing; /* an error is being reported: say nothing more */

static void close_stdio_stdout(void)
{
    if (failing)
        return;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    /* a stdout closed by the caller (>&-) with nothing to write is fine */
    if (!bad && fclose(stdout) != 0 && errno != EBADF)
        bad = 1;
    if (bad) {
        int e = errno;
        if (e == EPIPE)
            _exit(EXIT_DATA);
        fprintf(stderr, "%s: write error: <stdout>: %s\n", prog, strerror(e));
        run_cleanups();
        _exit(EXIT_DATA);
    }
}

void diag_init(const char *progname)
{
    const char *slash = strrchr(progname, '/');
    prog = slash ? slash + 1 : progname;
    /* `prog | head` must end quietly even when our parent ignored SIGPIPE. */
    signal(SIGPIPE, SIG_DFL);
    atexit(close_stdio_stdout);
    opterr = 0; /* die_bad_option() words getopt's complaints our way */
}

/* The signals that end a process by default and can be caught; a crash
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL) is left to the sanitizers and the core. */
static const int fatal_signals[] = {
    SIGHUP,    SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGABRT,
#ifdef SIGXCPU
    SIGXCPU,
#endif
#ifdef SIGXFSZ
    SIGXFSZ,
#endif
#ifdef SIGVTALRM
    SIGVTALRM,
#endif
#ifdef SIGPROF
    SIGPROF,
#endif
};
enum { NFATAL = sizeof fatal_signals / sizeof fatal_signals[0] };

static void fatal_set(sigset_t *set)
{
    sigemptyset(set);
    for (int i = 0; i < NFATAL; i++)
        sigaddset(set, fatal_signals[i]);
}

void diag_signals_hold(void)
{
    sigset_t set;
    fatal_set(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

void diag_signals_release(void)
{
    sigset_t set;
    fatal_set(&set);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

void diag_on_fail(void (*fn)(void *), void *arg)
{
    if (ncleanups == 0) {
        /* Installed lazily: only programs that write files need them.  A
         * signal ignored when we started stays ignored (`nohup`, `trap ''`),
         * as sort and cp do, and one with a handler already is left to it
         * (a host such as libFuzzer uses SIGALRM); SIGPIPE was reset by
         * diag_init (a closed pipe ends the program). */
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        fatal_set(&sa.sa_mask); /* one cleanup at a time */
        for (int i = 0; i < NFATAL; i++) {
            int sig = fatal_signals[i];
            if (sigaction(sig, NULL, &old) == 0 &&
                ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL))
                continue;
            sigaction(sig, &sa, NULL);
        }
    }
    if (ncleanups >= MAX_CLEANUPS)
        die("internal error: too many cleanups");
    cleanups[ncleanups].fn = fn;
    cleanups[ncleanups].arg = arg;
    ncleanups++;
}

static struct {
    void (*fn)(void *);
    void *arg;
} * on_error;
static size_t non_error, cap_error;

void diag_on_error(void (*fn)(void *), void *arg)
{
    if (non_error == cap_error) {
        cap_error = cap_error ? cap_error * 2 : 16;
        on_error = xreallocarray(on_error, cap_error, sizeof *on_error);
    }
    on_error[non_error].fn = fn;
    on_error[non_error].arg = arg;
    non_error++;
}

void diag_forget_error(void (*fn)(void *), void *arg)
{
    /* Objects are closed newest first, nearly always: search from the end. */
    for (size_t i = non_error; i-- > 0;)
        if (on_error[i].fn == fn && on_error[i].arg == arg) {
            memmove(&on_error[i], &on_error[i + 1], (non_error - i - 1) * sizeof *on_error);
            non_error--;
            return;
        }
}

static void run_error_cleanups(void)
{
    while (non_error > 0) {
        non_error--;
        on_error[non_error].fn(on_error[non_error].arg);
    }
    free(on_error);
    on_error = NULL;
    cap_error = 0;
}

void diag_forget(void (*fn)(void *), void *arg)
{
    for (int i = 0; i < (int)ncleanups; i++)
        if (cleanups[i].fn == fn && cleanups[i].arg == arg)
            cleanups[i].fn = NULL;
    /* free slots at the end are free again: opening and closing outputs
     * one after the other never runs out */
    while (ncleanups > 0 && cleanups[ncleanups - 1].fn == NULL)
        ncleanups--;
}

static int quiet; /* fuzzing: errors are expected, their text is not wanted */
static const char *note;

void diag_note(const char *text)
{
    note = text;
}

static void (*before_fn)(void *);
static void *before_arg;

void diag_before_die(void (*fn)(void *), void *arg)
{
    before_fn = fn;
    before_arg = arg;
}

/* The hook, once (an error inside it is an error of its own). */
static void before_die(void)
{
    void (*fn)(void *) = before_fn;
    before_fn = NULL;
    if (fn)
        fn(before_arg);
}

static void vmsg_(const char *file, uint64_t line, int err, const char *fmt, va_list ap)
{
    if (quiet)
        return;
    fflush(stdout);
    fprintf(stderr, "%s: ", prog);
    if (file) {
        if (line)
            fprintf(stderr, "%s:%llu: ", file, (unsigned long long)line);
        else
            fprintf(stderr, "%s: ", file);
    }
    vfprintf(stderr, fmt, ap);
    if (err >= 0)
        fprintf(stderr, ": %s", strerror(err));
    if (note && err != -2)
        fprintf(stderr, " (%s)", note);
    fputc('\n', stderr);
}

static void vmsg(const char *file, uint64_t line, const char *fmt, va_list ap)
{
    vmsg_(file, line, -1, fmt, ap);
}

static void (*fail_hook)(int);

void diag_set_fail_hook(void (*hook)(int status))
{
    fail_hook = hook;
    quiet = hook && !getenv("FUZZ_STDERR");
}

noreturn static void fail(int status)
{
    failing = 1;
    run_cleanups();
    run_error_cleanups();
    if (fail_hook)
        fail_hook(status);
    exit(status);
}

void vdie_at(const char *file, uint64_t line, const char *fmt, va_list ap)
{
    before_die();
    vmsg(file, line, fmt, ap);
    fail(EXIT_DATA);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie_at(NULL, 0, fmt, ap);
}

void die_at(const char *file, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie_at(file, line, fmt, ap);
}

void die_usage(const char *fmt, ...)
{
    before_die();
    va_list ap;
    va_start(ap, fmt);
    vmsg(NULL, 0, fmt, ap);
    va_end(ap);
    if (!quiet)
        fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    fail(EXIT_USAGE);
}

void die_bad_option(int c, char *const *argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':') {
        /* a long option's optopt is its val, maybe above CHAR_MAX: name it */
        if (optopt && strncmp(arg, "--", 2) != 0)
            die_usage("option requires an argument -- '%c'", optopt);
        die_usage("option '%s' requires an argument", arg);
    }
    if (optopt && strncmp(arg, "--", 2) != 0)
        die_usage("invalid option -- '%c'", optopt);
    die_usage("unrecognized option '%s'", arg);
}

void die_errno(const char *fmt, ...)
{
    int e = errno;
    before_die();
    va_list ap;
    va_start(ap, fmt);
    vmsg_(NULL, 0, e, fmt, ap);
    va_end(ap);
    fail(EXIT_DATA);
}

void warnx_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg_(NULL, 0, -2, fmt, ap);
    va_end(ap);
}

const char *diag_quote(char *buf, size_t bufsize, const char *p, size_t n)
{
    /* Shown as name_show() shows a name (controls, DEL, C1 controls and
     * invalid UTF-8 as '?'), cut on a character's boundary. */
    size_t limit = bufsize > 44 ? 40 : bufsize - 4, o = 0, i = 0;
    while (i < n) {
        int shown;
        size_t k = name_char(p + i, n - i, &shown);
        if (o + (shown ? k : 1) > limit)
            break;
        if (shown) {
            memcpy(buf + o, p + i, k);
            o += k;
        } else {
            buf[o++] = '?';
        }
        i += k;
    }
    if (i < n) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static noreturn void oom(void)
{
    die("out of memory");
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        oom();
    return xrealloc(p, n * size);
}

void *malloc_huge(size_t n, size_t size)
{
    enum { HUGE_PAGE = 2 << 20 };
    if (n == 0 || size == 0)
        n = size = 1;
    if (n > SIZE_MAX / size / 2)
        return NULL;
    if (n * size < 4 * (size_t)HUGE_PAGE)
        return malloc(n * size);
    size_t bytes = (n * size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = aligned_alloc(HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
    return p;
}

void *xmalloc_huge(size_t n, size_t size)
{
    void *p = malloc_huge(n, size);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void diag_version(void)
{
    printf("%s (distconf) %s\n", prog, DISTCONF_VERSION);
    exit(0);
}
