/* binom: binomial intervals and beta quantiles (see binom.h). */
#include "fit/binom.h"

#include <float.h>
#include <math.h>

const char *const binom_names[BINOM_N] = {"wilson", "jeffreys", "clopper-pearson"};

/* Acklam's rational approximation of the lower half (relative error 1.15e-9),
 * for 0 < p <= 0.5. */
static double acklam_lower(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                                2.445134137142996e+00, 3.754408661907416e+00};
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double binom_normal_quantile(double p)
{
    if (isnan(p))
        return p;
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    /* The lower half only: 1 - p is exact for p >= 0.5, and in the lower
     * tail Phi(x) = erfc(-x/sqrt 2)/2 keeps its relative precision. */
    double q = p > 0.5 ? 1 - p : p, x = acklam_lower(q);
    for (int i = 0; i < 2 && x != 0; i++) {
        /* Halley on Phi(x) = q; u = (Phi(x) - q)/phi(x) written as
         * (Phi/q - 1) q/phi so that phi (1e-322 at p = 1e-320) never
         * underflows nor exp(x^2/2) overflows. */
        double e = 0.5 * erfc(-x / M_SQRT2) / q - 1;
        double u = e * sqrt(2 * M_PI) * exp(x * x / 2 + log(q));
        x -= u / (1 + x * u / 2);
    }
    return p > 0.5 ? -x : x;
}

/* log1p(u) - u without the cancellation near 0: with t = u/(2 + u),
 * log1p(u) = 2 atanh(t) and u - 2t = u t, so it is -u t + 2(t^3/3 + ...). */
static double log1pmx(double u)
{
    double t = u / (2 + u);
    if (!(fabs(t) < 0.5))
        return log1p(u) - u;
    double t2 = t * t, term = t * t2, sum = 0;
    for (int k = 3; k < 200 && fabs(term) > 1e-18 * fabs(sum); k += 2) {
        sum += term / k;
        term *= t2;
    }
    return -u * t + 2 * sum;
}

/* lgamma(z) - ((z - 1/2) log z - z + log(2 pi)/2), z >= 10: Stirling's
 * series, the first omitted term below 2e-18 at z = 10. */
static double stirling_rest(double z)
{
    double r = 1 / z, r2 = r * r;
    return r * (1 / 12.0 +
                r2 * (-1 / 360.0 +
                      r2 * (1 / 1260.0 +
                            r2 * (-1 / 1680.0 +
                                  r2 * (1 / 1188.0 +
                                        r2 * (-691 / 360360.0 +
                                              r2 * (1 / 156.0 + r2 * (-3617 / 122400.0))))))));
}

/* a log(a/s) + b log(b/s) - log B(a, b), s = a + b.  lgamma(1e12) is
 * 2.6e13, so lgamma(a) + lgamma(b) - lgamma(s) would lose 1e-3; Stirling's
 * form cancels the large parts exactly.  (lgamma's arguments are positive,
 * so the signgam it writes is always 1.) */
static double beta_const(double a, double b)
{
    double s = a + b;
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (b >= 10) /* both large */
        return 0.5 * (log(b) - log1p(b / a)) - 0.5 * log(2 * M_PI) + stirling_rest(s) -
               stirling_rest(a) - stirling_rest(b);
    if (a >= 10) /* b small */
        return b * log(b) - b - lgamma(b) - 0.5 * log1p(b / a) + stirling_rest(s) -
               stirling_rest(a);
    return a * log(a / s) + b * log(b / s) - lgamma(a) - lgamma(b) + lgamma(s);
}

/* a log(x s/a) - t, t = x s - a, for u = t/a; x the exact value when u is
 * near -1 (log1p(u) would have lost x). */
static double log_term(double a, double u, double t, double x, double s)
{
    if (u > -0.5)
        return a * log1pmx(u);
    return a * (log(x) + log(s / a)) - t;
}

/* One step of Lentz's method for a term aa of the fraction, 1 + aa given
 * apart (onepa): d and c are carried with d - 1 and c - 1, since near x = 1
 * both are 1 + O(1/b) and 1 + aa d would lose the O(1/b). */
typedef struct lentz {
    double h, d, dm1, c, cm1;
} lentz;

static double lentz_step(lentz *l, double aa, double onepa)
{
    const double tiny = 1e-300;
    /* near 1, d and c are 1 + their differences (one value, no drift);
     * far from 1 the differences are not used */
    double den = fabs(l->dm1) < 0.5 ? onepa + aa * l->dm1 : 1 + aa * l->d;
    double cn = fabs(l->cm1) < 0.5 ? (l->cm1 + onepa) / l->c : 1 + aa / l->c;
    den = fabs(den) < tiny ? tiny : den;
    l->dm1 = -aa * l->d / den;
    l->d = fabs(l->dm1) < 0.5 ? 1 + l->dm1 : 1 / den;
    l->cm1 = aa / l->c;
    cn = fabs(cn) < tiny ? tiny : cn;
    l->c = fabs(l->cm1) < 0.5 ? 1 + l->cm1 : cn;
    l->h *= l->d * l->c;
    if (fabs(l->dm1) < 1e-3 && fabs(l->cm1) < 1e-3)
        return l->dm1 + l->cm1 + l->dm1 * l->cm1;
    return l->d * l->c - 1;
}

/* The continued fraction of I_x(a, b) (Numerical Recipes' betacf), x <
 * (a + 1)/(s + 2), xc = 1 - x; O(sqrt(max(a, b))) terms near the mean.
 * When x > 1/2 it was rounded from an exact xc (a tiny upper tail of a
 * large b), so 1 - N x/D is taken as ((D - N) + N xc)/D, D - N expanded. */
static double beta_cf(double a, double b, double x, double xc, double s)
{
    int comp = x > 0.5;
    double d0 = comp ? (1 - b + s * xc) / (a + 1) : 1 - s * x / (a + 1);
    lentz l = {.c = 1, .cm1 = 0};
    l.d = 1 / (fabs(d0) < 1e-300 ? 1e-300 : d0);
    l.dm1 = s * x / (a + 1) * l.d;
    l.h = l.d;
    double cap = 1000 + 50 * sqrt(a > b ? a : b);
    for (double m = 1; m <= cap; m++) {
        double m2 = 2 * m, dn = (a - 1 + m2) * (a + m2);
        double aa = m * (b - m) * x / dn;
        lentz_step(&l, aa, 1 + aa);
        double n = (a + m) * (s + m);
        dn = (a + m2) * (a + 1 + m2);
        aa = -n * x / dn;
        double onepa = comp ? (a * (m2 + 1 - b) + m * (3 * m + 2 - b) + n * xc) / dn : 1 + aa;
        if (fabs(lentz_step(&l, aa, onepa)) <= DBL_EPSILON)
            break;
    }
    return l.h;
}

/* I_x(a, b) and 1 - I_x(a, b) as logs, *lp and *lq, for 0 < x < 1 (y = 1 - x,
 * exact when x >= 0.5), and *lk the log of x^a y^b / B(a, b); the smaller
 * tail is computed directly, the other as its complement. */
static void beta_inc(double x, double a, double b, double *lp, double *lq, double *lk)
{
    double s = a + b, y = 1 - x;
    /* t = x s - a = b - y s, from the exact one of x and y */
    double t = x <= 0.5 ? fma(x, s, -a) : -fma(y, s, -b);
    *lk = beta_const(a, b) + log_term(a, t / a, t, x, s) + log_term(b, -t / b, -t, y, s);
    if (x < (a + 1) / (s + 2)) {
        *lp = *lk + log(beta_cf(a, b, x, y, s)) - log(a);
        *lq = log1p(-exp(*lp));
    } else {
        *lq = *lk + log(beta_cf(b, a, y, x, s)) - log(b);
        *lp = log1p(-exp(*lq));
    }
}

double binom_beta_cdf(double x, double a, double b)
{
    if (isnan(x) || !(a > 0) || !(b > 0))
        return NAN;
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lp, lq, lk;
    beta_inc(x, a, b, &lp, &lq, &lk);
    return exp(lp);
}

/* A point strictly inside (lo, hi): the geometric middle of x (or of 1 - x)
 * while the bracket spans orders of magnitude, else the middle. */
static double split(double lo, double hi)
{
    double m;
    if (hi <= 0.5 && hi > 8 * lo)
        m = sqrt(lo > 0 ? lo : DBL_TRUE_MIN) * sqrt(hi);
    else if (lo >= 0.5 && 1 - lo > 8 * (1 - hi))
        m = 1 - sqrt(1 - lo) * sqrt(1 - hi > 0 ? 1 - hi : DBL_EPSILON / 4);
    else
        m = lo + (hi - lo) / 2;
    return m > lo && m < hi ? m : lo + (hi - lo) / 2;
}

/* A first guess: the normal approximation when both shapes are large, else
 * the tail's power law I_x ~ x^a/(a B(a, b)). */
static double beta_guess(double p, double a, double b)
{
    double s = a + b, lb = lgamma(a) + lgamma(b) - lgamma(s);
    if (a > 5 && b > 5) {
        double x = a / s + binom_normal_quantile(p) * sqrt(a * b / (s + 1)) / s;
        if (x > 0 && x < 1)
            return x;
    }
    if (p <= 0.5)
        return exp((log(p) + log(a) + lb) / a);
    return -expm1((log1p(-p) + log(b) + lb) / b);
}

double binom_beta_quantile(double p, double a, double b)
{
    if (isnan(p) || !(a > 0) || !(b > 0))
        return NAN;
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    if (a == 1) /* I_x(1, b) = 1 - (1 - x)^b */
        return -expm1(log1p(-p) / b);
    if (b == 1) /* I_x(a, 1) = x^a */
        return exp(log(p) / a);
    /* Newton on the log of the smaller tail, bracketed: the root stays in
     * (lo, hi), and a step that leaves it is replaced by a split. */
    int upper = p > 0.5;
    double target = upper ? log1p(-p) : log(p), sg = upper ? -1 : 1;
    double lo = 0, hi = 1, x = beta_guess(p, a, b);
    if (!(x > lo && x < hi))
        x = 0.5;
    for (int it = 0; it < 400; it++) {
        double lp, lq, lk, y = 1 - x;
        beta_inc(x, a, b, &lp, &lq, &lk);
        double lt = upper ? lq : lp, g = lt - target;
        if (g == 0)
            return x;
        if (sg * g > 0)
            hi = x;
        else
            lo = x;
        /* d log(tail)/d log x = +-x f(x)/tail, f = e^lk/(x y); the step in
         * log x below the middle, in log(1 - x) above it */
        double xn;
        if (x <= 0.5)
            xn = x * exp(-sg * g * exp(lt + log(y) - lk));
        else
            xn = 1 - y * exp(sg * g * exp(lt + log(x) - lk));
        if (!(xn > lo && xn < hi))
            xn = split(lo, hi);
        if (fabs(xn - x) <= 2e-15 * xn || hi - lo <= 2e-15 * hi || hi <= 1e-300)
            return xn;
        x = xn;
    }
    return x;
}

void binom_interval(binom_method m, uint64_t k, uint64_t n, double level, double *lo,
                    double *hi)
{
    *lo = 0;
    *hi = 1;
    if (!(level > 0 && level < 1) || k > n) {
        *lo = *hi = NAN;
        return;
    }
    if (n == 0)
        return;
    double alpha = 1 - level, kd = (double)k, nd = (double)n;
    switch (m) {
    case BINOM_WILSON: {
        double z = binom_normal_quantile(1 - alpha / 2), z2 = z * z;
        double c = kd + z2 / 2, r = z * sqrt(kd * ((nd - kd) / nd) + z2 / 4);
        /* lo by (c - r)(c + r) = k^2 (n + z^2)/n: no cancellation at k << n */
        *lo = kd * kd / (nd * (c + r));
        if (k < n)
            *hi = (c + r) / (nd + z2);
        break;
    }
    case BINOM_JEFFREYS:
        if (k > 0)
            *lo = binom_beta_quantile(alpha / 2, kd + 0.5, nd - kd + 0.5);
        if (k < n)
            *hi = binom_beta_quantile(1 - alpha / 2, kd + 0.5, nd - kd + 0.5);
        break;
    case BINOM_CLOPPER_PEARSON:
        if (k > 0)
            *lo = binom_beta_quantile(alpha / 2, kd, nd - kd + 1);
        if (k < n)
            *hi = binom_beta_quantile(1 - alpha / 2, kd + 1, nd - kd);
        break;
    default:
        *lo = *hi = NAN;
    }
}

double binom_cp_upper(uint64_t k, uint64_t n, double level)
{
    if (!(level > 0 && level < 1) || k > n)
        return NAN;
    if (k >= n)
        return 1;
    return binom_beta_quantile(level, (double)k + 1, (double)(n - k));
}
