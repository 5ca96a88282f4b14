# bench/common.sh: what the bench scripts share.  A bench sources it first:
#   . "$(dirname "$0")/common.sh"

# bench_args NAME DEFAULT_ROWS BINDIR [ROWS]: BIN, the programs' folder as an
# absolute path, and ROWS (the argument, else $ROWS from the environment, else
# DEFAULT_ROWS: `ROWS=100000 make bench` for a quick run); then into bench/,
# with its data/ folder made.
bench_args() {
    local name=$1 rows=$2
    shift 2
    BENCH_NAME=$name
    BIN=${1:?usage: bash bench/$name.sh BINDIR [ROWS]}
    BIN=$(cd "$BIN" && pwd)
    ROWS=${2:-${ROWS:-$rows}}
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

# ---------------------------------------------------------------------------
# Medians of several runs, and one results file for the whole `make bench`.
#
#   BENCH_RUNS        runs of each distconf program and limit (default 5)
#   BENCH_PEER_RUNS   runs of a peer (default 3)
#   BENCH_SLOW_RUNS   runs of the slowest peers, the ones a bench marks slow
#                     (a minute each at full size; default 1)
#   BENCH_OUT         the results file, TSV, one line a measurement:
#                     bench label rows wall_median cpu_median rss_max_KiB runs note
#                     (bench/run.sh sets it and ends with the summary of it;
#                     a bench run alone appends to bench/data/results.tsv)
#   BENCH_NAME        the bench column (bench_args sets it)
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-3}
BENCH_SLOW_RUNS=${BENCH_SLOW_RUNS:-1}
BENCH_NAME=${BENCH_NAME:-$(basename "$0" .sh)}
if [ -z "${BENCH_OUT:-}" ]; then
    mkdir -p "$(dirname "$0")/data"
    BENCH_OUT=$(cd "$(dirname "$0")/data" && pwd)/results.tsv
fi

# bench_record LABEL ROWS WALL CPU RSS_KIB RUNS [NOTE]: one line into
# $BENCH_OUT ("-" for what is not known).
bench_record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BENCH_NAME" "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" \
        >>"$BENCH_OUT"
}

# bench_median RUNS LABEL COMMAND...: runs COMMAND RUNS times, its output to
# /dev/null, and prints and records (bench_record, rows $BENCH_ROWS, else
# $ROWS, note $BENCH_NOTE) the median wall time, the median CPU time (user +
# system) and the largest peak RSS, from /usr/bin/time -f; without it, the
# wall time alone.  A run that fails stops there: it says so, records
# "failed" and returns 1.
bench_median() {
    local runs=$1 label=$2 i t0 f walls cpus rss=0 w u s m line
    shift 2
    if [ "$runs" -lt 1 ]; then
        echo "  $label: skipped (0 runs asked for)"
        bench_record "skipped: $label (0 runs asked for)" - - - - 0
        return 0
    fi
    f=$(mktemp)
    walls=
    cpus=
    for ((i = 0; i < runs; i++)); do
        t0=$(bench_now)
        if [ -x /usr/bin/time ]; then
            if ! /usr/bin/time -f '%e %U %S %M' -o "$f" "$@" >/dev/null; then
                echo "  $label: failed (exit status above)" >&2
                bench_record "$label" "${BENCH_ROWS:-${ROWS:--}}" failed - - "$i" "${BENCH_NOTE:-}"
                rm -f "$f"
                return 1
            fi
            # the wall time to the millisecond (time's %e has 10 ms)
            w=$(bench_now)
            read -r _ u s m < <(tail -n 1 "$f")
            walls+="$(awk -v a="$t0" -v b="$w" 'BEGIN { printf "%.3f", b - a }') "
            cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') "
            [ "$m" -gt "$rss" ] && rss=$m
        else
            "$@" >/dev/null || { echo "  $label: failed" >&2; rm -f "$f"; return 1; }
            walls+="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }') "
            cpus+="- "
            rss=-
        fi
    done
    rm -f "$f"
    line=$(bench_median_of "$walls")$'\t'$(bench_median_of "$cpus")
    bench_record "$label" "${BENCH_ROWS:-${ROWS:--}}" "${line%%$'\t'*}" "${line#*$'\t'}" "$rss" "$runs" "${BENCH_NOTE:-}"
    awk -v l="$label" -v w="${line%%$'\t'*}" -v c="${line#*$'\t'}" -v k="$rss" -v n="$runs" -v all="$walls" 'BEGIN {
        printf "  %-34s median %8s s wall %8s s CPU %9s MiB peak  (%d run%s: %s)\n", l, w, c,
               k == "-" ? "-" : sprintf("%.1f", k / 1024), n, n == 1 ? "" : "s", all }'
}

# bench_now: seconds since the epoch, to the microsecond (bash's
# EPOCHREALTIME, no process started; date +%s.%N otherwise).
bench_now() {
    if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}

# bench_median_of "V1 V2 ...": the median ("-" if any is "-").
bench_median_of() {
    echo "$1" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '
        $0 == "-" { dash = 1 } { v[++n] = $0 }
        END { if (dash || !n) print "-"; else if (n % 2) print v[(n + 1) / 2]
              else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

# bench_limits FILE...: the limit on the same bytes, `wc -l` and `cat >
# /dev/null` of FILE..., BENCH_RUNS times each (the files are warm after the
# first).
bench_limits() {
    cat "$@" >/dev/null
    bench_median "$BENCH_RUNS" "wc -l" wc -l "$@"
    bench_median "$BENCH_RUNS" "cat" cat "$@"
}

# bench_jobs PROG: the default -j when PROG takes --jobs (the cores
# available, at most 8), else nothing.
bench_jobs() {
    # (the help read whole: grep -q would quit at the match, and under
    # pipefail the program's SIGPIPE would read as no --jobs)
    local n help
    help=$("$BIN/$1" --help 2>&1) || true
    case $help in *--jobs*) ;; *) return 0 ;; esac
    n=$(nproc 2>/dev/null || echo 1)
    [ "$n" -gt 8 ] && n=8
    echo "$n"
}

# bench_have_python MODULE...: whether /usr/bin/python3 imports each; says
# which peer is skipped when not.
bench_have_python() {
    local m miss=
    for m in "$@"; do
        /usr/bin/python3 -c "import $m" 2>/dev/null || miss+=" $m"
    done
    [ -z "$miss" ] && return 0
    echo "  skipped: the peer needs python3 module(s)$miss (apt-get install$(for m in $miss; do printf ' python3-%s' "$m"; done))" >&2
    bench_record "skipped: python3 module(s)$miss missing" - - - - 0
    return 1
}

# bench_have CMD: whether CMD is installed; says which peer is skipped when not.
bench_have() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "  skipped: $1 is missing (apt-get install $1)" >&2
    bench_record "skipped: $1 missing" - - - - 0
    return 1
}
