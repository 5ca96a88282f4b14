#!/usr/bin/env bash
# The article "From Embeddings to Confidence Scores" (S. I. Serengil),
# reproduced step by step as a distconf pipeline on its own data: the Facenet
# embeddings of DeepFace's 25 test photographs of 9 people.
#
#   examples/article.sh [BINDIR [OUTDIR]]     (make demo runs it)
#
# BINDIR defaults to the tree's build/bin, or, where there is none (the copy
# `make install` puts under share/doc/distconf), the programs on PATH.
# Everything it writes goes to OUTDIR (default build/demo in the tree, else
# ./article-demo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${1:-}" ] || [ -d "$here/../build/bin" ]; then
    bin=$(cd "${1:-$here/../build/bin}" && pwd)
    out=${2:-$here/../build/demo}
else
    pairgen=$(command -v pairgen) || { echo "article.sh: no pairgen on PATH (give BINDIR)" >&2; exit 1; }
    bin=$(dirname "$pairgen")
    out=${2:-article-demo}
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
PATH="$bin:$PATH"
export LC_ALL=C

step() { printf '\n\033[1m== %s\033[0m\n' "$*" | sed 's/\x1b\[[0-9;]*m//g'; }
show() { printf '$ %s\n' "$*"; }
# Align TSV on stdin into columns (like column -t, which is not everywhere).
table() {
    awk -F'\t' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
        if (NF > nf) nf = NF }
        END { for (r = 1; r <= NR; r++) { line = ""
            for (i = 1; i <= nf; i++) line = line sprintf(i < nf ? "%-" w[i] + 2 "s" : "%s", cell[r, i])
            print line } }'
}

step "1. Pairs: every pair of the same person, then every pair of two people"
show "pairgen identities.yaml > pairs.tsv"
pairgen "$here/identities.yaml" > "$out/pairs.tsv"
awk -F'\t' 'NR > 2 { n[$3]++ } END { printf "%d same-person pairs, %d different-person pairs\n", n[1], n[0] }' "$out/pairs.tsv"

step "2. Distances: DeepFace's four metrics between the embeddings of each pair"
show "pairdist -m all pairs.tsv > distances.tsv     # embeddings found through #embeddings="
pairdist -m all "$out/pairs.tsv" > "$out/distances.tsv"
sed -n '2,5p' "$out/distances.tsv" | table

step "3. The fit: logistic regression on the hard decisions at DeepFace's Facenet thresholds"
show "logfit --model Facenet -v -o model.yaml distances.tsv"
logfit --model Facenet -v -o "$out/model.yaml" "$out/distances.tsv"
sed -n '1,16p' "$out/model.yaml"
echo "  ... (euclidean, euclidean_l2, angular follow)"

step "4. Confidences: 0-49 for different people, 51-100 for the same person"
show "confmap -M model.yaml --verified distances.tsv > confidences.tsv"
confmap -M "$out/model.yaml" --verified "$out/distances.tsv" > "$out/confidences.tsv"
{
    printf 'a\tb\tsame\tcosine\tcosine_confidence\n'
    awk -F'\t' 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        NR > 2 && (NR <= 5 || NR >= 301) { print $c["a"], $c["b"], $c["same"], $c["cosine"], $c["cosine_confidence"] }' OFS='\t' "$out/confidences.tsv"
} | table

step "5. The distributions, as the article plots them"
show "confplot --svg article.svg confidences.tsv"
confplot --svg "$out/article.svg" "$out/confidences.tsv"
show "confplot -c cosine_confidence --width 78 --height 12 confidences.tsv"
confplot -c cosine_confidence --width 78 --height 12 "$out/confidences.tsv"

step "6. The fitted constants against the article's published ones"
# Both files are read with awk: logfit's block YAML, and the article's
# printed dictionary (a YAML flow mapping, examples/article-model.yaml).
awk '
    FNR == 1 { file++ }
    file == 1 && /^  [a-z0-9_]+:$/ { m = $1; sub(/:$/, "", m); next }
    file == 1 && /^    (w|b|normalizer|denorm_[a-z_]+): / { k = $1; sub(/:$/, "", k); fit[m, k] = $2; next }
    file == 2 {
        line = $0; gsub("\047", "", line); gsub(/[{},]/, " ", line)
        n = split(line, t, /[ \t]+/)
        for (i = 1; i <= n; i++) {
            if (t[i] ~ /^(cosine|euclidean|euclidean_l2|angular):$/) { m = t[i]; sub(/:$/, "", m) }
            else if (t[i] ~ /^(w|b|normalizer|denorm_[a-z_]+):$/) { k = t[i]; sub(/:$/, "", k); pub[m, k] = t[i + 1] }
        }
    }
    END {
        split("cosine euclidean euclidean_l2 angular", ms, " ")
        split("w b normalizer denorm_max_true denorm_min_true denorm_max_false denorm_min_false", ks, " ")
        printf "%-13s %-17s %12s %12s %10s\n", "metric", "constant", "fitted here", "article", "difference"
        for (i = 1; i <= 4; i++) for (j = 1; j <= 7; j++) {
            f = fit[ms[i], ks[j]]; p = pub[ms[i], ks[j]]
            printf "%-13s %-17s %12.4f %12.4f %10.4f\n", ms[i], ks[j], f, p, f - p
        }
    }' "$out/model.yaml" "$here/article-model.yaml"
cat <<TXT

The embeddings are the same model's on the same photographs but not from the
article's very run (see tests/fixtures/README.md): w and b agree to about 0.01.
Files written: $out/{pairs,distances,confidences}.tsv, model.yaml, article.svg
TXT
