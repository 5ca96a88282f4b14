/* Unit tests for lib/stream/out.c: nothing created before there is something to
 * write, the temporary file beside the target and gone after out_close,
 * an empty output still a file, modes kept, links written through, gzip
 * that reads back, and the same-file checks that must not refuse. */
#include "common/diag.h"
#include "stream/out.h"
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Entries of folder d (without . and ..), and in *tmp those that are
 * temporary files of out. */
static int entries(const char *d, int *tmp)
{
    DIR *dp = opendir(d);
    int n = 0;
    *tmp = 0;
    if (!dp)
        return -1;
    for (struct dirent *e; (e = readdir(dp));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (strncmp(e->d_name, ".distconf-", 10) == 0 && strlen(e->d_name) == 16)
            (*tmp)++;
    }
    closedir(dp);
    return n;
}

int main(void)
{
    char *dirpath = xstrdup(unit_path("d"));
    if (mkdir(dirpath, 0755) != 0) {
        printf("Bail out! mkdir\n");
        return 1;
    }
    char path[512];
    int tmp;

    /* Nothing is created by out_open, nor by a write that fits the buffer. */
    snprintf(path, sizeof path, "%s/a.tsv", dirpath);
    out *o = out_open(path);
    UNIT_OK(entries(dirpath, &tmp) == 0, "out_open creates nothing");
    out_str(o, "a\tb\n");
    out_flush_buf(o); /* a flush of an empty buffer is not "something" */
    UNIT_OK(entries(dirpath, &tmp) == 1 && tmp == 1, "the first flush creates the temporary file");
    out_str(o, "1\t2\n");
    out_close(o);
    size_t n;
    const char *text = unit_slurp(path, &n);
    UNIT_OK(text && n == 8 && memcmp(text, "a\tb\n1\t2\n", 8) == 0, "the output is in place");
    UNIT_OK(entries(dirpath, &tmp) == 1 && tmp == 0, "no temporary file after out_close");

    /* More than the buffer: the temporary file appears, then is renamed. */
    snprintf(path, sizeof path, "%s/big.tsv", dirpath);
    o = out_open(path);
    char line[100];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (int i = 0; i < 3000; i++)
        out_write(o, line, sizeof line);
    UNIT_OK(entries(dirpath, &tmp) == 2 && tmp == 1, "a full buffer creates the temporary file");
    out_close(o);
    unit_slurp(path, &n);
    UNIT_OK(n == 300000, "300000 bytes through the buffer");
    UNIT_OK(entries(dirpath, &tmp) == 2 && tmp == 0, "renamed into place");

    /* Nothing written: an empty file is still made. */
    snprintf(path, sizeof path, "%s/empty", dirpath);
    out_close(out_open(path));
    struct stat st;
    UNIT_OK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "empty output, empty file");

    /* An existing file keeps its mode; a link is written through. */
    snprintf(path, sizeof path, "%s/m.yaml", dirpath);
    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    chmod(path, 0640);
    char link[512];
    snprintf(link, sizeof link, "%s/link", dirpath);
    UNIT_OK(symlink("m.yaml", link) == 0, "a link");
    o = out_open(link);
    out_str(o, "new\n");
    out_close(o);
    struct stat lst;
    UNIT_OK(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode), "the link stays a link");
    UNIT_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640, "the target keeps 0640");
    text = unit_slurp(path, &n);
    UNIT_OK(text && n == 4 && memcmp(text, "new\n", 4) == 0, "the target has the output");

    /* The same-file checks let different files, and a new one, pass. */
    snprintf(path, sizeof path, "%s/other", dirpath);
    o = out_open(path);
    out_refuse_input(o, link, "the stream");          /* o is new */
    char *ins[] = {link, dirpath};
    out_refuse_inputs(o, ins, 2, "the stream");       /* a folder is not a regular file */
    out_refuse_input(o, NULL, "the model");           /* no such input */
    out *o2 = out_open(link);
    out_refuse_same(o, "-o", o2, "--svg");            /* different names */
    out_refuse_input(o2, "/dev/null", "the stream");
    UNIT_OK(1, "different files are not refused");
    out_close(o2);
    out_close(o);

    /* gzip: a .gz name is compressed, and reads back. */
    snprintf(path, sizeof path, "%s/z.tsv.gz", dirpath);
    o = out_open(path);
    for (int i = 0; i < 5000; i++)
        out_write(o, line, sizeof line);
    static char huge[OUT_BUFSIZE + 10];
    memset(huge, 'y', sizeof huge);
    out_write(o, huge, sizeof huge); /* past the buffer: out_write_direct */
    out_close(o);
    text = unit_slurp(path, &n);
    UNIT_OK(text && n > 2 && (unsigned char)text[0] == 0x1f && (unsigned char)text[1] == 0x8b,
            "gzip magic");
    UNIT_OK(n < 100000, "compressed (%zu bytes)", n);
    gzFile gz = gzopen(path, "rb");
    static char back[1 << 20];
    int got = gz ? gzread(gz, back, sizeof back) : -1;
    if (gz)
        gzclose(gz);
    int same = got == 500000 + (int)sizeof huge;
    for (int i = 0; same && i < 500000; i++)
        same = back[i] == line[i % 100];
    for (int i = 500000; same && i < got; i++)
        same = back[i] == 'y';
    UNIT_OK(same, "gzip reads back: %d bytes", got);
    UNIT_OK(entries(dirpath, &tmp) > 0 && tmp == 0, "no temporary file left");

    free(dirpath);
    return unit_done();
}
