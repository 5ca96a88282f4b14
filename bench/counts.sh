#!/usr/bin/env bash
# bench/counts.sh BINDIR [ROWS...]: logfit in bounded memory (issue 12).
# The article's fit (--model Facenet: y = distance <= DeepFace's threshold)
# of four distance columns, on 10^7 and 10^8 rows made on the fly by
# bench/gen_distances.c and piped in (never stored), by
#   - logfit of this tree (it keeps counts per distinct value: its peak
#     memory should not grow from 10^7 to 10^8 rows),
#   - logfit 0.1.0, built from git history (it keeps 8 bytes a row and
#     column: 3.2 GB at 10^8 rows),
#   - pandas + scikit-learn (read_csv of the four columns, then
#     LogisticRegression() per column, and the denorm values),
# each timed (wall, CPU: the medians of BENCH_RUNS runs of logfit,
# BENCH_PEER_RUNS of 0.1.0 and BENCH_SLOW_RUNS of pandas up to
# COUNTS_MEDIAN_MAX rows, default 10^7; one run above) with its peak RSS
# (the largest of the runs), under a memory guard (ulimit -v
# at the memory available less 1 GiB, at most 24 GiB): a program that needs
# more fails with "out of memory" in the table instead of taking the machine
# down; a size its smaller run shows it cannot fit is skipped, with why.
#
#   bash bench/counts.sh build/bin                     10^7 and 10^8 rows
#   BENCH_QUICK=1 bash bench/counts.sh build/bin       10^6 rows only
#   COUNTS_ROWS="1000000 10000000" bash bench/counts.sh build/bin
#   COUNTS_PANDAS_MAX=10000000 ...     pandas on 10^7 rows at most (at 10^8
#                                      it takes about 10 minutes and 15 GB)
#   COUNTS_MEDIAN_MAX=0 ...            one run of each, at every size
set -euo pipefail
. "$(dirname "$0")/common.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
default_rows="10000000 100000000"
[ -n "${BENCH_QUICK:-}" ] && default_rows=1000000
[ -n "${COUNTS_ROWS:-}" ] && ROWS=$COUNTS_ROWS # over ROWS of the environment
bench_args counts "$default_rows" "$@"
PY=/usr/bin/python3
# 0.1.0 as released: the last commit of 2026-11-27, the tree the 0.1.0
# review read (flat lib/, lib/version.h "0.1.0"); the version was not
# bumped since, so no commit names it.
V010=${LOGFIT_010:-be377f2}
MEDIAN_MAX=${COUNTS_MEDIAN_MAX:-10000000}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "counts bench: $TIME is missing (apt-get install time)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
W=data/counts
mkdir -p "$W"
rm -f "$W"/*.time "$W"/*.out "$W"/*.err "$W"/*.walls

cc -O2 -Wall -Wextra -o "$TMP/gen_distances" gen_distances.c -lm
GEN=$TMP/gen_distances

# logfit 0.1.0, built with its own Makefile in a folder of its own.
v010=
v010_why=
if git -C "$ROOT" cat-file -e "$V010^{commit}" 2>/dev/null; then
    mkdir "$TMP/v010"
    git -C "$ROOT" archive "$V010" | tar -x -C "$TMP/v010"
    if make -C "$TMP/v010" -j2 build/bin/logfit >"$TMP/v010.log" 2>&1 &&
        "$TMP/v010/build/bin/logfit" --version | grep -q ' 0\.1\.0$'; then
        v010=$TMP/v010/build/bin/logfit
    else
        v010_why="0.1.0 ($V010) did not build: see make's output below"
        tail -n 5 "$TMP/v010.log" >&2
    fi
else
    v010_why="no git history here to build 0.1.0 ($V010) from"
fi

cat >"$TMP/peer.py" <<'EOF'
# The article's fit with pandas and scikit-learn, the stream on stdin; only
# the four columns it fits are read (the kindest case for pandas' memory).
import sys
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

thresholds = {"cosine": 0.40, "euclidean": 10, "euclidean_l2": 0.80, "angular": 0.33}
df = pd.read_csv(sys.stdin.buffer, sep="\t", usecols=list(thresholds), dtype=np.float64)
for metric, t in thresholds.items():
    d = df[metric].to_numpy()
    y = (d <= t).astype(int)
    norm = d.max()
    x = d / norm if norm > 1 else d
    lr = LogisticRegression().fit(x.reshape(-1, 1), y)
    w, b = lr.coef_[0][0], lr.intercept_[0]
    p = 100 / (1 + np.exp(-(w * x + b)))
    denorm = (p[y == 1].max(), p[y == 1].min(), p[y == 0].max(), p[y == 0].min())
    print(f"{metric}: w={w!r} b={b!r} normalizer={norm!r}")
EOF

# The guard: the memory available now, less 1 GiB, at most 24 GiB.
avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
GUARD_KIB=$(( avail_kib - 1048576 ))
[ "$GUARD_KIB" -gt $((24 * 1048576)) ] && GUARD_KIB=$((24 * 1048576))
gib() { awk -v k="$1" 'BEGIN { printf "%.1f GiB", k / 1048576 }'; }

# run PROG ROWS RUNS COMMAND...: gen_distances ROWS | COMMAND, RUNS times,
# timed, under the guard; appends "PROG ROWS wall cpu kib runs" (the
# medians of the runs' wall and CPU times, the largest peak) or "PROG ROWS -
# - - reason" (the first run that failed) to $W/results, and the runs' wall
# times to $W/PROG-ROWS.walls.
run() {
    local prog=$1 n=$2 runs=$3 f st why i walls= cpus= rss=0 w u s m
    shift 3
    f=$W/$prog-$n
    for ((i = 0; i < runs; i++)); do
        set +e
        "$GEN" "$n" | (ulimit -v "$GUARD_KIB" && exec "$TIME" -f '%e %U %S %M' -o "$f.time" "$@") \
            >"$f.out" 2>"$f.err"
        st=${PIPESTATUS[1]}
        set -e
        if [ "$st" -ne 0 ]; then
            if grep -qiE 'MemoryError|memory|allocate|bad_alloc' "$f.err"; then
                why="out of memory (guard $(gib "$GUARD_KIB"))"
            else
                why="failed, exit $st: $(head -c 200 "$f.err" | head -n 1)"
            fi
            echo "$prog $n - - - $why" >>"$W/results"
            return
        fi
        read -r w u s m < <(tail -n 1 "$f.time")
        walls+="$w "
        cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') "
        [ "$m" -gt "$rss" ] && rss=$m
    done
    echo "$prog $n $(bench_median_of "$walls") $(bench_median_of "$cpus") $rss $runs" >>"$W/results"
    echo "${walls% }" >"$f.walls"
}

# runs_at ROWS RUNS: RUNS at COUNTS_MEDIAN_MAX rows or fewer, else 1 (a
# run of 10^8 rows takes seconds to minutes).
runs_at() {
    if [ "$1" -le "$MEDIAN_MAX" ]; then echo "$2"; else echo 1; fi
}

# too_big PROG ROWS: the peak of PROG's largest earlier run, scaled by rows,
# when it is over the guard (both grow in proportion to the rows); or that
# it already failed at fewer rows.
too_big() {
    awk -v p="$1" -v n="$2" -v g="$GUARD_KIB" '
        $1 == p && $3 == "-" { print "failed at " $2 " rows"; done = 1; exit }
        $1 == p { kib = $5; rows = $2 }
        END { if (!done && kib && kib / rows * n > g)
                  printf "would need about %.1f GiB (%.1f GiB at %d rows, scaled), over the guard of %.1f GiB\n",
                         kib / rows * n / 1048576, kib / 1048576, rows, g / 1048576 }' "$W/results"
}

: >"$W/results"
: >"$W/skipped"
load=$(cut -d' ' -f1-3 /proc/loadavg)
# The generator alone, into a pipe, so one sees it is not what limits.
first=${ROWS%% *}
gen_s=$( { "$TIME" -f '%e' sh -c '"$0" "$1" | cat >/dev/null' "$GEN" "$first"; } 2>&1 | tail -n 1)

for n in $ROWS; do
    run logfit "$n" "$(runs_at "$n" "$BENCH_RUNS")" "$BIN/logfit" --model Facenet
    if [ -z "$v010" ]; then
        echo "logfit 0.1.0 at $n rows: $v010_why" >>"$W/skipped"
    elif why=$(too_big v010 "$n") && [ -n "$why" ]; then
        echo "logfit 0.1.0 at $n rows: $why" >>"$W/skipped"
    else
        run v010 "$n" "$(runs_at "$n" "$BENCH_PEER_RUNS")" "$v010" --model Facenet
    fi
    if [ -n "${COUNTS_PANDAS_MAX:-}" ] && [ "$n" -gt "$COUNTS_PANDAS_MAX" ]; then
        echo "pandas + scikit-learn at $n rows: over COUNTS_PANDAS_MAX=$COUNTS_PANDAS_MAX" >>"$W/skipped"
    elif why=$(too_big pandas "$n") && [ -n "$why" ]; then
        echo "pandas + scikit-learn at $n rows: $why" >>"$W/skipped"
    else
        run pandas "$n" "$(runs_at "$n" "$BENCH_SLOW_RUNS")" "$PY" "$TMP/peer.py"
    fi
done
# Into the run's results: medians up to COUNTS_MEDIAN_MAX rows, one run
# above.
while read -r prog n wall cpu kib runs; do
    case $prog in logfit) label="logfit (piped)" ;; v010) label="logfit 0.1.0 (piped)" ;; *) label="pandas + scikit-learn (piped)" ;; esac
    if [ "$wall" = - ]; then
        bench_record "skipped: $label at $n rows: $runs" - - - - 0
    elif [ "$runs" -eq 1 ]; then
        bench_record "$label" "$n" "$wall" "$cpu" "$kib" 1 "one run"
    else
        bench_record "$label" "$n" "$wall" "$cpu" "$kib" "$runs" "median of $runs: $(cat "$W/$prog-$n.walls")"
    fi
done <"$W/results"
while read -r why; do bench_record "skipped: $why" - - - - 0; done <"$W/skipped"

rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
printf 'logfit in bounded memory: the article'\''s fit (--model Facenet) of 4 distance columns,\n'
printf 'rows made on the fly in a pipe (load average %s; %s cores; memory guard %s)\n' \
    "$load" "$(nproc)" "$(gib "$GUARD_KIB")"
awk -v n="$first" -v s="$gen_s" 'BEGIN { printf "generator alone into a pipe: %.1f M rows/s (%d rows in %.2f s)\n", n / s / 1e6, n, s }'
awk -v rev="$rev" -v v010="$V010" '
    function rows(n) { return n == 10 ^ int(log(n) / log(10) + 0.5) ? "10^" int(log(n) / log(10) + 0.5) : n }
    BEGIN { name["logfit"] = "logfit (this tree, " rev ")"; name["v010"] = "logfit 0.1.0 (" v010 ")"
            name["pandas"] = "pandas + scikit-learn" }
    { p = $1; n = $2; k = p SUBSEP n; order[++m] = k; prog[k] = p; size[k] = n
      if ($3 == "-") { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); why[k] = $0 }
      else { wall[k] = $3; cpu[k] = $4; kib[k] = $5; runs[k] = $6 } }
    END {
        printf "%-11s %-28s %8s %8s %11s %10s %12s %5s\n", "rows", "program", "wall s", "CPU s", "rows/s", "peak MiB", "B/row/col", "runs"
        for (i = 1; i <= m; i++) {
            k = order[i]
            if (k in why) { printf "%-11s %-28s %s\n", rows(size[k]), name[prog[k]], why[k]; continue }
            printf "%-11s %-28s %8.2f %8.2f %11.0f %10.1f %12.2f %5d\n", rows(size[k]), name[prog[k]],
                   wall[k], cpu[k], size[k] / wall[k], kib[k] / 1024, kib[k] * 1024 / size[k] / 4, runs[k]
        }
        print "ratios: speed = our rows/s over theirs; memory = their peak RSS over ours"
        printf "  %-11s %-28s %11s %10s %8s\n", "rows", "this tree against", "speed wall", "speed CPU", "memory"
        for (i = 1; i <= m; i++) {
            k = order[i]
            if (prog[k] == "logfit" || (k in why)) continue
            l = "logfit" SUBSEP size[k]
            if (!(l in wall)) continue
            printf "  %-11s %-28s %10.1fx %9.1fx %7.1fx\n", rows(size[k]), name[prog[k]],
                   wall[k] / wall[l], cpu[k] / cpu[l], kib[k] / kib[l]
        }
        for (i = 1; i <= m; i++) {
            k = order[i]
            if (k in why) continue
            p = prog[k]
            if (!(p in lo)) { lo[p] = k; ps[++np] = p }
            hi[p] = k
        }
        for (j = 1; j <= np; j++) {
            p = ps[j]
            if (lo[p] == hi[p]) continue
            printf "  peak memory of %s from %s to %s rows: %.0f to %.0f MiB (%.2fx)\n", name[p],
                   rows(size[lo[p]]), rows(size[hi[p]]), kib[lo[p]] / 1024, kib[hi[p]] / 1024,
                   kib[hi[p]] / kib[lo[p]]
        }
    }' "$W/results"
if [ -s "$W/skipped" ]; then
    echo "skipped:"
    sed 's/^/  /' "$W/skipped"
fi

# The fits agree: cosine's w and b from each program, at each size it ran.
echo "cosine's w and b (scikit-learn's lbfgs stops at tol 1e-4):"
while read -r prog n wall _; do
    [ "$wall" = - ] && continue
    awk -v who="$prog" -v n="$n" '
        BEGIN { name["logfit"] = "this tree"; name["v010"] = "0.1.0"; name["pandas"] = "pandas" }
        function rows(n) { return n == 10 ^ int(log(n) / log(10) + 0.5) ? "10^" int(log(n) / log(10) + 0.5) : n }
        function show(w, b) { printf "  %-11s %-10s w %.6f  b %.6f\n", rows(n), name[who], w, b; exit }
        /^cosine:/ && who == "pandas" { split($2, ws, "="); split($3, bs, "="); show(ws[2], bs[2]) }
        /^  cosine:$/ { in_c = 1; next }
        /^  [a-z_]+:$/ { in_c = 0 }
        in_c && $1 == "w:" { w = $2 }
        in_c && $1 == "b:" { show(w, $2) }' "$W/$prog-$n.out"
done <"$W/results"
