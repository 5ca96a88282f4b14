#!/usr/bin/env bash
# bench/pairdist.sh BINDIR: pairdist -m all on 20,000 embeddings of 512
# dimensions (the size of Facenet512 or ArcFace) and 10^6 pairs, against the
# same job in Python, timed in the same run on the same files:
#   pandas   pandas + numpy, vectorised (read_csv, numpy distances, to_csv)
#   loop     the article's row-by-row loop (DeepFace's find_distance per row,
#            per metric) on the first 10^4 pairs, scaled to 10^6
# The data is made once, reproducibly (fixed seeds), under bench/data/.
set -eu
. "$(dirname "$0")/common.sh"
BIN=$(cd "${1:-build/bin}" && pwd)
cd "$(dirname "$0")"
D=data/pairdist
mkdir -p "$D"
PY=/usr/bin/python3
N_ITEMS=20000 DIM=512 N_PAIRS=1000000 SLICE=10000

bench_store "$D" "$N_ITEMS" "$DIM"
if [ ! -s "$D/pairs.tsv" ]; then
    # 90,000 positives + 910,000 sampled negatives = 10^6 pairs
    "$BIN/pairgen" -n 910000 -s 1 "$D/ids.yaml" > "$D/pairs.tmp"
    mv "$D/pairs.tmp" "$D/pairs.tsv"
fi
head -n $((SLICE + 2)) "$D/pairs.tsv" > "$D/slice.tsv"

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

TIME=/usr/bin/time
# measure LABEL COMMAND...: prints "wall_seconds cpu_seconds maxrss_kib".
# The machine may be shared: CPU time (user + system) is what each program
# itself costs, wall time what it cost under the load of the moment.
measure() {
    local label=$1
    shift
    if [ -x "$TIME" ]; then
        "$TIME" -f '%e %U %S %M' -o "$D/$label.time" "$@" > /dev/null
        awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$D/$label.time"
    else
        local s=$SECONDS
        "$@" > /dev/null
        echo "$((SECONDS - s)) $((SECONDS - s)) 0"
    fi
}

# Both read warm files and write plainly to a file: -o would add the fsync
# that makes a replaced file durable, which pandas' to_csv does not do.
warm() { cat "$D/emb.tsv" "$D/pairs.tsv" > /dev/null; }
warm
read -r pd_s pd_cpu pd_kb < <(measure pairdist sh -c '"$0" -m all -e "$1" "$2" > "$3"' \
    "$BIN/pairdist" "$D/emb.tsv" "$D/pairs.tsv" "$D/out-pairdist.tsv")
warm
read -r pv_s pv_cpu pv_kb < <(measure pandas "$PY" "$D/pandas_vec.py" "$D/emb.tsv" "$D/pairs.tsv" "$D/out-pandas.tsv")
# the row loop times itself: set-up and output, then the loop over the slice
read -r rl_fixed rl_loop < <("$PY" "$D/rowloop.py" "$D/emb.tsv" "$D/slice.tsv" "$D/out-loop.tsv")
rl_s=$(awk -v f="$rl_fixed" -v l="$rl_loop" -v k=$((N_PAIRS / SLICE)) 'BEGIN { printf "%.1f", f + l * k }')

# The two full outputs agree (cells that differ in the 6th decimal).
diff_cells=$(paste "$D/out-pairdist.tsv" "$D/out-pandas.tsv" | awk -F'\t' '
    NR > 2 { for (i = 4; i <= 7; i++) if ($i != $(i + 7)) n++ } END { print n + 0 }')

store_kib=$((N_ITEMS * DIM * 4 / 1024))
limit_kib=$(awk -v s=$store_kib 'BEGIN { printf "%d", 1.2 * s + 32 * 1024 }')
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf '\npairdist -m all: %d embeddings x %d dimensions, %d pairs (load average %s)\n' \
    $N_ITEMS $DIM $N_PAIRS "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)"
printf '%-36s %8s %8s %12s\n' "program" "wall s" "CPU s" "max RSS MiB"
printf '%-36s %8s %8s %12s\n' "pairdist" "$pd_s" "$pd_cpu" "$(mib "$pd_kb")"
printf '%-36s %8s %8s %12s\n' "pandas + numpy, vectorised" "$pv_s" "$pv_cpu" "$(mib "$pv_kb")"
printf '%-36s %8s %8s %12s\n' "article's row loop (10^4, scaled)" "$rl_s" "-" "-"
awk -v a="$pd_s" -v b="$pv_s" -v c="$rl_s" -v ac="$pd_cpu" -v bc="$pv_cpu" 'BEGIN {
    printf "speed-up over pandas vectorised: %.1fx wall, %.1fx CPU (aim >= 10x)\n", b / a, bc / ac
    printf "speed-up over the row loop: %.0fx wall\n", c / a }'
printf 'memory: %s MiB peak, limit %s MiB (1.2 x float32 store %s MiB + 32 MiB): %s\n' \
    "$(mib "$pd_kb")" "$(mib "$limit_kib")" "$(mib "$store_kib")" \
    "$([ "$pd_kb" -le "$limit_kib" ] && echo ok || echo OVER)"
printf 'outputs: %s of %d cells differ from pandas in the printed 6 decimals\n' "$diff_cells" $((N_PAIRS * 4))
