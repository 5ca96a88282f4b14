/* calib: Platt, isotonic and Venn-Abers fitted on a column's counts (see
 * calib.h). */
#include "fit/calib.h"
#include "common/diag.h"
#include "fit/fit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

__extension__ typedef unsigned __int128 u128;

/* ---- isotonic ---- */

/* a_s / a_n < b_s / b_n, exactly (n > 0). */
static int ratio_less(uint64_t a_s, uint64_t a_n, uint64_t b_s, uint64_t b_n)
{
    return (u128)a_s * b_n < (u128)b_s * a_n;
}

void calib_fit_isotonic(const counts_entry *e, size_t k, calib_curve *c)
{
    /* Pool-adjacent-violators: blocks of consecutive distances, each with
     * its exact sums; a block whose mean exceeds its left neighbour's
     * (p must not increase with d) merges into it.  Exact sums make the
     * result independent of the order of the merges. */
    uint64_t *bn = xmalloc(k * sizeof *bn), *bs = xmalloc(k * sizeof *bs);
    size_t *bend = xmalloc(k * sizeof *bend); /* one past the block's last entry */
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        bn[m] = e[i].n;
        bs[m] = e[i].n_same;
        bend[m] = i + 1;
        m++;
        while (m > 1 && ratio_less(bs[m - 2], bn[m - 2], bs[m - 1], bn[m - 1])) {
            bn[m - 2] += bn[m - 1];
            bs[m - 2] += bs[m - 1];
            bend[m - 2] = bend[m - 1];
            m--;
        }
    }
    double *y = xmalloc(k * sizeof *y);
    for (size_t b = 0, i = 0; b < m; b++) {
        double v = (double)bs[b] / (double)bn[b]; /* one division a block */
        for (; i < bend[b]; i++)
            y[i] = v;
    }
    free(bn);
    free(bs);
    free(bend);
    /* The knots as scikit-learn keeps them (_build_y, trim_duplicates):
     * the first, the last, and each point whose p differs from a
     * neighbour's. */
    c->x = xmalloc(k * sizeof *c->x);
    c->p = xmalloc(k * sizeof *c->p);
    c->p0 = c->p1 = NULL;
    c->n = 0;
    for (size_t i = 0; i < k; i++) {
        if (i == 0 || i == k - 1 || y[i] != y[i - 1] || y[i] != y[i + 1]) {
            c->x[c->n] = e[i].value;
            c->p[c->n] = y[i];
            c->n++;
        }
    }
    free(y);
}

/* ---- Venn-Abers ----
 *
 * Work in the order of the score -d (the distances descending), where the
 * fit is non-decreasing: the isotonic fit is then the slope of the greatest
 * convex minorant of the cumulative sum diagram P_i = (W_i, S_i), the rows
 * and same-person rows of the first i points.  A test point of label y
 * added in the gap before point g splits the diagram into the prefix
 * P_0..P_g and the suffix P_g..P_k shifted by (1, y); pooled with point q,
 * into P_0..P_q and P_{q+1}..P_k shifted.  Either way the prefix lies left
 * of the suffix, so the minorant over the test point's interval is the
 * bridge of their two lower hulls, and its slope is the test point's fit.
 * Prefix hulls grow left to right on a stack; suffix hulls are built right
 * to left once, each push logged with what it overwrote, then undone to
 * visit them left to right.  The bridge: a binary search over the prefix
 * hull, each step a binary search for the tangent to the suffix hull;
 * O(k log^2 k) in all, O(k) memory.  Slopes are never negative (S does not
 * decrease with W), so every comparison is of unsigned 128-bit products.
 * (The shift by one row assumes fewer than 2^64 - 1 rows in all.) */

typedef struct va_diagram {
    const uint64_t *w, *s; /* P_i = (w[i], s[i]), i = 0..k */
    const size_t *lo;      /* the prefix hull, left to right: lo[0..nlo) */
    size_t nlo;
    const size_t *hi; /* the suffix hull, right to left: hi[0..nhi) */
    size_t nhi;
    uint64_t y; /* the test point's label: the suffix's shift (1, y) */
} va_diagram;

/* slope(a, b) < slope(c, d) for dx > 0, as products of differences. */
static int slope_less(uint64_t ady, uint64_t adx, uint64_t cdy, uint64_t cdx)
{
    return (u128)ady * cdx < (u128)cdy * adx;
}

/* A lower hull may keep b between a and c (x ascending) only when it
 * turns up there: slope(a, b) < slope(b, c). */
static int turns_up(const uint64_t *w, const uint64_t *s, size_t a, size_t b, size_t c)
{
    return slope_less(s[b] - s[a], w[b] - w[a], s[c] - s[b], w[c] - w[b]);
}

/* The suffix hull's t-th vertex from the left. */
static size_t hi_at(const va_diagram *g, size_t t)
{
    return g->hi[g->nhi - 1 - t];
}

/* From prefix point a to the shifted suffix point b: (dx, dy). */
static void cross_gap(const va_diagram *g, size_t a, size_t b, uint64_t *dx, uint64_t *dy)
{
    *dx = g->w[b] + 1 - g->w[a];
    *dy = g->s[b] + g->y - g->s[a];
}

/* The suffix hull vertex of least slope from prefix point a: the first t
 * whose next edge is at least as steep as the line from a to it. */
static size_t tangent_from(const va_diagram *g, size_t a)
{
    size_t lo = 0, hi = g->nhi - 1;
    while (lo < hi) {
        size_t t = lo + (hi - lo) / 2;
        size_t b = hi_at(g, t), b1 = hi_at(g, t + 1);
        uint64_t dx, dy;
        cross_gap(g, a, b, &dx, &dy);
        if (!slope_less(g->s[b1] - g->s[b], g->w[b1] - g->w[b], dy, dx))
            hi = t;
        else
            lo = t + 1;
    }
    return hi_at(g, lo);
}

/* The bridge's slope, rows over rows: the first prefix hull vertex whose
 * next edge is no less steep than its tangent to the suffix hull. */
static double bridge_slope(const va_diagram *g)
{
    size_t lo = 0, hi = g->nlo - 1;
    while (lo < hi) {
        size_t s = lo + (hi - lo) / 2;
        size_t a = g->lo[s], a1 = g->lo[s + 1], b = tangent_from(g, a);
        uint64_t dx, dy;
        cross_gap(g, a, b, &dx, &dy);
        if (!slope_less(g->s[a1] - g->s[a], g->w[a1] - g->w[a], dy, dx))
            hi = s;
        else
            lo = s + 1;
    }
    uint64_t dx, dy;
    cross_gap(g, g->lo[lo], tangent_from(g, g->lo[lo]), &dx, &dy);
    return (double)dy / (double)dx;
}

/* The test point's fit with label 0 and 1 into p0[r], p1[r]. */
static void va_region(va_diagram *g, double *p0, double *p1, size_t r)
{
    g->y = 0;
    p0[r] = bridge_slope(g);
    g->y = 1;
    p1[r] = bridge_slope(g);
}

/* Drop each knot whose regions before, at and after it agree in p0 and
 * p1 (the region before may itself be merged), keeping at least one. */
static void va_compact(calib_curve *c)
{
    size_t m = 0, n = c->n;
    for (size_t j = 0; j < n; j++) {
        double q0 = c->p0[2 * j + 1], q1 = c->p1[2 * j + 1];
        double a0 = c->p0[2 * j + 2], a1 = c->p1[2 * j + 2];
        double b0 = c->p0[2 * m], b1 = c->p1[2 * m]; /* the region before, as kept */
        int same = b0 == q0 && q0 == a0 && b1 == q1 && q1 == a1;
        if (same && !(j == n - 1 && m == 0))
            continue;
        c->x[m] = c->x[j];
        c->p0[2 * m + 1] = q0;
        c->p1[2 * m + 1] = q1;
        c->p0[2 * m + 2] = a0;
        c->p1[2 * m + 2] = a1;
        m++;
    }
    c->n = m;
}

void calib_fit_venn_abers(const counts_entry *e, size_t k, calib_curve *c)
{
    /* The diagram in the score's order: point i is e[k - 1 - i]. */
    uint64_t *w = xmalloc((k + 1) * sizeof *w), *s = xmalloc((k + 1) * sizeof *s);
    w[0] = s[0] = 0;
    for (size_t i = 0; i < k; i++) {
        w[i + 1] = w[i] + e[k - 1 - i].n;
        s[i + 1] = s[i] + e[k - 1 - i].n_same;
    }
    size_t *lo = xmalloc((k + 1) * sizeof *lo), *hi = xcalloc(k + 1, sizeof *hi);
    /* undo log of the suffix pushes: the slot written, what it held (past
     * the hull's end too: a vertex popped there returns with a later
     * undo), the hull's size before the push */
    size_t *u_slot = xmalloc((k + 1) * sizeof *u_slot);
    size_t *u_old = xmalloc((k + 1) * sizeof *u_old);
    size_t *u_size = xmalloc((k + 1) * sizeof *u_size);
    size_t nhi = 0;
    for (size_t i = k + 1; i-- > 0;) {
        size_t before = nhi;
        while (nhi >= 2 && !turns_up(w, s, i, hi[nhi - 1], hi[nhi - 2]))
            nhi--;
        u_slot[i] = nhi;
        u_old[i] = hi[nhi];
        u_size[i] = before;
        hi[nhi++] = i;
    }
    c->n = k;
    c->x = xmalloc(k * sizeof *c->x);
    c->p = NULL;
    c->p0 = xmalloc((2 * k + 1) * sizeof *c->p0);
    c->p1 = xmalloc((2 * k + 1) * sizeof *c->p1);
    for (size_t j = 0; j < k; j++)
        c->x[j] = e[j].value;
    va_diagram g = {.w = w, .s = s, .lo = lo, .hi = hi};
    size_t nlo = 0;
    /* Region rho in the score's order (gap g: 2g, pooled q: 2q + 1) is
     * region 2k - rho of the distances'. */
    for (size_t i = 0; i <= k; i++) {
        while (nlo >= 2 && !turns_up(w, s, lo[nlo - 2], lo[nlo - 1], i))
            nlo--;
        lo[nlo++] = i;
        g.nlo = nlo;
        g.nhi = nhi; /* the suffix from P_i */
        va_region(&g, c->p0, c->p1, 2 * k - 2 * i);
        if (i == k)
            break;
        /* undo the push of P_i: the suffix from P_{i+1} */
        hi[u_slot[i]] = u_old[i];
        nhi = u_size[i];
        g.nhi = nhi;
        va_region(&g, c->p0, c->p1, 2 * k - 2 * i - 1);
    }
    free(w);
    free(s);
    free(lo);
    free(hi);
    free(u_slot);
    free(u_old);
    free(u_size);
    va_compact(c);
}

/* ---- Platt ---- */

logreg_result calib_fit_platt(const counts_entry *e, size_t k, double *w, double *b)
{
    /* Lin, Lin and Weng's targets; each distance becomes a point of each
     * label, weighted by the rows' share of that label, which is the same
     * objective as the soft targets. */
    uint64_t pos = 0, neg = 0;
    double dmax = 0;
    for (size_t i = 0; i < k; i++) {
        pos += e[i].n_same;
        neg += e[i].n - e[i].n_same;
        dmax = fmax(dmax, fabs(e[i].value));
    }
    double t_pos = ((double)pos + 1) / ((double)pos + 2), t_neg = 1 / ((double)neg + 2);
    double *d = xmalloc(2 * k * sizeof *d), *wgt = xmalloc(2 * k * sizeof *wgt);
    unsigned char *y = xmalloc(2 * k);
    for (size_t i = 0; i < k; i++) {
        double ns = (double)e[i].n_same, nd = (double)(e[i].n - e[i].n_same);
        d[2 * i] = d[2 * i + 1] = e[i].value;
        y[2 * i] = 1;
        wgt[2 * i] = ns * t_pos + nd * t_neg;
        y[2 * i + 1] = 0;
        wgt[2 * i + 1] = ns * (1 - t_pos) + nd * (1 - t_neg);
    }
    /* x = d scale, |x| in [1/2, 1) at most, scale a power of two (exact),
     * whatever the magnitude of the distances, up or down: the optimiser's
     * own mapping of x squares its half-range, which underflows for
     * distances near 1e-160.  C infinite: no penalty. */
    double scale = dmax > 0 && isfinite(dmax) ? ldexp(1, -(ilogb(dmax) + 1)) : 1;
    if (!isfinite(scale)) { /* subnormal distances: no double scales them */
        free(d);
        free(wgt);
        free(y);
        *w = *b = NAN;
        return (logreg_result){.w = NAN, .b = NAN, .converged = 1};
    }
    logreg_result r = logreg_fit(d, scale, y, wgt, 2 * k, INFINITY, 0);
    free(d);
    free(wgt);
    free(y);
    *w = r.w * scale;
    *b = r.b;
    return r;
}
