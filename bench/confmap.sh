#!/usr/bin/env bash
# bench/confmap.sh BINDIR [ROWS]: confmap against its peers on ROWS (default
# 10^7) rows of four distances, mapped with DeepFace's Facenet constants and
# thresholds, style clamped (given: --model alone means deepface), 2 decimals.
#   peers: a mawk one-liner computing the same clamped formula for the same
#          four columns (its output is checked byte for byte against
#          confmap's on the first 10^5 rows), and pandas + numpy vectorised
#          end to end (read_csv, the formula on whole columns, to_csv).
#   limits: `wc -l` and `cat > /dev/null` of the same file.
# confmap at -j 1 and at its default -j (when it takes --jobs), the limits
# BENCH_RUNS times, mawk BENCH_PEER_RUNS times, pandas BENCH_SLOW_RUNS
# times (a minute at 10^7 rows); prints the medians and peak RSS, records
# them in $BENCH_OUT (bench/run.sh's summary gives the ratios).  A missing
# peer is skipped, saying so.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_args confmap 10000000 "$@"
DATA=data/confmap-$ROWS.tsv
PY=/usr/bin/python3
# mawk makes the data (its srand(7)); awk does when mawk is missing (other
# numbers, the same kind of file).
AWK=$(command -v mawk || command -v awk)

# The data: reproducible (mawk's srand(7)), distances with 6 decimals as
# pairdist prints them, spread over each metric's range so that both classes
# and every clamp occur.
if [ ! -s "$DATA" ]; then
    echo "generating $DATA ($ROWS rows)..." >&2
    "$AWK" -v n="$ROWS" 'BEGIN {
        srand(7)
        print "cosine\teuclidean\teuclidean_l2\tangular"
        for (i = 0; i < n; i++) {
            t = rand(); u = rand() * 0.2 - 0.1
            printf "%.6f\t%.6f\t%.6f\t%.6f\n", 1.2 * t, 18 * (t + u > 0 ? t + u : 0), \
                1.55 * t, 0.56 * (t - u / 2 > 0 ? t - u / 2 : 0)
        }
    }' >"$DATA.tmp"
    mv "$DATA.tmp" "$DATA"
fi

# Facenet's constants (DeepFace), in each peer.
MAWK_PROG='
function cf(d, T, w, b, nz, xt, nt, xf, nf,    x, p, c, t) {
    x = nz > 1 ? d / nz : d
    p = 100 / (1 + exp(-(w * x + b)))
    if (d <= T) {
        t = nt > 51 ? nt : 51
        c = ((p - nt) / (xt - nt)) * (100 - t) + t
        return c < 51 ? 51 : c > 100 ? 100 : c
    }
    t = xf < 49 ? xf : 49
    c = ((p - nf) / (xf - nf)) * (t - 0) + 0
    return c < 0 ? 0 : c > 49 ? 49 : c
}
BEGIN { FS = OFS = "\t" }
NR == 1 { print $0, "cosine_confidence", "euclidean_confidence", "euclidean_l2_confidence", "angular_confidence"; next }
{ printf "%s\t%.2f\t%.2f\t%.2f\t%.2f\n", $0,
    cf($1, 0.40, -6.502269165856082, 1.679048923097668, 1.206694, 77.17253153662926, 41.790002608273234, 20.618350202170916, 0.7976712344840693),
    cf($2, 10, -6.716177467853723, 2.790978346203265, 18.735288, 74.76412617567517, 40.4423755909089, 25.840858374979504, 1.9356150486888306),
    cf($3, 0.80, -6.708710331202137, 2.9094193067398195, 1.553508, 75.45756719896039, 40.4509428022908, 30.555931000001184, 2.189644991619842),
    cf($4, 0.33, -6.371147050396505, 0.6766460615182355, 0.56627, 45.802357900723386, 24.327312950719133, 16.95267765757785, 5.063533287198758) }'

PANDAS_PROG='
import sys
import numpy as np
import pandas as pd
K = {  # metric: threshold, w, b, normalizer, max_true, min_true, max_false, min_false
    "cosine": (0.40, -6.502269165856082, 1.679048923097668, 1.206694, 77.17253153662926, 41.790002608273234, 20.618350202170916, 0.7976712344840693),
    "euclidean": (10, -6.716177467853723, 2.790978346203265, 18.735288, 74.76412617567517, 40.4423755909089, 25.840858374979504, 1.9356150486888306),
    "euclidean_l2": (0.80, -6.708710331202137, 2.9094193067398195, 1.553508, 75.45756719896039, 40.4509428022908, 30.555931000001184, 2.189644991619842),
    "angular": (0.33, -6.371147050396505, 0.6766460615182355, 0.56627, 45.802357900723386, 24.327312950719133, 16.95267765757785, 5.063533287198758),
}
df = pd.read_csv(sys.argv[1], sep="\t", dtype={m: str for m in K})
for m, (T, w, b, nz, xt, nt, xf, nf) in K.items():
    d = df[m].astype(np.float64).to_numpy()
    x = d / nz if nz > 1 else d
    p = 100 / (1 + np.exp(-(w * x + b)))
    tt = max(51, nt)
    same = d <= T
    c = np.where(same, np.clip((p - nt) / (xt - nt) * (100 - tt) + tt, 51, 100),
                 np.clip((p - nf) / (xf - nf) * min(49, xf), 0, 49))
    df[m + "_confidence"] = c
df.to_csv(sys.stdout, sep="\t", index=False, float_format="%.2f")
'

echo "confmap bench: $ROWS rows, 4 distances, --model Facenet, style clamped, 2 decimals"
have_mawk=0 have_pandas=0
bench_have mawk && have_mawk=1
bench_have_python numpy pandas && have_pandas=1

# Agreement first, on a slice: each peer's output byte for byte as confmap's.
head -n 100001 "$DATA" >data/confmap-check.tsv
"$BIN/confmap" --model Facenet --style clamped data/confmap-check.tsv >data/confmap-check.confmap
if [ $have_mawk = 1 ]; then
    mawk "$MAWK_PROG" data/confmap-check.tsv >data/confmap-check.mawk
    cmp data/confmap-check.confmap data/confmap-check.mawk ||
        { echo "confmap bench: mawk and confmap disagree" >&2; exit 1; }
fi
if [ $have_pandas = 1 ]; then
    $PY -c "$PANDAS_PROG" data/confmap-check.tsv >data/confmap-check.pandas
    cmp data/confmap-check.confmap data/confmap-check.pandas ||
        { echo "confmap bench: pandas and confmap disagree" >&2; exit 1; }
fi
rm -f data/confmap-check.*
echo "  outputs agree byte for byte on the first 10^5 rows (confmap$([ $have_mawk = 1 ] && echo ", mawk")$([ $have_pandas = 1 ] && echo ", pandas"))"

trap 'rm -f data/confmap-small.tsv' EXIT
SMALL=$((ROWS / 10))
head -n $((SMALL + 1)) "$DATA" >data/confmap-small.tsv # memory must not grow with rows
bench_limits "$DATA"
J=$(bench_jobs confmap)
if [ -n "$J" ]; then
    bench_median "$BENCH_RUNS" "confmap -j 1" "$BIN/confmap" -j 1 --model Facenet --style clamped "$DATA"
    BENCH_NOTE="default -j $J" bench_median "$BENCH_RUNS" confmap "$BIN/confmap" --model Facenet --style clamped "$DATA"
else
    BENCH_NOTE="no --jobs" bench_median "$BENCH_RUNS" confmap "$BIN/confmap" --model Facenet --style clamped "$DATA"
fi
BENCH_ROWS=$SMALL BENCH_NOTE="peak RSS must not grow with rows" \
    bench_median "$BENCH_RUNS" "confmap (1/10 of the rows)" "$BIN/confmap" --model Facenet --style clamped data/confmap-small.tsv
[ $have_mawk = 1 ] && bench_median "$BENCH_PEER_RUNS" mawk mawk "$MAWK_PROG" "$DATA"
[ $have_pandas = 1 ] && BENCH_NOTE="slow peer: BENCH_SLOW_RUNS" \
    bench_median "$BENCH_SLOW_RUNS" "pandas + numpy" $PY -c "$PANDAS_PROG" "$DATA"
exit 0
