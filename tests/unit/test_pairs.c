/* Unit tests for lib/pairs/pairs.c and lib/pairs/sample.c: the cursor's jumps agree
 * with a plain enumeration, counts are exact, the sample is uniform. */
#include "common/diag.h"
#include "pairs/pairs.h"
#include "pairs/sample.h"
#include "unit.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

static jmp_buf jmp;
static void on_fail(int status)
{
    (void)status;
    longjmp(jmp, 1);
}

/* 1 if counting the pairs of s is the "too many pairs" error. */
static int count_overflows(const ids *s, int negative)
{
    if (setjmp(jmp))
        return 1;
    (void)(negative ? pairs_negative_count(s) : pairs_positive_count(s));
    return 0;
}

/* An identities set with the given sizes; items named by number. */
static ids *make_ids(const size_t *sizes, size_t n)
{
    ids *s = calloc(1, sizeof *s);
    s->nids = n;
    s->start = calloc(n + 1, sizeof *s->start);
    for (size_t k = 0; k < n; k++)
        s->start[k + 1] = s->start[k] + sizes[k];
    s->nitems = s->start[n];
    return s;
}

static void free_ids(ids *s)
{
    free(s->start);
    free(s);
}

/* Every pair of a kind by nested loops, as item index pairs. */
static size_t enumerate(const ids *s, int negative, size_t (*res)[2], size_t cap)
{
    size_t n = 0;
    for (size_t I = 0; I < s->nids; I++) {
        if (!negative) {
            for (size_t i = s->start[I]; i < s->start[I + 1]; i++)
                for (size_t j = i + 1; j < s->start[I + 1]; j++)
                    if (n < cap) {
                        res[n][0] = i;
                        res[n++][1] = j;
                    }
            continue;
        }
        for (size_t J = I + 1; J < s->nids; J++)
            for (size_t i = s->start[I]; i < s->start[I + 1]; i++)
                for (size_t j = s->start[J]; j < s->start[J + 1]; j++)
                    if (n < cap) {
                        res[n][0] = i;
                        res[n++][1] = j;
                    }
    }
    return n;
}

int main(void)
{
    static const size_t sizes[] = {3, 0, 1, 5, 2, 0, 0, 4, 1};
    ids *s = make_ids(sizes, sizeof sizes / sizeof sizes[0]);
    static size_t want[4096][2];

    for (int negative = 0; negative <= 1; negative++) {
        size_t n = enumerate(s, negative, want, 4096);
        uint64_t count = negative ? pairs_negative_count(s) : pairs_positive_count(s);
        UNIT_OK(count == n, "%s count %zu", negative ? "negative" : "positive", n);
        int bad = 0;
        for (uint64_t step = 1; step <= n + 2; step++) {
            for (uint64_t first = 0; first < step && first <= n; first++) {
                pair_cursor c;
                pair_cursor_init(&c, s, negative);
                pair_cursor_advance(&c, first);
                for (uint64_t k = first; k < n; k += step) {
                    if (c.done || pair_item_a(&c) != want[k][0] || pair_item_b(&c) != want[k][1])
                        bad++;
                    pair_cursor_advance(&c, step);
                }
                if (!c.done)
                    bad++;
                pair_cursor_free(&c);
            }
        }
        UNIT_OK(bad == 0, "%s: every jump of every length lands where enumeration does",
                negative ? "negatives" : "positives");
    }
    free_ids(s);

    static const size_t none[] = {1, 1, 0};
    s = make_ids(none, 3);
    pair_cursor c;
    pair_cursor_init(&c, s, 0);
    UNIT_OK(c.done, "no identity with two items: no positives");
    pair_cursor_free(&c);
    UNIT_OK(pairs_negative_count(s) == 1, "two singletons make one negative");
    free_ids(s);

    static const size_t big[] = {100000, 100000, 100000};
    s = make_ids(big, 3);
    UNIT_OK(pairs_positive_count(s) == 3 * (uint64_t)4999950000, "positives of 3 x 1e5 items");
    UNIT_OK(pairs_negative_count(s) == 3 * (uint64_t)10000000000, "negatives of 3 x 1e5 items");
    pair_cursor_init(&c, s, 1);
    pair_cursor_advance(&c, 3 * (uint64_t)10000000000 - 1);
    UNIT_OK(!c.done && pair_item_a(&c) == 199999 && pair_item_b(&c) == 299999,
            "a jump past 2^32 lands on the last negative");
    pair_cursor_advance(&c, 1);
    UNIT_OK(c.done, "and one more is past the end");
    pair_cursor_free(&c);
    free_ids(s);

    /* Random shapes (many singletons and empty identities among larger
     * ones), random walks of short and long jumps: the cursor lands where
     * the nested loops do, every time. */
    {
        static size_t want2[20000][2];
        rng g;
        rng_seed(&g, 7);
        int wrong = 0, walks = 0;
        for (int shape = 0; shape < 300; shape++) {
            size_t nid = 1 + (size_t)rng_below(&g, 40), sz[40];
            uint64_t kind = rng_below(&g, 4);
            for (size_t k = 0; k < nid; k++)
                sz[k] = kind == 0   ? 1
                        : kind == 1 ? (size_t)rng_below(&g, 2)
                        : kind == 2 ? (size_t)rng_below(&g, 4)
                                    : (rng_below(&g, 5) == 0 ? 5 + (size_t)rng_below(&g, 12)
                                                             : (size_t)rng_below(&g, 3));
            ids *t = make_ids(sz, nid);
            for (int negative = 0; negative <= 1; negative++) {
                size_t n = enumerate(t, negative, want2, 20000);
                if (n >= 20000)
                    continue;
                for (int walk = 0; walk < 20; walk++, walks++) {
                    pair_cursor w;
                    pair_cursor_init(&w, t, negative);
                    uint64_t k = 0;
                    for (;;) {
                        if (k >= n) {
                            wrong += !w.done;
                            break;
                        }
                        if (w.done || pair_item_a(&w) != want2[k][0] ||
                            pair_item_b(&w) != want2[k][1] || w.index != k) {
                            wrong++;
                            break;
                        }
                        uint64_t step = rng_below(&g, 3) == 0 ? rng_below(&g, n + 2)
                                                              : rng_below(&g, 4);
                        pair_cursor_advance(&w, step);
                        k += step;
                    }
                    pair_cursor_free(&w);
                }
            }
            free_ids(t);
        }
        UNIT_OK(wrong == 0, "%d random walks over 300 random shapes land where enumeration does",
                walks);
    }

    /* 10^5 identities of one item: a jump anywhere is found by search, and
     * lands on the pair (I, J) of the formula. */
    {
        enum { NS = 100000 };
        static size_t ones[NS];
        for (size_t k = 0; k < NS; k++)
            ones[k] = 1;
        ids *t = make_ids(ones, NS);
        rng g;
        rng_seed(&g, 11);
        int wrong = 0;
        uint64_t total = pairs_negative_count(t);
        for (int k = 0; k < 2000; k++) {
            uint64_t want_i = rng_below(&g, NS - 1), want_j = want_i + 1 + rng_below(&g, NS - 1 - want_i);
            /* rows before want_i: sum over I < want_i of NS - 1 - I */
            uint64_t idx = want_i * (NS - 1) - want_i * (want_i - 1) / 2 + (want_j - want_i - 1);
            pair_cursor w;
            pair_cursor_init(&w, t, 1);
            pair_cursor_advance(&w, idx);
            wrong += w.done || pair_item_a(&w) != want_i || pair_item_b(&w) != want_j;
            pair_cursor_advance(&w, total - 1 - idx);
            wrong += w.done || pair_item_a(&w) != NS - 2 || pair_item_b(&w) != NS - 1;
            pair_cursor_advance(&w, 1);
            wrong += !w.done;
            pair_cursor_free(&w);
        }
        UNIT_OK(wrong == 0, "10^5 singletons: 2000 random jumps land on the right pair");
        free_ids(t);
    }

    /* More than 2^64 pairs is an error, not a wrapped count. */
    diag_init("test_pairs");
    diag_set_fail_hook(on_fail);
    static const size_t huge[] = {(size_t)1 << 33, (size_t)1 << 33};
    s = make_ids(huge, 2);
    UNIT_OK(count_overflows(s, 1), "2^33 x 2^33 negatives: too many pairs");
    UNIT_OK(count_overflows(s, 0), "2^33 items in one identity: too many pairs");
    free_ids(s);
    static const size_t fits[] = {(size_t)1 << 31, (size_t)1 << 31};
    s = make_ids(fits, 2);
    UNIT_OK(!count_overflows(s, 1) && pairs_negative_count(s) == (uint64_t)1 << 62,
            "2^31 x 2^31 negatives: 2^62, counted exactly");
    free_ids(s);
    diag_set_fail_hook(NULL);

    /* Sampling: n of N, in order, distinct, all of them when n = N; and
     * uniform (each record, and the first index's distribution). */
    rng r;
    rng_seed(&r, 42);
    int bad = 0;
    for (uint64_t N = 1; N <= 40; N++)
        for (uint64_t n = 0; n <= N; n++) {
            sampler sm;
            sampler_init(&sm, &r, N, n);
            uint64_t pos = 0, taken = 0;
            while (sm.n > 0) {
                pos += sampler_skip(&sm) + 1;
                taken++;
            }
            if (taken != n || pos > N)
                bad++;
        }
    UNIT_OK(bad == 0, "every n of N up to 40: n records, within range");

    enum { NREC = 1000, NSAMP = 10, TRIALS = 20000 };
    static unsigned hits[NREC], first[NREC];
    for (int t = 0; t < TRIALS; t++) {
        sampler sm;
        sampler_init(&sm, &r, NREC, NSAMP);
        uint64_t pos = 0;
        int k = 0;
        while (sm.n > 0) {
            pos += sampler_skip(&sm);
            if (k++ == 0)
                first[pos]++;
            hits[pos]++;
            pos++;
        }
    }
    double chi = 0, expect = (double)TRIALS * NSAMP / NREC;
    for (int i = 0; i < NREC; i++)
        chi += (hits[i] - expect) * (hits[i] - expect) / expect;
    UNIT_OK(chi < NREC + 6 * sqrt(2.0 * NREC), "method D: each record equally likely (chi2 %.0f, df %d)",
            chi, NREC - 1);
    /* P(first = k) = C(N-1-k, n-1) / C(N, n); bins of 20 records */
    double chi2 = 0;
    int bins = 0;
    for (int lo = 0; lo < NREC; lo += 20) {
        double p = 0, obs = 0;
        for (int k = lo; k < lo + 20; k++) {
            double lp = lgamma(NREC - k) - lgamma(NSAMP) - lgamma(NREC - k - NSAMP + 1) -
                        (lgamma(NREC + 1) - lgamma(NSAMP + 1) - lgamma(NREC - NSAMP + 1));
            if (NREC - 1 - k >= NSAMP - 1)
                p += exp(lp);
            obs += first[k];
        }
        if (p * TRIALS < 5)
            continue;
        chi2 += (obs - p * TRIALS) * (obs - p * TRIALS) / (p * TRIALS);
        bins++;
    }
    UNIT_OK(chi2 < bins + 6 * sqrt(2.0 * bins), "method D: the first index has the right law (chi2 %.1f, %d bins)",
            chi2, bins);

    /* A huge population: O(n) work, in range, increasing. */
    sampler sm;
    sampler_init(&sm, &r, (uint64_t)5e9, 1000);
    uint64_t pos = 0, last = 0;
    bad = 0;
    for (int k = 0; sm.n > 0; k++) {
        pos += sampler_skip(&sm) + (k > 0);
        if (k > 0 && pos <= last)
            bad++;
        last = pos;
    }
    UNIT_OK(bad == 0 && pos < (uint64_t)5e9, "1000 of 5e9: increasing and in range");
    return unit_done();
}
