/* tsv_header: the reader's checks of what is or is not a header: another
 * header inside the stream (a second file's, with other columns or in
 * another order), and a header that is data (sorted away).  See tsv.h. */
#include "stream/num.h"
#include "stream/tsv_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tsv_looks_like_header(const tsv_reader *r)
{
    size_t names = 0;
    for (size_t i = 0; i < r->nf; i++)
        names += tsv_find_col(r, r->f[i].p, r->f[i].n) != NULL;
    return 2 * names > r->nf;
}

void tsv_second_header(const tsv_reader *r)
{
    /* the header of counts (column, value, n...) against a distance stream's */
    int counts_header = r->nf >= 3 && r->f[0].n == 6 && memcmp(r->f[0].p, "column", 6) == 0 &&
                        r->f[1].n == 5 && memcmp(r->f[1].p, "value", 5) == 0;
    if (counts_header != tsv_is_counts(r))
        tsv_mixed_counts(r);
    char q[DIAG_QUOTE_MAX], h[DIAG_QUOTE_MAX];
    diag_quote(q, sizeof q, r->text, r->len);
    /* the same columns in another order: each once */
    int perm = r->nf == r->ncols;
    size_t *from = perm ? xcalloc(r->nf, sizeof *from) : NULL;
    char *seen = perm ? xcalloc(r->nf, 1) : NULL;
    for (size_t i = 0; perm && i < r->nf; i++) {
        uint64_t *v = tsv_find_col(r, r->f[i].p, r->f[i].n);
        if (!v || (*v & TSV_DUP_BIT) || seen[*v]) {
            perm = 0;
            break;
        }
        seen[*v] = 1;
        from[*v] = i;
    }
    if (perm && r->nf <= 16) {
        char awk[512];
        size_t o = 0;
        for (size_t j = 0; j < r->nf; j++)
            o +=
                (size_t)snprintf(awk + o, sizeof awk - o, "%s$%zu", j ? ", " : "", from[j] + 1);
        free(from);
        free(seen);
        die_at(r->name, r->line,
               "a second header, with the columns of the one on %s:%llu in another order "
               "('%s'): put that input's columns in the header's order first: awk -F'\\t' "
               "-v OFS='\\t' '{print %s}'",
               r->header_file, (unsigned long long)r->header_line, q, awk);
    }
    free(from);
    free(seen);
    if (perm)
        die_at(r->name, r->line,
               "a second header, with the columns of the one on %s:%llu in another order "
               "('%s'): put that input's columns in the header's order first (awk)",
               r->header_file, (unsigned long long)r->header_line, q);
    die_at(r->name, r->line,
           "a second header, not the one on %s:%llu ('%s', there '%s'): the inputs have "
           "other columns; run each on its own, or give them the same columns first (cut -f)",
           r->header_file, (unsigned long long)r->header_line, q,
           diag_quote(h, sizeof h, r->header, r->header_len));
}

enum { TEXT, NUMBER, TRUTH };

static int kind(const char *p, size_t n)
{
    double d;
    int t;
    if (num_parse(p, n, &d) == NULL)
        return NUMBER;
    return num_parse_truth(p, n, &t) == NULL ? TRUTH : TEXT;
}

/* The header looks like data when a field of it is a number or a truth
 * value and each of its fields is of the kind (number, truth value, other
 * text) of the field below it in the first row: a header sorted away.  (A
 * column may be named "1e5": its values are numbers, but some other column
 * then differs in kind, such as "same" above 0 and 1.) */
void tsv_check_not_data(const tsv_reader *r)
{
    int values = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        int k = kind(r->cols[i], strlen(r->cols[i]));
        if (k != kind(r->f[i].p, r->f[i].n))
            return;
        values |= k != TEXT;
    }
    if (!values)
        return;
    char q[DIAG_QUOTE_MAX];
    tsv_die_header(
        r, "line %llu looks like data, not a header: was the header sorted away? ('%s')",
        (unsigned long long)r->header_line, diag_quote(q, sizeof q, r->header, r->header_len));
}
