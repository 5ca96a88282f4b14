#!/usr/bin/env bash
# bench/shards.sh BINDIR [PAIRS]: a large run split into N shards on this
# machine's cores (N = nproc, or SHARDS=N), merged by logfit, against the
# one-process pipeline, on the store of bench/pairdist.sh (20,000 embeddings
# of 512 dimensions in 2,000 identities) and PAIRS pairs (default 10^7: the
# 90,000 positives and a seeded sample of negatives).
#   one process:  pairgen -n NEG ids.yaml | pairdist -m all | logfit
#   sharded:      for K in 0..N-1, at once:
#                   pairgen -n NEG --shard K/N ids.yaml | pairdist -m all --counts > shard-K.counts
#                 then  logfit shard-*.counts
# The two models must be equal byte for byte; prints the wall and CPU time
# of each and the speed-up.
#
#   bash bench/shards.sh build/bin
#   BENCH_QUICK=1 bash bench/shards.sh build/bin      (10^6 pairs)
set -euo pipefail
. "$(dirname "$0")/common.sh"
default_pairs=10000000
[ -n "${BENCH_QUICK:-}" ] && default_pairs=1000000
bench_args shards "$default_pairs" "$@"
N=${SHARDS:-$(nproc)}
D=data/pairdist
W=data/shards
bench_store "$D" 20000 512
POSITIVES=90000
NEG=$((ROWS - POSITIVES))
[ "$NEG" -gt 0 ] || { echo "shards bench: PAIRS must be over $POSITIVES" >&2; exit 2; }
mkdir -p "$W"
rm -f "$W"/shard-*.counts "$W"/*.yaml "$W"/*.time "$W"/*.err
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "shards bench: $TIME is missing (apt-get install time)" >&2; exit 1; }

# Both read a warm store.
warm() { cat "$D/emb.tsv" "$D/ids.yaml" >/dev/null; }

# One process a stage, the stages in a pipe.
warm
"$TIME" -f '%e %U %S' -o "$W/one.time" bash -c '
    set -o pipefail
    "$1/pairgen" -n "$2" -s 1 "$3/ids.yaml" | "$1/pairdist" -m all | "$1/logfit" >"$4"' \
    _ "$BIN" "$NEG" "$D" "$W/one.yaml" 2>"$W/one.err" ||
    { echo "shards bench: the one-process pipeline failed:" >&2; cat "$W/one.err" >&2; exit 1; }

# N shards at once, then the reduce; each stage timed by its own clock.
warm
"$TIME" -f '%e %U %S' -o "$W/sharded.time" bash -c '
    set -o pipefail
    bin=$1 neg=$2 d=$3 w=$4 n=$5
    t0=$(date +%s.%N)
    pids=()
    for ((k = 0; k < n; k++)); do
        "$bin/pairgen" -n "$neg" -s 1 --shard "$k/$n" "$d/ids.yaml" |
            "$bin/pairdist" -m all --counts >"$w/shard-$k.counts" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || exit 1; done
    t1=$(date +%s.%N)
    "$bin/logfit" "$w"/shard-*.counts >"$w/sharded.yaml"
    t2=$(date +%s.%N)
    echo "$t0 $t1 $t2" >"$w/stages"' \
    _ "$BIN" "$NEG" "$D" "$W" "$N" 2>"$W/sharded.err" ||
    { echo "shards bench: the sharded run failed:" >&2; cat "$W/sharded.err" >&2; exit 1; }

if cmp -s "$W/one.yaml" "$W/sharded.yaml"; then
    same="equal byte for byte"
else
    same="DIFFERENT (diff bench/$W/one.yaml bench/$W/sharded.yaml)"
fi
counts_kib=$(du -ck "$W"/shard-*.counts | tail -n 1 | cut -f1)

printf 'sharded run: %d pairs (%d positives, %d sampled negatives), pairdist -m all,\n' \
    "$ROWS" "$POSITIVES" "$NEG"
printf '%d shards on %d cores, merged by logfit (load average %s)\n' \
    "$N" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
read -r t0 t1 t2 <"$W/stages"
awk -v n="$ROWS" -v shards="$N" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v kib="$counts_kib" '
    FILENAME ~ /one.time$/ { ow = $1; oc = $2 + $3 }
    FILENAME ~ /sharded.time$/ { sw = $1; sc = $2 + $3 }
    END {
        printf "%-44s %8s %8s %12s\n", "run", "wall s", "CPU s", "pairs/s"
        printf "%-44s %8.2f %8.2f %12.0f\n", "pairgen | pairdist | logfit (one pipeline)", ow, oc, n / ow
        printf "%-44s %8.2f %8.2f %12.0f\n", shards " shards, pairgen --shard | pairdist --counts", sw, sc, n / sw
        printf "  map (the %d shards at once) %.2f s, reduce (logfit of %.1f MiB of counts) %.2f s\n",
               shards, t1 - t0, kib / 1024, t2 - t1
        printf "speed-up of the sharded run: %.2fx wall; CPU time %.2fx that of the pipeline\n", ow / sw, sc / oc
    }' "$W/one.time" "$W/sharded.time"
echo "models: $same"
awk -v n="$ROWS" -v shards="$N" -F' ' '
    FILENAME ~ /one.time$/ { printf "pairgen | pairdist | logfit\t%s\t%s\t%.2f\t-\t1\tone run\n", n, $1, $2 + $3 }
    FILENAME ~ /sharded.time$/ { printf "sharded, merged by logfit\t%s\t%s\t%.2f\t-\t1\tone run, %d shards\n", n, $1, $2 + $3, shards }' \
    "$W/one.time" "$W/sharded.time" | while IFS=$'\t' read -r l r w c k u note; do bench_record "$l" "$r" "$w" "$c" "$k" "$u" "$note"; done
[ "${same%% *}" = equal ]
