#!/usr/bin/env bash
# bench/pairgen: pairgen against the article's way of making pairs in Python
# (itertools, print), on 10^4 items in 10^3 identities (5*10^7 pairs), all
# written to /dev/null; then -n and --shard among 10^5 identities of one item.
# Usage: bench/pairgen.sh BINDIR
set -euo pipefail
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

timeit() { # prints seconds and max RSS in KiB
    local t0 t1
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' -o "$data/time.out" "$@" > /dev/null
        cat "$data/time.out"
    else
        t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
        echo "$(echo "$t1 - $t0" | bc) -"
    fi
}

pairs=$("$bin/pairgen" "$ids" | tail -n +2 | wc -l)
read -r c_s c_kb < <(timeit "$bin/pairgen" "$ids")
read -r p_s p_kb < <(timeit "$py" "$data/pairgen.py" "$ids")
awk -v n="$pairs" -v cs="$c_s" -v ck="$c_kb" -v ps="$p_s" -v pk="$p_kb" 'BEGIN {
    printf "pairgen bench: 10^4 items, 10^3 identities, %d pairs to /dev/null\n", n
    printf "  %-22s %8s %14s %10s\n", "program", "seconds", "pairs/s", "max RSS"
    printf "  %-22s %8.2f %14.0f %8d KiB\n", "pairgen", cs, n / cs, ck
    printf "  %-22s %8.2f %14.0f %8d KiB\n", "python (itertools)", ps, n / ps, pk
    printf "  ratio: pairgen is %.1f times faster (aim: 30)\n", ps / cs
}'

# Sampling and sharding among 10^5 identities of one item (5*10^9 negatives):
# time proportional to the rows written plus the identities, not the pairs.
ones="$data/ids-1e5-singletons.yaml"
[ -f "$ones" ] || awk 'BEGIN { print "identities:"; for (i = 0; i < 100000; i++) printf "  p%d: [x%d]\n", i, i }' > "$ones"
read -r n_s n_kb < <(timeit "$bin/pairgen" -n 10 "$ones")
read -r k_s k_kb < <(timeit "$bin/pairgen" -n 100000 -k 3/7 "$ones")
awk -v ns="$n_s" -v nk="$n_kb" -v ks="$k_s" -v kk="$k_kb" 'BEGIN {
    printf "pairgen bench: 10^5 identities of one item\n"
    printf "  %-26s %8.2f s %8d KiB\n", "-n 10", ns, nk
    printf "  %-26s %8.2f s %8d KiB\n", "-n 100000 --shard 3/7", ks, kk
}'
