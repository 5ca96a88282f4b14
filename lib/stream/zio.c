/* zio: input files opened and read, gzip inflated member by member.  See
 * zio.h. */
#include "stream/zio.h"
#include "common/diag.h"
#include "stream/pipebuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum { IN_SIZE = 1 << 17 };
enum { UNKNOWN, PLAIN, GZIP, DONE };

struct zio {
    int fd;
    const char *name;
    int mode;
    unsigned char *in;  /* IN_SIZE bytes of input */
    size_t have, next;  /* unread input is in[next..have) */
    uint64_t consumed;  /* bytes of the file before in[0] */
    int eof;            /* read() returned 0 */
    z_stream z;
    int z_ready;
    int member_end;     /* inflate ended a member: look at what follows */
    int magic;          /* plain: bytes of "\x1f\x8b\x08" matched at the end of the last read */
    uint64_t magic_at;  /* plain: the file offset where that match began */
    uint64_t plain_off; /* plain: bytes returned so far */
    uint64_t gz_lf;     /* gzip: LFs returned so far */
    int gz_ends_lf;     /* gzip: the last byte returned was a LF */
};

zio *zio_open(const char *path, const char **name)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        *name = "<stdin>";
        fd = dup(STDIN_FILENO); /* closing ours leaves stdin open */
    } else {
        *name = path;
        fd = open(path, O_RDONLY);
    }
    if (fd < 0)
        die_errno("%s", *name);
    pipebuf_widen(fd);
    zio *z = xcalloc(1, sizeof *z);
    z->fd = fd;
    z->name = *name;
    z->in = xmalloc(IN_SIZE);
    return z;
}

uint64_t zio_plain_size(const zio *z)
{
    struct stat st;
    if (z->mode != PLAIN || fstat(z->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
        return 0;
    return (uint64_t)st.st_size;
}

void zio_close(zio *z)
{
    if (!z)
        return;
    if (z->z_ready)
        inflateEnd(&z->z);
    close(z->fd);
    free(z->in);
    free(z);
}

/* read(2) into p, retrying on EINTR; 0 at the end of the file. */
static size_t raw_read(zio *z, void *p, size_t n)
{
    if (z->eof)
        return 0;
    for (;;) {
        ssize_t got = read(z->fd, p, n > (size_t)1 << 30 ? (size_t)1 << 30 : n);
        if (got > 0)
            return (size_t)got;
        if (got == 0) {
            z->eof = 1;
            return 0;
        }
        if (errno != EINTR)
            die_errno("%s: read error", z->name);
    }
}

/* Refill in[] when it is used up; 0 at the end of the file. */
static int fill(zio *z)
{
    if (z->next < z->have)
        return 1;
    z->consumed += z->have;
    z->next = 0;
    z->have = raw_read(z, z->in, IN_SIZE);
    return z->have > 0;
}

/* Have at least two bytes in in[] if the file has them (to see the magic). */
static void fill2(zio *z)
{
    if (z->have - z->next >= 2 || z->eof)
        return;
    memmove(z->in, z->in + z->next, z->have - z->next);
    z->consumed += z->next;
    z->have -= z->next;
    z->next = 0;
    while (z->have < 2) {
        size_t got = raw_read(z, z->in + z->have, IN_SIZE - z->have);
        if (got == 0)
            break;
        z->have += got;
    }
}

static int is_magic(const zio *z)
{
    return z->have - z->next >= 2 && z->in[z->next] == 0x1f && z->in[z->next + 1] == 0x8b;
}

static const char *GLUED = "were two files concatenated? give them as separate files";

/* After a member: another member, the end, or an error. */
static int next_member(zio *z)
{
    fill2(z);
    if (z->next == z->have)
        return 0; /* the end */
    if (is_magic(z)) {
        inflateReset(&z->z);
        return 1;
    }
    uint64_t at = z->consumed + z->next + 1;
    /* zero padding (tapes, dd): say so, it is not a file glued on */
    int zeros = 1;
    uint64_t n = 0;
    char first[DIAG_QUOTE_MAX], q[DIAG_QUOTE_MAX];
    size_t nfirst = z->have - z->next < 40 ? z->have - z->next : 40;
    memcpy(first, z->in + z->next, nfirst);
    do {
        for (size_t i = z->next; i < z->have && zeros; i++)
            zeros = z->in[i] == 0;
        n += z->have - z->next;
        z->next = z->have;
    } while (zeros && fill(z));
    if (zeros)
        die("%s: %llu zero byte%s after the end of the gzip data, from byte %llu (gzip -d "
            "ignores them; strip them first: gzip -dc FILE | ...)",
            z->name, (unsigned long long)n, n == 1 ? "" : "s", (unsigned long long)at);
    die("%s: data after the end of the gzip data, from byte %llu: %s ('%s')", z->name,
        (unsigned long long)at, GLUED, diag_quote(q, sizeof q, first, nfirst));
}

static uint64_t count_lf(const unsigned char *p, size_t n)
{
    uint64_t k = 0;
    for (const unsigned char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        k++;
    return k;
}

/* The line of the last byte inflated, counting the n bytes of out this
 * read has made (awk's NR for what gzip -d would print): where the data
 * breaks. */
static uint64_t gz_line(const zio *z, const unsigned char *out, size_t n)
{
    uint64_t lf = z->gz_lf + count_lf(out, n);
    int ends_lf = n ? out[n - 1] == '\n' : z->gz_ends_lf;
    return lf + !ends_lf;
}

static noreturn void gz_die(const zio *z, const unsigned char *out, size_t n, int name_line,
                            const char *why)
{
    if (name_line)
        die_at(z->name, gz_line(z, out, n), "cannot read gzip data (%s)", why);
    die("%s: cannot read gzip data (%s)", z->name, why);
}

static size_t gz_read(zio *z, void *buf, size_t n, int name_line)
{
    if (n > (size_t)1 << 30)
        n = (size_t)1 << 30; /* avail_out is an unsigned int */
    z->z.next_out = buf;
    z->z.avail_out = (unsigned)n;
    while (z->z.avail_out == n) {
        if (z->member_end) {
            z->member_end = 0;
            if (!next_member(z)) {
                z->mode = DONE;
                return 0;
            }
        }
        if (z->next == z->have && !fill(z))
            gz_die(z, buf, n - z->z.avail_out, name_line, "unexpected end of file");
        z->z.next_in = z->in + z->next;
        z->z.avail_in = (unsigned)(z->have - z->next);
        int rc = inflate(&z->z, Z_NO_FLUSH);
        z->next = z->have - z->z.avail_in;
        if (rc == Z_STREAM_END) {
            z->member_end = 1;
        } else if (rc == Z_MEM_ERROR) {
            die("%s: out of memory", z->name);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            gz_die(z, buf, n - z->z.avail_out, name_line,
                   z->z.msg ? z->z.msg : "compressed data error");
        }
    }
    size_t got = n - z->z.avail_out;
    if (name_line) {
        z->gz_lf += count_lf(buf, got);
        z->gz_ends_lf = ((const unsigned char *)buf)[got - 1] == '\n';
    }
    return got;
}

/* Plain data must not hold the start of a gzip member ("\x1f\x8b\x08"):
 * neither byte is text (0x8b cannot follow 0x1f in UTF-8). */
static void check_plain(zio *z, const unsigned char *p, size_t n)
{
    static const unsigned char m[3] = {0x1f, 0x8b, 0x08};
    size_t i = 0;
    while (z->magic > 0 && i < n) { /* a match begun in the last read */
        if (p[i] != m[z->magic]) {
            z->magic = 0;
            break;
        }
        i++;
        if (++z->magic == 3)
            goto found;
    }
    for (;;) {
        const unsigned char *s = i < n ? memchr(p + i, 0x1f, n - i) : NULL;
        if (!s)
            return;
        size_t k = (size_t)(s - p), j = 1;
        while (j < 3 && k + j < n && p[k + j] == m[j])
            j++;
        if (j == 3) {
            z->magic_at = z->plain_off + k;
            goto found;
        }
        if (k + j == n) { /* the end of this read: go on in the next */
            z->magic = (int)j;
            z->magic_at = z->plain_off + k;
            return;
        }
        i = k + 1;
    }
found:
    /* (the line being read is not known: a read holds many) */
    die("%s: gzip data after plain text, from byte %llu: %s", z->name,
        (unsigned long long)z->magic_at + 1, GLUED);
}

static size_t plain_read(zio *z, void *buf, size_t n)
{
    size_t got;
    if (z->next < z->have) {
        got = z->have - z->next < n ? z->have - z->next : n;
        memcpy(buf, z->in + z->next, got);
        z->next += got;
    } else {
        got = raw_read(z, buf, n);
    }
    if (got == 0 && z->magic > 0)
        z->magic = 0; /* "\x1f" or "\x1f\x8b" at the very end: not gzip */
    check_plain(z, buf, got);
    z->plain_off += got;
    return got;
}

size_t zio_read(zio *z, void *buf, size_t n, int name_line)
{
    if (n == 0)
        return 0;
    if (z->mode == UNKNOWN) {
        fill2(z);
        if (is_magic(z)) {
            z->mode = GZIP;
            if (inflateInit2(&z->z, 15 + 16) != Z_OK)
                die("%s: out of memory", z->name);
            z->z_ready = 1;
        } else {
            z->mode = PLAIN;
        }
    }
    if (z->mode == GZIP)
        return gz_read(z, buf, n, name_line);
    if (z->mode == PLAIN)
        return plain_read(z, buf, n);
    return 0;
}
