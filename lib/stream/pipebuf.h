/* pipebuf: a pipe's kernel buffer made larger, for the streams between the
 * programs (pairgen | pairdist | logfit).  With Linux's default of 64 KiB
 * the two ends take turns every 64 KiB, each turn two wake-ups; with 1 MiB
 * a sixteenth of them (logfit fed by a pipe: a fifth less wall time).
 *
 *   pipebuf_widen(fd);   after opening a file or on stdin/stdout
 *
 * Nothing else changes: a descriptor that is no pipe, a system without
 * F_SETPIPE_SZ, a pipe already as large, or a refusal (the user's pipes
 * over /proc/sys/fs/pipe-user-pages-soft) is left as it is, silently. */
#ifndef PIPEBUF_H
#define PIPEBUF_H

/* The buffer asked for: /proc/sys/fs/pipe-max-size's default, so that an
 * unprivileged user gets it too. */
enum { PIPEBUF_SIZE = 1 << 20 };

void pipebuf_widen(int fd);

#endif
