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
# Prints seconds and max RSS per program and size, and the ratios.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_args confplot 200000 "$@"
PY=/usr/bin/python3
command -v mawk >/dev/null || { echo "confplot bench: mawk is missing (apt-get install mawk)" >&2; exit 1; }
$PY -c 'import pandas, scipy, matplotlib' 2>/dev/null ||
    { echo "confplot bench: needs python3-pandas, python3-scipy, python3-matplotlib" >&2; exit 1; }

# Reproducible data (mawk's srand(11)): confidences as confmap prints them.
gen() { # rows file
    [ -s "$2" ] && return
    mawk -v n="$1" 'BEGIN {
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
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
res=$(mktemp)
trap 'rm -f "$res" data/confplot-*.svg data/confplot-*.kde data/confplot-*.scipy' EXIT
for n in 300 20000 "$ROWS"; do
    f=data/confplot-$n.tsv
    gen "$n" "$f"
    "$BIN/confplot" --kde "$f" >"data/confplot-$n.kde"
    $PY -c "$SCIPY_PROG" "$f" >"data/confplot-$n.scipy"
    echo "rows $n: confplot's curves against scipy's: $($PY -c "$AGREE_PROG" "data/confplot-$n.kde" "data/confplot-$n.scipy") of the peak"
    {
        bench_measure "confplot $n" "$BIN/confplot" --svg "data/confplot-$n.svg" "$f"
        bench_measure "pandas $n" $PY -c "$PANDAS_PROG" "$f" "data/confplot-$n-pandas.svg"
        bench_measure "scipy $n" $PY -c "$SCIPY_PROG" "$f"
    } >>"$res"
done
printf '%-10s %8s %9s %12s\n' program rows seconds max_rss_KiB
awk '{ printf "%-10s %8s %9s %12s\n", $1, $2, $3, $5 }' "$res" # (the label is two words; $4 is CPU)
awk '{ t[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
     END {
        for (i = 1; i <= k; i++) {
            n = order[i]; c = t["confplot", n]
            if (c > 0) printf "ratios at %s rows: pandas/confplot %.0fx, scipy/confplot %.0fx\n", n, t["pandas", n] / c, t["scipy", n] / c
            else printf "ratios at %s rows: confplot took under 0.01 s (pandas %s s, scipy %s s)\n", n, t["pandas", n], t["scipy", n]
        }
     }' "$res"
