#!/usr/bin/env bash
# bench/pairdist.sh BINDIR [PAIRS]: pairdist -m all on 20,000 embeddings of
# 512 dimensions (the size of Facenet512 or ArcFace) and 10^6 pairs (or the
# first PAIRS of them: ROWS=100000 for a quick run), against the same job in
# Python, in the same run on the same files:
#   pandas   pandas + numpy, vectorised (read_csv, numpy distances, to_csv);
#            its output is compared with pairdist's first, cell by cell
#   loop     the article's row-by-row loop (DeepFace's find_distance per row,
#            per metric) on the first 10^4 pairs, scaled to all the pairs
#   limits   `wc -l` and `cat > /dev/null` of the store and the pairs
# and pairdist's store load alone (a stream of one pair), so the time per
# pair beyond the load; pairdist at -j 1 and its default -j when it takes
# --jobs.  Medians of BENCH_RUNS runs (pandas: BENCH_PEER_RUNS; the loop
# once), recorded in $BENCH_OUT for bench/run.sh's summary.
# The data is made once, reproducibly (fixed seeds), under bench/data/.
set -eu
. "$(dirname "$0")/common.sh"
bench_args pairdist 1000000 "${1:-build/bin}" "${2:-}"
D=data/pairdist
mkdir -p "$D"
PY=/usr/bin/python3
N_ITEMS=20000 DIM=512 N_PAIRS=$ROWS SLICE=10000
[ "$N_PAIRS" -le 1000000 ] || { echo "pairdist bench: at most 10^6 pairs (the file made once)" >&2; exit 2; }
[ "$SLICE" -le "$N_PAIRS" ] || SLICE=$N_PAIRS

bench_store "$D" "$N_ITEMS" "$DIM"
if [ ! -s "$D/pairs.tsv" ]; then
    # 90,000 positives + 910,000 sampled negatives = 10^6 pairs
    "$BIN/pairgen" -n 910000 -s 1 "$D/ids.yaml" > "$D/pairs.tmp"
    mv "$D/pairs.tmp" "$D/pairs.tsv"
fi
PAIRS=$D/pairs.tsv
if [ "$N_PAIRS" -lt 1000000 ]; then
    PAIRS=$D/pairs-$N_PAIRS.tsv
    head -n $((N_PAIRS + 2)) "$D/pairs.tsv" > "$PAIRS"
fi
head -n $((SLICE + 2)) "$D/pairs.tsv" > "$D/slice.tsv"
head -n 3 "$D/pairs.tsv" > "$D/one.tsv"

cat > "$D/pandas_vec.py" <<'PYEOF'
# The same job with pandas and numpy, vectorised.
import sys, numpy as np, pandas as pd
emb_path, pairs_path, out_path = sys.argv[1:4]
with open(pairs_path) as f:
    pre = f.readline()
emb = pd.read_csv(emb_path, sep="\t", header=None, index_col=0)
E = emb.to_numpy(dtype=np.float64)
norm = np.linalg.norm(E, axis=1)
pairs = pd.read_csv(pairs_path, sep="\t", comment="#", dtype={"a": str, "b": str})
ia = emb.index.get_indexer(pairs["a"])
ib = emb.index.get_indexer(pairs["b"])
assert (ia >= 0).all() and (ib >= 0).all()
n = len(pairs)
cols = {m: np.empty(n) for m in ("cosine", "euclidean", "euclidean_l2", "angular")}
step = 50000
for s in range(0, n, step):
    A, B = E[ia[s:s + step]], E[ib[s:s + step]]
    na, nb = norm[ia[s:s + step]], norm[ib[s:s + step]]
    sim = np.einsum("ij,ij->i", A, B) / (na * nb)
    cols["cosine"][s:s + step] = 1 - sim
    cols["euclidean"][s:s + step] = np.linalg.norm(A - B, axis=1)
    cols["euclidean_l2"][s:s + step] = np.linalg.norm(
        A / (na + 1e-10)[:, None] - B / (nb + 1e-10)[:, None], axis=1)
    cols["angular"][s:s + step] = np.arccos(np.clip(sim, -1, 1)) / np.pi
for m, v in cols.items():
    pairs[m] = v
with open(out_path, "w") as f:
    f.write(pre)
    pairs.to_csv(f, sep="\t", index=False, float_format="%.6f")
PYEOF

cat > "$D/rowloop.py" <<'PYEOF'
# The article's loop: embeddings looked up per row, then for each metric
# DeepFace's find_distance row by row (deepface/modules/verification.py).
import sys, time, numpy as np, pandas as pd
t0 = time.time()
emb_path, pairs_path, out_path = sys.argv[1:4]

def find_cosine_distance(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return 1 - np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))

def find_angular_distance(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.arccos(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))) / np.pi

def find_euclidean_distance(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.linalg.norm(a - b)

def l2_normalize(x, axis=None, epsilon=1e-10):
    x = np.asarray(x)
    return x / (np.linalg.norm(x, axis=axis, keepdims=True) + epsilon)

def find_distance(alpha_embedding, beta_embedding, distance_metric):
    if isinstance(alpha_embedding, list):
        alpha_embedding = np.asarray(alpha_embedding)
    if isinstance(beta_embedding, list):
        beta_embedding = np.asarray(beta_embedding)
    if distance_metric == "cosine":
        d = find_cosine_distance(alpha_embedding, beta_embedding)
    elif distance_metric == "angular":
        d = find_angular_distance(alpha_embedding, beta_embedding)
    elif distance_metric == "euclidean":
        d = find_euclidean_distance(alpha_embedding, beta_embedding)
    else:
        d = find_euclidean_distance(l2_normalize(alpha_embedding), l2_normalize(beta_embedding))
    return np.round(d, 6)

pivot = {}
with open(emb_path) as f:
    for line in f:
        name, *vals = line.rstrip("\n").split("\t")
        pivot[name] = [float(v) for v in vals]
df = pd.read_csv(pairs_path, sep="\t", comment="#", dtype={"a": str, "b": str})
t1 = time.time()
df["img1_embeddings"] = [pivot[x] for x in df["a"]]
df["img2_embeddings"] = [pivot[x] for x in df["b"]]
for distance_metric in ["cosine", "euclidean", "euclidean_l2", "angular"]:
    distances = []
    for index, instance in df.iterrows():
        distances.append(find_distance(instance["img1_embeddings"],
                                       instance["img2_embeddings"], distance_metric))
    df[distance_metric] = distances
df = df.drop(columns=["img1_embeddings", "img2_embeddings"])
t2 = time.time()
df.to_csv(out_path, sep="\t", index=False, float_format="%.6f")
t3 = time.time()
print("%.3f %.3f" % (t1 - t0 + t3 - t2, t2 - t1))
PYEOF

echo "pairdist bench: -m all, $N_ITEMS embeddings x $DIM dimensions, $N_PAIRS pairs"
have_pandas=0
bench_have_python numpy pandas && have_pandas=1

# Agreement first: the full outputs of pairdist and pandas, cell by cell
# (cells that differ in the 6th decimal).
"$BIN/pairdist" -m all -e "$D/emb.tsv" "$PAIRS" > "$D/out-pairdist.tsv"
if [ $have_pandas = 1 ]; then
    "$PY" "$D/pandas_vec.py" "$D/emb.tsv" "$PAIRS" "$D/out-pandas.tsv"
    diff_cells=$(paste "$D/out-pairdist.tsv" "$D/out-pandas.tsv" | awk -F'\t' '
        NR > 2 { for (i = 4; i <= 7; i++) if ($i != $(i + 7)) n++ } END { print n + 0 }')
    printf '  outputs: %s of %d cells differ from pandas in the printed 6 decimals\n' "$diff_cells" $((N_PAIRS * 4))
fi
rm -f "$D/out-pairdist.tsv" "$D/out-pandas.tsv"

bench_limits "$D/emb.tsv" "$PAIRS"
J=$(bench_jobs pairdist)
if [ -n "$J" ]; then
    bench_median "$BENCH_RUNS" "pairdist -j 1" "$BIN/pairdist" -j 1 -m all -e "$D/emb.tsv" "$PAIRS"
    BENCH_NOTE="default -j $J" bench_median "$BENCH_RUNS" pairdist "$BIN/pairdist" -m all -e "$D/emb.tsv" "$PAIRS"
else
    BENCH_NOTE="no --jobs" bench_median "$BENCH_RUNS" pairdist "$BIN/pairdist" -m all -e "$D/emb.tsv" "$PAIRS"
fi
BENCH_ROWS=1 BENCH_NOTE="the store alone: a 1-pair stream" \
    bench_median "$BENCH_RUNS" "pairdist store load (1 pair)" "$BIN/pairdist" -m all -e "$D/emb.tsv" "$D/one.tsv"
[ $have_pandas = 1 ] &&
    bench_median "$BENCH_PEER_RUNS" "pandas + numpy" "$PY" "$D/pandas_vec.py" "$D/emb.tsv" "$PAIRS" /dev/stdout
# the row loop times itself: set-up and output, then the loop over the slice
if [ $have_pandas = 1 ]; then
    read -r rl_fixed rl_loop < <("$PY" "$D/rowloop.py" "$D/emb.tsv" "$D/slice.tsv" /dev/null)
    rl_s=$(awk -v f="$rl_fixed" -v l="$rl_loop" -v k="$N_PAIRS" -v s="$SLICE" 'BEGIN { printf "%.1f", f + l * k / s }')
    echo "  article's row loop: $rl_s s (set-up and output $rl_fixed s, the loop over $SLICE pairs $rl_loop s, scaled)"
    bench_record "article's row loop (scaled)" "$N_PAIRS" "$rl_s" - - 1 "$SLICE pairs timed, scaled"
fi

# Memory: the float32 store and little else.
store_kib=$((N_ITEMS * DIM * 4 / 1024))
limit_kib=$(awk -v s=$store_kib 'BEGIN { printf "%d", 1.2 * s + 32 * 1024 }')
pd_kb=$(awk -F'\t' '$1 == "pairdist" && $2 == "pairdist" { k = $6 } END { print k + 0 }' "$BENCH_OUT")
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf '  memory: %s MiB peak, limit %s MiB (1.2 x float32 store %s MiB + 32 MiB): %s\n' \
    "$(mib "$pd_kb")" "$(mib "$limit_kib")" "$(mib "$store_kib")" \
    "$([ "$pd_kb" -le "$limit_kib" ] && echo ok || echo OVER)"
