#!/usr/bin/env bash
# bench/confeval.sh BINDIR [ROWS]: confeval's report of four distance
# columns against the same report from pandas + scikit-learn, on one file
# of ROWS rows (default 10^7) made by bench/gen_distances.c, in the same run:
#   - confeval --model Facenet: AUC, EER, d', FMR and FNMR at DeepFace's
#     thresholds with intervals, TAR at four FMRs, per column;
#   - pandas.read_csv of the class and the four columns, then per column
#     roc_auc_score and roc_curve (the EER and the TARs read off the curve,
#     FMR and FNMR at the threshold with numpy), as a user would write it.
# Prints wall and CPU seconds, peak memory, the ratio, and whether the AUCs
# agree to 1e-12 (they should, to the last bit).
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_args confeval 10000000 "$@"
PY=/usr/bin/python3
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "confeval bench: $TIME is missing (apt-get install time)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cc -O2 -Wall -Wextra -o "$TMP/gen_distances" gen_distances.c -lm
f=data/confeval-$ROWS.tsv
[ -s "$f" ] || "$TMP/gen_distances" "$ROWS" > "$f"
echo "== confeval: $ROWS rows x 4 distance columns ($(du -m "$f" | cut -f1) MB), against pandas + scikit-learn"

# run LABEL COMMAND...: wall s, CPU s, peak MiB into $TMP/LABEL.time, output to $TMP/LABEL.out
run() {
    local label=$1
    shift
    "$TIME" -f '%e %U %S %M' -o "$TMP/$label.time" "$@" > "$TMP/$label.out"
}
run confeval "$BIN/confeval" --model Facenet "$f"
have_py=0
if "$PY" -c 'import pandas, sklearn' 2>/dev/null; then
    have_py=1
    cat > "$TMP/report.py" <<'PYEOF'
import sys
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve
cols = ["cosine", "euclidean", "euclidean_l2", "angular"]
thr = {"cosine": 0.40, "euclidean": 10, "euclidean_l2": 0.80, "angular": 0.33}
df = pd.read_csv(sys.argv[1], sep="\t", usecols=["same"] + cols)
y = df["same"].to_numpy()
print("column\tauc\teer\tfmr\tfnmr\ttar_1e-3")
for c in cols:
    s = -df[c].to_numpy()
    auc = roc_auc_score(y, s)
    fpr, tpr, t = roc_curve(y, s)
    fnr = 1 - tpr
    i = np.argmin(np.abs(fpr - fnr))
    acc = df[c].to_numpy() <= thr[c]
    fmr = np.mean(acc[y == 0])
    fnmr = np.mean(~acc[y == 1])
    tar = tpr[np.searchsorted(fpr, 1e-3, side="right") - 1]
    print(f"{c}\t{auc!r}\t{(fpr[i] + fnr[i]) / 2!r}\t{fmr!r}\t{fnmr!r}\t{tar!r}")
PYEOF
    run sklearn "$PY" "$TMP/report.py" "$f"
fi
# Into the run's results: confeval's median of BENCH_RUNS runs; the peer's
# one run above (it is the slowest).
bench_median "$BENCH_RUNS" confeval "$BIN/confeval" --model Facenet "$f"
if [ -f "$TMP/sklearn.time" ]; then
    read -r w u s m < "$TMP/sklearn.time"
    bench_record "pandas + scikit-learn" "$ROWS" "$w" "$(echo "$u + $s" | bc)" "$m" 1 "one run"
fi
printf '%-24s %8s %8s %9s\n' program wall_s cpu_s peak_MiB
for l in confeval sklearn; do
    [ -f "$TMP/$l.time" ] || continue
    read -r w u s m < "$TMP/$l.time"
    printf '%-24s %8.2f %8.2f %9.0f\n' "$l" "$w" "$(echo "$u + $s" | bc)" "$((m / 1024))"
done
if [ "$have_py" = 1 ]; then
    read -r w1 _ < "$TMP/confeval.time"
    read -r w2 _ < "$TMP/sklearn.time"
    echo "confeval is $(echo "scale=1; $w2 / $w1" | bc)x faster than pandas + scikit-learn"
    # the AUCs: confeval's column 5, the script's column 2
    paste <(cut -f 1,5 "$TMP/confeval.out" | tail -n +2) <(cut -f 2 "$TMP/sklearn.out" | tail -n +2) |
        awk -F'\t' '{ d = $2 - $3; if (d < 0) d = -d; printf "AUC %-13s confeval %s  scikit-learn %s  %s\n", $1, $2, $3, d <= 1e-12 ? "equal to 1e-12" : "DIFFERENT" }'
else
    echo "(pandas or scikit-learn missing for $PY: no comparison; apt-get install python3-pandas python3-sklearn)"
fi
