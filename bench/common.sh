# bench/common.sh: what the bench scripts share.  A bench sources it first:
#   . "$(dirname "$0")/common.sh"

# bench_args NAME DEFAULT_ROWS BINDIR [ROWS]: BIN, the programs' folder as an
# absolute path, and ROWS (DEFAULT_ROWS unless given); then into bench/, with
# its data/ folder made.
bench_args() {
    local name=$1 rows=$2
    shift 2
    BIN=${1:?usage: bash bench/$name.sh BINDIR [ROWS]}
    BIN=$(cd "$BIN" && pwd)
    ROWS=${2:-$rows}
    cd "$(dirname "$0")"
    mkdir -p data
}

# bench_measure LABEL COMMAND...: runs COMMAND, its output to /dev/null, and
# prints "LABEL wall_s cpu_s max_rss_KiB" (CPU: user + system); without
# /usr/bin/time, the wall time alone and "-" for the others.
bench_measure() {
    local label=$1 t s
    shift
    if [ -x /usr/bin/time ]; then
        t=$( { /usr/bin/time -f '%e %U %S %M' "$@" >/dev/null; } 2>&1 | tail -n 1)
        echo "$label $(echo "$t" | awk '{ printf "%s %.2f %s", $1, $2 + $3, $4 }')"
    else
        s=$(date +%s.%N)
        "$@" >/dev/null
        echo "$label $(echo "$(date +%s.%N) - $s" | bc) - -"
    fi
}

# bench_store DIR N_ITEMS DIM: DIR/emb.tsv, N_ITEMS embeddings of DIM floats,
# and DIR/ids.yaml, their identities (10 items each), made once,
# reproducibly (fixed seed): each embedding is its identity's centre plus
# noise, as float32, printed as Python floats (as pandas writes DeepFace's
# embeddings).  bench/pairdist.sh and bench/shards.sh share it.
bench_store() {
    local dir=$1 n=$2 dim=$3
    [ -s "$dir/emb.tsv" ] && [ -s "$dir/ids.yaml" ] && return
    mkdir -p "$dir"
    echo "making the embeddings under bench/$dir (once)..." >&2
    /usr/bin/python3 - "$dir" "$n" "$dim" <<'PYEOF'
import sys, numpy as np
d, n, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = 10
rng = np.random.default_rng(20261127)
centres = rng.normal(0, 1, (n // per, dim))
emb = (np.repeat(centres, per, axis=0) + rng.normal(0, 0.7, (n, dim))).astype(np.float32)
names = ["p%05d.jpg" % i for i in range(n)]
with open(d + "/emb.tsv.tmp", "w") as f:
    for name, row in zip(names, emb.astype(np.float64).tolist()):
        f.write(name + "\t" + "\t".join(map(repr, row)) + "\n")
with open(d + "/ids.yaml.tmp", "w") as f:
    f.write("embeddings: emb.tsv\nidentities:\n")
    for k in range(n // per):
        f.write("  id%04d: [%s]\n" % (k, ", ".join(names[k * per:(k + 1) * per])))
PYEOF
    mv "$dir/emb.tsv.tmp" "$dir/emb.tsv"
    mv "$dir/ids.yaml.tmp" "$dir/ids.yaml"
}
