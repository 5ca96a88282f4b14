#!/usr/bin/env bash
# bench/calib.sh BINDIR: the evidence of logfit --method, held out.
#  1. DeepFace's labelled test pairs (tests/fixtures/face-recognition-pivot.csv:
#     280 pairs, 140 same, 4-decimal distances of four models of 2020): per
#     model and metric, logfit --cv 10 --method all --model MODEL, and whether
#     the held-out ECE of isotonic and venn-abers is below DeepFace's own
#     mapping's, with the bootstrap intervals (a few hundred pairs cannot
#     resolve a few points: where the intervals overlap, it says so).
#  2. The article's 300 pairs (examples/), grouped by identity pair.
#  3. Synthetic pairs whose true probability is known: same ~ Bernoulli(1/2),
#     d | same ~ N(0.35, 0.1), d | different ~ N(0.65, 0.1), so P(same | d)
#     = 1 / (1 + exp(-(0.65^2 - 0.35^2 - 2 (0.65 - 0.35) d) / (2 0.1^2)));
#     at 10^3, 10^4 and 10^5 pairs, the mean absolute difference between
#     each method's probability and the truth, and venn-abers' mean width.
#     (Seeds fixed: every run prints the same.)
#  4. The cost of each method against the article's fit on 10^7 rows
#     (CALIB_COST_ROWS; 0 skips it).
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_args calib 100000 "$@"
export PATH="$BIN:$PATH" LC_ALL=C
root=$(cd .. && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== calib: held-out ECE on DeepFace's 280 labelled test pairs (10 folds, seed 0)"
printf '%-9s %-13s %-26s %-26s %-26s %s\n' model metric "isotonic [95% interval]" \
    "venn-abers" "deepface" "isotonic, venn-abers below deepface?"
for m in VGG-Face Facenet OpenFace DeepFace; do
    awk -F, -v M="$m" 'NR == 1 { printf "a\tb\tsame"
                                 for (i = 4; i <= NF; i++) if (index($i, M "_") == 1) { c[i] = 1; printf "\t%s", substr($i, length(M) + 2) }
                                 print ""; next }
                       { printf "%s\t%s\t%d", $1, $2, $3 == "Yes"
                         for (i = 4; i <= NF; i++) if (i in c) printf "\t%s", $i
                         print "" }' "$root/tests/fixtures/face-recognition-pivot.csv" > "$tmp/$m.tsv"
    logfit --cv 10 --method all --model "$m" "$tmp/$m.tsv" 2>/dev/null |
        awk -F'\t' -v M="$m" 'NR > 1 { e[$1, $2] = $6; lo[$1, $2] = $7; hi[$1, $2] = $8
                                       if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
            function cell(c, k) { return sprintf("%.3f [%.3f, %.3f]", e[c, k], lo[c, k], hi[c, k]) }
            function verdict(c, k) {
                if (e[c, k] < e[c, "deepface"]) return hi[c, k] < lo[c, "deepface"] ? "below" : "below (intervals overlap)"
                return lo[c, k] > hi[c, "deepface"] ? "ABOVE" : "not below (intervals overlap)"
            }
            END { for (i = 1; i <= n; i++) { c = order[i]
                      printf "%-9s %-13s %-26s %-26s %-26s %s; %s\n", M, c, cell(c, "isotonic"),
                             cell(c, "venn-abers"), cell(c, "deepface"), verdict(c, "isotonic"), verdict(c, "venn-abers") } }'
done

echo
echo "== calib: the article's 300 pairs, 10 folds by identity pair (pairgen -i), --model Facenet"
pairgen -i "$root/examples/identities.yaml" | pairdist -m all |
    logfit --cv 10 --method all --model Facenet | cut -f 1,2,6-8,12,13,15 | column -t

echo
echo "== calib: synthetic pairs, the true probability known"
printf '%-8s %-11s %-10s %s\n' pairs method "mean |p - truth|" "mean width"
for n in 1000 10000 "$ROWS"; do
    awk -v n="$n" 'BEGIN { srand(7); print "a\tb\tsame\tcosine"
        for (i = 0; i < n; i++) { s = rand() < 0.5
            do u = rand(); while (u == 0)
            z = sqrt(-2 * log(u)) * cos(6.283185307179586 * rand())
            printf "p%d\tq%d\t%d\t%.6f\n", i, i, s, (s ? 0.35 : 0.65) + 0.1 * z } }' > "$tmp/syn.tsv"
    for method in platt isotonic venn-abers; do
        logfit --method "$method" -o "$tmp/m.yaml" "$tmp/syn.tsv" 2>/dev/null
        confmap -q -p 10 -M "$tmp/m.yaml" "$tmp/syn.tsv" |
            awk -F'\t' -v n="$n" -v m="$method" 'NR > 1 { d = $4
                    t = 1 / (1 + exp(-(0.65^2 - 0.35^2 - 2 * 0.3 * d) / 0.02))
                    a += ($5 / 100 > t ? $5 / 100 - t : t - $5 / 100)
                    if (m == "venn-abers") w += ($7 - $6) / 100; k++ }
                END { printf "%-8d %-11s %-16.4f %s\n", n, m, a / k, m == "venn-abers" ? sprintf("%.4f", w / k) : "-" }'
    done
done

# The cost of each method against the article's fit, on one file of
# $CALIB_COST_ROWS rows (default 10^7; 0 skips it) made by
# bench/gen_distances.c, the cosine column: wall seconds, peak memory, the
# ratio to logistic, and the model's size.
cost_rows=${CALIB_COST_ROWS:-10000000}
if [ "$cost_rows" -gt 0 ]; then
    echo
    echo "== calib: the cost of each method, $cost_rows rows (gen_distances), cosine"
    cc -O2 -Wall -Wextra -o "$tmp/gen_distances" gen_distances.c -lm
    "$tmp/gen_distances" "$cost_rows" > "$tmp/big.tsv"
    printf '%-11s %8s %9s %8s %11s\n' method wall_s peak_MiB ratio model_bytes
    base=
    for method in logistic platt isotonic venn-abers; do
        /usr/bin/time -f '%e %M' -o "$tmp/t" logfit --method "$method" -d cosine -o "$tmp/m.yaml" "$tmp/big.tsv"
        read -r w m < "$tmp/t"
        base=${base:-$w}
        printf '%-11s %8.2f %9d %8s %11d\n' "$method" "$w" $((m / 1024)) "$(echo "scale=2; $w / $base" | bc)x" "$(wc -c < "$tmp/m.yaml")"
    done
fi
