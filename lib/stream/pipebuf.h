/* pipebuf: a pipe's kernel buffer made larger, for the streams between the
 * programs (pairgen | pairdist | logfit).  With Linux's default of 64 KiB
 * the two ends take turns every 64 KiB, each turn two wake-ups; with 1 MiB
 * a sixteenth of them (logfit fed by a pipe: a fifth less wall time).
 *
 *   pipebuf_widen(fd);   after opening a file or on stdin/stdout
 *
 * Nothing else changes: a descriptor that is no pipe, a system without
 * F_SETPIPE_SZ, a pipe already as large, or a refusal (the user's pipes
 * over /proc/sys/fs/pipe-user-pages-soft) is left as it is, silently.
 * The environment's DISTCONF_PIPE_SIZE sets the size asked for (0: pipes
 * are left as they are), for a user with many pipelines at once. */
#ifndef PIPEBUF_H
#define PIPEBUF_H

/* The buffer asked for by default: /proc/sys/fs/pipe-max-size's default,
 * so that an unprivileged user gets it too. */
enum { PIPEBUF_SIZE = 1 << 20 };

/* The largest DISTCONF_PIPE_SIZE (F_SETPIPE_SZ takes an int). */
#define PIPEBUF_MAX (1L << 30)

void pipebuf_widen(int fd);

/* A bad DISTCONF_PIPE_SIZE ends the program with a usage error, before
 * anything is opened (out_open calls it first; pipebuf_widen too). */
void pipebuf_check_env(void);

/* DISTCONF_PIPE_SIZE's value s (NULL or empty: unset) as the bytes asked
 * for: a count of bytes, or of KiB, MiB or GiB with a suffix K, M or G
 * (either case), from 0 to PIPEBUF_MAX.  0 with *bytes set, else -1.
 * pipebuf_widen reads the environment once, and ends the program with a
 * usage error on a value this refuses. */
int pipebuf_parse_size(const char *s, long *bytes);

#endif
