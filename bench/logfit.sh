#!/usr/bin/env bash
# bench/logfit.sh BINDIR: logfit against its Python peer (pandas read_csv +
# scikit-learn LogisticRegression() per column + the denorm values), on
# 10^7 generated rows with four distance columns, in the same run, and
# against the limits, `wc -l` and `cat > /dev/null` of the same file.  The
# fits are compared first (w and b side by side); then logfit at -j 1 and
# at its default -j (when it takes --jobs) and the limits BENCH_RUNS times,
# the peer BENCH_SLOW_RUNS times (a minute at 10^7 rows): medians, peak
# RSS, recorded in $BENCH_OUT for bench/run.sh's summary.
#
#   bash bench/logfit.sh build/bin            (ROWS=1000000 for a quick run)
#
# The data (bench/data/logfit-ROWS.tsv, about 70 bytes a row) is made once
# by a small C generator, reproducibly (fixed seed), with the columns of
# `pairgen | pairdist -m all`: a b same cosine euclidean euclidean_l2 angular.
set -euo pipefail
. "$(dirname "$0")/common.sh"
# shellcheck disable=SC2034 # common.sh reads it
BENCH_NAME=logfit
BIN=$(cd "${1:-build/bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/bench/data"
ROWS=${ROWS:-10000000}
PY=/usr/bin/python3
mkdir -p "$DATA"
TSV="$DATA/logfit-$ROWS.tsv"

if [ ! -s "$TSV" ]; then
    cat >"$DATA/logfit-gen.c" <<'EOF'
/* ROWS pairs: 10% same; cosine ~ N(0.35, 0.12) for same, N(0.85, 0.15) for
 * different, in [0, 2]; euclidean_l2 = sqrt(2 cosine); euclidean = 11.5
 * euclidean_l2 (1 + 2% noise); angular = acos(1 - cosine) / pi; 6 decimals
 * as pairdist prints them.  xorshift64* and Box-Muller: reproducible. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
static uint64_t s = 0x9E3779B97F4A7C15u;
static double unif(void)
{
    s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
    return ((s * 0x2545F4914F6CDD1Du) >> 11) * 0x1p-53;
}
static double gauss(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u + 0x1p-60)) * cos(6.283185307179586 * v);
}
static char *fix6(char *p, double v)
{
    long long k = llround(v * 1e6);
    p += sprintf(p, "%lld.", k / 1000000);
    long long f = k % 1000000;
    for (long long d = 100000; d > 0; d /= 10)
        *p++ = (char)('0' + f / d % 10);
    *p++ = '\t';
    return p;
}
int main(int argc, char **argv)
{
    long long n = atoll(argv[1]);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("a\tb\tsame\tcosine\teuclidean\teuclidean_l2\tangular\n", stdout);
    char line[256];
    for (long long i = 0; i < n; i++) {
        int same = unif() < 0.1;
        double c = same ? 0.35 + 0.12 * gauss() : 0.85 + 0.15 * gauss();
        c = c < 0 ? 0 : c > 2 ? 2 : c;
        double l2 = sqrt(2 * c);
        double eu = 11.5 * l2 * (1 + 0.02 * gauss());
        double an = acos(1 - c) / 3.141592653589793;
        char *p = line + sprintf(line, "img%lld.jpg\timg%lld.jpg\t%d\t", i % 100003,
                                 (i * 7919) % 100019, same);
        p = fix6(p, c);
        p = fix6(p, eu < 0 ? 0 : eu);
        p = fix6(p, l2);
        p = fix6(p, an);
        p[-1] = '\n';
        fwrite(line, 1, (size_t)(p - line), stdout);
    }
    return fflush(stdout) != 0;
}
EOF
    cc -O2 -o "$DATA/logfit-gen" "$DATA/logfit-gen.c" -lm
    echo "generating $ROWS rows..." >&2
    "$DATA/logfit-gen" "$ROWS" >"$TSV.tmp"
    mv "$TSV.tmp" "$TSV"
fi

cat >"$DATA/logfit-peer.py" <<'EOF'
import sys
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

thresholds = {"cosine": 0.40, "euclidean": 10, "euclidean_l2": 0.80, "angular": 0.33}
df = pd.read_csv(sys.argv[1], sep="\t", usecols=["same"] + list(thresholds))
out = {}
for metric, t in thresholds.items():
    d = df[metric].to_numpy()
    y = (d <= t).astype(int)
    norm = d.max()
    x = d / norm if norm > 1 else d
    lr = LogisticRegression().fit(x.reshape(-1, 1), y)
    w, b = lr.coef_[0][0], lr.intercept_[0]
    p = 100 / (1 + np.exp(-(w * x + b)))
    out[metric] = dict(w=w, b=b, normalizer=norm, denorm_max_true=p[y == 1].max(),
                       denorm_min_true=p[y == 1].min(), denorm_max_false=p[y == 0].max(),
                       denorm_min_false=p[y == 0].min())
for metric, v in out.items():
    print(metric, " ".join(f"{k}={v[k]!r}" for k in ("w", "b", "normalizer")))
EOF

echo "logfit bench: $ROWS rows, 4 distance columns ($(du -h "$TSV" | cut -f1) of TSV), --model Facenet"
have_peer=0
bench_have_python numpy pandas sklearn && have_peer=1

# The fits agree to scikit-learn's tolerance (lbfgs stops at tol 1e-4).
"$BIN/logfit" --model Facenet "$TSV" >"$DATA/out.logfit"
if [ $have_peer = 1 ]; then
    "$PY" "$DATA/logfit-peer.py" "$TSV" >"$DATA/out.peer"
    echo "  w, b (logfit | scikit-learn):"
    awk '
        FNR == NR { if ($1 ~ /^(cosine|euclidean|euclidean_l2|angular):$/) m = substr($1, 1, length($1) - 1)
                    else if ($1 == "w:" || $1 == "b:") v[m, substr($1, 1, 1)] = $2; next }
        { split($2, w, "="); split($3, b, "=")
          printf "    %-13s w %.6f | %.6f   b %.6f | %.6f\n", $1, v[$1, "w"], w[2], v[$1, "b"], b[2] }
    ' "$DATA/out.logfit" "$DATA/out.peer"
fi
rm -f "$DATA/out.logfit" "$DATA/out.peer"

bench_limits "$TSV"
J=$(bench_jobs logfit)
if [ -n "$J" ]; then
    bench_median "$BENCH_RUNS" "logfit -j 1" "$BIN/logfit" -j 1 --model Facenet "$TSV"
    BENCH_NOTE="default -j $J" bench_median "$BENCH_RUNS" logfit "$BIN/logfit" --model Facenet "$TSV"
else
    BENCH_NOTE="no --jobs" bench_median "$BENCH_RUNS" logfit "$BIN/logfit" --model Facenet "$TSV"
fi
[ $have_peer = 1 ] && BENCH_NOTE="slow peer: BENCH_SLOW_RUNS" \
    bench_median "$BENCH_SLOW_RUNS" "pandas + scikit-learn" "$PY" "$DATA/logfit-peer.py" "$TSV"
exit 0
