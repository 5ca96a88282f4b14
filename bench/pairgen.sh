#!/usr/bin/env bash
# bench/pairgen: pairgen against the article's way of making pairs in Python
# (itertools, print), on 10^4 items in 10^3 identities (5*10^7 pairs), all
# written to /dev/null; then -n and --shard among 10^5 identities of one
# item.  Medians of BENCH_RUNS runs, the Python
# peer BENCH_SLOW_RUNS (about a minute), recorded in $BENCH_OUT.
# Usage: bench/pairgen.sh BINDIR
set -euo pipefail
. "$(dirname "$0")/common.sh"
bin=${1:-build/bin}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
mkdir -p "$data"
ids="$data/ids-1e4.yaml"
[ -f "$ids" ] || awk 'BEGIN { for (i = 0; i < 1000; i++) { printf "id%04d: [", i;
    for (j = 0; j < 10; j++) printf "%simg%04d_%d.jpg", j ? ", " : "", i, j; print "]" } }' > "$ids"

py=/usr/bin/python3
cat > "$data/pairgen.py" <<'PY'
# The article's pair generation: itertools over a dict of identities, print.
import itertools, sys
idendities = {}
for line in open(sys.argv[1]):
    name, items = line.split(":", 1)
    idendities[name] = [s.strip() for s in items.strip().strip("[]").split(",")]
out = sys.stdout
print("a\tb\tsame", file=out)
for key, values in idendities.items():
    for a, b in itertools.combinations(values, 2):
        print(f"{a}\t{b}\t1", file=out)
keys = list(idendities)
for i, j in itertools.combinations(range(len(keys)), 2):
    for a, b in itertools.product(idendities[keys[i]], idendities[keys[j]]):
        print(f"{a}\t{b}\t0", file=out)
PY

echo "pairgen bench: 10^4 items, 10^3 identities, to /dev/null"
pairs=$("$bin/pairgen" "$ids" | tail -n +2 | wc -l)
BENCH_ROWS=$pairs bench_median "$BENCH_RUNS" pairgen "$bin/pairgen" "$ids"
BENCH_ROWS=$pairs BENCH_NOTE="slow peer: BENCH_SLOW_RUNS" \
    bench_median "$BENCH_SLOW_RUNS" "python itertools" "$py" "$data/pairgen.py" "$ids"

# Sampling and sharding among 10^5 identities of one item (5*10^9 negatives):
# time proportional to the rows written plus the identities, not the pairs.
ones="$data/ids-1e5-singletons.yaml"
[ -f "$ones" ] || awk 'BEGIN { print "identities:"; for (i = 0; i < 100000; i++) printf "  p%d: [x%d]\n", i, i }' > "$ones"
echo "pairgen bench: 10^5 identities of one item"
BENCH_ROWS=10 bench_median "$BENCH_RUNS" "pairgen -n 10 (10^5 ids)" "$bin/pairgen" -n 10 "$ones"
BENCH_ROWS=100000 bench_median "$BENCH_RUNS" "pairgen -n 10^5 --shard 3/7" "$bin/pairgen" -n 100000 -k 3/7 "$ones"
