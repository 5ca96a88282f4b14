#!/usr/bin/env bash
# bench/confplot.sh BINDIR [ROWS]: confplot against the article's own way of
# drawing the figure, on three sizes: the article's 300 rows, 20000 rows (the
# largest class still summed exactly) and ROWS rows (default 200000; binned).
# Each stream has four confidence columns and `same` (1 row in 8 is same).
#   peers: pandas + matplotlib running the article's code (Series.plot.kde
#          per column and class, saved as SVG), and scipy alone (read_csv,
#          then gaussian_kde(...).evaluate on pandas' grid: the arithmetic
#          without the drawing).  confplot's --kde curves are checked against
#          scipy's first (max difference relative to the peak).
# Medians of BENCH_RUNS runs of confplot, BENCH_PEER_RUNS of each peer, per
# size, recorded in $BENCH_OUT; a missing peer is skipped, saying so.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_args confplot 200000 "$@"
PY=/usr/bin/python3
# mawk makes the data (its srand(11)); awk does when mawk is missing.
AWK=$(command -v mawk || command -v awk)

# Reproducible data (mawk's srand(11)): confidences as confmap prints them.
gen() { # rows file
    [ -s "$2" ] && return
    "$AWK" -v n="$1" 'BEGIN {
        srand(11)
        print "same\tcosine_confidence\teuclidean_confidence\teuclidean_l2_confidence\tangular_confidence"
        for (i = 0; i < n; i++) {
            s = i % 8 == 0
            printf "%d", s
            for (m = 0; m < 4; m++) {
                u = rand()
                printf "\t%.2f", s ? 51 + 49 * u ^ (0.5 + m / 4) : 49 * u ^ (2 + m)
            }
            printf "\n"
        }
    }' >"$2.tmp"
    mv "$2.tmp" "$2"
}

PANDAS_PROG='
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
df = pd.read_csv(sys.argv[1], sep="\t")
cols = [c for c in df.columns if c.endswith("_confidence")]
fig, axes = plt.subplots(1, len(cols), figsize=(16, 4))
for ax, c in zip(axes, cols):
    df[df.same == 1][c].plot.kde(ax=ax, label="same")
    df[df.same == 0][c].plot.kde(ax=ax, label="different")
    ax.set_title(c)
    ax.legend()
fig.savefig(sys.argv[2])
print(df.groupby("same")[cols].agg(["count", "min", "mean", "max"]).to_csv(sep="\t"))
'
SCIPY_PROG='
import sys
import numpy as np
import pandas as pd
from scipy.stats import gaussian_kde
df = pd.read_csv(sys.argv[1], sep="\t")
out = []
for c in [c for c in df.columns if c.endswith("_confidence")]:
    for s in (1, 0):
        y = df[df.same == s][c].to_numpy()
        r = y.max() - y.min()
        ind = np.linspace(y.min() - 0.5 * r, y.max() + 0.5 * r, 1000)
        out.append(pd.DataFrame({"column": c, "same": s, "x": ind, "density": gaussian_kde(y).evaluate(ind)}))
pd.concat(out).to_csv(sys.stdout, sep="\t", index=False, float_format="%.17g")
'
# Max |ours - scipy| / peak over each curve, and the worst over all curves.
AGREE_PROG='
import sys
import pandas as pd
a = pd.read_csv(sys.argv[1], sep="\t"); b = pd.read_csv(sys.argv[2], sep="\t")
worst = 0
for (c, s), g in a.groupby(["column", "same"]):
    h = b[(b.column == c) & (b.same == s)]
    worst = max(worst, abs(g.density.values - h.density.values).max() / h.density.max())
print("%.1e" % worst)
'

echo "confplot bench: 4 confidence columns, 1 row in 8 same; SVG figure + table"
have_scipy=0 have_mpl=0
bench_have_python numpy pandas scipy && have_scipy=1
[ $have_scipy = 1 ] && bench_have_python matplotlib && have_mpl=1
trap 'rm -f data/confplot-*.svg data/confplot-*.kde data/confplot-*.scipy' EXIT
for n in 300 20000 "$ROWS"; do
    f=data/confplot-$n.tsv
    gen "$n" "$f"
    if [ $have_scipy = 1 ]; then
        "$BIN/confplot" --kde "$f" >"data/confplot-$n.kde"
        $PY -c "$SCIPY_PROG" "$f" >"data/confplot-$n.scipy"
        echo "  rows $n: confplot's curves against scipy's: $($PY -c "$AGREE_PROG" "data/confplot-$n.kde" "data/confplot-$n.scipy") of the peak"
    fi
    export BENCH_ROWS=$n
    # shellcheck disable=SC2153 # BENCH_RUNS is common.sh's
    bench_median "$BENCH_RUNS" confplot "$BIN/confplot" --svg "data/confplot-$n.svg" "$f"
    [ $have_mpl = 1 ] && bench_median "$BENCH_PEER_RUNS" "pandas plot.kde" $PY -c "$PANDAS_PROG" "$f" "data/confplot-$n-pandas.svg"
    [ $have_scipy = 1 ] && bench_median "$BENCH_PEER_RUNS" "scipy gaussian_kde" $PY -c "$SCIPY_PROG" "$f"
done
exit 0
