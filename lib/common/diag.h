/* diag: the one way every distconf program reports problems and exits.
 *
 * Exit status: 0 done, 1 bad data or I/O failure, 2 bad usage.
 * Messages: "PROG: FILE:LINE: what is wrong ('what was found')", lower-case,
 * no full stop.  Before exiting with an error, every registered cleanup runs
 * (it removes half-written output files). */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

/* Set the program name used in messages; call first thing in main. */
void diag_init(const char *progname);

#if defined(__GNUC__)
#define DIAG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DIAG_PRINTF(f, a)
#endif

/* "PROG: msg" and exit 1. */
noreturn void die(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* "PROG: FILE:LINE: msg" and exit 1 (line 0 omits the line). */
noreturn void die_at(const char *file, uint64_t line, const char *fmt, ...)
    DIAG_PRINTF(3, 4);
/* die_at with the arguments as a va_list: for a module's own die_* that
 * knows where the problem is (tsv_die_header, yamlin_die). */
noreturn void vdie_at(const char *file, uint64_t line, const char *fmt, va_list ap)
    DIAG_PRINTF(3, 0);
/* "PROG: msg", then "Try 'PROG --help' for more information." and exit 2. */
noreturn void die_usage(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* Free-on-error: fn(arg) runs when an error ends the program (not on a
 * signal), newest first, so a parser can release what it holds; what fuzzing
 * harnesses need to survive millions of errors.  diag_forget_error() when
 * the object is closed normally. */
void diag_on_error(void (*fn)(void *), void *arg);
/* fn(arg) once, before the message of the next error (die, die_at,
 * die_errno, die_usage), so that an error found earlier in the input but
 * not yet reported (ordered.h: rows still being worked on by threads) is
 * reported first.  One slot; NULL clears it. */
void diag_before_die(void (*fn)(void *), void *arg);
void diag_forget_error(void (*fn)(void *), void *arg);

/* getopt_long returned c, ':' (missing argument: the option string must
 * start with ':') or '?' (unknown option); diag_init turned getopt's own
 * message off.  Says which, as die_usage. */
noreturn void die_bad_option(int c, char *const *argv);
/* "PROG: msg: strerror(errno)" and exit 1. */
noreturn void die_errno(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* While note is set (not NULL), every error message ends with " (NOTE)":
 * context that the code reporting the error does not know, such as where
 * the path of the file being read came from.  The text is not copied. */
void diag_note(const char *note);
/* "PROG: msg" without exiting (warnings, counts at the end). */
void warnx_(const char *fmt, ...) DIAG_PRINTF(1, 2);

/* Run fn(arg) before any error exit or fatal signal: every signal that
 * ends a process by default and can be caught (SIGHUP, SIGINT, SIGQUIT,
 * SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGABRT, SIGXCPU, SIGXFSZ,
 * SIGVTALRM, SIGPROF), except one ignored when the program started.  fn must
 * be async-signal-safe.  At most a few slots. */
void diag_on_fail(void (*fn)(void *), void *arg);
void diag_forget(void (*fn)(void *), void *arg);
/* Block those signals around a change that a cleanup must see whole (a
 * temporary file created and recorded, renamed and forgotten). */
void diag_signals_hold(void);
void diag_signals_release(void);

/* For fuzzing harnesses only: called instead of exit() on an error, after
 * the cleanups; it must not return (it longjmps back to the harness).
 * Messages are then left out, unless FUZZ_STDERR is set. */
void diag_set_fail_hook(void (*hook)(int status));

/* Copy a found value into buf for a message: at most 40 bytes, cut on a
 * character's boundary, "..." when cut; control characters (C0, DEL, C1),
 * U+FFFE, U+FFFF and each byte of invalid UTF-8 shown as '?' (name.h's
 * name_char).  Returns buf. */
const char *diag_quote(char *buf, size_t bufsize, const char *p, size_t n);
#define DIAG_QUOTE_MAX 64

/* Checked allocation: out of memory is a clean error, never a crash. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Room for n elements of size bytes (n 0: one), for an array of millions
 * written once or touched at random: from 8 MiB, aligned to 2 MiB and
 * advised for huge pages (each fresh 4 KiB page is a fault: tens of
 * thousands an array); below, xreallocarray.  Freed with free(). */
void *xmalloc_huge(size_t n, size_t size);
/* The same, or NULL when there is no such room (a reservation that may be
 * refused: the caller goes on without it). */
void *malloc_huge(size_t n, size_t size);

/* Standard option handling shared by every program. */
noreturn void diag_version(void);

#endif
